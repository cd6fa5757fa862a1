//! One vocabulary of rules (issue #14): the engine cites only rules the catalogue has, and every
//! rule the catalogue marks simulated is applied somewhere in the engine: cited in the events it
//! decides (`why.rule(&[RuleId::Kd6])`, found by `grep -rn 'RuleId::Kd6' core/src/engine`, or by
//! go-to-definition, which leads to the entry in `core/src/rules/catalogue.rs`), or, where
//! citing it would only repeat another rule's citation, named at the code that applies it by a
//! comment `// KD-6, silently: ...`. The engine and the explanations spell no rule ID as a string.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use impersonation_core::rules::{Coverage, RuleId, RULES};

fn sources_in(folder: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("src/engine")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// The code that applies rules: the engine, and the security review (its SR-* findings).
fn engine_sources() -> Vec<(String, String)> {
    let mut files = sources_in("src/engine");
    files.extend(sources_in("src/review"));
    files
}

/// The rules cited in code as `RuleId::Kd6`, outside comments, spelled as the catalogue does
/// (`KD-6`); a variant the enum lacks does not compile, so every one is found.
fn cited(source: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        for part in code.split("RuleId::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if let Some(id) = RuleId::ALL.iter().find(|r| format!("{r:?}") == name) {
                ids.insert(id.as_str().to_string());
            }
        }
    }
    ids
}

/// Whether `s` is a rule ID's shape: `PK`, `CL`, or two capitals, a dash and a number.
fn is_rule_id(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        2 => b.iter().all(u8::is_ascii_uppercase),
        4..=5 => {
            b[..2].iter().all(u8::is_ascii_uppercase)
                && b[2] == b'-'
                && b[3..].iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// The rule IDs quoted in code (`"LV-4"`), outside comments.
fn quoted(source: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (i, part) in code.split('"').enumerate() {
            if i % 2 == 1 && is_rule_id(part) {
                ids.insert(part.to_string());
            }
        }
    }
    ids
}

/// The rule IDs named by a `// ID, silently:` comment.
fn silently(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("// "))
        .filter_map(|c| c.split_once(", silently:"))
        .map(|(id, _)| id.to_string())
        .filter(|id| is_rule_id(id))
        .collect()
}

#[test]
fn the_engine_and_the_catalogue_speak_of_the_same_rules() {
    let sources = engine_sources();
    let cited: BTreeSet<String> = sources.iter().flat_map(|(_, s)| cited(s)).collect();
    let silent: BTreeSet<String> = sources.iter().flat_map(|(_, s)| silently(s)).collect();
    assert!(cited.len() > 60, "the scan finds the citations: {cited:?}");
    let mut fails = Vec::new();
    for id in cited.iter().chain(&silent) {
        match RULES.iter().find(|r| r.id == id) {
            None => fails.push(format!("the engine cites {id}, which the catalogue lacks")),
            Some(r) if r.coverage != Coverage::Simulated => fails.push(format!(
                "the engine applies {id}, which the catalogue marks not simulated"
            )),
            Some(_) => {}
        }
    }
    for r in RULES {
        if r.coverage == Coverage::Simulated && !cited.contains(r.id) && !silent.contains(r.id) {
            fails.push(format!(
                "{} is marked simulated but the engine never cites it (cite it where it decides, add a `// {}, silently:` comment there, or mark it not simulated)",
                r.id, r.id
            ));
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[test]
fn the_engine_cites_rules_by_their_enum_not_by_strings() {
    let mut fails = Vec::new();
    for folder in ["src/engine", "src/explain", "src/review"] {
        for (name, source) in sources_in(folder) {
            let spelled = quoted(&source);
            if !spelled.is_empty() {
                fails.push(format!(
                    "{folder}/{name} spells {spelled:?}: cite RuleId::..."
                ));
            }
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[test]
fn the_scan_reads_citations_and_comments() {
    let code = "why.rule(&[RuleId::Lv4, RuleId::Pk]).say(\"RuleId::Kd1\"); // RuleId::Kd2\n        &[RuleId::Am10][..]\n";
    assert_eq!(
        cited(code).into_iter().collect::<Vec<_>>(),
        ["AM-10", "KD-1", "LV-4", "PK"]
    );
    let source = "why.rule(&[\"LV-4\", \"PK\"]).say(\"A-1 x\"); // \"KD-1\"\n    // AM-5, silently: why\n// not a rule, silently: x\n";
    assert_eq!(
        quoted(source).into_iter().collect::<Vec<_>>(),
        ["LV-4", "PK"]
    );
    assert_eq!(silently(source).into_iter().collect::<Vec<_>>(), ["AM-5"]);
}
