//! Share links (SPEC §5a): `#s=<data>` where `<data>` is the unpadded base64url of the raw
//! DEFLATE stream (RFC 1951) of the scenario's UTF-8 JSON, and `#json=<data>` with the unpadded
//! base64url of the JSON itself (for links made by hand).
//!
//! Decoding never panics and never allocates more than [`MAX_DECODED_BYTES`] of output, whatever
//! the fragment holds: it is fed untrusted URLs and fuzzed.
//!
//! DEFLATE itself is the `deflate` feature (default on; miniz_oxide). The playground turns it
//! off and uses the browser's own `CompressionStream`/`DecompressionStream` instead (35 KB less
//! wasm, issue #6): it splits a fragment with [`fragment_data`], inflates `#s=` data in the
//! browser under the same limit, and finishes with [`text_of`].
//!
//! Base64url is written here rather than taken from a crate: it is a few dozen lines, and the
//! playground's download size is budgeted (issue #6). The decoder is deliberately lenient about
//! what people paste by hand: it accepts `=` padding at the end and the standard alphabet's `+`
//! and `/`, and skips ASCII whitespace (line-wrapped output of `base64`).

use std::fmt;

/// The most bytes a link may decode to (the inflated JSON of `#s=`, the JSON of `#json=`).
pub const MAX_DECODED_BYTES: usize = 16 * 1024 * 1024;

/// The DEFLATE level used for share links (miniz's 0..=10; 9 is zlib's best).
#[cfg(feature = "deflate")]
const LEVEL: u8 = 9;

/// What a link fragment carries, before any inflating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkData {
    /// `#s=`: the raw DEFLATE stream, still compressed.
    Deflated(Vec<u8>),
    /// `#json=`: the scenario text itself.
    Json(String),
}

/// Why a link fragment could not be turned into scenario text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The fragment carries neither `s=` nor `json=`.
    NoScenario,
    /// `s=` or `json=` with nothing after it.
    Empty,
    /// A character outside the base64url alphabet, at this offset of the data.
    BadCharacter { offset: usize, found: char },
    /// The data's length cannot be base64 (one character left over): it was cut short.
    Truncated,
    /// `=` padding in the middle of the data.
    MisplacedPadding { offset: usize },
    /// The DEFLATE stream is damaged or incomplete.
    BadDeflate(&'static str),
    /// The decoded text would exceed [`MAX_DECODED_BYTES`].
    TooLarge,
    /// The decoded bytes are not UTF-8 text.
    NotUtf8 { offset: usize },
}

/// A character in single quotes, as `{:?}` writes the ones a link can hold (`'%'`, `'\n'`,
/// `'\u{7f}'`), without the Unicode tables `{:?}` brings into the playground's wasm: a
/// character that is not a control character is written as it is.
struct Quoted(char);

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            '\'' | '\\' => write!(f, "'\\{}'", self.0),
            '\n' => f.write_str("'\\n'"),
            '\r' => f.write_str("'\\r'"),
            '\t' => f.write_str("'\\t'"),
            '\0' => f.write_str("'\\0'"),
            c if c.is_control() => write!(f, "'\\u{{{:x}}}'", u32::from(c)),
            c => write!(f, "'{c}'"),
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NoScenario => write!(
                f,
                "the link carries no scenario: its fragment should start with #s= or #json="
            ),
            LinkError::Empty => write!(f, "the link's scenario data is empty"),
            LinkError::BadCharacter { offset, found } => write!(
                f,
                "the link's data is not base64url: unexpected {} at character {offset}",
                Quoted(*found)
            ),
            LinkError::Truncated => write!(
                f,
                "the link's data is cut short (its length is not possible for base64url); was the link copied whole?"
            ),
            LinkError::MisplacedPadding { offset } => write!(
                f,
                "the link's data is not base64url: '=' padding at character {offset} before the end"
            ),
            LinkError::BadDeflate(why) => write!(
                f,
                "the link's compressed data is damaged ({why}); was the link copied whole?"
            ),
            LinkError::TooLarge => write!(
                f,
                "the link's scenario is larger than {} MiB once decoded",
                MAX_DECODED_BYTES / (1024 * 1024)
            ),
            LinkError::NotUtf8 { offset } => write!(
                f,
                "the link's scenario is not UTF-8 text (invalid byte at offset {offset})"
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// The `s=` data for a scenario's JSON text: raw DEFLATE, unpadded base64url.
#[cfg(feature = "deflate")]
pub fn encode_s(json: &str) -> String {
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(
        json.as_bytes(),
        LEVEL,
    ))
}

/// The `json=` data for a scenario's JSON text: unpadded base64url of the text itself.
pub fn encode_json(json: &str) -> String {
    base64url_encode(json.as_bytes())
}

/// The scenario JSON carried by a URL fragment: `#s=...` or `#json=...` (the leading `#` is
/// optional). When the fragment has several `&`-separated parts, the first `s=` or `json=` part
/// counts and the others are ignored.
#[cfg(feature = "deflate")]
pub fn decode_fragment(fragment: &str) -> Result<String, LinkError> {
    match fragment_data(fragment)? {
        LinkData::Deflated(bytes) => text_of(inflate(&bytes)?),
        LinkData::Json(text) => Ok(text),
    }
}

/// Splits a fragment as [`decode_fragment`] does, without inflating `#s=` data: for a caller
/// with a DEFLATE of its own (the browser's), which then passes the inflated bytes, at most
/// [`MAX_DECODED_BYTES`] of them, to [`text_of`].
pub fn fragment_data(fragment: &str) -> Result<LinkData, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    for part in fragment.split('&') {
        if let Some(data) = part.strip_prefix("s=") {
            return Ok(LinkData::Deflated(base64url_decode(data)?));
        }
        if let Some(data) = part.strip_prefix("json=") {
            return text_of(base64url_decode(data)?).map(LinkData::Json);
        }
    }
    Err(LinkError::NoScenario)
}

/// Decoded bytes as scenario text: within [`MAX_DECODED_BYTES`], and UTF-8.
pub fn text_of(bytes: Vec<u8>) -> Result<String, LinkError> {
    if bytes.len() > MAX_DECODED_BYTES {
        return Err(LinkError::TooLarge);
    }
    utf8(bytes)
}

fn utf8(bytes: Vec<u8>) -> Result<String, LinkError> {
    String::from_utf8(bytes).map_err(|e| LinkError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

#[cfg(feature = "deflate")]
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, LinkError> {
    use miniz_oxide::inflate::TINFLStatus;
    miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, MAX_DECODED_BYTES).map_err(
        |e| match e.status {
            TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                LinkError::BadDeflate("the stream ends early")
            }
            _ => LinkError::BadDeflate("invalid DEFLATE data"),
        },
    )
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let sextet = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[sextet as usize]));
        }
    }
    out
}

fn sextet(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' | b'+' => 62,
        b'_' | b'/' => 63,
        _ => return None,
    })
}

/// Decodes base64url, accepting trailing `=` padding, `+` and `/`, and ASCII whitespace.
pub fn base64url_decode(data: &str) -> Result<Vec<u8>, LinkError> {
    let bytes = data.as_bytes();
    // Where the padding starts, if any: only `=` may follow it.
    let end = bytes
        .iter()
        .rposition(|&c| c != b'=' && !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let mut out = Vec::with_capacity(end / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut count = 0usize;
    for (offset, &c) in bytes[..end].iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let Some(v) = sextet(c) else {
            if c == b'=' {
                return Err(LinkError::MisplacedPadding { offset });
            }
            let found = data
                .get(offset..)
                .and_then(|s| s.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(LinkError::BadCharacter { offset, found });
        };
        acc = (acc << 6) | u32::from(v);
        count += 1;
        if count % 4 == 0 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
        }
    }
    match count % 4 {
        0 => {}
        1 => return Err(LinkError::Truncated),
        2 => out.push((acc >> 4) as u8),
        _ => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
    }
    if count == 0 {
        return Err(LinkError::Empty);
    }
    Ok(out)
}

#[cfg(all(test, feature = "deflate"))]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"format":"impersonation-scenario/1","title":"Ünïcode \"quoted\" <b>","machines":["WS1"],"processes":{"c":{"machine":"WS1","account":"LocalSystem"}},"run":{"process":"c","steps":[{"do":"whoami"}]}}"#;

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        // RFC 4648 §10, without padding.
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            if !plain.is_empty() {
                assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
            }
        }
        // The two characters that differ from standard base64.
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn every_byte_value_round_trips_at_every_length() {
        let all: Vec<u8> = (0..=255u8).collect();
        for len in 0..all.len() {
            let enc = base64url_encode(&all[..len]);
            assert!(!enc.contains('='), "unpadded");
            if len > 0 {
                assert_eq!(base64url_decode(&enc).unwrap(), &all[..len]);
            }
        }
    }

    #[test]
    fn s_links_round_trip() {
        let data = encode_s(SAMPLE);
        assert!(data.bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(decode_fragment(&format!("#s={data}")).unwrap(), SAMPLE);
        assert_eq!(decode_fragment(&format!("s={data}")).unwrap(), SAMPLE);
        // A big, repetitive scenario compresses well.
        let big = SAMPLE.repeat(2000);
        let data = encode_s(&big);
        assert!(data.len() < big.len() / 10);
        assert_eq!(decode_fragment(&format!("#s={data}")).unwrap(), big);
    }

    #[test]
    fn s_links_are_raw_deflate_not_zlib() {
        let data = base64url_decode(&encode_s(SAMPLE)).unwrap();
        // A zlib stream starts with 0x78; raw DEFLATE inflates directly.
        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec(&data).unwrap(),
            SAMPLE.as_bytes()
        );
    }

    #[test]
    fn fragment_data_splits_without_inflating() {
        // What the playground does: the browser inflates `#s=` data, the core does the rest.
        let deflated = miniz_oxide::deflate::compress_to_vec(SAMPLE.as_bytes(), LEVEL);
        let fragment = format!("#x=1&s={}", base64url_encode(&deflated));
        assert_eq!(
            fragment_data(&fragment),
            Ok(LinkData::Deflated(deflated.clone()))
        );
        assert_eq!(
            fragment_data(&format!("json={}", encode_json(SAMPLE))),
            Ok(LinkData::Json(SAMPLE.to_string()))
        );
        assert_eq!(fragment_data("#top"), Err(LinkError::NoScenario));
        assert_eq!(text_of(SAMPLE.as_bytes().to_vec()), Ok(SAMPLE.to_string()));
        assert_eq!(
            text_of(vec![b' '; MAX_DECODED_BYTES + 1]),
            Err(LinkError::TooLarge)
        );
        assert_eq!(
            text_of(vec![b'{', 0xff]),
            Err(LinkError::NotUtf8 { offset: 1 })
        );
    }

    #[test]
    fn a_hand_made_json_link_opens() {
        // base64url of {"a":1} made by hand: eyJhIjoxfQ
        assert_eq!(decode_fragment("#json=eyJhIjoxfQ").unwrap(), r#"{"a":1}"#);
        assert_eq!(
            decode_fragment(&format!("#json={}", encode_json(SAMPLE))).unwrap(),
            SAMPLE
        );
    }

    #[test]
    fn padding_and_the_standard_alphabet_are_accepted() {
        assert_eq!(decode_fragment("#json=eyJhIjoxfQ==").unwrap(), r#"{"a":1}"#);
        assert_eq!(base64url_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64url_decode("+/8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64url_decode("Zm9v\nYmFy").unwrap(), b"foobar");
        assert_eq!(
            base64url_decode("Zm=8"),
            Err(LinkError::MisplacedPadding { offset: 2 })
        );
    }

    #[test]
    fn other_fragment_parts_are_ignored() {
        assert_eq!(
            decode_fragment("#theme=dark&json=eyJhIjoxfQ").unwrap(),
            r#"{"a":1}"#
        );
    }

    #[test]
    fn a_bad_character_is_quoted_as_debug_quotes_it() {
        for c in (0u8..0x80)
            .map(char::from)
            .chain(['é', 'ß', '€', '😀', '\u{85}', '\u{9f}'])
        {
            assert_eq!(Quoted(c).to_string(), format!("{c:?}"));
        }
        assert_eq!(
            LinkError::BadCharacter {
                offset: 2,
                found: '%'
            }
            .to_string(),
            "the link's data is not base64url: unexpected '%' at character 2"
        );
    }

    #[test]
    fn garbage_gives_clear_errors() {
        assert_eq!(decode_fragment(""), Err(LinkError::NoScenario));
        assert_eq!(decode_fragment("#"), Err(LinkError::NoScenario));
        assert_eq!(decode_fragment("#x=abc"), Err(LinkError::NoScenario));
        assert_eq!(decode_fragment("#s="), Err(LinkError::Empty));
        assert_eq!(decode_fragment("#json="), Err(LinkError::Empty));
        assert_eq!(
            decode_fragment("#json=ab%cd"),
            Err(LinkError::BadCharacter {
                offset: 2,
                found: '%'
            })
        );
        assert_eq!(
            decode_fragment("#json=abé"),
            Err(LinkError::BadCharacter {
                offset: 2,
                found: 'é'
            })
        );
        // Valid base64url, but not a DEFLATE stream.
        assert!(matches!(
            decode_fragment("#s=_____________w"),
            Err(LinkError::BadDeflate(_))
        ));
        // Valid base64url of bytes that are not UTF-8.
        assert_eq!(
            decode_fragment(&format!("#json={}", base64url_encode(&[b'{', 0xff]))),
            Err(LinkError::NotUtf8 { offset: 1 })
        );
        let message = decode_fragment("#s=####").unwrap_err().to_string();
        assert!(message.contains("not base64url"), "{message}");
    }

    #[test]
    fn truncated_data_is_reported() {
        let data = encode_s(SAMPLE);
        // Cut the base64 so that one character is left over.
        let cut = &data[..(data.len() / 4 - 1) * 4 + 1];
        assert_eq!(
            decode_fragment(&format!("#s={cut}")),
            Err(LinkError::Truncated)
        );
        // Cut cleanly on a base64 boundary: the DEFLATE stream ends early.
        let cut = &data[..data.len() / 2 / 4 * 4];
        assert!(matches!(
            decode_fragment(&format!("#s={cut}")),
            Err(LinkError::BadDeflate(_))
        ));
        let message = decode_fragment(&format!("#s={cut}"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("copied whole"), "{message}");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let bomb = vec![b' '; MAX_DECODED_BYTES + 1];
        let data = base64url_encode(&miniz_oxide::deflate::compress_to_vec(&bomb, 6));
        assert!(data.len() < 100_000);
        assert_eq!(
            decode_fragment(&format!("#s={data}")),
            Err(LinkError::TooLarge)
        );
        // Exactly at the limit is fine.
        let data = base64url_encode(&miniz_oxide::deflate::compress_to_vec(
            &bomb[..MAX_DECODED_BYTES],
            6,
        ));
        assert_eq!(
            decode_fragment(&format!("#s={data}")).map(|s| s.len()),
            Ok(MAX_DECODED_BYTES)
        );
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // A small deterministic fuzz: every prefix and byte flip of a valid link.
        let link = format!("#s={}", encode_s(SAMPLE));
        for end in 0..link.len() {
            let _ = decode_fragment(&link[..end]);
        }
        let mut bytes = base64url_decode(&encode_s(SAMPLE)).unwrap();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                bytes[i] ^= 1 << bit;
                let _ = decode_fragment(&format!("#s={}", base64url_encode(&bytes)));
                bytes[i] ^= 1 << bit;
            }
        }
    }
}
