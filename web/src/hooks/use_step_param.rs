//! `&step=<label>` in the address (playground and embed): opens with the event of that step
//! label selected and scrolled into view, once, when the first outcome is there.

use std::rc::Rc;

use impersonation_core::Outcome;
use yew::prelude::*;

use super::browser::query_param;

/// Scrolls the selected event into view: its row in the diagram, its explanation, then its row
/// in the list. Each only within its nearest scrolling box (nearest edge, so that nothing moves
/// when it is visible already), so that an embed never scrolls the page that holds it. In that
/// order because in the embed one box scrolls them all: the row last, above the explanation drawn
/// under it, brings both into view, or the row and the explanation's start when both do not fit.
pub fn reveal_selected() {
    scroll_nearest(
        &[".diagram .selected", "section.detail", ".event.selected"],
        false,
    );
}

/// After a person chose an event in the embed: the explanation drawn in place under its row, and
/// the row, scrolled into view as [`reveal_selected`] does, in the page that holds the embed too
/// (they asked for it): once drawn, and again once the host page has given the frame its new
/// height.
pub fn reveal_detail() {
    for ms in [0, 250] {
        gloo::timers::callback::Timeout::new(ms, || {
            scroll_nearest(&["section.detail", ".event.selected"], true)
        })
        .forget();
    }
}

/// Scrolls each selector's first element into view at its nearest edge: within its own nearest
/// scrolling box only, or (`host`) in every one that holds it, the host page's too.
fn scroll_nearest(selectors: &[&str], host: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
    if !host {
        opts.set_container(web_sys::ScrollIntoViewContainer::Nearest);
    }
    for sel in selectors {
        if let Ok(Some(el)) = doc.query_selector(sel) {
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    }
}

/// Reveals the selected event once it is drawn: after this task, or a frame later while it is not
/// there yet (Yew may finish a busy render in a later task, such as the diagram fitting its
/// pane when it first mounts), at most `tries` times.
fn reveal_when_drawn(tries: u32) {
    gloo::timers::callback::Timeout::new(if tries < 10 { 16 } else { 0 }, move || {
        let drawn = gloo::utils::document()
            .query_selector(".event.selected")
            .ok()
            .flatten()
            .is_some();
        if drawn || tries == 0 {
            reveal_selected();
        } else {
            reveal_when_drawn(tries - 1);
        }
    })
    .forget();
}

/// The first event of the step labelled `label` (a call's own event, before its return).
pub fn event_of_label(outcome: &Outcome, label: &str) -> Option<usize> {
    outcome
        .events
        .iter()
        .position(|e| e.label.as_deref() == Some(label))
}

/// Selects the wanted step's event in the first outcome that has it (the playground shows the
/// saved work before a linked scenario replaces it, maybe after a question).
#[hook]
pub fn use_step_param(outcome: Option<Rc<Outcome>>, on_select: Callback<usize>) {
    let wanted = use_mut_ref(|| query_param("step").map(|s| decode(&s)));
    let key = outcome.as_ref().map(|o| Rc::as_ptr(o) as usize);
    use_effect_with(key, move |_| {
        let Some(outcome) = outcome else { return };
        let found = match &*wanted.borrow() {
            Some(label) => event_of_label(&outcome, label),
            None => return,
        };
        if let Some(i) = found {
            wanted.borrow_mut().take();
            on_select.emit(i);
            reveal_when_drawn(10);
        }
    });
}

/// A query value as written in a link: `%xx` escapes and `+` for a space.
fn decode(value: &str) -> String {
    js_sys::decode_uri_component(&value.replace('+', " "))
        .ok()
        .and_then(|s| wasm_bindgen::JsValue::from(s).as_string())
        .unwrap_or_else(|| value.to_string())
}
