//! The core's step schema drives the playground's editor (issue #14): every field the schema
//! lists for a kind of step or a meanwhile entry, sent as a `SetField` edit with the value its
//! control reports, is what the step then holds by the schema; `""` (or an unchecked box) puts it
//! back at its default. Structure (`steps`, `meanwhile`) and the kind (`do`) have edits of their
//! own. Natively and in the browser.

use impersonation_core::model::schema::{Entry, Got, Shape, StepFields};
use impersonation_core::model::{Scenario, StepField, StepKind, Vocabulary};
use impersonation_web::state::apply::apply;
use impersonation_web::state::path::{meanwhile_at_mut, step_at, StepPath};
use impersonation_web::state::{Edit, Key, Place, Value};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// A blank scenario with a second process, `server`.
fn scenario() -> Scenario {
    let mut s = Scenario::blank();
    let mut server = s.processes["client"].clone();
    server.account = "LocalSystem".into();
    s.processes.insert("server".into(), server);
    s
}

/// What an entry holds in a field, owned (the scenario changes between two looks).
#[derive(Debug, PartialEq)]
enum Held {
    Str(String),
    Flag(bool),
}

fn held(s: &mut Scenario, at: &StepPath, f: StepField) -> Option<Held> {
    let got = if at.is_meanwhile() {
        meanwhile_at_mut(s, at)?.get(f)
    } else {
        step_at(s, at)?.get(f)
    };
    match got? {
        Got::Str(t) => Some(Held::Str(t.to_string())),
        Got::Flag(on) => Some(Held::Flag(on)),
        other => panic!("{f:?} holds {other:?}"),
    }
}

/// The value a control reports for `f` that differs from what the entry holds now.
fn other_value(f: StepField, now: Option<Held>) -> Value {
    match f.shape() {
        Shape::Flag => Value::Flag(now != Some(Held::Flag(true))),
        Shape::Word(words) => {
            let w = words
                .iter()
                .rev()
                .find(|w| now != Some(Held::Str(w.to_string())))
                .expect("a vocabulary has two words");
            Value::Text(w.to_string())
        }
        _ => Value::Text("server".into()),
    }
}

fn set(s: &mut Scenario, at: &StepPath, f: StepField, value: Value) {
    apply(
        s,
        &Edit::SetField {
            place: Place::Step(at.clone()),
            key: Key::Step(f),
            value,
        },
    );
}

/// Sets every field of the entry at `at` from its control and clears it again; how many.
fn every_field(s: &mut Scenario, at: &StepPath, entry: Entry) -> usize {
    let mut checked = 0;
    for &f in entry.fields() {
        let shape = f.shape();
        if f == StepField::Do || matches!(shape, Shape::Steps | Shape::Calls) {
            continue;
        }
        let value = other_value(f, held(s, at, f));
        let want = match &value {
            Value::Text(t) => Held::Str(t.clone()),
            Value::Flag(on) => Held::Flag(*on),
        };
        set(s, at, f, value);
        assert_eq!(held(s, at, f), Some(want), "{entry:?} {f:?} set");
        let before = held(s, at, f);
        let cleared = match shape {
            Shape::Flag => Value::Flag(false),
            _ => Value::Text(String::new()),
        };
        set(s, at, f, cleared);
        let after = held(s, at, f);
        match (entry.requires(f), shape) {
            // A required word has no blank, and an api always has a value.
            (true, Shape::Word(_)) => assert_eq!(after, before, "{entry:?} {f:?}"),
            _ if f == StepField::Api => assert_eq!(after, before, "{entry:?} {f:?}"),
            (true, _) => assert_eq!(after, Some(Held::Str(String::new())), "{entry:?} {f:?}"),
            (false, _) => assert_eq!(after, None, "{entry:?} {f:?} back at its default"),
        }
        checked += 1;
    }
    checked
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_field_of_every_kind_is_set_and_cleared_through_the_schema() {
    let mut total = 0;
    for kind in StepKind::ALL {
        let mut s = scenario();
        let at = apply(
            &mut s,
            &Edit::AddStep {
                parent: StepPath::root(),
                kind: kind.as_str().to_string(),
            },
        )
        .expect("a step is added");
        assert_eq!(step_at(&s, &at).map(|st| st.action.kind()), Some(*kind));
        total += every_field(&mut s, &at, Entry::Step(*kind));
    }
    let mut s = scenario();
    let call = apply(
        &mut s,
        &Edit::AddStep {
            parent: StepPath::root(),
            kind: "call".into(),
        },
    )
    .expect("a call is added");
    let mw = apply(
        &mut s,
        &Edit::AddMeanwhile {
            call,
            from: "server".into(),
        },
    )
    .expect("a meanwhile entry is added");
    total += every_field(&mut s, &mw, Entry::Meanwhile);
    // Every settable field of the schema was set: 13 of a call and of a meanwhile entry, 6 of a
    // set_blanket, 2 of each of five kinds with an operand and 1 of each of the three bare ones.
    assert_eq!(total, 13 + 13 + 6 + 2 * 5 + 3);
}
