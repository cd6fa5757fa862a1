//! The sequence diagram (SVG): a lifeline per process, grouped by machine; an arrow per call,
//! labelled with whom the callee sees and at what level, coloured by status; each lifeline's
//! thread token over time as a bar coloured by level (none while the thread runs on its
//! process token). Long outcomes are cut after `limit` rows.

use std::collections::HashMap;
use std::rc::Rc;

use impersonation_core::{Event, Outcome, Scenario};
use yew::prelude::*;

use super::present::{action_title, clip, short_name, status_class, summary};

/// One lifeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The process, or for a machine without processes, the machine (its files).
    pub name: String,
    pub machine: String,
    pub files: bool,
}

/// The lifelines, grouped by machine in the scenario's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lanes {
    pub lanes: Vec<Lane>,
}

impl Lanes {
    pub fn of(s: &Scenario) -> Lanes {
        let mut lanes = Vec::new();
        for m in &s.machines {
            let before = lanes.len();
            for (name, p) in &s.processes {
                if &p.machine == m {
                    lanes.push(Lane {
                        name: name.clone(),
                        machine: m.clone(),
                        files: false,
                    });
                }
            }
            if lanes.len() == before {
                lanes.push(Lane {
                    name: m.clone(),
                    machine: m.clone(),
                    files: true,
                });
            }
        }
        Lanes { lanes }
    }

    fn process(&self, name: &str) -> Option<usize> {
        self.lanes.iter().position(|l| !l.files && l.name == name)
    }

    fn machine(&self, machine: &str) -> Option<usize> {
        self.lanes.iter().position(|l| l.machine == machine)
    }
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub outcome: Rc<Outcome>,
    pub lanes: Rc<Lanes>,
    #[prop_or_default]
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// Events drawn at most (more behind a button).
    #[prop_or(300)]
    pub limit: usize,
    #[prop_or_default]
    pub compact: bool,
    /// Rows to emphasise (the comparison's differences).
    #[prop_or_default]
    pub marked: Rc<Vec<bool>>,
    pub label: AttrValue,
}

const ROW: f64 = 30.0;
const TOP: f64 = 58.0;
const PAD: f64 = 8.0;

fn level_class(level: Option<impersonation_core::model::TokenLevel>) -> &'static str {
    use impersonation_core::model::TokenLevel::*;
    match level {
        None => "lv-none",
        Some(Anonymous) => "lv-anonymous",
        Some(Identify) => "lv-identify",
        Some(Impersonate) => "lv-impersonate",
        Some(Delegate) => "lv-delegate",
    }
}

fn arrow_head(x: f64, y: f64, dir: f64, class: &'static str) -> Html {
    let p = format!(
        "{x},{y} {},{} {},{}",
        x - 7.0 * dir,
        y - 4.0,
        x - 7.0 * dir,
        y + 4.0
    );
    html! { <polygon class={classes!("head", class)} points={p} /> }
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let limit = use_state(|| props.limit);
    let events = &props.outcome.events;
    let shown = events.len().min(*limit);
    let lanes = &props.lanes.lanes;
    let col = if props.compact { 118.0 } else { 150.0 };
    let width = PAD * 2.0 + col * lanes.len().max(1) as f64;
    let height = TOP + ROW * shown as f64 + 12.0;
    let x = |i: usize| PAD + col * i as f64 + col / 2.0;
    let y = |row: usize| TOP + ROW * row as f64 + ROW / 2.0;
    let chars = if props.compact { 17 } else { 22 };

    // Machine groups.
    let mut groups: Vec<(String, usize, usize)> = Vec::new();
    for (i, l) in lanes.iter().enumerate() {
        match groups.last_mut() {
            Some((m, _, n)) if *m == l.machine => *n += 1,
            _ => groups.push((l.machine.clone(), i, 1)),
        }
    }

    // Token bars: per lane, the token after each event on it, until the next one.
    let mut bars: Vec<Html> = Vec::new();
    let mut last: Vec<Option<(usize, &Event)>> = vec![None; lanes.len()];
    let close = |lane: usize,
                 from: usize,
                 to_row: f64,
                 e: &Event,
                 prev_identity: Option<&str>,
                 bars: &mut Vec<Html>| {
        if e.level.is_none() {
            return;
        }
        let top = y(from);
        let h = (to_row - top).max(4.0);
        let cx = x(lane);
        bars.push(html! {
            <rect class={classes!("bar", level_class(e.level))} x={(cx - 4.0).to_string()} y={top.to_string()}
                width="8" height={h.to_string()} rx="2">
                <title>{ format!("thread token: {} @ {}", e.identity, e.level.map(|l| l.as_str()).unwrap_or("")) }</title>
            </rect>
        });
        if prev_identity != Some(e.identity.as_str()) {
            bars.push(html! {
                <text class="bar-label" x={(cx + 7.0).to_string()} y={(top + 11.0).to_string()}>
                    { clip(short_name(&e.identity), 14) }
                </text>
            });
        }
    };
    let mut prev_ids: Vec<Option<String>> = vec![None; lanes.len()];
    for (row, e) in events.iter().take(shown).enumerate() {
        let Some(lane) = props.lanes.process(&e.process) else {
            continue;
        };
        if let Some((r0, e0)) = last[lane] {
            let prev = prev_ids[lane].clone();
            close(lane, r0, y(row), e0, prev.as_deref(), &mut bars);
            prev_ids[lane] = e0.level.map(|_| e0.identity.clone());
        }
        last[lane] = Some((row, e));
    }
    for (lane, l) in last.iter().enumerate() {
        if let Some((r0, e0)) = l {
            let prev = prev_ids[lane].clone();
            close(lane, *r0, height - 8.0, e0, prev.as_deref(), &mut bars);
        }
    }

    // Calls by step, to draw returns back to their caller.
    let mut calls: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut rows: Vec<Html> = Vec::with_capacity(shown);
    for (row, e) in events.iter().take(shown).enumerate() {
        let yy = y(row);
        let class = status_class(e);
        let selected = props.selected == Some(row);
        let marked = props.marked.get(row).copied().unwrap_or(false);
        let on_select = props.on_select.clone();
        let onclick = Callback::from(move |_| on_select.emit(row));
        let from = props.lanes.process(&e.process);
        let body: Html = match e.action {
            "call" => {
                if let Some(to) = &e.to {
                    calls.insert(e.step.as_str(), (e.process.as_str(), to.as_str()));
                }
                let (Some(a), Some(b)) =
                    (from, e.to.as_deref().and_then(|t| props.lanes.process(t)))
                else {
                    continue;
                };
                let (x1, x2) = (x(a), x(b));
                let dir = if x2 >= x1 { 1.0 } else { -1.0 };
                let self_call = a == b;
                let text = summary(e);
                let label_x = if self_call {
                    x1 + 10.0
                } else {
                    (x1 + x2) / 2.0
                };
                html! {
                    <>
                    if self_call {
                        <path class={classes!("msg", class)} d={format!("M{x1},{} h24 v12 h-20", yy - 6.0)} />
                        { arrow_head(x1 + 4.0, yy + 6.0, -1.0, class) }
                    } else {
                        <line class={classes!("msg", class, e.detail.nested.then_some("nested"))} x1={x1.to_string()} y1={yy.to_string()}
                            x2={(x2 - 6.0 * dir).to_string()} y2={yy.to_string()} />
                        { arrow_head(x2 - 5.0 * dir, yy, dir, class) }
                    }
                    <text class={classes!("msg-label", class)} x={label_x.to_string()} y={(yy - 5.0).to_string()}
                        text-anchor={if self_call { "start" } else { "middle" }}>
                        { clip(&text, chars + 12) }
                    </text>
                    </>
                }
            }
            "return" => {
                let pair = calls.get(e.step.as_str()).copied();
                let (caller, callee) = pair.unwrap_or((e.process.as_str(), e.process.as_str()));
                let (Some(a), Some(b)) = (props.lanes.process(callee), props.lanes.process(caller))
                else {
                    continue;
                };
                if a == b {
                    html! {
                        <text class="msg-label ret" x={(x(a) + 10.0).to_string()} y={(yy + 4.0).to_string()}>{ "↩ return" }</text>
                    }
                } else {
                    let (x1, x2) = (x(a), x(b));
                    let dir = if x2 >= x1 { 1.0 } else { -1.0 };
                    html! {
                        <>
                        <line class={classes!("msg", "ret", class)} x1={x1.to_string()} y1={yy.to_string()}
                            x2={(x2 - 6.0 * dir).to_string()} y2={yy.to_string()} />
                        { arrow_head(x2 - 5.0 * dir, yy, dir, "ret") }
                        <text class="msg-label ret" x={((x1 + x2) / 2.0).to_string()} y={(yy - 5.0).to_string()} text-anchor="middle">
                            { clip(&format!("return · {} {}", short_name(&e.identity), e.level.map(|l| l.as_str()).unwrap_or("(self)")), chars + 10) }
                        </text>
                        </>
                    }
                }
            }
            _ => {
                let Some(a) = from else { continue };
                let remote = e
                    .detail
                    .remote_machine
                    .as_deref()
                    .and_then(|m| props.lanes.machine(m))
                    .filter(|b| *b != a);
                let cx = x(a);
                let w = col - 26.0;
                let text = match (e.action, e.status) {
                    (act, "ok") => action_title(act).to_string(),
                    (act, status) => format!("{} ✗ {status}", action_title(act)),
                };
                html! {
                    <>
                    if let Some(b) = remote {
                        <line class={classes!("msg", "remote", class)} x1={cx.to_string()} y1={yy.to_string()}
                            x2={(x(b) - 6.0 * if x(b) > cx { 1.0 } else { -1.0 }).to_string()} y2={yy.to_string()} />
                        { arrow_head(x(b) - 5.0 * if x(b) > cx { 1.0 } else { -1.0 }, yy, if x(b) > cx { 1.0 } else { -1.0 }, class) }
                        <text class={classes!("msg-label", class)} x={((cx + x(b)) / 2.0).to_string()} y={(yy - 5.0).to_string()} text-anchor="middle">
                            { clip(&summary(e), chars + 12) }
                        </text>
                    }
                    <rect class={classes!("box", class)} x={(cx - w / 2.0).to_string()} y={(yy - 9.0).to_string()}
                        width={w.to_string()} height="18" rx="9" />
                    <text class="box-label" x={cx.to_string()} y={(yy + 4.0).to_string()} text-anchor="middle">
                        { clip(&text, chars) }
                    </text>
                    </>
                }
            }
        };
        rows.push(html! {
            <g class={classes!("row", selected.then_some("selected"), marked.then_some("marked"))} key={row}
                {onclick} data-index={row.to_string()}>
                <rect class="hit" x="0" y={(yy - ROW / 2.0).to_string()} width={width.to_string()} height={ROW.to_string()} />
                { body }
                <title>{ format!("#{} {} · {}: {}", row + 1, e.process, e.action, e.explain) }</title>
            </g>
        });
    }

    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + 500))
    };
    html! {
        <div class={classes!("diagram", props.compact.then_some("compact"))}>
            <svg xmlns="http://www.w3.org/2000/svg" width={width.to_string()} height={height.to_string()}
                viewBox={format!("0 0 {width} {height}")} role="img" aria-label={props.label.clone()}>
                { for groups.iter().map(|(m, first, n)| {
                    let gx = PAD + col * *first as f64 + 3.0;
                    let gw = col * *n as f64 - 6.0;
                    html! {
                        <g class="machine">
                            <rect class="machine-box" x={gx.to_string()} y="4" width={gw.to_string()}
                                height={(height - 8.0).to_string()} rx="8" />
                            <text class="machine-label" x={(gx + 8.0).to_string()} y="18">{ clip(m, 24) }</text>
                        </g>
                    }
                }) }
                { for lanes.iter().enumerate().map(|(i, l)| html! {
                    <g class={classes!("lane", l.files.then_some("files"))}>
                        <line class="lifeline" x1={x(i).to_string()} y1="42" x2={x(i).to_string()} y2={(height - 8.0).to_string()} />
                        <text class="lane-label" x={x(i).to_string()} y="36" text-anchor="middle">
                            { if l.files { "(objects)".to_string() } else { clip(&l.name, chars - 4) } }
                        </text>
                    </g>
                }) }
                { for bars }
                { for rows }
            </svg>
            if shown < events.len() {
                <button type="button" class="btn small" onclick={more}>
                    { format!("Draw more events ({} of {} drawn)", shown, events.len()) }
                </button>
            }
        </div>
    }
}
