//! Autosave to localStorage, and the work restored at start.
//!
//! Saved work that cannot be read is moved aside (never deleted) and a message says so; the
//! stored value is only written again after the person changes something.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use impersonation_core::Scenario;
use yew::prelude::*;

use super::browser::local_storage;
use crate::state::storage::{self, BACKUP_KEY, KEY, META_KEY};
use crate::state::{Action, AppHandle, AppState, Notice};

/// The scenario shown when nothing is saved: the first seed example, else a blank scenario.
pub fn first_scenario() -> Scenario {
    impersonation_core::parse(storage::FIRST_SEED_JSON)
        .map(impersonation_core::Checked::into_inner)
        .unwrap_or_else(|_| Scenario::blank())
}

/// The state at start: the saved work, or the first preset.
pub fn initial_state() -> AppState {
    let store = local_storage();
    let saved = store.as_ref().and_then(|s| s.get_item(KEY).ok().flatten());
    let Some(text) = saved else {
        return AppState::new(first_scenario(), false);
    };
    let meta = store
        .as_ref()
        .and_then(|s| s.get_item(META_KEY).ok().flatten());
    match storage::load_text(&text, meta.as_deref()) {
        Ok(saved) => AppState::new(saved.scenario, saved.dirty),
        Err(why) => {
            let kept = local_storage()
                .map(|s| s.set_item(BACKUP_KEY, &text).is_ok())
                .unwrap_or(false);
            let mut state = AppState::new(first_scenario(), false);
            let where_ = if kept {
                format!(" A copy was kept in this browser's localStorage under \u{201c}{BACKUP_KEY}\u{201d}.")
            } else {
                String::new()
            };
            state.notice = Some(Notice::error(
                format!("Your saved work could not be restored: {why}.{where_} The playground opened an example instead."),
                Vec::new(),
            ));
            state
        }
    }
}

/// How long the edits must pause before the work is written: a write of a large scenario
/// costs a good part of an edit's 16 ms, and typing or a run of edits needs only the last one.
const SAVE_DELAY_MS: u32 = 400;

thread_local! {
    /// The write waiting for the edits to pause: the scenario (its JSON text is written then, not
    /// on every edit) and whether it is unsaved.
    static PENDING: RefCell<Option<(Rc<Scenario>, bool)>> = const { RefCell::new(None) };
}

/// Writes the work waiting to be saved, if any: when the edits pause, when the page is hidden
/// or left, and from the crash handler (web/crash.js, which says the work is saved up to the last
/// change).
/// False when the browser refused it.
pub fn save_pending() -> bool {
    let pending = PENDING.with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.take()));
    let Some((scenario, dirty)) = pending else {
        return true;
    };
    let json = scenario.to_json_string();
    local_storage()
        .map(|s| {
            s.set_item(KEY, &json).is_ok()
                && s.set_item(META_KEY, &storage::meta_text(dirty)).is_ok()
        })
        .unwrap_or(false)
}

/// Saves the work after every change (not at start: restoring is not a change), once the
/// edits pause, or at once when the page is hidden or left (a reload right after an edit keeps
/// it).
#[hook]
pub fn use_local_storage(state: AppHandle, enabled: bool) {
    let warned = use_mut_ref(|| Cell::new(false));
    // The timer and the page's listener of the write under way: replacing them cancels them.
    let waiting = use_mut_ref(|| None::<(Timeout, EventListener)>);
    let deps = (state.version, state.dirty, enabled);
    let scenario = state.scenario.clone();
    let dispatcher = state.dispatcher();
    use_effect_with(deps, move |(version, dirty, enabled)| {
        if *enabled && *version > 0 {
            PENDING.with(|p| *p.borrow_mut() = Some((scenario, *dirty)));
            let hidden = EventListener::new(&gloo::utils::document(), "visibilitychange", |_| {
                save_pending();
            });
            let timer = Timeout::new(SAVE_DELAY_MS, move || {
                if !save_pending() && !warned.borrow().get() {
                    warned.borrow().set(true);
                    dispatcher.dispatch(Action::Notice(Some(Notice::error(
                        "This browser refused to save your work (storage blocked or full): export it to a file to keep it.",
                        Vec::new(),
                    ))));
                }
            });
            *waiting.borrow_mut() = Some((timer, hidden));
        }
    });
}
