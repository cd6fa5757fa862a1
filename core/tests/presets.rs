//! The presets shipped with the playground: each is a valid scenario, ids are unique, the two
//! seed examples come first, and the registered list matches the files in `core/presets/`.

use std::collections::HashSet;

use impersonation_core::presets::{get, PRESETS};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_preset_is_a_valid_scenario() {
    assert!(!PRESETS.is_empty());
    let mut problems = Vec::new();
    for p in PRESETS {
        match impersonation_core::parse(p.json) {
            Ok(s) => {
                if s.title.trim().is_empty() {
                    problems.push(format!("{}: empty title", p.id));
                }
                if s.title != p.title || s.description.as_deref() != Some(p.description) {
                    problems.push(format!(
                        "{}: PRESETS repeats another title or description than the file's: \
                         {:?} / {:?}",
                        p.id, s.title, s.description
                    ));
                }
                match s.description.as_deref() {
                    Some(d) if d.ends_with('.') && !d.contains(". ") && !d.contains('\n') => {}
                    other => problems.push(format!(
                        "{}: the description should be one sentence, found {other:?}",
                        p.id
                    )),
                }
                let outcome = impersonation_core::simulate(&s);
                if outcome.events.is_empty() {
                    problems.push(format!("{}: the simulation produced no events", p.id));
                }
            }
            Err(e) => problems.push(format!("{}: invalid scenario:\n{e}", p.id)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn ids_are_unique_and_the_seeds_come_first() {
    let mut seen = HashSet::new();
    for p in PRESETS {
        assert!(seen.insert(p.id), "duplicate preset id {}", p.id);
        assert!(
            !p.id.is_empty()
                && p.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "preset ids are lower-case file names: {:?}",
            p.id
        );
        assert_eq!(get(p.id).map(|q| q.id), Some(p.id));
    }
    let ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
    assert_eq!(ids[..2], ["seed-apartment-nesting", "seed-ncalrpc-one-hop"]);
    assert!(get("no-such-preset").is_none());
}

/// Each preset has a group and a lesson the picker lists: one short sentence, no scenario text.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_preset_has_a_group_and_a_one_line_lesson() {
    let mut problems = Vec::new();
    for p in PRESETS {
        if p.group.trim().is_empty() {
            problems.push(format!("{}: no group", p.id));
        }
        let l = p.lesson;
        if !(l.ends_with('.') && !l.contains(". ") && (20..=90).contains(&l.chars().count())) {
            problems.push(format!(
                "{}: the lesson should be one sentence of 20 to 90 characters, found {l:?}",
                p.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The files in `core/presets/` are exactly the registered presets, each under its own id.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn registered_presets_match_the_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("presets");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("core/presets exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    files.sort();
    let mut registered: Vec<String> = PRESETS.iter().map(|p| p.id.to_string()).collect();
    registered.sort();
    assert_eq!(files, registered, "core/presets/*.json versus PRESETS");
    for p in PRESETS {
        let on_disk = std::fs::read_to_string(dir.join(format!("{}.json", p.id))).unwrap();
        assert_eq!(on_disk, p.json, "preset {} is not its own file", p.id);
    }
}

/// Issue #16: a preset whose story shows a failure (a refused step, or a server that sees
/// ANONYMOUS LOGON) carries the expectation that story is about, unmet, so that the fix finder
/// has a goal; a preset where everything works meets whatever it expects.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_preset_that_shows_a_failure_expects_what_fails() {
    let mut problems = Vec::new();
    for p in PRESETS {
        let outcome = impersonation_core::run_json(p.json).expect("valid");
        let failed: Vec<&str> = outcome
            .events
            .iter()
            .filter(|e| {
                e.status != "ok"
                    || e.seen_as.as_ref().and_then(|s| s.as_deref())
                        == Some("NT AUTHORITY\\ANONYMOUS LOGON")
            })
            .filter_map(|e| e.label.as_deref())
            .collect();
        let unmet: Vec<&str> = outcome
            .expectations
            .iter()
            .filter(|x| !x.met)
            .map(|x| x.label.as_str())
            .collect();
        if failed.is_empty() != unmet.is_empty() || unmet.iter().any(|l| !failed.contains(l)) {
            problems.push(format!(
                "{}: failing steps {failed:?}, unmet expectations on {unmet:?}",
                p.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
