//! JSON text → [`Json`] tree, by hand (issue #13: the playground's download). serde_json's
//! deserializer and the serde visitor that built this tree cost the playground's wasm some 12 KB
//! before gzip (its float table alone 2.5 KB); this reader does the same in a fraction of that.
//!
//! It is held to serde_json exactly, because users see its messages: it accepts the texts
//! serde_json accepts (reading from a `&str` with the recursion limit off, the depth being
//! checked beforehand by `decode::check_depth`) and gives the same tree, numbers included; it
//! rejects the others with serde_json's message at serde_json's line and column. The parts that
//! decide this are ported from serde_json 1.0 (`de.rs` and `read.rs`, MIT or Apache-2.0): which
//! byte an error points at, when a number overflows into a float, and how a float is made from
//! its digits (the decimal significand times or divided by a power of ten, not correctly rounded
//! in every case, as serde_json does without its `float_roundtrip` feature).
//! `tests/json_reader.rs` compares the two on generated and mutated texts.
//!
//! Nesting is read with an explicit stack, not recursion.

use std::borrow::Cow;
use std::fmt;

use super::Json;

/// Why a text is not JSON: serde_json's message and the position it gives (line from 1, column
/// in bytes from the line's start, 0 before its first byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    message: &'static str,
    line: usize,
    column: usize,
}

impl SyntaxError {
    /// The message without the position, e.g. "expected value".
    pub fn message(&self) -> &'static str {
        self.message
    }
    pub fn line(&self) -> usize {
        self.line
    }
    pub fn column(&self) -> usize {
        self.column
    }
}

/// As serde_json's `Error` displays: "expected value at line 1 column 1".
impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

// serde_json's messages, word for word.
const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_NOT_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const HEX_ESCAPE_END: &str = "unexpected end of hex escape";

type Result<T> = std::result::Result<T, SyntaxError>;

/// Reads one JSON value filling the whole text (whitespace around it allowed).
pub fn read(text: &str) -> Result<Json<'_>> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        i: 0,
        pow10: Vec::new(),
    };
    let value = r.value()?;
    match r.skip_whitespace() {
        Some(_) => Err(r.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    }
}

/// An array or object being read: its items so far (and an object's key awaiting its value).
enum Open<'a> {
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>, Cow<'a, str>),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The next byte to read.
    i: usize,
    /// 10^0 ..= 10^308, made when the first number with a fraction or an exponent is read.
    pow10: Vec<f64>,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    /// Skips whitespace; the next byte, not consumed.
    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(b) = self.peek() {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.i += 1;
        }
        None
    }

    /// An error about the byte last consumed (serde_json's `error`).
    #[cold]
    fn error(&self, message: &'static str) -> SyntaxError {
        self.error_at(self.i, message)
    }

    /// An error about the next byte, not consumed (serde_json's `peek_error`).
    #[cold]
    fn peek_error(&self, message: &'static str) -> SyntaxError {
        self.error_at((self.i + 1).min(self.bytes.len()), message)
    }

    /// serde_json's position of the byte before index `i`: its line, and its column counted in
    /// bytes (0 when `i` starts a line).
    fn error_at(&self, i: usize, message: &'static str) -> SyntaxError {
        let before = &self.bytes[..i];
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = 1 + before[..start].iter().filter(|&&b| b == b'\n').count();
        SyntaxError {
            message,
            line,
            column: i - start,
        }
    }

    /// A whole value, nested arrays and objects on a stack of their own.
    fn value(&mut self) -> Result<Json<'a>> {
        let mut open: Vec<Open<'a>> = Vec::new();
        loop {
            let mut value = match self.skip_whitespace() {
                None => return Err(self.peek_error(EOF_VALUE)),
                Some(b'[') => {
                    self.i += 1;
                    match self.skip_whitespace() {
                        None => return Err(self.peek_error(EOF_LIST)),
                        Some(b']') => {
                            self.i += 1;
                            Json::Array(Vec::new())
                        }
                        Some(_) => {
                            open.push(Open::Array(Vec::new()));
                            continue;
                        }
                    }
                }
                Some(b'{') => {
                    self.i += 1;
                    match self.skip_whitespace() {
                        None => return Err(self.peek_error(EOF_OBJECT)),
                        Some(b'}') => {
                            self.i += 1;
                            Json::Object(Vec::new())
                        }
                        Some(b'"') => {
                            let key = self.key()?;
                            open.push(Open::Object(Vec::new(), key));
                            continue;
                        }
                        Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
                    }
                }
                Some(b) => self.scalar(b)?,
            };
            // The value is whole: it joins its array or object, which may end with it.
            loop {
                let (close, eof) = match open.last_mut() {
                    None => return Ok(value),
                    Some(Open::Array(items)) => {
                        items.push(value);
                        (b']', EOF_LIST)
                    }
                    Some(Open::Object(entries, key)) => {
                        entries.push((std::mem::take(key), value));
                        (b'}', EOF_OBJECT)
                    }
                };
                match self.skip_whitespace() {
                    None => return Err(self.peek_error(eof)),
                    Some(b) if b == close => {
                        self.i += 1;
                        value = match open.pop() {
                            Some(Open::Array(items)) => Json::Array(items),
                            Some(Open::Object(entries, _)) => Json::Object(entries),
                            None => Json::Null, // not reached: `open` had a last entry
                        };
                    }
                    Some(b',') => {
                        self.i += 1;
                        self.after_comma(&mut open, close)?;
                        break;
                    }
                    Some(_) if close == b']' => return Err(self.peek_error(EXPECTED_LIST_COMMA)),
                    Some(_) => return Err(self.peek_error(EXPECTED_OBJECT_COMMA)),
                }
            }
        }
    }

    /// After a comma in an array or object (`close` is its closing bracket): what must follow,
    /// and an object's next key.
    fn after_comma(&mut self, open: &mut [Open<'a>], close: u8) -> Result<()> {
        match self.skip_whitespace() {
            None => Err(self.peek_error(EOF_VALUE)),
            Some(b) if b == close => Err(self.peek_error(TRAILING_COMMA)),
            Some(b'"') if close == b'}' => {
                let next = self.key()?;
                if let Some(Open::Object(_, key)) = open.last_mut() {
                    *key = next;
                }
                Ok(())
            }
            Some(_) if close == b'}' => Err(self.peek_error(KEY_NOT_STRING)),
            Some(_) => Ok(()),
        }
    }

    /// An object's key (at its opening quote) and the colon after it.
    fn key(&mut self) -> Result<Cow<'a, str>> {
        self.i += 1;
        let key = self.string()?;
        match self.skip_whitespace() {
            Some(b':') => {
                self.i += 1;
                Ok(key)
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// A literal, a number or a string, starting with byte `b` (not consumed).
    fn scalar(&mut self, b: u8) -> Result<Json<'a>> {
        Ok(match b {
            b'n' => {
                self.literal(b"null")?;
                Json::Null
            }
            b't' => {
                self.literal(b"true")?;
                Json::Bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                Json::Bool(false)
            }
            b'-' => {
                self.i += 1;
                Json::Number(self.number(false)?)
            }
            b'0'..=b'9' => Json::Number(self.number(true)?),
            b'"' => {
                self.i += 1;
                Json::Str(self.string()?)
            }
            _ => return Err(self.peek_error(EXPECTED_VALUE)),
        })
    }

    /// `word`, whose first byte has been peeked.
    fn literal(&mut self, word: &[u8]) -> Result<()> {
        self.i += 1;
        for &expected in &word[1..] {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    // ---- numbers (serde_json's parse_integer and what it calls) -------------------------------

    /// A number after its sign.
    fn number(&mut self, positive: bool) -> Result<f64> {
        match self.next() {
            None => Err(self.error(EOF_VALUE)),
            Some(b'0') => match self.peek() {
                // Only one leading zero.
                Some(b'0'..=b'9') => Err(self.peek_error(INVALID_NUMBER)),
                _ => self.after_integer(positive, 0),
            },
            Some(c @ b'1'..=b'9') => {
                let mut significand = u64::from(c - b'0');
                while let Some(c @ b'0'..=b'9') = self.peek() {
                    let digit = u64::from(c - b'0');
                    if overflows(significand, digit) {
                        return self.long_integer(positive, significand);
                    }
                    self.i += 1;
                    significand = significand * 10 + digit;
                }
                self.after_integer(positive, significand)
            }
            Some(_) => Err(self.error(INVALID_NUMBER)),
        }
    }

    fn after_integer(&mut self, positive: bool, significand: u64) -> Result<f64> {
        match self.peek() {
            Some(b'.') => self.decimal(positive, significand, 0),
            Some(b'e' | b'E') => self.exponent(positive, significand, 0),
            // An integer: serde_json's u64 or i64 (or, for -0 and below i64's range, f64), which
            // the tree takes as f64: the same value either way.
            _ if positive => Ok(significand as f64),
            _ => Ok(-(significand as f64)),
        }
    }

    /// An integer too large for u64: its further digits only raise the exponent.
    #[cold]
    fn long_integer(&mut self, positive: bool, significand: u64) -> Result<f64> {
        let mut exponent = 0i32;
        loop {
            match self.peek() {
                Some(b'0'..=b'9') => {
                    self.i += 1;
                    exponent = exponent.wrapping_add(1);
                }
                Some(b'.') => return self.decimal(positive, significand, exponent),
                Some(b'e' | b'E') => return self.exponent(positive, significand, exponent),
                _ => return self.scale(positive, significand, exponent),
            }
        }
    }

    /// The fraction, at its `.`.
    fn decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> Result<f64> {
        self.i += 1;
        let mut after = 0i32;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            let digit = u64::from(c - b'0');
            if overflows(significand, digit) {
                // Further digits are dropped.
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
                return self.after_fraction(positive, significand, before.wrapping_add(after));
            }
            self.i += 1;
            significand = significand * 10 + digit;
            after -= 1;
        }
        if after == 0 {
            // No digit after the point.
            return Err(match self.peek() {
                Some(_) => self.peek_error(INVALID_NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        self.after_fraction(positive, significand, before.wrapping_add(after))
    }

    fn after_fraction(&mut self, positive: bool, significand: u64, exponent: i32) -> Result<f64> {
        match self.peek() {
            Some(b'e' | b'E') => self.exponent(positive, significand, exponent),
            _ => self.scale(positive, significand, exponent),
        }
    }

    /// The exponent, at its `e` or `E`; `start` is what the digits before it implied.
    fn exponent(&mut self, positive: bool, significand: u64, start: i32) -> Result<f64> {
        self.i += 1;
        let positive_exp = match self.peek() {
            Some(b'+') => {
                self.i += 1;
                true
            }
            Some(b'-') => {
                self.i += 1;
                false
            }
            _ => true,
        };
        let mut exp = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        };
        while let Some(c @ b'0'..=b'9') = self.peek() {
            self.i += 1;
            let digit = i32::from(c - b'0');
            if exp >= i32::MAX / 10 && (exp > i32::MAX / 10 || digit > i32::MAX % 10) {
                // An exponent beyond i32: infinite (an error) or zero.
                if significand != 0 && positive_exp {
                    return Err(self.error(OUT_OF_RANGE));
                }
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exp = exp * 10 + digit;
        }
        let exponent = if positive_exp {
            start.saturating_add(exp)
        } else {
            start.saturating_sub(exp)
        };
        self.scale(positive, significand, exponent)
    }

    /// significand × 10^exponent, as serde_json computes it.
    fn scale(&mut self, positive: bool, significand: u64, mut exponent: i32) -> Result<f64> {
        let mut f = significand as f64;
        loop {
            match self.power_of_ten(exponent.unsigned_abs()) {
                Some(pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(OUT_OF_RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(OUT_OF_RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }

    /// 10^n as the nearest f64 (what the literal `1e{n}` is), for n up to 308.
    fn power_of_ten(&mut self, n: u32) -> Option<f64> {
        if self.pow10.is_empty() {
            self.pow10 = powers_of_ten();
        }
        self.pow10.get(n as usize).copied()
    }

    // ---- strings (serde_json's parse_str with validation) --------------------------------------

    /// A string's contents, after its opening quote: borrowed from the text unless it has
    /// escapes.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        let mut owned: Option<String> = None;
        let mut start = self.i;
        loop {
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // `start` and `i` sit next to ASCII bytes (quotes, backslashes, escapes): char
            // boundaries.
            let piece = &self.text[start..self.i];
            match self.next() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    return Ok(match owned {
                        None => Cow::Borrowed(piece),
                        Some(mut s) => {
                            s.push_str(piece);
                            Cow::Owned(s)
                        }
                    })
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(piece);
                    self.escape(s)?;
                    start = self.i;
                }
                Some(_) => return Err(self.error(CONTROL_CHARACTER)),
            }
        }
    }

    /// The escape after a backslash, appended to `s`.
    fn escape(&mut self, s: &mut String) -> Result<()> {
        let c = match self.next() {
            None => return Err(self.error(EOF_STRING)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\x08',
            Some(b'f') => '\x0c',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(s),
            Some(_) => return Err(self.error(INVALID_ESCAPE)),
        };
        s.push(c);
        Ok(())
    }

    /// `\uXXXX`, after the `u`: a character, or a surrogate pair written as two escapes.
    fn unicode_escape(&mut self, s: &mut String) -> Result<()> {
        let n = self.hex4()?;
        let code = match n {
            0xDC00..=0xDFFF => return Err(self.error(LONE_SURROGATE)),
            0xD800..=0xDBFF => {
                for expected in [b'\\', b'u'] {
                    match self.next() {
                        None => return Err(self.error(EOF_STRING)),
                        Some(b) if b != expected => return Err(self.error(HEX_ESCAPE_END)),
                        Some(_) => {}
                    }
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error(LONE_SURROGATE));
                }
                0x1_0000 + (((n - 0xD800) << 10) | (low - 0xDC00))
            }
            _ => n,
        };
        if let Some(c) = char::from_u32(code) {
            s.push(c);
        }
        Ok(())
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u32> {
        let Some(digits) = self.bytes.get(self.i..self.i + 4) else {
            self.i = self.bytes.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut n = 0;
        for &d in digits {
            match char::from(d).to_digit(16) {
                Some(v) => n = (n << 4) | v,
                None => return Err(self.error(INVALID_ESCAPE)),
            }
        }
        Ok(n)
    }
}

/// Whether `significand * 10 + digit` would overflow u64.
fn overflows(significand: u64, digit: u64) -> bool {
    significand >= u64::MAX / 10 && (significand > u64::MAX / 10 || digit > u64::MAX % 10)
}

/// 10^0 ..= 10^308, each the nearest f64: 5^n in exact integer arithmetic (32-bit limbs, least
/// significant first), its top 64 bits (with a sticky bit for any below) rounded to a double,
/// times 2^n. Made when first needed instead of stored: 2.5 KB of doubles gzip barely shrinks.
fn powers_of_ten() -> Vec<f64> {
    let mut five = vec![1u32];
    let mut out = Vec::with_capacity(309);
    for n in 0..309u32 {
        if n > 0 {
            let mut carry = 0u64;
            for limb in five.iter_mut() {
                let x = u64::from(*limb) * 5 + carry;
                *limb = x as u32;
                carry = x >> 32;
            }
            if carry != 0 {
                five.push(carry as u32);
            }
        }
        let top_limb = five.len() - 1;
        let bits = 32 * five.len() as u32 - five[top_limb].leading_zeros();
        let shift = bits.saturating_sub(64);
        let (word, offset) = ((shift / 32) as usize, shift % 32);
        let mut window = 0u128;
        for &limb in five[word..].iter().take(3).rev() {
            window = (window << 32) | u128::from(limb);
        }
        let below = five[..word].iter().any(|&l| l != 0) || five[word] & ((1 << offset) - 1) != 0;
        let top = (window >> offset) as u64 | u64::from(below);
        let scale = f64::from_bits(u64::from(1023 + shift + n) << 52);
        out.push(top as f64 * scale);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_powers_of_ten_are_the_literals() {
        let table = powers_of_ten();
        for (n, &p) in table.iter().enumerate() {
            let literal: f64 = format!("1e{n}").parse().unwrap();
            assert_eq!(p.to_bits(), literal.to_bits(), "10^{n}");
        }
        let mut r = Reader {
            text: "",
            bytes: b"",
            i: 0,
            pow10: Vec::new(),
        };
        for n in 0..=22 {
            assert_eq!(r.power_of_ten(n), Some(table[n as usize]), "10^{n}");
        }
        assert_eq!(r.power_of_ten(308), Some(1e308));
        assert_eq!(r.power_of_ten(309), None);
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let j = read(r#"["plain", "esc\naped", "\ud83d\ude00"]"#).unwrap();
        let Json::Array(items) = j else { panic!() };
        assert!(matches!(&items[0], Json::Str(Cow::Borrowed("plain"))));
        assert!(matches!(&items[1], Json::Str(Cow::Owned(s)) if s == "esc\naped"));
        assert!(matches!(&items[2], Json::Str(Cow::Owned(s)) if s == "😀"));
    }
}
