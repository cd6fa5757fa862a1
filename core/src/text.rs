//! The readable trace printed by `impsim run FILE --text`.
use crate::model::Outcome;

/// One line per event, indented by nesting.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for e in &outcome.events {
        out.push_str(&format!("{} {} {}\n", e.step, e.action, e.status));
    }
    out
}
