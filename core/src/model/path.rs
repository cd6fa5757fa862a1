//! JSON paths as the error messages and the outcome spell them: `run.steps[0].steps[2]`,
//! `processes.B.com.cloaking`, `accounts["svc app"]` for a key that is not a plain name.

/// `parent.key` (or `key` at the root).
pub fn key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-');
    let mut out = String::with_capacity(parent.len() + key.len() + 4);
    out.push_str(parent);
    if plain {
        if !parent.is_empty() {
            out.push('.');
        }
        out.push_str(key);
    } else {
        out.push('[');
        out.push_str(&serde_json::to_string(key).unwrap_or_default());
        out.push(']');
    }
    out
}

/// `parent[i]`.
pub fn index(parent: &str, i: usize) -> String {
    // Without format!: the engine spells a path for every step.
    let mut out = String::with_capacity(parent.len() + 8);
    out.push_str(parent);
    out.push('[');
    push_decimal(&mut out, i);
    out.push(']');
    out
}

/// Appends `n` in decimal, without the formatting machinery (also the diagram's SVG writer's).
pub fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or("0"));
}

/// Writes `s` to `out` with each byte that `escape` has a replacement for replaced, and the
/// runs between them copied whole: the JSON writer's and the SVG writer's escaping. Only ASCII
/// bytes may be replaced (so every cut is at a character boundary).
pub fn escape_runs(out: &mut String, s: &str, escape: impl Fn(u8) -> Option<&'static str>) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(with) = escape(b) {
            out.push_str(&s[start..i]);
            out.push_str(with);
            start = i + 1;
        }
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_read_like_javascript() {
        assert_eq!(super::key("", "run"), "run");
        assert_eq!(super::key("run", "steps"), "run.steps");
        assert_eq!(super::index("run.steps", 3), "run.steps[3]");
        assert_eq!(super::index("", 0), "[0]");
        assert_eq!(super::index("a", 1_234_567_890), "a[1234567890]");
        assert_eq!(super::key("accounts", "APP1$"), "accounts.APP1$");
        assert_eq!(super::key("accounts", "svc app"), "accounts[\"svc app\"]");
        assert_eq!(super::key("x", "a\"b"), "x[\"a\\\"b\"]");
    }
}
