//! Embed mode: tells the host page how high the embed's content is, so that it can size the
//! iframe to it (the snippet is in the README, section Embedding). The message is
//! `{type: "impersonation-playground:height", height}`, posted at start and whenever the
//! height changes (a ResizeObserver on the body: an event selected, a rule's text loaded, the
//! frame narrowed).

use std::cell::Cell;

use yew::prelude::*;

pub const HEIGHT_MESSAGE: &str = "impersonation-playground:height";

/// The content's height in CSS pixels, rounded up: what the iframe needs to show all of it.
fn content_height() -> Option<i32> {
    let body = web_sys::window()?.document()?.body()?;
    Some(body.get_bounding_client_rect().height().ceil() as i32)
}

fn post(last: &Cell<i32>) {
    let (Some(window), Some(height)) = (web_sys::window(), content_height()) else {
        return;
    };
    if height == last.replace(height) {
        return;
    }
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    let text = format!("{{\"type\":\"{HEIGHT_MESSAGE}\",\"height\":{height}}}");
    if let Ok(message) = js_sys::JSON::parse(&text) {
        let _ = parent.post_message(&message, "*");
    }
}

#[hook]
pub fn use_post_height() {
    use_effect_with((), |_| {
        let last = Cell::new(-1);
        let body = web_sys::window().and_then(|w| w.document()?.body());
        super::browser::on_resize(body.map(Into::into), move || post(&last))
    });
}
