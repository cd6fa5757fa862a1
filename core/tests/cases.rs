//! The worked cases: one data-driven test over every file in `tests/cases/` (format in
//! `tests/cases/README.md`), run natively by `cargo test` and in wasm by `wasm-pack test`
//! (Node and headless Chrome).

use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

const CASE_FIELDS: &[&str] = &["case", "about", "rules", "scenario", "expect"];
const EXPECT_FIELDS: &[&str] = &[
    "label",
    "do",
    "status",
    "identity",
    "level",
    "to",
    "authn",
    "authn_level",
    "seen_as",
    "seen_level",
    "delegation",
    "kdc_status",
    "rules_include",
    "explain_contains",
];

/// Runs one case; every failed expectation is reported, not just the first.
fn run_case(name: &str, text: &str) -> Vec<String> {
    let mut fails = Vec::new();
    let case: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![format!("{name}: not JSON: {e}")],
    };
    let Some(obj) = case.as_object() else {
        return vec![format!("{name}: a case is an object")];
    };
    for k in obj.keys() {
        if !CASE_FIELDS.contains(&k.as_str()) {
            fails.push(format!("{name}: unknown field {k:?}"));
        }
    }
    let Some(scenario) = obj.get("scenario") else {
        return vec![format!("{name}: missing \"scenario\"")];
    };
    let scenario = match impersonation_core::parse(&scenario.to_string()) {
        Ok(s) => s,
        Err(e) => return vec![format!("{name}: invalid scenario:\n{e}")],
    };
    let outcome = impersonation_core::simulate(&scenario);
    let json = serde_json::to_value(&outcome).expect("outcome serializes");
    let events = json["events"].as_array().cloned().unwrap_or_default();
    let expect = obj.get("expect").and_then(Value::as_array).cloned();
    let Some(expect) = expect.filter(|e| !e.is_empty()) else {
        return vec![format!("{name}: \"expect\" must be a non-empty array")];
    };
    for (i, exp) in expect.iter().enumerate() {
        let Some(exp) = exp.as_object() else {
            fails.push(format!("{name}: expect[{i}] is not an object"));
            continue;
        };
        for k in exp.keys() {
            if !EXPECT_FIELDS.contains(&k.as_str()) {
                fails.push(format!("{name}: expect[{i}]: unknown field {k:?}"));
            }
        }
        let Some(label) = exp.get("label").and_then(Value::as_str) else {
            fails.push(format!("{name}: expect[{i}] needs a \"label\""));
            continue;
        };
        let want_do = exp.get("do").and_then(Value::as_str);
        let found = events.iter().find(|e| {
            e["label"].as_str() == Some(label)
                && match want_do {
                    Some(d) => e["do"].as_str() == Some(d),
                    None => e["do"].as_str() != Some("return"),
                }
        });
        let Some(event) = found else {
            fails.push(format!(
                "{name}: no event labelled {label:?}{} (was the step reached?)",
                want_do
                    .map(|d| format!(" with do {d:?}"))
                    .unwrap_or_default()
            ));
            continue;
        };
        for (k, want) in exp {
            match k.as_str() {
                "label" | "do" => {}
                "rules_include" => {
                    let have = event["rules"].as_array().cloned().unwrap_or_default();
                    for r in want.as_array().into_iter().flatten() {
                        if !have.contains(r) {
                            fails.push(format!(
                                "{name} [{label}]: rules {have:?} lack {r}\n    explain: {}",
                                event["explain"]
                            ));
                        }
                    }
                }
                "explain_contains" => {
                    let text = event["explain"].as_str().unwrap_or("");
                    if !text.contains(want.as_str().unwrap_or("\u{0}")) {
                        fails.push(format!("{name} [{label}]: explain {text:?} lacks {want}"));
                    }
                }
                field => {
                    let have = event.get(field).unwrap_or(&Value::Null);
                    if have != want {
                        fails.push(format!(
                            "{name} [{label}]: {field} is {have}, expected {want}\n    explain: {}",
                            event["explain"]
                        ));
                    }
                }
            }
        }
    }
    fails
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn worked_cases() {
    assert!(
        CASES.len() >= 20,
        "expected the worked cases of cases.md, found {} files",
        CASES.len()
    );
    let mut fails = Vec::new();
    for (name, text) in CASES {
        fails.extend(run_case(name, text));
    }
    assert!(
        fails.is_empty(),
        "{} of {} cases have failures:\n{}",
        fails.len(),
        CASES.len(),
        fails.join("\n")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_wrong_expectation_is_caught() {
    // The runner itself must be able to fail: flip one expectation of a real case.
    let (name, text) = CASES.first().expect("at least one case");
    let mut case: Value = serde_json::from_str(text).expect("case is JSON");
    let first = &mut case["expect"][0];
    first["status"] = Value::String("NOT_A_STATUS".into());
    let fails = run_case(name, &case.to_string());
    assert!(
        fails.iter().any(|f| f.contains("NOT_A_STATUS")),
        "a wrong status went unnoticed: {fails:?}"
    );
}
