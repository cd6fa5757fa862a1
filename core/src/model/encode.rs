//! Writing a scenario back to JSON: fields at their default are left out, so that an exported
//! or shared scenario is as short as what a person would write by hand.
//!
//! The text is written directly, in serde_json's compact or pretty layout, without building a
//! `serde_json::Value` first: the playground writes the scenario on every edit, and the value
//! tree cost both time and download size (issue #6). `tests/properties.rs` checks the layouts
//! against serde_json's.

use indexmap::IndexMap;

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

    fn true_member(&mut self, key: &str) {
        self.key(key);
        self.buf.push_str("true");
    }

    fn strings_member<S: AsRef<str>>(&mut self, key: &str, values: &[S]) {
        self.key(key);
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
    out.open('{');
    if !a.spns.is_empty() {
        out.strings_member("spns", &a.spns);
    }
    match &a.delegation {
        Delegation::None => {}
        Delegation::Unconstrained => out.str_member("delegation", "unconstrained"),
        Delegation::Constrained {
            services,
            any_protocol,
        } => {
            out.key("delegation");
            out.open('{');
            out.strings_member("constrained", services);
            if *any_protocol {
                out.true_member("any_protocol");
            }
            out.close('}');
        }
    }
    if !a.allowed_to_act.is_empty() {
        out.strings_member("allowed_to_act", &a.allowed_to_act);
    }
    if a.sensitive {
        out.true_member("sensitive");
    }
    if a.protected_users {
        out.true_member("protected_users");
    }
    if a.admin {
        out.true_member("admin");
    }
    out.close('}');
}

fn process(p: &Process, out: &mut Out) {
    out.open('{');
    out.str_member("machine", &p.machine);
    out.str_member("account", &p.account);
    if p.kind != ProcessKind::Service {
        out.str_member("kind", p.kind.as_str());
    }
    let d = ComSecurity::default();
    if p.com != d {
        out.key("com");
        out.open('{');
        if p.com.authn_level != d.authn_level {
            out.str_member("authn_level", p.com.authn_level.as_str());
        }
        if p.com.imp_level != d.imp_level {
            out.str_member("imp_level", p.com.imp_level.as_str());
        }
        if p.com.cloaking != d.cloaking {
            out.str_member("cloaking", p.com.cloaking.as_str());
        }
        out.close('}');
    }
    if p.threading != Threading::Sta {
        out.str_member("threading", p.threading.as_str());
    }
    let h = HttpSettings::default();
    if p.http != h {
        out.key("http");
        out.open('{');
        if !p.http.kernel_mode {
            out.key("kernel_mode");
            out.buf.push_str("false");
        }
        if p.http.use_app_pool_credentials {
            out.true_member("use_app_pool_credentials");
        }
        if p.http.runs_as_client {
            out.true_member("runs_as_client");
        }
        out.close('}');
    }
    out.close('}');
}

fn resource(r: &Resource, out: &mut Out) {
    out.open('{');
    out.str_member("machine", &r.machine);
    out.strings_member("allow", &r.allow);
    if let Some(spn) = &r.spn {
        out.str_member("spn", spn);
    }
    out.close('}');
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
