//! The comparison's matching of events (`views::result::differences`), natively: every example
//! under each option switched, against a hash table keyed by step (what the view used before it
//! searched in order), and an outcome against itself.

use std::collections::HashMap;

use impersonation_core::{Event, Outcome};
use impersonation_web::views::result::differences;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

fn key(e: &Event) -> (&str, bool) {
    (e.step.as_str(), e.action == "return")
}

/// The marks of `a`'s events: no event with its key in `b`, or one that differs.
fn reference(a: &Outcome, b: &Outcome) -> Vec<bool> {
    let index: HashMap<(&str, bool), &Event> = b.events.iter().map(|e| (key(e), e)).collect();
    a.events
        .iter()
        .map(|e| {
            index.get(&key(e)).is_none_or(|o| {
                (&o.status, &o.identity, o.level, &o.seen_as, o.seen_level)
                    != (&e.status, &e.identity, e.level, &e.seen_as, e.seen_level)
            })
        })
        .collect()
}

fn presets() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "ntlm-double-hop",
            include_str!("../../core/presets/ntlm-double-hop.json"),
        ),
        ("rbcd", include_str!("../../core/presets/rbcd.json")),
        (
            "seed-apartment-nesting",
            include_str!("../../core/presets/seed-apartment-nesting.json"),
        ),
        (
            "traditional-nesting",
            include_str!("../../core/presets/traditional-nesting.json"),
        ),
        (
            "kcd-any-protocol",
            include_str!("../../core/presets/kcd-any-protocol.json"),
        ),
        (
            "cloaking-static-vs-dynamic",
            include_str!("../../core/presets/cloaking-static-vs-dynamic.json"),
        ),
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn differences_match_events_by_step_as_a_hash_table_would() {
    let mut differing = 0;
    for (id, json) in presets() {
        let checked = impersonation_core::parse(json).unwrap();
        let a = impersonation_core::simulate(&checked);
        let (same_a, same_b, none) = differences(&a, &a);
        assert!(
            same_a.iter().chain(&same_b).all(|m| !m),
            "{id}: an outcome differs from itself"
        );
        assert!(none.is_empty(), "{id}: {none:?}");
        for (name, _) in impersonation_core::model::Options::FIELDS {
            let mut options = checked.options;
            let on = options.get(name).unwrap();
            options.set(name, !on);
            let b = impersonation_core::simulate(&checked.clone().with_options(options));
            let (marks_a, marks_b, list) = differences(&a, &b);
            assert_eq!(
                marks_a,
                reference(&a, &b),
                "{id} with {name} switched: A's marks"
            );
            assert_eq!(
                marks_b,
                reference(&b, &a),
                "{id} with {name} switched: B's marks"
            );
            assert_eq!(
                list.len(),
                marks_a.iter().filter(|m| **m).count(),
                "{id} {name}"
            );
            differing += list.len();
        }
    }
    assert!(
        differing > 0,
        "no option changed any example: the test compares nothing"
    );
}
