//! The autosave format in localStorage, as pure functions (the hook does the I/O).
//!
//! Two keys: [`KEY`] holds the scenario in its exchange format, exactly as an export would
//! (read back with the core's public `parse`), and [`META_KEY`] holds `{"v":1,"dirty":true}`:
//! whether the work holds edits not yet exported or shared.

use impersonation_core::Scenario;

/// The first seed example, shown when nothing is saved: compiled in, because it is needed at
/// start.
pub const FIRST_SEED_JSON: &str = include_str!("../../../core/presets/seed-apartment-nesting.json");

/// The localStorage key of the saved scenario.
pub const KEY: &str = "impersonation-playground/scenario";
/// The localStorage key of the saved work's state.
pub const META_KEY: &str = "impersonation-playground/meta";
/// Where saved work that could not be read is moved, so that autosave never destroys it.
pub const BACKUP_KEY: &str = "impersonation-playground/unreadable-scenario";
/// The theme preference: `light`, `dark` or absent (follow the system).
pub const THEME_KEY: &str = "impersonation-playground/theme";

/// Saved work read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub scenario: Scenario,
    pub dirty: bool,
}

/// The text of [`META_KEY`].
pub fn meta_text(dirty: bool) -> String {
    format!(r#"{{"v":1,"dirty":{dirty}}}"#)
}

/// Reads saved work; the error is a sentence for the person.
pub fn load_text(scenario: &str, meta: Option<&str>) -> Result<Saved, String> {
    let scenario = impersonation_core::parse(scenario).map_err(|e| {
        let first: Vec<String> = e.problems().iter().take(3).map(|p| p.to_string()).collect();
        if e.is_syntax() {
            format!("it is not a readable scenario ({})", first.join("; "))
        } else {
            format!("its scenario is not valid ({})", first.join("; "))
        }
    })?;
    // Unsaved unless the meta says otherwise: asking once too often beats losing work.
    let dirty = !meta.is_some_and(|m| m.replace(' ', "").contains(r#""dirty":false"#));
    Ok(Saved {
        scenario: scenario.into_inner(),
        dirty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_work_round_trips() {
        let s = Scenario::blank();
        let text = s.to_json_string();
        assert_eq!(
            load_text(&text, Some(&meta_text(false))),
            Ok(Saved {
                scenario: s.clone(),
                dirty: false
            })
        );
        assert!(load_text(&text, None).unwrap().dirty);
    }

    #[test]
    fn corrupted_work_is_reported() {
        assert!(load_text("{not json", None)
            .unwrap_err()
            .contains("not a readable scenario"));
        assert!(load_text(r#"{"format":"x"}"#, None)
            .unwrap_err()
            .contains("not valid"));
    }
}
