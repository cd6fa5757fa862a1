//! "Make it work" (SPEC §8.4): the fix finder's proposals for the unmet expectations, safest
//! first, each with its tier, approver, what it changes (the sentence, the path before and
//! after), the commands with a copy button, the expectations it meets and what the security
//! review says it exposes. Selecting one previews its outcome beside today's (the result's
//! comparison); Apply puts it in place as one undo step.
//!
//! The answer is markup (`state::fixes::markup`, the proposals' bodies written by the worker,
//! `web/fixer/worker.js`) under one click listener that answers each button by its `data-act`:
//! the download pays for little (issue #6). Nothing here decides anything.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::dialogs::{copy, escape_closes};
use crate::hooks::FixView;
use crate::state::fixes::{markup, Fixes, Proposal};

pub struct FixPanelArgs {
    pub view: FixView,
    /// The answer is for the scenario on screen (else it is being renewed).
    pub current: bool,
    pub chosen: Option<usize>,
    /// Select a proposal (or none) to preview.
    pub on_choose: Callback<Option<usize>>,
    pub on_apply: Callback<usize>,
    pub on_close: Callback<()>,
    /// Shows the phone's Edit view (true), where the panel is, or its Result view (false),
    /// where the preview is.
    pub on_view: Callback<bool>,
}

/// The panel's click listener (and the preview's, [`preview_actions`]): the button's
/// `data-act`, and its proposal's `data-i`.
fn on_click(a: &FixPanelArgs) -> Callback<MouseEvent> {
    let (choose, apply, view, close) = (
        a.on_choose.clone(),
        a.on_apply.clone(),
        a.on_view.clone(),
        a.on_close.clone(),
    );
    let fixes: Option<Rc<Fixes>> = match &a.view.answer {
        Some(Ok(f)) => Some(f.clone()),
        _ => None,
    };
    let chosen = a.chosen;
    Callback::from(move |e: MouseEvent| {
        let Some(button) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-act]").ok().flatten())
        else {
            return;
        };
        let act = button.get_attribute("data-act").unwrap_or_default();
        let i = button
            .closest("[data-i]")
            .ok()
            .flatten()
            .and_then(|li| li.get_attribute("data-i")?.parse::<usize>().ok())
            .unwrap_or(0);
        match act.as_str() {
            "close" => close.emit(()),
            "pick" => choose.emit((chosen != Some(i)).then_some(i)),
            "apply" => apply.emit(i),
            "preview" => view.emit(false),
            "back" => view.emit(true),
            _ => {
                let script = fixes.as_ref().and_then(|f| f.proposals.get(i));
                if script.is_some_and(|p| copy(&p.script)) {
                    button.set_text_content(Some("Copied"));
                }
            }
        }
    })
}

pub fn fix_panel(a: &FixPanelArgs) -> Html {
    let status = match (&a.view.answer, a.view.busy || !a.current) {
        (None, _) => "Looking for changes that meet every expectation…",
        (Some(_), true) => "Updating for the latest edit…",
        (Some(_), false) => "",
    };
    // The heading and Close stay put while the answer's markup is drawn anew.
    html! {
        <section class="fix-panel" aria-labelledby="fix-title" onkeydown={escape_closes(&a.on_close)} onclick={on_click(a)}>
            <div class="fix-head">
                <h2 id="fix-title" tabindex="-1">{ "Make it work" }</h2>
                <button type="button" class="btn small" data-act="close">{ "Close" }</button>
            </div>
            <p class="hint">{ "The smallest sets of changes after which every expectation is met, safest first. Select one to preview its outcome beside today's." }</p>
            <p class="hint" role="status">{ status }</p>
            if let Some(answer) = &a.view.answer {
                { Html::from_html_unchecked(markup(answer, a.chosen).into()) }
            }
        </section>
    }
}

/// On a phone, beside "Make it work" while the Result view previews a proposal: the worker's
/// markup of its Apply (the same edit, one undo step) and the way back to the proposals in the
/// Edit view, handled by the panel's listener.
pub fn preview_actions(a: &FixPanelArgs, p: &Proposal) -> Html {
    html! {
        <span class="phone-only preview-actions" onclick={on_click(a)}>
            { Html::from_html_unchecked(p.preview.clone().into()) }
        </span>
    }
}
