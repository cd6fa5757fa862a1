//! The documentation pages the rules cite.
use super::Source;

pub static SOURCES: &[Source] = &[Source {
    id: "S1",
    title: "Impersonation Level Constants (COM)",
    url: "https://learn.microsoft.com/en-us/windows/desktop/com/com-impersonation-level-constants",
}];
