//! Reading a scenario: JSON text → [`Json`] tree → [`Scenario`], reporting every
//! problem it finds with its JSON path instead of stopping at the first.
//!
//! Limits (documented in the README): the text may be at most [`MAX_INPUT_BYTES`] long and
//! nest at most [`MAX_DEPTH`] levels. Both are checked before parsing, by a scan that uses no
//! recursion, so that no input can exhaust the stack.

use indexmap::IndexMap;
use serde_json::Value;

use super::checked::Checked;
use super::enums::*;
use super::expect::Expect;
use super::json::{Json, Path};
use super::scenario::*;
use crate::error::{Error, Problem};

/// An object's entries, in document order.
type Map<'j> = [(std::borrow::Cow<'j, str>, Json<'j>)];

fn get<'m, 'j>(m: &'m Map<'j>, key: &str) -> Option<&'m Json<'j>> {
    m.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The most bytes a scenario's JSON text may have.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
/// The deepest nesting of JSON arrays and objects accepted. A chain of calls costs two levels
/// per call (the call object and its `steps` array), so this admits chains of about 2,000 calls.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_DEPTH: usize = 4_000;
/// In WebAssembly, reading recurses on the JavaScript engine's own stack (about 1 MB in Node and
/// Chrome), so the limit is lower: about 1,100 nested calls, which an optimised build reads.
#[cfg(target_arch = "wasm32")]
pub const MAX_DEPTH: usize = 2_200;

/// Parses and decodes a scenario from JSON text.
///
/// With the `fast-read` feature a valid scenario is read by [`super::fast`] first; whatever that
/// fast path is not sure of is read again here, so the outcome and every problem are the same.
pub fn from_json_str(text: &str) -> Result<Checked, Error> {
    let text = without_bom(text);
    check_size(text.len())?;
    #[cfg(feature = "fast-read")]
    if let Some(s) = super::fast::read(text) {
        return Checked::new(s);
    }
    read_tree(text)
}

/// Reads a scenario with the tree decoder only, never the fast path: the reference the tests
/// compare the fast path with.
#[doc(hidden)]
pub fn from_json_str_thorough(text: &str) -> Result<Checked, Error> {
    let text = without_bom(text);
    check_size(text.len())?;
    read_tree(text)
}

/// The fast path alone (without validation): `None` where it leaves the text to the tree
/// decoder. For the tests that hold it to the tree decoder's results.
#[cfg(feature = "fast-read")]
#[doc(hidden)]
pub fn from_json_str_fast(text: &str) -> Option<Scenario> {
    super::fast::read(without_bom(text))
}

fn read_tree(text: &str) -> Result<Checked, Error> {
    check_depth(text)?;
    let tree = super::json::read(text).map_err(|e| not_json(e.message(), e.line(), e.column()))?;
    decode(&tree)
}

/// Parses JSON text into a `serde_json::Value` within the reading limits (for callers that
/// want the document itself, such as the playground's storage).
pub fn parse_json(text: &str) -> Result<Value, Error> {
    let text = without_bom(text);
    check_limits(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut de)
        .and_then(|v: Value| de.end().map(|()| v))
        .map_err(syntax_error)
}

/// A UTF-8 byte order mark (as Notepad writes) may start a JSON text (RFC 8259 §8.1): skip it.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn syntax_error(e: serde_json::Error) -> Error {
    not_json(&describe_json_error(&e), e.line(), e.column())
}

/// The problem of a text that is not JSON: the same words whichever reader found it.
fn not_json(what: &str, line: usize, column: usize) -> Error {
    Error::syntax(Problem::new(
        "$",
        format!("not valid JSON: {what} at line {line} column {column}"),
    ))
}

/// The size and depth limits, checked before parsing.
fn check_limits(text: &str) -> Result<(), Error> {
    check_size(text.len())?;
    check_depth(text)
}

/// The size limit alone, for a caller that knows a document's length before reading it (`impsim`
/// refuses a file that is too large without reading it).
pub fn check_size(len: usize) -> Result<(), Error> {
    if len > MAX_INPUT_BYTES {
        return Err(Error::syntax(Problem::new(
            "$",
            format!("the document is {len} bytes; the limit is {MAX_INPUT_BYTES} bytes"),
        )));
    }
    Ok(())
}

/// The depth limit. The fast path does not need it: it gives up at 128 levels.
fn check_depth(text: &str) -> Result<(), Error> {
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
    Ok(())
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
pub fn from_value(value: &Value) -> Result<Checked, Error> {
    decode(&Json::from_value(value))
}

fn decode(tree: &Json) -> Result<Checked, Error> {
    let mut d = Decoder::default();
    let scenario = d.scenario(tree);
    match scenario {
        Some(s) if d.problems.is_empty() => Checked::new(s),
        _ => Err(Error::invalid(d.problems)),
    }
}

/// Decodes a tree without validating it, or `None` if the decoder finds any problem (the fast
/// path then leaves the text to the tree decoder, which reports them).
#[cfg(feature = "fast-read")]
pub(super) fn decode_fields(tree: &Json) -> Option<Scenario> {
    let mut d = Decoder::default();
    let scenario = d.scenario(tree);
    scenario.filter(|_| d.problems.is_empty())
}

fn type_name(v: &Json) -> &'static str {
    v.type_name()
}

/// What a table of named entries is read into: a map, or (for `expect`, a few entries) a list.
trait Entries<T>: Default {
    fn has(&self, name: &str) -> bool;
    fn add(&mut self, name: String, value: T);
}

impl<T> Entries<T> for IndexMap<String, T> {
    fn has(&self, name: &str) -> bool {
        self.contains_key(name)
    }
    fn add(&mut self, name: String, value: T) {
        self.insert(name, value);
    }
}

impl<T> Entries<T> for Vec<(String, T)> {
    fn has(&self, name: &str) -> bool {
        self.iter().any(|(n, _)| n == name)
    }
    fn add(&mut self, name: String, value: T) {
        self.push((name, value));
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
    "domain_controllers",
    "accounts",
    "processes",
    "resources",
    "run",
    "expect",
];
/// The fields each kind of entry may have (the decoder refuses others).
pub const ACCOUNT_FIELDS: &[&str] = &[
    "spns",
    "delegation",
    "allowed_to_act",
    "sensitive",
    "protected_users",
    "admin",
];
pub const PROCESS_FIELDS: &[&str] = &["machine", "account", "kind", "com", "threading", "http"];
pub const HTTP_FIELDS: &[&str] = &["kernel_mode", "use_app_pool_credentials", "runs_as_client"];
pub const COM_FIELDS: &[&str] = &["authn_level", "imp_level", "cloaking"];
pub const RESOURCE_FIELDS: &[&str] = &["machine", "allow", "spn"];
const RUN_FIELDS: &[&str] = &["process", "steps"];
pub const CALL_FIELDS: &[&str] = &[
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
pub const MEANWHILE_FIELDS: &[&str] = &[
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
pub const BLANKET_FIELDS: &[&str] = &[
    "do",
    "label",
    "proxy",
    "authn",
    "authn_level",
    "imp_level",
    "cloaking",
];

impl Decoder {
    fn problem(&mut self, at: &Path, message: impl Into<String>) {
        self.problems.push(Problem::new(at.render(), message));
    }

    /// `v` as an object whose keys are all in `fields`, each at most once.
    fn object<'v, 'j>(
        &mut self,
        v: &'v Json<'j>,
        at: &Path,
        fields: &[&str],
    ) -> Option<&'v Map<'j>> {
        let Json::Object(map) = v else {
            self.problem(at, format!("expected an object, found {}", type_name(v)));
            return None;
        };
        for (i, (k, _)) in map.iter().enumerate() {
            if !fields.contains(&k.as_ref()) {
                self.problem(
                    &at.key(k),
                    format!("unknown field; expected one of: {}", fields.join(", ")),
                );
            } else if map[..i].iter().any(|(prev, _)| prev == k) {
                self.problem(&at.key(k), "duplicate field");
            }
        }
        Some(map)
    }

    fn string(&mut self, v: &Json, at: &Path) -> Option<String> {
        match v {
            Json::Str(s) => Some(s.to_string()),
            _ => {
                self.problem(at, format!("expected a string, found {}", type_name(v)));
                None
            }
        }
    }

    fn name(&mut self, v: &Json, at: &Path) -> Option<String> {
        let s = self.string(v, at)?;
        if s.trim().is_empty() {
            self.problem(at, "must not be empty");
            return None;
        }
        Some(s)
    }

    fn req_name(&mut self, m: &Map, at: &Path, key: &str) -> Option<String> {
        match get(m, key) {
            Some(v) => self.name(v, &at.key(key)),
            None => {
                self.problem(&at.key(key), "missing required field");
                None
            }
        }
    }

    fn opt_string(&mut self, m: &Map, at: &Path, key: &str) -> Option<String> {
        get(m, key).and_then(|v| self.string(v, &at.key(key)))
    }

    fn opt_name(&mut self, m: &Map, at: &Path, key: &str) -> Option<String> {
        get(m, key).and_then(|v| self.name(v, &at.key(key)))
    }

    fn bool(&mut self, m: &Map, at: &Path, key: &str) -> bool {
        match get(m, key) {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(v) => {
                let msg = format!("expected true or false, found {}", type_name(v));
                self.problem(&at.key(key), msg);
                false
            }
        }
    }

    fn word<T: Vocabulary>(&mut self, m: &Map, at: &Path, key: &str) -> Option<T> {
        self.spelling(m, at, key, T::NAMES).map(|i| T::ALL[i])
    }

    /// The position in `spellings` of the string at `key` (the body of [`Self::word`], written
    /// once for every vocabulary).
    fn spelling(&mut self, m: &Map, at: &Path, key: &str, spellings: &[&str]) -> Option<usize> {
        let v = get(m, key)?;
        let at = at.key(key);
        let Json::Str(s) = v else {
            self.problem(&at, format!("expected a string, found {}", type_name(v)));
            return None;
        };
        let found = spellings.iter().position(|w| w == s);
        if found.is_none() {
            let choices = super::enums::choices(spellings);
            self.problem(&at, format!("expected {choices}, found \"{s}\""));
        }
        found
    }

    fn names(&mut self, v: &Json, at: &Path) -> Vec<String> {
        let Json::Array(items) = v else {
            self.problem(
                at,
                format!("expected an array of strings, found {}", type_name(v)),
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.name(item, &at.index(i)))
            .collect()
    }

    fn opt_names(&mut self, m: &Map, at: &Path, key: &str) -> Vec<String> {
        match get(m, key) {
            Some(v) => self.names(v, &at.key(key)),
            None => Vec::new(),
        }
    }

    fn table<T, C: Entries<T>>(
        &mut self,
        m: &Map,
        key: &str,
        mut entry: impl FnMut(&mut Self, &Json, &Path) -> Option<T>,
    ) -> C {
        let mut out = C::default();
        let Some(v) = get(m, key) else { return out };
        let root = Path::Root;
        let tat = root.key(key);
        let Json::Object(entries) = v else {
            self.problem(&tat, format!("expected an object, found {}", type_name(v)));
            return out;
        };
        for (name, value) in entries {
            let at = tat.key(name);
            if name.trim().is_empty() {
                self.problem(&at, "a name must not be empty");
                continue;
            }
            if out.has(name.as_ref()) {
                self.problem(&at, "duplicate name");
                continue;
            }
            if let Some(t) = entry(self, value, &at) {
                out.add(name.to_string(), t);
            }
        }
        out
    }

    fn scenario(&mut self, v: &Json) -> Option<Scenario> {
        let root = Path::Root;
        let m = self.object(v, &root, SCENARIO_FIELDS)?;
        let at = |k: &'static str| Path::Key(&Path::Root, k);
        match get(m, "format") {
            None => self.problem(&at("format"), "missing required field"),
            Some(Json::Str(s)) if s == SCENARIO_FORMAT => {}
            Some(other) => self.problem(
                &at("format"),
                format!("expected \"{SCENARIO_FORMAT}\", found {}", other.brief()),
            ),
        }
        let title = match get(m, "title") {
            Some(v) => self.string(v, &at("title")),
            None => {
                self.problem(&at("title"), "missing required field");
                None
            }
        };
        let description = self.opt_string(m, &root, "description");
        let domain = self
            .opt_name(m, &root, "domain")
            .unwrap_or_else(|| "CORP".into());
        let options = get(m, "options")
            .map(|v| self.options(v))
            .unwrap_or_default();
        let machines = match get(m, "machines") {
            Some(v) => self.names(v, &at("machines")),
            None => {
                self.problem(&at("machines"), "missing required field");
                Vec::new()
            }
        };
        let domain_controllers = self.opt_names(m, &root, "domain_controllers");
        let accounts = self.table(m, "accounts", Self::account);
        let processes = self.table(m, "processes", Self::process);
        let resources = self.table(m, "resources", Self::resource);
        let run = match get(m, "run") {
            Some(v) => self.run(v),
            None => {
                self.problem(&at("run"), "missing required field");
                None
            }
        };
        let expect = self.table(m, "expect", Self::expectations);
        Some(Scenario {
            title: title?,
            description,
            domain,
            options,
            machines,
            domain_controllers,
            accounts,
            processes,
            resources,
            run: run?,
            expect,
        })
    }

    /// One label's expectations: an object of event fields and the values they must have.
    fn expectations(&mut self, v: &Json, at: &Path) -> Option<Vec<Expect>> {
        let names: Vec<&str> = ExpectField::ALL.iter().map(|f| f.as_str()).collect();
        let m = self.object(v, at, &names)?;
        if m.is_empty() {
            self.problem(
                at,
                format!("expected at least one of: {}", names.join(", ")),
            );
        }
        let mut out = Vec::with_capacity(m.len());
        for field in ExpectField::ALL {
            let Some(v) = get(m, field.as_str()) else {
                continue;
            };
            let want = match v {
                Json::Str(s) => Some(Some(s.as_ref())),
                Json::Null => Some(None),
                _ => None,
            };
            match want.filter(|w| super::expect::accepts(*field, *w)) {
                Some(want) => out.push(Expect {
                    field: *field,
                    want: want.map(str::to_string),
                }),
                None => {
                    let choices = super::expect::choices(*field);
                    // Not `brief()`: a second caller would keep it out of line in the wasm.
                    let found = match (v, want) {
                        (_, Some(Some(s))) => format!("\"{s}\""),
                        _ => type_name(v).to_string(),
                    };
                    let msg = format!("expected {choices}, found {found}");
                    self.problem(&at.key(field.as_str()), msg);
                }
            }
        }
        Some(out)
    }

    fn options(&mut self, v: &Json) -> Options {
        let names: Vec<&str> = Options::FIELDS.iter().map(|(n, _)| *n).collect();
        let mut o = Options::default();
        let root = Path::Root;
        let at = root.key("options");
        if let Some(m) = self.object(v, &at, &names) {
            for name in names {
                if get(m, name).is_some() {
                    let value = self.bool(m, &at, name);
                    o.set(name, value);
                }
            }
        }
        o
    }

    fn account(&mut self, v: &Json, at: &Path) -> Option<Account> {
        let m = self.object(v, at, ACCOUNT_FIELDS)?;
        let spns = self.opt_names(m, at, "spns");
        let delegation = match get(m, "delegation") {
            None => Delegation::None,
            Some(d) => self.delegation(d, &at.key("delegation")),
        };
        Some(Account {
            spns,
            delegation,
            allowed_to_act: self.opt_names(m, at, "allowed_to_act"),
            sensitive: self.bool(m, at, "sensitive"),
            protected_users: self.bool(m, at, "protected_users"),
            admin: self.bool(m, at, "admin"),
        })
    }

    fn delegation(&mut self, v: &Json, at: &Path) -> Delegation {
        match v {
            Json::Str(s) if s == "none" => Delegation::None,
            Json::Str(s) if s == "unconstrained" => Delegation::Unconstrained,
            Json::Object(_) => {
                let Some(m) = self.object(v, at, &["constrained", "any_protocol"]) else {
                    return Delegation::None;
                };
                let services = match get(m, "constrained") {
                    Some(list) => self.names(list, &at.key("constrained")),
                    None => {
                        self.problem(
                            &at.key("constrained"),
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
                            Json::Str(s) => format!("\"{s}\""),
                            _ => type_name(other).to_string(),
                        }
                    ),
                );
                Delegation::None
            }
        }
    }

    fn process(&mut self, v: &Json, at: &Path) -> Option<Process> {
        let m = self.object(v, at, PROCESS_FIELDS)?;
        let machine = self.req_name(m, at, "machine");
        let account = self.req_name(m, at, "account");
        let kind = self.word(m, at, "kind").unwrap_or(ProcessKind::Service);
        let threading = self.word(m, at, "threading").unwrap_or(Threading::Sta);
        let mut com = ComSecurity::default();
        if let Some(c) = get(m, "com") {
            let cat = at.key("com");
            if let Some(cm) = self.object(c, &cat, COM_FIELDS) {
                if let Some(l) = self.word::<AuthnLevel>(cm, &cat, "authn_level") {
                    if l == AuthnLevel::Default {
                        self.problem(
                            &cat.key("authn_level"),
                            "CoInitializeSecurity takes an explicit level; leave the field out for the default \"connect\"",
                        );
                    } else {
                        com.authn_level = l;
                    }
                }
                if let Some(l) = self.word::<ImpLevel>(cm, &cat, "imp_level") {
                    if l == ImpLevel::Default {
                        self.problem(
                            &cat.key("imp_level"),
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
        let mut http = HttpSettings::default();
        if let Some(h) = get(m, "http") {
            let hat = at.key("http");
            if let Some(hm) = self.object(h, &hat, HTTP_FIELDS) {
                if get(hm, "kernel_mode").is_some() {
                    http.kernel_mode = self.bool(hm, &hat, "kernel_mode");
                }
                http.use_app_pool_credentials = self.bool(hm, &hat, "use_app_pool_credentials");
                http.runs_as_client = self.bool(hm, &hat, "runs_as_client");
            }
        }
        Some(Process {
            machine: machine?,
            account: account?,
            kind,
            com,
            threading,
            http,
        })
    }

    fn resource(&mut self, v: &Json, at: &Path) -> Option<Resource> {
        let m = self.object(v, at, RESOURCE_FIELDS)?;
        let machine = self.req_name(m, at, "machine");
        let allow = match get(m, "allow") {
            Some(v) => Some(self.names(v, &at.key("allow"))),
            None => {
                self.problem(&at.key("allow"), "missing required field");
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

    fn run(&mut self, v: &Json) -> Option<Run> {
        let root = Path::Root;
        let at = root.key("run");
        let m = self.object(v, &at, RUN_FIELDS)?;
        let process = self.req_name(m, &at, "process");
        let steps = self.steps(m, &at);
        Some(Run {
            process: process?,
            steps,
        })
    }

    fn steps(&mut self, m: &Map, at: &Path) -> Vec<Step> {
        let Some(v) = get(m, "steps") else {
            return Vec::new();
        };
        let at = at.key("steps");
        let Json::Array(items) = v else {
            self.problem(&at, format!("expected an array, found {}", type_name(v)));
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(step) = self.step(item, &at.index(i)) {
                out.push(step);
            }
        }
        out
    }

    fn step(&mut self, v: &Json, at: &Path) -> Option<Step> {
        let Json::Object(m) = v else {
            self.problem(
                at,
                format!("expected a step object, found {}", type_name(v)),
            );
            return None;
        };
        let verb = match get(m, "do") {
            Some(Json::Str(s)) => s.as_ref(),
            Some(other) => {
                self.problem(
                    &at.key("do"),
                    format!("expected a string, found {}", type_name(other)),
                );
                return None;
            }
            None => {
                self.problem(
                    &at.key("do"),
                    format!(
                        "missing required field; a step says what it does with one of: {}",
                        Action::NAMES.join(", ")
                    ),
                );
                return None;
            }
        };
        const BARE: &[&str] = &["do", "label"];
        const ACCOUNT: &[&str] = &["do", "label", "account"];
        const RESOURCE: &[&str] = &["do", "label", "resource"];
        const AS_SELF: &[&str] = &["do", "label", "as_self"];
        const LEVEL: &[&str] = &["do", "label", "level"];
        let action = match verb {
            "call" => {
                let m = self.object(v, at, CALL_FIELDS)?;
                Action::Call(Box::new(self.call(m, at, "to")?))
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
                self.object(v, at, BARE)?;
                match verb {
                    "impersonate" => Action::Impersonate,
                    "revert" => Action::Revert,
                    _ => Action::Whoami,
                }
            }
            "logon_user" => {
                let m = self.object(v, at, ACCOUNT)?;
                Action::LogonUser {
                    account: self.req_name(m, at, "account")?,
                }
            }
            "access" | "access_check" => {
                let m = self.object(v, at, RESOURCE)?;
                let resource = self.req_name(m, at, "resource")?;
                if verb == "access" {
                    Action::Access { resource }
                } else {
                    Action::AccessCheck { resource }
                }
            }
            "open_thread_token" => {
                let m = self.object(v, at, AS_SELF)?;
                Action::OpenThreadToken {
                    as_self: self.bool(m, at, "as_self"),
                }
            }
            "duplicate_token" => {
                let m = self.object(v, at, LEVEL)?;
                match self.word(m, at, "level") {
                    Some(level) => Action::DuplicateToken { level },
                    None => {
                        if get(m, "level").is_none() {
                            self.problem(&at.key("level"), "missing required field");
                        }
                        return None;
                    }
                }
            }
            other => {
                self.problem(
                    &at.key("do"),
                    format!(
                        "unknown action \"{other}\"; expected one of: {}",
                        Action::NAMES.join(", ")
                    ),
                );
                return None;
            }
        };
        let label = match get(m, "label") {
            Some(v) => self.name(v, &at.key("label")),
            None => None,
        };
        Some(Step { label, action })
    }

    /// A call's fields. `peer_key` is `to` for a call step and `from` for a `meanwhile` entry.
    fn call(&mut self, m: &Map, at: &Path, peer_key: &str) -> Option<Call> {
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
        if let Some(v) = get(m, "meanwhile") {
            let mat = at.key("meanwhile");
            match v {
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let iat = mat.index(i);
                        if let Some(im) = self.object(item, &iat, MEANWHILE_FIELDS) {
                            let label = match get(im, "label") {
                                Some(v) => self.name(v, &iat.key("label")),
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
                "colour: unknown field; expected one of: format, title, description, domain, options, machines, domain_controllers, accounts, processes, resources, run, expect",
                "format: expected \"impersonation-scenario/1\", found \"x\"",
                "title: missing required field",
                "machines: expected an array of strings, found a string",
                "run: missing required field",
            ]
        );
    }
}
