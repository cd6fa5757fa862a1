//! The rule catalogue: every rule ID of the study behind the product (LV, PR, TK, AL, PK, BL,
//! CL, CO, RP, KD, NP, AC, AM), with a title, a short text in our own words, and its sources in
//! Microsoft's documentation. The engine cites these IDs in every event.

mod catalogue;
#[cfg(feature = "embedded-data")]
mod sources;

pub use catalogue::RULES;
#[cfg(feature = "embedded-data")]
pub use sources::SOURCES;
/// Without the `embedded-data` feature, no source is compiled in (the playground fetches them
/// with the rule texts from `rules.json`).
#[cfg(not(feature = "embedded-data"))]
pub static SOURCES: &[Source] = &[];

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

/// The catalogue as the JSON document the playground fetches on demand (`core/rules.json`,
/// copied into `dist/rules.json`): for every rule ID, its text, its "not simulated" reason (or
/// null) and its sources. `impsim rules --json` prints it; `tests/rules_json.rs` checks that the
/// file is up to date.
#[cfg(feature = "embedded-data")]
pub fn catalogue_json() -> String {
    let mut rules = serde_json::Map::new();
    for r in RULES {
        let why = match r.coverage {
            Coverage::Simulated => serde_json::Value::Null,
            Coverage::NotSimulated(why) => why.into(),
        };
        let sources: Vec<serde_json::Value> = r
            .source_list()
            .map(|s| serde_json::json!({ "id": s.id, "title": s.title, "url": s.url }))
            .collect();
        rules.insert(
            r.id.to_string(),
            serde_json::json!({ "text": r.text, "not_simulated": why, "sources": sources }),
        );
    }
    let mut text = serde_json::to_string_pretty(&rules).unwrap_or_default();
    text.push('\n');
    text
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
