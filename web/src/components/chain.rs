//! The chain editor: the run's root process, then the steps as one flat list of rows (see
//! [`super::rows`]), each a [`StepRow`]; long chains are cut after a few hundred rows with a
//! "show more" button, and shown further when a step beyond them is opened.

use std::collections::HashMap;
use std::rc::Rc;

use impersonation_core::{Problem, Scenario};
use yew::prelude::*;

use super::call_editor::CallCtx;
use super::field::SelectField;
use super::rows::{rows, Names, Row, RowKind};
use super::step_result::StepResults;
use super::step_row::StepRow;
use super::{set, Act};
use crate::state::path::StepPath;
use crate::state::{Key, Place};

/// Rows rendered before "show more".
pub const ROW_PAGE: usize = 300;

/// Problems by the step (or meanwhile entry) they concern, with the rest of their path
/// (`.to`, `.label`, ...).
pub fn problems_by_step(problems: &[Problem]) -> HashMap<StepPath, Vec<(String, String)>> {
    let mut out: HashMap<StepPath, Vec<(String, String)>> = HashMap::new();
    for p in problems {
        if let Some((step, rest)) = StepPath::parse_prefix(p.path()) {
            out.entry(step)
                .or_default()
                .push((rest.to_string(), p.message().to_string()));
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

/// The rows shown: the first `limit`, or when the step at `open` lies beyond them, as many pages
/// of [`ROW_PAGE`] rows as reach it (a step revealed from the result or from a problem's link
/// must be there to be focused). Also the total count of steps and the limit used.
pub fn rows_through_open(
    s: &Scenario,
    limit: usize,
    open: Option<&str>,
) -> (Vec<Row>, usize, usize) {
    let (rows_shown, total) = rows(s, limit);
    let Some(open) = open.and_then(StepPath::parse) else {
        return (rows_shown, total, limit);
    };
    if rows_shown.len() < limit || rows_shown.iter().any(|r| r.path == open) {
        return (rows_shown, total, limit);
    }
    let (mut all, total) = rows(s, usize::MAX);
    let Some(i) = all.iter().position(|r| r.path == open) else {
        return (rows_shown, total, limit);
    };
    let shown = (i / ROW_PAGE + 1) * ROW_PAGE;
    all.truncate(shown);
    (all, total, shown)
}

#[function_component(ChainEditor)]
pub fn chain_editor(props: &ChainProps) -> Html {
    let limit = use_state(|| ROW_PAGE);
    let s = &props.scenario;
    let names = use_memo(Names::of(s), |n| n.clone());
    let by_step = use_memo(props.problems.clone(), |p| problems_by_step(p));
    let (rows, total, shown) = rows_through_open(s, *limit, props.open_step.as_deref());
    // Rows shown through a step opened beyond them (a link from the result or from a problem)
    // stay shown once it is closed: the list does not jump back.
    if shown > *limit {
        limit.set(shown);
    }
    let shown_steps = rows
        .iter()
        .filter(|r| !matches!(r.kind, RowKind::Add { .. }))
        .count();
    let act = &props.act;
    let open_step = props.open_step.as_deref().and_then(StepPath::parse);
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
            <ol class="steps" role="list" aria-label="Steps of the chain">
                { super::chunked(rows.into_iter().scan(0, |n, r| {
                    *n += usize::from(!matches!(r.kind, RowKind::Add { .. }));
                    Some((*n, r))
                }).map(|(number, r)| {
                    let open = open_step.as_ref() == Some(&r.path);
                    let problems = by_step.get(&r.path).cloned().unwrap_or_default();
                    let result = props.results.get(&r.path).cloned();
                    let ctx = if open { CallCtx::of(s, &r, &props.results) } else { None };
                    html! {
                        <StepRow row={r} {number} {open} {problems} {result} {ctx}
                            names={names.clone()} act={act.clone()} />
                    }
                }).collect()) }
            </ol>
            if shown_steps < total {
                <button type="button" class="btn" onclick={more}>
                    { format!("Show more steps ({} of {} shown)", shown_steps, total) }
                </button>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use impersonation_core::model::Action as Do;

    /// A problem is found by its step's parsed path, with the rest of its path; a problem whose
    /// path is not a step's (here an expectation's) belongs to no step.
    #[test]
    fn problems_are_found_by_their_step_path() {
        let mut s =
            impersonation_core::parse(include_str!("../../../core/presets/ntlm-double-hop.json"))
                .unwrap()
                .into_inner();
        let Do::Call(call) = &mut s.run.steps[0].action else {
            panic!("the preset starts with a call");
        };
        let Do::Call(inner) = &mut call.steps[3].action else {
            panic!("its fourth step is a call");
        };
        inner.peer = "nowhere".into();
        // An expectation of a label no step has: a problem of no step.
        call.steps[1].label = None;
        let problems = impersonation_core::Checked::new(s)
            .expect_err("an unknown process, a lost label")
            .problems()
            .to_vec();
        let by_step = problems_by_step(&problems);
        let at = StepPath::parse("run.steps[0].steps[3]").unwrap();
        let found = by_step
            .get(&at)
            .unwrap_or_else(|| panic!("the inner call's problem: {problems:?}"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, ".to");
        assert!(found[0].1.contains("nowhere"), "{}", found[0].1);
        assert!(problems.len() > 1, "{problems:?}");
        assert_eq!(
            by_step.len(),
            1,
            "an expectation belongs to no step: {by_step:?}"
        );
    }
}
