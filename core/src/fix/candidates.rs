//! The changes worth trying for a scenario's unmet expectations (SPEC §8.2: only what touches
//! the failing events' processes, accounts and SPNs): for each failing event, the delegation
//! grants from the account that presents the client (its front end) to the owner of the SPN it
//! reaches, the client side of the calls that brought the identity there, the user's own
//! account, the resource's ACL, and the server's privilege.

use serde_json::{json, Value};

use super::changes::{self, ChangeKind, Shell};
use crate::engine::world::World;
use crate::model::*;
use crate::rules::RuleId;

/// One edit of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Edit {
    /// `accounts.<target>.allowed_to_act` gains `who` (RBCD).
    AllowToAct {
        target: String,
        who: String,
    },
    /// `accounts.<account>.delegation` becomes `to`.
    Delegation {
        account: String,
        to: Delegation,
    },
    Sensitive {
        account: String,
    },
    Protected {
        account: String,
    },
    /// `resources.<resource>.allow` gains `who`.
    Allow {
        resource: String,
        who: String,
    },
    /// Fields of the call at `path` (a `run.steps[..]` path).
    Call {
        path: String,
        imp_level: Option<ImpLevel>,
        mutual_auth: bool,
        authn: Option<Authn>,
        authn_level: Option<AuthnLevel>,
        cloaking: Option<Cloaking>,
    },
    /// An `impersonate` step inserted at `index` of the steps of the call at `call`. Made after
    /// the other edits of a set, so that their paths keep their meaning.
    Impersonate {
        call: String,
        index: usize,
    },
    /// `processes.<process>.com`.
    ProcessCom {
        process: String,
        imp_level: Option<ImpLevel>,
        cloaking: Option<Cloaking>,
    },
    /// `processes.<process>.kind` becomes service.
    RunAsService {
        process: String,
    },
}

/// A change the search may use: what it edits, how it ranks, and how a person makes it.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub kind: &'static ChangeKind,
    pub tier: u8,
    /// Blast radius: 0 one process, 1 one resource, 2 listed SPNs, 3 every service.
    pub radius: u8,
    pub path: String,
    pub before: Value,
    pub after: Value,
    pub sentence: String,
    pub commands: Vec<(Shell, String)>,
    pub edit: Edit,
}

impl Candidate {
    /// Whether both edit the same field (they cannot be made together); a step inserted in a
    /// list overlaps every edit inside that list.
    pub fn overlaps(&self, other: &Candidate) -> bool {
        let inside = |a: &Candidate, b: &Candidate| {
            matches!(a.edit, Edit::Impersonate { .. }) && b.path.starts_with(&a.path)
        };
        if inside(self, other) || inside(other, self) {
            return true;
        }
        if self.path != other.path {
            return false;
        }
        match (&self.after, &other.after) {
            (Value::Object(a), Value::Object(b)) => a.keys().any(|k| b.contains_key(k)),
            _ => true,
        }
    }
}

impl Edit {
    /// Applies the edit; false when its target is gone.
    pub fn apply(&self, s: &mut Scenario) -> bool {
        fn account<'s>(s: &'s mut Scenario, name: &str) -> &'s mut Account {
            s.accounts.entry(name.to_string()).or_default()
        }
        match self {
            Edit::AllowToAct { target, who } => account(s, target).allowed_to_act.push(who.clone()),
            Edit::Delegation { account: name, to } => account(s, name).delegation = to.clone(),
            Edit::Sensitive { account: name } => account(s, name).sensitive = false,
            Edit::Protected { account: name } => account(s, name).protected_users = false,
            Edit::Allow { resource, who } => match s.resources.get_mut(resource) {
                Some(r) => r.allow.push(who.clone()),
                None => return false,
            },
            Edit::Call {
                path,
                imp_level,
                mutual_auth,
                authn,
                authn_level,
                cloaking,
            } => {
                let Some(c) = call_mut(s, path) else {
                    return false;
                };
                if let Some(l) = imp_level {
                    c.imp_level = *l;
                }
                if let Some(l) = authn_level {
                    c.authn_level = *l;
                }
                c.mutual_auth |= *mutual_auth;
                if let Some(a) = authn {
                    c.authn = *a;
                }
                if cloaking.is_some() {
                    c.cloaking = *cloaking;
                }
            }
            Edit::ProcessCom {
                process,
                imp_level,
                cloaking,
            } => match s.processes.get_mut(process) {
                Some(p) => {
                    p.com.imp_level = imp_level.unwrap_or(p.com.imp_level);
                    p.com.cloaking = cloaking.unwrap_or(p.com.cloaking);
                }
                None => return false,
            },
            Edit::RunAsService { process } => match s.processes.get_mut(process) {
                Some(p) => p.kind = ProcessKind::Service,
                None => return false,
            },
            Edit::Impersonate { call, index } => match call_mut(s, call) {
                Some(c) if *index <= c.steps.len() => c.steps.insert(
                    *index,
                    Step {
                        label: None,
                        action: Action::Impersonate,
                    },
                ),
                _ => return false,
            },
        }
        true
    }
}

/// The call at a step path (`run.steps[0].steps[2]`, `run.steps[0].meanwhile[1]`).
pub(super) fn call_mut<'s>(s: &'s mut Scenario, path: &str) -> Option<&'s mut Call> {
    enum At<'a> {
        Steps(&'a mut Vec<Step>),
        Call(&'a mut Call),
    }
    let step_call = |steps: &'s mut Vec<Step>, i: usize| match &mut steps.get_mut(i)?.action {
        Action::Call(c) => Some(&mut **c),
        _ => None,
    };
    let mut at = At::Steps(&mut s.run.steps);
    for segment in path.strip_prefix("run.")?.split('.') {
        let (name, index) = segment.strip_suffix(']')?.split_once('[')?;
        let index: usize = index.parse().ok()?;
        at = match (at, name) {
            (At::Steps(steps), "steps") => At::Call(step_call(steps, index)?),
            (At::Call(c), "steps") => At::Call(step_call(&mut c.steps, index)?),
            (At::Call(c), "meanwhile") => At::Call(&mut c.meanwhile.get_mut(index)?.call),
            _ => return None,
        };
    }
    match at {
        At::Call(c) => Some(c),
        At::Steps(_) => None,
    }
}

/// The candidates for the unmet expectations of `s`, whose run gave `outcome`, deduplicated,
/// in the order they were found.
pub(super) fn candidates(s: &Checked, outcome: &Outcome) -> Vec<Candidate> {
    let world = World::new(s);
    let mut g = Gen {
        s,
        world: &world,
        out: Vec::new(),
    };
    let mut labels: Vec<&str> = Vec::new();
    for x in outcome.expectations.iter().filter(|x| !x.met) {
        if !labels.contains(&x.label.as_str()) {
            labels.push(&x.label);
        }
    }
    for label in labels {
        if let Some(e) = outcome.by_label(label) {
            g.event(outcome, e);
        }
    }
    g.out
}

struct Gen<'a> {
    s: &'a Scenario,
    world: &'a World<'a>,
    out: Vec<Candidate>,
}

/// A computer account's or a user's name in PowerShell's `-Identity`, and the cmdlet that sets
/// its attributes.
fn ad_cmdlet(account: &str) -> &'static str {
    if account.ends_with('$') {
        "Set-ADComputer"
    } else {
        "Set-ADUser"
    }
}

impl Gen<'_> {
    fn push(&mut self, c: Candidate) {
        let same = |o: &Candidate| o.path == c.path && o.after == c.after;
        if !self.out.iter().any(same) {
            self.out.push(c);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn candidate(
        &self,
        kind: &str,
        radius: u8,
        path: String,
        (before, after): (Value, Value),
        sentence: String,
        values: &[(&str, &str)],
        pick: &dyn Fn(&str) -> bool,
        edit: Edit,
    ) -> Candidate {
        let kind = changes::get(kind).expect("a catalogued kind");
        let commands = kind
            .commands
            .iter()
            .filter(|c| pick(c.template))
            .map(|c| (c.shell, c.render(values)))
            .collect();
        Candidate {
            kind,
            tier: kind.tier,
            radius,
            path,
            before,
            after,
            sentence,
            commands,
            edit,
        }
    }

    /// The domain account a process presents on the network: its own, or its machine's.
    fn network_account(&self, process: &str) -> Option<String> {
        let p = self.s.processes.get(process)?;
        match p.account.as_str() {
            "LocalSystem" | "NetworkService" => Some(format!("{}$", p.machine)),
            "LocalService" => None,
            other => Some(other.to_string()),
        }
    }

    /// A display name's declared account (`CORP\alice` → `alice`).
    fn declared(&self, display: &str) -> Option<String> {
        let (domain, name) = display.split_once('\\')?;
        (domain.eq_ignore_ascii_case(&self.s.domain) && self.s.accounts.contains_key(name))
            .then(|| name.to_string())
    }

    /// What an event reaches on another machine: the SPN and its owner's name.
    fn target(&self, e: &Event) -> Option<(String, String, String)> {
        let (spn, owner, machine) = match e.action {
            "access" => {
                let resource = self.step_resource(&e.step)?;
                let (index, r) = self.world.resource(&resource);
                let (spn, owner) = self.world.resource_spn(index);
                (spn.to_string(), owner, r.machine.clone())
            }
            "call" => {
                let to = e.to.as_deref()?;
                let callee = self.world.proc_id(to);
                let explicit = self.call_spn(&e.step);
                let (spn, owner) = match explicit {
                    Some(spn) => {
                        let owner = self.world.spn_owner(&spn);
                        (spn, owner)
                    }
                    None => {
                        let (spn, owner) = self.world.default_spn_and_owner(callee);
                        (spn?.to_string(), owner)
                    }
                };
                (spn, owner, self.s.processes[to].machine.clone())
            }
            _ => return None,
        };
        let owner = self.world.accounts[owner?].name.clone();
        Some((spn, owner, machine))
    }

    /// Every candidate for one failing event.
    fn event(&mut self, outcome: &Outcome, e: &Event) {
        // The calls that brought the thread's identity to this event, outermost first, and the
        // event itself when it is a call.
        let chain: Vec<&Event> = outcome
            .events
            .iter()
            .filter(|c| {
                c.action == "call"
                    && (c.step == e.step
                        || e.step.starts_with(&c.step) && e.step[c.step.len()..].starts_with('.'))
            })
            .collect();
        if let Some((spn, owner, machine)) = self.target(e) {
            let remote = self.s.processes[&e.process].machine != machine;
            if let (true, Some(front)) = (remote, self.network_account(&e.process)) {
                self.grants(&front, &spn, &owner);
            }
        }
        for c in &chain {
            self.client_side(c);
        }
        let user = e
            .seen_as
            .clone()
            .flatten()
            .filter(|_| e.action == "call")
            .unwrap_or_else(|| e.identity.clone());
        if let Some(user) = self.declared(&user) {
            self.user(&user);
            if matches!(e.action, "access" | "access_check") {
                self.acl(e, &user);
            }
        }
        if e.action == "call" && e.rules.contains(&RuleId::Al2) {
            self.authn_level(e);
        }
        if e.status == Status::ErrorNoToken {
            self.impersonate_before(e);
        }
        // A server without SeImpersonatePrivilege gets Identify-level tokens (PR-2).
        self.privilege(&e.process);
        for c in &chain {
            self.privilege(c.to.as_deref().unwrap_or_default());
        }
    }

    /// RBCD on the owner, KCD (Kerberos only, then any protocol) and unconstrained delegation
    /// on the front end. A grant to a domain controller's service is tier 6.
    fn grants(&mut self, front: &str, spn: &str, owner: &str) {
        let dc_target = owner
            .strip_suffix('$')
            .is_some_and(|m| self.s.domain_controllers.iter().any(|d| d == m));
        let grant_tier = |t: u8| if dc_target { 6 } else { t };
        let existing = self.s.accounts.get(owner).map(|a| a.allowed_to_act.clone());
        let existing = existing.unwrap_or_default();
        if owner != front && !existing.iter().any(|a| a == front) {
            let mut after = existing.clone();
            after.push(front.to_string());
            let principals: Vec<String> = after.iter().map(|a| format!("'{a}'")).collect();
            let principals = principals.join(",");
            let cmdlet = ad_cmdlet(owner);
            let mut c = self.candidate(
                "rbcd",
                2,
                format!("{}.allowed_to_act", path::key("accounts", owner)),
                (json!(existing), json!(after)),
                format!("{owner} lets {front} act on behalf of its users (resource-based constrained delegation)."),
                &[("target", owner), ("principals", &principals)],
                &|t: &str| t.starts_with(cmdlet),
                Edit::AllowToAct { target: owner.into(), who: front.into() },
            );
            c.tier = grant_tier(c.tier);
            self.push(c);
        }
        let current = self
            .s
            .accounts
            .get(front)
            .map(|a| a.delegation.clone())
            .unwrap_or_default();
        let (mut list, had_any) = match &current {
            Delegation::Unconstrained => (Vec::new(), false),
            Delegation::None => (Vec::new(), false),
            Delegation::Constrained {
                services,
                any_protocol,
            } => (services.clone(), *any_protocol),
        };
        let added = !list.iter().any(|x| x.eq_ignore_ascii_case(spn));
        if added {
            list.push(spn.to_string());
        }
        let before = delegation_json(&current);
        let dpath = format!("{}.delegation", path::key("accounts", front));
        let cmdlet = ad_cmdlet(front);
        for any in [false, true] {
            if had_any && !any {
                continue;
            }
            let to = Delegation::Constrained {
                services: list.clone(),
                any_protocol: any,
            };
            if to == current {
                continue;
            }
            let (kind, how) = match any {
                false => ("kcd", "with Kerberos only"),
                true => ("kcd_any_protocol", "with any authentication protocol"),
            };
            let mut c = self.candidate(
                kind,
                2,
                dpath.clone(),
                (before.clone(), delegation_json(&to)),
                format!("{front} may delegate to {spn} {how} (constrained delegation)."),
                &[("account", front), ("spn", spn)],
                // The list is added to with the account's cmdlet; protocol transition is set
                // unless the account has it already.
                &|t: &str| {
                    t.starts_with(cmdlet) && added
                        || t.starts_with("Set-ADAccountControl") && !had_any
                },
                Edit::Delegation {
                    account: front.into(),
                    to,
                },
            );
            c.tier = grant_tier(c.tier);
            self.push(c);
        }
        if current != Delegation::Unconstrained {
            let c = self.candidate(
                "unconstrained",
                3,
                dpath,
                (before, json!("unconstrained")),
                format!("{front} is trusted for delegation to any service (it receives its callers' TGTs)."),
                &[("account", front)],
                &|_: &str| true,
                Edit::Delegation { account: front.into(), to: Delegation::Unconstrained },
            );
            self.push(c);
        }
    }

    /// The client side of a call that brought the identity: the level it asks for and the
    /// package (Kerberos, and so delegation, needs the SPN the call names), then the caller's
    /// CoInitializeSecurity.
    fn client_side(&mut self, c: &Event) {
        let Some(k) = client(self.s, c) else {
            return;
        };
        let spn = match &k.call.spn {
            Some(spn) => Some(spn.clone()).filter(|x| !x.is_empty()),
            None => c.to.as_deref().and_then(|to| {
                let (spn, _) = self.world.default_spn_and_owner(self.world.proc_id(to));
                spn.map(str::to_string)
            }),
        };
        if let Some(spn) = spn.filter(|_| k.call.api != Api::Pipe) {
            self.kerberos(c, &k, &spn);
        }
        self.client_levels(c, &k);
    }

    /// Delegate level, and Kerberos instead of NTLM, on the call.
    fn kerberos(&mut self, c: &Event, k: &Client, spn: &str) {
        let authn = match c.authn {
            Some(Authn::Kerberos) => "GSS_KERBEROS",
            Some(Authn::Ntlm) => "WINNT",
            _ => "GSS_NEGOTIATE",
        };
        let path = c.step.clone();
        let edit = |imp_level, mutual_auth, authn| Edit::Call {
            path: path.clone(),
            imp_level,
            mutual_auth,
            authn,
            authn_level: None,
            cloaking: None,
        };
        let api = k.call.api;
        let api_line = |t: &str| match api {
            Api::Com => t.starts_with("CoSetProxyBlanket"),
            _ => t.starts_with("RPC_SECURITY_QOS") || t.starts_with("RpcBindingSetAuthInfoEx"),
        };
        let (from, to) = (&c.process, c.to.as_deref().unwrap_or_default());
        let values = |authn| {
            [
                ("spn", spn),
                ("authn", authn),
                ("authn_level", k.authn_level.as_str()),
                ("imp_level", k.imp_name.as_str()),
                ("eoac", k.eoac),
            ]
        };
        if k.imp != ImpLevel::Delegate {
            let mutual = api == Api::Rpc;
            let after = match mutual {
                true => json!({"imp_level": "delegate", "mutual_auth": true}),
                false => json!({"imp_level": "delegate"}),
            };
            let cand = self.candidate(
                "client_delegate",
                0,
                path.clone(),
                (json!({"imp_level": k.imp.as_str()}), after),
                format!("{from} calls {to} at Delegate, so that {to} may pass the identity on."),
                &values(authn),
                &api_line,
                edit(Some(ImpLevel::Delegate), mutual, None),
            );
            self.push(cand);
        }
        if c.authn == Some(Authn::Ntlm) {
            let kind = if api == Api::Com {
                "call_blanket"
            } else {
                "rpc_binding"
            };
            let cand = self.candidate(
                kind,
                0,
                path.clone(),
                (
                    json!({"authn": k.call.authn.as_str()}),
                    json!({"authn": "kerberos"}),
                ),
                format!("{from} authenticates to {to} with Kerberos instead of NTLM."),
                &values("GSS_KERBEROS"),
                &api_line,
                edit(None, false, Some(Authn::Kerberos)),
            );
            self.push(cand);
        }
    }

    /// The caller's CoInitializeSecurity: the level it lets servers use, and cloaking.
    fn client_levels(&mut self, c: &Event, k: &Client) {
        let from = &c.process;
        let com = k.caller.com;
        let values = |imp_level, eoac| {
            [
                ("authn_level", k.authn_level.as_str()),
                ("imp_level", imp_level),
                ("eoac", eoac),
            ]
        };
        let at = |field: &str| format!("{}.com.{field}", path::key("processes", from));
        if c.seen_level.flatten() < Some(TokenLevel::Impersonate) && k.imp < ImpLevel::Impersonate {
            let cand = self.candidate(
                "process_com",
                0,
                at("imp_level"),
                (json!(com.imp_level.as_str()), json!("impersonate")),
                format!(
                    "{from} lets its servers impersonate it (CoInitializeSecurity at Impersonate)."
                ),
                &values("IMPERSONATE", k.eoac),
                &|_: &str| true,
                Edit::ProcessCom {
                    process: from.clone(),
                    imp_level: Some(ImpLevel::Impersonate),
                    cloaking: None,
                },
            );
            self.push(cand);
        }
        if k.call.api == Api::Com && k.cloaking == Cloaking::None {
            let cand = self.candidate(
                "process_com",
                0,
                at("cloaking"),
                (json!("none"), json!("dynamic")),
                format!("{from} calls with the identity its thread is impersonating (dynamic cloaking)."),
                &values(&k.imp_name, "EOAC_DYNAMIC_CLOAKING"),
                &|_: &str| true,
                Edit::ProcessCom { process: from.clone(), imp_level: None, cloaking: Some(Cloaking::Dynamic) },
            );
            self.push(cand);
        }
    }

    /// A call below its server's minimum authentication level (AL-2): the call asks for it.
    fn authn_level(&mut self, e: &Event) {
        let Some(k) = client(self.s, e) else {
            return;
        };
        let Some(server) = e.to.as_deref().and_then(|to| self.s.processes.get(to)) else {
            return;
        };
        let min = server.com.authn_level;
        let kind = if k.call.api == Api::Com {
            "call_blanket"
        } else {
            "rpc_binding"
        };
        let (from, to) = (&e.process, e.to.as_deref().unwrap_or_default());
        let level = min.as_str().to_ascii_uppercase();
        let spn = k.call.spn.clone().unwrap_or_default();
        let cand = self.candidate(
            kind,
            0,
            e.step.clone(),
            (
                json!({"authn_level": k.call.authn_level.as_str()}),
                json!({"authn_level": min.as_str()}),
            ),
            format!(
                "{from} calls {to} at the authentication level {to} requires ({}).",
                min.as_str()
            ),
            &[
                ("spn", &spn),
                ("authn", "GSS_NEGOTIATE"),
                ("authn_level", &level),
                ("imp_level", &k.imp_name),
                ("eoac", k.eoac),
            ],
            &|t: &str| {
                t.starts_with("CoSetProxyBlanket") || t.starts_with("RpcBindingSetAuthInfoEx")
            },
            Edit::Call {
                path: e.step.clone(),
                imp_level: None,
                mutual_auth: false,
                authn: None,
                authn_level: Some(min),
                cloaking: None,
            },
        );
        self.push(cand);
    }

    /// A step that needs a thread token the server never took (TK-1, TK-3): impersonate first.
    fn impersonate_before(&mut self, e: &Event) {
        let Some((call, index)) = e.step.rsplit_once(".steps[") else {
            return;
        };
        let Some(index) = index
            .strip_suffix(']')
            .and_then(|i| i.parse::<usize>().ok())
        else {
            return;
        };
        let Some(c) = call_at(self.s, call) else {
            return;
        };
        let api = match c.api {
            Api::Com => "CoImpersonateClient",
            Api::Rpc => "RpcImpersonateClient",
            Api::Pipe => "ImpersonateNamedPipeClient",
        };
        // The list before and after, as the scenario writes it.
        let written: Value = serde_json::from_str(&self.s.to_json_string()).unwrap_or_default();
        let list_path = format!("{call}.steps");
        let mut before = written.clone();
        for part in list_path.split('.') {
            let (key, rest) = part.split_once('[').unwrap_or((part, ""));
            before = before[key].take();
            if let Some(i) = rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()) {
                before = before[i].take();
            }
        }
        let mut after = before.clone();
        if let Some(list) = after.as_array_mut() {
            list.insert(index.min(list.len()), json!({"do": "impersonate"}));
        }
        let process = &e.process;
        let cand = self.candidate(
            "impersonate_step",
            0,
            list_path,
            (before, after),
            format!("{process} impersonates its caller before step {index} of the call."),
            &[],
            &|t: &str| t.starts_with(api),
            Edit::Impersonate {
                call: call.to_string(),
                index,
            },
        );
        self.push(cand);
    }

    /// The user's own account: "sensitive" or Protected Users, never for an admin.
    fn user(&mut self, user: &str) {
        let Some(a) = self.s.accounts.get(user).filter(|a| !a.admin) else {
            return;
        };
        let at = path::key("accounts", user);
        for (flag, kind, field) in [
            (a.sensitive, "clear_sensitive", "sensitive"),
            (
                a.protected_users,
                "leave_protected_users",
                "protected_users",
            ),
        ] {
            if !flag {
                continue;
            }
            let edit = match field {
                "sensitive" => Edit::Sensitive {
                    account: user.into(),
                },
                _ => Edit::Protected {
                    account: user.into(),
                },
            };
            let cand = self.candidate(
                kind,
                3,
                format!("{at}.{field}"),
                (json!(true), json!(false)),
                format!("{user}'s identity may be delegated again ({field} cleared)."),
                &[("account", user)],
                &|_: &str| true,
                edit,
            );
            self.push(cand);
        }
    }

    /// The resource's ACL, for an access the identity reaches but is refused.
    fn acl(&mut self, e: &Event, user: &str) {
        let denied = matches!(e.status, Status::ErrorAccessDenied | Status::EAccessDenied);
        let Some(name) = self.step_resource(&e.step).filter(|_| denied) else {
            return;
        };
        let r = &self.s.resources[&name];
        if r.allow.iter().any(|a| a == user) {
            return;
        }
        let mut after = r.allow.clone();
        after.push(user.to_string());
        let share = format!("\\\\{}\\{name}", r.machine);
        let cand = self.candidate(
            "acl_entry",
            1,
            format!("{}.allow", path::key("resources", &name)),
            (json!(r.allow), json!(after)),
            format!("{name} grants {user} access."),
            &[("path", &share), ("domain", &self.s.domain), ("user", user)],
            &|_: &str| true,
            Edit::Allow {
                resource: name.clone(),
                who: user.into(),
            },
        );
        self.push(cand);
    }

    /// A server without SeImpersonatePrivilege (PR-2, PR-3): run it as a service.
    fn privilege(&mut self, process: &str) {
        let Some(p) = self
            .s
            .processes
            .get(process)
            .filter(|p| p.kind == ProcessKind::User)
        else {
            return;
        };
        let cand = self.candidate(
            "run_as_service",
            0,
            format!("{}.kind", path::key("processes", process)),
            (json!("user"), json!("service")),
            format!("{process} runs as a service, which holds SeImpersonatePrivilege."),
            &[
                ("service", process),
                ("domain", &self.s.domain),
                ("user", &p.account),
                ("path", &format!("C:\\path\\to\\{process}.exe")),
            ],
            &|_: &str| true,
            Edit::RunAsService {
                process: process.into(),
            },
        );
        self.push(cand);
    }

    fn step_resource(&self, path: &str) -> Option<String> {
        let (parent, last) = path.rsplit_once(".steps[")?;
        let index: usize = last.strip_suffix(']')?.parse().ok()?;
        let steps = if parent == "run" {
            &self.s.run.steps
        } else {
            &call_at(self.s, parent)?.steps
        };
        match &steps.get(index)?.action {
            Action::Access { resource } | Action::AccessCheck { resource } => {
                Some(resource.clone())
            }
            _ => None,
        }
    }

    fn call_spn(&self, path: &str) -> Option<String> {
        call_at(self.s, path)?.spn.clone().filter(|x| !x.is_empty())
    }
}

/// The call at a step path, read-only ([`call_mut`] edits it).
fn call_at<'s>(s: &'s Scenario, path: &str) -> Option<&'s Call> {
    let step_call = |steps: &'s [Step], i: usize| match &steps.get(i)?.action {
        Action::Call(c) => Some(&**c),
        _ => None,
    };
    let mut segments = path.strip_prefix("run.")?.split('.').map(|segment| {
        let (name, index) = segment.strip_suffix(']')?.split_once('[')?;
        Some((name, index.parse::<usize>().ok()?))
    });
    let mut call = match segments.next()?? {
        ("steps", i) => step_call(&s.run.steps, i)?,
        _ => return None,
    };
    for segment in segments {
        call = match segment? {
            ("steps", i) => step_call(&call.steps, i)?,
            ("meanwhile", i) => &call.meanwhile.get(i)?.call,
            _ => return None,
        };
    }
    Some(call)
}

/// A delegation setting as the scenario format writes it.
fn delegation_json(d: &Delegation) -> Value {
    match d {
        Delegation::None => json!("none"),
        Delegation::Unconstrained => json!("unconstrained"),
        Delegation::Constrained {
            services,
            any_protocol,
        } => {
            json!({"constrained": services, "any_protocol": any_protocol})
        }
    }
}

/// A call's client side as it stands: the call, its caller, the effective level and cloaking,
/// and their SDK spellings.
struct Client<'s> {
    call: &'s Call,
    caller: &'s Process,
    imp: ImpLevel,
    imp_name: String,
    cloaking: Cloaking,
    eoac: &'static str,
    authn_level: String,
}

fn client<'s>(s: &'s Scenario, c: &Event) -> Option<Client<'s>> {
    let call = call_at(s, &c.step)?;
    let caller = s.processes.get(&c.process)?;
    let imp = match call.imp_level {
        ImpLevel::Default if call.api == Api::Com => caller.com.imp_level,
        ImpLevel::Default => ImpLevel::Impersonate,
        l => l,
    };
    let cloaking = call.cloaking.unwrap_or(caller.com.cloaking);
    Some(Client {
        call,
        caller,
        imp,
        imp_name: imp.as_str().to_ascii_uppercase(),
        cloaking,
        eoac: match cloaking {
            Cloaking::None => "EOAC_NONE",
            Cloaking::Static => "EOAC_STATIC_CLOAKING",
            Cloaking::Dynamic => "EOAC_DYNAMIC_CLOAKING",
        },
        authn_level: c
            .authn_level
            .unwrap_or(AuthnLevel::Connect)
            .as_str()
            .to_ascii_uppercase(),
    })
}
