//! The playground's release build compiles Debug formatting out (`-Zfmt-debug=none` in
//! scripts/build.sh: 2.5 KB less to download), so `{:?}` would print nothing there. No text a
//! person reads may come from it: neither the web crate nor the core (whose messages the
//! playground shows) formats with `{:?}` outside tests and assertions.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `file:line: text` of every line that formats with Debug, before the file's test module.
fn debug_formatting(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    assert!(
        files.len() > 10,
        "{} holds the crate's sources",
        src.display()
    );
    let mut found = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).expect("a source file");
        let end = text.find("\nmod tests").unwrap_or(text.len());
        for (i, line) in text[..end].lines().enumerate() {
            let debug = line.contains(":?}") || line.contains(":#?}") || line.contains("dbg!(");
            if debug && !line.contains("assert") && !line.trim_start().starts_with("//") {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_text_is_formatted_with_debug() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in [web.join("src"), web.join("../core/src")] {
        let found = debug_formatting(&src);
        assert!(
            found.is_empty(),
            "Debug formatting prints nothing in the release playground:\n{}",
            found.join("\n")
        );
    }
}
