//! The editor's share of the playground's width, set with the splitter between the editor and
//! the result, and remembered in localStorage like the work itself (see use_local_storage.rs):
//! read once at start, written only after the person moves the splitter.

use yew::prelude::*;

use super::local_storage;

pub const SPLIT_KEY: &str = "impersonation-playground/split";
/// The editor's width in percent of the panes' width: least, most, and at first.
pub const SPLIT_MIN: u32 = 20;
pub const SPLIT_MAX: u32 = 75;
pub const SPLIT_DEFAULT: u32 = 40;

fn stored() -> u32 {
    local_storage()
        .and_then(|s| s.get_item(SPLIT_KEY).ok().flatten())
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(SPLIT_DEFAULT, |v| v.clamp(SPLIT_MIN, SPLIT_MAX))
}

/// The split (percent), applied to `panes` as the CSS variable `--editor-w` (through the CSSOM,
/// which the Content-Security-Policy allows, unlike style attributes) and saved on change.
#[hook]
pub fn use_split(panes: NodeRef) -> UseStateHandle<u32> {
    let split = use_state_eq(stored);
    let first = use_mut_ref(|| true);
    use_effect_with(*split, move |v| {
        if let Some(el) = panes.cast::<web_sys::HtmlElement>() {
            let _ = el.style().set_property("--editor-w", &format!("{v}%"));
        }
        if !first.replace(false) {
            if let Some(s) = local_storage() {
                let _ = s.set_item(SPLIT_KEY, &v.to_string());
            }
        }
    });
    split
}
