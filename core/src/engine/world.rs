//! The static facts of a checked scenario, resolved once: machines, principals, processes, SPN
//! owners and ACLs, all addressed by ID so that the simulation loop does few name look-ups, and
//! those it does cannot fail: a [`Checked`] scenario declares every name it uses.

use std::collections::HashMap;

use crate::explain::Setting;
use crate::model::*;

use super::defaults;
pub use super::ids::{AccountId, MachineId, ProcId};
use super::ids::{Id, Table};
use super::spn::{self, Owner};

/// Whom a token represents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Principal {
    /// A domain account: a declared one, or a computer account `<MACHINE>$`.
    Domain(AccountId),
    System,
    NetworkService,
    LocalService,
    /// IIS's ApplicationPoolIdentity (SPEC §7.3, HT-3).
    AppPool,
    Anonymous,
}

/// A domain account as the engine sees it.
#[derive(Debug, Clone)]
pub struct AccountInfo {
    pub name: String,
    pub delegation: Delegation,
    pub allowed_to_act: Vec<AccountId>,
    pub sensitive: bool,
    pub protected_users: bool,
    pub spns: Vec<String>,
    /// `Some(machine)` for a computer account.
    pub computer_of: Option<MachineId>,
}

impl AccountInfo {
    /// Whether the KDC refuses to let anyone delegate this user (KD-2, KD-3).
    pub fn not_delegable(&self) -> bool {
        self.sensitive || self.protected_users
    }
}

#[derive(Debug, Clone)]
pub struct ProcInfo {
    pub name: String,
    pub machine: MachineId,
    pub principal: Principal,
    pub kind: ProcessKind,
    pub com: ComSecurity,
    pub threading: Threading,
    pub http: HttpSettings,
}

impl ProcInfo {
    /// PR-3: services (started by the SCM, or by COM under an account) hold SeImpersonatePrivilege.
    pub fn has_se_impersonate(&self) -> bool {
        self.kind == ProcessKind::Service
    }
}

pub struct World<'s> {
    pub scenario: &'s Scenario,
    pub machines: Table<MachineId, String>,
    pub accounts: Table<AccountId, AccountInfo>,
    pub procs: Table<ProcId, ProcInfo>,
    machine_ids: HashMap<&'s str, MachineId>,
    proc_ids: HashMap<&'s str, ProcId>,
    account_ids: HashMap<String, AccountId>,
    /// Lower-cased SPN → the accounts listing it (SP-1, SP-4).
    spn_owner: HashMap<String, Owner>,
    displays: Table<AccountId, String>,
    /// (process, proxy name) → the API of the calls that use it (validation makes it unique).
    proxy_apis: HashMap<(ProcId, String), Api>,
    /// How many calls the scenario makes, `call` steps and `meanwhile` calls (to size the
    /// state's arenas once instead of growing them).
    pub calls: usize,
    /// Per process, the SPN a call to it names by default and that SPN's owner (a call needs
    /// them each time; they are worked out once).
    default_spns: Table<ProcId, (Option<String>, Owner)>,
    /// Per machine, `cifs/<MACHINE>` (SMB's SPN, SM-1) and `HTTP/<MACHINE>` (SPEC §7.3),
    /// each with its owner.
    host_spns: Table<MachineId, [(String, Owner); 2]>,
    /// Per resource (in declaration order), the SPN a remote access names and its owner.
    resource_spns: Vec<(String, Owner)>,
}

/// A field of the step at `step` (its path): `run.steps[0].imp_level`.
pub fn step_setting(step: &str, field: &str, label: String) -> Setting {
    Setting {
        path: format!("{step}.{field}"),
        label,
    }
}

impl<'s> World<'s> {
    /// A field of a process: `processes.web.com.imp_level`, "{what} of web".
    pub fn process_setting(&self, p: ProcId, field: &str, what: &str) -> Setting {
        let name = &self.procs[p].name;
        Setting {
            path: format!("{}.{field}", path::key("processes", name)),
            label: format!("{what} of {name}"),
        }
    }

    /// A field of an account the scenario declares; for a computer account it does not
    /// declare, the account of `via`, the process that acts as it on the network.
    pub fn account_setting(&self, a: AccountId, field: &str, what: &str, via: ProcId) -> Setting {
        let name = &self.accounts[a].name;
        if self.scenario.accounts.contains_key(name) {
            return Setting {
                path: format!("{}.{field}", path::key("accounts", name)),
                label: format!("{what} of {name}"),
            };
        }
        let mut s = self.process_setting(via, "account", "Account");
        s.label = format!(
            "{} (it acts as {name}: declare {name} under Accounts to change that)",
            s.label
        );
        s
    }

    pub fn new(checked: &'s Checked) -> World<'s> {
        let s: &'s Scenario = checked;
        let machines: Table<MachineId, String> = s.machines.iter().cloned().collect();
        let machine_ids: HashMap<&str, MachineId> = machines
            .ids()
            .map(|m| (s.machines[m.index()].as_str(), m))
            .collect();
        let (accounts, account_ids) = accounts(s);
        // SP-1, silently: an SPN's owner is the account listing it; two make a duplicate (SP-4).
        let mut spn_owner: HashMap<String, Owner> = HashMap::new();
        for (id, a) in accounts.enumerate() {
            let mut list = |spn: String| {
                let o = spn_owner.entry(spn).or_insert(Owner::Nobody);
                *o = o.listed_by(id);
            };
            if let Some(m) = a.computer_of {
                let m = machines[m].to_ascii_lowercase();
                // SPEC §7.4: a domain controller's account also owns ldap/, GC/ and DNS/.
                let dc = s
                    .domain_controllers
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&m));
                let classes = if dc { &spn::DC_CLASSES[..] } else { &[] };
                for class in ["host"].iter().chain(classes) {
                    list(format!("{class}/{m}"));
                }
            }
            for spn in &a.spns {
                list(spn.to_ascii_lowercase());
            }
        }
        let mut procs = Table::default();
        let mut proc_ids = HashMap::new();
        for (name, p) in &s.processes {
            let principal = match p.account.as_str() {
                "LocalSystem" => Principal::System,
                "NetworkService" => Principal::NetworkService,
                "LocalService" => Principal::LocalService,
                "ApplicationPoolIdentity" => Principal::AppPool,
                other => Principal::Domain(account_ids[other]),
            };
            let id = procs.push(ProcInfo {
                name: name.clone(),
                machine: machine_ids[p.machine.as_str()],
                principal,
                kind: p.kind,
                com: p.com,
                threading: p.threading,
                http: p.http,
            });
            proc_ids.insert(name.as_str(), id);
        }
        let displays = accounts
            .iter()
            .map(|a| format!("{}\\{}", s.domain, a.name))
            .collect();
        let (proxy_apis, calls) = proxy_apis(s, &proc_ids);
        let mut world = World {
            scenario: s,
            machines,
            accounts,
            procs,
            machine_ids,
            proc_ids,
            account_ids,
            spn_owner,
            displays,
            proxy_apis,
            calls,
            default_spns: Table::default(),
            host_spns: Table::default(),
            resource_spns: Vec::new(),
        };
        world.host_spns = world
            .machines
            .iter()
            .map(|m| {
                [Api::Pipe, Api::Http].map(|api| {
                    let spn = defaults::host_spn(api, m);
                    let owner = world.spn_owner(&spn);
                    (spn, owner)
                })
            })
            .collect();
        world.default_spns = world
            .procs
            .ids()
            .map(|p| {
                let process = &s.processes[world.procs[p].name.as_str()];
                let spn = defaults::spn(s, Api::Com, process);
                let owner = spn.as_deref().map_or(Owner::Nobody, |x| world.spn_owner(x));
                (spn, owner)
            })
            .collect();
        world.resource_spns = s
            .resources
            .values()
            .map(|r| {
                let spn = r
                    .spn
                    .clone()
                    .unwrap_or_else(|| defaults::host_spn(Api::Pipe, &r.machine));
                let owner = world.spn_owner(&spn);
                (spn, owner)
            })
            .collect();
        world
    }

    /// The SPN a call to `proc` names by default and its owner ([`defaults::spn`],
    /// [`World::spn_owner`]).
    pub fn default_spn_and_owner(&self, proc: ProcId) -> (Option<&str>, Owner) {
        let (spn, owner) = &self.default_spns[proc];
        (spn.as_deref(), *owner)
    }

    /// The SPN a pipe (`cifs/<MACHINE>`, SM-1) or an http call (`HTTP/<MACHINE>`) to machine
    /// `m` names by default, and its owner.
    pub fn host_spn(&self, m: MachineId, http: bool) -> (&str, Owner) {
        let (spn, owner) = &self.host_spns[m][usize::from(http)];
        (spn, *owner)
    }

    /// The SPN a remote access to the resource at `index` names (its `spn`, else
    /// `cifs/<MACHINE>`) and its owner.
    pub fn resource_spn(&self, index: usize) -> (&str, Owner) {
        let (spn, owner) = &self.resource_spns[index];
        (spn, *owner)
    }

    /// The API of the calls made through a named proxy of a process (a checked scenario's
    /// `set_blanket` names only proxies its process's calls use).
    pub fn proxy_api(&self, process: ProcId, proxy: &str) -> Api {
        self.proxy_apis[&(process, proxy.to_string())]
    }

    /// A declared process.
    pub fn proc_id(&self, name: &str) -> ProcId {
        self.proc_ids[name]
    }

    /// A declared domain account (or a computer account).
    pub fn account_id(&self, name: &str) -> AccountId {
        self.account_ids[name]
    }

    /// The account an ACL entry names, if it names one (it may name a group or a built-in
    /// account instead).
    pub fn find_account(&self, name: &str) -> Option<AccountId> {
        self.account_ids.get(name).copied()
    }

    /// A declared machine.
    pub fn machine_id(&self, name: &str) -> MachineId {
        self.machine_ids[name]
    }

    /// A declared resource: its index in declaration order, and itself.
    pub fn resource(&self, name: &str) -> (usize, &'s Resource) {
        let (index, _, resource) = self
            .scenario
            .resources
            .get_full(name)
            .expect("a checked scenario declares every resource it names");
        (index, resource)
    }

    pub fn machine_name(&self, m: MachineId) -> &str {
        &self.machines[m]
    }

    pub fn computer_account(&self, m: MachineId) -> AccountId {
        // Computer accounts are created first, one per machine, in machine order.
        AccountId::from_index(m.index())
    }

    /// The display name SPEC §3 prescribes.
    pub fn display(&self, p: Principal) -> &str {
        match p {
            Principal::Domain(id) => &self.displays[id],
            Principal::System => "NT AUTHORITY\\SYSTEM",
            Principal::NetworkService => "NT AUTHORITY\\NETWORK SERVICE",
            Principal::LocalService => "NT AUTHORITY\\LOCAL SERVICE",
            Principal::AppPool => "IIS APPPOOL\\DefaultAppPool",
            Principal::Anonymous => "NT AUTHORITY\\ANONYMOUS LOGON",
        }
    }

    /// The domain account behind a principal, if it has one on the network: a declared account,
    /// or the computer account for LocalSystem and NetworkService on `machine` (AC-6).
    pub fn network_account(&self, p: Principal, machine: MachineId) -> Option<AccountId> {
        match p {
            Principal::Domain(id) => Some(id),
            Principal::System | Principal::NetworkService | Principal::AppPool => {
                Some(self.computer_account(machine))
            }
            Principal::LocalService | Principal::Anonymous => None,
        }
    }

    /// The account a process's service tickets are encrypted for: its domain account, or the
    /// computer account of its machine for the built-in accounts.
    pub fn service_account(&self, proc: ProcId) -> AccountId {
        let p = &self.procs[proc];
        match p.principal {
            Principal::Domain(id) => id,
            _ => self.computer_account(p.machine),
        }
    }

    /// Who owns an SPN (SPEC §7.1): the accounts listing it (SP-1; two or more are a
    /// duplicate, SP-4), else the computer account its host alias names (SP-2), else nobody
    /// (SP-3).
    pub fn spn_owner(&self, spn: &str) -> Owner {
        if let Some(&o) = self.spn_owner.get(&spn.to_ascii_lowercase()) {
            return o;
        }
        match spn::alias_machine(spn, self.machines.enumerate()) {
            Some(m) => Owner::Account(self.computer_account(m)),
            None => Owner::Nobody,
        }
    }

    /// Whether an ACL that allows `allow` grants `who` (AC-1, AC-5).
    pub fn acl_allows(&self, allow: &[String], who: Principal) -> bool {
        let everyone_anon = self.scenario.options.everyone_includes_anonymous;
        allow.iter().any(|entry| match (entry.as_str(), who) {
            ("ANONYMOUS LOGON", Principal::Anonymous) => true,
            ("Everyone", Principal::Anonymous) => everyone_anon,
            (_, Principal::Anonymous) => false,
            ("Everyone" | "Authenticated Users", _) => true,
            ("LocalSystem", Principal::System) => true,
            ("NetworkService", Principal::NetworkService) => true,
            ("LocalService", Principal::LocalService) => true,
            ("ApplicationPoolIdentity", Principal::AppPool) => true,
            (name, Principal::Domain(id)) => self.accounts[id].name == name,
            _ => false,
        })
    }
}

/// The domain accounts: first one computer account `<MACHINE>$` per machine, in machine order
/// (with what the scenario declares for it), then the declared accounts; and their IDs by name.
fn accounts(s: &Scenario) -> (Table<AccountId, AccountInfo>, HashMap<String, AccountId>) {
    let mut accounts = Table::default();
    let mut account_ids = HashMap::new();
    for (i, m) in s.machines.iter().enumerate() {
        let name = format!("{m}$");
        let declared = s.accounts.get(&name);
        // SPEC §7.4: Windows trusts a domain controller for unconstrained delegation.
        let delegation = if s.domain_controllers.contains(m) {
            Delegation::Unconstrained
        } else {
            declared.map(|a| a.delegation.clone()).unwrap_or_default()
        };
        let id = accounts.push(AccountInfo {
            name: name.clone(),
            delegation,
            allowed_to_act: Vec::new(),
            sensitive: declared.is_some_and(|a| a.sensitive),
            protected_users: declared.is_some_and(|a| a.protected_users),
            spns: declared.map(|a| a.spns.clone()).unwrap_or_default(),
            computer_of: Some(MachineId::from_index(i)),
        });
        account_ids.insert(name, id);
    }
    for (name, a) in &s.accounts {
        if account_ids.contains_key(name) {
            continue;
        }
        let id = accounts.push(AccountInfo {
            name: name.clone(),
            delegation: a.delegation.clone(),
            allowed_to_act: Vec::new(),
            sensitive: a.sensitive,
            protected_users: a.protected_users,
            spns: a.spns.clone(),
            computer_of: None,
        });
        account_ids.insert(name.clone(), id);
    }
    // allowed_to_act names other accounts: resolve after all exist.
    for (name, a) in &s.accounts {
        // A checked scenario lists only declared or computer accounts.
        let list: Vec<AccountId> = a.allowed_to_act.iter().map(|n| account_ids[n]).collect();
        accounts[account_ids[name]].allowed_to_act = list;
    }
    (accounts, account_ids)
}

/// The API of the calls made through each named proxy of a process, and how many calls the
/// scenario makes.
fn proxy_apis(
    s: &Scenario,
    proc_ids: &HashMap<&str, ProcId>,
) -> (HashMap<(ProcId, String), Api>, usize) {
    let mut proxy_apis = HashMap::new();
    let pid = |n: &str| proc_ids[n];
    let mut calls = 0;
    let mut stack: Vec<(&[Step], ProcId)> = vec![(&s.run.steps, pid(&s.run.process))];
    while let Some((steps, process)) = stack.pop() {
        for step in steps {
            if let Action::Call(c) = &step.action {
                calls += 1 + c.meanwhile.len();
                if let Some(name) = &c.proxy {
                    proxy_apis.insert((process, name.clone()), c.api);
                }
                stack.push((&c.steps, pid(&c.peer)));
                for mw in &c.meanwhile {
                    if let Some(name) = &mw.call.proxy {
                        proxy_apis.insert((pid(&mw.call.peer), name.clone()), mw.call.api);
                    }
                    stack.push((&mw.call.steps, process));
                }
            }
        }
    }
    (proxy_apis, calls)
}
