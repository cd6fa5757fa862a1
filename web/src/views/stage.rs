//! The rehearsal stage (issue #13): once a scenario is open and the browser idle, the playground
//! rehearses an edit, so that the person's first edit finds its code compiled and warm instead
//! of taking half as long again as the later ones.
//!
//! The rehearsal is a real edit, made by a second playground mounted in an element that is never
//! put in the page: it runs what an edit runs (the reducer, the engine, Yew's diffing, the views,
//! the DOM calls) and nobody can see it. Its hooks that reach out (storage, links, keyboard, the
//! `&step=` parameter) are off; it holds the open scenario's first few steps only
//! ([`AppState::sample`]), the code being the same for them as for all. Earlier forms, measured
//! and withdrawn, are in docs/performance.md: a rehearsal that rendered on the page and put the
//! state back (a frame could show it) and a stage with every step (its mount took 150 ms at once).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::playground::{Playground, PlaygroundProps};
use crate::hooks::{focus_in_page, when_idle};
use crate::state::{Action, AppHandle, AppState, ByPtr};

/// How many times the stage makes the edit, each in an idle moment of its own: once compiles
/// the code, and V8 moves a function to its optimising compiler only after it has run a while.
const REHEARSALS: u32 = 6;

/// The steps the stage holds, at most (see [`AppState::sample`]).
const SAMPLE: usize = 24;

/// Memory taken at the start for the edits to come: the bench's 200-step scenario grew the
/// WebAssembly memory by 3.5 MiB over 200 edits (its undo history), 14 MiB at the start.
const RESERVE: usize = 4 << 20;

/// What makes a playground a rehearsal stage: the state it starts from, and how many edits it
/// is to have made (the rehearsed step's kind, to `whoami`, then between `revert` and `whoami`).
#[derive(Clone, PartialEq)]
pub struct Rehearsal {
    pub from: ByPtr<AppState>,
    pub round: u32,
}

/// A playground off the page, making the rehearsal's edits.
pub struct Stage {
    app: yew::AppHandle<Playground>,
    rehearsal: Rehearsal,
    root: web_sys::Element,
}

impl Stage {
    /// Mounts a stage holding `state`'s first steps, in an element of its own that is not in
    /// the page; its first render makes the first edit.
    pub fn mount(state: &AppState) -> Option<Stage> {
        let root = gloo::utils::document().create_element("div").ok()?;
        let rehearsal = Rehearsal {
            from: ByPtr(Rc::new(state.sample(SAMPLE))),
            round: 1,
        };
        let app = yew::Renderer::<Playground>::with_root_and_props(
            root.clone(),
            props(rehearsal.clone()),
        )
        .render();
        Some(Stage {
            app,
            rehearsal,
            root,
        })
    }

    /// The next edit (it renders on Yew's scheduler, soon after).
    pub fn next(&mut self) {
        self.rehearsal.round += 1;
        self.app.update(props(self.rehearsal.clone()));
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

fn props(rehearsal: Rehearsal) -> PlaygroundProps {
    PlaygroundProps {
        link: None,
        rehearsal: Some(rehearsal),
    }
}

thread_local! {
    /// The live playground's stage while it plays.
    static STAGE: RefCell<Option<Stage>> = const { RefCell::new(None) };
}

/// The rehearsal. In the live playground (`round` None): once the browser is idle after the
/// first render, the stage plays [`REHEARSALS`] rounds with the state of the moment, each round in
/// an idle moment, while nothing on the page has the focus (a person at work is not disturbed),
/// then goes. On the stage (`round` Some): each round's render is followed by the round's edit.
#[hook]
pub fn use_rehearsal(state: AppHandle, round: Option<u32>) {
    // The handle of the latest render: a handle holds the state it was rendered with, and a link
    // opened at start replaces the first render's.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    use_effect_with(round, move |round| match round {
        None => when_idle(move || {
            drop(std::hint::black_box(Vec::<u8>::with_capacity(RESERVE)));
            rehearse(latest, REHEARSALS);
        }),
        Some(_) => {
            if let Some(edit) = state.rehearsal_edit() {
                state.dispatch(Action::Edit(edit));
            }
        }
    });
}

/// One round now, the `n - 1` others each in an idle moment of their own; then the stage goes.
fn rehearse(state: Rc<RefCell<AppHandle>>, n: u32) {
    let now = state.borrow().clone();
    if n > 0 && !focus_in_page() && now.rehearsed_step().is_some() {
        replay_choice(&now);
        STAGE.with(|stage| {
            let mut stage = stage.borrow_mut();
            match stage.as_mut() {
                Some(s) => s.next(),
                None => *stage = Stage::mount(&now),
            }
        });
        when_idle(move || rehearse(state, n - 1));
    } else if let Some(stage) = STAGE.with(|s| s.borrow_mut().take()) {
        stage.end();
    }
}

/// Sends the rehearsed step's kind select on the page a `change` event with the value it has:
/// the way a person's edit comes in (Yew's listener, the select's handler, the reducer's edit up
/// to "nothing changed") runs too, and nothing changes: the reducer returns the very state, so
/// nothing renders. Only when the select shows the state's value.
fn replay_choice(state: &AppHandle) {
    let Some((step, kind)) = state.rehearsed_step() else {
        return;
    };
    let select = gloo::utils::document()
        .query_selector(&format!("select[name=\"{step}.do\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .filter(|el| el.value() == kind);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let (Some(el), Ok(change)) = (
        select,
        web_sys::Event::new_with_event_init_dict("change", &init),
    ) {
        let _ = el.dispatch_event(&change);
    }
}
