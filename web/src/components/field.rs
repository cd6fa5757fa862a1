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

#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub label: AttrValue,
    pub value: AttrValue,
    /// The JSON path this control edits (for its problems), e.g. `processes.B.machine`.
    #[prop_or_default]
    pub path: AttrValue,
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// Called on every keystroke, unless `commit` is set (then on Enter or leaving the field).
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub commit: bool,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub list: Option<AttrValue>,
    /// A message from the caller (e.g. a malformed SPN).
    #[prop_or_default]
    pub error: Option<String>,
    /// Makes it a name field (commit it too): the names already taken by others, and whether
    /// case is ignored. It then refuses empty or taken names: a refused name stays in the
    /// field with its reason (the field does not silently revert under its message); typing
    /// the name back, or the name changing (undo), reverts it and clears both. (One component
    /// with the text field: the download size is budgeted.)
    #[prop_or_default]
    pub taken: Option<(Rc<Vec<String>>, bool)>,
}

#[function_component(TextField)]
pub fn text_field(props: &TextProps) -> Html {
    let mut messages = use_problems(&props.path);
    // A name field's refused text and why.
    let refused = use_state_eq(|| None::<(String, String)>);
    {
        let refused = refused.clone();
        use_effect_with(props.value.clone(), move |_| refused.set(None));
    }
    if let Some(e) = &props.error {
        messages.push(e.clone());
    }
    if let Some((_, why)) = &*refused {
        messages.push(why.clone());
    }
    let cb = match &props.taken {
        None => props.onchange.clone(),
        Some((taken, ci)) => rename_guard(
            taken.clone(),
            *ci,
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
    let invalid = !messages.is_empty();
    let name = (!props.path.is_empty()).then(|| props.path.clone());
    html! {
        <label class={classes!("field", props.class.clone(), invalid.then_some("invalid"))}>
            <span class="field-label">{ &props.label }</span>
            // One input: it reports on Enter or leaving it (`commit`) or on every keystroke.
            <input type="text" {name} {value} placeholder={props.placeholder.clone()}
                aria-invalid={invalid.to_string()} onchange={props.commit.then_some(handler)}
                oninput={(!props.commit).then_some(on_input)} list={props.list.clone()}
                spellcheck="false" autocomplete="off" />
            if let Some(h) = &props.hint { <span class="hint">{ h }</span> }
            { problem_list(&messages) }
        </label>
    }
}

/// A name field's change: renames, or refuses an empty or taken name (see [`TextProps::taken`]).
fn rename_guard(
    taken: Rc<Vec<String>>,
    ci: bool,
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
        let is_taken = taken.iter().any(|t| {
            if ci {
                t.eq_ignore_ascii_case(&new)
            } else {
                *t == new
            }
        });
        match crate::state::edit::rename_refused(is_taken, &new) {
            Some(why) => refused.set(Some((new, why))),
            None => {
                refused.set(None);
                rename.emit(new);
            }
        }
    })
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub label: AttrValue,
    #[prop_or_default]
    pub value: AttrValue,
    /// `(value, text)` pairs.
    #[prop_or_default]
    pub options: Rc<Vec<(AttrValue, AttrValue)>>,
    #[prop_or_default]
    pub path: AttrValue,
    #[prop_or_default]
    pub onchange: Callback<String>,
    /// Makes it a checkbox instead, checked or not, reporting its state (one component for
    /// both controls: the download size is budgeted). `value`, `options` and `onchange` are
    /// then unused.
    #[prop_or_default]
    pub check: Option<(bool, Callback<bool>)>,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

#[function_component(SelectField)]
pub fn select_field(props: &SelectProps) -> Html {
    let messages = use_problems(&props.path);
    let cb = props.onchange.clone();
    let onchange = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        cb.emit(select.value());
    });
    let invalid = !messages.is_empty();
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
    let name = (!props.path.is_empty()).then(|| props.path.clone());
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
                if let Some(h) = &props.hint { <span class="hint">{ h }</span> }
                { problem_list(&messages) }
            </label>
        };
    }
    // A value that is not among the options (a dangling reference) is shown as such.
    let known = props.options.iter().any(|(v, _)| *v == props.value);
    html! {
        <label class={classes!("field", props.class.clone(), invalid.then_some("invalid"))}>
            <span class="field-label">{ &props.label }</span>
            <select ref={node} ~value={wasm_bindgen::JsValue::from_str(&props.value)} {name} {onchange} disabled={props.disabled} aria-invalid={invalid.to_string()}>
                if !known {
                    <option value={props.value.clone()} selected=true>{ format!("{} (unknown)", props.value) }</option>
                }
                { for props.options.iter().map(|(v, t)| {
                    html! { <option value={v.clone()} selected={*v == props.value}>{ t }</option> }
                }) }
            </select>
            if let Some(h) = &props.hint { <span class="hint">{ h }</span> }
            { problem_list(&messages) }
        </label>
    }
}

/// A [`SelectField`] with the usual props: one body for its many uses, rather than its props
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

/// `(value, text)` options from a vocabulary, optionally led by a default entry.
pub fn vocab_options<T: impersonation_core::model::Vocabulary>(
    lead: Option<(&str, String)>,
    skip_default: bool,
) -> Rc<Vec<(AttrValue, AttrValue)>> {
    let mut out: Vec<(AttrValue, AttrValue)> = Vec::new();
    if let Some((v, t)) = lead {
        out.push((AttrValue::from(v.to_string()), AttrValue::from(t)));
    }
    for v in T::ALL {
        let s = v.as_str();
        if skip_default && s == "default" {
            continue;
        }
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
