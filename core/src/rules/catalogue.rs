//! Every rule, in the order of the study. (Filled in by the catalogue work.)
use super::{Coverage, Rule};

pub static RULES: &[Rule] = &[Rule {
    id: "LV-1",
    title: "Server capability matrix",
    text: "What a server can do with a client's token depends on its level.",
    sources: &["S1"],
    coverage: Coverage::Simulated,
}];
