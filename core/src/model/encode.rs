//! Writing a scenario back to JSON: fields at their default are left out, so that an exported
//! or shared scenario is as short as what a person would write by hand.
//!
//! The text is written directly, in serde_json's compact or pretty layout, without building a
//! `serde_json::Value` first: the playground writes the scenario on every edit, and the value
//! tree cost both time and download size (issue #6). `tests/properties.rs` checks the layouts
//! against serde_json's.

use indexmap::IndexMap;

use super::enums::*;
use super::path::escape_runs;
use super::scenario::*;

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
        /// `\u0000` to `\u001f`, six bytes each.
        const CONTROLS: &str = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f";
        self.buf.push('"');
        escape_runs(&mut self.buf, s, |b| match b {
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
        self.buf.push('"');
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
    let on: Vec<&str> = Options::FIELDS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| s.options.get(name) == Some(true))
        .collect();
    if !on.is_empty() {
        out.key("options");
        out.open('{');
        for name in on {
            out.true_member(name);
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
    out.str_member("do", s.action.name());
    if let Some(l) = &s.label {
        out.str_member("label", l);
    }
    match &s.action {
        Action::Call(c) => call(c, "to", out),
        Action::Impersonate | Action::Revert | Action::Whoami => {}
        Action::LogonUser { account } => out.str_member("account", account),
        Action::SetBlanket(b) => {
            out.str_member("proxy", &b.proxy);
            if let Some(v) = b.authn {
                out.str_member("authn", v.as_str());
            }
            if let Some(v) = b.authn_level {
                out.str_member("authn_level", v.as_str());
            }
            if let Some(v) = b.imp_level {
                out.str_member("imp_level", v.as_str());
            }
            if let Some(v) = b.cloaking {
                out.str_member("cloaking", v.as_str());
            }
        }
        Action::Access { resource } | Action::AccessCheck { resource } => {
            out.str_member("resource", resource);
        }
        Action::OpenThreadToken { as_self } => {
            if *as_self {
                out.true_member("as_self");
            }
        }
        Action::DuplicateToken { level } => out.str_member("level", level.as_str()),
    }
    out.close('}');
}

fn call(c: &Call, peer_key: &str, out: &mut Out) {
    out.str_member(peer_key, &c.peer);
    if c.api != Api::Com {
        out.str_member("api", c.api.as_str());
    }
    if let Some(t) = c.transport {
        out.str_member("transport", t.as_str());
    }
    if c.authn != Authn::Default {
        out.str_member("authn", c.authn.as_str());
    }
    if c.authn_level != AuthnLevel::Default {
        out.str_member("authn_level", c.authn_level.as_str());
    }
    if c.imp_level != ImpLevel::Default {
        out.str_member("imp_level", c.imp_level.as_str());
    }
    if c.mutual_auth {
        out.true_member("mutual_auth");
    }
    if let Some(spn) = &c.spn {
        out.str_member("spn", spn);
    }
    if let Some(v) = c.cloaking {
        out.str_member("cloaking", v.as_str());
    }
    if let Some(v) = c.tracking {
        out.str_member("tracking", v.as_str());
    }
    if c.ignore_delegate_failure {
        out.true_member("ignore_delegate_failure");
    }
    if let Some(p) = &c.proxy {
        out.str_member("proxy", p);
    }
    if !c.steps.is_empty() {
        out.key("steps");
        steps(&c.steps, out);
    }
    if !c.meanwhile.is_empty() {
        out.key("meanwhile");
        out.open('[');
        for mw in &c.meanwhile {
            out.item();
            out.open('{');
            if let Some(l) = &mw.label {
                out.str_member("label", l);
            }
            call(&mw.call, "from", out);
            out.close('}');
        }
        out.close(']');
    }
}
