//! The core's JSON reader (`model::json::read`, issue #13) against serde_json, which it
//! replaced: on texts written by hand for every corner (numbers, escapes, surrogates, control
//! characters, trailing text, empty input, line breaks before an error), on generated JSON
//! values with random spacing, and on tens of thousands of mutated texts, both give the same
//! tree (numbers compared bit for bit, strings borrowed or copied alike) or the same message at
//! the same line and column. serde_json stays a dev-dependency for this.
#![cfg(not(target_arch = "wasm32"))]

use std::borrow::Cow;

use impersonation_core::model::json::{read, read_with_serde_json, Json};

mod common;
use common::Rng;

/// What serde_json makes of `text` (as the tree reader read it until issue #13), its error as
/// serde_json displays it.
fn serde_read(text: &str) -> Result<Json<'_>, String> {
    read_with_serde_json(text).map_err(|e| e.to_string())
}

/// Trees equal with numbers compared by their bits (so -0 differs from 0) and strings by their
/// text and by whether they borrow from the input.
fn identical(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.to_bits() == y.to_bits(),
        (Json::Str(x), Json::Str(y)) => x == y && borrowed(x) == borrowed(y),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| identical(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|((ka, va), (kb, vb))| {
                    ka == kb && borrowed(ka) == borrowed(kb) && identical(va, vb)
                })
        }
        _ => a == b,
    }
}

// The variant is the point here, not the text.
#[allow(clippy::ptr_arg)]
fn borrowed(s: &Cow<str>) -> bool {
    matches!(s, Cow::Borrowed(_))
}

/// Both readers on `text`: Ok(()) when they agree, else a description of the difference.
fn agree(text: &str) -> Result<(), String> {
    let ours = read(text).map_err(|e| e.to_string());
    let theirs = serde_read(text);
    let same = match (&ours, &theirs) {
        (Ok(a), Ok(b)) => identical(a, b),
        (Err(a), Err(b)) => a == b,
        _ => false,
    };
    if same {
        Ok(())
    } else {
        Err(format!(
            "readers differ on {text:?}\nours:       {ours:?}\nserde_json: {theirs:?}"
        ))
    }
}

fn assert_agree(text: &str) {
    agree(text).unwrap_or_else(|e| panic!("{e}"));
}

/// Texts written for the corners of the grammar: each is checked against serde_json, and the
/// message of each rejected one is pinned here too, so a change in either shows.
#[test]
fn corner_cases_agree_and_keep_their_messages() {
    let cases: &[(&str, &str)] = &[
        // ---- documents -----------------------------------------------------------------------
        ("", "EOF while parsing a value at line 1 column 0"),
        ("   ", "EOF while parsing a value at line 1 column 3"),
        ("\n\n", "EOF while parsing a value at line 3 column 0"),
        ("\u{feff}{}", "expected value at line 1 column 1"),
        ("{} x", "trailing characters at line 1 column 4"),
        ("{}{}", "trailing characters at line 1 column 3"),
        ("1 2", "trailing characters at line 1 column 3"),
        ("{}\n\n  ]", "trailing characters at line 3 column 3"),
        ("\u{a0}1", "expected value at line 1 column 1"),
        ("\x0c1", "expected value at line 1 column 1"),
        ("é", "expected value at line 1 column 1"),
        ("\n  é", "expected value at line 2 column 3"),
        ("[\"é\", x]", "expected value at line 1 column 8"),
        // ---- literals ------------------------------------------------------------------------
        ("nul", "EOF while parsing a value at line 1 column 3"),
        ("nulL", "expected ident at line 1 column 4"),
        ("True", "expected value at line 1 column 1"),
        ("tru", "EOF while parsing a value at line 1 column 3"),
        ("falsey", "trailing characters at line 1 column 6"),
        ("[nan]", "expected ident at line 1 column 3"),
        ("Infinity", "expected value at line 1 column 1"),
        // ---- arrays --------------------------------------------------------------------------
        ("[", "EOF while parsing a list at line 1 column 1"),
        ("[ ", "EOF while parsing a list at line 1 column 2"),
        ("[1", "EOF while parsing a list at line 1 column 2"),
        ("[1,", "EOF while parsing a value at line 1 column 3"),
        ("[1,]", "trailing comma at line 1 column 4"),
        ("[1 , ]", "trailing comma at line 1 column 6"),
        ("[,1]", "expected value at line 1 column 2"),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        ("[1}", "expected `,` or `]` at line 1 column 3"),
        ("]", "expected value at line 1 column 1"),
        ("[[[]]", "EOF while parsing a list at line 1 column 5"),
        // ---- objects -------------------------------------------------------------------------
        ("{", "EOF while parsing an object at line 1 column 1"),
        ("{ ", "EOF while parsing an object at line 1 column 2"),
        ("{\"a\"", "EOF while parsing an object at line 1 column 4"),
        ("{\"a\" ", "EOF while parsing an object at line 1 column 5"),
        ("{\"a\":", "EOF while parsing a value at line 1 column 5"),
        ("{\"a\" 1}", "expected `:` at line 1 column 6"),
        ("{\"a\":1", "EOF while parsing an object at line 1 column 6"),
        ("{\"a\":1,", "EOF while parsing a value at line 1 column 7"),
        ("{\"a\":1,}", "trailing comma at line 1 column 8"),
        (
            "{\"a\":1 \"b\":2}",
            "expected `,` or `}` at line 1 column 8",
        ),
        ("{\"a\":1]", "expected `,` or `}` at line 1 column 7"),
        ("{a:1}", "key must be a string at line 1 column 2"),
        ("{1:1}", "key must be a string at line 1 column 2"),
        ("{\"a\":1, b}", "key must be a string at line 1 column 9"),
        ("{,}", "key must be a string at line 1 column 2"),
        ("{\"a\":}", "expected value at line 1 column 6"),
        ("{\"a", "EOF while parsing a string at line 1 column 3"),
        // ---- numbers -------------------------------------------------------------------------
        ("-", "EOF while parsing a value at line 1 column 1"),
        ("-x", "invalid number at line 1 column 2"),
        ("- 1", "invalid number at line 1 column 2"),
        ("+1", "expected value at line 1 column 1"),
        ("01", "invalid number at line 1 column 2"),
        ("-01", "invalid number at line 1 column 3"),
        ("00", "invalid number at line 1 column 2"),
        ("1.", "EOF while parsing a value at line 1 column 2"),
        ("1.x", "invalid number at line 1 column 3"),
        ("[1.]", "invalid number at line 1 column 4"),
        (".5", "expected value at line 1 column 1"),
        ("1e", "EOF while parsing a value at line 1 column 2"),
        ("1e+", "EOF while parsing a value at line 1 column 3"),
        ("1ex", "invalid number at line 1 column 3"),
        ("1e-x", "invalid number at line 1 column 4"),
        ("1.5e", "EOF while parsing a value at line 1 column 4"),
        ("1e400", "number out of range at line 1 column 5"),
        ("-1e400", "number out of range at line 1 column 6"),
        (
            "1.7976931348623159e308",
            "number out of range at line 1 column 22",
        ),
        ("123e99999999999", "number out of range at line 1 column 14"),
        ("1e2147483648", "number out of range at line 1 column 12"),
        ("2e308", "number out of range at line 1 column 5"),
        (
            "99999999999999999999999e300",
            "number out of range at line 1 column 27",
        ),
        ("0x10", "trailing characters at line 1 column 2"),
        ("1_000", "trailing characters at line 1 column 2"),
        // ---- strings -------------------------------------------------------------------------
        ("\"", "EOF while parsing a string at line 1 column 1"),
        ("\"abc", "EOF while parsing a string at line 1 column 4"),
        ("\"a\\", "EOF while parsing a string at line 1 column 3"),
        ("\"\\q\"", "invalid escape at line 1 column 3"),
        ("\"\\é\"", "invalid escape at line 1 column 3"),
        ("\"\\'\"", "invalid escape at line 1 column 3"),
        ("\"\\u12\"", "EOF while parsing a string at line 1 column 6"),
        ("\"\\u12\"}", "invalid escape at line 1 column 7"),
        ("\"\\u12", "EOF while parsing a string at line 1 column 5"),
        ("\"\\u", "EOF while parsing a string at line 1 column 3"),
        ("\"\\u00g0\"", "invalid escape at line 1 column 7"),
        ("\"\\U0041\"", "invalid escape at line 1 column 3"),
        (
            "\"\\udc00\"",
            "lone leading surrogate in hex escape at line 1 column 7",
        ),
        (
            "\"\\ud800\"",
            "unexpected end of hex escape at line 1 column 8",
        ),
        ("\"\\ud800", "EOF while parsing a string at line 1 column 7"),
        (
            "\"\\ud800\\",
            "EOF while parsing a string at line 1 column 8",
        ),
        (
            "\"\\ud800x\"",
            "unexpected end of hex escape at line 1 column 8",
        ),
        (
            "\"\\ud800\\n\"",
            "unexpected end of hex escape at line 1 column 9",
        ),
        (
            "\"\\ud800\\u0041\"",
            "lone leading surrogate in hex escape at line 1 column 13",
        ),
        (
            "\"\\ud800\\ud800\"",
            "lone leading surrogate in hex escape at line 1 column 13",
        ),
        (
            "\"\\ud800\\u00\"",
            "EOF while parsing a string at line 1 column 12",
        ),
        (
            "\"\\ud800\\udbff\\udc00\"",
            "lone leading surrogate in hex escape at line 1 column 13",
        ),
        (
            "\"a\tb\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3",
        ),
        (
            "\"a\nb\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0",
        ),
        (
            "\"\x00\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 2",
        ),
        (
            "\"\x1f\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 2",
        ),
        (
            "\"ééé\x01\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 8",
        ),
        (
            "{\"a\nb\":1}",
            "control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0",
        ),
        ("\"\\u0000\" x", "trailing characters at line 1 column 10"),
    ];
    let mut wrong = Vec::new();
    for (text, message) in cases {
        assert_agree(text);
        let got = read(text).map(|_| ()).map_err(|e| e.to_string());
        if got != Err(message.to_string()) {
            wrong.push(format!("{text:?}: {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Accepted texts whose trees must match serde_json's exactly: numbers of every shape (the
/// float conversion is serde_json's, not always the nearest double), escapes, surrogate pairs,
/// duplicate keys kept in order.
#[test]
fn accepted_corners_give_serde_jsons_tree() {
    let texts = [
        "0",
        "-0",
        "-0.0",
        "0.0",
        "-0e5",
        "0e999999999999",
        "-0e-999999999999",
        "1",
        "-1",
        "18446744073709551615",
        "18446744073709551616",
        "18446744073709551619",
        "-9223372036854775808",
        "-9223372036854775809",
        "-18446744073709551616",
        "123456789012345678901234567890",
        "1234567890123456789012.5e-3",
        "1844674407370955161.5",
        "18446744073709551615.25",
        "0.1",
        "0.3",
        "1.5",
        "-2.25",
        "3.141592653589793238462643383279",
        "2.2250738585072014e-308",
        "4.9e-324",
        "5e-324",
        "2e-324",
        "1e-400",
        "-1e-400",
        "1e-2147483648",
        "1e-99999999999",
        "1.7976931348623157e308",
        "1E3",
        "1e+3",
        "1e-3",
        "1.0e0",
        "12e-2",
        "1e22",
        "1e23",
        "8.5e-15",
        "9007199254740993",
        "0.1e1",
        "100e-2",
        "7e-10",
        "123.456e-78",
        "0.000000000000000000000000000001",
        "1.00000000000000011102230246251565404236316680908203125",
        "\"\"",
        "\"plain\"",
        "\"é 😀 \u{7f}\"",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\u0041\\u00e9\\u20AC\\uFFFF\\u0000\"",
        "\"\\ud83d\\ude00\"",
        "\"\\uD83D\\uDE00x\"",
        "\"\\udbff\\udfff\"",
        "\"a\\u0022b\"",
        "\"\\\\u0041\"",
        "[]",
        "{}",
        " [ ] ",
        "[[], {}, [[]]]",
        "{\"a\":1,\"a\":2,\"b\":{},\"a\":[3]}",
        "{\"\":null}",
        "{\"\\u0061\":true, \"a\":false}",
        "[null,true,false]",
        "\r\n\t {\"k\" \n:\r [1 ,2\t, 3 ] } \n",
        "{\"é\":\"é\"}",
    ];
    for text in texts {
        assert!(read(text).is_ok(), "{text:?}: {:?}", read(text));
        assert_agree(text);
    }
    // -0 is negative zero, as serde_json gives it.
    assert_eq!(read("-0").unwrap(), Json::Number(-0.0));
    assert!(matches!(read("-0"), Ok(Json::Number(z)) if z.is_sign_negative()));
}

/// Every power of ten that serde_json takes from its table, and their neighbours.
#[test]
fn every_power_of_ten_agrees() {
    for n in 0..=330 {
        for text in [
            format!("1e{n}"),
            format!("1e-{n}"),
            format!("9.999e{n}"),
            format!("-3e-{n}"),
            format!("123456789e-{n}"),
            format!("17976931348623157e{}", n - 16),
        ] {
            assert_agree(&text);
        }
    }
}

/// Nesting as deep as the depth limit lets through natively reads to the same tree (the reader
/// keeps its open arrays and objects on a stack of its own, not the native one).
#[test]
fn deep_nesting_reads_alike() {
    let depth = impersonation_core::model::decode::MAX_DEPTH;
    let text = format!(
        "{}1{}",
        "[{\"a\":".repeat(depth / 2),
        "}]".repeat(depth / 2)
    );
    // serde_json recurses: give it room.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || agree(&text))
        .unwrap();
    handle.join().unwrap().unwrap();
}

// ---- generated and mutated texts ---------------------------------------------------------------

const WHITESPACE: &[&str] = &["", "", "", " ", "\n", "\t", "\r\n", "  "];
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "7",
    "-12",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999",
    "-9223372036854775809",
    "0.5",
    "-0.0",
    "1.25e3",
    "6.02E23",
    "1e-7",
    "2.5E-308",
    "1e308",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e-330",
    "0e0",
    "123456789012345678901234.5678e-10",
    "3.14159265358979323846",
    "1e+0",
    "-1E-0",
];
const STRING_PARTS: &[&str] = &[
    "a",
    "Z",
    " ",
    "é",
    "€",
    "😀",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\u0041",
    "\\u00E9",
    "\\u20ac",
    "\\ud83d\\ude00",
    "\\uDBFF\\uDFFF",
    "\\u0000",
    "\\u001f",
    "key",
    "run",
    "steps",
    "\u{7f}",
    "\u{2028}",
];
/// What a mutation may insert: JSON's punctuation, escapes' pieces, bytes that are not allowed
/// where they land, characters of several UTF-8 lengths.
const INSERTS: &[&str] = &[
    "\"",
    "\\",
    ",",
    ":",
    "[",
    "]",
    "{",
    "}",
    " ",
    "\n",
    "\t",
    "\r",
    "\x00",
    "\x01",
    "\x1f",
    "0",
    "1",
    "9",
    "-",
    "+",
    ".",
    "e",
    "E",
    "u",
    "\\u",
    "\\ud800",
    "\\udc00",
    "d8",
    "x",
    "n",
    "t",
    "f",
    "null",
    "true",
    "é",
    "😀",
    "\u{feff}",
    "\u{a0}",
    "1e999",
    "0000",
    "99999999999999999999",
];

fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

fn string(rng: &mut Rng) -> String {
    let mut s = String::from("\"");
    for _ in 0..rng.below(6) {
        s.push_str(pick(rng, STRING_PARTS));
    }
    s.push('"');
    s
}

fn number(rng: &mut Rng) -> String {
    if rng.chance(50) {
        return pick(rng, NUMBERS).to_string();
    }
    // Random digits, fraction and exponent.
    let mut s = String::new();
    if rng.chance(30) {
        s.push('-');
    }
    let digits = 1 + rng.below(25);
    s.push(char::from(b'1' + rng.below(9) as u8));
    for _ in 1..digits {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    if rng.chance(50) {
        s.push('.');
        for _ in 0..1 + rng.below(25) {
            s.push(char::from(b'0' + rng.below(10) as u8));
        }
    }
    if rng.chance(50) {
        s.push_str(pick(rng, &["e", "E", "e+", "e-", "E-"]));
        s.push_str(&rng.below(400).to_string());
    }
    s
}

fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    let ws = |rng: &mut Rng, out: &mut String| out.push_str(pick(rng, WHITESPACE));
    match rng.below(if depth > 5 { 5 } else { 7 }) {
        0 => out.push_str(pick(rng, &["null", "true", "false"])),
        1 | 2 => out.push_str(&number(rng)),
        3 | 4 => out.push_str(&string(rng)),
        5 => {
            out.push('[');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                value(rng, depth + 1, out);
                ws(rng, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                out.push_str(&string(rng));
                ws(rng, out);
                out.push(':');
                ws(rng, out);
                value(rng, depth + 1, out);
                ws(rng, out);
            }
            out.push('}');
        }
    }
}

fn generated(rng: &mut Rng) -> String {
    let mut out = String::from(pick(rng, WHITESPACE));
    value(rng, 0, &mut out);
    out.push_str(pick(rng, WHITESPACE));
    out
}

/// One to three edits at random byte offsets (kept on character boundaries): delete a byte
/// range, insert a piece, replace a character, cut the text short, or double a slice.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut t = text.to_string();
    for _ in 0..1 + rng.below(3) {
        let at = boundary(&t, rng.below(t.len() + 1));
        match rng.below(5) {
            0 => {
                let end = boundary(&t, (at + 1 + rng.below(3)).min(t.len()));
                t.replace_range(at..end, "");
            }
            1 => t.insert_str(at, pick(rng, INSERTS)),
            2 => {
                let end = boundary(&t, (at + 1).min(t.len()));
                t.replace_range(at..end, pick(rng, INSERTS));
            }
            3 => t.truncate(at),
            _ => {
                let end = boundary(&t, (at + rng.below(8)).min(t.len()));
                let slice = t[at..end].to_string();
                t.insert_str(at, &slice);
            }
        }
    }
    t
}

/// A generated value, mutated.
fn mutated(rng: &mut Rng) -> String {
    let text = generated(rng);
    mutate(rng, &text)
}

/// The character boundary at or after `i`.
fn boundary(t: &str, mut i: usize) -> usize {
    while !t.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Scenario texts: the presets and test cases, whose shapes users write.
fn scenario_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in ["tests/cases", "presets"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("corpus dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                texts.push(std::fs::read_to_string(&path).expect("read"));
            }
        }
    }
    texts.sort();
    assert!(texts.len() >= 30, "corpus too small: {}", texts.len());
    texts
}

/// How many generated texts each property test tries: `JSON_READER_CASES` raises it for a
/// longer run (the default keeps `cargo test` quick).
fn cases(default: usize) -> usize {
    std::env::var("JSON_READER_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

#[test]
fn generated_values_agree() {
    let mut rng = Rng(0x5EED_0001);
    let mut accepted = 0;
    for _ in 0..cases(20_000) {
        let text = generated(&mut rng);
        assert_agree(&text);
        accepted += usize::from(read(&text).is_ok());
    }
    // The generator writes JSON: nearly all of it must be accepted (numbers out of range aside),
    // or the test would only be comparing errors.
    assert!(
        accepted * 10 > cases(20_000) * 9,
        "only {accepted} accepted"
    );
}

#[test]
fn mutated_values_agree() {
    let mut rng = Rng(0x5EED_0002);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..cases(40_000) {
        let text = mutated(&mut rng);
        assert_agree(&text);
        if read(&text).is_ok() {
            ok += 1;
        } else {
            err += 1;
        }
    }
    assert!(ok > 1_000 && err > 10_000, "{ok} accepted, {err} rejected");
}

#[test]
fn scenario_files_and_their_mutations_agree() {
    let mut rng = Rng(0x5EED_0003);
    let texts = scenario_texts();
    for text in &texts {
        assert_agree(text);
        assert!(read(text).is_ok());
    }
    for _ in 0..cases(10_000) {
        let text = rng.pick(&texts).clone();
        let text = mutate(&mut rng, &text);
        assert_agree(&text);
    }
}

/// The errors users see through `parse`: the reader's message and position, in the problem's
/// words, as serde_json's were (the tests of `robustness.rs` pin a few; this checks many).
#[test]
fn parse_reports_serde_jsons_message_and_position() {
    let mut rng = Rng(0x5EED_0004);
    let mut checked = 0;
    for _ in 0..cases(2_000) {
        let text = mutated(&mut rng);
        // `parse` skips a byte order mark, which serde_json alone does not.
        let Err(theirs) = serde_read(&text) else {
            continue;
        };
        if text.starts_with('\u{feff}') {
            continue;
        }
        checked += 1;
        assert_eq!(
            impersonation_core::validate(&text)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [format!("$: not valid JSON: {theirs}")],
            "{text:?}"
        );
    }
    assert!(checked > 500, "only {checked} rejected texts");
}
