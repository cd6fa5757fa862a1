//! One small end-to-end check of the core that runs natively (`cargo test`) and as wasm, under
//! Node and in headless Chrome (`wasm-pack test`), so that the wasm build of the decoder is
//! exercised by the test command and not only the native one.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

const TINY: &str = r#"{
  "format": "impersonation-scenario/1",
  "title": "Smallest scenario",
  "machines": ["WS1"],
  "processes": { "client": { "machine": "WS1", "account": "LocalSystem" } },
  "run": { "process": "client", "steps": [ { "do": "whoami" } ] }
}"#;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn parses_a_tiny_scenario() {
    let scenario = impersonation_core::parse(TINY).expect("the tiny scenario is valid");
    assert_eq!(scenario.title, "Smallest scenario");
    assert_eq!(scenario.domain, "CORP");
    assert_eq!(scenario.machines, vec!["WS1".to_string()]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn rejects_an_unknown_field_with_its_path() {
    let text = TINY.replacen("\"title\"", "\"colour\": 1, \"title\"", 1);
    let err = impersonation_core::parse(&text).expect_err("unknown fields are errors");
    assert!(
        err.problems()
            .iter()
            .any(|p| p.to_string().starts_with("colour: unknown field")),
        "{err:?}"
    );
}
