//! The fix finder in its Web Worker (`fixer/worker.js`, SPEC §8.2): started by the first
//! request, then reused. The hook asks after a render, so the outcome of an edit is on screen
//! before the search starts and an edit never waits for it; each request has a number, and an
//! answer to any but the newest is dropped. The worker answers only the newest: a request that
//! comes while a search runs stops that search (the worker terminates its search worker and
//! starts another), so an edit's request does not wait behind a moot one.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use impersonation_core::Checked;

use crate::state::fixes::{Fixes, Proposal};
use crate::state::ByPtr;

use super::browser::js_get as get;

/// What the panel knows: the newest answer (kept while a newer one is computed) and whether a
/// request is under way.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FixView {
    pub answer: Option<Result<Rc<Fixes>, String>>,
    pub busy: bool,
}

type Listener = Box<dyn Fn(Result<Rc<Fixes>, String>)>;

struct Client {
    worker: web_sys::Worker,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    /// The newest request's number, and who waits for its answer.
    static NEWEST: Cell<u32> = const { Cell::new(0) };
    static WAITING: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

fn text(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

fn proposal(p: &JsValue) -> Proposal {
    Proposal {
        applied: text(p, "applied"),
        item: text(p, "item").into(),
        chosen: text(p, "chosen").into(),
        preview: text(p, "preview").into(),
        script: text(p, "script"),
        scenario: text(p, "scenario").into(),
    }
}

/// The worker's answer (see worker.js) as data.
fn read(data: &JsValue) -> Result<Rc<Fixes>, String> {
    if let Some(e) = get(data, "error").as_string() {
        return Err(e);
    }
    let proposals = get(data, "proposals")
        .dyn_into::<Array>()
        .map(|a| a.iter().map(|p| proposal(&p)).collect())
        .unwrap_or_default();
    Ok(Rc::new(Fixes {
        proposals,
        explain: text(data, "explain"),
    }))
}

/// Hands the newest request's answer (or failure) to whoever waits for it.
fn answer(id: Option<u32>, result: impl FnOnce() -> Result<Rc<Fixes>, String>) {
    if id.is_some_and(|id| id != NEWEST.get()) {
        return;
    }
    if let Some(listener) = WAITING.with(|w| w.borrow_mut().take()) {
        listener(result());
    }
}

fn start() -> Result<Client, JsValue> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options("fixer/worker.js", &opts)?;
    let onmessage = Closure::<dyn FnMut(_)>::new(|e: web_sys::MessageEvent| {
        let data = e.data();
        let id = get(&data, "id").as_f64().map(|n| n as u32);
        answer(id.or(Some(u32::MAX)), || read(&data));
    });
    // A worker that cannot load (its module missing, or refused): say so rather than wait.
    let onerror = Closure::<dyn FnMut(_)>::new(|_: web_sys::Event| {
        CLIENT.with(|c| c.borrow_mut().take());
        answer(None, || {
            Err("The fix finder (fixer/worker.js) could not be started.".into())
        });
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    Ok(Client {
        worker,
        _onmessage: onmessage,
        _onerror: onerror,
    })
}

/// Asks the worker for the proposals of the scenario `json` (at most 3 changes each); `done`
/// gets the answer unless a newer request came first.
fn ask(json: &str, done: Listener) {
    let id = NEWEST.get().wrapping_add(1);
    NEWEST.set(id);
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"id".into(), &id.into());
    let _ = Reflect::set(&msg, &"scenario".into(), &JsValue::from_str(json));
    let _ = Reflect::set(&msg, &"maxChanges".into(), &3.into());
    WAITING.with(|w| *w.borrow_mut() = Some(done));
    let posted = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = start().ok();
        }
        c.as_ref().map(|c| c.worker.post_message(&msg).is_ok())
    });
    if posted != Some(true) {
        answer(None, || {
            Err("This browser cannot start the fix finder (a module Web Worker).".into())
        });
    }
}

/// The proposals for the scenario `checked` while `open`: asked for (its JSON text written then)
/// after each render that changes either, answered later. The answer on screen is for the
/// scenario on screen unless `busy`.
#[hook]
pub fn use_fixes(open: bool, checked: Option<Rc<Checked>>) -> FixView {
    let view = use_state(FixView::default);
    {
        let view = view.clone();
        use_effect_with(checked.filter(|_| open).map(ByPtr), move |checked| {
            let Some(checked) = checked else {
                return;
            };
            view.set(FixView {
                answer: view.answer.clone(),
                busy: true,
            });
            let set = view.clone();
            ask(
                &checked.0.to_json_string(),
                Box::new(move |answer| {
                    set.set(FixView {
                        answer: Some(answer),
                        busy: false,
                    })
                }),
            );
        });
    }
    (*view).clone()
}
