//! Behaviour pinned byte for byte (issue #14: the architecture changes, the output does not):
//! `impsim run` on every preset (`presets/*.json`) and on the scenario of every worked case
//! (`tests/cases/*.json`) must print exactly `tests/pinned/<name>.json`, and `impsim run --text`
//! on a few must print `tests/pinned/<name>.txt`.
//!
//! A difference is a bug in the change under test. Only when the behaviour is meant to change
//! (not in a refactoring), rewrite the pins with
//! `PIN_UPDATE=1 cargo test -p impersonation-core --test pinned` and review the diff.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};

/// The scenarios whose `--text` trace is pinned as well.
const TEXT_PINS: &[&str] = &[
    "seed-apartment-nesting",
    "kcd-any-protocol",
    "ntlm-double-hop",
    "TC-21-b-automatic-revert",
];

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(sub)
}

fn json_files(sub: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir(sub))
        .expect("directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// Every pinned scenario: (name, scenario text).
fn scenarios() -> Vec<(String, String)> {
    let mut all = json_files("presets");
    for (name, text) in json_files("tests/cases") {
        let case: serde_json::Value = serde_json::from_str(&text).expect("a case is JSON");
        // serde_json keeps the keys' order (feature preserve_order), so the scenario is the
        // case's own, key for key.
        let scenario = serde_json::to_string(&case["scenario"]).expect("serializable");
        all.push((name, scenario));
    }
    all
}

/// What `impsim` prints: stdout when it ran the scenario (exit 0, or 3 when an expectation is
/// unmet: the outcome says which), else its exit code and stderr.
fn run(args: &[&str], scenario: &str) -> String {
    let (code, out, err) = common::impsim(args, scenario.as_bytes());
    if code == 0 || code == 3 {
        out
    } else {
        format!("exit {code}\n{err}")
    }
}

/// Compares `got` with the pin `file` (or rewrites it under PIN_UPDATE=1); a difference is
/// described by its first differing line.
fn check(file: &Path, got: &str, fails: &mut Vec<String>) {
    if std::env::var_os("PIN_UPDATE").is_some() {
        std::fs::write(file, got).expect("write the pin");
        return;
    }
    let Ok(want) = std::fs::read_to_string(file) else {
        fails.push(format!(
            "{}: no pin (PIN_UPDATE=1 writes it)",
            file.display()
        ));
        return;
    };
    if want == got {
        return;
    }
    let (mut w, mut g) = (want.split('\n'), got.split('\n'));
    for line in 1.. {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (a, b) => {
                let first_diff =
                    |x: &str, y: &str| x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
                let at = first_diff(a.unwrap_or(""), b.unwrap_or(""));
                let around = |s: Option<&str>| match s {
                    None => "(end of output)".to_string(),
                    Some(s) => {
                        let mut from = at.saturating_sub(60).min(s.len());
                        while !s.is_char_boundary(from) {
                            from -= 1;
                        }
                        let mut to = (at + 100).min(s.len());
                        while !s.is_char_boundary(to) {
                            to += 1;
                        }
                        format!("...{}...", &s[from..to])
                    }
                };
                fails.push(format!(
                    "{}: line {line} differs at byte {at}:\n  pinned: {}\n  now:    {}",
                    file.display(),
                    around(a),
                    around(b)
                ));
                return;
            }
        }
    }
}

#[test]
fn impsim_run_prints_the_pinned_outcomes() {
    let pins = dir("tests/pinned");
    let mut fails = Vec::new();
    let all = scenarios();
    assert!(all.len() >= 40, "{} scenarios", all.len());
    for (name, scenario) in &all {
        check(
            &pins.join(format!("{name}.json")),
            &run(&["run", "-"], scenario),
            &mut fails,
        );
    }
    for name in TEXT_PINS {
        let (_, scenario) = all
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no scenario {name}"));
        check(
            &pins.join(format!("{name}.txt")),
            &run(&["run", "-", "--text"], scenario),
            &mut fails,
        );
    }
    // No pin is left without its scenario.
    for e in std::fs::read_dir(&pins).expect("pins") {
        let path = e.expect("entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let known = match path.extension().and_then(|x| x.to_str()) {
            Some("json") => all.iter().any(|(n, _)| *n == stem),
            Some("txt") => TEXT_PINS.contains(&stem.as_str()),
            _ => false,
        };
        if !known {
            fails.push(format!("{}: a pin without a scenario", path.display()));
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}
