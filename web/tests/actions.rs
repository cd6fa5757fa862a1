//! The playground's named edits (`state::apply`) and the reducer that records them, natively
//! (`cargo test -p impersonation-web`) and in the browser (`wasm-pack test web`): moving,
//! nesting, adding and deleting steps, setting fields where their meaning depends on the place,
//! deleting a cast entry others name, renaming, and typing merged into one undo step.

use std::rc::Rc;

use impersonation_core::model::{
    Action as Do, Api, Authn, AuthnLevel, CastField, Delegation, Expect, ExpectField, ImpLevel,
    Scenario, Step, StepField,
};
use impersonation_web::state::apply::apply;
use impersonation_web::state::path::{step_at, StepPath};
use impersonation_web::state::refs::{references, Kind, Subject};
use impersonation_web::state::{Action, AppState, Edit, Key, Place, Tab, Value};
use yew::Reducible;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// The NTLM double hop: alice-browser calls web, whose seven steps are run.steps[0].steps[0..7]
/// (impersonate, two accesses, three calls to db, a revert between the last two).
fn double_hop() -> Scenario {
    impersonation_core::parse(include_str!("../../core/presets/ntlm-double-hop.json"))
        .expect("the preset is valid")
        .into_inner()
}

fn path(p: &str) -> StepPath {
    StepPath::parse(p).expect("a step path")
}

fn label(s: &Scenario, p: &str) -> String {
    step_at(s, &path(p))
        .and_then(|st| st.label.clone())
        .unwrap_or_default()
}

fn text(place: Place, key: Key, v: &str) -> Edit {
    Edit::SetField {
        place,
        key,
        value: Value::Text(v.to_string()),
    }
}

fn step(p: &str) -> Place {
    Place::Step(path(p))
}

fn state() -> Rc<AppState> {
    Rc::new(AppState::new(double_hop(), false))
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn move_step_swaps_with_its_neighbour_and_returns_where_it_went() {
    let mut s = double_hop();
    let moved = apply(
        &mut s,
        &Edit::MoveStep {
            path: path("run.steps[0].steps[1]"),
            delta: 1,
        },
    );
    assert_eq!(moved, Some(path("run.steps[0].steps[2]")));
    assert_eq!(label(&s, "run.steps[0].steps[2]"), "web-opens-local-file");
    assert_eq!(label(&s, "run.steps[0].steps[1]"), "web-opens-share-on-fs1");
    // Past either end: nothing moves.
    let before = s.clone();
    let top = Edit::MoveStep {
        path: path("run.steps[0].steps[0]"),
        delta: -1,
    };
    assert_eq!(apply(&mut s, &top), None);
    let bottom = Edit::MoveStep {
        path: path("run.steps[0].steps[6]"),
        delta: 1,
    };
    assert_eq!(apply(&mut s, &bottom), None);
    assert_eq!(s, before);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn indent_and_outdent_move_a_step_into_the_call_above_and_back() {
    let mut s = double_hop();
    // The revert (steps[5]) follows a call: it becomes that call's last step.
    let into = apply(
        &mut s,
        &Edit::IndentStep {
            path: path("run.steps[0].steps[5]"),
        },
    );
    assert_eq!(into, Some(path("run.steps[0].steps[4].steps[0]")));
    assert_eq!(label(&s, "run.steps[0].steps[4].steps[0]"), "web-reverts");
    let out = apply(
        &mut s,
        &Edit::OutdentStep {
            path: into.unwrap(),
        },
    );
    assert_eq!(out, Some(path("run.steps[0].steps[5]")));
    assert_eq!(s, double_hop());
    // The local access follows an impersonate, not a call: it stays.
    let local = Edit::IndentStep {
        path: path("run.steps[0].steps[1]"),
    };
    assert_eq!(apply(&mut s, &local), None);
    assert_eq!(s, double_hop());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn add_step_appends_a_step_run_by_the_callee() {
    let mut s = double_hop();
    // A call added inside the last call to db is made by db, to the first other process.
    let at = apply(
        &mut s,
        &Edit::AddStep {
            parent: path("run.steps[0].steps[6]"),
            kind: "call".into(),
        },
    );
    assert_eq!(at, Some(path("run.steps[0].steps[6].steps[1]")));
    let Do::Call(c) = &step_at(&s, &at.unwrap()).unwrap().action else {
        panic!("a call step")
    };
    assert_eq!(
        c.peer, "alice-browser",
        "db calls the first process other than itself"
    );
    let mw = apply(
        &mut s,
        &Edit::AddMeanwhile {
            call: path("run.steps[0]"),
            from: "db".into(),
        },
    );
    assert_eq!(mw, Some(path("run.steps[0].meanwhile[0]")));
    let Do::Call(c) = &s.run.steps[0].action else {
        panic!("a call")
    };
    assert_eq!(c.meanwhile[0].call.peer, "db");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn the_reducer_opens_the_step_an_edit_added_or_moved() {
    let s = state().reduce(Action::SetTab(Tab::Cast));
    let s = s.reduce(Action::EditThenOpen(Edit::AddStep {
        parent: StepPath::root(),
        kind: "whoami".into(),
    }));
    assert_eq!(s.open_step.as_deref(), Some("run.steps[1]"));
    assert_eq!(s.tab, Tab::Chain);
    let s = s.reduce(Action::EditThenOpen(Edit::MoveStep {
        path: path("run.steps[1]"),
        delta: -1,
    }));
    assert_eq!(s.open_step.as_deref(), Some("run.steps[0]"));
    // A plain edit leaves the open step alone; a move that cannot happen changes nothing.
    let s = s.reduce(Action::Edit(Edit::DeleteStep {
        path: path("run.steps[1].steps[6]"),
    }));
    assert_eq!(s.open_step.as_deref(), Some("run.steps[0]"));
    let same = s.clone().reduce(Action::EditThenOpen(Edit::MoveStep {
        path: path("run.steps[0]"),
        delta: -1,
    }));
    assert!(Rc::ptr_eq(&s, &same));
    assert_eq!(s.undo.len(), 3);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn delete_step_removes_steps_and_meanwhile_entries() {
    let mut s = double_hop();
    apply(
        &mut s,
        &Edit::DeleteStep {
            path: path("run.steps[0].steps[0]"),
        },
    );
    assert_eq!(label(&s, "run.steps[0].steps[0]"), "web-opens-local-file");
    apply(
        &mut s,
        &Edit::AddMeanwhile {
            call: path("run.steps[0]"),
            from: "db".into(),
        },
    );
    apply(
        &mut s,
        &Edit::DeleteStep {
            path: path("run.steps[0].meanwhile[0]"),
        },
    );
    let Do::Call(c) = &s.run.steps[0].action else {
        panic!("a call")
    };
    assert!(c.meanwhile.is_empty());
    assert_eq!(c.steps.len(), 6);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_field_means_what_its_place_holds() {
    let mut s = double_hop();
    // A call's authn: "" is its default.
    apply(
        &mut s,
        &text(
            step("run.steps[0]"),
            Key::Step(StepField::Authn),
            "kerberos",
        ),
    );
    apply(
        &mut s,
        &text(
            step("run.steps[0]"),
            Key::Step(StepField::ImpLevel),
            "delegate",
        ),
    );
    let Do::Call(c) = &s.run.steps[0].action else {
        panic!("a call")
    };
    assert_eq!(
        (c.authn, c.imp_level),
        (Authn::Kerberos, ImpLevel::Delegate)
    );
    apply(
        &mut s,
        &text(step("run.steps[0]"), Key::Step(StepField::Authn), ""),
    );
    let Do::Call(c) = &s.run.steps[0].action else {
        panic!("a call")
    };
    assert_eq!(c.authn, Authn::Default);
    // A set_blanket's: "" leaves the setting unchanged (None).
    let at = path("run.steps[0].steps[0]");
    apply(
        &mut s,
        &text(
            Place::Step(at.clone()),
            Key::Step(StepField::Do),
            "set_blanket",
        ),
    );
    apply(
        &mut s,
        &text(Place::Step(at.clone()), Key::Step(StepField::Authn), "ntlm"),
    );
    let Do::SetBlanket(b) = &step_at(&s, &at).unwrap().action else {
        panic!("a set_blanket step")
    };
    assert_eq!((b.authn, b.proxy.as_str()), (Some(Authn::Ntlm), "P"));
    apply(
        &mut s,
        &text(Place::Step(at.clone()), Key::Step(StepField::Authn), ""),
    );
    let Do::SetBlanket(b) = &step_at(&s, &at).unwrap().action else {
        panic!("a set_blanket step")
    };
    assert_eq!(b.authn, None);
    // The label is kept through a change of kind.
    assert_eq!(label(&s, "run.steps[0].steps[0]"), "web-impersonates-alice");
    // A word no vocabulary knows changes nothing; a NULL principal name survives typing.
    let before = s.clone();
    apply(
        &mut s,
        &text(
            step("run.steps[0]"),
            Key::Step(StepField::Api),
            "carrier-pigeon",
        ),
    );
    assert_eq!(s, before);
    let null = Edit::SetField {
        place: step("run.steps[0]"),
        key: Key::NullSpn,
        value: Value::Flag(true),
    };
    apply(&mut s, &null);
    apply(
        &mut s,
        &text(step("run.steps[0]"), Key::Step(StepField::Spn), "HTTP/APP1"),
    );
    let Do::Call(c) = &s.run.steps[0].action else {
        panic!("a call")
    };
    assert_eq!(c.spn.as_deref(), Some(""));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn cast_fields_and_renames_follow_their_entry() {
    let mut s = double_hop();
    let svc = Place::Entry(Subject::new(Kind::Account, "svcApp"));
    apply(
        &mut s,
        &text(svc.clone(), Key::Cast(CastField::Delegation), "constrained"),
    );
    apply(
        &mut s,
        &text(
            svc.clone(),
            Key::Cast(CastField::Constrained),
            "MSSQLSvc/DB1, cifs/FS1",
        ),
    );
    assert_eq!(
        s.accounts["svcApp"].delegation,
        Delegation::Constrained {
            services: vec!["MSSQLSvc/DB1".into(), "cifs/FS1".into()],
            any_protocol: false
        }
    );
    // Choosing "constrained" again keeps the list.
    apply(
        &mut s,
        &text(svc, Key::Cast(CastField::Delegation), "constrained"),
    );
    assert!(matches!(
        &s.accounts["svcApp"].delegation,
        Delegation::Constrained { services, .. } if services.len() == 2
    ));
    let web = Place::Entry(Subject::new(Kind::Process, "web"));
    apply(
        &mut s,
        &text(web.clone(), Key::Cast(CastField::ImpLevel), "delegate"),
    );
    apply(
        &mut s,
        &text(web, Key::Cast(CastField::Kind), "no-such-kind"),
    );
    assert_eq!(s.processes["web"].com.imp_level, ImpLevel::Delegate);
    assert_eq!(s.processes["web"].kind, double_hop().processes["web"].kind);
    apply(
        &mut s,
        &Edit::Rename {
            subject: Subject::new(Kind::Process, "db"),
            to: "sql".into(),
        },
    );
    let Do::Call(c) = &step_at(&s, &path("run.steps[0].steps[6]")).unwrap().action else {
        panic!("a call")
    };
    assert_eq!(c.peer, "sql");
    assert!(s.processes.contains_key("sql") && !s.processes.contains_key("db"));
    // In its place in the cast.
    let at = |s: &impersonation_core::Scenario, name: &str| s.processes.get_index_of(name);
    assert_eq!(at(&s, "sql"), at(&double_hop(), "db"));
    // A name already taken (the fields refuse it first) changes nothing at all.
    let before = s.clone();
    for (kind, from, to) in [
        (Kind::Process, "sql", "web"),
        (Kind::Account, "svcApp", "alice"),
        (Kind::Machine, "DB1", "APP1"),
    ] {
        let taken = Edit::Rename {
            subject: Subject::new(kind, from),
            to: to.into(),
        };
        apply(&mut s, &taken);
        assert_eq!(s, before, "renaming {from} to {to}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_machine_is_not_renamed_over_an_account_its_own_could_not_follow() {
    use impersonation_web::state::edit::machine_names_taken;
    let mut s = double_hop();
    // APP1's computer account, and an account named like a computer account without its
    // machine.
    let mut account = s.accounts["svcApp"].clone();
    account.allowed_to_act.clear();
    s.accounts.insert("APP1$".into(), account.clone());
    s.accounts.insert("SRV9$".into(), account);
    let taken = machine_names_taken(&s, "APP1");
    assert!(taken.iter().any(|t| t == "SRV9"), "{taken:?}");
    assert!(taken.iter().any(|t| t == "DB1"), "{taken:?}");
    assert!(
        !taken.iter().any(|t| t == "APP1"),
        "its own name is free: {taken:?}"
    );
    let before = s.clone();
    let rename = |to: &str| Edit::Rename {
        subject: Subject::new(Kind::Machine, "APP1"),
        to: to.into(),
    };
    // Refused whole: the machine keeps its name and its account.
    apply(&mut s, &rename("SRV9"));
    assert_eq!(s, before);
    // Another machine's name, in another case, is taken too (names of machines ignore case).
    apply(&mut s, &rename("db1"));
    assert_eq!(s, before);
    // A free name renames both, and a change of case of its own name is allowed.
    apply(&mut s, &rename("APP7"));
    assert!(s.machines.iter().any(|m| m == "APP7") && s.accounts.contains_key("APP7$"));
    assert!(!s.accounts.contains_key("APP1$"));
    let mut t = before.clone();
    apply(&mut t, &rename("app1"));
    assert!(t.machines.iter().any(|m| m == "app1") && t.accounts.contains_key("app1$"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn deleting_an_entry_others_name_asks_first() {
    let s = state().reduce(Action::Remove(Subject::new(Kind::Resource, "share")));
    let r = s
        .removing
        .clone()
        .expect("the share is accessed: a question");
    assert_eq!(r.refs.len(), 1);
    assert_eq!(r.refs[0].path, "run.steps[0].steps[2].resource");
    let gone = s.reduce(Action::ConfirmRemove(true));
    assert!(!gone.scenario.resources.contains_key("share"));
    assert_eq!(
        gone.derived.problems[0].path(),
        "run.steps[0].steps[2].resource"
    );
    // Nothing names a new resource: it goes at once, one undo step.
    let s = state().reduce(Action::Edit(Edit::AddEntry(Kind::Resource)));
    assert!(s.scenario.resources.contains_key("file"));
    let s = s.reduce(Action::Remove(Subject::new(Kind::Resource, "file")));
    assert!(s.removing.is_none() && !s.scenario.resources.contains_key("file"));
    assert_eq!(s.undo.len(), 2);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn typing_in_one_field_is_one_undo_step_and_another_field_starts_a_new_one() {
    let label = |p: &str, v: &str| Action::Edit(text(step(p), Key::Step(StepField::Label), v));
    let mut s = state();
    for v in ["a", "ab", "abc"] {
        s = s.reduce(label("run.steps[0].steps[0]", v));
    }
    assert_eq!(s.undo.len(), 1);
    // The same field of another step, then a select: each starts its own undo step.
    s = s.reduce(label("run.steps[0].steps[1]", "x"));
    assert_eq!(s.undo.len(), 2);
    s = s.reduce(Action::Edit(text(
        step("run.steps[0].steps[1]"),
        Key::Step(StepField::Resource),
        "share",
    )));
    assert_eq!(s.undo.len(), 3);
    s = s.reduce(label("run.steps[0].steps[1]", "xy"));
    s = s.reduce(label("run.steps[0].steps[1]", "xyz"));
    assert_eq!(s.undo.len(), 4);
    // Opening a step ends the typing: the next keystroke is a new undo step.
    s = s.reduce(Action::OpenStep(Some("run.steps[0]".into())));
    s = s.reduce(label("run.steps[0].steps[1]", "xyz!"));
    assert_eq!(s.undo.len(), 5);
    let s = s.reduce(Action::Undo).reduce(Action::Undo);
    assert_eq!(
        step_at(&s.scenario, &path("run.steps[0].steps[1]"))
            .unwrap()
            .label
            .as_deref(),
        Some("x")
    );
    let s = s
        .reduce(Action::Undo)
        .reduce(Action::Undo)
        .reduce(Action::Undo);
    assert_eq!(*s.scenario, double_hop());
}

fn flag(place: Place, key: Key, on: bool) -> Edit {
    Edit::SetField {
        place,
        key,
        value: Value::Flag(on),
    }
}

fn call_at(s: &Scenario, p: &str) -> impersonation_core::model::Call {
    match &step_at(s, &path(p)).expect("a step").action {
        Do::Call(c) => (**c).clone(),
        _ => panic!("{p} is not a call"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn an_http_call_is_added_and_switching_to_http_drops_what_it_does_not_take() {
    let mut s = double_hop();
    let at = apply(
        &mut s,
        &Edit::AddStep {
            parent: StepPath::root(),
            kind: "http".into(),
        },
    )
    .unwrap();
    let c = call_at(&s, &at.to_string());
    assert_eq!((c.api, c.peer.as_str()), (Api::Http, "web"));
    // The first call to db (run.steps[0].steps[3]) asks for negotiate at identify with a proxy
    // and packet integrity: as an http call it keeps negotiate and its SPN, and loses the rest.
    let q = "run.steps[0].steps[3]";
    for (field, value) in [
        (StepField::Transport, "ncacn_ip_tcp"),
        (StepField::ImpLevel, "identify"),
        (StepField::Proxy, "P"),
        (StepField::Spn, "HTTP/DB1"),
        (StepField::Authn, "negotiate"),
        (StepField::Api, "http"),
    ] {
        apply(&mut s, &text(step(q), Key::Step(field), value));
    }
    let c = call_at(&s, q);
    assert_eq!(c.api, Api::Http);
    assert_eq!(
        (c.authn, c.imp_level),
        (Authn::Negotiate, ImpLevel::Default)
    );
    assert_eq!(c.spn.as_deref(), Some("HTTP/DB1"));
    assert_eq!((c.transport, c.proxy.as_deref()), (None, None));
    assert_eq!(c.authn_level, AuthnLevel::Default);
    // Basic is http's alone: back to rpc, the call's package returns to its default.
    apply(&mut s, &text(step(q), Key::Step(StepField::Authn), "basic"));
    apply(
        &mut s,
        &text(step(q), Key::Step(StepField::ImpLevel), "delegate"),
    );
    apply(&mut s, &text(step(q), Key::Step(StepField::Api), "rpc"));
    let c = call_at(&s, q);
    assert_eq!(
        (c.api, c.authn, c.imp_level),
        (Api::Rpc, Authn::Default, ImpLevel::Delegate)
    );
    // Schannel does not survive the way to http; a NULL principal name neither.
    apply(
        &mut s,
        &text(step(q), Key::Step(StepField::Authn), "schannel"),
    );
    apply(&mut s, &flag(step(q), Key::NullSpn, true));
    apply(&mut s, &text(step(q), Key::Step(StepField::Api), "http"));
    let c = call_at(&s, q);
    assert_eq!((c.authn, c.spn), (Authn::Default, None));
    assert!(impersonation_core::parse(&s.to_json_string()).is_ok());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn http_settings_admin_and_domain_controllers_are_set_where_they_belong() {
    let mut s = double_hop();
    let web = Place::Entry(Subject::new(Kind::Process, "web"));
    apply(
        &mut s,
        &flag(web.clone(), Key::Cast(CastField::KernelMode), false),
    );
    apply(
        &mut s,
        &flag(
            web.clone(),
            Key::Cast(CastField::UseAppPoolCredentials),
            true,
        ),
    );
    apply(
        &mut s,
        &flag(web.clone(), Key::Cast(CastField::RunsAsClient), true),
    );
    let h = s.processes["web"].http;
    assert_eq!(
        (h.kernel_mode, h.use_app_pool_credentials, h.runs_as_client),
        (false, true, true)
    );
    apply(
        &mut s,
        &flag(web, Key::Cast(CastField::RunsAsClient), false),
    );
    assert!(!s.processes["web"].http.runs_as_client);
    let svc = Place::Entry(Subject::new(Kind::Account, "svcApp"));
    apply(&mut s, &flag(svc, Key::Cast(CastField::Admin), true));
    assert!(s.accounts["svcApp"].admin);
    // A machine's switch adds it to domain_controllers once, and takes it out.
    let dc = |m: &str| Place::Entry(Subject::new(Kind::Machine, m));
    apply(&mut s, &flag(dc("DB1"), Key::DomainController, true));
    apply(&mut s, &flag(dc("APP1"), Key::DomainController, true));
    apply(&mut s, &flag(dc("DB1"), Key::DomainController, true));
    assert_eq!(s.domain_controllers, ["DB1", "APP1"]);
    apply(&mut s, &flag(dc("DB1"), Key::DomainController, false));
    assert_eq!(s.domain_controllers, ["APP1"]);
    // Renaming the machine renames its entry; deleting it asks first, naming the entry.
    apply(
        &mut s,
        &Edit::Rename {
            subject: Subject::new(Kind::Machine, "APP1"),
            to: "DC1".into(),
        },
    );
    assert_eq!(s.domain_controllers, ["DC1"]);
    let refs = references(&s, &Subject::new(Kind::Machine, "DC1"));
    assert_eq!(refs[0].path, "domain_controllers[0]");
    assert_eq!(refs[0].text, "DC1 is a domain controller");
    assert!(impersonation_core::parse(&s.to_json_string()).is_ok());
}

/// What the scenario expects of a label.
fn expected<'a>(s: &'a Scenario, label: &str) -> Option<&'a Vec<Expect>> {
    s.expect.iter().find(|(l, _)| l == label).map(|(_, x)| x)
}

fn expect(p: &str, field: ExpectField, want: Option<&str>) -> Edit {
    Edit::Expect {
        step: path(p),
        field,
        want: want.map(str::to_string),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn expecting_from_an_event_is_one_undo_step_and_the_outcome_judges_it() {
    // "db should see alice": web's RPC call to db (labelled web-queries-db).
    let s = state().reduce(Action::Edit(expect(
        "run.steps[0].steps[3]",
        ExpectField::SeenAs,
        Some("alice"),
    )));
    assert_eq!(s.undo.len(), 1);
    assert_eq!(
        expected(&s.scenario, "web-queries-db"),
        Some(&vec![Expect {
            field: ExpectField::SeenAs,
            want: Some("alice".into())
        }])
    );
    let outcome = s.derived.outcome.clone().expect("valid");
    let last = outcome.expectations.last().expect("a verdict");
    assert_eq!(
        (last.label.as_str(), last.met, last.got.as_deref()),
        (
            "web-queries-db",
            false,
            Some("NT AUTHORITY\\ANONYMOUS LOGON")
        )
    );
    // The same field again replaces its value; another field is added beside it.
    let s = s
        .reduce(Action::Edit(expect(
            "run.steps[0].steps[3]",
            ExpectField::SeenAs,
            Some("svcApp"),
        )))
        .reduce(Action::Edit(expect(
            "run.steps[0].steps[3]",
            ExpectField::Status,
            Some("ok"),
        )));
    let list = expected(&s.scenario, "web-queries-db").expect("kept");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].want.as_deref(), Some("svcApp"));
    // None drops one field, and the label's entry with its last field.
    let s = s
        .reduce(Action::Edit(expect(
            "run.steps[0].steps[3]",
            ExpectField::SeenAs,
            None,
        )))
        .reduce(Action::Edit(expect(
            "run.steps[0].steps[3]",
            ExpectField::Status,
            None,
        )));
    assert_eq!(expected(&s.scenario, "web-queries-db"), None);
    assert_eq!(s.scenario.expect.len(), 2, "the preset's own stay");
    let back = s.reduce(Action::Undo);
    assert_eq!(
        expected(&back.scenario, "web-queries-db").map(Vec::len),
        Some(1)
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn expecting_of_an_unlabelled_step_labels_it_after_its_peer_or_resource() {
    let mut s = double_hop();
    for p in [
        "run.steps[0].steps[3]",
        "run.steps[0].steps[4]",
        "run.steps[0].steps[2]",
    ] {
        apply(&mut s, &text(step(p), Key::Step(StepField::Label), ""));
    }
    // Dropping what was never expected labels nothing.
    apply(
        &mut s,
        &expect("run.steps[0].steps[3]", ExpectField::Status, None),
    );
    assert_eq!(label(&s, "run.steps[0].steps[3]"), "");
    apply(
        &mut s,
        &expect("run.steps[0].steps[3]", ExpectField::Status, Some("ok")),
    );
    apply(
        &mut s,
        &expect("run.steps[0].steps[4]", ExpectField::Status, Some("ok")),
    );
    apply(
        &mut s,
        &expect("run.steps[0].steps[2]", ExpectField::SeenAs, Some("alice")),
    );
    assert_eq!(label(&s, "run.steps[0].steps[3]"), "db");
    assert_eq!(label(&s, "run.steps[0].steps[4]"), "db2");
    assert_eq!(label(&s, "run.steps[0].steps[2]"), "share");
    assert!(expected(&s, "db2").is_some());
    // The preset expected web-opens-share-on-fs1, a label now gone: the reducer forgets it.
    s.forget_lost_expectations();
    let keys: Vec<&str> = s.expect.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(keys, ["web-opens-local-file", "db", "db2", "share"]);
    impersonation_core::parse(&s.to_json_string()).expect("still valid");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn relabelling_a_step_keeps_what_it_was_expected_to_show() {
    let p = "run.steps[0].steps[2]";
    let s = state()
        .reduce(Action::Edit(text(
            step(p),
            Key::Step(StepField::Label),
            "share",
        )))
        .reduce(Action::Edit(text(
            step(p),
            Key::Step(StepField::Label),
            "share-fs1",
        )));
    assert_eq!(s.undo.len(), 1, "typing a label is one undo step");
    assert_eq!(expected(&s.scenario, "share-fs1").map(Vec::len), Some(2));
    assert_eq!(expected(&s.scenario, "web-opens-share-on-fs1"), None);
    assert!(s.derived.problems.is_empty());
    // Without a label it expects nothing.
    let s = s.reduce(Action::Edit(text(step(p), Key::Step(StepField::Label), "")));
    assert_eq!(s.scenario.expect.len(), 1);
}
/// The reducer checks an edited scenario as its JSON text would be read, without writing the text
/// on every edit: a blank label gets the reader's own message at its path, and a valid edit gives
/// what reading the text gives. Undo brings the outcome back.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn an_edit_is_checked_as_its_json_text_would_be_read() {
    // web-queries-db: a label nothing expects (a relabelled expected step carries its
    // expectations to the new label, which would then be blank too).
    let s = state().reduce(Action::Edit(text(
        step("run.steps[0].steps[3]"),
        Key::Step(StepField::Label),
        "  ",
    )));
    let problems: Vec<String> = s.derived.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems, ["run.steps[0].steps[3].label: must not be empty"]);
    assert!(s.derived.stale && s.derived.checked.is_none());
    assert_eq!(
        impersonation_core::parse(&s.scenario.to_json_string())
            .unwrap_err()
            .to_string(),
        problems[0]
    );
    let s = s.reduce(Action::Edit(text(
        step("run.steps[0].steps[3]"),
        Key::Step(StepField::Label),
        "read the file",
    )));
    let by_text = impersonation_core::parse(&s.scenario.to_json_string()).expect("valid");
    assert_eq!(s.derived.checked.as_deref(), Some(&by_text));
    assert_eq!(
        s.derived.outcome.as_deref(),
        Some(&impersonation_core::simulate(&by_text))
    );
    assert!(!s.derived.stale);
    let back = s.reduce(Action::Undo);
    assert_eq!(
        back.scenario.to_json_string(),
        double_hop().to_json_string()
    );
    assert_eq!(
        back.derived.outcome.as_deref(),
        state().derived.outcome.as_deref()
    );
}

/// The step the playground rehearses an edit of before the person's first (issue #13, on the
/// off-page stage of `views::stage`, which turns its kind to `whoami`, or to `revert` for a
/// `whoami`): the chain's first step that is not a call, nested or not.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn the_rehearsed_step_is_the_first_that_is_not_a_call() {
    let rehearsed = |s: Scenario| {
        let p = AppState::new(s.clone(), false).rehearsed_step()?;
        let kind = step_at(&s, &p).expect("the step exists").action.name();
        Some((p.to_string(), kind))
    };
    // The double hop's only top-level step is a call: its first nested step is rehearsed.
    let first = ("run.steps[0].steps[0]".to_string(), "impersonate");
    assert_eq!(rehearsed(double_hop()), Some(first));
    // Steps of the chain's own come first when they are not calls.
    let mut three = double_hop();
    for action in [Do::Whoami, Do::Revert] {
        three.run.steps.insert(
            0,
            Step {
                label: None,
                action,
            },
        );
    }
    assert_eq!(rehearsed(three), Some(("run.steps[0]".into(), "revert")));
    // Nothing to rehearse without a step that is not a call.
    assert_eq!(rehearsed(double_hop_without_steps()), None);
}

/// The stage rehearses with the open scenario's first steps: whole top-level steps holding at
/// most the number asked for, nested steps counted, the first always kept; valid, with the same
/// rehearsed step.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn the_rehearsal_samples_the_first_steps() {
    let mut long = double_hop();
    let call = long.run.steps[0].clone();
    fn nested(s: &Step) -> usize {
        match &s.action {
            Do::Call(c) => 1 + c.steps.iter().map(nested).sum::<usize>(),
            _ => 1,
        }
    }
    let per_call = nested(&call);
    assert!(per_call > 1, "the double hop's call has nested steps");
    // More calls like it, without labels (they are unique); the expectations are of the first
    // call's steps.
    fn unlabelled(mut s: Step) -> Step {
        s.label = None;
        if let Do::Call(c) = &mut s.action {
            c.steps = c.steps.drain(..).map(unlabelled).collect();
        }
        s
    }
    for _ in 0..9 {
        long.run.steps.push(unlabelled(call.clone()));
    }
    assert!(!long.expect.is_empty());
    // Put first, the call's expectations would go with it.
    let mut later = long.clone();
    later.run.steps.rotate_left(1);
    let cut = AppState::new(AppState::new(later, false).sample(per_call), false);
    assert!(cut.scenario.expect.is_empty() && cut.derived.problems.is_empty());
    let open = AppState::new(long, true);
    let count = |st: &AppState| st.scenario.run.steps.iter().map(nested).sum::<usize>();

    let small = AppState::new(open.sample(3 * per_call + 1), false);
    assert_eq!(small.scenario.run.steps.len(), 3);
    assert_eq!(count(&small), 3 * per_call);
    assert_eq!(small.rehearsed_step(), open.rehearsed_step());
    assert!(small.derived.problems.is_empty() && small.derived.outcome.is_some());
    assert_eq!(small.scenario.expect, open.scenario.expect);
    assert_eq!(
        (small.version, small.dirty, small.selected),
        (0, false, None)
    );
    assert!(small.undo.is_empty());
    // The first top-level step stays when it alone holds more.
    assert_eq!(open.sample(1).run.steps.len(), 1);
    // All of them when they fit.
    assert_eq!(open.sample(1000), *open.scenario);
}

/// The double hop preset without its steps.
fn double_hop_without_steps() -> Scenario {
    let mut s = double_hop();
    s.run.steps.clear();
    s
}

/// The chain editor's rows (`components::chain::rows_through_open`): the first page of rows, and
/// as many pages as reach a step opened beyond them (a link from the result or a problem must
/// find its step's control); a step within the first page, a path that is no step, or none,
/// change nothing.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_step_opened_beyond_the_first_rows_is_shown() {
    use impersonation_web::components::chain::{rows_through_open, ROW_PAGE};
    let mut s = double_hop();
    s.expect.clear();
    let whoami = Step {
        label: None,
        action: Do::Whoami,
    };
    s.run.steps = vec![whoami; 2 * ROW_PAGE + 50];
    let n = s.run.steps.len();
    let has = |rows: &[impersonation_web::components::rows::Row], p: &str| {
        rows.iter().any(|r| r.path.to_string() == p)
    };
    let far = format!("run.steps[{}]", ROW_PAGE + 20);
    let (first, total, shown) = rows_through_open(&s, ROW_PAGE, None);
    assert_eq!((first.len(), total, shown), (ROW_PAGE, n, ROW_PAGE));
    assert!(!has(&first, &far));
    for within in ["run.steps[3]", "run.steps[9999]", "not a path"] {
        let (rows, _, shown) = rows_through_open(&s, ROW_PAGE, Some(within));
        assert_eq!((rows.len(), shown), (ROW_PAGE, ROW_PAGE), "{within}");
    }
    let (rows, total, shown) = rows_through_open(&s, ROW_PAGE, Some(&far));
    assert_eq!((rows.len(), total, shown), (2 * ROW_PAGE, n, 2 * ROW_PAGE));
    assert!(has(&rows, &far), "the opened step is shown");
    // Once the limit has grown to it (the editor keeps it), the same rows without the step open.
    let (again, _, _) = rows_through_open(&s, shown, None);
    assert_eq!(again.len(), rows.len());
    // All of them when the step is on the last page (the "add a step" row too).
    let last = format!("run.steps[{}]", n - 1);
    let (all, _, _) = rows_through_open(&s, ROW_PAGE, Some(&last));
    assert_eq!(all.len(), n + 1);
    assert!(has(&all, &last));
}
