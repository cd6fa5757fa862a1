//! The rule catalogue: every rule ID of the study behind the product (LV, PR, TK, AL, PK, BL,
//! CL, CO, RP, KD, NP, AC, AM), with a title, a short text in our own words, and its sources in
//! Microsoft's documentation. The engine cites these IDs in every event.

mod catalogue;
mod sources;

pub use catalogue::RULES;
pub use sources::SOURCES;

/// A documentation page a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The study's source ID, e.g. `S14`.
    pub id: &'static str,
    pub title: &'static str,
    pub url: &'static str,
}

/// Whether the engine applies a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Simulated,
    /// Not simulated, and why.
    NotSimulated(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    /// Source IDs (see [`SOURCES`]).
    pub sources: &'static [&'static str],
    pub coverage: Coverage,
}

impl Rule {
    /// The rule's sources, resolved.
    pub fn source_list(&self) -> impl Iterator<Item = &'static Source> + '_ {
        self.sources
            .iter()
            .filter_map(|id| SOURCES.iter().find(|s| s.id == *id))
    }
}

/// The rule with this ID (case-insensitive), if any.
pub fn get(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod source_tests {
    #[test]
    fn every_source_is_a_link_a_reader_can_open() {
        for s in super::SOURCES {
            assert!(
                s.url.starts_with("https://") || s.url.starts_with("http://"),
                "{} has no address: {}",
                s.id,
                s.url
            );
        }
    }
}
