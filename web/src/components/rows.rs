//! The chain as one flat list of rows, in document order, indented by nesting: a call's steps
//! are what the callee does; `meanwhile` entries are calls arriving while the caller waits;
//! each list ends with an "add a step" row. Pure data, derived from the scenario.

use std::rc::Rc;

use impersonation_core::model::{Action as Do, Api, Call, Scenario, Step};
use yew::AttrValue;

use super::field::name_options;
use crate::state::edit as ops;
use crate::state::path::StepPath;

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
    /// The "add a step" control of a list; `in_call` is the api of the call whose steps the list
    /// holds, if it does (then a meanwhile call can be added to that call too, unless it is an
    /// http call: SPEC §7.3).
    Add { in_call: Option<Api>, who: String },
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
                in_call: None,
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
                            in_call: None,
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
                        in_call: Some(call.api),
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
                });
            }
        }
    }
    (out, total)
}
