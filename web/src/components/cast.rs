//! The cast editor: the scenario's title and domain, its machines, accounts, processes and
//! resources (SPEC §2.1–2.3). Renaming anything renames every reference to it.

use std::rc::Rc;

use impersonation_core::model::{
    Account, AuthnLevel, Cloaking, Delegation, ImpLevel, Process, ProcessKind, Resource, Scenario,
    Threading, Vocabulary, BUILTIN_ACCOUNTS, GROUPS,
};
use yew::prelude::*;

use super::field::{name_options, problem_list, vocab_options, Problems, SelectField, TextField};
use super::{edit, Dispatch};
use crate::state::edit as ops;
use crate::state::path as jpath;
use crate::state::refs::{Kind, Subject};
use crate::state::Action;

pub struct CastProps<'a> {
    pub scenario: &'a Scenario,
    pub dispatch: &'a Dispatch,
    /// The current problems: those of the machine list as a whole are shown under it.
    pub problems: &'a Problems,
}

/// Deletes an entry, asking first when something refers to it.
fn remove(d: &Dispatch, kind: Kind, name: &str) -> Callback<MouseEvent> {
    let d = d.clone();
    let subject = Subject::new(kind, name);
    Callback::from(move |_| d.dispatch(Action::Remove(subject.clone())))
}

/// An edit of the account `name` (nothing when it is gone). A plain `fn` per setting: one
/// callback body per value type rather than one per field (the download size is budgeted).
fn account_edit<T: Clone + 'static>(
    d: &Dispatch,
    name: &str,
    f: fn(&mut Account, T),
) -> Callback<T> {
    let n = name.to_string();
    edit(d, None, move |s, v| {
        if let Some(a) = s.accounts.get_mut(&n) {
            f(a, v)
        }
    })
}

/// An edit of the resource `name`, like [`account_edit`].
fn resource_edit(d: &Dispatch, name: &str, f: fn(&mut Resource, String)) -> Callback<String> {
    let n = name.to_string();
    edit(d, None, move |s, v| {
        if let Some(r) = s.resources.get_mut(&n) {
            f(r, v)
        }
    })
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
    let d = props.dispatch;
    html! {
        <section class="card" aria-labelledby="h-scenario">
            <h3 id="h-scenario">{ "Scenario" }</h3>
            <TextField label="Title" value={s.title.clone()} path="title"
                onchange={edit(d, Some("title"), |s, v: String| s.title = v)} />
            <TextField label="Description" value={s.description.clone().unwrap_or_default()} path="description"
                onchange={edit(d, Some("description"), |s, v: String| s.description = (!v.is_empty()).then_some(v))} />
            <TextField label="Domain" value={s.domain.clone()} path="domain"
                onchange={edit(d, Some("domain"), |s, v: String| s.domain = v)} />
        </section>
    }
}

fn machines(props: &CastProps) -> Html {
    let s = props.scenario;
    let d = props.dispatch;
    let add = edit(d, None, |s, _: ()| {
        ops::add_machine(s);
    });
    html! {
        <section class="card" aria-labelledby="h-machines">
            <h3 id="h-machines">{ "Machines" }</h3>
            <ul class="plain">
            { for s.machines.iter().enumerate().map(|(i, m)| {
                let old = m.clone();
                let rename = edit(d, None, move |s, new: String| ops::rename_machine(s, &old, &new));
                let remove = remove(d, Kind::Machine, m);
                html! {
                    <li class="row-inline" key={m.clone()}>
                        <TextField label={format!("Machine {}", i + 1)} value={m.clone()} path={jpath::index("machines", i)}
                            commit=true class="name" taken={Some((others(s.machines.iter().cloned(), m), true))} onchange={rename} />
                        <button type="button" class="icon" aria-label={format!("Remove machine {m}")}
                            onclick={remove}>{ "✕" }</button>
                    </li>
                }
            }) }
            </ul>
            { problem_list(&props.problems.at("machines")) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Machine" }</button>
        </section>
    }
}

fn delegation_kind(d: &Delegation) -> &'static str {
    match d {
        Delegation::None => "none",
        Delegation::Unconstrained => "unconstrained",
        Delegation::Constrained { .. } => "constrained",
    }
}

fn accounts(props: &CastProps) -> Html {
    let s = props.scenario;
    let d = props.dispatch;
    let add = edit(d, None, |s, _: ()| {
        ops::add_account(s);
    });
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
            <p class="hint">{ "Built-in: LocalSystem, NetworkService, LocalService. A computer account is <MACHINE>$ (declare it to give it delegation settings)." }</p>
            { for s.accounts.iter().map(|(name, a)| {
                let at = jpath::key("accounts", name);
                let n = name.clone();
                let rename = edit(d, None, move |s, new: String| ops::rename_account(s, &n, &new));
                let remove = remove(d, Kind::Account, name);
                let spns = account_edit(d, name, |a, v: String| a.spns = ops::split_list(&v));
                let kind = account_edit(d, name, |a, v: String| {
                        a.delegation = match v.as_str() {
                            "unconstrained" => Delegation::Unconstrained,
                            "constrained" => match &a.delegation {
                                Delegation::Constrained { .. } => a.delegation.clone(),
                                _ => Delegation::Constrained { services: Vec::new(), any_protocol: false },
                            },
                            _ => Delegation::None,
                        };
                });
                let sensitive = account_edit(d, name, |a, v: bool| a.sensitive = v);
                let protected = account_edit(d, name, |a, v: bool| a.protected_users = v);
                let act = account_edit(d, name, |a, v: String| a.allowed_to_act = ops::split_list(&v));
                let constrained = match &a.delegation {
                    Delegation::Constrained { services, any_protocol } => {
                        let svc = account_edit(d, name, |a, v: String| {
                            if let Delegation::Constrained { services, .. } = &mut a.delegation {
                                *services = ops::split_list(&v);
                            }
                        });
                        let any = account_edit(d, name, |a, v: bool| {
                            if let Delegation::Constrained { any_protocol, .. } = &mut a.delegation {
                                *any_protocol = v;
                            }
                        });
                        html! {
                            <>
                            <TextField label="May delegate to (SPNs)" value={services.join(", ")} error={ops::spns_problem(services)}
                                path={jpath::key(&jpath::key(&at, "delegation"), "constrained")} commit=true
                                placeholder="MSSQLSvc/DB1, cifs/FS1" onchange={svc} />
                            <SelectField label="Use any authentication protocol (protocol transition)"
                                path={jpath::key(&jpath::key(&at, "delegation"), "any_protocol")} check={Some((*any_protocol, any))} />
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
                                placeholder="HTTP/APP1, ..." onchange={spns} />
                            <SelectField label="Delegation" value={delegation_kind(&a.delegation)}
                                options={kinds.clone()} path={jpath::key(&at, "delegation")} onchange={kind} />
                            { constrained }
                            <TextField label="Allowed to act on behalf (RBCD)" value={a.allowed_to_act.join(", ")}
                                path={jpath::key(&at, "allowed_to_act")} commit=true placeholder="APP1$, svcWeb" onchange={act} />
                            <SelectField label="Sensitive, cannot be delegated"
                                path={jpath::key(&at, "sensitive")} check={Some((a.sensitive, sensitive))} />
                            <SelectField label="Protected Users"
                                path={jpath::key(&at, "protected_users")} check={Some((a.protected_users, protected))} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Account" }</button>
        </section>
    }
}

fn processes(props: &CastProps) -> Html {
    let s = props.scenario;
    let d = props.dispatch;
    let add = edit(d, None, |s, _: ()| {
        ops::add_process(s);
    });
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
                let n = name.clone();
                let rename = edit(d, None, move |s, new: String| ops::rename_process(s, &n, &new));
                let remove = remove(d, Kind::Process, name);
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
                                let n = name.clone();
                                let set = c.set;
                                let onchange = edit(d, None, move |s, v: String| {
                                    if let Some(p) = s.processes.get_mut(&n) { set(p, &v) }
                                });
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
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Process" }</button>
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
    /// Applies the chosen value; a value that is not in the vocabulary changes nothing.
    set: fn(&mut Process, &str),
}

const PROCESS_CHOICES: [ProcessChoice; 7] = [
    ProcessChoice {
        label: "Machine",
        key: "machine",
        hint: None,
        options: Choices::Machines,
        get: |p| &p.machine,
        set: |p, v| p.machine = v.to_string(),
    },
    ProcessChoice {
        label: "Account",
        key: "account",
        hint: None,
        options: Choices::Accounts,
        get: |p| &p.account,
        set: |p, v| p.account = v.to_string(),
    },
    ProcessChoice {
        label: "Kind",
        key: "kind",
        hint: Some("service: holds SeImpersonatePrivilege (PR-3)"),
        options: Choices::Vocabulary(|| vocab_options::<ProcessKind>(None, false)),
        get: |p| p.kind.as_str(),
        set: |p, v| p.kind = ProcessKind::parse(v).unwrap_or(p.kind),
    },
    ProcessChoice {
        label: "Threading",
        key: "threading",
        hint: Some("sta: re-entrant calls run nested (CO-3)"),
        options: Choices::Vocabulary(|| vocab_options::<Threading>(None, false)),
        get: |p| p.threading.as_str(),
        set: |p, v| p.threading = Threading::parse(v).unwrap_or(p.threading),
    },
    ProcessChoice {
        label: "CoInitializeSecurity authn level",
        key: "com.authn_level",
        hint: None,
        options: Choices::Vocabulary(|| vocab_options::<AuthnLevel>(None, true)),
        get: |p| p.com.authn_level.as_str(),
        set: |p, v| p.com.authn_level = AuthnLevel::parse(v).unwrap_or(p.com.authn_level),
    },
    ProcessChoice {
        label: "CoInitializeSecurity imp level",
        key: "com.imp_level",
        hint: None,
        options: Choices::Vocabulary(|| vocab_options::<ImpLevel>(None, true)),
        get: |p| p.com.imp_level.as_str(),
        set: |p, v| p.com.imp_level = ImpLevel::parse(v).unwrap_or(p.com.imp_level),
    },
    ProcessChoice {
        label: "Cloaking",
        key: "com.cloaking",
        hint: None,
        options: Choices::Vocabulary(|| vocab_options::<Cloaking>(None, false)),
        get: |p| p.com.cloaking.as_str(),
        set: |p, v| p.com.cloaking = Cloaking::parse(v).unwrap_or(p.com.cloaking),
    },
];

fn resources(props: &CastProps) -> Html {
    let s = props.scenario;
    let d = props.dispatch;
    let add = edit(d, None, |s, _: ()| {
        ops::add_resource(s);
    });
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
                let n = name.clone();
                let rename = edit(d, None, move |s, new: String| ops::rename_resource(s, &n, &new));
                let remove = remove(d, Kind::Resource, name);
                let machine = resource_edit(d, name, |r, v| r.machine = v);
                let allow = resource_edit(d, name, |r, v| r.allow = ops::split_list(&v));
                let spn = resource_edit(d, name, |r, v| r.spn = (!v.trim().is_empty()).then(|| v.trim().to_string()));
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
                                path={jpath::key(&at, "machine")} onchange={machine} />
                            <TextField label="ACL: allowed principals" value={r.allow.join(", ")} commit=true
                                path={jpath::key(&at, "allow")} list={Some(AttrValue::Static("principals"))}
                                placeholder="alice, Authenticated Users" onchange={allow} />
                            <TextField label="SPN when opened remotely" value={r.spn.clone().unwrap_or_default()} commit=true
                                error={r.spn.as_deref().and_then(ops::spn_problem)}
                                path={jpath::key(&at, "spn")} placeholder={format!("cifs/{}", r.machine)} onchange={spn} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Resource" }</button>
        </section>
    }
}
