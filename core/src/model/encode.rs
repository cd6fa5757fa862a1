//! Writing a scenario back to JSON: fields at their default are left out, so that an exported
//! or shared scenario is as short as what a person would write by hand.

use serde_json::{json, Map, Value};

use super::enums::*;
use super::scenario::*;

impl Scenario {
    /// The scenario as a JSON value in format `impersonation-scenario/1`.
    pub fn to_json_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("format".into(), SCENARIO_FORMAT.into());
        m.insert("title".into(), self.title.clone().into());
        if let Some(d) = &self.description {
            m.insert("description".into(), d.clone().into());
        }
        if self.domain != "CORP" {
            m.insert("domain".into(), self.domain.clone().into());
        }
        let mut options = Map::new();
        for (name, _) in Options::FIELDS {
            if self.options.get(name) == Some(true) {
                options.insert(name.into(), true.into());
            }
        }
        if !options.is_empty() {
            m.insert("options".into(), options.into());
        }
        m.insert("machines".into(), json!(self.machines));
        if !self.accounts.is_empty() {
            let accounts: Map<String, Value> = self
                .accounts
                .iter()
                .map(|(k, a)| (k.clone(), account(a)))
                .collect();
            m.insert("accounts".into(), accounts.into());
        }
        let processes: Map<String, Value> = self
            .processes
            .iter()
            .map(|(k, p)| (k.clone(), process(p)))
            .collect();
        m.insert("processes".into(), processes.into());
        if !self.resources.is_empty() {
            let resources: Map<String, Value> = self
                .resources
                .iter()
                .map(|(k, r)| (k.clone(), resource(r)))
                .collect();
            m.insert("resources".into(), resources.into());
        }
        m.insert(
            "run".into(),
            json!({ "process": self.run.process, "steps": steps(&self.run.steps) }),
        );
        Value::Object(m)
    }

    /// The scenario as pretty-printed JSON text.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_json_value()).unwrap_or_default()
    }

    /// The scenario as compact JSON text.
    pub fn to_json_string(&self) -> String {
        self.to_json_value().to_string()
    }
}

fn account(a: &Account) -> Value {
    let mut m = Map::new();
    if !a.spns.is_empty() {
        m.insert("spns".into(), json!(a.spns));
    }
    match &a.delegation {
        Delegation::None => {}
        Delegation::Unconstrained => {
            m.insert("delegation".into(), "unconstrained".into());
        }
        Delegation::Constrained {
            services,
            any_protocol,
        } => {
            let mut d = Map::new();
            d.insert("constrained".into(), json!(services));
            if *any_protocol {
                d.insert("any_protocol".into(), true.into());
            }
            m.insert("delegation".into(), d.into());
        }
    }
    if !a.allowed_to_act.is_empty() {
        m.insert("allowed_to_act".into(), json!(a.allowed_to_act));
    }
    if a.sensitive {
        m.insert("sensitive".into(), true.into());
    }
    if a.protected_users {
        m.insert("protected_users".into(), true.into());
    }
    Value::Object(m)
}

fn process(p: &Process) -> Value {
    let mut m = Map::new();
    m.insert("machine".into(), p.machine.clone().into());
    m.insert("account".into(), p.account.clone().into());
    if p.kind != ProcessKind::Service {
        m.insert("kind".into(), p.kind.as_str().into());
    }
    let d = ComSecurity::default();
    let mut com = Map::new();
    if p.com.authn_level != d.authn_level {
        com.insert("authn_level".into(), p.com.authn_level.as_str().into());
    }
    if p.com.imp_level != d.imp_level {
        com.insert("imp_level".into(), p.com.imp_level.as_str().into());
    }
    if p.com.cloaking != d.cloaking {
        com.insert("cloaking".into(), p.com.cloaking.as_str().into());
    }
    if !com.is_empty() {
        m.insert("com".into(), com.into());
    }
    if p.threading != Threading::Sta {
        m.insert("threading".into(), p.threading.as_str().into());
    }
    Value::Object(m)
}

fn resource(r: &Resource) -> Value {
    let mut m = Map::new();
    m.insert("machine".into(), r.machine.clone().into());
    m.insert("allow".into(), json!(r.allow));
    if let Some(spn) = &r.spn {
        m.insert("spn".into(), spn.clone().into());
    }
    Value::Object(m)
}

fn steps(steps: &[Step]) -> Value {
    Value::Array(steps.iter().map(step).collect())
}

fn step(s: &Step) -> Value {
    let mut m = Map::new();
    m.insert("do".into(), s.action.name().into());
    if let Some(l) = &s.label {
        m.insert("label".into(), l.clone().into());
    }
    match &s.action {
        Action::Call(c) => call(c, "to", &mut m),
        Action::Impersonate | Action::Revert | Action::Whoami => {}
        Action::LogonUser { account } => {
            m.insert("account".into(), account.clone().into());
        }
        Action::SetBlanket(b) => {
            m.insert("proxy".into(), b.proxy.clone().into());
            if let Some(v) = b.authn {
                m.insert("authn".into(), v.as_str().into());
            }
            if let Some(v) = b.authn_level {
                m.insert("authn_level".into(), v.as_str().into());
            }
            if let Some(v) = b.imp_level {
                m.insert("imp_level".into(), v.as_str().into());
            }
            if let Some(v) = b.cloaking {
                m.insert("cloaking".into(), v.as_str().into());
            }
        }
        Action::Access { resource } | Action::AccessCheck { resource } => {
            m.insert("resource".into(), resource.clone().into());
        }
        Action::OpenThreadToken { as_self } => {
            if *as_self {
                m.insert("as_self".into(), true.into());
            }
        }
        Action::DuplicateToken { level } => {
            m.insert("level".into(), level.as_str().into());
        }
    }
    Value::Object(m)
}

fn call(c: &Call, peer_key: &str, m: &mut Map<String, Value>) {
    m.insert(peer_key.into(), c.peer.clone().into());
    if c.api != Api::Com {
        m.insert("api".into(), c.api.as_str().into());
    }
    if let Some(t) = c.transport {
        m.insert("transport".into(), t.as_str().into());
    }
    if c.authn != Authn::Default {
        m.insert("authn".into(), c.authn.as_str().into());
    }
    if c.authn_level != AuthnLevel::Default {
        m.insert("authn_level".into(), c.authn_level.as_str().into());
    }
    if c.imp_level != ImpLevel::Default {
        m.insert("imp_level".into(), c.imp_level.as_str().into());
    }
    if c.mutual_auth {
        m.insert("mutual_auth".into(), true.into());
    }
    if let Some(spn) = &c.spn {
        m.insert("spn".into(), spn.clone().into());
    }
    if let Some(v) = c.cloaking {
        m.insert("cloaking".into(), v.as_str().into());
    }
    if let Some(v) = c.tracking {
        m.insert("tracking".into(), v.as_str().into());
    }
    if c.ignore_delegate_failure {
        m.insert("ignore_delegate_failure".into(), true.into());
    }
    if let Some(p) = &c.proxy {
        m.insert("proxy".into(), p.clone().into());
    }
    if !c.steps.is_empty() {
        m.insert("steps".into(), steps(&c.steps));
    }
    if !c.meanwhile.is_empty() {
        let list = c
            .meanwhile
            .iter()
            .map(|mw| {
                let mut e = Map::new();
                if let Some(l) = &mw.label {
                    e.insert("label".into(), l.clone().into());
                }
                call(&mw.call, "from", &mut e);
                Value::Object(e)
            })
            .collect();
        m.insert("meanwhile".into(), Value::Array(list));
    }
}
