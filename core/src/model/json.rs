//! A light JSON tree for decoding: strings borrow from the input where they can, objects keep
//! their entries in order in a small vector (no hashing, duplicate keys visible), and JSON paths
//! are linked lists rendered to text only when a problem is reported.
//!
//! This is what makes reading a million-step scenario fast: a `serde_json::Value` would
//! allocate every key and hash every object.
//!
//! The tree decoder reads text into it with [`read`] (`json/read.rs`, written for this crate:
//! serde_json's messages and positions without its deserializer in the playground's wasm). The
//! serde `Deserialize` impl below remains for the command line's fast path (`model/fast.rs`),
//! which reads the small tables beside `run.steps` through serde_json, and for the tests that
//! hold [`read`] to serde_json.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

mod read;
pub use read::{read, SyntaxError};

/// Writes `s` as a JSON string, quoted and escaped exactly as serde_json escapes it (the
/// encoder's strings, the keys of paths, the values in messages).
pub fn write_string(out: &mut String, s: &str) {
    /// `\u0000` to `\u001f`, six bytes each.
    const CONTROLS: &str = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f";
    out.push('"');
    super::path::escape_runs(out, s, |b| match b {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        b'\n' => Some("\\n"),
        b'\r' => Some("\\r"),
        b'\t' => Some("\\t"),
        0x08 => Some("\\b"),
        0x0c => Some("\\f"),
        0..=0x1f => {
            let at = 6 * usize::from(b);
            Some(&CONTROLS[at..at + 6])
        }
        _ => None,
    });
    out.push('"');
}

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Str(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// "a string", "an object", … for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// A short JSON rendering for messages: strings quoted, numbers and literals as written,
    /// arrays and objects by their type.
    pub fn brief(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => serde_json::Number::from_f64(*n)
                .map(|x| {
                    if n.fract() == 0.0 && n.abs() < 1e15 {
                        format!("{}", *n as i64)
                    } else {
                        x.to_string()
                    }
                })
                // JSON has no NaN or infinity: every parsed number is finite.
                .unwrap_or_else(|| "a number".into()),
            Json::Str(s) => {
                let mut out = String::new();
                write_string(&mut out, s);
                out
            }
            other => other.type_name().to_string(),
        }
    }

    /// Converts a `serde_json::Value`, borrowing its strings. Iterative in spirit: the value
    /// came through the same depth limit, so the recursion here is bounded.
    pub fn from_value(v: &'a serde_json::Value) -> Json<'a> {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Json::Str(Cow::Borrowed(s)),
            serde_json::Value::Array(a) => Json::Array(a.iter().map(Json::from_value).collect()),
            serde_json::Value::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v)))
                    .collect(),
            ),
        }
    }
}

/// serde_json's reading of `text` into the tree, as the tree decoder read it before [`read`]
/// (from a `&str`, no recursion limit, nothing after the value): the reference that
/// `tests/json_reader.rs` and the `json` fuzz target hold [`read`] to. Unused by the crate, so
/// no build links it.
#[doc(hidden)]
pub fn read_with_serde_json(text: &str) -> Result<Json<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let tree = Json::deserialize(&mut de)?;
    de.end()?;
    Ok(tree)
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
        while let Some(key) = map.next_key::<JsonKey<'de>>()? {
            let value = map.next_value()?;
            entries.push((key.0, value));
        }
        Ok(Json::Object(entries))
    }
}

/// An object key, borrowed when it has no escapes.
struct JsonKey<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for JsonKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = JsonKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<JsonKey<'de>, E> {
                Ok(JsonKey(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<JsonKey<'de>, E> {
                Ok(JsonKey(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<JsonKey<'de>, E> {
                Ok(JsonKey(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A JSON path as a linked list of segments: building one costs nothing; [`Path::render`]
/// spells it (`run.steps[0].to`) when a problem needs it.
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    pub fn key(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    pub fn index(&'p self, i: usize) -> Path<'p> {
        Path::Index(self, i)
    }

    /// The path as text (empty for the root), without recursion.
    pub fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                Path::Root => break,
                Path::Key(parent, k) => {
                    segments.push(Err(*k));
                    cur = parent;
                }
                Path::Index(parent, i) => {
                    segments.push(Ok(*i));
                    cur = parent;
                }
            }
        }
        let mut out = String::new();
        for seg in segments.iter().rev() {
            out = match seg {
                Err(k) => super::path::key(&out, k),
                Ok(i) => super::path::index(&out, *i),
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut every: String = (0u32..0x250).filter_map(char::from_u32).collect();
        every.push_str("\u{2028}\u{2029}\u{feff}\u{1f600} end");
        for s in [every.as_str(), "", "plain", "a\"b\\c", "\u{7f}"] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn strings_borrow_and_objects_keep_order_and_duplicates() {
        let text = r#"{"b": "x", "a": [1, true, null], "b": "y\n"}"#;
        let j = read(text).unwrap();
        assert_eq!(read_with_serde_json(text).unwrap(), j);
        let Json::Object(entries) = j else { panic!() };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert!(matches!(&entries[0].1, Json::Str(Cow::Borrowed("x"))));
        assert!(matches!(&entries[2].1, Json::Str(Cow::Owned(s)) if s == "y\n"));
    }

    #[test]
    fn paths_render_on_demand() {
        let root = Path::Root;
        let run = root.key("run");
        let steps = run.key("steps");
        let s0 = steps.index(0);
        let odd = s0.key("a b");
        assert_eq!(s0.render(), "run.steps[0]");
        assert_eq!(odd.render(), "run.steps[0][\"a b\"]");
        assert_eq!(Path::Root.render(), "");
    }
}
