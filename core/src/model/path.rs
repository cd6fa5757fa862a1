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
    format!("{parent}[{i}]")
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_read_like_javascript() {
        assert_eq!(super::key("", "run"), "run");
        assert_eq!(super::key("run", "steps"), "run.steps");
        assert_eq!(super::index("run.steps", 3), "run.steps[3]");
        assert_eq!(super::key("accounts", "APP1$"), "accounts.APP1$");
        assert_eq!(super::key("accounts", "svc app"), "accounts[\"svc app\"]");
        assert_eq!(super::key("x", "a\"b"), "x[\"a\\\"b\"]");
    }
}
