//! The `impsim` binary end to end (SPEC §4): exit codes, and an outcome written while the
//! engine runs that is byte for byte the library's outcome.
#![cfg(not(target_arch = "wasm32"))]

mod common;

fn impsim(args: &[&str], stdin: &str) -> (i32, String, String) {
    common::impsim(args, stdin.as_bytes())
}

#[test]
fn streamed_outcome_equals_the_library_outcome() {
    let mut texts: Vec<String> = impersonation_core::presets::PRESETS
        .iter()
        .map(|p| p.json.to_string())
        .collect();
    // Several thousand events cross many stream batches.
    texts.push(impersonation_core::synthetic::wide(5_000).to_json_string());
    // Names that need escaping: quotes, backslashes, control characters, non-ASCII.
    texts.push(
        r#"{"format":"impersonation-scenario/1","title":"q\"\\ \u0001 é","machines":["W"],
            "accounts":{"a\"b":{}},"processes":{"p\\x":{"machine":"W","account":"a\"b","kind":"user"}},
            "run":{"process":"p\\x","steps":[{"do":"whoami","label":"l\"\n\t"}]}}"#
            .to_string(),
    );
    for text in texts {
        let (code, out, err) = impsim(&["run", "-"], &text);
        assert_eq!(code, 0, "{err}");
        let expected = impersonation_core::run_json(&text)
            .unwrap()
            .to_json_string();
        assert_eq!(out.trim_end(), expected);
    }
}

#[test]
fn exit_codes_follow_the_spec() {
    let (code, out, err) = impsim(&["run", "-"], "{\"format\": 1}");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.lines().all(|l| l.starts_with("error: ")), "{err}");
    assert!(err.contains("error: format: expected \"impersonation-scenario/1\""));
    let (code, _, err) = impsim(&["run", "/nonexistent/file.json"], "");
    assert_eq!(code, 1, "{err}");
    let (code, out, _) = impsim(
        &["run", "-", "--text"],
        impersonation_core::presets::PRESETS[0].json,
    );
    assert_eq!(code, 0);
    assert!(out.contains("events, 0 not ok"), "{out}");
    let (code, out, _) = impsim(&["rules"], "");
    assert_eq!(code, 0);
    assert!(out.lines().count() >= 90);
    let (code, _, _) = impsim(&["bogus"], "");
    assert_eq!(code, 1);
}
