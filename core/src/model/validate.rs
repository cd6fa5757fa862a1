//! Checks that a decoded scenario means something: every name it uses is declared, names and
//! labels and SPNs are unique, transports fit the machines. What Windows itself refuses is not
//! checked here: the engine simulates it and the outcome shows the error Windows gives.
//!
//! The step tree is walked with an explicit stack, so depth costs no native stack.

use std::collections::{HashMap, HashSet};

use super::enums::*;
use super::path;
use super::scenario::*;
use crate::error::Problem;

/// Every problem with `s`, in document order (empty when valid).
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut v = Validator {
        s,
        problems: Vec::new(),
    };
    v.machines();
    v.domain_controllers();
    v.accounts();
    v.processes();
    v.resources();
    let labels = v.steps();
    v.expect(&labels);
    v.problems
}

/// Whether `name` is a computer account `<MACHINE>$` of a declared machine.
pub fn is_machine_account(s: &Scenario, name: &str) -> bool {
    name.strip_suffix('$')
        .is_some_and(|m| s.machines.iter().any(|x| x == m))
}

struct Validator<'a> {
    s: &'a Scenario,
    problems: Vec<Problem>,
}

impl<'a> Validator<'a> {
    fn problem(&mut self, at: &str, message: impl Into<String>) {
        self.problems.push(Problem::new(at, message));
    }

    fn machine_exists(&self, m: &str) -> bool {
        self.s.machines.iter().any(|x| x == m)
    }

    fn check_machine(&mut self, at: &str, m: &str) {
        if !self.machine_exists(m) {
            let known = if self.s.machines.is_empty() {
                "(none declared)".to_string()
            } else {
                self.s.machines.join(", ")
            };
            self.problem(
                at,
                format!("unknown machine \"{m}\"; the machines are: {known}"),
            );
        }
    }

    fn machines(&mut self) {
        if self.s.machines.is_empty() {
            self.problem("machines", "at least one machine is required");
        }
        let mut seen = HashSet::new();
        for (i, m) in self.s.machines.iter().enumerate() {
            if !seen.insert(m.to_ascii_uppercase()) {
                self.problem(
                    &path::index("machines", i),
                    format!("duplicate machine \"{m}\" (names are case-insensitive)"),
                );
            }
            if m.contains(['\\', '/', '$', ' ']) {
                self.problem(
                    &path::index("machines", i),
                    format!("a machine name cannot contain '\\', '/', '$' or spaces: \"{m}\""),
                );
            }
        }
    }

    /// SPEC §7.4: each domain controller is a declared machine, named once, and its computer
    /// account keeps the unconstrained delegation Windows gives it.
    fn domain_controllers(&mut self) {
        for (i, m) in self.s.domain_controllers.iter().enumerate() {
            let at = path::index("domain_controllers", i);
            self.check_machine(&at, m);
            if self.s.domain_controllers[..i].contains(m) {
                self.problem(&at, format!("\"{m}\" is already listed"));
            }
            let dc = format!("{m}$");
            if let Some(Account {
                delegation: Delegation::Constrained { .. },
                ..
            }) = self.s.accounts.get(&dc)
            {
                self.problem(
                    &path::key(&path::key("accounts", &dc), "delegation"),
                    format!("{m} is a domain controller (domain_controllers): Windows trusts its computer account for unconstrained delegation; leave the field out or write \"unconstrained\""),
                );
            }
        }
    }

    /// A principal that can hold a delegation entry or be listed in `allowed_to_act`.
    fn is_domain_principal(&self, name: &str) -> bool {
        self.s.accounts.contains_key(name) || is_machine_account(self.s, name)
    }

    fn accounts(&mut self) {
        let mut spn_owner: HashMap<String, String> = HashMap::new();
        // Every computer account holds HOST/<MACHINE> (SPEC §2.1).
        for m in &self.s.machines {
            spn_owner.insert(format!("host/{}", m.to_ascii_lowercase()), format!("{m}$"));
        }
        for (name, a) in &self.s.accounts {
            let at = path::key("accounts", name);
            if BUILTIN_ACCOUNTS.contains(&name.as_str()) {
                self.problem(
                    &at,
                    format!("\"{name}\" is a built-in account and needs no declaration"),
                );
            } else if GROUPS.contains(&name.as_str()) {
                self.problem(&at, format!("\"{name}\" is a group, not an account"));
            } else if let Some(machine) = name.strip_suffix('$') {
                if !self.machine_exists(machine) {
                    self.problem(
                        &at,
                        format!("\"{name}\" looks like a computer account, but there is no machine \"{machine}\""),
                    );
                }
            } else if name.contains(['\\', '/', '$']) {
                self.problem(
                    &at,
                    "an account name cannot contain '\\' or '/', and only a computer account ends in '$'",
                );
            }
            for (i, spn) in a.spns.iter().enumerate() {
                let sat = path::index(&path::key(&at, "spns"), i);
                if !spn.contains('/') {
                    self.problem(
                        &sat,
                        format!("an SPN has the form service/host, found \"{spn}\""),
                    );
                }
                let key = spn.to_ascii_lowercase();
                match spn_owner.get(&key) {
                    Some(owner) if owner != name => {
                        let msg =
                            format!("duplicate SPN \"{spn}\": it is already registered on {owner}");
                        self.problem(&sat, msg)
                    }
                    _ => {
                        spn_owner.insert(key, name.clone());
                    }
                }
            }
            for (i, other) in a.allowed_to_act.iter().enumerate() {
                if !self.is_domain_principal(other) {
                    self.problem(
                        &path::index(&path::key(&at, "allowed_to_act"), i),
                        format!("unknown account \"{other}\"; declare it, or name a computer account such as APP1$"),
                    );
                }
            }
        }
    }

    fn check_account(&mut self, at: &str, name: &str, allow_builtin: bool) {
        if self.s.accounts.contains_key(name) && !name.ends_with('$') {
            return;
        }
        if BUILTIN_ACCOUNTS.contains(&name) {
            if !allow_builtin {
                self.problem(
                    at,
                    format!("\"{name}\" is a built-in account; logon_user logs on a domain account declared under accounts, with its password"),
                );
            }
            return;
        }
        if name.ends_with('$') {
            let hint = if allow_builtin {
                "; a process runs as the computer account by running as LocalSystem or NetworkService"
            } else {
                ""
            };
            self.problem(
                at,
                format!("\"{name}\" is a computer account and cannot be used here{hint}"),
            );
            return;
        }
        let builtins = if allow_builtin {
            ", or one of LocalSystem, NetworkService, LocalService"
        } else {
            ""
        };
        self.problem(
            at,
            format!("unknown account \"{name}\"; declare it under accounts{builtins}"),
        );
    }

    fn processes(&mut self) {
        if self.s.processes.is_empty() {
            self.problem("processes", "at least one process is required");
        }
        for (name, p) in &self.s.processes {
            let at = path::key("processes", name);
            self.check_machine(&path::key(&at, "machine"), &p.machine);
            self.check_account(&path::key(&at, "account"), &p.account, true);
        }
    }

    fn resources(&mut self) {
        for (name, r) in &self.s.resources {
            let at = path::key("resources", name);
            self.check_machine(&path::key(&at, "machine"), &r.machine);
            for (i, who) in r.allow.iter().enumerate() {
                let known = self.s.accounts.contains_key(who)
                    || BUILTIN_ACCOUNTS.contains(&who.as_str())
                    || GROUPS.contains(&who.as_str())
                    || is_machine_account(self.s, who);
                if !known {
                    self.problem(
                        &path::index(&path::key(&at, "allow"), i),
                        format!("unknown principal \"{who}\"; name an account, a computer account such as APP1$, or one of the groups Everyone, Authenticated Users, ANONYMOUS LOGON"),
                    );
                }
            }
        }
    }

    /// Whether `name` is a declared process; if not, a problem at the path `at` gives (made
    /// only then: a large scenario names a process in every call).
    fn process_ref(&mut self, at: impl FnOnce() -> String, name: &str) -> bool {
        if self.s.processes.contains_key(name) {
            return true;
        }
        let at = at();
        let known: Vec<&str> = self.s.processes.keys().map(String::as_str).collect();
        let known = if known.is_empty() {
            "(none declared)".to_string()
        } else {
            known.join(", ")
        };
        self.problem(
            &at,
            format!("unknown process \"{name}\"; the processes are: {known}"),
        );
        false
    }

    /// SPEC §8.1: every label `expect` names is a step's.
    fn expect(&mut self, labels: &HashMap<&str, String>) {
        for (label, _) in &self.s.expect {
            if !labels.contains_key(label.as_str()) {
                self.problem(
                    &path::key("expect", label),
                    format!("no step has the label \"{label}\""),
                );
            }
        }
    }

    /// Checks the steps; returns every label with the path of the step that carries it.
    fn steps(&mut self) -> HashMap<&'a str, String> {
        let s = self.s;
        let mut labels: HashMap<&str, String> = HashMap::new();
        if !self.process_ref(|| "run.process".into(), &s.run.process) {
            return labels;
        }
        // First pass: every (process, proxy) a call names, so that a set_blanket can be checked
        // where it stands, whatever the order of the steps.
        let mut named: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
        let mut pending: Vec<(&[Step], &str)> = vec![(&s.run.steps, s.run.process.as_str())];
        while let Some((steps, process)) = pending.pop() {
            for step in steps {
                if let Action::Call(call) = &step.action {
                    if let Some(p) = &call.proxy {
                        named.insert((process, p));
                    }
                    pending.push((&call.steps, call.peer.as_str()));
                    for mw in &call.meanwhile {
                        if let Some(p) = &mw.call.proxy {
                            named.insert((mw.call.peer.as_str(), p));
                        }
                        pending.push((&mw.call.steps, process));
                    }
                }
            }
        }
        // (process, proxy) -> (path of first use, callee, api)
        let mut proxies: HashMap<(&str, &str), (String, &str, Api)> = HashMap::new();
        // Pre-order walk with an explicit stack of step lists and the next index in each, so
        // that problems come in document order and depth costs no native stack.
        // A frame's path is shared (Rc) so that a step renders its own path only when it needs
        // one: for a problem, a label, or a call's children.
        struct Frame<'x> {
            steps: &'x [Step],
            next: usize,
            at: std::rc::Rc<str>,
            process: &'x str,
        }
        // Reused for each call's child frames.
        let mut children_buf: Vec<Frame> = Vec::new();
        let mut stack = vec![Frame {
            steps: &s.run.steps,
            next: 0,
            at: "run.steps".into(),
            process: s.run.process.as_str(),
        }];
        while let Some(top) = stack.last_mut() {
            if top.next >= top.steps.len() {
                stack.pop();
                continue;
            }
            let i = top.next;
            top.next += 1;
            let step = &top.steps[i];
            let base = std::rc::Rc::clone(&top.at);
            let here = || path::index(&base, i);
            let process = top.process;
            if let Some(l) = &step.label {
                self.label(&mut labels, l, &here());
            }
            match &step.action {
                Action::Call(call) => {
                    let sat = here();
                    let caller = process;
                    let callee = call.peer.as_str();
                    let known = self.process_ref(|| path::key(&sat, "to"), callee);
                    if known {
                        self.call_fields(&sat, caller, callee, call, &mut proxies);
                    }
                    // Children in document order: the callee's steps, then each meanwhile call
                    // with its steps. Pushed in reverse so that the stack pops them in order.
                    let mut children = std::mem::take(&mut children_buf);
                    if known {
                        children.push(Frame {
                            steps: &call.steps,
                            next: 0,
                            at: path::key(&sat, "steps").into(),
                            process: callee,
                        });
                    }
                    for (j, mw) in call.meanwhile.iter().enumerate() {
                        let mat = path::index(&path::key(&sat, "meanwhile"), j);
                        if let Some(l) = &mw.label {
                            self.label(&mut labels, l, &mat);
                        }
                        let from = mw.call.peer.as_str();
                        if self.process_ref(|| path::key(&mat, "from"), from) {
                            self.call_fields(&mat, from, caller, &mw.call, &mut proxies);
                        }
                        if !mw.call.meanwhile.is_empty() {
                            self.problem(
                                &path::key(&mat, "meanwhile"),
                                "a meanwhile call cannot have meanwhile calls of its own; nest them as call steps instead",
                            );
                        }
                        children.push(Frame {
                            steps: &mw.call.steps,
                            next: 0,
                            at: path::key(&mat, "steps").into(),
                            process: caller,
                        });
                    }
                    stack.extend(children.drain(..).rev());
                    children_buf = children;
                }
                Action::LogonUser { account }
                    if !self.s.accounts.contains_key(account.as_str())
                        || account.ends_with('$') =>
                {
                    self.check_account(&path::key(&here(), "account"), account, false);
                }
                Action::Access { resource } | Action::AccessCheck { resource }
                    if !s.resources.contains_key(resource) =>
                {
                    let known: Vec<&str> = s.resources.keys().map(String::as_str).collect();
                    self.problem(
                        &path::key(&here(), "resource"),
                        format!(
                            "unknown resource \"{resource}\"; the resources are: {}",
                            if known.is_empty() {
                                "(none declared)".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    );
                }
                Action::SetBlanket(b) => {
                    if !named.contains(&(process, b.proxy.as_str())) {
                        self.problem(
                            &path::key(&here(), "proxy"),
                            format!(
                                "no call of process \"{process}\" uses a proxy named \"{}\"; name it in a call's \"proxy\" field",
                                b.proxy
                            ),
                        );
                    } else if b.cloaking.is_some() && self.proxy_is_not_com(process, &b.proxy) {
                        self.problem(
                            &path::key(&here(), "cloaking"),
                            "cloaking is a COM proxy setting; an RPC binding or pipe uses identity tracking (CL-9)",
                        );
                    }
                }
                _ => {}
            }
        }
        labels
    }

    /// Whether the calls of `process` through proxy `name` are RPC or pipe calls.
    fn proxy_is_not_com(&self, process: &str, name: &str) -> bool {
        let s = self.s;
        let mut pending: Vec<(&[Step], &str)> = vec![(&s.run.steps, s.run.process.as_str())];
        while let Some((steps, p)) = pending.pop() {
            for step in steps {
                if let Action::Call(call) = &step.action {
                    if p == process && call.proxy.as_deref() == Some(name) {
                        return call.api != Api::Com;
                    }
                    pending.push((&call.steps, call.peer.as_str()));
                    for mw in &call.meanwhile {
                        if mw.call.peer == process && mw.call.proxy.as_deref() == Some(name) {
                            return mw.call.api != Api::Com;
                        }
                        pending.push((&mw.call.steps, p));
                    }
                }
            }
        }
        false
    }

    fn label<'s>(&mut self, labels: &mut HashMap<&'s str, String>, label: &'s str, at: &str) {
        if let Some(first) = labels.get(label) {
            let msg = format!("duplicate label \"{label}\" (first used at {first})");
            self.problem(&path::key(at, "label"), msg);
        } else {
            labels.insert(label, at.to_string());
        }
    }

    fn call_fields<'s>(
        &mut self,
        at: &str,
        caller: &'s str,
        callee: &'s str,
        call: &'s Call,
        proxies: &mut HashMap<(&'s str, &'s str), (String, &'s str, Api)>,
    ) {
        let s = self.s;
        let (Some(from), Some(to)) = (s.processes.get(caller), s.processes.get(callee)) else {
            return;
        };
        if let Some(t) = call.transport {
            if t == Transport::Ncalrpc && from.machine != to.machine {
                self.problem(
                    &path::key(at, "transport"),
                    format!(
                        "ncalrpc is local only: {caller} runs on {} and {callee} on {}",
                        from.machine, to.machine
                    ),
                );
            }
            if call.api == Api::Pipe && t != Transport::NcacnNp {
                self.problem(
                    &path::key(at, "transport"),
                    "a named pipe call travels over ncacn_np",
                );
            }
        }
        if call.api != Api::Com && call.cloaking.is_some() {
            self.problem(
                &path::key(at, "cloaking"),
                "cloaking is a COM setting; RPC and pipe calls use \"tracking\" (CL-9, RP-6)",
            );
        }
        if call.api == Api::Com && call.tracking.is_some() {
            self.problem(
                &path::key(at, "tracking"),
                "identity tracking is an RPC and pipe setting; COM calls use \"cloaking\" (CL-9)",
            );
        }
        if let Some(name) = &call.proxy {
            match proxies.get(&(caller, name.as_str())) {
                Some((first, first_to, first_api)) => {
                    if *first_to != callee || *first_api != call.api {
                        let msg = format!(
                            "proxy \"{name}\" of process \"{caller}\" already leads to \"{first_to}\" over {first_api} (at {first}); a proxy reaches one object"
                        );
                        self.problem(&path::key(at, "proxy"), msg);
                    }
                }
                None => {
                    proxies.insert((caller, name.as_str()), (at.to_string(), callee, call.api));
                }
            }
        }
    }
}
