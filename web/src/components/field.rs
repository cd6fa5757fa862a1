//! Labelled form controls that show, beside themselves, the problems the core found at their
//! JSON path. Every control is a native element inside its `<label>`: keyboard and screen
//! readers work without extra code.

use std::rc::Rc;

use impersonation_core::Problem;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::path::belongs_to;

/// The current problems, shared through context.
#[derive(Clone, Debug)]
pub struct Problems(pub Rc<Vec<Problem>>);

/// By value: an edit that leaves the problems as they were re-renders no control.
impl PartialEq for Problems {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Problems {
    /// The messages that belong next to the control at `path`.
    pub fn at(&self, path: &str) -> Vec<String> {
        if path.is_empty() {
            return Vec::new();
        }
        self.0
            .iter()
            .filter(|p| belongs_to(p.path(), path))
            .map(|p| p.message().to_string())
            .collect()
    }
}

#[hook]
fn use_problems(path: &AttrValue) -> Vec<String> {
    let problems = use_context::<Problems>();
    problems.map(|p| p.at(path)).unwrap_or_default()
}

/// The messages shown under a control.
pub fn problem_list(messages: &[String]) -> Html {
    if messages.is_empty() {
        return html! {};
    }
    html! {
        <ul class="problems" role="alert">
            { for messages.iter().map(|m| html! { <li>{ m }</li> }) }
        </ul>
    }
}

/// A text field: [`Field`] without `options` or `check`.
pub type TextField = Field;
/// A select: [`Field`] with `options`, or a checkbox with `check`.
pub type SelectField = Field;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub label: AttrValue,
    #[prop_or_default]
    pub value: AttrValue,
    /// The JSON path this control edits (for its problems), e.g. `processes.B.machine`.
    #[prop_or_default]
    pub path: AttrValue,
    /// Makes it a select of these `(value, text)` pairs.
    #[prop_or_default]
    pub options: Option<Rc<Vec<(AttrValue, AttrValue)>>>,
    /// Makes it a checkbox, checked or not, reporting its state (`value`, `options` and
    /// `onchange` are then unused).
    #[prop_or_default]
    pub check: Option<(bool, Callback<bool>)>,
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// A text field calls it on every keystroke, unless `commit` is set (then on Enter or
    /// leaving the field); a select when a choice is made.
    #[prop_or_default]
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub commit: bool,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub list: Option<AttrValue>,
    /// A message from the caller (e.g. a malformed SPN).
    #[prop_or_default]
    pub error: Option<String>,
    /// Makes a text field a name field (commit it too): the names already taken by others,
    /// and whether it names a machine (case is then ignored, and the refusal says that an
    /// account `<name>$` may be what takes it). It then refuses empty or taken names: a
    /// refused name stays in the field with its reason (the field does not silently revert
    /// under its message); typing the name back, or the name changing (undo), reverts it and
    /// clears both.
    #[prop_or_default]
    pub taken: Option<(Rc<Vec<String>>, bool)>,
}

/// Every labelled control: text, select and checkbox in one component (each component costs
/// about 0.6 KB of the download, which is budgeted).
#[function_component(Field)]
pub fn field(props: &FieldProps) -> Html {
    let mut messages = use_problems(&props.path);
    // A name field's refused text and why.
    let refused = use_state_eq(|| None::<(String, String)>);
    {
        let refused = refused.clone();
        use_effect_with(props.value.clone(), move |_| refused.set(None));
    }
    // The `selected` attribute stops steering a select once a person has used it: set the
    // value itself after every change (undo, redo, a rename).
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(
            (props.value.clone(), props.options.clone()),
            move |(value, _)| {
                if let Some(select) = node.cast::<HtmlSelectElement>() {
                    if select.value() != value.as_str() {
                        select.set_value(value);
                    }
                }
            },
        );
    }
    if let Some(e) = &props.error {
        messages.push(e.clone());
    }
    if let Some((_, why)) = &*refused {
        messages.push(why.clone());
    }
    let invalid = !messages.is_empty();
    let name = (!props.path.is_empty()).then(|| props.path.clone());
    let hint = props
        .hint
        .as_ref()
        .map(|h| html! { <span class="hint">{ h }</span> });
    if let Some((checked, cb)) = &props.check {
        let cb = cb.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        });
        return html! {
            <label class={classes!("check", invalid.then_some("invalid"))}>
                <input type="checkbox" {name} checked={*checked} {onchange} disabled={props.disabled} />
                <span class="field-label">{ &props.label }</span>
                { hint }
                { problem_list(&messages) }
            </label>
        };
    }
    let control = if let Some(options) = &props.options {
        let cb = props.onchange.clone();
        let onchange = Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(select.value());
        });
        // A value that is not among the options (a dangling reference) is shown as such.
        let known = options.iter().any(|(v, _)| *v == props.value);
        html! {
            <select ref={node} ~value={wasm_bindgen::JsValue::from_str(&props.value)} {name} {onchange} disabled={props.disabled} aria-invalid={invalid.to_string()}>
                if !known {
                    <option value={props.value.clone()} selected=true>{ format!("{} (unknown)", props.value) }</option>
                }
                { for options.iter().map(|(v, t)| {
                    html! { <option value={v.clone()} selected={*v == props.value}>{ t }</option> }
                }) }
            </select>
        }
    } else {
        let cb = match &props.taken {
            None => props.onchange.clone(),
            Some((taken, machine)) => rename_guard(
                taken.clone(),
                *machine,
                props.value.clone(),
                refused.clone(),
                props.onchange.clone(),
            ),
        };
        let value = refused
            .as_ref()
            .map_or(props.value.clone(), |(typed, _)| typed.clone().into());
        let handler = {
            let cb = cb.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                cb.emit(input.value());
            })
        };
        let on_input = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        });
        // One input: it reports on Enter or leaving it (`commit`) or on every keystroke.
        html! {
            <input type="text" {name} {value} placeholder={props.placeholder.clone()}
                aria-invalid={invalid.to_string()} onchange={props.commit.then_some(handler)}
                oninput={(!props.commit).then_some(on_input)} list={props.list.clone()}
                spellcheck="false" autocomplete="off" />
        }
    };
    html! {
        <label class={classes!("field", props.class.clone(), invalid.then_some("invalid"))}>
            <span class="field-label">{ &props.label }</span>
            { control }
            { hint }
            { problem_list(&messages) }
        </label>
    }
}

/// A name field's change: renames, or refuses an empty or taken name (see [`FieldProps::taken`]).
fn rename_guard(
    taken: Rc<Vec<String>>,
    machine: bool,
    current: AttrValue,
    refused: UseStateHandle<Option<(String, String)>>,
    rename: Callback<String>,
) -> Callback<String> {
    Callback::from(move |new: String| {
        let new = new.trim().to_string();
        if new == current.as_str() {
            refused.set(None);
            return;
        }
        // A machine's name is compared without case, as Windows does.
        let is_taken = taken.iter().any(|t| {
            if machine {
                t.eq_ignore_ascii_case(&new)
            } else {
                *t == new
            }
        });
        match crate::state::edit::rename_refused(is_taken, machine, &new) {
            Some(why) => refused.set(Some((new, why))),
            None => {
                refused.set(None);
                rename.emit(new);
            }
        }
    })
}

/// A select [`Field`] with the usual props: one body for its many uses, rather than its props
/// built inline at each (the download size is budgeted).
#[inline(never)]
pub fn select(
    label: &'static str,
    value: AttrValue,
    options: Rc<Vec<(AttrValue, AttrValue)>>,
    path: AttrValue,
    onchange: Callback<String>,
    class: &'static str,
) -> Html {
    html! { <SelectField {label} {value} {options} {path} {onchange} {class} /> }
}

/// `(value, text)` options from a vocabulary but the values in `skip`, optionally led by a
/// default entry.
pub fn vocab_options<T: impersonation_core::model::Vocabulary>(
    lead: Option<(&str, String)>,
    skip: &[&str],
) -> Rc<Vec<(AttrValue, AttrValue)>> {
    words(lead, skip, T::NAMES)
}

/// [`vocab_options`]' body, once for every vocabulary (the download size is budgeted).
#[inline(never)]
pub fn words(
    lead: Option<(&str, String)>,
    skip: &[&str],
    all: &'static [&'static str],
) -> Rc<Vec<(AttrValue, AttrValue)>> {
    let mut out: Vec<(AttrValue, AttrValue)> = Vec::new();
    if let Some((v, t)) = lead {
        out.push((AttrValue::from(v.to_string()), AttrValue::from(t)));
    }
    for s in all.iter().filter(|s| !skip.contains(s)) {
        out.push((AttrValue::Static(s), AttrValue::Static(s)));
    }
    Rc::new(out)
}

/// `(value, text)` options from names.
pub fn name_options<'a>(
    names: impl IntoIterator<Item = &'a String>,
) -> Rc<Vec<(AttrValue, AttrValue)>> {
    Rc::new(
        names
            .into_iter()
            .map(|n| (AttrValue::from(n.clone()), AttrValue::from(n.clone())))
            .collect(),
    )
}

/// A field's hint naming the rule that says what it does: `"HT-7: WinRM runs the session as the
/// user"` (the rule's ID and its catalogue title; which rule is the core's to say).
pub fn rule_hint(rule: Option<impersonation_core::rules::RuleId>) -> Option<AttrValue> {
    rule.map(|r| AttrValue::from([r.as_str(), ": ", r.rule().title].concat()))
}
