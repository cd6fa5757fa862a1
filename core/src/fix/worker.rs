//! The fix finder for the playground's Web Worker (feature `fix-worker`, wasm32 only): the
//! playground's own wasm leaves [`find`](super::find) out (about 21 KB after gzip) and loads this
//! module on demand, built by `scripts/fixer.sh` into `dist/fixer/`. One export, JSON text in and
//! out, so that nothing else of the JavaScript API (serde-wasm-bindgen, the rule texts, the
//! presets) comes along.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{Change, Limits};
use crate::model::Expectation;
use crate::review::Finding;

/// A proposal without its outcome: the worker applies the changes and the playground simulates
/// the result itself, so the outcome would only travel.
#[derive(Serialize)]
struct Lean<'a> {
    changes: &'a [Change],
    expectations: &'a [Expectation],
    findings_added: &'a [Finding],
    findings_removed: &'a [Finding],
}

#[derive(Serialize)]
struct Answer<'a> {
    format: &'static str,
    proposals: Vec<Lean<'a>>,
    explain: &'a str,
}

/// `impsim fix --json`'s answer for the scenario's JSON text (SPEC §8.4) without each
/// proposal's `outcome`, at most `max_changes` changes per set (1 to 10; SPEC §8.2's defaults
/// otherwise). Throws the scenario's problems, one `path: message` line each.
#[wasm_bindgen]
pub fn fixes(scenario: &str, max_changes: u32) -> Result<String, JsError> {
    let checked = crate::parse(scenario).map_err(|e| JsError::new(&e.to_string()))?;
    let mut limits = Limits::default();
    if (1..=10).contains(&max_changes) {
        limits.max_changes = max_changes as usize;
    }
    let found = super::find(&checked, limits);
    let answer = Answer {
        format: found.format,
        proposals: found
            .proposals
            .iter()
            .map(|p| Lean {
                changes: &p.changes,
                expectations: &p.expectations,
                findings_added: &p.findings_added,
                findings_removed: &p.findings_removed,
            })
            .collect(),
        explain: &found.explain,
    };
    serde_json::to_string(&answer).map_err(|e| JsError::new(&e.to_string()))
}
