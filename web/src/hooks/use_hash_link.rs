//! Opening `#s=` and `#json=` links (SPEC §5a), at load and whenever the fragment changes.
//! A link that cannot be decoded, or whose scenario is invalid, only shows a message: it never
//! replaces the work in progress. A valid one is offered, which asks first when that work holds
//! unsaved edits.

use std::rc::Rc;

use gloo::events::EventListener;
use impersonation_core::link::LinkError;
use impersonation_core::Checked;
use yew::prelude::*;

use crate::state::{Action, AppHandle, Notice};

/// What a URL fragment holds.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkOpen {
    /// No scenario in the fragment (no `s=` or `json=`).
    Nothing,
    Scenario(Box<Checked>),
    /// A message saying why the link cannot be opened.
    Refused(Notice),
}

/// Reads a fragment (`#s=...`): what it holds, or why it cannot be opened. Inflating `#s=`
/// data is the browser's (see [`super::deflate`]), hence `async`.
pub async fn open_fragment(fragment: &str) -> LinkOpen {
    opened(super::deflate::fragment_text(fragment).await)
}

/// What a fragment's decoded text opens; pure, so that it can be tested.
pub fn opened(text: Result<String, LinkError>) -> LinkOpen {
    let text = match text {
        Ok(text) => text,
        Err(LinkError::NoScenario) => return LinkOpen::Nothing,
        Err(e) => {
            return LinkOpen::Refused(Notice::error(
                format!("This link could not be opened: {e}. Your saved work was not changed."),
                Vec::new(),
            ))
        }
    };
    match impersonation_core::parse(&text) {
        Ok(s) => LinkOpen::Scenario(Box::new(s)),
        Err(e) => {
            let mut details: Vec<String> = e
                .problems()
                .iter()
                .take(12)
                .map(|p| p.to_string())
                .collect();
            if e.problems().len() > 12 {
                details.push(format!("… and {} more", e.problems().len() - 12));
            }
            LinkOpen::Refused(Notice::error(
                "This link's scenario is not valid, so it was not opened. Your saved work was not changed.",
                details,
            ))
        }
    }
}

/// The fragment of the page's address (`#s=...`), or an empty string.
pub fn current_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar, so that a reload does not open the link again
/// over later edits.
fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Offers an opened link's scenario, or shows why it was refused; then clears the fragment.
fn handle(state: &AppHandle, link: &LinkOpen) {
    match link {
        LinkOpen::Nothing => return,
        LinkOpen::Scenario(s) => {
            let source = format!("the linked scenario \u{201c}{}\u{201d}", s.title);
            state.dispatch(Action::Offer(Rc::new((**s).clone().into_inner()), source));
        }
        LinkOpen::Refused(n) => state.dispatch(Action::Notice(Some(n.clone()))),
    }
    clear_fragment();
}

/// Opens the fragment in the address bar now, then handles it.
fn open_current(state: AppHandle) {
    wasm_bindgen_futures::spawn_local(async move {
        handle(&state, &open_fragment(&current_fragment()).await);
    });
}

/// Opens the link in the address bar at start, and any link pasted later. `initial` is the
/// start's link already opened (by `main`, before the first render, so that a linked scenario
/// never shows the saved one first); without it the start's link is opened here. Not `live` (the
/// rehearsal stage, a playground off the page): nothing.
#[hook]
pub fn use_hash_link(state: AppHandle, initial: Option<Rc<LinkOpen>>, live: bool) {
    use_effect_with(live, move |live| {
        let listener = live.then(|| {
            match initial {
                Some(link) => handle(&state, &link),
                None => open_current(state.clone()),
            }
            web_sys::window().map(|w| {
                let state = state.clone();
                EventListener::new(&w, "hashchange", move |_| open_current(state.clone()))
            })
        });
        move || drop(listener)
    });
}
