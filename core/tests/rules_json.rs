//! `core/rules.json`, the rule texts and sources the playground fetches on demand (its wasm is
//! built without the `embedded-data` feature, issue #6), is the catalogue of `core/src/rules/`.
//! Regenerate it with:
//!
//! ```text
//! cargo run -q -p impersonation-core --bin impsim -- rules --json > core/rules.json
//! ```
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn rules_json_is_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules.json");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == impersonation_core::rules::catalogue_json(),
        "core/rules.json is out of date: run \
         `cargo run -q -p impersonation-core --bin impsim -- rules --json > core/rules.json`"
    );
    // Every rule ID has its entry, with a text.
    let doc: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    for r in impersonation_core::rules::RULES {
        assert!(
            doc[r.id]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{}",
            r.id
        );
    }
}
