//! Expectations (SPEC §8.1): the scenario's `expect`, read with JSON-path problems, checked
//! against the first event of each label, reported in the outcome's `expectations` and written
//! back by the encoder. Runs natively and in wasm; the CLI's exit status is in `tests/cli.rs`.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

use impersonation_core::model::{Expectation, Vocabulary};

/// A small double hop: alice → web on APP1 (NTLM, Impersonate); web opens a share on FS1 and
/// calls db on DB1. `EXPECT` is replaced by the test's `expect` member.
const BASE: &str = r#"{
  "format": "impersonation-scenario/1",
  "title": "double hop",
  "machines": ["WS1", "APP1", "FS1", "DB1"],
  "accounts": { "alice": {}, "svcApp": {}, "svcDB": {} },
  "processes": {
    "browser": { "machine": "WS1", "account": "alice", "kind": "user" },
    "web": { "machine": "APP1", "account": "svcApp", "com": { "imp_level": "impersonate" } },
    "db": { "machine": "DB1", "account": "svcDB" },
    "local": { "machine": "APP1", "account": "LocalSystem" }
  },
  "resources": { "share": { "machine": "FS1", "allow": ["alice"] } },
  "run": { "process": "browser", "steps": [
    { "do": "call", "to": "web", "label": "hop1", "authn": "ntlm", "imp_level": "impersonate",
      "steps": [
        { "do": "impersonate", "label": "imp" },
        { "do": "access", "label": "share", "resource": "share" },
        { "do": "call", "to": "db", "label": "hop2", "cloaking": "dynamic",
          "steps": [ { "do": "whoami", "label": "never" } ] },
        { "do": "call", "to": "local", "label": "to-local" }
      ] }
  ] }EXPECT
}"#;

fn scenario(expect: &str) -> String {
    let member = if expect.is_empty() {
        String::new()
    } else {
        format!(",\n  \"expect\": {expect}")
    };
    BASE.replace("EXPECT", &member)
}

fn problems(expect: &str) -> Vec<String> {
    match impersonation_core::parse(&scenario(expect)) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
    }
}

fn verdicts(expect: &str) -> Vec<Expectation> {
    let s = impersonation_core::parse(&scenario(expect)).expect("valid");
    impersonation_core::simulate(&s).expectations
}

/// `(label, field, want, got, met)`, for compact assertions.
type Row = (String, &'static str, Option<String>, Option<String>, bool);

fn rows(expect: &str) -> Vec<Row> {
    verdicts(expect)
        .into_iter()
        .map(|x| (x.label, x.field.as_str(), x.want, x.got, x.met))
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn each_expectation_is_judged_on_its_labels_first_event() {
    let got = rows(
        r#"{
        "share": { "status": "ok", "seen_as": "alice" },
        "hop1": { "seen_as": "CORP\\ALICE", "seen_level": "impersonate", "authn": "ntlm",
                  "identity": "alice", "level": null, "delegation": "none" },
        "hop2": { "status": "fail" },
        "imp": { "identity": "corp\\alice", "level": "impersonate", "kdc_status": null },
        "to-local": { "seen_as": "svcapp", "delegation": "local", "status": "E_ACCESSDENIED" }
    }"#,
    );
    assert_eq!(
        got,
        vec![
            // The share sees ANONYMOUS LOGON and refuses it: both unmet.
            (
                "share".into(),
                "status",
                s("ok"),
                s("ERROR_ACCESS_DENIED"),
                false
            ),
            (
                "share".into(),
                "seen_as",
                s("alice"),
                s("NT AUTHORITY\\ANONYMOUS LOGON"),
                false
            ),
            // The call event, not its return (whose identity would be the same here but whose
            // seen_as is absent): the fields come in the format's order.
            (
                "hop1".into(),
                "identity",
                s("alice"),
                s("CORP\\alice"),
                true
            ),
            ("hop1".into(), "level", None, None, true),
            (
                "hop1".into(),
                "seen_as",
                s("CORP\\ALICE"),
                s("CORP\\alice"),
                true
            ),
            (
                "hop1".into(),
                "seen_level",
                s("impersonate"),
                s("impersonate"),
                true
            ),
            ("hop1".into(), "delegation", s("none"), s("none"), true),
            ("hop1".into(), "authn", s("ntlm"), s("ntlm"), true),
            (
                "hop2".into(),
                "status",
                s("fail"),
                s("E_ACCESSDENIED"),
                true
            ),
            (
                "imp".into(),
                "identity",
                s("corp\\alice"),
                s("CORP\\alice"),
                true
            ),
            (
                "imp".into(),
                "level",
                s("impersonate"),
                s("impersonate"),
                true
            ),
            ("imp".into(), "kdc_status", None, None, true),
            (
                "to-local".into(),
                "status",
                s("E_ACCESSDENIED"),
                s("ok"),
                false
            ),
            (
                "to-local".into(),
                "seen_as",
                s("svcapp"),
                s("CORP\\svcApp"),
                true
            ),
            (
                "to-local".into(),
                "delegation",
                s("local"),
                s("local"),
                true
            ),
        ]
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_step_that_never_ran_meets_nothing() {
    // hop2 fails, so its callee's whoami never runs: even an expected null is unmet.
    assert_eq!(
        rows(r#"{ "never": { "status": "fail", "level": null } }"#),
        vec![
            ("never".into(), "status", s("fail"), None, false),
            ("never".into(), "level", None, None, false),
        ]
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_outcome_lists_them_after_the_events_and_only_with_expect() {
    let text = scenario(r#"{ "hop2": { "status": "ok" } }"#);
    let outcome = impersonation_core::run_json(&text).expect("valid");
    assert!(outcome.unmet());
    let json = outcome.to_json_string();
    assert!(
        json.ends_with(
            r#"],"expectations":[{"label":"hop2","field":"status","want":"ok","got":"E_ACCESSDENIED","met":false}]}"#
        ),
        "{json}"
    );
    let plain = impersonation_core::run_json(&scenario("")).expect("valid");
    assert!(plain.expectations.is_empty() && !plain.unmet());
    assert!(!plain.to_json_string().contains("expectations"));
    // An empty `expect` is allowed and adds nothing.
    let empty = impersonation_core::run_json(&scenario("{}")).expect("valid");
    assert!(!empty.to_json_string().contains("expectations"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn bad_expectations_are_named_by_their_path() {
    assert_eq!(
        problems(r#"{ "nope": { "status": "ok" }, "share": { "status": "ok" } }"#),
        ["expect.nope: no step has the label \"nope\""]
    );
    assert_eq!(
        problems(r#"{ "share": { "colour": "red", "seen_as": 3, "status": null } }"#),
        [
            "expect.share.colour: unknown field; expected one of: status, identity, level, \
             seen_as, seen_level, delegation, authn, kdc_status",
            "expect.share.status: expected \"ok\", \"fail\", \"E_ACCESSDENIED\", \"E_INVALIDARG\", \
             \"E_FAIL\", \"ERROR_ACCESS_DENIED\", \"ERROR_BAD_IMPERSONATION_LEVEL\", \
             \"ERROR_CANT_OPEN_ANONYMOUS\", \"ERROR_NO_TOKEN\", \"RPC_S_SEC_PKG_ERROR\", \
             \"RPC_S_NO_CALL_ACTIVE\", \"RPC_S_NO_CONTEXT_AVAILABLE\", \"SEC_E_LOGON_DENIED\" \
             or \"KDC_ERR_BADOPTION\", found null",
            "expect.share.seen_as: expected a name or null, found a number",
        ]
    );
    assert_eq!(
        problems(r#"{ "imp": { "level": "high", "delegation": true, "authn": "default" } }"#),
        [
            "expect.imp.level: expected \"anonymous\", \"identify\", \"impersonate\", \
             \"delegate\" or null, found \"high\"",
            "expect.imp.delegation: expected \"none\", \"local\", \"credentials\", \
             \"unconstrained\", \"constrained\", \"rbcd\" or null, found a boolean",
            "expect.imp.authn: expected \"none\", \"ntlm\", \"kerberos\", \"negotiate\", \
             \"schannel\" or null, found \"default\"",
        ]
    );
    assert_eq!(
        problems(r#"{ "imp": {}, "hop1": "ok", "a b": { "identity": "" } }"#),
        [
            "expect.imp: expected at least one of: status, identity, level, seen_as, \
             seen_level, delegation, authn, kdc_status",
            "expect.hop1: expected an object, found a string",
            "expect[\"a b\"].identity: expected a name, found \"\"",
        ]
    );
    assert_eq!(
        problems(r#"["share"]"#),
        ["expect: expected an object, found an array"]
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn expectations_are_written_back_as_they_were_read() {
    let text = scenario(
        r#"{ "share": { "status": "ok", "seen_as": "alice" }, "imp": { "level": null } }"#,
    );
    let first = impersonation_core::parse(&text).expect("valid");
    let written = first.to_json_pretty();
    assert!(
        written.ends_with(
            "  \"expect\": {\n    \"share\": {\n      \"status\": \"ok\",\n      \"seen_as\": \"alice\"\n    },\n    \"imp\": {\n      \"level\": null\n    }\n  }\n}"
        ),
        "{written}"
    );
    let again = impersonation_core::parse(&written).expect("still valid");
    assert_eq!(*again, *first);
    let compact = impersonation_core::parse(&first.to_json_string()).expect("valid");
    assert_eq!(*compact, *first);
    // Compact text is serde_json's layout of the same document.
    let value: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        first.to_json_string(),
        serde_json::to_string(&value).unwrap()
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn expectations_of_a_vanished_label_can_be_forgotten() {
    let text = scenario(r#"{ "share": { "status": "ok" }, "never": { "level": null } }"#);
    let mut s = impersonation_core::parse(&text)
        .expect("valid")
        .into_inner();
    let kept = s.clone();
    s.forget_lost_expectations();
    assert_eq!(s, kept, "both labels are steps'");
    // Relabel the share access (the playground's edit): its expectation goes, the other stays.
    let impersonation_core::model::Action::Call(call) = &mut s.run.steps[0].action else {
        panic!("a call");
    };
    call.steps[1].label = Some("renamed".into());
    assert!(!impersonation_core::check(&s).is_empty());
    s.forget_lost_expectations();
    let labels: Vec<&str> = s.expect.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["never"]);
    assert!(impersonation_core::check(&s).is_empty());
}
