//! Lists the worked cases (`tests/cases/*.json`) for the data-driven test, so that a new case
//! file is picked up by the native and the wasm runs alike without editing any list: the list
//! `CASES`, and one `case_test!(fn_name, "file.json")` line per file, which `tests/cases.rs`
//! turns into a test of its own (`cargo test --test cases tc_21_b` runs one case).
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("tests/cases");
    println!("cargo:rerun-if-changed=tests/cases");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// Every case file: (file name, contents).\npub static CASES: &[(&str, &str)] = &[\n",
    );
    for n in &names {
        out.push_str(&format!(
            "    ({n:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/tests/cases/{n}\"))),\n"
        ));
    }
    out.push_str("];\n");
    for n in &names {
        out.push_str(&format!("case_test!({}, {n:?});\n", test_name(n)));
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("cases.rs");
    fs::write(dest, out).expect("write the case list");
}

/// `TC-21-b-automatic-revert.json` -> `tc_21_b_automatic_revert`: the file's name is its test's.
fn test_name(file: &str) -> String {
    let stem = file.trim_end_matches(".json").to_ascii_lowercase();
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "case_");
    }
    name
}
