//! The rule catalogue: every rule ID of the study behind the product (LV, PR, TK, AL, PK, BL,
//! CL, CO, RP, KD, NP, AC, AM), with a title, a short text in our own words, and its sources in
//! Microsoft's documentation. The engine cites these IDs in every event.

mod catalogue;
#[cfg(feature = "embedded-data")]
mod sources;

pub use catalogue::{RuleId, RULES};
#[cfg(feature = "embedded-data")]
pub use sources::SOURCES;
/// Without the `embedded-data` feature, no source is compiled in (the playground fetches them
/// with the rule texts from `rules.json`).
#[cfg(not(feature = "embedded-data"))]
pub static SOURCES: &[Source] = &[];

/// A documentation page a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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

impl RuleId {
    /// The ID as the catalogue and the outcome spell it: `"KD-6"`.
    pub fn as_str(self) -> &'static str {
        self.rule().id
    }

    /// Its catalogue entry.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// The IDs spelled and joined: `"LV-4, KD-7"` for `join(&[Lv4, Kd7], ", ")`.
    pub fn join(ids: &[RuleId], separator: &str) -> String {
        let spelled: Vec<&str> = ids.iter().map(|r| r.as_str()).collect();
        spelled.join(separator)
    }

    /// The rule with this ID (case-insensitive), if any.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(id))
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an ID the catalogue lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no rule {} in the catalogue", self.0)
    }
}

impl std::str::FromStr for RuleId {
    type Err = UnknownRule;
    fn from_str(id: &str) -> Result<RuleId, UnknownRule> {
        RuleId::parse(id).ok_or_else(|| UnknownRule(id.to_string()))
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The rule with this ID (case-insensitive), if any.
pub fn get(id: &str) -> Option<&'static Rule> {
    RuleId::parse(id).map(RuleId::rule)
}

/// The catalogue as the JSON document the playground fetches on demand (`core/rules.json`,
/// copied into `dist/rules.json`): for every rule ID, its title, its text, its "not simulated"
/// reason (or null) and its sources. `impsim rules --json` prints it; `tests/rules_json.rs` checks that the
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
            // The title too: the security review's (SR-*) are not in the playground's wasm.
            serde_json::json!({ "title": r.title, "text": r.text, "not_simulated": why, "sources": sources }),
        );
    }
    let mut text = serde_json::to_string_pretty(&rules).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod source_tests {
    use super::RuleId;

    #[test]
    fn rule_ids_spell_parse_and_index_the_catalogue() {
        assert_eq!(RuleId::Kd6.as_str(), "KD-6");
        assert_eq!(RuleId::Pk.as_str(), "PK");
        assert_eq!(RuleId::Am14.to_string(), "AM-14");
        assert_eq!(
            RuleId::join(&[RuleId::Lv4, RuleId::Kd7], ", "),
            "LV-4, KD-7"
        );
        assert_eq!("kd-6".parse::<RuleId>(), Ok(RuleId::Kd6));
        assert_eq!(
            "KD-10".parse::<RuleId>().unwrap_err().to_string(),
            "no rule KD-10 in the catalogue"
        );
        assert_eq!(RuleId::ALL.len(), super::RULES.len());
        for (i, id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(*id as usize, i);
            assert_eq!(RuleId::parse(id.as_str()), Some(*id));
        }
        assert_eq!(
            serde_json::to_string(&[RuleId::Lv4, RuleId::Cl]).unwrap(),
            r#"["LV-4","CL"]"#
        );
    }

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
