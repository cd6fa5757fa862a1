//! One step schema (issue #14): every field the schema lists for a kind of step or a `meanwhile`
//! entry, set on a step through the schema, is written by the encoder, read back the same by the
//! fast reader and by the tree decoder, and left out at its default; and the two readers know
//! nothing of each other (`model/read.rs` picks between them).
#![cfg(not(target_arch = "wasm32"))]

use impersonation_core::model::schema::{Entry, Got, Shape, StepFields, Val};
use impersonation_core::model::{
    Api, Call, Meanwhile, Scenario, Step, StepField, StepKind, Vocabulary,
};

/// Two processes on one machine, a resource, and a first call to `server` through proxy `P`
/// (which a set_blanket step may name).
fn base() -> Scenario {
    let text = r#"{
      "format": "impersonation-scenario/1",
      "title": "schema",
      "machines": ["WS1"],
      "accounts": {"alice": {}},
      "processes": {
        "client": {"machine": "WS1", "account": "alice"},
        "server": {"machine": "WS1", "account": "alice"}
      },
      "resources": {"share": {"machine": "WS1", "allow": ["alice"]}},
      "run": {"process": "client", "steps": [{"do": "call", "to": "server", "proxy": "P"}]}
    }"#;
    impersonation_core::parse(text)
        .expect("the base scenario is valid")
        .into_inner()
}

/// The values a field could take on a step that makes sense: names of the base scenario's
/// processes, account, resource and proxy, every word of a vocabulary, `true`, a step.
fn candidates(f: StepField) -> Vec<Val<'static>> {
    match f.shape() {
        Shape::Name => ["server", "alice", "share", "P"].map(Val::Str).to_vec(),
        Shape::Text => vec![Val::Str("HOST/WS1"), Val::Str("")],
        Shape::Word(words) => words.iter().map(|w| Val::Str(w)).collect(),
        Shape::Flag => vec![Val::Flag(true)],
        Shape::Steps => vec![Val::Steps(vec![Step {
            label: None,
            action: StepKind::Whoami.blank(),
        }])],
        Shape::Calls => vec![Val::Calls(vec![Meanwhile {
            label: None,
            call: Call::new("server"),
        }])],
    }
}

/// The entry under test with `f` set to `v` (and its required names filled, and a call's `api`),
/// as the scenario's second step or as the first call's meanwhile entry.
fn with_field(entry: Entry, f: StepField, v: Val, api: Api) -> Option<Scenario> {
    let mut s = base();
    match entry {
        Entry::Step(ref kind) => {
            let mut step = Step {
                label: None,
                action: kind.blank(),
            };
            for &r in entry.fields().iter().filter(|r| entry.requires(**r)) {
                let name = match r {
                    StepField::To => "server",
                    StepField::Account => "alice",
                    StepField::Resource => "share",
                    StepField::Proxy => "P",
                    _ => continue,
                };
                step.set(r, Val::Str(name))?;
            }
            if *kind == StepKind::Call {
                step.set(StepField::Api, Val::Str(api.as_str()))?;
            }
            step.set(f, v)?;
            s.run.steps.push(step);
        }
        Entry::Meanwhile => {
            let mut m = Meanwhile {
                label: None,
                call: Call::new("server"),
            };
            m.call.api = api;
            m.set(f, v)?;
            let impersonation_core::model::Action::Call(first) = &mut s.run.steps[0].action else {
                unreachable!("the base's first step is a call")
            };
            first.meanwhile.push(m);
        }
    }
    Some(s)
}

fn entries() -> Vec<Entry> {
    let mut all: Vec<Entry> = StepKind::ALL.iter().map(|k| Entry::Step(*k)).collect();
    all.push(Entry::Meanwhile);
    all
}

#[test]
fn every_field_of_the_schema_round_trips_through_the_encoder_and_both_readers() {
    let mut unchecked = Vec::new();
    for entry in entries() {
        for &f in entry.fields() {
            if f == StepField::Do {
                continue;
            }
            let mut written = false;
            let mut valid = false;
            for (v, api) in candidates(f)
                .into_iter()
                .flat_map(|v| [(v.clone(), Api::Com), (v, Api::Rpc)])
            {
                let Some(s) = with_field(entry, f, v, api) else {
                    continue;
                };
                let text = s.to_json_pretty();
                let held = match entry {
                    Entry::Step(_) => s.run.steps[1].get(f),
                    Entry::Meanwhile => match &s.run.steps[0].action {
                        impersonation_core::model::Action::Call(c) => c.meanwhile[0].get(f),
                        _ => unreachable!(),
                    },
                };
                let key = format!("\"{}\":", f.as_str());
                // What differs from the default is written; the default is left out.
                assert_eq!(
                    held.is_some(),
                    text.matches(&key).count() > usize::from(f == StepField::Proxy),
                    "{entry:?} {f:?}: {text}"
                );
                written |= held.is_some();
                let fast = impersonation_core::model::decode::from_json_str_fast(&text);
                assert_eq!(fast.as_ref(), Some(&s), "{entry:?} {f:?}: the fast reader");
                let thorough = impersonation_core::model::decode::from_json_str_thorough(&text);
                assert_eq!(
                    impersonation_core::parse(&text),
                    thorough,
                    "{entry:?} {f:?}"
                );
                if let Ok(checked) = thorough {
                    assert_eq!(checked.into_inner(), s, "{entry:?} {f:?}: the tree decoder");
                    valid = true;
                }
            }
            assert!(
                written,
                "{entry:?} {f:?}: no value of the field was written"
            );
            if !valid {
                unchecked.push(format!("{entry:?} {f:?}"));
            }
        }
    }
    // A meanwhile entry's own meanwhile calls are read (and then refused by validation).
    assert_eq!(unchecked, ["Meanwhile Meanwhile"]);
}

#[test]
fn a_step_holds_what_it_is_given_and_clearing_restores_the_blank() {
    for kind in StepKind::ALL {
        let entry = Entry::Step(*kind);
        let blank = with_field(entry, StepField::Label, Val::Str("x"), Api::Com)
            .map(|mut s| {
                s.run.steps[1].clear(StepField::Label);
                s
            })
            .expect("a blank step");
        for &f in entry.fields() {
            if f == StepField::Do || entry.requires(f) {
                continue;
            }
            for v in candidates(f) {
                let want = match &v {
                    Val::Str(t) => Got::Str(t),
                    Val::Flag(on) => Got::Flag(*on),
                    Val::Steps(list) => Got::Steps(list),
                    Val::Calls(list) => Got::Calls(list),
                };
                let mut s =
                    with_field(entry, f, v.clone(), Api::Com).expect("the field is the kind's");
                let held = s.run.steps[1].get(f);
                // Either the step holds the value, or the value is the field's default.
                assert!(
                    held == Some(want) || (held.is_none() && s == blank),
                    "{kind:?} {f:?} = {v:?} holds {held:?}"
                );
                s.run.steps[1].clear(f);
                assert_eq!(s, blank, "{kind:?} {f:?}: cleared");
            }
        }
    }
}

/// `use super::decode`, `decode::...`, `super::fast`, `fast::...` outside comments.
fn names(source: &str, module: &str) -> bool {
    source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .any(|code| {
            code.contains(&format!("super::{module}"))
                || code.contains(&format!("{module}::"))
                || code.contains(&format!("model::{module}"))
        })
}

#[test]
fn the_tree_decoder_and_the_fast_reader_do_not_import_each_other() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("a model source");
    let (decode, fast, chooser) = (read("decode.rs"), read("fast.rs"), read("read.rs"));
    assert!(!names(&decode, "fast"), "decode.rs names the fast reader");
    assert!(!names(&fast, "decode"), "fast.rs names the tree decoder");
    assert!(names(&chooser, "fast") && names(&chooser, "decode"));
    // Neither spells a step's field list: both read the schema.
    for source in [&decode, &fast] {
        assert!(source.contains("schema::"));
        assert!(!source.contains("\"ignore_delegate_failure\""));
    }
}
