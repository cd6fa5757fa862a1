//! The cast editor: the scenario's title and domain, its machines, accounts, processes and
//! resources (SPEC §2.1–2.3). Renaming anything renames every reference to it.

use std::rc::Rc;

use impersonation_core::model::cast::{CastEntry, CastFields, CastGot, CastShape};
use impersonation_core::model::{CastField, Delegation, Scenario, BUILTIN_ACCOUNTS, GROUPS};
use yew::prelude::*;

use super::field::{
    name_options, problem_list, rule_hint, words, Problems, SelectField, TextField,
};
use super::{send, set, Act};
use crate::state::edit as ops;
use crate::state::path as jpath;
use crate::state::refs::{Kind, Subject};
use crate::state::{Action, Edit, Key, Place};

use CastField as F;

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
                            commit=true class="name" taken={Some((Rc::new(crate::state::edit::machine_names_taken(s, m)), true))} onchange={rename} />
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

/// The options of a select.
type Choices = Rc<Vec<(AttrValue, AttrValue)>>;

/// The fields of `entry` held by `holder` (the place `place`, at JSON path `at`), in the cast
/// schema's order, each labelled with the schema's title and the rule that says what it does: a
/// switch for a flag, a select for a word or a name (`names`: the choices of a machine and of an
/// account), an object's fields in turn. Lists and an account's delegation have editors of
/// their own.
#[inline(never)]
fn cast_fields(
    act: &Act,
    place: &Place,
    at: &str,
    holder: &dyn CastFields,
    entry: CastEntry,
    names: &[Choices],
) -> Html {
    let mut out = Vec::new();
    for &f in entry.fields() {
        let path = format!("{at}.{f}");
        let hint = rule_hint(f.rule());
        let options = match f.shape() {
            CastShape::Object(inner) => {
                out.push(cast_fields(act, place, &path, holder, inner, names));
                continue;
            }
            CastShape::Flag => {
                let on = matches!(holder.get(f), Some(CastGot::Flag(true)));
                let cb = set::<bool>(act, place, Key::Cast(f));
                out.push(html! { <SelectField label={f.title()} {path} {hint} check={Some((on, cb))} /> });
                continue;
            }
            CastShape::Word(all) => {
                let skip: &[&str] = if f.refuses_default().is_some() {
                    &["default"]
                } else {
                    &[]
                };
                words(None, skip, all)
            }
            CastShape::Name => names
                .get(usize::from(f == F::Account))
                .cloned()
                .unwrap_or_default(),
            CastShape::Names | CastShape::Choice(_) => continue,
        };
        let value = match holder.get(f) {
            Some(CastGot::Str(v)) => v.to_string(),
            _ => String::new(),
        };
        let onchange = set::<String>(act, place, Key::Cast(f));
        out.push(
            html! { <SelectField label={f.title()} {value} {options} {path} {hint} {onchange} /> },
        );
    }
    out.into_iter().collect()
}

/// An account's delegation kind: its word, or `constrained` for the object of a constrained
/// delegation.
fn delegation_kind(a: &dyn CastFields) -> &str {
    match a.get(F::Delegation) {
        Some(CastGot::Str(word)) => word,
        _ => "constrained",
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
                let text = |f| set::<String>(act, &entry, Key::Cast(f));
                let switches = cast_fields(act, &entry, &at, a, CastEntry::Account, &[]);
                let constrained = match &a.delegation {
                    Delegation::Constrained { services, .. } => {
                        let dat = jpath::key(&at, "delegation");
                        html! {
                            <>
                            <TextField label={F::Constrained.title()} value={services.join(", ")} error={ops::spns_problem(services)}
                                path={jpath::key(&dat, "constrained")} commit=true
                                placeholder="MSSQLSvc/DB1, cifs/FS1" onchange={text(F::Constrained)} />
                            { cast_fields(act, &entry, &dat, a, CastEntry::Delegation, &[]) }
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
                            <TextField label={F::Spns.title()} value={a.spns.join(", ")} path={jpath::key(&at, "spns")} commit=true error={ops::spns_problem(&a.spns)}
                                placeholder="HTTP/APP1, ..." onchange={text(F::Spns)} />
                            <SelectField label={F::Delegation.title()} value={delegation_kind(a).to_string()}
                                options={kinds.clone()} path={jpath::key(&at, "delegation")} onchange={text(F::Delegation)} />
                            { constrained }
                            <TextField label={F::AllowedToAct.title()} value={a.allowed_to_act.join(", ")}
                                path={jpath::key(&at, "allowed_to_act")} commit=true placeholder="APP1$, svcWeb" onchange={text(F::AllowedToAct)} />
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
    let names = [
        name_options(s.machines.iter()),
        name_options(account_names.iter()),
    ];
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
                            { cast_fields(act, &entry, &at, p, CastEntry::Process, &names) }
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add(act, Kind::Process)}>{ "+ Process" }</button>
        </section>
    }
}

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
                let text = |f| set::<String>(act, &entry, Key::Cast(f));
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
                            <SelectField label={F::Machine.title()} value={r.machine.clone()} options={machines.clone()}
                                path={jpath::key(&at, "machine")} onchange={text(F::Machine)} />
                            <TextField label={F::Allow.title()} value={r.allow.join(", ")} commit=true
                                path={jpath::key(&at, "allow")} list={Some(AttrValue::Static("principals"))}
                                placeholder="alice, Authenticated Users" onchange={text(F::Allow)} />
                            <TextField label={F::Spn.title()} value={r.spn.clone().unwrap_or_default()} commit=true
                                error={r.spn.as_deref().and_then(ops::spn_problem)}
                                path={jpath::key(&at, "spn")} placeholder={impersonation_core::engine::defaults::host_spn(impersonation_core::model::Api::Pipe, &r.machine)} onchange={text(F::Spn)} />
                        </div>
                    </fieldset>
                }
            }) }
            <button type="button" class="btn small" onclick={add(act, Kind::Resource)}>{ "+ Resource" }</button>
        </section>
    }
}
