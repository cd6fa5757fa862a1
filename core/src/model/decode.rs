//! Reading a scenario: JSON text → [`serde_json::Value`] → [`Scenario`], reporting every
//! problem it finds with its JSON path instead of stopping at the first.
//!
//! Limits (documented in the README): the text may be at most [`MAX_INPUT_BYTES`] long and
//! nest at most [`MAX_DEPTH`] levels. Both are checked before parsing, by a scan that uses no
//! recursion, so that no input can exhaust the stack.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::enums::*;
use super::path;
use super::scenario::*;
use crate::error::{Error, Problem};

/// The most bytes a scenario's JSON text may have.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
/// The deepest nesting of JSON arrays and objects accepted. A chain of calls costs two levels
/// per call (the call object and its `steps` array), so this admits chains of about 2,000 calls.
pub const MAX_DEPTH: usize = 4_000;

/// Parses and decodes a scenario from JSON text.
pub fn from_json_str(text: &str) -> Result<Scenario, Error> {
    let value = parse_json(text)?;
    from_value(&value)
}

/// Parses JSON text within the reading limits.
pub fn parse_json(text: &str) -> Result<Value, Error> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::syntax(Problem::new(
            "$",
            format!(
                "the document is {} bytes; the limit is {} bytes",
                text.len(),
                MAX_INPUT_BYTES
            ),
        )));
    }
    if let Some(offset) = depth_exceeded(text.as_bytes(), MAX_DEPTH) {
        return Err(Error::syntax(Problem::new(
            "$",
            format!(
                "nesting deeper than {MAX_DEPTH} levels (at byte {offset}); \
                 the limit admits call chains of about {} calls",
                MAX_DEPTH / 2
            ),
        )));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut de)
        .and_then(|v: Value| de.end().map(|()| v))
        .map_err(|e| {
            Error::syntax(Problem::new(
                "$",
                format!(
                    "not valid JSON: {} at line {} column {}",
                    describe_json_error(&e),
                    e.line(),
                    e.column()
                ),
            ))
        })?;
    Ok(value)
}

fn describe_json_error(e: &serde_json::Error) -> String {
    // serde_json's message ends with " at line L column C"; we print those separately.
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The byte offset at which `[`/`{` nesting first exceeds `limit`, skipping strings.
fn depth_exceeded(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Decodes a parsed JSON value, then validates it (see [`super::validate`]).
pub fn from_value(value: &Value) -> Result<Scenario, Error> {
    let mut d = Decoder::default();
    let scenario = d.scenario(value);
    match scenario {
        Some(s) if d.problems.is_empty() => {
            let problems = super::validate::validate(&s);
            if problems.is_empty() {
                Ok(s)
            } else {
                Err(Error::invalid(problems))
            }
        }
        _ => Err(Error::invalid(d.problems)),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[derive(Default)]
struct Decoder {
    problems: Vec<Problem>,
}

const SCENARIO_FIELDS: &[&str] = &[
    "format",
    "title",
    "description",
    "domain",
    "options",
    "machines",
    "accounts",
    "processes",
    "resources",
    "run",
];
const ACCOUNT_FIELDS: &[&str] = &[
    "spns",
    "delegation",
    "allowed_to_act",
    "sensitive",
    "protected_users",
];
const PROCESS_FIELDS: &[&str] = &["machine", "account", "kind", "com", "threading"];
const COM_FIELDS: &[&str] = &["authn_level", "imp_level", "cloaking"];
const RESOURCE_FIELDS: &[&str] = &["machine", "allow", "spn"];
const RUN_FIELDS: &[&str] = &["process", "steps"];
const CALL_FIELDS: &[&str] = &[
    "do",
    "label",
    "to",
    "api",
    "transport",
    "authn",
    "authn_level",
    "imp_level",
    "mutual_auth",
    "spn",
    "cloaking",
    "tracking",
    "ignore_delegate_failure",
    "proxy",
    "steps",
    "meanwhile",
];
const MEANWHILE_FIELDS: &[&str] = &[
    "label",
    "from",
    "api",
    "transport",
    "authn",
    "authn_level",
    "imp_level",
    "mutual_auth",
    "spn",
    "cloaking",
    "tracking",
    "ignore_delegate_failure",
    "proxy",
    "steps",
    "meanwhile",
];
const BLANKET_FIELDS: &[&str] = &[
    "do",
    "label",
    "proxy",
    "authn",
    "authn_level",
    "imp_level",
    "cloaking",
];

impl Decoder {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// `v` as an object whose keys are all in `fields`.
    fn object<'v>(
        &mut self,
        v: &'v Value,
        at: &str,
        fields: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            self.problem(at, format!("expected an object, found {}", type_name(v)));
            return None;
        };
        for k in map.keys() {
            if !fields.contains(&k.as_str()) {
                self.problem(
                    &path::key(at, k),
                    format!("unknown field; expected one of: {}", fields.join(", ")),
                );
            }
        }
        Some(map)
    }

    fn string(&mut self, v: &Value, at: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.problem(at, format!("expected a string, found {}", type_name(v)));
                None
            }
        }
    }

    fn name(&mut self, v: &Value, at: &str) -> Option<String> {
        let s = self.string(v, at)?;
        if s.trim().is_empty() {
            self.problem(at, "must not be empty");
            return None;
        }
        Some(s)
    }

    fn req_name(&mut self, m: &Map<String, Value>, at: &str, key: &str) -> Option<String> {
        match m.get(key) {
            Some(v) => self.name(v, &path::key(at, key)),
            None => {
                self.problem(&path::key(at, key), "missing required field");
                None
            }
        }
    }

    fn opt_string(&mut self, m: &Map<String, Value>, at: &str, key: &str) -> Option<String> {
        m.get(key).and_then(|v| self.string(v, &path::key(at, key)))
    }

    fn opt_name(&mut self, m: &Map<String, Value>, at: &str, key: &str) -> Option<String> {
        m.get(key).and_then(|v| self.name(v, &path::key(at, key)))
    }

    fn bool(&mut self, m: &Map<String, Value>, at: &str, key: &str) -> bool {
        match m.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                let msg = format!("expected true or false, found {}", type_name(v));
                self.problem(&path::key(at, key), msg);
                false
            }
        }
    }

    fn word<T: Vocabulary>(&mut self, m: &Map<String, Value>, at: &str, key: &str) -> Option<T> {
        let v = m.get(key)?;
        let at = path::key(at, key);
        let s = self.string(v, &at)?;
        match T::parse(&s) {
            Some(t) => Some(t),
            None => {
                self.problem(&at, format!("expected {}, found \"{}\"", T::choices(), s));
                None
            }
        }
    }

    fn names(&mut self, v: &Value, at: &str) -> Vec<String> {
        let Value::Array(items) = v else {
            self.problem(
                at,
                format!("expected an array of strings, found {}", type_name(v)),
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.name(item, &path::index(at, i)))
            .collect()
    }

    fn opt_names(&mut self, m: &Map<String, Value>, at: &str, key: &str) -> Vec<String> {
        match m.get(key) {
            Some(v) => self.names(v, &path::key(at, key)),
            None => Vec::new(),
        }
    }

    fn table<T>(
        &mut self,
        m: &Map<String, Value>,
        key: &str,
        mut entry: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> IndexMap<String, T> {
        let mut out = IndexMap::new();
        let Some(v) = m.get(key) else { return out };
        let Value::Object(entries) = v else {
            self.problem(key, format!("expected an object, found {}", type_name(v)));
            return out;
        };
        for (name, value) in entries {
            let at = path::key(key, name);
            if name.trim().is_empty() {
                self.problem(&at, "a name must not be empty");
                continue;
            }
            if let Some(t) = entry(self, value, &at) {
                out.insert(name.clone(), t);
            }
        }
        out
    }

    fn scenario(&mut self, v: &Value) -> Option<Scenario> {
        let m = self.object(v, "", SCENARIO_FIELDS)?;
        match m.get("format") {
            None => self.problem("format", "missing required field"),
            Some(Value::String(s)) if s == SCENARIO_FORMAT => {}
            Some(other) => self.problem(
                "format",
                format!("expected \"{SCENARIO_FORMAT}\", found {other}"),
            ),
        }
        let title = match m.get("title") {
            Some(v) => self.string(v, "title"),
            None => {
                self.problem("title", "missing required field");
                None
            }
        };
        let description = self.opt_string(m, "", "description");
        let domain = self
            .opt_name(m, "", "domain")
            .unwrap_or_else(|| "CORP".into());
        let options = m
            .get("options")
            .map(|v| self.options(v))
            .unwrap_or_default();
        let machines = match m.get("machines") {
            Some(v) => self.names(v, "machines"),
            None => {
                self.problem("machines", "missing required field");
                Vec::new()
            }
        };
        let accounts = self.table(m, "accounts", Self::account);
        let processes = self.table(m, "processes", Self::process);
        let resources = self.table(m, "resources", Self::resource);
        let run = match m.get("run") {
            Some(v) => self.run(v),
            None => {
                self.problem("run", "missing required field");
                None
            }
        };
        Some(Scenario {
            title: title?,
            description,
            domain,
            options,
            machines,
            accounts,
            processes,
            resources,
            run: run?,
        })
    }

    fn options(&mut self, v: &Value) -> Options {
        let names: Vec<&str> = Options::FIELDS.iter().map(|(n, _)| *n).collect();
        let mut o = Options::default();
        if let Some(m) = self.object(v, "options", &names) {
            for name in names {
                let value = self.bool(m, "options", name);
                o.set(name, value);
            }
        }
        o
    }

    fn account(&mut self, v: &Value, at: &str) -> Option<Account> {
        let m = self.object(v, at, ACCOUNT_FIELDS)?;
        let spns = self.opt_names(m, at, "spns");
        let delegation = match m.get("delegation") {
            None => Delegation::None,
            Some(d) => self.delegation(d, &path::key(at, "delegation")),
        };
        Some(Account {
            spns,
            delegation,
            allowed_to_act: self.opt_names(m, at, "allowed_to_act"),
            sensitive: self.bool(m, at, "sensitive"),
            protected_users: self.bool(m, at, "protected_users"),
        })
    }

    fn delegation(&mut self, v: &Value, at: &str) -> Delegation {
        match v {
            Value::String(s) if s == "none" => Delegation::None,
            Value::String(s) if s == "unconstrained" => Delegation::Unconstrained,
            Value::Object(_) => {
                let Some(m) = self.object(v, at, &["constrained", "any_protocol"]) else {
                    return Delegation::None;
                };
                let services = match m.get("constrained") {
                    Some(list) => self.names(list, &path::key(at, "constrained")),
                    None => {
                        self.problem(
                            &path::key(at, "constrained"),
                            "missing required field (the list of SPNs it may delegate to)",
                        );
                        Vec::new()
                    }
                };
                Delegation::Constrained {
                    services,
                    any_protocol: self.bool(m, at, "any_protocol"),
                }
            }
            other => {
                self.problem(
                    at,
                    format!(
                        "expected \"none\", \"unconstrained\" or {{\"constrained\": [spn], \"any_protocol\": bool}}, found {}",
                        match other {
                            Value::String(s) => format!("\"{s}\""),
                            _ => type_name(other).to_string(),
                        }
                    ),
                );
                Delegation::None
            }
        }
    }

    fn process(&mut self, v: &Value, at: &str) -> Option<Process> {
        let m = self.object(v, at, PROCESS_FIELDS)?;
        let machine = self.req_name(m, at, "machine");
        let account = self.req_name(m, at, "account");
        let kind = self.word(m, at, "kind").unwrap_or(ProcessKind::Service);
        let threading = self.word(m, at, "threading").unwrap_or(Threading::Sta);
        let mut com = ComSecurity::default();
        if let Some(c) = m.get("com") {
            let cat = path::key(at, "com");
            if let Some(cm) = self.object(c, &cat, COM_FIELDS) {
                if let Some(l) = self.word::<AuthnLevel>(cm, &cat, "authn_level") {
                    if l == AuthnLevel::Default {
                        self.problem(
                            &path::key(&cat, "authn_level"),
                            "CoInitializeSecurity takes an explicit level; leave the field out for the default \"connect\"",
                        );
                    } else {
                        com.authn_level = l;
                    }
                }
                if let Some(l) = self.word::<ImpLevel>(cm, &cat, "imp_level") {
                    if l == ImpLevel::Default {
                        self.problem(
                            &path::key(&cat, "imp_level"),
                            "RPC_C_IMP_LEVEL_DEFAULT is not allowed in CoInitializeSecurity (BL-1); leave the field out for the default \"identify\"",
                        );
                    } else {
                        com.imp_level = l;
                    }
                }
                if let Some(c) = self.word(cm, &cat, "cloaking") {
                    com.cloaking = c;
                }
            }
        }
        Some(Process {
            machine: machine?,
            account: account?,
            kind,
            com,
            threading,
        })
    }

    fn resource(&mut self, v: &Value, at: &str) -> Option<Resource> {
        let m = self.object(v, at, RESOURCE_FIELDS)?;
        let machine = self.req_name(m, at, "machine");
        let allow = match m.get("allow") {
            Some(v) => Some(self.names(v, &path::key(at, "allow"))),
            None => {
                self.problem(&path::key(at, "allow"), "missing required field");
                None
            }
        };
        let spn = self.opt_name(m, at, "spn");
        Some(Resource {
            machine: machine?,
            allow: allow?,
            spn,
        })
    }

    fn run(&mut self, v: &Value) -> Option<Run> {
        let m = self.object(v, "run", RUN_FIELDS)?;
        let process = self.req_name(m, "run", "process");
        let steps = self.steps(m, "run");
        Some(Run {
            process: process?,
            steps,
        })
    }

    fn steps(&mut self, m: &Map<String, Value>, at: &str) -> Vec<Step> {
        let Some(v) = m.get("steps") else {
            return Vec::new();
        };
        let at = path::key(at, "steps");
        let Value::Array(items) = v else {
            self.problem(&at, format!("expected an array, found {}", type_name(v)));
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.step(item, &path::index(&at, i)))
            .collect()
    }

    fn step(&mut self, v: &Value, at: &str) -> Option<Step> {
        let Value::Object(m) = v else {
            self.problem(
                at,
                format!("expected a step object, found {}", type_name(v)),
            );
            return None;
        };
        let verb = match m.get("do") {
            Some(Value::String(s)) => s.as_str(),
            Some(other) => {
                self.problem(
                    &path::key(at, "do"),
                    format!("expected a string, found {}", type_name(other)),
                );
                return None;
            }
            None => {
                self.problem(
                    &path::key(at, "do"),
                    format!(
                        "missing required field; a step says what it does with one of: {}",
                        Action::NAMES.join(", ")
                    ),
                );
                return None;
            }
        };
        let only = |extra: &'static [&'static str]| -> Vec<&'static str> {
            let mut f = vec!["do", "label"];
            f.extend_from_slice(extra);
            f
        };
        let action = match verb {
            "call" => {
                let m = self.object(v, at, CALL_FIELDS)?;
                Action::Call(self.call(m, at, "to")?)
            }
            "set_blanket" => {
                let m = self.object(v, at, BLANKET_FIELDS)?;
                let proxy = self.req_name(m, at, "proxy");
                let blanket = SetBlanket {
                    proxy: proxy?,
                    authn: self.word(m, at, "authn"),
                    authn_level: self.word(m, at, "authn_level"),
                    imp_level: self.word(m, at, "imp_level"),
                    cloaking: self.word(m, at, "cloaking"),
                };
                Action::SetBlanket(blanket)
            }
            "impersonate" | "revert" | "whoami" => {
                self.object(v, at, &only(&[]))?;
                match verb {
                    "impersonate" => Action::Impersonate,
                    "revert" => Action::Revert,
                    _ => Action::Whoami,
                }
            }
            "logon_user" => {
                let m = self.object(v, at, &only(&["account"]))?;
                Action::LogonUser {
                    account: self.req_name(m, at, "account")?,
                }
            }
            "access" | "access_check" => {
                let m = self.object(v, at, &only(&["resource"]))?;
                let resource = self.req_name(m, at, "resource")?;
                if verb == "access" {
                    Action::Access { resource }
                } else {
                    Action::AccessCheck { resource }
                }
            }
            "open_thread_token" => {
                let m = self.object(v, at, &only(&["as_self"]))?;
                Action::OpenThreadToken {
                    as_self: self.bool(m, at, "as_self"),
                }
            }
            "duplicate_token" => {
                let m = self.object(v, at, &only(&["level"]))?;
                match self.word(m, at, "level") {
                    Some(level) => Action::DuplicateToken { level },
                    None => {
                        if !m.contains_key("level") {
                            self.problem(&path::key(at, "level"), "missing required field");
                        }
                        return None;
                    }
                }
            }
            other => {
                self.problem(
                    &path::key(at, "do"),
                    format!(
                        "unknown action \"{other}\"; expected one of: {}",
                        Action::NAMES.join(", ")
                    ),
                );
                return None;
            }
        };
        let label = match m.get("label") {
            Some(v) => self.name(v, &path::key(at, "label")),
            None => None,
        };
        Some(Step { label, action })
    }

    /// A call's fields. `peer_key` is `to` for a call step and `from` for a `meanwhile` entry.
    fn call(&mut self, m: &Map<String, Value>, at: &str, peer_key: &str) -> Option<Call> {
        let peer = self.req_name(m, at, peer_key);
        let mut call = Call::new(String::new());
        call.api = self.word(m, at, "api").unwrap_or(Api::Com);
        call.transport = self.word(m, at, "transport");
        call.authn = self.word(m, at, "authn").unwrap_or(Authn::Default);
        call.authn_level = self
            .word(m, at, "authn_level")
            .unwrap_or(AuthnLevel::Default);
        call.imp_level = self.word(m, at, "imp_level").unwrap_or(ImpLevel::Default);
        call.mutual_auth = self.bool(m, at, "mutual_auth");
        call.spn = self.opt_string(m, at, "spn");
        call.cloaking = self.word(m, at, "cloaking");
        call.tracking = self.word(m, at, "tracking");
        call.ignore_delegate_failure = self.bool(m, at, "ignore_delegate_failure");
        call.proxy = self.opt_name(m, at, "proxy");
        call.steps = self.steps(m, at);
        if let Some(v) = m.get("meanwhile") {
            let mat = path::key(at, "meanwhile");
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let iat = path::index(&mat, i);
                        if let Some(im) = self.object(item, &iat, MEANWHILE_FIELDS) {
                            let label = match im.get("label") {
                                Some(v) => self.name(v, &path::key(&iat, "label")),
                                None => None,
                            };
                            if let Some(c) = self.call(im, &iat, "from") {
                                call.meanwhile.push(Meanwhile { label, call: c });
                            }
                        }
                    }
                }
                other => self.problem(
                    &mat,
                    format!("expected an array of calls, found {}", type_name(other)),
                ),
            }
        }
        call.peer = peer?;
        Some(call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match from_json_str(text) {
            Ok(_) => vec![],
            Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn depth_scan_skips_strings() {
        assert_eq!(depth_exceeded(br#"{"a":"[[[[[["}"#, 2), None);
        assert_eq!(depth_exceeded(br#"[[["#, 2), Some(2));
        assert_eq!(depth_exceeded(br#"["\"[[[["]"#, 1), None);
    }

    #[test]
    fn every_top_level_problem_is_reported_at_once() {
        let p = problems(r#"{"format":"x","machines":"WS1","colour":1}"#);
        assert_eq!(
            p,
            vec![
                "colour: unknown field; expected one of: format, title, description, domain, options, machines, accounts, processes, resources, run",
                "format: expected \"impersonation-scenario/1\", found \"x\"",
                "title: missing required field",
                "machines: expected an array of strings, found a string",
                "run: missing required field",
            ]
        );
    }
}
