//! The JS API's `simulate` builds the outcome's objects from a string table (bindings/mod.rs
//! `outcome_js`, issue #6): they must be exactly what JSON.parse of the outcome's JSON text
//! gives, the objects `simulate` returned before: same fields, same order, nulls and absent
//! fields alike. Compared through JSON.stringify on presets, a synthetic scenario, failing calls
//! and names that need escaping or are not ASCII (the table's offsets count UTF-16 units).
#![cfg(all(target_arch = "wasm32", feature = "js-api"))]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v)
        .expect("stringifies")
        .as_string()
        .expect("a string")
}

fn check(text: &str) {
    let outcome = impersonation_core::run_json(text).expect("valid scenario");
    let want = js_sys::JSON::parse(&outcome.to_json_string()).expect("JSON");
    let got = impersonation_core::bindings::simulate(JsValue::from_str(text))
        .unwrap_or_else(|_| panic!("simulate failed"));
    assert_eq!(stringify(&got), stringify(&want), "{text}");
    let built = impersonation_core::bindings::outcome_js_for_tests(&outcome);
    assert_eq!(stringify(&built.expect("built")), stringify(&want));
}

#[wasm_bindgen_test]
fn built_outcomes_are_the_parsed_outcomes() {
    for p in impersonation_core::presets::PRESETS {
        check(p.json);
    }
    check(&impersonation_core::synthetic::wide(2_000).to_json_string());
    check(
        r#"{"format":"impersonation-scenario/1","title":"q","machines":["W","X"],
            "accounts":{"a\"b":{},"é𝒳":{}},
            "processes":{"p\\x":{"machine":"W","account":"a\"b","kind":"user"},
                         "s 𝒳é":{"machine":"X","account":"é𝒳"},
                         "t":{"machine":"X","account":"LocalService"}},
            "resources":{"r\u0001":{"machine":"X","allow":["Everyone"]}},
            "run":{"process":"p\\x","steps":[
              {"do":"whoami","label":"l\"\n\t𝒳"},
              {"do":"call","to":"s 𝒳é","imp_level":"impersonate","steps":[
                {"do":"impersonate"},{"do":"access","resource":"r\u0001"},
                {"do":"call","to":"t","label":"é"},{"do":"duplicate_token","level":"delegate"}]},
              {"do":"call","to":"t","authn_level":"none","authn":"kerberos"},
              {"do":"open_thread_token"},{"do":"revert"}]}}"#,
    );
}

/// The JS outcome carries the verdicts on the scenario's `expect` (SPEC §8.1).
#[wasm_bindgen_test]
fn expectations_reach_javascript() {
    let preset = impersonation_core::presets::get("ntlm-double-hop").expect("preset");
    let got = impersonation_core::bindings::simulate(JsValue::from_str(preset.json))
        .unwrap_or_else(|_| panic!("simulate failed"));
    let verdicts = js_sys::Reflect::get(&got, &"expectations".into()).expect("a field");
    assert_eq!(
        stringify(&verdicts),
        r#"[{"label":"web-opens-local-file","field":"status","want":"ok","got":"ok","met":true},{"label":"web-opens-share-on-fs1","field":"status","want":"ok","got":"ERROR_ACCESS_DENIED","met":false},{"label":"web-opens-share-on-fs1","field":"seen_as","want":"alice","got":"NT AUTHORITY\\ANONYMOUS LOGON","met":false}]"#
    );
}

/// `review()` in JavaScript is the core's review, field for field (SPEC §8.4).
#[wasm_bindgen_test]
fn the_review_reaches_javascript() {
    for p in impersonation_core::presets::PRESETS {
        let got = impersonation_core::bindings::review(JsValue::from_str(p.json))
            .unwrap_or_else(|_| panic!("review failed"));
        let checked = impersonation_core::parse(p.json).expect("valid");
        let want = impersonation_core::review::review(&checked).to_json_string();
        assert_eq!(stringify(&got), want, "{}", p.id);
    }
    assert!(impersonation_core::bindings::review(JsValue::from_str("{}")).is_err());
}

/// `fixes()` in JavaScript is the core's fix finder, and checks its options (SPEC §8.4).
#[wasm_bindgen_test]
fn the_fix_finder_reaches_javascript() {
    let json = impersonation_core::presets::get("ntlm-double-hop")
        .unwrap()
        .json;
    let options = js_sys::JSON::parse(r#"{"maxChanges": 2, "maxProposals": 1}"#).unwrap();
    let got = impersonation_core::bindings::fixes(
        JsValue::from_str(json),
        Some(options.unchecked_into()),
    )
    .unwrap_or_else(|_| panic!("fixes failed"));
    let limits = impersonation_core::fix::Limits {
        max_changes: 2,
        max_proposals: 1,
    };
    let want = impersonation_core::fix::find(&impersonation_core::parse(json).unwrap(), limits);
    assert_eq!(stringify(&got), want.to_json_string());
    let bad = js_sys::JSON::parse(r#"{"maxChanges": 0}"#).unwrap();
    assert!(impersonation_core::bindings::fixes(
        JsValue::from_str(json),
        Some(bad.unchecked_into())
    )
    .is_err());
    assert!(impersonation_core::bindings::fixes(JsValue::from_str(json), None).is_ok());
}
