//! Writing a scenario back to JSON: fields at their default are left out, so that an exported
//! or shared scenario is as short as what a person would write by hand.
//!
//! The text is written directly, in serde_json's compact or pretty layout, without building a
//! `serde_json::Value` first: the playground writes the scenario on every edit, and the value
//! tree cost both time and download size (issue #6). `tests/properties.rs` checks the layouts
//! against serde_json's.

use indexmap::IndexMap;

use super::cast::{CastEntry, CastFields, CastGot, CastShape};
use super::enums::*;
use super::json::write_string;
use super::scenario::*;
use super::schema::{Entry, Got, StepFields};

impl Scenario {
    /// The scenario as pretty-printed JSON text (two-space indent, as serde_json prints it).
    pub fn to_json_pretty(&self) -> String {
        let mut out = Out::new(true);
        scenario(self, &mut out);
        out.buf
    }

    /// The scenario as compact JSON text.
    pub fn to_json_string(&self) -> String {
        let mut out = Out::new(false);
        scenario(self, &mut out);
        out.buf
    }
}

/// A JSON text being written: objects and arrays open and close, members are written in order.
struct Out {
    buf: String,
    pretty: bool,
    depth: usize,
    /// No member written yet in the innermost open object or array.
    first: bool,
}

impl Out {
    fn new(pretty: bool) -> Out {
        Out {
            buf: String::with_capacity(256),
            pretty,
            depth: 0,
            first: true,
        }
    }

    fn newline(&mut self) {
        if self.pretty {
            self.buf.push('\n');
            for _ in 0..self.depth {
                self.buf.push_str("  ");
            }
        }
    }

    fn open(&mut self, bracket: char) {
        self.buf.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if !self.first {
            self.newline();
        }
        self.buf.push(bracket);
        self.first = false;
    }

    /// Starts the next element of an array.
    fn item(&mut self) {
        if !self.first {
            self.buf.push(',');
        }
        self.first = false;
        self.newline();
    }

    /// Starts the next member of an object.
    fn key(&mut self, key: &str) {
        self.item();
        self.string(key);
        self.buf.push_str(if self.pretty { ": " } else { ":" });
    }

    /// A JSON string, escaped as serde_json escapes it.
    fn string(&mut self, s: &str) {
        write_string(&mut self.buf, s);
    }

    fn str_member(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    fn strings_member<S: AsRef<str>>(&mut self, key: &str, values: &[S]) {
        self.key(key);
        self.strings(values);
    }

    fn strings<S: AsRef<str>>(&mut self, values: &[S]) {
        self.open('[');
        for v in values {
            self.item();
            self.string(v.as_ref());
        }
        self.close(']');
    }
}

fn scenario(s: &Scenario, out: &mut Out) {
    out.open('{');
    out.str_member("format", SCENARIO_FORMAT);
    out.str_member("title", &s.title);
    if let Some(d) = &s.description {
        out.str_member("description", d);
    }
    if s.domain != "CORP" {
        out.str_member("domain", &s.domain);
    }
    let d = Options::default();
    let changed: Vec<(&str, bool)> = Options::FIELDS
        .iter()
        .filter_map(|(name, _)| Some((*name, s.options.get(name)?)))
        .filter(|(name, v)| d.get(name) != Some(*v))
        .collect();
    if !changed.is_empty() {
        out.key("options");
        out.open('{');
        for (name, v) in changed {
            out.key(name);
            out.buf.push_str(if v { "true" } else { "false" });
        }
        out.close('}');
    }
    out.strings_member("machines", &s.machines);
    if !s.domain_controllers.is_empty() {
        out.strings_member("domain_controllers", &s.domain_controllers);
    }
    if !s.accounts.is_empty() {
        named("accounts", &s.accounts, account, out);
    }
    named("processes", &s.processes, process, out);
    if !s.resources.is_empty() {
        named("resources", &s.resources, resource, out);
    }
    out.key("run");
    out.open('{');
    out.str_member("process", &s.run.process);
    out.key("steps");
    steps(&s.run.steps, out);
    out.close('}');
    if !s.expect.is_empty() {
        out.key("expect");
        out.open('{');
        for (label, list) in &s.expect {
            out.key(label);
            expectations(list, out);
        }
        out.close('}');
    }
    out.close('}');
}

fn expectations(list: &[super::expect::Expect], out: &mut Out) {
    out.open('{');
    for x in list {
        out.key(x.field.as_str());
        match &x.want {
            Some(want) => out.string(want),
            None => out.buf.push_str("null"),
        }
    }
    out.close('}');
}

/// A member whose value is an object of named entries, in the scenario's order.
fn named<T>(key: &str, entries: &IndexMap<String, T>, entry: fn(&T, &mut Out), out: &mut Out) {
    out.key(key);
    out.open('{');
    for (name, value) in entries {
        out.key(name);
        entry(value, out);
    }
    out.close('}');
}

fn account(a: &Account, out: &mut Out) {
    cast(a, out);
}

fn process(p: &Process, out: &mut Out) {
    cast(p, out);
}

fn resource(r: &Resource, out: &mut Out) {
    cast(r, out);
}

/// A cast entry as an object.
fn cast(holder: &dyn CastFields, out: &mut Out) {
    out.open('{');
    cast_fields(holder.entry(), holder, out);
    out.close('}');
}

/// The fields of `entry` that are not at their default, in the schema's order (a required
/// field always; an object when one of its fields is not at its default).
fn cast_fields(entry: CastEntry, holder: &dyn CastFields, out: &mut Out) {
    for &f in entry.fields() {
        if !f.required() && holder.at_default(f) {
            continue;
        }
        let Some(v) = holder.get(f) else { continue };
        out.key(f.as_str());
        match v {
            CastGot::Str(s) => out.string(s),
            CastGot::Flag(on) => out.buf.push_str(if on { "true" } else { "false" }),
            CastGot::List(list) => out.strings(list),
            CastGot::Object => {
                out.open('{');
                if let CastShape::Object(inner) | CastShape::Choice(inner) = f.shape() {
                    cast_fields(inner, holder, out);
                }
                out.close('}');
            }
        }
    }
}

fn steps(steps: &[Step], out: &mut Out) {
    out.open('[');
    for s in steps {
        out.item();
        step(s, out);
    }
    out.close(']');
}

fn step(s: &Step, out: &mut Out) {
    out.open('{');
    fields(Entry::Step(s.action.kind()), s, out);
    out.close('}');
}

/// The fields of an entry that are not at their default, in the schema's order (a required
/// field always).
fn fields(entry: Entry, holder: &dyn StepFields, out: &mut Out) {
    for &f in entry.fields() {
        let Some(v) = holder.get(f) else { continue };
        out.key(f.as_str());
        match v {
            Got::Str(s) => out.string(s),
            Got::Flag(on) => out.buf.push_str(if on { "true" } else { "false" }),
            Got::Steps(list) => steps(list, out),
            Got::Calls(list) => {
                out.open('[');
                for mw in list {
                    out.item();
                    out.open('{');
                    fields(Entry::Meanwhile, mw, out);
                    out.close('}');
                }
                out.close(']');
            }
        }
    }
}
