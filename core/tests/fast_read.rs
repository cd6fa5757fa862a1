//! The fast reader (feature `fast-read`, model/fast.rs) against the tree decoder: on every
//! scenario file of the tests and presets, on synthetic scenarios, and on thousands of mutated
//! scenarios (wrong types, unknown and duplicate fields, empty names, escaped keys, cut texts),
//! `parse` gives exactly what the tree decoder alone gives: the same scenario, or the same
//! problems with the same paths and messages. And the fast reader does take every valid file
//! (it would be no use otherwise).
#![cfg(all(feature = "fast-read", not(target_arch = "wasm32")))]

use std::path::Path;

use impersonation_core::model::decode::{from_json_str_fast, from_json_str_thorough};
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;
use common::Rng;

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/cases", "presets"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("corpus dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let mut text = std::fs::read_to_string(&path).expect("read");
                // A test case holds its scenario under "scenario".
                let v: Value = serde_json::from_str(&text).expect("JSON");
                if let Some(s) = v.get("scenario") {
                    text = serde_json::to_string_pretty(s).expect("serializes");
                }
                files.push((path.display().to_string(), text));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 30, "corpus too small: {}", files.len());
    for n in [1, 12, 100, 1_000] {
        let text = impersonation_core::synthetic::wide(n).to_json_string();
        files.push((format!("synthetic::wide({n})"), text));
    }
    files
}

/// Both readers, compared; the fast one's result.
fn same(name: &str, text: &str) -> Result<(), String> {
    let fast = impersonation_core::parse(text);
    let thorough = from_json_str_thorough(text);
    if fast != thorough {
        return Err(format!(
            "{name}: readers differ\nfast:     {fast:?}\nthorough: {thorough:?}\ntext: {text}"
        ));
    }
    Ok(())
}

#[test]
fn every_scenario_file_reads_the_same_and_fast() {
    for (name, text) in corpus() {
        same(&name, &text).unwrap();
        let thorough = from_json_str_thorough(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            from_json_str_fast(&text).as_ref(),
            Some(&*thorough),
            "{name}: the fast reader gave up on a valid file"
        );
    }
}

#[test]
fn a_large_synthetic_scenario_reads_the_same() {
    let s = impersonation_core::synthetic::wide(100_000);
    let text = s.to_json_string();
    assert_eq!(from_json_str_fast(&text).as_ref(), Some(&s));
    assert_eq!(
        impersonation_core::parse(&text).map(|c| c.into_inner()),
        Ok(s)
    );
}

#[test]
fn deep_chains_are_left_to_the_tree_decoder_and_read_the_same() {
    let s = impersonation_core::synthetic::deep(300);
    let text = s.to_json_string();
    assert_eq!(from_json_str_fast(&text), None);
    assert_eq!(
        impersonation_core::parse(&text).map(|c| c.into_inner()),
        Ok(s)
    );
}

#[test]
fn invalid_steps_give_the_tree_decoders_messages() {
    let base = r#"{"format":"impersonation-scenario/1","title":"t","machines":["WS1"],
        "accounts":{"alice":{}},"processes":{"client":{"machine":"WS1","account":"alice"}},
        "run":{"process":"client","steps":STEPS}}"#;
    for steps in [
        r#"[{"do":"whoami","colour":1}]"#,
        r#"[{"do":"whoami","do":"revert"}]"#,
        r#"[{"do":"call","to":" "}]"#,
        r#"[{"do":"call","to":"client","api":"ftp"}]"#,
        r#"[{"do":"call","to":"nobody"}]"#,
        r#"[{"do":"fly"}]"#,
        r#"[{"label":"x"}]"#,
        r#"[{"do":"access","resource":7}]"#,
        r#"[{"do":"duplicate_token"}]"#,
        r#"[{"do":"open_thread_token","as_self":"yes"}]"#,
        r#"[{"do":"call","to":"client","meanwhile":[{"from":"client","do":"call"}]}]"#,
        r#"{"do":"whoami"}"#,
        r#"[{"do":"whoami"},]"#,
    ] {
        let text = base.replace("STEPS", steps);
        assert!(impersonation_core::parse(&text).is_err(), "{steps}");
        same(steps, &text).unwrap();
    }
}

const KEYS: [&str; 24] = [
    "do",
    "label",
    "to",
    "from",
    "api",
    "transport",
    "authn",
    "authn_level",
    "imp_level",
    "mutual_auth",
    "spn",
    "cloaking",
    "tracking",
    "ignore_delegate_failure",
    "proxy",
    "steps",
    "meanwhile",
    "account",
    "resource",
    "as_self",
    "level",
    "process",
    "colour",
    "run",
];

fn any_value(rng: &mut Rng) -> Value {
    let words = [
        "",
        " ",
        "call",
        "whoami",
        "impersonate",
        "set_blanket",
        "logon_user",
        "access",
        "duplicate_token",
        "open_thread_token",
        "none",
        "default",
        "delegate",
        "identify",
        "impersonate",
        "rpc",
        "pipe",
        "com",
        "ncalrpc",
        "kerberos",
        "dynamic",
        "static",
        "connect",
        "primary",
        "client",
        "web",
        "B",
        "C",
        "x\ny",
        "é",
    ];
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 => json!(1),
        4 => json!([]),
        5 => json!({}),
        6 => json!([{"do": "whoami"}]),
        7 => json!({"do": "revert"}),
        _ => json!(words[rng.below(words.len())]),
    }
}

/// Every value of the tree, depth first, as a path of keys and indices.
fn nodes(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(json!(k));
                nodes(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(json!(i));
                nodes(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Value::String(k) => cur.get_mut(k.as_str()).expect("key"),
            _ => cur
                .get_mut(seg.as_u64().expect("index") as usize)
                .expect("index"),
        };
    }
    cur
}

/// One random change to a scenario's JSON, as text.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut v: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("corpus is JSON");
    let mut all = Vec::new();
    nodes(&v, &mut Vec::new(), &mut all);
    // Mostly inside run.steps, where the fast reader works.
    let in_steps: Vec<&Vec<Value>> = all
        .iter()
        .filter(|p| p.len() >= 2 && p[0] == json!("run") && p[1] == json!("steps"))
        .collect();
    let path = if !in_steps.is_empty() && rng.below(4) != 0 {
        in_steps[rng.below(in_steps.len())].clone()
    } else {
        all[rng.below(all.len())].clone()
    };
    let node = at(&mut v, &path);
    match rng.below(8) {
        0..=2 => *node = any_value(rng),
        3 => match node {
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(rng.below(m.len())).cloned().expect("key");
                m.shift_remove(&k);
            }
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                a.remove(i);
            }
            other => *other = any_value(rng),
        },
        4 | 5 => match node {
            Value::Object(m) => {
                let k = KEYS[rng.below(KEYS.len())];
                m.insert(k.to_string(), any_value(rng));
            }
            Value::Array(a) => {
                let item = any_value(rng);
                a.insert(rng.below(a.len() + 1), item);
            }
            other => *other = any_value(rng),
        },
        _ => {}
    }
    let mut out = serde_json::to_string(&v).expect("serializes");
    // Text-level changes a tree cannot make.
    match rng.below(10) {
        0 => {
            // A duplicate key: repeat the first entry of some object.
            let opens: Vec<usize> = out.match_indices("{\"").map(|(i, _)| i).collect();
            if let Some(&i) = opens.get(rng.below(opens.len().max(1))) {
                if let Some(end) = out[i..].find([',', '}']) {
                    let entry = out[i + 1..i + end].to_string();
                    if !entry.is_empty() && out.as_bytes()[i + end] == b',' {
                        out.insert_str(i + 1, &format!("{entry},"));
                    }
                }
            }
        }
        1 => out = out.replacen("\"do\"", "\"d\\u006f\"", 1 + rng.below(3)),
        2 => out = out.replacen("\"whoami\"", "\"who\\u0061mi\"", 1),
        3 => {
            // At a character's boundary: `truncate` panics inside one (a BOM, a non-ASCII name).
            let mut cut = rng.below(out.len());
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
        }
        4 => out = format!("\u{feff}{out}"),
        _ => {}
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn mutated_scenarios_read_the_same(seed in any::<u64>(), pick in any::<usize>()) {
        let files = corpus_small();
        let (name, text) = &files[pick % files.len()];
        let mut rng = Rng(seed | 1);
        let mut text = text.clone();
        for _ in 0..1 + rng.below(3) {
            text = mutate(&text, &mut rng);
            if serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')).is_err() {
                break;
            }
        }
        if let Err(e) = same(name, &text) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The corpus without the large synthetic scenarios (mutations walk the whole tree).
fn corpus_small() -> &'static [(String, String)] {
    static FILES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        corpus()
            .into_iter()
            .filter(|(_, t)| t.len() < 20_000)
            .collect()
    })
}
