//! Keyboard shortcuts: Ctrl+Z (⌘Z) undo, Ctrl+Shift+Z or Ctrl+Y redo, Escape closes a question
//! or a message.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Action, AppHandle};

/// The action a key press asks for, if any: `(key, ctrl or ⌘, shift)`.
pub fn shortcut(key: &str, ctrl: bool, shift: bool) -> Option<Action> {
    let key = key.to_ascii_lowercase();
    match (key.as_str(), ctrl, shift) {
        ("z", true, false) => Some(Action::Undo),
        ("z", true, true) | ("y", true, _) => Some(Action::Redo),
        ("escape", false, _) => Some(Action::Escape),
        _ => None,
    }
}

/// The shortcuts, on the whole page while `live` (not on the rehearsal stage).
#[hook]
pub fn use_keyboard(state: AppHandle, live: bool) {
    let dispatcher = state.dispatcher();
    use_effect_with(live, move |live| {
        let document = gloo::utils::document();
        let options = EventListenerOptions::enable_prevent_default();
        let listener = live.then(|| {
            EventListener::new_with_options(&document, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if let Some(action) =
                    shortcut(&e.key(), e.ctrl_key() || e.meta_key(), e.shift_key())
                {
                    if !matches!(action, Action::Escape) {
                        e.prevent_default();
                    }
                    dispatcher.dispatch(action);
                }
            })
        });
        move || drop(listener)
    });
}
