//! The engine stays readable (issue #14): no function in `src/engine` is longer than
//! [`MAX_LINES`] lines. rustfmt puts a function's closing brace alone on a line at the
//! function's own indentation, which is what this scan relies on.
#![cfg(not(target_arch = "wasm32"))]

const MAX_LINES: usize = 120;

/// Every function of a Rust source: (name, first line, length in lines, signature included).
fn functions(source: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = line.len() - code.len();
        let after_vis = code
            .strip_prefix("pub ")
            .or_else(|| code.strip_prefix("pub(crate) "))
            .or_else(|| code.strip_prefix("pub(super) "))
            .unwrap_or(code);
        let Some(rest) = after_vis.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{}}}", " ".repeat(indent));
        if let Some(end) = lines[i..].iter().position(|l| *l == close) {
            found.push((name, i + 1, end + 1));
        }
    }
    found
}

#[test]
fn no_engine_function_is_longer_than_the_limit() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("src/engine") {
        let path = entry.expect("entry").path();
        let source = std::fs::read_to_string(&path).expect("readable");
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (name, line, len) in functions(&source) {
            all.push((len, format!("{file}:{line} {name}")));
        }
    }
    all.sort();
    assert!(
        all.len() > 40,
        "the scan finds the engine's functions: {all:?}"
    );
    let (longest, at) = all.last().expect("functions");
    eprintln!("longest engine function: {at}, {longest} lines");
    let too_long: Vec<_> = all.iter().filter(|(len, _)| *len > MAX_LINES).collect();
    assert!(too_long.is_empty(), "over {MAX_LINES} lines: {too_long:?}");
}

#[test]
fn the_scan_measures_a_function() {
    let source = "impl X {\n    pub(super) fn a(&self) {\n        if x {\n        }\n    }\n}\nfn b() {\n}\n";
    assert_eq!(
        functions(source),
        vec![("a".to_string(), 2, 4), ("b".to_string(), 7, 2)]
    );
}
