//! The autosave format in localStorage, as pure functions (the hook does the I/O).
//!
//! `{"app":"impersonation-playground","v":1,"dirty":true,"scenario":{...}}`: the scenario in
//! its exchange format, and whether it holds edits not yet exported or shared.

use impersonation_core::Scenario;
use serde_json::Value;

/// The localStorage key of the saved work.
pub const KEY: &str = "impersonation-playground/work";
/// Where saved work that could not be read is moved, so that autosave never destroys it.
pub const BACKUP_KEY: &str = "impersonation-playground/unreadable-work";
/// The theme preference: `light`, `dark` or absent (follow the system).
pub const THEME_KEY: &str = "impersonation-playground/theme";

/// Saved work read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub scenario: Scenario,
    pub dirty: bool,
}

/// The text to store for a scenario whose JSON is `json`.
pub fn save_text(json: &str, dirty: bool) -> String {
    format!(r#"{{"app":"impersonation-playground","v":1,"dirty":{dirty},"scenario":{json}}}"#)
}

/// Reads saved work; the error is a sentence for the person.
pub fn load_text(text: &str) -> Result<Saved, String> {
    let value: Value = impersonation_core::model::decode::parse_json(text)
        .map_err(|e| format!("it is not readable JSON ({e})"))?;
    let Some(obj) = value.as_object() else {
        return Err("it is not a saved playground session".into());
    };
    if obj.get("app").and_then(Value::as_str) != Some("impersonation-playground") {
        return Err("it is not a saved playground session".into());
    }
    let Some(scenario) = obj.get("scenario") else {
        return Err("it holds no scenario".into());
    };
    let scenario = impersonation_core::model::decode::from_value(scenario).map_err(|e| {
        let first: Vec<String> = e.problems().iter().take(3).map(|p| p.to_string()).collect();
        format!("its scenario is not valid ({})", first.join("; "))
    })?;
    let dirty = obj.get("dirty").and_then(Value::as_bool).unwrap_or(true);
    Ok(Saved { scenario, dirty })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_work_round_trips() {
        let s = Scenario::blank();
        let text = save_text(&s.to_json_string(), true);
        assert_eq!(
            load_text(&text),
            Ok(Saved {
                scenario: s,
                dirty: true
            })
        );
    }

    #[test]
    fn corrupted_work_is_reported() {
        assert!(load_text("{not json")
            .unwrap_err()
            .contains("not readable JSON"));
        assert!(load_text("[]").unwrap_err().contains("not a saved"));
        assert!(
            load_text(r#"{"app":"impersonation-playground","scenario":{"format":"x"}}"#)
                .unwrap_err()
                .contains("not valid")
        );
    }
}
