//! A step row's tools: move up and down, nest into the call above and take out of its call
//! (also Alt+arrows), the details switch and delete. Focus follows a moved step.

use yew::prelude::*;

use super::rows::{Row, RowKind};
use super::{send, Act};
use crate::state::path::Seg;
use crate::state::{Action, Edit};

/// The four moves of a row's step (up, down, into the call above, out of its call), each with
/// whether the row allows it: a move that is not allowed is not sent.
fn moves(r: &Row) -> [(Edit, bool); 4] {
    let path = || r.path.clone();
    let step = matches!(r.kind, RowKind::Step(_));
    let can_outdent = matches!(r.path.parent().0.last(), Some(Seg::Step(_)));
    [
        (
            Edit::MoveStep {
                path: path(),
                delta: -1,
            },
            !r.first,
        ),
        (
            Edit::MoveStep {
                path: path(),
                delta: 1,
            },
            !r.last,
        ),
        (Edit::IndentStep { path: path() }, step && r.can_indent),
        (Edit::OutdentStep { path: path() }, step && can_outdent),
    ]
}

/// Sends a move; focus stays on the moved step (the same control of its row, once it is drawn
/// where the step went: the reducer opens it).
fn follow(act: &Act, edit: Edit) {
    let focused = crate::hooks::focus_in_row();
    act.emit(Action::EditThenOpen(edit));
    if let Some(i) = focused {
        gloo::timers::callback::Timeout::new(0, move || crate::hooks::focus_open_row(i)).forget();
    }
}

/// The row's tools; `what` names the step for assistive technology ("step 3, web calls db").
pub fn tools(r: &Row, open: bool, what: &str, act: &Act) -> Html {
    let [up, down, into, out] = moves(r);
    let remove = send(
        act,
        Action::Edit(Edit::DeleteStep {
            path: r.path.clone(),
        }),
    );
    let toggle = send(act, Action::OpenStep((!open).then(|| r.path.to_string())));
    html! {
        <span class="tools">
            { tool(format!("Move {what}, up"), "Move up (Alt+↑)", "↑", up, act) }
            { tool(format!("Move {what}, down"), "Move down (Alt+↓)", "↓", down, act) }
            if matches!(r.kind, RowKind::Step(_)) {
                { tool(format!("Nest {what}, into the call above"), "Nest into the call above (Alt+→)", "→", into, act) }
                { tool(format!("Move {what}, out of its call"), "Out of its call (Alt+←)", "←", out, act) }
            }
            <button type="button" class={classes!("icon", open.then_some("on"))} aria-label={format!("Details of {what}")}
                aria-expanded={open.to_string()} title="All fields" onclick={toggle}>{ "⋯" }</button>
            <button type="button" class="icon danger" aria-label={format!("Delete {what}")} title="Delete"
                onclick={remove}>{ "✕" }</button>
        </span>
    }
}

/// One of a row's move buttons (one body for the four: the download size is budgeted).
#[inline(never)]
fn tool(
    label: String,
    title: &'static str,
    text: &'static str,
    (edit, allowed): (Edit, bool),
    act: &Act,
) -> Html {
    let act = act.clone();
    let onclick = Callback::from(move |_: MouseEvent| follow(&act, edit.clone()));
    html! { <button type="button" class="icon" aria-label={label} {title} disabled={!allowed} {onclick}>{ text }</button> }
}

/// Alt+arrows on a row move its step.
pub fn row_keys(r: &Row, act: &Act) -> Callback<KeyboardEvent> {
    let act = act.clone();
    let moves = moves(r);
    let step = matches!(r.kind, RowKind::Step(_));
    Callback::from(move |e: KeyboardEvent| {
        if !e.alt_key() {
            return;
        }
        let i = match e.key().as_str() {
            "ArrowUp" => 0,
            "ArrowDown" => 1,
            "ArrowRight" if step => 2,
            "ArrowLeft" if step => 3,
            _ => return,
        };
        e.prevent_default();
        if let (edit, true) = &moves[i] {
            follow(&act, edit.clone());
        }
    })
}
