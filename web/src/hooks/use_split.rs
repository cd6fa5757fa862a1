//! The editor's share of the playground's width, set with the splitter between the editor and
//! the result, and remembered in localStorage like the work itself (see use_local_storage.rs):
//! read once at start, written only when the person moves the splitter.

use yew::prelude::*;

use super::browser::local_storage;

pub const SPLIT_KEY: &str = "impersonation-playground/split";
/// The editor's width in percent of the panes' width: least, most, and at first.
pub const SPLIT_MIN: u32 = 20;
pub const SPLIT_MAX: u32 = 75;
pub const SPLIT_DEFAULT: u32 = 36;

/// Sets the CSS variable `--editor-w` that style.css gives the editor's column, on the root
/// element (there before the playground renders), through the CSSOM, which the
/// Content-Security-Policy allows (unlike style attributes).
fn apply(v: u32) {
    let root = web_sys::window()
        .and_then(|w| w.document()?.document_element())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    if let Some(root) = root {
        let _ = root.style().set_property("--editor-w", &format!("{v}%"));
    }
}

/// The split (percent), as saved, applied at start.
#[hook]
pub fn use_split() -> UseStateHandle<u32> {
    use_state_eq(|| {
        let v = local_storage()
            .and_then(|s| s.get_item(SPLIT_KEY).ok().flatten())
            .and_then(|v| v.parse::<u32>().ok())
            .map_or(SPLIT_DEFAULT, |v| v.clamp(SPLIT_MIN, SPLIT_MAX));
        apply(v);
        v
    })
}

/// Moves the splitter to `v` percent (within bounds), and remembers it.
pub fn set_split(split: &UseStateHandle<u32>, v: u32) {
    let v = v.clamp(SPLIT_MIN, SPLIT_MAX);
    if v != **split {
        apply(v);
        if let Some(s) = local_storage() {
            let _ = s.set_item(SPLIT_KEY, &v.to_string());
        }
        split.set(v);
    }
}
