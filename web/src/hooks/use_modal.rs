//! Keyboard focus: a dialog keeps focus inside itself while it is open and gives it back to
//! what opened it when it closes (WAI-ARIA dialog pattern); a moved step keeps focus on its
//! row.

use gloo::events::{EventListener, EventListenerOptions};
use gloo::utils::document;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// What may take keyboard focus (disabled ones and `tabindex="-1"` are told apart later).
const CONTROLS: &str = "a[href],button,input,select,textarea,[tabindex]";

/// The controls inside `root`, in document order, each with whether Tab can reach it now.
fn controls(root: &Element) -> Vec<(HtmlElement, bool)> {
    let Ok(list) = root.query_selector_all(CONTROLS) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<HtmlElement>().ok())
        .map(|el| {
            let on = !el.has_attribute("disabled")
                && el.get_attribute("tabindex").as_deref() != Some("-1");
            (el, on)
        })
        .collect()
}

fn focus(el: &HtmlElement) {
    let _ = el.focus();
}

/// Focuses the element with this id, if there is one.
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        focus(&el);
    }
}

#[hook]
/// Makes the element of `root` modal for the keyboard while the calling component is mounted:
/// Tab and Shift+Tab cycle through its controls, focus that lands outside it is brought back,
/// and when it closes, focus returns to the element that had it when it opened.
pub fn use_modal(root: &NodeRef) {
    let root = root.clone();
    use_effect_with((), move |_| {
        let opener = document().active_element();
        let el = root.cast::<HtmlElement>();
        if let Some(el) = &el {
            if !el.contains(document().active_element().as_deref().map(AsRef::as_ref)) {
                focus(el);
            }
        }
        let tab = {
            let root = root.clone();
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&document(), "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let Some(el) = root.cast::<Element>() else {
                    return;
                };
                if e.key() != "Tab" {
                    return;
                }
                let on: Vec<HtmlElement> = controls(&el)
                    .into_iter()
                    .filter_map(|(c, on)| on.then_some(c))
                    .collect();
                let (Some(first), Some(last)) = (on.first(), on.last()) else {
                    return e.prevent_default();
                };
                let active = document().active_element();
                let at = |c: &HtmlElement| active.as_deref() == Some(c.as_ref());
                let inside = el.contains(active.as_deref().map(AsRef::as_ref));
                if e.shift_key() && (at(first) || !inside) {
                    e.prevent_default();
                    focus(last);
                } else if !e.shift_key() && (at(last) || !inside) {
                    e.prevent_default();
                    focus(first);
                }
            })
        };
        let guard = {
            let root = root.clone();
            EventListener::new(&document(), "focusin", move |e| {
                let (Some(el), Some(target)) = (
                    root.cast::<HtmlElement>(),
                    e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
                ) else {
                    return;
                };
                if !el.contains(Some(&target)) {
                    focus(&el);
                }
            })
        };
        move || {
            drop((tab, guard));
            if let Some(opener) = opener
                .filter(|o| o.is_connected())
                .and_then(|o| o.dyn_into::<HtmlElement>().ok())
            {
                focus(&opener);
            }
        }
    });
}

/// The index of the focused control among the controls of the step row holding it.
pub fn focus_in_row() -> Option<usize> {
    let active = document().active_element()?;
    let row = active.closest("li.step").ok()??;
    controls(&row).iter().position(|(c, _)| {
        let c: &Element = c.as_ref();
        *c == active
    })
}

/// Focuses control `index` of the open step row (where a moved step went), or the nearest one
/// Tab can reach (Move up is disabled at the top).
pub fn focus_open_row(index: usize) {
    let Ok(Some(row)) = document().query_selector("li.step.open") else {
        return;
    };
    let all = controls(&row);
    let after = all.iter().skip(index);
    if let Some((c, _)) = after
        .chain(all.iter().take(index).rev())
        .find(|(_, on)| *on)
    {
        focus(c);
    }
}
