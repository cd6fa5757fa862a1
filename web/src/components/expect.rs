//! Expectations (SPEC §8.1) in the result: which event decides each one, its verdict as a line
//! of text, the mark on its diagram row, and "Expect this" on the selected event.
//! The verdicts are the outcome's; nothing here judges an event.

use impersonation_core::model::{ExpectField, Expectation, Vocabulary};
use impersonation_core::{Event, Outcome};
use yew::prelude::*;

use super::Act;
use crate::state::path::StepPath;
use crate::state::{Action, Edit};

/// The mark's left edge and width on a diagram row: inside the layout's left margin, which no
/// text, box or line enters, machine boxes included (web/tests/expect.rs checks every preset).
pub const MARK_X: f32 = 0.5;
pub const MARK_W: f32 = 3.0;

/// The verdicts event `i` decides: those of its label when it is the label's first event that
/// is not a return (SPEC §8.1).
pub fn verdicts(o: &Outcome, i: usize) -> Vec<&Expectation> {
    let Some(e) = o.events.get(i) else {
        return Vec::new();
    };
    let Some(label) = e.label.as_deref().filter(|_| e.action != "return") else {
        return Vec::new();
    };
    let decides = |p: &Event| p.label.as_deref() == Some(label) && p.action != "return";
    if o.events[..i].iter().any(decides) {
        return Vec::new();
    }
    o.expectations.iter().filter(|x| x.label == label).collect()
}

/// Per event: whether the expectations it decides are all met (`None`: it decides none).
pub fn marks(o: &Outcome) -> Vec<Option<bool>> {
    if o.expectations.is_empty() {
        return Vec::new();
    }
    (0..o.events.len())
        .map(|i| {
            let v = verdicts(o, i);
            (!v.is_empty()).then(|| v.iter().all(|x| x.met))
        })
        .collect()
}

/// `✓ seen_as alice` or `✗ seen_as: want alice, got NT AUTHORITY\ANONYMOUS LOGON`.
pub fn line(x: &Expectation) -> String {
    let want = x.want.as_deref().unwrap_or("null");
    match x.met {
        true => format!("✓ {} {want}", x.field.as_str()),
        false => format!(
            "✗ {}: want {want}, got {}",
            x.field.as_str(),
            x.got.as_deref().unwrap_or("null")
        ),
    }
}

/// The verdicts of event `i` as lines, for its row in the event list.
pub fn summary(o: &Outcome, i: usize) -> Option<(bool, AttrValue)> {
    let v = verdicts(o, i);
    if v.is_empty() {
        return None;
    }
    let text: Vec<String> = v.iter().map(|x| line(x)).collect();
    Some((v.iter().all(|x| x.met), text.join("\n").into()))
}

/// The mark drawn after a row's markup: a bar in the left margin, coloured by the verdict.
pub fn mark(out: &mut String, i: usize, top: f32, height: f32, met: bool) {
    use impersonation_core::diagram::svg::number;
    out.push_str(&format!(
        "<rect class=\"xmark {}\" data-index=\"{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\"/>",
        if met { "met" } else { "unmet" },
        number(MARK_X),
        number(top + 2.0),
        number(MARK_W),
        number((height - 4.0).max(2.0)),
    ));
}

/// What a person may expect of an event, as `field=want` values and their text: for a call or
/// an access, how the other side sees the caller (each identity of the run, the first one, the
/// client, first); for other steps the thread's identity; and success or failure.
fn choices(o: &Outcome, e: &Event) -> Vec<(String, String)> {
    let mut names: Vec<&str> = Vec::new();
    for ev in &o.events {
        if !names.contains(&ev.identity.as_str()) {
            names.push(&ev.identity);
        }
    }
    let (field, text) = match e.seen_as.is_some() {
        true => (ExpectField::SeenAs, "seen as"),
        false => (ExpectField::Identity, "runs as"),
    };
    let status = [("ok", "succeeds"), ("fail", "fails")]
        .map(|(w, t)| (format!("status={w}"), t.to_string()));
    names
        .iter()
        .map(|n| (format!("{}={n}", field.as_str()), format!("{text} {n}")))
        .chain(status)
        .collect()
}

fn expect(act: &Act, step: &str, field: ExpectField, want: Option<String>) {
    if let Some(step) = StepPath::parse(step) {
        act.emit(Action::Edit(Edit::Expect { step, field, want }));
    }
}

/// The selected event's expectations (with Remove when editable) and, in the playground,
/// "Expect this": a choice and a button, one undo step. The detail shows the first above its
/// facts and the second below them, so that a rule's sources stay in view.
pub fn expect_tools(o: &Outcome, i: usize, act: Option<&Act>, select: &NodeRef) -> (Html, Html) {
    let Some(e) = o.events.get(i) else {
        return Default::default();
    };
    let list = verdicts(o, i);
    let remove = |x: &Expectation| {
        let act = act?.clone();
        let (step, field) = (e.step.clone(), x.field);
        Some(Callback::from(move |_: MouseEvent| {
            expect(&act, &step, field, None)
        }))
    };
    let form = act.filter(|_| e.action != "return").map(|act| {
        let (act, step, node) = (act.clone(), e.step.clone(), select.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let Some(el) = node.cast::<web_sys::HtmlSelectElement>() else {
                return;
            };
            let value = el.value();
            if let Some((f, w)) = value.split_once('=') {
                if let Some(field) = ExpectField::parse(f) {
                    expect(&act, &step, field, Some(w.to_string()));
                }
            }
        });
        html! {
            <p class="expect-form">
                <label>{ "Expect this step: " }
                    <select ref={select.clone()} id="expect-choice">
                        // Selected by hand: Yew inserts the options last first.
                        { for choices(o, e).into_iter().enumerate().map(|(i, (v, t))| html! { <option value={v} selected={i == 0}>{ t }</option> }) }
                    </select>
                </label>
                { " " }<button type="button" class="btn small" id="expect-this" {onclick}>{ "Expect" }</button>
            </p>
        }
    });
    let list = html! {
        <>
            if !list.is_empty() {
                <ul class="plain expectations">
                    { for list.iter().map(|x| html! {
                        <li class={if x.met { "met" } else { "unmet" }}>
                            { line(x) }
                            if let Some(onclick) = remove(x) {
                                { " " }<button type="button" class="linkish" {onclick}>{ "Remove" }</button>
                            }
                        </li>
                    }) }
                </ul>
            }
        </>
    };
    (list, form.unwrap_or_default())
}
