//! The web crate's modules form layers: `state` (pure, no browser) under `hooks` under
//! `components` under `views`; a layer never names one above it, and no two modules of one
//! layer import each other (issue #14: a change to one never drags in the other).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const LAYERS: [&str; 4] = ["state", "hooks", "components", "views"];

/// The source of every `.rs` file directly in `web/src/<dir>`, by module name, without its
/// `#[cfg(test)] mod tests` (tests may use anything).
fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    for entry in fs::read_dir(&root).expect("the layer's directory") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("a source file");
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            out.push((name, text));
        }
    }
    assert!(!out.is_empty(), "{dir} has modules");
    out
}

#[test]
fn no_layer_names_one_above_it() {
    let mut wrong = Vec::new();
    for (i, layer) in LAYERS.iter().enumerate() {
        for (name, text) in sources(layer) {
            for above in &LAYERS[i + 1..] {
                if text.contains(&format!("crate::{above}")) {
                    wrong.push(format!("{layer}/{name}.rs names crate::{above}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Every path a source names through `super::` or `crate::` (use trees expanded), and for a
/// `mod.rs` the paths it uses from its children (`use child::...`).
fn paths(text: &str) -> Vec<String> {
    fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
        let tree = tree.trim();
        match tree.find('{') {
            Some(open) if tree.ends_with('}') => {
                let head = format!("{prefix}{}", &tree[..open]);
                let (mut depth, mut start) = (0, open + 1);
                for (i, c) in tree.char_indices().skip(open + 1) {
                    match c {
                        '{' => depth += 1,
                        '}' if depth > 0 => depth -= 1,
                        ',' | '}' if depth == 0 => {
                            expand(&head, &tree[start..i], out);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
            }
            _ if !tree.is_empty() => out.push(format!("{prefix}{tree}")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for stmt in text.split("use ").skip(1) {
        let Some(end) = stmt.find(';') else { continue };
        let tree: String = stmt[..end].split_whitespace().collect::<Vec<_>>().join(" ");
        expand("", &tree, &mut out);
    }
    // Paths written inline (`super::present::summary(e)`).
    for (i, _) in text
        .match_indices("super::")
        .chain(text.match_indices("crate::"))
    {
        let rest = &text[i..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        out.push(rest[..end].to_string());
    }
    out
}

/// The module of `layer` that a path names, if any: `super::x::...`, `crate::<layer>::x...`, a
/// `mod.rs`'s `x::...`, or (`super::item` of a child) the layer's `mod.rs` itself.
fn module_named(layer: &str, from: &str, path: &str, names: &BTreeSet<String>) -> Option<String> {
    let segs: Vec<&str> = path
        .split("::")
        .map(|s| s.split(" as ").next().unwrap().trim())
        .collect();
    let within: &[&str] = match segs.as_slice() {
        ["super", rest @ ..] if from != "mod" => rest,
        ["crate", l, rest @ ..] if *l == layer => rest,
        [first, ..] if from == "mod" && names.contains(*first) => &segs,
        _ => return None,
    };
    match within.first() {
        Some(m) if names.contains(*m) && *m != "mod" => Some(m.to_string()),
        Some(_) if from != "mod" => Some("mod".into()),
        _ => None,
    }
}

#[test]
fn no_two_modules_of_a_layer_import_each_other() {
    let mut mutual = Vec::new();
    for layer in LAYERS {
        let files = sources(layer);
        let names: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let mut edges = BTreeSet::new();
        for (a, text) in &files {
            for p in paths(text) {
                if let Some(b) = module_named(layer, a, &p, &names) {
                    if b != *a {
                        edges.insert((a.clone(), b));
                    }
                }
            }
        }
        assert!(!edges.is_empty(), "{layer}: some module imports another");
        for (a, b) in &edges {
            if a < b && edges.contains(&(b.clone(), a.clone())) {
                mutual.push(format!("{layer}: {a} <-> {b}"));
            }
        }
    }
    assert!(mutual.is_empty(), "{mutual:#?}");
}
