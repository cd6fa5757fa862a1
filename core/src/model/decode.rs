//! Reading a scenario: JSON text → [`Json`] tree → [`Scenario`], reporting every
//! problem it finds with its JSON path instead of stopping at the first.
//!
//! Limits (documented in the README): the text may be at most [`MAX_INPUT_BYTES`] long and
//! nest at most [`MAX_DEPTH`] levels. Both are checked before parsing, by a scan that uses no
//! recursion, so that no input can exhaust the stack.

use indexmap::IndexMap;
use serde_json::Value;

use super::cast::{CastEntry, CastFields, CastShape, CastVal};
use super::checked::Checked;
use super::enums::*;
use super::expect::Expect;
use super::json::{Json, Path};
use super::scenario::*;
use super::schema::{Entry, Shape, Val};
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

/// Parses and decodes a scenario from JSON text: [`super::read::from_json_str`], which picks
/// the reader.
pub use super::read::from_json_str;

/// The fast reader alone, without validation (for the tests that hold it to the tree decoder).
#[cfg(feature = "fast-read")]
#[doc(hidden)]
pub use super::read::from_json_str_fast;

/// Reads a scenario with the tree decoder only, never the fast path: the reference the tests
/// compare the fast path with.
#[doc(hidden)]
pub fn from_json_str_thorough(text: &str) -> Result<Checked, Error> {
    let text = without_bom(text);
    check_size(text.len())?;
    read_tree(text)
}

/// Parses `text` (checked against the size limit, without a byte order mark) into a tree and
/// decodes it, with every problem and its path.
pub(super) fn read_tree(text: &str) -> Result<Checked, Error> {
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
pub(super) fn without_bom(text: &str) -> &str {
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
/// reader then leaves the text to the tree decoder, which reports them).
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
/// The fields each kind of entry may have (the decoder refuses others), from the cast schema
/// (model/cast.rs).
pub use super::cast::{
    ACCOUNT_FIELDS, COM_FIELDS, DELEGATION_FIELDS, HTTP_FIELDS, PROCESS_FIELDS, RESOURCE_FIELDS,
};
const RUN_FIELDS: &[&str] = &["process", "steps"];
/// The fields of the step entries, from the step schema (model/schema.rs).
pub use super::schema::{BLANKET_FIELDS, CALL_FIELDS, MEANWHILE_FIELDS};

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
        self.str_ref(v, at).map(str::to_string)
    }

    fn name(&mut self, v: &Json, at: &Path) -> Option<String> {
        self.name_ref(v, at).map(str::to_string)
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

    /// The position in `spellings` (a vocabulary's) of the string at `key`.
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
        let mut a = Account::BLANK;
        self.cast(v, at, &mut a).then_some(a)
    }

    fn process(&mut self, v: &Json, at: &Path) -> Option<Process> {
        let mut p = Process::BLANK;
        self.cast(v, at, &mut p).then_some(p)
    }

    fn resource(&mut self, v: &Json, at: &Path) -> Option<Resource> {
        let mut r = Resource::BLANK;
        self.cast(v, at, &mut r).then_some(r)
    }

    /// A cast entry read into `blank`, field by field in the cast schema's order; `false` when
    /// it is not an object, or a required name is missing or unusable (the entry is then left
    /// out).
    fn cast(&mut self, v: &Json, at: &Path, blank: &mut dyn CastFields) -> bool {
        let entry = blank.entry();
        self.object(v, at, entry.names())
            .is_some_and(|m| self.cast_fields(m, at, entry, blank))
    }

    /// Reads the fields of `entry` from `m` into `out`, reporting every problem; `false` when a
    /// required name is missing or unusable.
    fn cast_fields(
        &mut self,
        m: &Map,
        at: &Path,
        entry: CastEntry,
        out: &mut dyn CastFields,
    ) -> bool {
        let mut complete = true;
        for &f in entry.fields() {
            let key = f.as_str();
            let Some(v) = get(m, key) else {
                if f.required() {
                    self.problem(&at.key(key), f.missing());
                    complete = false;
                }
                continue;
            };
            let fat = at.key(key);
            let val = match f.shape() {
                CastShape::Name => match self.name_ref(v, &fat) {
                    Some(s) => CastVal::Str(s),
                    None => {
                        complete &= !f.required();
                        continue;
                    }
                },
                CastShape::Names => CastVal::List(self.names(v, &fat)),
                CastShape::Flag => CastVal::Flag(self.bool(m, at, key)),
                CastShape::Word(spellings) => {
                    let Some(i) = self.spelling(m, at, key, spellings) else {
                        continue;
                    };
                    match f.refuses_default() {
                        Some(why) if spellings[i] == "default" => {
                            self.problem(&fat, why);
                            continue;
                        }
                        _ => CastVal::Str(spellings[i]),
                    }
                }
                CastShape::Object(inner) => {
                    if let Some(im) = self.object(v, &fat, inner.names()) {
                        self.cast_fields(im, &fat, inner, out);
                    }
                    continue;
                }
                CastShape::Choice(inner) => {
                    self.choice(v, &fat, f, inner, out);
                    continue;
                }
            };
            _ = out.set(f, val);
        }
        complete
    }

    /// An account's `delegation`: a word, or the object of a constrained delegation.
    fn choice(
        &mut self,
        v: &Json,
        at: &Path,
        f: CastField,
        inner: CastEntry,
        out: &mut dyn CastFields,
    ) {
        match v {
            Json::Str(s) if s == "none" || s == "unconstrained" => _ = out.set(f, CastVal::Str(s)),
            Json::Object(_) => {
                if let Some(im) = self.object(v, at, inner.names()) {
                    _ = out.set(f, CastVal::Str("constrained"));
                    self.cast_fields(im, at, inner, out);
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
            }
        }
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
        match get(m, "steps") {
            Some(v) => self.step_list(v, &at.key("steps")),
            None => Vec::new(),
        }
    }

    fn step_list(&mut self, v: &Json, at: &Path) -> Vec<Step> {
        let Json::Array(items) = v else {
            self.problem(at, format!("expected an array, found {}", type_name(v)));
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
        let Some(kind) = StepKind::parse(verb) else {
            self.problem(
                &at.key("do"),
                format!(
                    "unknown action \"{verb}\"; expected one of: {}",
                    Action::NAMES.join(", ")
                ),
            );
            return None;
        };
        let entry = Entry::Step(kind);
        self.object(v, at, entry.names())?;
        let mut action = kind.blank();
        if !self.fields(m, at, entry, &mut |f, val| action.set(f, val)) {
            return None;
        }
        let label = self.label(m, at);
        Some(Step { label, action })
    }

    fn label(&mut self, m: &Map, at: &Path) -> Option<String> {
        self.opt_name(m, at, StepField::Label.as_str())
    }

    /// Reads the fields of `entry` but `do` and `label`, in the schema's order, handing each
    /// value to `set`. Every problem is reported; `false` when a required field is missing or
    /// unusable (the entry is then left out).
    fn fields(
        &mut self,
        m: &Map,
        at: &Path,
        entry: Entry,
        set: &mut dyn FnMut(StepField, Val) -> Option<()>,
    ) -> bool {
        let mut complete = true;
        for &f in entry.fields() {
            if matches!(f, StepField::Do | StepField::Label) {
                continue;
            }
            let key = f.as_str();
            let required = entry.requires(f);
            let Some(v) = get(m, key) else {
                if required {
                    self.problem(&at.key(key), "missing required field");
                    complete = false;
                }
                continue;
            };
            let fat = at.key(key);
            let (text, val) = match f.shape() {
                Shape::Name => (self.name_ref(v, &fat), None),
                Shape::Text | Shape::Word(_) => (self.str_ref(v, &fat), None),
                Shape::Flag => (None, Some(Val::Flag(self.bool(m, at, key)))),
                Shape::Steps => (None, Some(Val::Steps(self.step_list(v, &fat)))),
                Shape::Calls => (None, Some(Val::Calls(self.meanwhile(v, &fat)))),
            };
            let Some(val) = val.or(text.map(Val::Str)) else {
                complete &= !required;
                continue;
            };
            if set(f, val).is_none() {
                if let Shape::Word(spellings) = f.shape() {
                    let choices = super::enums::choices(spellings);
                    let found = text.unwrap_or_default();
                    self.problem(&fat, format!("expected {choices}, found \"{found}\""));
                }
                complete &= !required;
            }
        }
        complete
    }

    /// A string value, borrowed.
    fn str_ref<'j>(&mut self, v: &'j Json, at: &Path) -> Option<&'j str> {
        match v {
            Json::Str(s) => Some(s),
            _ => {
                self.problem(at, format!("expected a string, found {}", type_name(v)));
                None
            }
        }
    }

    /// A name, borrowed: a string that is not blank.
    fn name_ref<'j>(&mut self, v: &'j Json, at: &Path) -> Option<&'j str> {
        let s = self.str_ref(v, at)?;
        if s.trim().is_empty() {
            self.problem(at, "must not be empty");
            return None;
        }
        Some(s)
    }

    /// A call's `meanwhile` list.
    fn meanwhile(&mut self, v: &Json, at: &Path) -> Vec<Meanwhile> {
        let Json::Array(items) = v else {
            self.problem(
                at,
                format!("expected an array of calls, found {}", type_name(v)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let iat = at.index(i);
            let Some(im) = self.object(item, &iat, Entry::Meanwhile.names()) else {
                continue;
            };
            let label = self.label(im, &iat);
            let mut call = Call::BLANK;
            if self.fields(im, &iat, Entry::Meanwhile, &mut |f, val| call.set(f, val)) {
                out.push(Meanwhile { label, call });
            }
        }
        out
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
