//! `Checked::reread` (model/reread.rs) against reading the scenario's JSON text: on every scenario
//! file of the tests and presets, on synthetic scenarios, and on thousands of scenarios mutated
//! the way an editor can leave them (empty and blank names, `default` levels in `com`,
//! expectations empty, repeated, out of order or with values a field does not take, labels
//! repeated, deep chains), both give the same checked scenario or the same problems with the same
//! paths and messages. And the shortcut is taken for every valid file (it would be no use
//! otherwise).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use impersonation_core::model::{
    reads_back_unchanged, Action, AuthnLevel, Call, Delegation, Expect, ExpectField, ImpLevel,
    Meanwhile, Scenario, Step, Vocabulary,
};
use impersonation_core::{Checked, Error};

mod common;
use common::Rng;

fn corpus() -> Vec<(String, Scenario)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/cases", "presets"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("corpus dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let text = match v.get("scenario") {
                Some(s) => s.to_string(),
                None => text,
            };
            // Invalid files too: their scenario as far as it reads is a good start for mutations.
            if let Ok(s) = impersonation_core::parse(&text) {
                out.push((path.display().to_string(), s.into_inner()));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 30, "corpus too small: {}", out.len());
    for n in [1, 12, 100] {
        out.push((
            format!("synthetic::wide({n})"),
            impersonation_core::synthetic::wide(n),
        ));
    }
    out.push((
        "synthetic::deep(40)".into(),
        impersonation_core::synthetic::deep(40),
    ));
    out
}

/// Reading the JSON text, the reference.
fn by_text(s: &Scenario) -> Result<Checked, Error> {
    impersonation_core::parse(&s.to_json_string())
}

fn same(name: &str, s: &Scenario) {
    let quick = Checked::reread(s.clone());
    let text = by_text(s);
    assert_eq!(
        quick,
        text,
        "{name}: reread differs from reading the text\n{}",
        s.to_json_string()
    );
}

#[test]
fn every_scenario_file_is_checked_the_same_without_its_text() {
    for (name, s) in corpus() {
        assert!(
            reads_back_unchanged(&s),
            "{name}: the shortcut was not taken"
        );
        same(&name, &s);
    }
}

/// Every string of the scenario that the editor lets a person type, to mutate one.
fn strings(s: &mut Scenario) -> Vec<&mut String> {
    fn steps<'a>(list: &'a mut [Step], out: &mut Vec<&'a mut String>) {
        for step in list {
            out.extend(step.label.as_mut());
            match &mut step.action {
                Action::Call(c) => call(c, out),
                Action::LogonUser { account: n }
                | Action::Access { resource: n }
                | Action::AccessCheck { resource: n } => out.push(n),
                Action::SetBlanket(b) => out.push(&mut b.proxy),
                _ => {}
            }
        }
    }
    fn call<'a>(c: &'a mut Call, out: &mut Vec<&'a mut String>) {
        out.push(&mut c.peer);
        out.extend(c.spn.as_mut());
        out.extend(c.proxy.as_mut());
        steps(&mut c.steps, out);
        for m in &mut c.meanwhile {
            out.extend(m.label.as_mut());
            call(&mut m.call, out);
        }
    }
    let mut out: Vec<&mut String> = vec![&mut s.title, &mut s.domain];
    out.extend(s.description.as_mut());
    out.extend(s.machines.iter_mut());
    out.extend(s.domain_controllers.iter_mut());
    for a in s.accounts.values_mut() {
        out.extend(a.spns.iter_mut());
        out.extend(a.allowed_to_act.iter_mut());
        if let Delegation::Constrained { services, .. } = &mut a.delegation {
            out.extend(services.iter_mut());
        }
    }
    for p in s.processes.values_mut() {
        out.push(&mut p.machine);
        out.push(&mut p.account);
    }
    for r in s.resources.values_mut() {
        out.push(&mut r.machine);
        out.extend(r.allow.iter_mut());
        out.extend(r.spn.as_mut());
    }
    out.push(&mut s.run.process);
    steps(&mut s.run.steps, &mut out);
    for (label, _) in &mut s.expect {
        out.push(label);
    }
    out
}

const TEXTS: [&str; 6] = ["", " ", "\t\n", "x", "client", "a\"b\\c\u{1}"];

/// One change an editor can make, at a random place.
fn mutate(s: &mut Scenario, rng: &mut Rng) {
    match rng.below(9) {
        0..=2 => {
            let mut all = strings(s);
            if !all.is_empty() {
                let i = rng.below(all.len());
                *all[i] = (*rng.pick(&TEXTS)).to_string();
            }
        }
        3 => {
            // A table entry renamed (its key is a name too).
            let text = rng.pick(&TEXTS).to_string();
            let table = rng.below(3);
            let rename = |keys: Vec<String>, rng: &mut Rng| {
                (!keys.is_empty()).then(|| keys[rng.below(keys.len())].clone())
            };
            match table {
                0 => {
                    if let Some(k) = rename(s.accounts.keys().cloned().collect(), rng) {
                        let v = s.accounts.shift_remove(&k).unwrap();
                        s.accounts.insert(text, v);
                    }
                }
                1 => {
                    if let Some(k) = rename(s.processes.keys().cloned().collect(), rng) {
                        let v = s.processes.shift_remove(&k).unwrap();
                        s.processes.insert(text, v);
                    }
                }
                _ => {
                    if let Some(k) = rename(s.resources.keys().cloned().collect(), rng) {
                        let v = s.resources.shift_remove(&k).unwrap();
                        s.resources.insert(text, v);
                    }
                }
            }
        }
        4 => {
            if let Some(p) = s.processes.values_mut().next() {
                if rng.chance(50) {
                    p.com.authn_level = *rng.pick(&[AuthnLevel::Default, AuthnLevel::Call]);
                } else {
                    p.com.imp_level = *rng.pick(&[ImpLevel::Default, ImpLevel::Delegate]);
                }
            }
        }
        5 => {
            // Expectations: a new label, empty, or with fields repeated, swapped or odd values.
            let label = if s.expect.is_empty() || rng.chance(30) {
                let l = rng.pick(&["a", "b", " ", ""]).to_string();
                s.expect.push((l, Vec::new()));
                s.expect.len() - 1
            } else {
                rng.below(s.expect.len())
            };
            let list = &mut s.expect[label].1;
            for _ in 0..rng.below(3) {
                let field = *rng.pick(ExpectField::ALL);
                let want = rng.pick(&[None, Some("success"), Some("bogus"), Some("identify")]);
                list.push(Expect {
                    field,
                    want: want.map(str::to_string),
                });
            }
            if rng.chance(30) {
                list.reverse();
            }
        }
        6 => {
            // A label repeated as another expectation's.
            if let Some((l, x)) = s.expect.first().cloned() {
                s.expect.push((l, x));
            }
        }
        7 => {
            let step = Step {
                label: rng.chance(30).then(|| rng.pick(&TEXTS).to_string()),
                action: match rng.below(4) {
                    0 => Action::Whoami,
                    1 => Action::Access {
                        resource: rng.pick(&TEXTS).to_string(),
                    },
                    2 => Action::Call(Box::new(Call::new(*rng.pick(&TEXTS)))),
                    _ => Action::LogonUser {
                        account: "alice".into(),
                    },
                },
            };
            s.run.steps.push(step);
        }
        _ => {
            // A meanwhile call under the first call step.
            if let Some(Action::Call(c)) = s.run.steps.iter_mut().map(|x| &mut x.action).next() {
                c.meanwhile.push(Meanwhile {
                    label: rng.chance(50).then(|| rng.pick(&TEXTS).to_string()),
                    call: Call::new(*rng.pick(&TEXTS)),
                });
            }
        }
    }
}

#[test]
fn mutated_scenarios_are_checked_the_same_without_their_text() {
    let corpus = corpus();
    let mut rng = Rng(0x5eed_0013);
    let (mut quick, mut slow) = (0, 0);
    for round in 0..4_000 {
        let (name, base) = &corpus[round % corpus.len()];
        let mut s = base.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut s, &mut rng);
        }
        if reads_back_unchanged(&s) {
            quick += 1;
        } else {
            slow += 1;
        }
        same(&format!("{name}, round {round}"), &s);
    }
    // Both ways were exercised.
    assert!(quick > 500 && slow > 500, "quick {quick}, slow {slow}");
}

#[test]
fn nesting_near_the_readers_limit_goes_through_the_text() {
    // Deep chains recurse (reading, simulating, comparing, dropping): a thread with room for it.
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(deep_chains)
        .unwrap()
        .join()
        .unwrap();
}

fn deep_chains() {
    use impersonation_core::model::decode::MAX_DEPTH;
    for depth in [MAX_DEPTH / 4 - 4, MAX_DEPTH / 2 - 2, MAX_DEPTH / 2 + 2] {
        let s = impersonation_core::synthetic::deep(depth);
        same(&format!("deep({depth})"), &s);
    }
    assert!(reads_back_unchanged(&impersonation_core::synthetic::deep(
        MAX_DEPTH / 4 - 4
    )));
    let too_deep = impersonation_core::synthetic::deep(MAX_DEPTH / 2 + 2);
    assert!(!reads_back_unchanged(&too_deep));
    let e = Checked::reread(too_deep).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("$: nesting deeper than 4000 levels"),
        "{e}"
    );
}
