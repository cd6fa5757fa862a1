//! The playground renders in a real browser: mounts components into a fresh element and checks
//! what a person would read. Runs in headless Chrome through `wasm-pack test --headless --chrome web`.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use impersonation_core::model::{
    EventDetail, Scenario, Status, TokenLevel, Vocabulary, OUTCOME_FORMAT,
};
use impersonation_core::{Event, Outcome};
use impersonation_web::components::diagram::{Diagram, DiagramProps, Lanes};
use impersonation_web::state::storage;
use wasm_bindgen_test::wasm_bindgen_test;
use yew::Callback;

fn root() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    root
}

/// Yew renders on its scheduler: let it run before reading the DOM.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(60)).await;
}

/// A diagram of `outcome` over `lanes`, rendered in an element of its own and settled.
async fn draw(outcome: Rc<Outcome>, lanes: Rc<Lanes>, selected: Option<usize>) -> web_sys::Element {
    let props = DiagramProps {
        outcome,
        lanes,
        selected,
        on_select: Callback::from(|_| ()),
        compact: false,
        marked: Rc::new(Vec::new()),
        label: "test diagram".into(),
    };
    let root = root();
    yew::Renderer::<Diagram>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn app_renders_its_heading() {
    let root = root();
    yew::Renderer::<impersonation_web::App>::with_root(root.clone()).render();
    settle().await;
    let heading = root.query_selector("h1").expect("a valid selector");
    let text = heading.and_then(|h| h.text_content()).unwrap_or_default();
    assert!(
        text.contains("Impersonation Playground"),
        "the page's heading is {text:?}; the whole root is {:?}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn saved_work_is_restored_and_names_render_as_text() {
    let mut s = Scenario::blank();
    let payload = "<img src=x onerror=alert(1)>";
    s.title = payload.into();
    local_storage()
        .set_item(storage::KEY, &s.to_json_string())
        .unwrap();
    local_storage()
        .set_item(storage::META_KEY, &storage::meta_text(true))
        .unwrap();
    let root = root();
    yew::Renderer::<impersonation_web::App>::with_root(root.clone()).render();
    settle().await;
    let title = root
        .query_selector(".result-title")
        .unwrap()
        .and_then(|h| h.text_content());
    assert_eq!(title.as_deref(), Some(payload));
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "no element made from a name"
    );
    local_storage().remove_item(storage::KEY).unwrap();
    local_storage().remove_item(storage::META_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn corrupted_saved_work_shows_a_message_and_is_kept() {
    local_storage()
        .set_item(storage::KEY, "{ not json")
        .unwrap();
    let root = root();
    yew::Renderer::<impersonation_web::App>::with_root(root.clone()).render();
    settle().await;
    let notice = root
        .query_selector(".notice.error")
        .unwrap()
        .and_then(|n| n.text_content())
        .unwrap_or_default();
    assert!(notice.contains("could not be restored"), "{notice:?}");
    assert_eq!(
        local_storage()
            .get_item(storage::BACKUP_KEY)
            .unwrap()
            .as_deref(),
        Some("{ not json")
    );
    assert_eq!(
        local_storage().get_item(storage::KEY).unwrap().as_deref(),
        Some("{ not json"),
        "nothing is written before the person changes something"
    );
    local_storage().remove_item(storage::KEY).unwrap();
    local_storage().remove_item(storage::BACKUP_KEY).unwrap();
}

fn event(step: &str, action: &'static str, process: &str, status: &'static str) -> Event {
    Event {
        step: step.into(),
        label: None,
        action,
        process: process.into(),
        status: <Status as Vocabulary>::parse(status).expect(status),
        identity: "CORP\\svcApp".into(),
        level: None,
        rules: vec![impersonation_core::rules::RuleId::Lv1],
        explain: "because".into(),
        to: None,
        authn: None,
        authn_level: None,
        seen_as: None,
        seen_level: None,
        delegation: None,
        kdc_status: None,
        setting: None,
        detail: EventDetail::default(),
    }
}

#[wasm_bindgen_test]
async fn the_diagram_draws_calls_coloured_by_what_the_callee_sees() {
    let mut s = Scenario::blank();
    impersonation_web::state::edit::add_process(&mut s);
    let mut ok = event("run.steps[0]", "call", "client", "ok");
    ok.to = Some("B".into());
    ok.seen_as = Some(Some("CORP\\alice".into()));
    ok.seen_level = Some(Some(TokenLevel::Impersonate));
    let mut imp = event("run.steps[0].steps[0]", "impersonate", "B", "ok");
    imp.identity = "CORP\\alice".into();
    imp.level = Some(TokenLevel::Impersonate);
    let mut anon = event("run.steps[0].steps[1]", "call", "B", "ok");
    anon.to = Some("client".into());
    anon.seen_as = Some(Some("NT AUTHORITY\\ANONYMOUS LOGON".into()));
    let mut fail = event("run.steps[0].steps[2]", "call", "B", "E_ACCESSDENIED");
    fail.to = Some("client".into());
    fail.seen_as = Some(None);
    let ret = event("run.steps[0]", "return", "client", "ok");
    let outcome = Rc::new(Outcome {
        format: OUTCOME_FORMAT,
        events: vec![ok, imp, anon, fail, ret],
        expectations: Vec::new(),
    });
    let root = draw(outcome, Rc::new(Lanes::of(&s)), Some(1)).await;
    let count = |sel: &str| root.query_selector_all(sel).unwrap().length();
    assert_eq!(count("line.msg.ok:not(.ret)"), 1, "{}", root.inner_html());
    assert_eq!(count("line.msg.anon"), 1);
    assert_eq!(count("line.msg.fail"), 1);
    assert_eq!(count("line.msg.ret"), 1);
    assert_eq!(
        count("rect.bar.lv-impersonate"),
        1,
        "B's thread impersonates alice"
    );
    assert_eq!(count("g.row.selected"), 1);
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("B sees alice @ impersonate"), "{text}");
    assert!(text.contains("E_ACCESSDENIED"), "{text}");
}

/// The rehearsal stage (issue #13, `views::stage`): a playground off the page whose edits come
/// as a person's do, a choice in the rehearsed step's select and a `change` event, turning the
/// open scenario's first step that is not a call; in an element that never enters the document;
/// writing no saved work.
#[wasm_bindgen_test]
async fn the_rehearsal_stage_edits_off_the_page() {
    use impersonation_web::state::AppState;
    use impersonation_web::views::stage::Stage;
    use wasm_bindgen::JsCast;
    let scenario =
        impersonation_core::parse(include_str!("../../core/presets/ntlm-double-hop.json"))
            .expect("the preset is valid")
            .into_inner();
    let before = local_storage().get_item(storage::KEY).unwrap();
    let selects = || {
        gloo::utils::document()
            .query_selector_all("select")
            .unwrap()
            .length()
    };
    let in_page = selects();
    let stage = Stage::mount(&AppState::new(scenario, true)).expect("a stage");
    settle().await;
    let root = stage.root().clone();
    assert!(!root.is_connected(), "the stage is not in the page");
    let kind = || {
        root.query_selector("select[name=\"run.steps[0].steps[0].do\"]")
            .unwrap()
            .map(|s| s.unchecked_into::<web_sys::HtmlSelectElement>().value())
    };
    // What the reducer and the render make of an edit: the events' text, and Undo.
    let events = || {
        root.query_selector(".event-list")
            .unwrap()
            .and_then(|l| l.text_content())
            .unwrap_or_default()
    };
    let undo = || {
        root.query_selector("button[title^=\"Undo\"]")
            .unwrap()
            .is_some_and(|b| !b.has_attribute("disabled"))
    };
    assert_eq!(
        kind().as_deref(),
        Some("impersonate"),
        "{}",
        root.inner_html()
    );
    let mut drawn = vec![events()];
    assert!(
        !drawn[0].is_empty() && !undo(),
        "the result is drawn, nothing to undo"
    );
    for want in ["whoami", "revert", "whoami"] {
        assert!(stage.edit());
        settle().await;
        assert_eq!(kind().as_deref(), Some(want));
        drawn.push(events());
    }
    assert!(undo(), "the edits were made");
    assert!(
        drawn[0] != drawn[1] && drawn[1] != drawn[2],
        "each edit redrew the events"
    );
    assert_eq!(drawn[3], drawn[1], "whoami again, the same events");
    assert_eq!(selects(), in_page, "nothing was added to the page");
    assert_eq!(
        local_storage().get_item(storage::KEY).unwrap(),
        before,
        "no saved work written"
    );
    stage.end();
    settle().await;
    assert_eq!(root.child_element_count(), 0, "the stage is taken down");
}

/// The rehearsal's scheduling (issue #13, `views::stage`): `when_idle` calls back in an idle
/// period with its deadline, whose time left is at most the 50 ms of an idle period, or with
/// `soon`, in a task of its own with no deadline (no time left: the next round waits for an idle
/// period). Each calls back once.
#[wasm_bindgen_test]
async fn idle_callbacks_carry_their_deadline_and_soon_ones_none() {
    use impersonation_web::hooks::{time_left, when_idle};
    use std::cell::RefCell;
    let got = Rc::new(RefCell::new(Vec::<(bool, f64)>::new()));
    for soon in [false, true] {
        let got = got.clone();
        when_idle(soon, move |deadline| {
            got.borrow_mut().push((soon, time_left(&deadline)))
        });
    }
    // Idle callbacks come within the page's idle time; the test page is idle.
    for _ in 0..20 {
        if got.borrow().len() == 2 {
            break;
        }
        settle().await;
    }
    settle().await;
    let got = got.borrow();
    assert_eq!(got.len(), 2, "each called back once: {got:?}");
    let idle = got.iter().find(|(soon, _)| !soon).expect("the idle one").1;
    let soon = got.iter().find(|(soon, _)| *soon).expect("the soon one").1;
    assert!(
        (0.0..=50.0).contains(&idle),
        "an idle period's time left: {idle}"
    );
    assert_eq!(soon, 0.0, "no deadline, no time left");
    assert_eq!(time_left(&wasm_bindgen::JsValue::from_str("x")), 0.0);
}

/// An edit's old outcome and picture are freed once the browser is idle, not in the edit
/// (`drop_when_idle`); never more than eight wait: a ninth frees the oldest at once.
#[wasm_bindgen_test]
async fn values_dropped_when_idle_wait_for_it_and_at_most_eight_wait() {
    use impersonation_web::hooks::drop_when_idle;
    let v = Rc::new(());
    drop_when_idle(v.clone());
    assert_eq!(Rc::strong_count(&v), 2, "not freed in the call");
    for _ in 0..20 {
        if Rc::strong_count(&v) == 1 {
            break;
        }
        settle().await;
    }
    assert_eq!(Rc::strong_count(&v), 1, "freed once the page was idle");
    let w = Rc::new(());
    drop_when_idle(w.clone());
    for _ in 0..7 {
        drop_when_idle(Rc::new(()));
    }
    assert_eq!(Rc::strong_count(&w), 2, "eight may wait");
    drop_when_idle(Rc::new(()));
    assert_eq!(Rc::strong_count(&w), 1, "the ninth frees the oldest");
}

/// A long diagram (more than 100 rows) draws the rows in and near its scroll area's view, and
/// the selected one wherever it is; scrolling draws the rows it comes to. A short one is whole.
#[wasm_bindgen_test]
async fn a_long_diagram_draws_the_rows_near_its_view() {
    use impersonation_core::model::{Action, Step};
    use wasm_bindgen::JsCast;
    let preset = include_str!("../../core/presets/ntlm-double-hop.json");
    let short = impersonation_core::parse(preset).expect("the preset is valid");
    let mut s = short.clone().into_inner();
    // 300 steps: an event each, 16 px rows, a picture about 5,000 px high.
    s.run.steps = (0..300)
        .map(|i| Step {
            label: None,
            action: if i % 2 == 0 {
                Action::Whoami
            } else {
                Action::Revert
            },
        })
        .collect();
    s.expect.clear();
    let long = impersonation_core::Checked::new(s).expect("valid");
    let indices = |root: &web_sys::Element| -> Vec<usize> {
        let rows = root.query_selector_all(".diagram-body g.row").unwrap();
        (0..rows.length())
            .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
            .filter_map(|g| g.get_attribute("data-index")?.parse().ok())
            .collect()
    };

    let whole = simulate_draw(&short, None).await;
    let events = impersonation_core::simulate(&short).events.len();
    assert_eq!(
        indices(&whole),
        (0..events).collect::<Vec<_>>(),
        "a short picture is whole"
    );

    let root = simulate_draw(&long, Some(250)).await;
    let scroller: web_sys::HtmlElement = root
        .query_selector(".diagram-scroll")
        .unwrap()
        .expect("a scroll area")
        .dyn_into()
        .unwrap();
    // Unstyled, the scroll area is as high as the picture: every row is in view.
    assert_eq!(indices(&root).len(), 300);
    // 400 px high: the rows within 512 px of its first 512 px, and the selected one.
    for (k, v) in [("overflow", "auto"), ("height", "400px")] {
        scroller.style().set_property(k, v).unwrap();
    }
    settle().await;
    let near = indices(&root);
    assert!(near.starts_with(&[0, 1, 2]), "{near:?}");
    assert!(near.len() < 100, "{} rows drawn", near.len());
    assert_eq!(near.last(), Some(&250), "the selected row");
    // Scrolled 1,000 px, then 300 px more, past a step of the span at both ends: a row drawn
    // before and still near the view is the same element (the rows are not written again), and
    // the first rows have left.
    let row = |root: &web_sys::Element, i: usize| {
        root.query_selector(&format!(".diagram-body g.row[data-index=\"{i}\"]"))
            .unwrap()
            .expect("drawn")
    };
    scroller.set_scroll_top(1000);
    settle().await;
    let at_1000 = indices(&root);
    let kept = at_1000[at_1000.len() - 2];
    let before = row(&root, kept);
    scroller.set_scroll_top(1300);
    settle().await;
    let at_1300 = indices(&root);
    assert!(at_1300[0] > at_1000[0], "{at_1000:?} then {at_1300:?}");
    assert!(
        before.is_same_node(Some(&row(&root, kept))),
        "row {kept} kept"
    );
    // Scrolled down 3,000 px: the rows there, none from the top.
    scroller.set_scroll_top(3000);
    settle().await;
    let there = indices(&root);
    assert!(!there.contains(&0), "{there:?}");
    let rect = |i: usize| row(&root, i).get_bounding_client_rect();
    let view = scroller.get_bounding_client_rect();
    let (first, last) = (there[0], there[there.len() - 2]);
    assert!(
        rect(first).top() <= view.top() && rect(last).bottom() >= view.bottom(),
        "rows {first} to {last} cover the view: {there:?}"
    );
}

/// `draw` of the outcome of `s`.
async fn simulate_draw(
    s: &impersonation_core::Checked,
    selected: Option<usize>,
) -> web_sys::Element {
    let outcome = Rc::new(impersonation_core::simulate(s));
    draw(outcome, Rc::new(Lanes::of(s)), selected).await
}
