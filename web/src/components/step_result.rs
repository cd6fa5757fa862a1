//! What the outcome says about each step, for its row: the summary chip, a call's effective
//! level and package, and the mark of a row with problems.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::path::StepPath;

/// What the outcome says about one step, for its row.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub summary: Rc<str>,
    /// `ok`, `fail` or `anon`.
    pub class: &'static str,
    /// For calls: the package, level and delegation the core used.
    pub used: Option<Rc<str>>,
    /// For calls: the level the callee got and the package, inline on the row
    /// (`→ impersonate · Kerberos`), from the event.
    pub level: Option<Rc<str>>,
}

/// Results by step path. Keyed by the parsed path, so that the chain's rows look theirs up
/// without spelling each path out on every render.
pub type StepResults = HashMap<StepPath, StepResult>;

/// The result of every step of an outcome (its first event; `return` events are skipped).
pub fn step_results(outcome: &impersonation_core::Outcome) -> StepResults {
    let mut out = StepResults::new();
    for e in &outcome.events {
        if e.action == "return" {
            continue;
        }
        let Some(step) = StepPath::parse(&e.step) else {
            continue;
        };
        out.entry(step).or_insert_with(|| {
            let used = (e.action == "call").then(|| {
                let mut parts: Vec<String> = Vec::new();
                if let Some(a) = e.authn {
                    parts.push(a.to_string());
                }
                if let Some(l) = e.authn_level {
                    parts.push(l.to_string());
                }
                if let Some(d) = e.delegation {
                    parts.push(format!("delegation: {d}"));
                }
                Rc::from(parts.join(" · "))
            });
            StepResult {
                summary: Rc::from(super::present::summary(e)),
                class: super::present::status_class(e),
                used,
                level: inline_level(e),
            }
        });
    }
    out
}

/// A call's effective level and package as its row shows them: `→ impersonate · Kerberos`
/// (either part alone when the event has only one of them).
pub fn inline_level(e: &impersonation_core::Event) -> Option<Rc<str>> {
    if e.action != "call" {
        return None;
    }
    let level = match e.seen_level {
        Some(Some(l)) => Some(l.as_str()),
        _ => None,
    };
    let package = impersonation_core::diagram::text::package_text(e);
    let text = match (level, package) {
        (Some(l), Some(p)) => format!("→ {l} · {p}"),
        (Some(x), None) | (None, Some(x)) => format!("→ {x}"),
        (None, None) => return None,
    };
    Some(text.into())
}

/// The mark of a row that a problem concerns: "⚠", named "2 problems" for assistive technology.
pub fn problem_mark(n: usize) -> Html {
    if n == 0 {
        return html! {};
    }
    let name = format!(
        "{} in this step",
        impersonation_core::text::count(n, "problem")
    );
    html! { <span class="mark" role="img" aria-label={name.clone()} title={name}>{ "⚠" }</span> }
}

/// What the outcome says about a row: a call's effective level and package, and the summary
/// chip.
pub fn result_bits(res: Option<&StepResult>) -> Html {
    let Some(res) = res else { return html! {} };
    html! {
        <>
        if let Some(level) = &res.level {
            <span class="eff" title="The level the callee got, and the package (from the result)">{ level.to_string() }</span>
        }
        <span class={classes!("chip", res.class)} title={res.summary.to_string()}>{ res.summary.to_string() }</span>
        </>
    }
}
