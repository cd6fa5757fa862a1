//! One row of the chain: a step with its main fields (and, when open, all of them), a meanwhile
//! entry, or a list's "add a step" control. Rows are components with value props, so an edit
//! re-renders only the rows it changed. What a row changes it sends as named actions.

use std::rc::Rc;

use impersonation_core::model::schema::Entry;
use impersonation_core::model::{Action as Do, Api, Call, DupLevel, Step, StepKind, Vocabulary};
use yew::prelude::*;

use super::call_editor::{blanket_details, call_details, detail_fields, CallCtx, CallProps};
use super::field::{problem_list, select, vocab_options, SelectField, TextField};
use super::rows::{Names, Row, RowKind};
use super::step_result::{problem_mark, result_bits, StepResult};
use super::step_tools::{row_keys, tools};
use super::{set, Act};
use crate::state::{Action, Edit, Key, Place};
use impersonation_core::model::StepField as F;

#[derive(Properties, PartialEq)]
pub struct RowProps {
    pub row: Row,
    /// The row's step number in the list (1-based, in reading order), for button names.
    pub number: usize,
    pub open: bool,
    pub problems: Vec<(String, String)>,
    pub result: Option<StepResult>,
    pub ctx: Option<Rc<CallCtx>>,
    pub names: Rc<Names>,
    pub act: Act,
}

/// The `do` choices, as `(value, text)`.
fn kinds() -> Rc<Vec<(AttrValue, AttrValue)>> {
    thread_local! {
        static KINDS: Rc<Vec<(AttrValue, AttrValue)>> = Rc::new(
            Do::NAMES.iter().map(|n| (AttrValue::Static(n), AttrValue::Static(n))).collect()
        );
    }
    KINDS.with(Rc::clone)
}

#[function_component(StepRow)]
pub fn step_row(props: &RowProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.open, move |open| {
            if *open {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            }
        });
    }
    let r = &props.row;
    let depth_class = format!("d{}", r.depth.min(12));
    match &r.kind {
        RowKind::Add { in_call, who } => add_row(props, *in_call, who, &depth_class),
        RowKind::Meanwhile { label, call } => meanwhile_row(props, label, call, &depth_class, node),
        RowKind::Step(step) => step_row_html(props, step, &depth_class, node),
    }
}

fn add_row(props: &RowProps, call: Option<Api>, who: &str, depth_class: &str) -> Html {
    let in_call = call.is_some();
    let r = &props.row;
    let act = props.act.clone();
    let parent = r.path.clone();
    let process = r.process.clone();
    let names = props.names.processes.clone();
    let onchange = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let kind = select.value();
        select.set_value("");
        let edit = match kind.as_str() {
            "" => return,
            // `parent` is the call; its meanwhile calls arrive at the call's caller, from
            // another process.
            "meanwhile" => Edit::AddMeanwhile {
                call: parent.clone(),
                from: names
                    .iter()
                    .map(|(n, _)| n.to_string())
                    .find(|n| *n != process)
                    .unwrap_or_else(|| process.clone()),
            },
            _ => Edit::AddStep {
                parent: parent.clone(),
                kind,
            },
        };
        act.emit(Action::EditThenOpen(edit));
    });
    let label = if in_call {
        format!("Add a step to what {who} does")
    } else if r.path.is_meanwhile() {
        format!("Add a step to what {who} does with this re-entrant call")
    } else {
        format!("Add a step run by {who}")
    };
    html! {
        <li role="listitem" class={classes!("add", depth_class.to_string())}>
            <label class="add-label">
                <span class="sr-only">{ label.clone() }</span>
                <select {onchange} title={label.clone()}>
                    <option value="" selected=true>{ if in_call { format!("+ step in {who}…") } else { format!("+ step ({who})…") } }</option>
                    { for Do::NAMES.iter().map(|n| html! { <option value={*n}>{ *n }</option> }) }
                    <option value="http">{ "call (http)" }</option>
                    if in_call && call != Some(Api::Http) {
                        <option value="meanwhile">{ "meanwhile — a re-entrant call arrives while waiting" }</option>
                    }
                </select>
            </label>
        </li>
    }
}

/// The problems of a row that none of its visible controls shows.
fn leftover(problems: &[(String, String)], shown: &[&str]) -> Vec<String> {
    problems
        .iter()
        .filter(|(rest, _)| {
            let field = rest.trim_start_matches('.');
            let field = field.split(['.', '[']).next().unwrap_or("");
            !shown.contains(&field)
        })
        .map(|(rest, m)| {
            if rest.is_empty() {
                m.clone()
            } else {
                format!("{}: {m}", rest.trim_start_matches('.'))
            }
        })
        .collect()
}

/// The row of a step or a meanwhile entry: what lies between its problem mark and its label
/// field (`head`), the field names it shows, and its open details differ; the frame is one.
struct Parts {
    meanwhile: bool,
    head: Html,
    label: Option<String>,
    /// The step in words, for the tools' names ("step 3, web calls db").
    what: String,
    /// The fields the row shows: its other problems are listed under it.
    shown: Vec<&'static str>,
    details: Html,
}

fn row_html(props: &RowProps, depth_class: &str, node: NodeRef, parts: Parts) -> Html {
    let r = &props.row;
    let act = &props.act;
    let path = r.path.to_string();
    let label = set::<String>(act, &Place::Step(r.path.clone()), Key::Step(F::Label));
    let messages = leftover(&props.problems, &parts.shown);
    html! {
        <li ref={node} role="listitem" class={classes!("step", parts.meanwhile.then_some("meanwhile"), depth_class.to_string(), props.open.then_some("open"), (!props.problems.is_empty()).then_some("invalid"))}
            data-path={path.clone()} onkeydown={row_keys(r, act)}>
            <div class="step-row">
                { problem_mark(props.problems.len()) }
                { parts.head }
                <TextField label="label" placeholder="label" value={parts.label.unwrap_or_default()} path={format!("{path}.label")} onchange={label} class="narrow label" />
                { result_bits(props.result.as_ref()) }
                { tools(r, props.open, &parts.what, act) }
            </div>
            { problem_list(&messages) }
            { parts.details }
        </li>
    }
}

/// A call's details, when the row is open.
fn call_details_if_open(props: &RowProps, call: &Call, shown: &mut Vec<&'static str>) -> Html {
    if !props.open {
        return html! {};
    }
    shown.extend(detail_fields(Entry::Step(StepKind::Call), call.api));
    call_details(&CallProps {
        path: &props.row.path,
        call,
        meanwhile: props.row.path.is_meanwhile(),
        ctx: props.ctx.as_deref(),
        act: &props.act,
    })
}

fn step_row_html(props: &RowProps, step: &Step, depth_class: &str, node: NodeRef) -> Html {
    let r = &props.row;
    let act = &props.act;
    let place = Place::Step(r.path.clone());
    let field = |f| set::<String>(act, &place, Key::Step(f));
    let path = r.path.to_string();
    let at = |f: &str| AttrValue::from(format!("{path}.{f}"));
    let mut shown = vec!["do", "label"];
    let main = match &step.action {
        Do::Call(c) => {
            shown.extend(["to", "api"]);
            html! {
                <>
                <span class="arrow" aria-hidden="true">{ "→" }</span>
                { select("to", (c.peer.clone()).into(), props.names.processes.clone(), at("to"), field(F::To), "main") }
                { select("api", c.api.as_str().into(), vocab_options::<Api>(None, &[]), at("api"), field(F::Api), "narrow") }
                </>
            }
        }
        Do::LogonUser { account } => {
            shown.push("account");
            html! { select("account", (account.clone()).into(), props.names.accounts.clone(), at("account"), field(F::Account), "main") }
        }
        Do::Access { resource } | Do::AccessCheck { resource } => {
            shown.push("resource");
            html! { select("resource", (resource.clone()).into(), props.names.resources.clone(), at("resource"), field(F::Resource), "main") }
        }
        Do::OpenThreadToken { as_self } => {
            shown.push("as_self");
            html! { <SelectField label="OpenAsSelf" path={at("as_self")} check={Some((*as_self, set(act, &place, Key::Step(F::AsSelf))))} /> }
        }
        Do::DuplicateToken { level } => {
            shown.push("level");
            html! { select("level", level.as_str().into(), vocab_options::<DupLevel>(None, &[]), at("level"), field(F::Level), "narrow") }
        }
        Do::SetBlanket(b) => {
            shown.push("proxy");
            html! { <TextField label="proxy" value={b.proxy.clone()} path={at("proxy")} onchange={field(F::Proxy)} class="narrow" /> }
        }
        _ => html! {},
    };
    let details = match &step.action {
        Do::Call(c) => call_details_if_open(props, c, &mut shown),
        Do::SetBlanket(b) if props.open => {
            shown.extend(detail_fields(Entry::Step(StepKind::SetBlanket), Api::Com));
            blanket_details(&r.path, b, act)
        }
        _ => html! {},
    };
    let head = html! {
        <>
        <span class="who" title={format!("runs on {}'s thread", r.process)}>{ &r.process }</span>
        { select("do", step.action.name().into(), kinds(), at("do"), field(F::Do), "kind") }
        { main }
        </>
    };
    let what = format!(
        "step {}, {}",
        props.number,
        super::present::step_phrase(&r.process, &step.action)
    );
    row_html(
        props,
        depth_class,
        node,
        Parts {
            meanwhile: false,
            head,
            label: step.label.clone(),
            what,
            shown,
            details,
        },
    )
}

fn meanwhile_row(
    props: &RowProps,
    label: &Option<String>,
    call: &Call,
    depth_class: &str,
    node: NodeRef,
) -> Html {
    let r = &props.row;
    let place = Place::Step(r.path.clone());
    let field = |f| set::<String>(&props.act, &place, Key::Step(f));
    let at = |f: &str| AttrValue::from(format!("{}.{f}", r.path));
    let mut shown = vec!["from", "label", "api"];
    let details = call_details_if_open(props, call, &mut shown);
    let head = html! {
        <>
        <span class="who">{ format!("meanwhile → {}", r.process) }</span>
        <span class="arrow" aria-hidden="true">{ "←" }</span>
        { select("from", (call.peer.clone()).into(), props.names.processes.clone(), at("from"), field(F::To), "main") }
        { select("api", call.api.as_str().into(), vocab_options::<Api>(None, &[]), at("api"), field(F::Api), "narrow") }
        </>
    };
    let what = format!(
        "step {}, meanwhile {} calls {}",
        props.number, call.peer, r.process
    );
    row_html(
        props,
        depth_class,
        node,
        Parts {
            meanwhile: true,
            head,
            label: label.clone(),
            what,
            shown,
            details,
        },
    )
}
