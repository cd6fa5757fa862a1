//! The chain editor: the run's steps as one flat list of rows, indented by nesting (a call's
//! steps are what the callee does; `meanwhile` entries are calls arriving while the caller
//! waits). Rows are small components with value props, so an edit re-renders only the rows it
//! changed; long chains are cut after a few hundred rows with a "show more" button.

use std::collections::HashMap;
use std::rc::Rc;

use impersonation_core::model::{Action as Do, Call, Scenario, Step};
use impersonation_core::Problem;
use yew::prelude::*;

use super::call_editor::{blanket_details, call_details, BlanketProps, CallCtx, CallProps};
use super::field::{name_options, problem_list, SelectField, TextField};
use super::Dispatch;
use crate::state::edit as ops;
use crate::state::path::{target, Seg, StepPath};
use crate::state::{Action, Edit};

/// Rows rendered before "show more".
pub const ROW_PAGE: usize = 300;

/// What the outcome says about one step, for its row.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub summary: Rc<str>,
    /// `ok`, `fail` or `anon`.
    pub class: &'static str,
    /// For calls: the package, level and delegation the core used.
    pub used: Option<Rc<str>>,
    /// For calls: the level the callee got and the package, inline on the row
    /// (`→ impersonate · Kerberos`), from the event.
    pub level: Option<Rc<str>>,
}

/// Results by step path.
pub type StepResults = HashMap<String, StepResult>;

/// The result of every step of an outcome (its first event; `return` events are skipped).
pub fn step_results(outcome: &impersonation_core::Outcome) -> StepResults {
    let mut out = StepResults::new();
    for e in &outcome.events {
        if e.action == "return" {
            continue;
        }
        out.entry(e.step.clone()).or_insert_with(|| {
            let used = (e.action == "call").then(|| {
                let mut parts: Vec<String> = Vec::new();
                if let Some(a) = e.authn {
                    parts.push(a.to_string());
                }
                if let Some(l) = e.authn_level {
                    parts.push(l.to_string());
                }
                if let Some(d) = e.delegation {
                    parts.push(format!("delegation: {d}"));
                }
                Rc::from(parts.join(" · "))
            });
            StepResult {
                summary: Rc::from(super::present::summary(e)),
                class: super::present::status_class(e),
                used,
                level: inline_level(e),
            }
        });
    }
    out
}

/// A call's effective level and package as its row shows them: `→ impersonate · Kerberos`
/// (either part alone when the event has only one of them).
pub fn inline_level(e: &impersonation_core::Event) -> Option<Rc<str>> {
    if e.action != "call" {
        return None;
    }
    let level = match e.seen_level {
        Some(Some(l)) => Some(l.as_str()),
        _ => None,
    };
    let package = e.authn.map(super::present::package_name);
    let text = match (level, package) {
        (Some(l), Some(p)) => format!("→ {l} · {p}"),
        (Some(x), None) | (None, Some(x)) => format!("→ {x}"),
        (None, None) => return None,
    };
    Some(text.into())
}

/// Pickers' choices, shared by every row (one allocation per change of the cast).
#[derive(Debug, Clone, PartialEq)]
pub struct Names {
    pub processes: Rc<Vec<(AttrValue, AttrValue)>>,
    pub accounts: Rc<Vec<(AttrValue, AttrValue)>>,
    pub resources: Rc<Vec<(AttrValue, AttrValue)>>,
}

impl Names {
    pub fn of(s: &Scenario) -> Names {
        Names {
            processes: name_options(s.processes.keys()),
            accounts: name_options(s.accounts.keys().filter(|a| !a.ends_with('$'))),
            resources: name_options(s.resources.keys()),
        }
    }
}

/// What a row shows.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A step, without its nested steps (they have rows of their own).
    Step(Step),
    /// A meanwhile entry: a call from `call.peer` arriving while the caller waits.
    Meanwhile { label: Option<String>, call: Call },
    /// The "add a step" control of a list; `in_call` when the list is a call's steps (then a
    /// meanwhile call can be added to that call too).
    Add { in_call: bool, who: String },
}

fn shallow(step: &Step) -> Step {
    match &step.action {
        Do::Call(c) => Step {
            label: step.label.clone(),
            action: Do::Call(Box::new(shallow_call(c))),
        },
        _ => step.clone(),
    }
}

fn shallow_call(c: &Call) -> Call {
    Call {
        steps: Vec::new(),
        meanwhile: Vec::new(),
        ..c.clone()
    }
}

/// One row of the flat list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The step's path, or for an Add row the path of the list's holder (`run` for the root).
    pub path: StepPath,
    pub depth: u32,
    pub kind: RowKind,
    /// The process whose thread runs the step (for a meanwhile row, the process it calls).
    pub process: String,
    pub first: bool,
    pub last: bool,
    pub can_indent: bool,
}

enum Work<'a> {
    Steps {
        parent: StepPath,
        steps: &'a [Step],
        next: usize,
        depth: u32,
        process: &'a str,
        in_meanwhile: bool,
    },
    Row(Row),
}

/// The rows of the chain, in document order, at most `limit` of them; also the total.
pub fn rows(s: &Scenario, limit: usize) -> (Vec<Row>, usize) {
    let total = ops::count_steps(s);
    let mut out = Vec::new();
    let mut stack = vec![
        Work::Row(Row {
            path: StepPath::root(),
            depth: 0,
            kind: RowKind::Add {
                in_call: false,
                who: s.run.process.clone(),
            },
            process: s.run.process.clone(),
            first: false,
            last: false,
            can_indent: false,
        }),
        Work::Steps {
            parent: StepPath::root(),
            steps: &s.run.steps,
            next: 0,
            depth: 0,
            process: &s.run.process,
            in_meanwhile: false,
        },
    ];
    while let Some(work) = stack.pop() {
        if out.len() >= limit {
            break;
        }
        match work {
            Work::Row(r) => out.push(r),
            Work::Steps {
                parent,
                steps,
                next,
                depth,
                process,
                in_meanwhile,
            } => {
                let Some(step) = steps.get(next) else {
                    continue;
                };
                let path = parent.child_step(next);
                let can_indent = next > 0 && matches!(steps[next - 1].action, Do::Call(_));
                out.push(Row {
                    path: path.clone(),
                    depth,
                    kind: RowKind::Step(shallow(step)),
                    process: process.to_string(),
                    first: next == 0,
                    last: next + 1 == steps.len(),
                    can_indent,
                });
                stack.push(Work::Steps {
                    parent: parent.clone(),
                    steps,
                    next: next + 1,
                    depth,
                    process,
                    in_meanwhile,
                });
                let Do::Call(call) = &step.action else {
                    continue;
                };
                for (j, mw) in call.meanwhile.iter().enumerate().rev() {
                    let mpath = path.child_meanwhile(j);
                    stack.push(Work::Row(Row {
                        path: mpath.clone(),
                        depth: depth + 2,
                        kind: RowKind::Add {
                            in_call: false,
                            who: process.to_string(),
                        },
                        process: process.to_string(),
                        first: false,
                        last: false,
                        can_indent: false,
                    }));
                    stack.push(Work::Steps {
                        parent: mpath.clone(),
                        steps: &mw.call.steps,
                        next: 0,
                        depth: depth + 2,
                        process,
                        in_meanwhile: true,
                    });
                    stack.push(Work::Row(Row {
                        path: mpath,
                        depth: depth + 1,
                        kind: RowKind::Meanwhile {
                            label: mw.label.clone(),
                            call: shallow_call(&mw.call),
                        },
                        process: process.to_string(),
                        first: j == 0,
                        last: j + 1 == call.meanwhile.len(),
                        can_indent: false,
                    }));
                }
                stack.push(Work::Row(Row {
                    path: path.clone(),
                    depth: depth + 1,
                    kind: RowKind::Add {
                        in_call: true,
                        who: call.peer.clone(),
                    },
                    process: call.peer.clone(),
                    first: false,
                    last: false,
                    can_indent: false,
                }));
                stack.push(Work::Steps {
                    parent: path,
                    steps: &call.steps,
                    next: 0,
                    depth: depth + 1,
                    process: &call.peer,
                    in_meanwhile: false,
                });
                let _ = in_meanwhile;
            }
        }
    }
    (out, total)
}

/// Problems by the step (or meanwhile entry) they concern, with the rest of their path
/// (`.to`, `.label`, ...).
pub fn problems_by_step(problems: &[Problem]) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for p in problems {
        if let Some(step) = target(p.path()).step {
            let key = step.to_string();
            let rest = p.path()[key.len()..].to_string();
            out.entry(key)
                .or_default()
                .push((rest, p.message().to_string()));
        }
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct ChainProps {
    pub scenario: Rc<Scenario>,
    pub open_step: Option<String>,
    pub results: Rc<StepResults>,
    pub problems: Rc<Vec<Problem>>,
    pub dispatch: Dispatch,
}

#[function_component(ChainEditor)]
pub fn chain_editor(props: &ChainProps) -> Html {
    let limit = use_state(|| ROW_PAGE);
    let s = &props.scenario;
    let names = use_memo(Names::of(s), |n| n.clone());
    let by_step = use_memo(props.problems.clone(), |p| problems_by_step(p));
    let (rows, total) = rows(s, *limit);
    let shown_steps = rows
        .iter()
        .filter(|r| !matches!(r.kind, RowKind::Add { .. }))
        .count();
    let d = &props.dispatch;
    let root = super::edit(d, None, |s, v: String| s.run.process = v);
    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + ROW_PAGE * 3))
    };
    html! {
        <div class="chain">
            <div class="chain-head">
                <SelectField label="The chain starts in process" value={s.run.process.clone()}
                    options={names.processes.clone()} path="run.process" onchange={root} />
                <p class="hint">{ "Each call's indented steps are what the callee does while serving it. Alt+↑/↓ moves a step; Alt+→ nests it into the call above; Alt+← takes it out." }</p>
            </div>
            <ol class="steps" aria-label="Steps of the chain">
                { for rows.into_iter().scan(0, |n, r| {
                    *n += usize::from(!matches!(r.kind, RowKind::Add { .. }));
                    Some((*n, r))
                }).map(|(number, r)| {
                    let path = r.path.to_string();
                    let open = props.open_step.as_deref() == Some(path.as_str());
                    let problems = by_step.get(&path).cloned().unwrap_or_default();
                    let result = props.results.get(&path).cloned();
                    let ctx = if open { CallCtx::of(s, &r, &props.results) } else { None };
                    html! {
                        <StepRow row={r} {number} {open} {problems} {result} {ctx}
                            names={names.clone()} dispatch={d.clone()} />
                    }
                }) }
            </ol>
            if shown_steps < total {
                <button type="button" class="btn" onclick={more}>
                    { format!("Show more steps ({} of {} shown)", shown_steps, total) }
                </button>
            }
        </div>
    }
}

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
    pub dispatch: Dispatch,
}

/// A structural edit of the step at `path` that may move it; the row follows it.
fn structural(
    d: &Dispatch,
    path: &StepPath,
    f: fn(&mut Scenario, &StepPath) -> Option<StepPath>,
) -> Callback<()> {
    let d = d.clone();
    let path = path.clone();
    Callback::from(move |_| {
        let moved = Rc::new(std::cell::RefCell::new(None::<String>));
        let m = moved.clone();
        let p = path.clone();
        let edit = Edit::new(move |s| {
            *m.borrow_mut() = f(s, &p).map(|x| x.to_string());
        });
        // Focus stays on the moved step: the same control of its row, once it is drawn there.
        let focused = crate::hooks::focus_in_row();
        let after = moved.clone();
        d.dispatch(Action::EditThenOpen(
            edit,
            Rc::new(move |_| moved.borrow().clone()),
        ));
        if let Some(i) = focused {
            gloo::timers::callback::Timeout::new(0, move || {
                if let Some(p) = after.borrow().as_deref() {
                    crate::hooks::focus_row(p, i);
                }
            })
            .forget();
        }
    })
}

fn field_edit<T: Clone + 'static>(
    d: &Dispatch,
    path: &StepPath,
    key: Option<&str>,
    f: fn(&mut Step, T),
) -> Callback<T> {
    let path = path.clone();
    let key = key.map(|k| format!("{path}.{k}"));
    super::edit(d, key.as_deref(), move |s: &mut Scenario, v: T| {
        if let Some(step) = crate::state::path::step_at_mut(s, &path) {
            f(step, v);
        }
    })
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

fn dup_levels() -> Rc<Vec<(AttrValue, AttrValue)>> {
    super::field::vocab_options::<impersonation_core::model::DupLevel>(None, false)
}

fn apis() -> Rc<Vec<(AttrValue, AttrValue)>> {
    super::field::vocab_options::<impersonation_core::model::Api>(None, false)
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
    let d = &props.dispatch;
    let depth_class = format!("d{}", r.depth.min(12));
    match &r.kind {
        RowKind::Add { in_call, who } => add_row(r, *in_call, who, d, &depth_class),
        RowKind::Meanwhile { label, call } => meanwhile_row(props, label, call, &depth_class, node),
        RowKind::Step(step) => step_row_html(props, step, &depth_class, node),
    }
}

fn add_row(r: &Row, in_call: bool, who: &str, d: &Dispatch, depth_class: &str) -> Html {
    let d = d.clone();
    let parent = r.path.clone();
    let process = r.process.clone();
    let onchange = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let kind = select.value();
        select.set_value("");
        if kind.is_empty() {
            return;
        }
        let parent = parent.clone();
        let process = process.clone();
        let opened = Rc::new(std::cell::RefCell::new(None::<String>));
        let o = opened.clone();
        let edit = Edit::new(move |s| {
            let at = if kind == "meanwhile" {
                let from = s
                    .processes
                    .keys()
                    .find(|p| **p != process)
                    .cloned()
                    .unwrap_or_else(|| process.clone());
                // `parent` is the call; its meanwhile calls arrive at the call's caller.
                ops::add_meanwhile(s, &parent, &from)
            } else {
                let step = ops::new_step(s, &kind, &process);
                ops::insert_step(s, &parent, usize::MAX, step)
            };
            *o.borrow_mut() = at.map(|p| p.to_string());
        });
        d.dispatch(Action::EditThenOpen(
            edit,
            Rc::new(move |_| opened.borrow().clone()),
        ));
    });
    let label = if in_call {
        format!("Add a step to what {who} does")
    } else if r.path.is_meanwhile() {
        format!("Add a step to what {who} does with this re-entrant call")
    } else {
        format!("Add a step run by {who}")
    };
    html! {
        <li class={classes!("add", depth_class.to_string())}>
            <label class="add-label">
                <span class="sr-only">{ label.clone() }</span>
                <select {onchange} title={label.clone()}>
                    <option value="" selected=true>{ if in_call { format!("+ step in {who}…") } else { format!("+ step ({who})…") } }</option>
                    { for Do::NAMES.iter().map(|n| html! { <option value={*n}>{ *n }</option> }) }
                    if in_call {
                        <option value="meanwhile">{ "meanwhile — a re-entrant call arrives while waiting" }</option>
                    }
                </select>
            </label>
        </li>
    }
}

/// The mark of a row that a problem concerns: "⚠", named "2 problems" for assistive technology.
fn problem_mark(n: usize) -> Html {
    if n == 0 {
        return html! {};
    }
    let name = format!(
        "{} in this step",
        impersonation_core::text::count(n, "problem")
    );
    html! { <span class="mark" role="img" aria-label={name.clone()} title={name}>{ "⚠" }</span> }
}

/// What the outcome says about a row: a call's effective level and package, and the summary
/// chip.
fn result_bits(res: Option<&StepResult>) -> Html {
    let Some(res) = res else { return html! {} };
    html! {
        <>
        if let Some(level) = &res.level {
            <span class="eff" title="The level the callee got, and the package (from the result)">{ level.to_string() }</span>
        }
        <span class={classes!("chip", res.class)} title={res.summary.to_string()}>{ res.summary.to_string() }</span>
        </>
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

fn tools(props: &RowProps, what: &str) -> Html {
    let r = &props.row;
    let d = &props.dispatch;
    let path = r.path.clone();
    let up = structural(d, &path, |s, p| ops::move_by(s, p, -1));
    let down = structural(d, &path, |s, p| ops::move_by(s, p, 1));
    let indent = structural(d, &path, ops::indent);
    let outdent = structural(d, &path, ops::outdent);
    let can_outdent = matches!(r.path.parent().0.last(), Some(Seg::Step(_)));
    let remove = {
        let p = path.clone();
        super::edit(d, None, move |s, _: ()| ops::remove(s, &p)).reform(|_| ())
    };
    let toggle = {
        let d = d.clone();
        let open = props.open;
        let p = path.to_string();
        Callback::from(move |_| d.dispatch(Action::OpenStep((!open).then(|| p.clone()))))
    };
    let is_step = matches!(r.kind, RowKind::Step(_));
    html! {
        <span class="tools">
            { tool(format!("Move {what}, up"), "Move up (Alt+↑)", "↑", r.first, up.reform(|_| ())) }
            { tool(format!("Move {what}, down"), "Move down (Alt+↓)", "↓", r.last, down.reform(|_| ())) }
            if is_step {
                { tool(format!("Nest {what}, into the call above"), "Nest into the call above (Alt+→)", "→", !r.can_indent, indent.reform(|_| ())) }
                { tool(format!("Move {what}, out of its call"), "Out of its call (Alt+←)", "←", !can_outdent, outdent.reform(|_| ())) }
            }
            <button type="button" class={classes!("icon", props.open.then_some("on"))} aria-label={format!("Details of {what}")}
                aria-expanded={props.open.to_string()} title="All fields" onclick={toggle}>{ "⋯" }</button>
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
    disabled: bool,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! { <button type="button" class="icon" aria-label={label} {title} {disabled} {onclick}>{ text }</button> }
}

/// Alt+arrows on a row move its step.
fn row_keys(props: &RowProps) -> Callback<KeyboardEvent> {
    let d = props.dispatch.clone();
    let path = props.row.path.clone();
    let is_step = matches!(props.row.kind, RowKind::Step(_));
    Callback::from(move |e: KeyboardEvent| {
        if !e.alt_key() {
            return;
        }
        let f: fn(&mut Scenario, &StepPath) -> Option<StepPath> = match e.key().as_str() {
            "ArrowUp" => |s, p| ops::move_by(s, p, -1),
            "ArrowDown" => |s, p| ops::move_by(s, p, 1),
            "ArrowRight" if is_step => ops::indent,
            "ArrowLeft" if is_step => ops::outdent,
            _ => return,
        };
        e.prevent_default();
        structural(&d, &path, f).emit(());
    })
}

fn step_row_html(props: &RowProps, step: &Step, depth_class: &str, node: NodeRef) -> Html {
    let r = &props.row;
    let d = &props.dispatch;
    let path = r.path.to_string();
    let at = |f: &str| AttrValue::from(format!("{path}.{f}"));
    let name = step.action.name();
    let what = format!(
        "step {}, {}",
        props.number,
        super::present::step_phrase(&r.process, &step.action)
    );
    let kind = {
        let p = r.path.clone();
        super::edit(d, None, move |s, v: String| ops::set_kind(s, &p, &v))
    };
    let label = field_edit(d, &r.path, Some("label"), |st, v: String| {
        st.label = (!v.is_empty()).then_some(v)
    });
    let mut shown = vec!["do", "label"];
    let main = match &step.action {
        Do::Call(c) => {
            shown.extend(["to", "api"]);
            let to = field_edit(d, &r.path, None, |st, v: String| {
                if let Do::Call(c) = &mut st.action {
                    c.peer = v
                }
            });
            let api = field_edit(d, &r.path, None, |st, v: String| {
                if let (Do::Call(c), Some(a)) = (&mut st.action, <impersonation_core::model::Api as impersonation_core::model::Vocabulary>::parse(&v)) {
                    c.api = a
                }
            });
            html! {
                <>
                <span class="arrow" aria-hidden="true">{ "→" }</span>
                { super::field::select("to", (c.peer.clone()).into(), props.names.processes.clone(), at("to"), to, "main") }
                { super::field::select("api", (impersonation_core::model::Vocabulary::as_str(c.api)).into(), apis(), at("api"), api, "narrow") }
                </>
            }
        }
        Do::LogonUser { account } => {
            shown.push("account");
            let f = field_edit(d, &r.path, None, |st, v: String| {
                if let Do::LogonUser { account } = &mut st.action {
                    *account = v
                }
            });
            html! { super::field::select("account", (account.clone()).into(), props.names.accounts.clone(), at("account"), f, "main") }
        }
        Do::Access { resource } | Do::AccessCheck { resource } => {
            shown.push("resource");
            let f = field_edit(d, &r.path, None, |st, v: String| match &mut st.action {
                Do::Access { resource } | Do::AccessCheck { resource } => *resource = v,
                _ => {}
            });
            html! { super::field::select("resource", (resource.clone()).into(), props.names.resources.clone(), at("resource"), f, "main") }
        }
        Do::OpenThreadToken { as_self } => {
            shown.push("as_self");
            let f = field_edit(d, &r.path, None, |st, v: bool| {
                if let Do::OpenThreadToken { as_self } = &mut st.action {
                    *as_self = v
                }
            });
            html! { <SelectField label="OpenAsSelf" path={at("as_self")} check={Some((*as_self, f))} /> }
        }
        Do::DuplicateToken { level } => {
            shown.push("level");
            let f = field_edit(d, &r.path, None, |st, v: String| {
                if let (Do::DuplicateToken { level }, Some(l)) = (&mut st.action, <impersonation_core::model::DupLevel as impersonation_core::model::Vocabulary>::parse(&v)) {
                    *level = l
                }
            });
            html! { super::field::select("level", (impersonation_core::model::Vocabulary::as_str(*level)).into(), dup_levels(), at("level"), f, "narrow") }
        }
        Do::SetBlanket(b) => {
            shown.push("proxy");
            let f = field_edit(d, &r.path, Some("proxy"), |st, v: String| {
                if let Do::SetBlanket(b) = &mut st.action {
                    b.proxy = v
                }
            });
            html! { <TextField label="proxy" value={b.proxy.clone()} path={at("proxy")} onchange={f} class="narrow" /> }
        }
        _ => html! {},
    };
    let details = if props.open {
        match &step.action {
            Do::Call(c) => {
                shown.extend(super::call_editor::CALL_FIELDS);
                call_details(&CallProps {
                    path: &r.path,
                    call: c,
                    meanwhile: false,
                    ctx: props.ctx.as_deref(),
                    dispatch: d,
                })
            }
            Do::SetBlanket(b) => {
                shown.extend(["authn", "authn_level", "imp_level", "cloaking"]);
                blanket_details(&BlanketProps {
                    path: &r.path,
                    blanket: b,
                    dispatch: d,
                })
            }
            _ => html! {},
        }
    } else {
        html! {}
    };
    let messages = leftover(&props.problems, &shown);
    let invalid = !props.problems.is_empty();
    html! {
        <li ref={node} class={classes!("step", depth_class.to_string(), props.open.then_some("open"), invalid.then_some("invalid"))}
            data-path={path.clone()} onkeydown={row_keys(props)}>
            <div class="step-row">
                { problem_mark(props.problems.len()) }
                <span class="who" title={format!("runs on {}'s thread", r.process)}>{ &r.process }</span>
                { super::field::select("do", (name).into(), kinds(), at("do"), kind, "kind") }
                { main }
                <TextField label="label" placeholder="label" value={step.label.clone().unwrap_or_default()} path={at("label")} onchange={label} class="narrow label" />
                { result_bits(props.result.as_ref()) }
                { tools(props, &what) }
            </div>
            { problem_list(&messages) }
            { details }
        </li>
    }
}

type MeanwhileEdit = Rc<dyn Fn(&mut impersonation_core::model::Meanwhile, String)>;

fn meanwhile_row(
    props: &RowProps,
    label: &Option<String>,
    call: &Call,
    depth_class: &str,
    node: NodeRef,
) -> Html {
    let r = &props.row;
    let d = &props.dispatch;
    let path = r.path.to_string();
    let at = |f: &str| AttrValue::from(format!("{path}.{f}"));
    let mp = r.path.clone();
    let dd = d.clone();
    let edit_mw = move |key: Option<&str>, f: MeanwhileEdit| {
        let d = dd.clone();
        let p = mp.clone();
        let key = key.map(|k| format!("{p}.{k}"));
        Callback::from(move |v: String| {
            let p = p.clone();
            let f = f.clone();
            let apply = move |s: &mut Scenario| {
                if let Some(m) = crate::state::path::meanwhile_at_mut(s, &p) {
                    f(m, v.clone())
                }
            };
            d.dispatch(Action::Edit(match &key {
                Some(k) => Edit::typing(k.as_str(), apply),
                None => Edit::new(apply),
            }))
        })
    };
    let from = edit_mw(None, Rc::new(|m, v| m.call.peer = v));
    let lab = edit_mw(
        Some("label"),
        Rc::new(|m, v| m.label = (!v.is_empty()).then_some(v)),
    );
    let api = edit_mw(
        None,
        Rc::new(|m, v| {
            if let Some(a) =
                <impersonation_core::model::Api as impersonation_core::model::Vocabulary>::parse(&v)
            {
                m.call.api = a
            }
        }),
    );
    let mut shown = vec!["from", "label", "api"];
    let details = if props.open {
        shown.extend(super::call_editor::CALL_FIELDS);
        call_details(&CallProps {
            path: &r.path,
            call,
            meanwhile: true,
            ctx: props.ctx.as_deref(),
            dispatch: d,
        })
    } else {
        html! {}
    };
    let messages = leftover(&props.problems, &shown);
    let what = format!(
        "step {}, meanwhile {} calls {}",
        props.number, call.peer, r.process
    );
    html! {
        <li ref={node} class={classes!("step", "meanwhile", depth_class.to_string(), props.open.then_some("open"), (!props.problems.is_empty()).then_some("invalid"))}
            data-path={path.clone()} onkeydown={row_keys(props)}>
            <div class="step-row">
                { problem_mark(props.problems.len()) }
                <span class="who">{ format!("meanwhile → {}", r.process) }</span>
                <span class="arrow" aria-hidden="true">{ "←" }</span>
                { super::field::select("from", (call.peer.clone()).into(), props.names.processes.clone(), at("from"), from, "main") }
                { super::field::select("api", (impersonation_core::model::Vocabulary::as_str(call.api)).into(), apis(), at("api"), api, "narrow") }
                <TextField label="label" placeholder="label" value={label.clone().unwrap_or_default()} path={at("label")} onchange={lab} class="narrow label" />
                { result_bits(props.result.as_ref()) }
                { tools(props, &what) }
            </div>
            { problem_list(&messages) }
            { details }
        </li>
    }
}
