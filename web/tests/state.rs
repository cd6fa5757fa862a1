//! The playground's state and its pure parts, in the browser: the reducer (edits, typing
//! merged into one undo step, undo and redo, the question before unsaved work is replaced),
//! problem paths mapped to editor controls, and share links read back.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use impersonation_core::link::LinkError;
use impersonation_core::model::{Action as Do, Checked, Scenario};
use impersonation_web::hooks::deflate::{deflate_raw, inflate_raw, s_data};
use impersonation_web::hooks::{open_fragment, shortcut, LinkOpen};
use impersonation_web::state::path::{belongs_to, key, target, StepPath, Tab};
use impersonation_web::state::refs::Kind;
use impersonation_web::state::{edit, Action, AppState, Edit, Key, Place, Value};
use wasm_bindgen_test::wasm_bindgen_test;
use yew::Reducible;

fn state() -> Rc<AppState> {
    Rc::new(AppState::new(Scenario::blank(), false))
}

fn set(key: Key, v: &str) -> Action {
    Action::Edit(Edit::SetField {
        place: Place::Scenario,
        key,
        value: Value::Text(v.to_string()),
    })
}

fn title(t: &str) -> Action {
    set(Key::Title, t)
}

#[wasm_bindgen_test]
fn an_edit_is_undone_and_redone() {
    let s0 = state();
    let s1 = s0
        .clone()
        .reduce(Action::Edit(Edit::AddEntry(Kind::Process)));
    assert_eq!(s1.scenario.processes.len(), 2);
    assert!(s1.dirty, "an edit is unsaved work");
    assert_eq!(s1.undo.len(), 1);
    let s2 = s1.reduce(Action::Undo);
    assert_eq!(*s2.scenario, *s0.scenario);
    assert_eq!(s2.redo.len(), 1);
    let s3 = s2.reduce(Action::Redo);
    assert_eq!(s3.scenario.processes.len(), 2);
    assert!(s3.redo.is_empty());
}

#[wasm_bindgen_test]
fn typing_in_one_field_is_one_undo_step() {
    let mut s = state();
    for t in ["A", "Al", "Ali", "Alice"] {
        s = s.reduce(title(t));
    }
    assert_eq!(s.scenario.title, "Alice");
    assert_eq!(s.undo.len(), 1);
    let s = s.reduce(Action::Undo);
    assert_eq!(s.scenario.title, "Untitled scenario");
}

#[wasm_bindgen_test]
fn an_edit_that_changes_nothing_is_not_an_undo_step() {
    let s = state();
    let same = s.clone().reduce(title("Untitled scenario"));
    assert!(Rc::ptr_eq(&s, &same));
}

#[wasm_bindgen_test]
fn every_edit_is_derived_by_the_core() {
    let s = state().reduce(set(Key::RunProcess, "nobody"));
    assert!(
        s.derived.stale,
        "an invalid scenario keeps the last result, greyed"
    );
    assert!(s.derived.outcome.is_some());
    let p = &s.derived.problems[0];
    assert_eq!(p.path(), "run.process");
    let s = s.reduce(Action::Undo);
    assert!(!s.derived.stale);
    assert!(s.derived.problems.is_empty());
}

#[wasm_bindgen_test]
fn a_link_asks_before_replacing_unsaved_work() {
    let mut other = Scenario::blank();
    other.title = "From a link".into();
    let other = Rc::new(other);
    // Not edited: replaced at once, the old work one undo away.
    let s = state().reduce(Action::Offer(other.clone(), "the link".into()));
    assert_eq!(s.scenario.title, "From a link");
    assert!(s.pending.is_none());
    assert_eq!(s.undo.len(), 1);
    // Edited: a question first.
    let s = state().reduce(title("mine"));
    let s = s.reduce(Action::Offer(other.clone(), "the link".into()));
    assert_eq!(s.scenario.title, "mine");
    assert!(s.pending.is_some());
    let kept = s.clone().reduce(Action::CancelPending);
    assert_eq!(kept.scenario.title, "mine");
    assert!(kept.notice.is_some());
    let replaced = s.reduce(Action::ConfirmPending);
    assert_eq!(replaced.scenario.title, "From a link");
    assert_eq!(replaced.reduce(Action::Undo).scenario.title, "mine");
}

#[wasm_bindgen_test]
fn escape_keeps_the_work() {
    let mut other = Scenario::blank();
    other.title = "x".into();
    let s = state()
        .reduce(title("mine"))
        .reduce(Action::Offer(Rc::new(other), "the link".into()))
        .reduce(Action::Escape);
    assert_eq!(s.scenario.title, "mine");
    assert!(s.pending.is_none());
}

#[wasm_bindgen_test]
fn keyboard_shortcuts() {
    assert!(matches!(shortcut("z", true, false), Some(Action::Undo)));
    assert!(matches!(shortcut("Z", true, true), Some(Action::Redo)));
    assert!(matches!(shortcut("y", true, false), Some(Action::Redo)));
    assert!(shortcut("z", false, false).is_none());
}

#[wasm_bindgen_test]
fn steps_are_added_nested_and_removed_by_path() {
    let mut s = Scenario::blank();
    edit::add_process(&mut s);
    let call = edit::new_step(&s, "call", "client");
    let at = edit::insert_step(&mut s, &StepPath::root(), 0, call).unwrap();
    assert_eq!(at.to_string(), "run.steps[0]");
    let inner = edit::new_step(&s, "impersonate", "B");
    let inside = edit::insert_step(&mut s, &at, 0, inner).unwrap();
    assert_eq!(inside.to_string(), "run.steps[0].steps[0]");
    let mw = edit::add_meanwhile(&mut s, &at, "client").unwrap();
    assert_eq!(mw.to_string(), "run.steps[0].meanwhile[0]");
    let whoami = edit::new_step(&s, "whoami", "client");
    let deep = edit::insert_step(&mut s, &mw, 0, whoami).unwrap();
    assert_eq!(deep.to_string(), "run.steps[0].meanwhile[0].steps[0]");
    assert!(
        impersonation_core::check(&s).is_empty(),
        "{:?}",
        impersonation_core::check(&s)
    );
    edit::remove(&mut s, &mw);
    let Do::Call(c) = &s.run.steps[0].action else {
        panic!("a call")
    };
    assert!(c.meanwhile.is_empty());
    assert_eq!(edit::count_steps(&s), 3);
}

#[wasm_bindgen_test]
fn problem_paths_reach_their_controls() {
    // A problem the core reports, mapped to the control that edits it.
    let json = r#"{"format":"impersonation-scenario/1","title":"t","machines":["WS1"],
        "processes":{"svc app":{"machine":"NOPE","account":"LocalSystem"},"c":{"machine":"WS1","account":"LocalSystem"}},
        "run":{"process":"c","steps":[{"do":"call","to":"svc app","steps":[{"do":"call","to":"ghost"}]}]}}"#;
    let err = impersonation_core::parse(json).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path()).collect();
    let machine = format!("{}.machine", key("processes", "svc app"));
    assert!(paths.contains(&machine.as_str()), "{paths:?}");
    let t = target("run.steps[0].steps[0].to");
    assert!(paths.contains(&"run.steps[0].steps[0].to"), "{paths:?}");
    assert_eq!(t.tab, Tab::Chain);
    assert_eq!(t.step.unwrap().to_string(), "run.steps[0].steps[0]");
    assert_eq!(target(&machine).tab, Tab::Cast);
    assert!(belongs_to("accounts.svc.spns[0]", "accounts.svc.spns"));
    assert_eq!(target("options.traditional_nesting").tab, Tab::Options);
}

#[wasm_bindgen_test]
async fn share_links_round_trip() {
    let mut s = Scenario::blank();
    s.title = "<img src=x onerror=alert(1)> ünïcode".into();
    // Compressed and inflated by the browser (CompressionStream, DecompressionStream).
    let data = s_data(&s.to_json_string())
        .await
        .expect("the browser compresses");
    assert_eq!(
        open_fragment(&format!("#s={data}")).await,
        LinkOpen::Scenario(Box::new(Checked::new(s.clone()).unwrap()))
    );
    let json = impersonation_core::link::encode_json(&s.to_json_pretty());
    assert_eq!(
        open_fragment(&format!("#json={json}")).await,
        LinkOpen::Scenario(Box::new(Checked::new(s).unwrap()))
    );
    assert_eq!(open_fragment("#section-2").await, LinkOpen::Nothing);
    assert!(matches!(
        open_fragment("#s=%%%").await,
        LinkOpen::Refused(_)
    ));
    let invalid = impersonation_core::link::encode_json(r#"{"format":"impersonation-scenario/1"}"#);
    let LinkOpen::Refused(n) = open_fragment(&format!("#json={invalid}")).await else {
        panic!("an invalid scenario is refused")
    };
    assert!(n.text.contains("not valid"));
    assert!(!n.details.is_empty());
}

#[wasm_bindgen_test]
async fn the_browser_inflates_links_within_the_limit() {
    // Damaged and cut-short streams are refused with the core's message.
    let whole = deflate_raw(b"{\"format\":\"impersonation-scenario/1\"}")
        .await
        .expect("compresses");
    let cut = &whole[..whole.len() / 2];
    assert_eq!(
        inflate_raw(cut, 1 << 20).await,
        Err(LinkError::BadDeflate("not a complete DEFLATE stream"))
    );
    assert_eq!(
        inflate_raw(&[0xff, 0xff, 0xff], 1 << 20).await,
        Err(LinkError::BadDeflate("not a complete DEFLATE stream"))
    );
    // A bomb: 64 MiB of zeros compresses to about 64 KB; inflating stops at the limit.
    let bomb = deflate_raw(&vec![0u8; 64 << 20]).await.expect("compresses");
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    assert_eq!(
        inflate_raw(&bomb, impersonation_core::link::MAX_DECODED_BYTES).await,
        Err(LinkError::TooLarge)
    );
    let LinkOpen::Refused(n) = open_fragment(&format!(
        "#s={}",
        impersonation_core::link::base64url_encode(&bomb)
    ))
    .await
    else {
        panic!("a bomb is refused")
    };
    assert!(n.text.contains("larger than 16 MiB"), "{}", n.text);
    // Exactly at the limit is fine.
    let exact = deflate_raw(&vec![b' '; 1000]).await.expect("compresses");
    assert_eq!(inflate_raw(&exact, 1000).await.map(|v| v.len()), Ok(1000));
    assert_eq!(inflate_raw(&exact, 999).await, Err(LinkError::TooLarge));
}

/// `&step=<label>` (issue #13): a call's label selects the call's own event, not its return.
#[wasm_bindgen_test]
fn a_step_label_names_its_first_event() {
    let s = impersonation_core::parse(impersonation_web::components::presets::FIRST_SEED_JSON)
        .expect("the first seed parses");
    let outcome = impersonation_core::simulate(&s);
    let label = outcome
        .events
        .iter()
        .find(|e| e.action == "call" && e.label.is_some())
        .and_then(|e| e.label.clone())
        .expect("a labelled call");
    let i = impersonation_web::hooks::event_of_label(&outcome, &label).expect("found");
    assert_eq!(outcome.events[i].action, "call");
    assert!(outcome.events[i + 1..]
        .iter()
        .any(|e| e.action == "return" && e.label.as_deref() == Some(label.as_str())));
    assert_eq!(
        impersonation_web::hooks::event_of_label(&outcome, "no-such-label"),
        None
    );
}
