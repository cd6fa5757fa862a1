//! The chain editor: the run's root process, then the steps as one flat list of rows (see
//! [`super::rows`]), each a [`StepRow`]; long chains are cut after a few hundred rows with a
//! "show more" button.

use std::collections::HashMap;
use std::rc::Rc;

use impersonation_core::{Problem, Scenario};
use yew::prelude::*;

use super::call_editor::CallCtx;
use super::field::SelectField;
use super::rows::{rows, Names, RowKind};
use super::step_result::StepResults;
use super::step_row::StepRow;
use super::{set, Act};
use crate::state::path::target;
use crate::state::{Key, Place};

/// Rows rendered before "show more".
pub const ROW_PAGE: usize = 300;

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
    pub act: Act,
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
    let act = &props.act;
    let root = set::<String>(act, &Place::Scenario, Key::RunProcess);
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
                            names={names.clone()} act={act.clone()} />
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
