//! The top bar: examples, undo and redo, import and export, share, theme.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::presets::PresetPicker;
use super::Act;
use crate::hooks::Theme;
use crate::state::{Action, Notice};

/// Reads an imported file's text: a scenario, or a message saying why not.
pub fn import_text(name: &str, text: &str) -> Result<impersonation_core::Scenario, Notice> {
    impersonation_core::parse(text).map(impersonation_core::Checked::into_inner).map_err(|e| {
        let mut details: Vec<String> = e.problems().iter().take(12).map(|p| p.to_string()).collect();
        if e.problems().len() > 12 {
            details.push(format!("… and {} more", e.problems().len() - 12));
        }
        let what = if e.is_syntax() {
            "is not a scenario file"
        } else {
            "holds a scenario that is not valid"
        };
        Notice::error(
            format!("The file \u{201c}{name}\u{201d} {what}, so it was not opened. Your work was not changed."),
            details,
        )
    })
}

/// Downloads `text` as a file.
fn download(name: &str, text: &str) -> bool {
    text_blob(text, "application/json").is_some_and(|blob| save_blob(name, &blob))
}

/// `text` as a Blob of type `mime`.
pub fn text_blob(text: &str, mime: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()
}

/// Downloads a Blob as a file named `name`.
pub fn save_blob(name: &str, blob: &web_sys::Blob) -> bool {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return false;
    };
    let saved = save_url(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    saved
}

/// Downloads what `url` (a `blob:` or `data:` address) holds as a file named `name`.
pub fn save_url(name: &str, url: &str) -> bool {
    let document = gloo::utils::document();
    let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    a.set_href(url);
    a.set_download(name);
    a.click();
    true
}

/// A file name from a title (letters, digits and dashes) and an extension.
pub fn file_name(title: &str, extension: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let mut name = String::from(if out.is_empty() { "scenario" } else { out });
    name.push('.');
    name.push_str(extension);
    name
}

pub struct ToolbarProps {
    pub act: Act,
    pub can_undo: bool,
    pub can_redo: bool,
    pub dirty: bool,
    pub title: AttrValue,
    /// The scenario as pretty JSON, made on demand.
    pub pretty: Callback<(), String>,
    pub theme: Theme,
    pub set_theme: Callback<Theme>,
    pub on_share: Callback<()>,
    /// The security review's count (components::review).
    pub review: Html,
}

pub fn toolbar(props: &ToolbarProps) -> Html {
    let d = &props.act;
    let undo = {
        let d = d.clone();
        Callback::from(move |_| d.emit(Action::Undo))
    };
    let redo = {
        let d = d.clone();
        Callback::from(move |_| d.emit(Action::Redo))
    };
    let export = {
        let d = d.clone();
        let pretty = props.pretty.clone();
        let name = file_name(&props.title, "json");
        Callback::from(move |_| {
            if download(&name, &pretty.emit(())) {
                d.emit(Action::MarkSaved);
            }
        })
    };
    let import = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let d = d.clone();
            // The browser reads the file (Blob.text(), UTF-8); no reader of our own.
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = JsFuture::from(file.text()).await.map(|t| t.as_string());
                d.emit(match text {
                    Ok(Some(text)) => match import_text(&name, &text) {
                        Ok(s) => Action::Offer(Rc::new(s), format!("the file \u{201c}{name}\u{201d}")),
                        Err(n) => Action::Notice(Some(n)),
                    },
                    Ok(None) | Err(_) => Action::Notice(Some(Notice::error(
                        format!("The file \u{201c}{name}\u{201d} could not be read. Your work was not changed."),
                        Vec::new(),
                    ))),
                });
            });
        })
    };
    let theme = {
        let set = props.set_theme.clone();
        let next = props.theme.next();
        Callback::from(move |_| set.emit(next))
    };
    let share = props.on_share.reform(|_| ());
    let theme_label = match props.theme {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    html! {
        <header class="toolbar">
            <h1 class="brand">{ "Impersonation Playground" }</h1>
            <nav class="actions" aria-label="Scenario actions">
                <PresetPicker act={d.clone()} />
                <button type="button" class="btn" onclick={undo} disabled={!props.can_undo} title="Undo (Ctrl+Z)">{ "Undo" }</button>
                <button type="button" class="btn" onclick={redo} disabled={!props.can_redo} title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
                <label class="btn file" title="Open a scenario JSON file">
                    <input type="file" class="sr-only" accept=".json,application/json" onchange={import} id="import-file" />
                    { "Import" }
                </label>
                <button type="button" class="btn" onclick={export} title="Save the scenario as a JSON file">{ "Export" }</button>
                <button type="button" class="btn primary" onclick={share} id="share-button">{ "Share" }</button>
                { props.review.clone() }
                <button type="button" class="btn" onclick={theme} title="Switch theme">{ theme_label }</button>
                <span class={classes!("saved", props.dirty.then_some("dirty"))} role="status"
                    title={if props.dirty { "Export or Share to keep a copy elsewhere" } else { "Nothing here that an example, a file or a link does not hold" }}>
                    { if props.dirty { "Saved in this browser only" } else { "Nothing unsaved" } }
                </span>
            </nav>
        </header>
    }
}
