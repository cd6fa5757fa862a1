//! The readable trace printed by `impsim run FILE --text`: one block per event, indented by
//! nesting, with the identity after the step, the explanation and the rules; then the verdict on
//! each expectation.

use std::fmt::Write;

use crate::model::{Event, Outcome, Scenario, Vocabulary};

/// Renders an outcome as text.
pub fn render(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut out = String::with_capacity(outcome.events.len() * 200 + 100);
    let _ = writeln!(out, "{}", scenario.title);
    if let Some(d) = &scenario.description {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(out);
    for e in &outcome.events {
        event(&mut out, e);
    }
    let failed = outcome
        .events
        .iter()
        .filter(|e| e.status != crate::model::Status::Ok)
        .count();
    let _ = writeln!(
        out,
        "{}, {failed} not ok",
        count(outcome.events.len(), "event")
    );
    for x in &outcome.expectations {
        let _ = writeln!(
            out,
            "expect \"{}\" {}: {}, want {}, got {}",
            x.label,
            x.field,
            if x.met { "met" } else { "UNMET" },
            x.want.as_deref().unwrap_or("null"),
            x.got.as_deref().unwrap_or("null")
        );
    }
    out
}

fn event(out: &mut String, e: &Event) {
    let indent = "  ".repeat(e.detail.depth.min(40) as usize);
    let status = if e.status == crate::model::Status::Ok {
        "ok".to_string()
    } else {
        format!("FAILED {}", e.status)
    };
    let label = e
        .label
        .as_deref()
        .map(|l| format!(" \"{l}\""))
        .unwrap_or_default();
    let head = match (e.action, &e.to) {
        ("call", Some(to)) => format!("{} call → {to}", e.process),
        (action, _) => format!("{} {action}", e.process),
    };
    let level = match e.level {
        Some(l) => format!(" @{l}"),
        None => " (process token)".into(),
    };
    let _ = writeln!(
        out,
        "{indent}{head}{label}: {status}   [thread: {}{level}]",
        e.identity
    );
    if e.action == "call" {
        let seen = match &e.seen_as {
            Some(Some(s)) => s.clone(),
            _ => "nobody".into(),
        };
        let seen_level = match e.seen_level {
            Some(Some(l)) => format!(" @{l}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{indent}    sees {seen}{seen_level}  via {} / {} / delegation {}",
            e.authn.map_or("-", |a| a.as_str()),
            e.authn_level.map_or("-", |l| l.as_str()),
            e.delegation.map_or("-", |d| d.as_str())
        );
    } else if let Some(Some(seen)) = &e.seen_as {
        let _ = writeln!(out, "{indent}    remote side sees {seen}");
    }
    if let Some(k) = e.kdc_status {
        let _ = writeln!(out, "{indent}    KDC: {k}");
    }
    if !e.explain.is_empty() {
        let _ = writeln!(out, "{indent}    {}", e.explain);
    }
    if let Some(s) = &e.setting {
        let _ = writeln!(out, "{indent}    setting: {} ({})", s.label, s.path);
    }
    let _ = writeln!(
        out,
        "{indent}    rules: {}   ({})",
        crate::rules::RuleId::join(&e.rules, ", "),
        e.step
    );
}

/// A count and its noun, singular or plural: "1 step", "3 steps" (nouns whose plural adds s).
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
