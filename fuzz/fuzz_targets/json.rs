//! The core's JSON reader against serde_json (issue #13): any bytes as UTF-8 text, read by
//! `model::json::read` and by serde_json the way the tree decoder read text before it. Both must
//! give the same tree (numbers bit for bit) or the same message at the same line and column.
//! `core/tests/json_reader.rs` checks the same on generated and mutated texts in every test run.
#![no_main]

use impersonation_core::model::json::{read, read_with_serde_json, Json};
use libfuzzer_sys::fuzz_target;

fn identical(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.to_bits() == y.to_bits(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| identical(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && identical(va, vb))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // serde_json recurses once per level (the product checks the depth first): keep it shallow
    // enough for the fuzzer's stack.
    if text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() > 500 {
        return;
    }
    match (read(text), read_with_serde_json(text)) {
        (Ok(a), Ok(b)) => assert!(identical(&a, &b), "trees differ: {a:?} vs {b:?}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("readers differ: {a:?} vs {b:?}"),
    }
});
