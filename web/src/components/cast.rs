//! The cast editor: the scenario's title and domain, its machines, accounts, processes and
//! resources (SPEC §2.1–2.3). Renaming anything renames every reference to it.

use std::rc::Rc;

use impersonation_core::model::{
    AuthnLevel, Cloaking, Delegation, ImpLevel, ProcessKind, Scenario, Threading, Vocabulary,
    BUILTIN_ACCOUNTS, GROUPS,
};
use yew::prelude::*;

use super::field::{name_options, vocab_options, CheckField, SelectField, TextField};
use super::{edit, Dispatch};
use crate::state::edit as ops;
use crate::state::path as jpath;

#[derive(Properties, PartialEq)]
pub struct NameProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub path: AttrValue,
    /// Names already taken by others.
    pub taken: Rc<Vec<String>>,
    #[prop_or_default]
    pub case_insensitive: bool,
    pub onrename: Callback<String>,
}

/// A name field: renames on Enter or when leaving it; refuses empty or taken names.
#[function_component(NameField)]
pub fn name_field(props: &NameProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let error = error.clone();
        let taken = props.taken.clone();
        let ci = props.case_insensitive;
        let current = props.value.clone();
        let rename = props.onrename.clone();
        Callback::from(move |new: String| {
            let new = new.trim().to_string();
            if new == current.as_str() {
                error.set(None);
                return;
            }
            let is_taken = taken.iter().any(|t| {
                if ci {
                    t.eq_ignore_ascii_case(&new)
                } else {
                    *t == new
                }
            });
            match ops::rename_refused(is_taken, &new) {
                Some(why) => error.set(Some(why)),
                None => {
                    error.set(None);
                    rename.emit(new);
                }
            }
        })
    };
    html! {
        <TextField label={props.label.clone()} value={props.value.clone()} path={props.path.clone()}
            commit=true {onchange} error={(*error).clone()} class="name" />
    }
}

#[derive(Properties, PartialEq)]
pub struct CastProps {
    pub scenario: Rc<Scenario>,
    pub dispatch: Dispatch,
}

fn others(names: impl Iterator<Item = String>, me: &str) -> Rc<Vec<String>> {
    Rc::new(names.filter(|n| n != me).collect())
}

/// The whole cast editor.
#[function_component(CastEditor)]
pub fn cast_editor(props: &CastProps) -> Html {
    let s = &props.scenario;
    let d = &props.dispatch;
    html! {
        <div class="cast">
            <ScenarioMeta scenario={s.clone()} dispatch={d.clone()} />
            <Machines scenario={s.clone()} dispatch={d.clone()} />
            <Accounts scenario={s.clone()} dispatch={d.clone()} />
            <Processes scenario={s.clone()} dispatch={d.clone()} />
            <Resources scenario={s.clone()} dispatch={d.clone()} />
        </div>
    }
}

#[function_component(ScenarioMeta)]
fn scenario_meta(props: &CastProps) -> Html {
    let s = &props.scenario;
    let d = &props.dispatch;
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

#[function_component(Machines)]
fn machines(props: &CastProps) -> Html {
    let s = &props.scenario;
    let d = &props.dispatch;
    let add = {
        let d = d.clone();
        Callback::from(move |_| {
            d.dispatch(crate::state::Action::Edit(crate::state::Edit::new(|s| {
                ops::add_machine(s);
            })))
        })
    };
    html! {
        <section class="card" aria-labelledby="h-machines">
            <h3 id="h-machines">{ "Machines" }</h3>
            <ul class="plain">
            { for s.machines.iter().enumerate().map(|(i, m)| {
                let old = m.clone();
                let rename = edit(d, None, move |s, new: String| ops::rename_machine(s, &old, &new));
                let name = m.clone();
                let remove = edit(d, None, move |s, _: ()| s.machines.retain(|x| *x != name));
                html! {
                    <li class="row-inline" key={m.clone()}>
                        <NameField label={format!("Machine {}", i + 1)} value={m.clone()}
                            path={jpath::index("machines", i)}
                            taken={others(s.machines.iter().cloned(), m)} case_insensitive=true onrename={rename} />
                        <button type="button" class="icon" aria-label={format!("Remove machine {m}")}
                            onclick={remove.reform(|_| ())}>{ "✕" }</button>
                    </li>
                }
            }) }
            </ul>
            <super::field::ProblemsAt path="machines" />
            <button type="button" class="btn small" onclick={add}>{ "+ Machine" }</button>
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

#[function_component(Accounts)]
fn accounts(props: &CastProps) -> Html {
    let s = &props.scenario;
    let d = &props.dispatch;
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
                let n = name.clone();
                let remove = edit(d, None, move |s, _: ()| { s.accounts.shift_remove(&n); });
                let n = name.clone();
                let spns = edit(d, None, move |s, v: String| {
                    if let Some(a) = s.accounts.get_mut(&n) { a.spns = ops::split_list(&v); }
                });
                let n = name.clone();
                let kind = edit(d, None, move |s, v: String| {
                    if let Some(a) = s.accounts.get_mut(&n) {
                        a.delegation = match v.as_str() {
                            "unconstrained" => Delegation::Unconstrained,
                            "constrained" => match &a.delegation {
                                Delegation::Constrained { .. } => a.delegation.clone(),
                                _ => Delegation::Constrained { services: Vec::new(), any_protocol: false },
                            },
                            _ => Delegation::None,
                        };
                    }
                });
                let n = name.clone();
                let sensitive = edit(d, None, move |s, v: bool| {
                    if let Some(a) = s.accounts.get_mut(&n) { a.sensitive = v; }
                });
                let n = name.clone();
                let protected = edit(d, None, move |s, v: bool| {
                    if let Some(a) = s.accounts.get_mut(&n) { a.protected_users = v; }
                });
                let n = name.clone();
                let act = edit(d, None, move |s, v: String| {
                    if let Some(a) = s.accounts.get_mut(&n) { a.allowed_to_act = ops::split_list(&v); }
                });
                let constrained = match &a.delegation {
                    Delegation::Constrained { services, any_protocol } => {
                        let n = name.clone();
                        let svc = edit(d, None, move |s, v: String| {
                            if let Some(a) = s.accounts.get_mut(&n) {
                                if let Delegation::Constrained { services, .. } = &mut a.delegation {
                                    *services = ops::split_list(&v);
                                }
                            }
                        });
                        let n = name.clone();
                        let any = edit(d, None, move |s, v: bool| {
                            if let Some(a) = s.accounts.get_mut(&n) {
                                if let Delegation::Constrained { any_protocol, .. } = &mut a.delegation {
                                    *any_protocol = v;
                                }
                            }
                        });
                        html! {
                            <>
                            <TextField label="May delegate to (SPNs)" value={services.join(", ")}
                                path={jpath::key(&jpath::key(&at, "delegation"), "constrained")} commit=true
                                placeholder="MSSQLSvc/DB1, cifs/FS1" onchange={svc} />
                            <CheckField label="Use any authentication protocol (protocol transition)" checked={*any_protocol}
                                path={jpath::key(&jpath::key(&at, "delegation"), "any_protocol")} onchange={any} />
                            </>
                        }
                    }
                    _ => html! {},
                };
                html! {
                    <fieldset class="item" key={name.clone()}>
                        <legend class="sr-only">{ format!("Account {name}") }</legend>
                        <div class="item-head">
                            <NameField label="Account" value={name.clone()} path={at.clone()}
                                taken={others(s.accounts.keys().cloned(), name)} onrename={rename} />
                            <button type="button" class="icon" aria-label={format!("Remove account {name}")}
                                onclick={remove.reform(|_| ())}>{ "✕" }</button>
                        </div>
                        <div class="grid">
                            <TextField label="SPNs" value={a.spns.join(", ")} path={jpath::key(&at, "spns")} commit=true
                                placeholder="HTTP/APP1, ..." onchange={spns} />
                            <SelectField label="Delegation" value={delegation_kind(&a.delegation)}
                                options={kinds.clone()} path={jpath::key(&at, "delegation")} onchange={kind} />
                            { constrained }
                            <TextField label="Allowed to act on behalf (RBCD)" value={a.allowed_to_act.join(", ")}
                                path={jpath::key(&at, "allowed_to_act")} commit=true placeholder="APP1$, svcWeb" onchange={act} />
                            <CheckField label="Sensitive, cannot be delegated" checked={a.sensitive}
                                path={jpath::key(&at, "sensitive")} onchange={sensitive} />
                            <CheckField label="Protected Users" checked={a.protected_users}
                                path={jpath::key(&at, "protected_users")} onchange={protected} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Account" }</button>
        </section>
    }
}

#[function_component(Processes)]
fn processes(props: &CastProps) -> Html {
    let s = &props.scenario;
    let d = &props.dispatch;
    let add = edit(d, None, |s, _: ()| {
        ops::add_process(s);
    });
    let machines = name_options(s.machines.iter());
    let mut account_names: Vec<String> = s
        .accounts
        .keys()
        .filter(|a| !a.ends_with('$'))
        .cloned()
        .collect();
    account_names.extend(BUILTIN_ACCOUNTS.iter().map(|b| b.to_string()));
    let accounts = name_options(account_names.iter());
    let kinds = vocab_options::<ProcessKind>(None, false);
    let threading = vocab_options::<Threading>(None, false);
    let authn = vocab_options::<AuthnLevel>(None, true);
    let imp = vocab_options::<ImpLevel>(None, true);
    let cloak = vocab_options::<Cloaking>(None, false);
    html! {
        <section class="card" aria-labelledby="h-processes">
            <h3 id="h-processes">{ "Processes" }</h3>
            { for s.processes.iter().map(|(name, p)| {
                let at = jpath::key("processes", name);
                let cat = jpath::key(&at, "com");
                let n = name.clone();
                let rename = edit(d, None, move |s, new: String| ops::rename_process(s, &n, &new));
                let n = name.clone();
                let remove = edit(d, None, move |s, _: ()| { s.processes.shift_remove(&n); });
                macro_rules! set {
                    ($f:expr) => {{
                        let n = name.clone();
                        edit(d, None, move |s, v: String| {
                            if let Some(p) = s.processes.get_mut(&n) { ($f)(p, v) }
                        })
                    }};
                }
                html! {
                    <fieldset class="item" key={name.clone()}>
                        <legend class="sr-only">{ format!("Process {name}") }</legend>
                        <div class="item-head">
                            <NameField label="Process" value={name.clone()} path={at.clone()}
                                taken={others(s.processes.keys().cloned(), name)} onrename={rename} />
                            <button type="button" class="icon" aria-label={format!("Remove process {name}")}
                                onclick={remove.reform(|_| ())}>{ "✕" }</button>
                        </div>
                        <div class="grid">
                            <SelectField label="Machine" value={p.machine.clone()} options={machines.clone()}
                                path={jpath::key(&at, "machine")}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| p.machine = v)} />
                            <SelectField label="Account" value={p.account.clone()} options={accounts.clone()}
                                path={jpath::key(&at, "account")}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| p.account = v)} />
                            <SelectField label="Kind" value={p.kind.as_str()} options={kinds.clone()}
                                path={jpath::key(&at, "kind")}
                                hint={Some(AttrValue::Static("service: holds SeImpersonatePrivilege (PR-3)"))}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| if let Some(k) = ProcessKind::parse(&v) { p.kind = k })} />
                            <SelectField label="Threading" value={p.threading.as_str()} options={threading.clone()}
                                path={jpath::key(&at, "threading")}
                                hint={Some(AttrValue::Static("sta: re-entrant calls run nested (CO-3)"))}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| if let Some(k) = Threading::parse(&v) { p.threading = k })} />
                            <SelectField label="CoInitializeSecurity authn level" value={p.com.authn_level.as_str()} options={authn.clone()}
                                path={jpath::key(&cat, "authn_level")}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| if let Some(k) = AuthnLevel::parse(&v) { p.com.authn_level = k })} />
                            <SelectField label="CoInitializeSecurity imp level" value={p.com.imp_level.as_str()} options={imp.clone()}
                                path={jpath::key(&cat, "imp_level")}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| if let Some(k) = ImpLevel::parse(&v) { p.com.imp_level = k })} />
                            <SelectField label="Cloaking" value={p.com.cloaking.as_str()} options={cloak.clone()}
                                path={jpath::key(&cat, "cloaking")}
                                onchange={set!(|p: &mut impersonation_core::model::Process, v: String| if let Some(k) = Cloaking::parse(&v) { p.com.cloaking = k })} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Process" }</button>
        </section>
    }
}

#[function_component(Resources)]
fn resources(props: &CastProps) -> Html {
    let s = &props.scenario;
    let d = &props.dispatch;
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
                let n = name.clone();
                let remove = edit(d, None, move |s, _: ()| { s.resources.shift_remove(&n); });
                let n = name.clone();
                let machine = edit(d, None, move |s, v: String| {
                    if let Some(r) = s.resources.get_mut(&n) { r.machine = v; }
                });
                let n = name.clone();
                let allow = edit(d, None, move |s, v: String| {
                    if let Some(r) = s.resources.get_mut(&n) { r.allow = ops::split_list(&v); }
                });
                let n = name.clone();
                let spn = edit(d, None, move |s, v: String| {
                    if let Some(r) = s.resources.get_mut(&n) { r.spn = (!v.trim().is_empty()).then(|| v.trim().to_string()); }
                });
                html! {
                    <fieldset class="item" key={name.clone()}>
                        <legend class="sr-only">{ format!("Resource {name}") }</legend>
                        <div class="item-head">
                            <NameField label="Resource" value={name.clone()} path={at.clone()}
                                taken={others(s.resources.keys().cloned(), name)} onrename={rename} />
                            <button type="button" class="icon" aria-label={format!("Remove resource {name}")}
                                onclick={remove.reform(|_| ())}>{ "✕" }</button>
                        </div>
                        <div class="grid">
                            <SelectField label="Machine" value={r.machine.clone()} options={machines.clone()}
                                path={jpath::key(&at, "machine")} onchange={machine} />
                            <TextField label="ACL: allowed principals" value={r.allow.join(", ")} commit=true
                                path={jpath::key(&at, "allow")} list={Some(AttrValue::Static("principals"))}
                                placeholder="alice, Authenticated Users" onchange={allow} />
                            <TextField label="SPN when opened remotely" value={r.spn.clone().unwrap_or_default()} commit=true
                                path={jpath::key(&at, "spn")} placeholder={format!("cifs/{}", r.machine)} onchange={spn} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add.reform(|_| ())}>{ "+ Resource" }</button>
        </section>
    }
}
