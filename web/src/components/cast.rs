//! The cast editor: the scenario's title and domain, its machines, accounts, processes and
//! resources (SPEC §2.1–2.3). Renaming anything renames every reference to it.

use std::rc::Rc;

use impersonation_core::model::{
    AuthnLevel, Cloaking, Delegation, ImpLevel, Process, ProcessKind, Scenario, Threading,
    Vocabulary, BUILTIN_ACCOUNTS, GROUPS,
};
use yew::prelude::*;

use super::field::{name_options, problem_list, vocab_options, Problems, SelectField, TextField};
use super::{send, set, Act};
use crate::state::edit as ops;
use crate::state::path as jpath;
use crate::state::refs::{Kind, Subject};
use crate::state::{Action, Edit, Key, Place};

pub struct CastProps<'a> {
    pub scenario: &'a Scenario,
    pub act: &'a Act,
    /// The current problems: those of the machine list as a whole are shown under it.
    pub problems: &'a Problems,
}

/// Deletes an entry, asking first when something refers to it.
fn remove(act: &Act, kind: Kind, name: &str) -> Callback<MouseEvent> {
    send(act, Action::Remove(Subject::new(kind, name)))
}

/// Renames an entry and every reference to it.
fn rename(act: &Act, kind: Kind, name: &str) -> Callback<String> {
    let subject = Subject::new(kind, name);
    act.reform(move |to| {
        Action::Edit(Edit::Rename {
            subject: subject.clone(),
            to,
        })
    })
}

/// Adds an entry with the next free natural name.
fn add(act: &Act, kind: Kind) -> Callback<MouseEvent> {
    send(act, Action::Edit(Edit::AddEntry(kind)))
}

fn others(names: impl Iterator<Item = String>, me: &str) -> Rc<Vec<String>> {
    Rc::new(names.filter(|n| n != me).collect())
}

/// The whole cast editor. A function rather than a component: the playground renders it only
/// on the Cast tab, and its fields are components that skip rendering when unchanged.
pub fn cast_editor(props: &CastProps) -> Html {
    html! {
        <div class="cast">
            { scenario_meta(props) }
            { machines(props) }
            { accounts(props) }
            { processes(props) }
            { resources(props) }
        </div>
    }
}

fn scenario_meta(props: &CastProps) -> Html {
    let s = props.scenario;
    let act = props.act;
    html! {
        <section class="card" aria-labelledby="h-scenario">
            <h3 id="h-scenario">{ "Scenario" }</h3>
            <TextField label="Title" value={s.title.clone()} path="title"
                onchange={set::<String>(act, &Place::Scenario, Key::Title)} />
            <TextField label="Description" value={s.description.clone().unwrap_or_default()} path="description"
                onchange={set::<String>(act, &Place::Scenario, Key::Description)} />
            <TextField label="Domain" value={s.domain.clone()} path="domain"
                onchange={set::<String>(act, &Place::Scenario, Key::Domain)} />
        </section>
    }
}

fn machines(props: &CastProps) -> Html {
    let s = props.scenario;
    let act = props.act;
    html! {
        <section class="card" aria-labelledby="h-machines">
            <h3 id="h-machines">{ "Machines" }</h3>
            <ul class="plain">
            { for s.machines.iter().enumerate().map(|(i, m)| {
                let rename = rename(act, Kind::Machine, m);
                let remove = remove(act, Kind::Machine, m);
                html! {
                    <li class="row-inline" key={m.clone()}>
                        <TextField label={format!("Machine {}", i + 1)} value={m.clone()} path={jpath::index("machines", i)}
                            commit=true class="name" taken={Some((others(s.machines.iter().cloned(), m), true))} onchange={rename} />
                        { dc_switch(props, m) }
                        <button type="button" class="icon" aria-label={format!("Remove machine {m}")}
                            onclick={remove}>{ "✕" }</button>
                    </li>
                }
            }) }
            </ul>
            { problem_list(&props.problems.at("machines")) }
            { problem_list(&stray_dcs(props)) }
            <button type="button" class="btn small" onclick={add(act, Kind::Machine)}>{ "+ Machine" }</button>
        </section>
    }
}

/// A machine's "domain controller" switch (SPEC §7.4); it shows the problems of the machine's
/// entry in `domain_controllers`.
fn dc_switch(props: &CastProps, m: &str) -> Html {
    let s = props.scenario;
    let at = s.domain_controllers.iter().position(|d| d == m);
    let path = at.map(|i| jpath::index("domain_controllers", i));
    let place = Place::Entry(Subject::new(Kind::Machine, m));
    let cb = set::<bool>(props.act, &place, Key::DomainController);
    html! { <SelectField label="domain controller" path={path.unwrap_or_default()} check={Some((at.is_some(), cb))} /> }
}

/// The problems of `domain_controllers` entries no machine's switch shows: those naming no
/// machine of the list, and repeats.
fn stray_dcs(props: &CastProps) -> Vec<String> {
    let s = props.scenario;
    let mut out = Vec::new();
    let dcs = &s.domain_controllers;
    for (i, d) in dcs.iter().enumerate() {
        if !s.machines.contains(d) || dcs.iter().position(|x| x == d) != Some(i) {
            out.extend(props.problems.at(&jpath::index("domain_controllers", i)));
        }
    }
    out
}

/// A switch of an entry: its label, JSON key under the entry, the field it sets and a hint.
/// Data rather than one `SelectField` each (the download size is budgeted).
struct Flag {
    label: &'static str,
    key: &'static str,
    set: Key,
    hint: Option<&'static str>,
}

/// The switches of `table` for the entry `place` at JSON path `at`, `on` their states in the
/// table's order.
#[inline(never)]
fn switches(act: &Act, place: &Place, at: &str, table: &[Flag], on: &[bool]) -> Html {
    html! {
        { for table.iter().zip(on).map(|(f, on)| html! {
            <SelectField label={f.label} path={format!("{at}.{}", f.key)} hint={f.hint.map(AttrValue::Static)}
                check={Some((*on, set::<bool>(act, place, f.set)))} />
        }) }
    }
}

/// An account's switches, in the order of `on` in [`accounts`].
const ACCOUNT_FLAGS: [Flag; 3] = [
    Flag {
        label: "Sensitive, cannot be delegated",
        key: "sensitive",
        set: Key::Sensitive,
        hint: None,
    },
    Flag {
        label: "Protected Users",
        key: "protected_users",
        set: Key::ProtectedUsers,
        hint: None,
    },
    Flag {
        label: "Admin (Domain Admins or another privileged group)",
        key: "admin",
        set: Key::Admin,
        hint: None,
    },
];

/// A process's `http` settings (SPEC §7.3): how it serves an http call (`on` in the same order
/// in [`processes`]).
const HTTP_FLAGS: [Flag; 3] = [
    Flag {
        label: "HTTP: kernel-mode authentication",
        key: "http.kernel_mode",
        set: Key::KernelMode,
        hint: Some("HT-2: HTTP.sys decrypts tickets with the computer account's key"),
    },
    Flag {
        label: "HTTP: useAppPoolCredentials",
        key: "http.use_app_pool_credentials",
        set: Key::UseAppPoolCredentials,
        hint: Some("HT-2: with kernel mode, the process account's key instead"),
    },
    Flag {
        label: "HTTP: runs as the client",
        key: "http.runs_as_client",
        set: Key::RunsAsClient,
        hint: Some("HT-7: each request runs in a process of the client's logon (WinRM)"),
    },
];

fn delegation_kind(d: &Delegation) -> &'static str {
    match d {
        Delegation::None => "none",
        Delegation::Unconstrained => "unconstrained",
        Delegation::Constrained { .. } => "constrained",
    }
}

fn accounts(props: &CastProps) -> Html {
    let s = props.scenario;
    let act = props.act;
    let kinds: Rc<Vec<(AttrValue, AttrValue)>> = Rc::new(vec![
        ("none".into(), "none".into()),
        (
            "unconstrained".into(),
            "unconstrained (TRUSTED_FOR_DELEGATION)".into(),
        ),
        (
            "constrained".into(),
            "constrained (msDS-AllowedToDelegateTo)".into(),
        ),
    ]);
    html! {
        <section class="card" aria-labelledby="h-accounts">
            <h3 id="h-accounts">{ "Accounts" }</h3>
            <p class="hint">{ format!("Built-in: {}. A computer account is <MACHINE>$ (declare it to give it delegation settings).", BUILTIN_ACCOUNTS.join(", ")) }</p>
            { for s.accounts.iter().map(|(name, a)| {
                let at = jpath::key("accounts", name);
                let entry = Place::Entry(Subject::new(Kind::Account, name));
                let rename = rename(act, Kind::Account, name);
                let remove = remove(act, Kind::Account, name);
                let text = |key| set::<String>(act, &entry, key);
                let flag = |key| set::<bool>(act, &entry, key);
                let on = [a.sensitive, a.protected_users, a.admin];
                let switches = switches(act, &entry, &at, &ACCOUNT_FLAGS, &on);
                let constrained = match &a.delegation {
                    Delegation::Constrained { services, any_protocol } => {
                        html! {
                            <>
                            <TextField label="May delegate to (SPNs)" value={services.join(", ")} error={ops::spns_problem(services)}
                                path={jpath::key(&jpath::key(&at, "delegation"), "constrained")} commit=true
                                placeholder="MSSQLSvc/DB1, cifs/FS1" onchange={text(Key::Services)} />
                            <SelectField label="Use any authentication protocol (protocol transition)"
                                path={jpath::key(&jpath::key(&at, "delegation"), "any_protocol")} check={Some((*any_protocol, flag(Key::AnyProtocol)))} />
                            </>
                        }
                    }
                    _ => html! {},
                };
                html! {
                    <fieldset class="item" key={name.clone()}>
                        <legend class="sr-only">{ format!("Account {name}") }</legend>
                        <div class="item-head">
                            <TextField label="Account" value={name.clone()} path={at.clone()} commit=true class="name"
                                taken={Some((others(s.accounts.keys().cloned(), name), false))} onchange={rename} />
                            <button type="button" class="icon" aria-label={format!("Remove account {name}")}
                                onclick={remove}>{ "✕" }</button>
                        </div>
                        <div class="grid">
                            <TextField label="SPNs" value={a.spns.join(", ")} path={jpath::key(&at, "spns")} commit=true error={ops::spns_problem(&a.spns)}
                                placeholder="HTTP/APP1, ..." onchange={text(Key::Spns)} />
                            <SelectField label="Delegation" value={delegation_kind(&a.delegation)}
                                options={kinds.clone()} path={jpath::key(&at, "delegation")} onchange={text(Key::Delegation)} />
                            { constrained }
                            <TextField label="Allowed to act on behalf (RBCD)" value={a.allowed_to_act.join(", ")}
                                path={jpath::key(&at, "allowed_to_act")} commit=true placeholder="APP1$, svcWeb" onchange={text(Key::AllowedToAct)} />
                            { switches }
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add(act, Kind::Account)}>{ "+ Account" }</button>
        </section>
    }
}

fn processes(props: &CastProps) -> Html {
    let s = props.scenario;
    let act = props.act;
    let mut account_names: Vec<String> = s
        .accounts
        .keys()
        .filter(|a| !a.ends_with('$'))
        .cloned()
        .collect();
    account_names.extend(BUILTIN_ACCOUNTS.iter().map(|b| b.to_string()));
    let machines = name_options(s.machines.iter());
    let accounts = name_options(account_names.iter());
    html! {
        <section class="card" aria-labelledby="h-processes">
            <h3 id="h-processes">{ "Processes" }</h3>
            { for s.processes.iter().map(|(name, p)| {
                let at = jpath::key("processes", name);
                let entry = Place::Entry(Subject::new(Kind::Process, name));
                let rename = rename(act, Kind::Process, name);
                let remove = remove(act, Kind::Process, name);
                html! {
                    <fieldset class="item" key={name.clone()}>
                        <legend class="sr-only">{ format!("Process {name}") }</legend>
                        <div class="item-head">
                            <TextField label="Process" value={name.clone()} path={at.clone()} commit=true class="name"
                                taken={Some((others(s.processes.keys().cloned(), name), false))} onchange={rename} />
                            <button type="button" class="icon" aria-label={format!("Remove process {name}")}
                                onclick={remove}>{ "✕" }</button>
                        </div>
                        <div class="grid">
                            { for PROCESS_CHOICES.iter().map(|c| {
                                let onchange = set::<String>(act, &entry, c.set);
                                let options = match c.options {
                                    Choices::Machines => machines.clone(),
                                    Choices::Accounts => accounts.clone(),
                                    Choices::Vocabulary(all) => all(),
                                };
                                html! {
                                    <SelectField label={c.label} value={(c.get)(p).to_string()} {options}
                                        path={format!("{at}.{}", c.key)} hint={c.hint.map(AttrValue::Static)} {onchange} />
                                }
                            }) }
                            { switches(act, &entry, &at, &HTTP_FLAGS, &[p.http.kernel_mode, p.http.use_app_pool_credentials, p.http.runs_as_client]) }
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add(act, Kind::Process)}>{ "+ Process" }</button>
        </section>
    }
}

/// Where a select's options come from.
enum Choices {
    Machines,
    Accounts,
    Vocabulary(fn() -> Rc<Vec<(AttrValue, AttrValue)>>),
}

/// A process setting edited with a select. The settings are data rather than one `SelectField`
/// each: one control and one callback type serve them all (the download size is budgeted).
struct ProcessChoice {
    label: &'static str,
    /// The JSON key under the process (for its problems).
    key: &'static str,
    hint: Option<&'static str>,
    options: Choices,
    get: fn(&Process) -> &str,
    /// The field the chosen value sets (a value not in the vocabulary changes nothing).
    set: Key,
}

const PROCESS_CHOICES: [ProcessChoice; 7] = [
    ProcessChoice {
        label: "Machine",
        key: "machine",
        hint: None,
        options: Choices::Machines,
        get: |p| &p.machine,
        set: Key::Machine,
    },
    ProcessChoice {
        label: "Account",
        key: "account",
        hint: None,
        options: Choices::Accounts,
        get: |p| &p.account,
        set: Key::Account,
    },
    ProcessChoice {
        label: "Kind",
        key: "kind",
        hint: Some("service: holds SeImpersonatePrivilege (PR-3)"),
        options: Choices::Vocabulary(|| vocab_options::<ProcessKind>(None, &[])),
        get: |p| p.kind.as_str(),
        set: Key::Kind,
    },
    ProcessChoice {
        label: "Threading",
        key: "threading",
        hint: Some("sta: re-entrant calls run nested (CO-3)"),
        options: Choices::Vocabulary(|| vocab_options::<Threading>(None, &[])),
        get: |p| p.threading.as_str(),
        set: Key::Threading,
    },
    ProcessChoice {
        label: "CoInitializeSecurity authn level",
        key: "com.authn_level",
        hint: None,
        options: Choices::Vocabulary(|| vocab_options::<AuthnLevel>(None, &["default"])),
        get: |p| p.com.authn_level.as_str(),
        set: Key::AuthnLevel,
    },
    ProcessChoice {
        label: "CoInitializeSecurity imp level",
        key: "com.imp_level",
        hint: None,
        options: Choices::Vocabulary(|| vocab_options::<ImpLevel>(None, &["default"])),
        get: |p| p.com.imp_level.as_str(),
        set: Key::ImpLevel,
    },
    ProcessChoice {
        label: "Cloaking",
        key: "com.cloaking",
        hint: None,
        options: Choices::Vocabulary(|| vocab_options::<Cloaking>(None, &[])),
        get: |p| p.com.cloaking.as_str(),
        set: Key::Cloaking,
    },
];

fn resources(props: &CastProps) -> Html {
    let s = props.scenario;
    let act = props.act;
    let machines = name_options(s.machines.iter());
    html! {
        <section class="card" aria-labelledby="h-resources">
            <h3 id="h-resources">{ "Resources" }</h3>
            <datalist id="principals">
                { for s.accounts.keys().map(|a| html! { <option value={a.clone()} /> }) }
                { for GROUPS.iter().map(|g| html! { <option value={*g} /> }) }
                { for BUILTIN_ACCOUNTS.iter().map(|g| html! { <option value={*g} /> }) }
            </datalist>
            { for s.resources.iter().map(|(name, r)| {
                let at = jpath::key("resources", name);
                let entry = Place::Entry(Subject::new(Kind::Resource, name));
                let rename = rename(act, Kind::Resource, name);
                let remove = remove(act, Kind::Resource, name);
                let text = |key| set::<String>(act, &entry, key);
                html! {
                    <fieldset class="item" key={name.clone()}>
                        <legend class="sr-only">{ format!("Resource {name}") }</legend>
                        <div class="item-head">
                            <TextField label="Resource" value={name.clone()} path={at.clone()} commit=true class="name"
                                taken={Some((others(s.resources.keys().cloned(), name), false))} onchange={rename} />
                            <button type="button" class="icon" aria-label={format!("Remove resource {name}")}
                                onclick={remove}>{ "✕" }</button>
                        </div>
                        <div class="grid">
                            <SelectField label="Machine" value={r.machine.clone()} options={machines.clone()}
                                path={jpath::key(&at, "machine")} onchange={text(Key::Machine)} />
                            <TextField label="ACL: allowed principals" value={r.allow.join(", ")} commit=true
                                path={jpath::key(&at, "allow")} list={Some(AttrValue::Static("principals"))}
                                placeholder="alice, Authenticated Users" onchange={text(Key::Allow)} />
                            <TextField label="SPN when opened remotely" value={r.spn.clone().unwrap_or_default()} commit=true
                                error={r.spn.as_deref().and_then(ops::spn_problem)}
                                path={jpath::key(&at, "spn")} placeholder={impersonation_core::engine::defaults::host_spn(impersonation_core::model::Api::Pipe, &r.machine)} onchange={text(Key::Spn)} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add(act, Kind::Resource)}>{ "+ Resource" }</button>
        </section>
    }
}
