//! The rehearsal stage (issue #13): once a scenario is open and the browser idle, the playground
//! rehearses an edit a hundred times, so that the person's first edits find their code compiled,
//! optimised and warm instead of taking half as long again as the later ones, or waiting for a
//! core while V8 optimises the functions they have just made hot.
//!
//! The rehearsal is a real edit, made in a second playground mounted in an element that is never
//! put in the page: a `change` event on the rehearsed step's select, taken by what takes a
//! person's (Yew's listener, the select's handler, the reducer, the engine, Yew's diffing, the
//! views, the DOM calls), and nobody can see it. The page itself is not touched. The stage's hooks
//! that reach out (storage, links, keyboard, the `&step=` parameter) are off, and it holds the
//! open scenario's first few steps only ([`AppState::sample`]): the code is the same for them as
//! for all. Earlier forms, measured and withdrawn, are in docs/performance.md: a rehearsal that
//! rendered on the page and put the state back (a frame could show it), one computed and thrown
//! away (the first edit still took half as long again), and a stage with every step (its mount
//! took 150 ms at once).

use std::cell::RefCell;
use std::rc::Rc;

use impersonation_core::Scenario;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{focus_in_page, time_left, when_idle};
use crate::state::{AppHandle, AppState, ByPtr};
use crate::{App, AppProps};

/// How many edits the stage makes. Once compiles the code; the rest are for V8's optimising
/// compiler, which takes a function only after it has run a while (the playground's render, a
/// 42 KB function, after some 60 renders) and then works on it in the background for up to
/// 130 ms: on a machine with two cores, every edit it coincides with waits. A hundred edits of
/// the stage get the hot functions there before a person's first edit (docs/performance.md).
const REHEARSALS: u32 = 100;

/// The milliseconds an idle period must still have for a round to start in it (a round takes
/// about 1 ms on the stage's steps).
const ROUND: f64 = 8.0;

/// The steps the stage holds, at most (see [`AppState::sample`]).
const SAMPLE: usize = 24;

/// Memory taken at the start for the edits to come: the bench's 200-step scenario grew the
/// WebAssembly memory by 3.5 MiB over 200 edits (its undo history), 14 MiB at the start.
const RESERVE: usize = 4 << 20;

/// What makes a playground a rehearsal stage: the scenario it opens.
#[derive(Clone, PartialEq)]
pub struct Rehearsal(pub ByPtr<Scenario>);

/// A playground off the page, for the rehearsal's edits.
pub struct Stage {
    app: yew::AppHandle<App>,
    root: web_sys::Element,
    /// The rehearsed step's kind select's name.
    select: String,
}

impl Stage {
    /// Mounts a stage holding `state`'s first steps ([`AppState::sample`]), in an element of its
    /// own that is not in the page. None without a step to rehearse.
    pub fn mount(state: &AppState) -> Option<Stage> {
        let step = state.rehearsed_step()?;
        let root = gloo::utils::document().create_element("div").ok()?;
        let props = AppProps {
            link: None,
            rehearsal: Some(Rehearsal(ByPtr(Rc::new(state.sample(SAMPLE))))),
        };
        let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
        Some(Stage {
            app,
            root,
            select: format!("select[name=\"{step}.do\"]"),
        })
    }

    /// The edit, as a person makes it: the rehearsed step's kind chosen in its select (to
    /// `whoami`, or to `revert` for a `whoami`), then a `change` event, which Yew's listener,
    /// the select's handler and the reducer take; it renders soon after, on Yew's scheduler.
    /// False when the stage has not rendered the select.
    pub fn edit(&self) -> bool {
        let Some(select) = self
            .root
            .query_selector(&self.select)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlSelectElement>().ok())
        else {
            return false;
        };
        select.set_value(if select.value() == "whoami" {
            "revert"
        } else {
            "whoami"
        });
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        web_sys::Event::new_with_event_init_dict("change", &init)
            .is_ok_and(|change| select.dispatch_event(&change).is_ok())
    }

    /// The element the stage renders in.
    pub fn root(&self) -> &web_sys::Element {
        &self.root
    }

    /// Takes the stage down: its components, their DOM and memory go.
    pub fn end(self) {
        self.app.destroy();
    }
}

thread_local! {
    /// The live playground's stage while it plays.
    static STAGE: RefCell<Option<Stage>> = const { RefCell::new(None) };
}

/// The rehearsal, in the live playground (not on the stage): once the browser is idle after the
/// first render, a stage is mounted with the state of the moment, then makes [`REHEARSALS`] edits
/// in idle time while nothing on the page has the focus (a person at work is not disturbed), then
/// goes.
#[hook]
pub fn use_rehearsal(state: AppHandle, live: bool) {
    // The handle of the latest render: a handle holds the state it was rendered with, and a link
    // opened at start replaces the first render's.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state;
    use_effect_with(live, move |live| {
        if *live {
            next(latest, REHEARSALS + 1, wasm_bindgen::JsValue::UNDEFINED);
        }
    });
}

/// One round now (the stage's mount, or an edit), then the `n - 1` others ([`next`]); then the
/// stage goes.
fn rehearse(state: Rc<RefCell<AppHandle>>, n: u32, idle: wasm_bindgen::JsValue) {
    let go_on = n > 0
        && !focus_in_page()
        && STAGE.with(|stage| {
            let mut stage = stage.borrow_mut();
            match stage.as_ref() {
                Some(s) => s.edit(),
                None => {
                    drop(std::hint::black_box(Vec::<u8>::with_capacity(RESERVE)));
                    *stage = Stage::mount(&state.borrow());
                    stage.is_some()
                }
            }
        });
    if go_on {
        next(state, n - 1, idle);
    } else if let Some(stage) = STAGE.with(|s| s.borrow_mut().take()) {
        stage.end();
    }
}

/// The `n` rounds to come: in the idle period `idle` while enough of it is left (each in a task
/// of its own, after the stage has rendered the last round), else from the next.
fn next(state: Rc<RefCell<AppHandle>>, n: u32, idle: wasm_bindgen::JsValue) {
    let soon = time_left(&idle) > ROUND;
    when_idle(soon, move |deadline| {
        rehearse(state, n, if soon { idle } else { deadline })
    });
}
