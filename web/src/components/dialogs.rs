//! Dialogs and messages: the share dialog (link and iframe snippet), the question before
//! unsaved work is replaced, and the message bar.

use std::rc::Rc;

use yew::prelude::*;

use super::Act;
use crate::hooks::page_path;
use crate::state::{Action, Notice, Pending};

/// The share link of a scenario: `<page>#s=<data>`, with the `s=` data of its JSON
/// ([`crate::hooks::deflate::s_data`]).
pub fn share_link(base: &str, data: &str) -> String {
    format!("{base}#s={data}")
}

/// The embed address: `<page>?embed=1#s=<data>`.
pub fn embed_link(base: &str, data: &str) -> String {
    format!("{base}?embed=1#s={data}")
}

/// The iframe snippet for documentation pages.
pub fn iframe_snippet(embed: &str, title: &str) -> String {
    let title = title
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<iframe src=\"{}\" title=\"{title}\" width=\"100%\" height=\"400\" loading=\"lazy\" style=\"border:0\"></iframe>",
        embed.replace('&', "&amp;").replace('"', "&quot;")
    )
}

pub fn copy(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let _ = w.navigator().clipboard().write_text(text);
    true
}

/// A dialog's keydown handler: Escape from anywhere in it closes it (and goes no further).
pub fn escape_closes(close: &Callback<()>) -> Callback<KeyboardEvent> {
    let close = close.clone();
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.stop_propagation();
            close.emit(());
        }
    })
}

#[hook]
/// Focuses `node` once it is there (`ready`): the dialog's first control.
fn use_focus_first(node: &NodeRef, ready: bool) {
    let node = node.clone();
    use_effect_with(ready, move |_| {
        if let Some(el) = node.cast::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub json: Rc<str>,
    pub title: AttrValue,
    /// The scenario has problems: its link opens with a message, not the scenario.
    #[prop_or_default]
    pub invalid: bool,
    pub on_close: Callback<()>,
    pub act: Act,
}

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareProps) -> Html {
    let copied = use_state(|| None::<&'static str>);
    // The `s=` data, compressed by the browser (asynchronously) whenever the scenario changes.
    let data = use_state(|| None::<Result<String, String>>);
    {
        let data = data.clone();
        use_effect_with(props.json.clone(), move |json| {
            let json = json.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let s = crate::hooks::deflate::s_data(&json).await;
                data.set(Some(s.map_err(|e| {
                    e.as_string()
                        .or_else(|| js_sys::Error::from(e).message().as_string())
                        .unwrap_or_default()
                })));
            });
        });
    }
    let first = use_node_ref();
    let dialog = use_node_ref();
    crate::hooks::use_modal(&dialog);
    use_focus_first(&first, matches!(*data, Some(Ok(_))));
    let close = props.on_close.reform(|_| ());
    let onkeydown = escape_closes(&props.on_close);
    let body = match &*data {
        None => html! { <p class="hint" role="status">{ "Compressing the scenario…" }</p> },
        Some(Err(why)) => html! {
            <p class="problems" role="alert">{ format!("This browser could not compress the scenario into a link: {why}. Export it as a file instead.") }</p>
        },
        Some(Ok(data)) => {
            let base = page_path();
            let link = share_link(&base, data);
            let embed = embed_link(&base, data);
            let snippet = iframe_snippet(&embed, &props.title);
            let copy_cb = |what: &'static str, text: String| {
                let copied = copied.clone();
                let d = props.act.clone();
                Callback::from(move |_| {
                    if copy(&text) {
                        copied.set(Some(what));
                        d.emit(Action::MarkSaved);
                    }
                })
            };
            html! {
                <>
                <p class="hint">{ format!("The link carries the whole scenario ({} characters), compressed: nothing is uploaded.", link.len()) }</p>
                if props.invalid {
                    <p class="problems" role="alert">{ "The scenario has problems: whoever opens this link sees them listed instead of a result. Fix them first to share a working scenario." }</p>
                }
                <label class="field wide">
                    <span class="field-label">{ "Link" }</span>
                    <input type="text" readonly=true value={link.clone()} id="share-link" spellcheck="false" />
                </label>
                <button ref={first.clone()} type="button" class="btn primary" onclick={copy_cb("link", link)}>{ "Copy link" }</button>
                <label class="field wide">
                    <span class="field-label">{ "Embed in a documentation page (iframe, about 400 px high)" }</span>
                    <textarea readonly=true rows="3" id="share-iframe" spellcheck="false" value={snippet.clone()} />
                </label>
                <button type="button" class="btn" onclick={copy_cb("snippet", snippet)}>{ "Copy iframe snippet" }</button>
                <a class="btn" href={embed} target="_blank" rel="noopener">{ "Preview the embed" }</a>
                if let Some(what) = *copied {
                    <p class="ok-text" role="status">{ format!("Copied the {what}.") }</p>
                }
                </>
            }
        }
    };
    html! {
        <div class="backdrop" {onkeydown}>
            <div ref={dialog} class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" tabindex="-1">
                <h2 id="share-title">{ "Share this scenario" }</h2>
                { body }
                <div class="dialog-actions">
                    <button type="button" class="btn" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}

/// A yes-or-no question (one component for both, the download size is budgeted). Modal like
/// the others: focus starts on the safe answer, stays inside and goes back where it was.
#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// The prefix of the title's and text's ids ("confirm", "remove").
    pub id: &'static str,
    pub title: String,
    pub text: String,
    #[prop_or_default]
    pub children: Html,
    /// The safe answer's id and text.
    pub no: (&'static str, &'static str),
    /// The other answer's id, text and class.
    pub yes: (&'static str, &'static str, &'static str),
    pub answer: Callback<bool>,
}

#[function_component(Confirm)]
pub fn confirm(props: &ConfirmProps) -> Html {
    let first = use_node_ref();
    let dialog = use_node_ref();
    crate::hooks::use_modal(&dialog);
    use_focus_first(&first, true);
    let answer = |yes: bool| props.answer.reform(move |_: MouseEvent| yes);
    let id = props.id;
    html! {
        <div class="backdrop">
            <div ref={dialog} class="dialog" role="alertdialog" aria-modal="true" aria-labelledby={format!("{id}-title")} aria-describedby={format!("{id}-text")} tabindex="-1">
                <h2 id={format!("{id}-title")}>{ &props.title }</h2>
                <p id={format!("{id}-text")}>{ &props.text }</p>
                { props.children.clone() }
                <div class="dialog-actions">
                    <button ref={first} type="button" class="btn" onclick={answer(false)} id={props.no.0}>{ props.no.1 }</button>
                    <button type="button" class={classes!("btn", props.yes.2)} onclick={answer(true)} id={props.yes.0}>{ props.yes.1 }</button>
                </div>
            </div>
        </div>
    }
}

/// "Replace your unsaved work?"
pub fn confirm_replace(pending: &Pending, d: &Act) -> Html {
    let d = d.clone();
    let answer = Callback::from(move |yes: bool| {
        d.emit(if yes {
            Action::ConfirmPending
        } else {
            Action::CancelPending
        })
    });
    html! {
        <Confirm id="confirm" title="Replace your work?" {answer}
            text={format!("Your edits are saved in this browser only. Open {} instead? Your current work stays reachable with Undo (Ctrl+Z) until you reload.", pending.source)}
            no={("confirm-keep", "Keep my work")} yes={("confirm-replace", "Replace", "primary")} />
    }
}

/// The message bar under the toolbar, with its dismiss button.
pub fn notice_bar(n: &Notice, d: &Act) -> Html {
    let d = d.clone();
    let close = Callback::from(move |_| d.emit(Action::Notice(None)));
    html! {
        <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
            <div class="notice-text">
                <p>{ &n.text }</p>
                if !n.details.is_empty() {
                    <ul>{ for n.details.iter().map(|x| html! { <li><code>{ x }</code></li> }) }</ul>
                }
            </div>
            <button type="button" class="icon" aria-label="Dismiss the message" onclick={close}>{ "✕" }</button>
        </div>
    }
}

/// "Delete process db? db is used in 3 places: ...": before deleting a cast entry that others
/// name; Escape cancels.
pub fn confirm_remove(r: &crate::state::Removal, d: &Act) -> Html {
    let d = d.clone();
    let answer = Callback::from(move |yes: bool| d.emit(Action::ConfirmRemove(yes)));
    let (noun, name) = (r.subject.kind.noun(), &r.subject.name);
    html! {
        <Confirm id="remove" title={format!("Delete {noun} {name}?")} {answer}
            text={format!("{name} is used in {}. Deleting it leaves them naming a {noun} that does not exist, shown as problems to fix.",
                impersonation_core::text::count(r.refs.len(), "place"))}
            no={("remove-cancel", "Cancel")} yes={("remove-confirm", "Delete anyway", "danger")}>
            <ul class="refs">
                { for r.refs.iter().map(|x| html! { <li>{ &x.text }{ " " }<code>{ &x.path }</code></li> }) }
            </ul>
        </Confirm>
    }
}
