//! The sequence diagram (SVG): a lifeline per process, grouped by machine; an arrow per call,
//! labelled with whom the callee sees and at what level, coloured by status; each lifeline's
//! thread token over time as a bar coloured by level (none while the thread runs on its
//! process token). Long outcomes are cut after `limit` rows.

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
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub outcome: Rc<Outcome>,
    pub lanes: Rc<Lanes>,
    #[prop_or_default]
    pub selected: Option<usize>,
    /// Must be stable across renders (`use_callback`), or every row re-renders.
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

const ROW: i32 = 30;
const TOP: i32 = 58;
const PAD: i32 = 8;

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

/// Where a row's drawing goes: lane indexes, and the sizes shared by every row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geom {
    /// The lane of the event's process.
    pub from: Option<usize>,
    /// A call's callee, a return's caller, a remote access's machine.
    pub to: Option<usize>,
    pub col: i32,
    pub width: i32,
    pub chars: usize,
}

impl Geom {
    fn x(&self, lane: usize) -> i32 {
        PAD + self.col * lane as i32 + self.col / 2
    }
}

fn y(row: usize) -> i32 {
    TOP + ROW * row as i32 + ROW / 2
}

fn arrow_head(x: i32, y: i32, dir: i32, class: &'static str) -> Html {
    let p = format!(
        "{x},{y} {},{} {},{}",
        x - 7 * dir,
        y - 4,
        x - 7 * dir,
        y + 4
    );
    html! { <polygon class={classes!("head", class)} points={p} /> }
}

#[derive(Properties)]
pub struct RowProps {
    pub outcome: Rc<Outcome>,
    pub index: usize,
    pub geom: Geom,
    pub selected: bool,
    pub marked: bool,
    pub on_select: Callback<usize>,
}

/// Equal when the event itself is equal: an edit redraws only the rows it changed.
impl PartialEq for RowProps {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
            && self.geom == other.geom
            && self.selected == other.selected
            && self.marked == other.marked
            && self.on_select == other.on_select
            && (Rc::ptr_eq(&self.outcome, &other.outcome)
                || self.outcome.events.get(self.index) == other.outcome.events.get(other.index))
    }
}

/// One event: an arrow for a call, a return or a remote access, a box for anything else.
#[function_component(DiagramRow)]
pub fn diagram_row(props: &RowProps) -> Html {
    let Some(e) = props.outcome.events.get(props.index) else {
        return html! {};
    };
    let g = &props.geom;
    let row = props.index;
    let yy = y(row);
    let class = status_class(e);
    let chars = g.chars;
    let on_select = props.on_select.clone();
    let onclick = Callback::from(move |_| on_select.emit(row));
    let arrow = |a: usize,
                 b: usize,
                 class: &'static str,
                 extra: Option<&'static str>,
                 text: String| {
        let (x1, x2) = (g.x(a), g.x(b));
        let dir = if x2 >= x1 { 1 } else { -1 };
        html! {
            <>
            <line class={classes!("msg", class, extra)} x1={x1.to_string()} y1={yy.to_string()}
                x2={(x2 - 6 * dir).to_string()} y2={yy.to_string()} />
            { arrow_head(x2 - 5 * dir, yy, dir, if extra == Some("ret") { "ret" } else { class }) }
            <text class={classes!("msg-label", if extra == Some("ret") { "ret" } else { class })}
                x={((x1 + x2) / 2).to_string()} y={(yy - 5).to_string()} text-anchor="middle">
                { clip(&text, chars + 12) }
            </text>
            </>
        }
    };
    let body = match (e.action, g.from, g.to) {
        ("call", Some(a), Some(b)) if a == b => html! {
            <>
            <path class={classes!("msg", class)} d={format!("M{},{} h24 v12 h-20", g.x(a), yy - 6)} />
            { arrow_head(g.x(a) + 4, yy + 6, -1, class) }
            <text class={classes!("msg-label", class)} x={(g.x(a) + 30).to_string()} y={(yy + 2).to_string()}>
                { clip(&summary(e), chars + 12) }
            </text>
            </>
        },
        ("call", Some(a), Some(b)) => {
            arrow(a, b, class, e.detail.nested.then_some("nested"), summary(e))
        }
        ("return", Some(a), Some(b)) if a != b => arrow(
            b,
            a,
            class,
            Some("ret"),
            format!(
                "return · {} {}",
                short_name(&e.identity),
                e.level.map(|l| l.as_str()).unwrap_or("(self)")
            ),
        ),
        ("return", Some(a), _) => html! {
            <text class="msg-label ret" x={(g.x(a) + 10).to_string()} y={(yy + 4).to_string()}>{ "↩ return" }</text>
        },
        (_, Some(a), remote) => {
            let cx = g.x(a);
            let w = g.col - 26;
            let text = match (e.action, e.status) {
                (act, "ok") => action_title(act).to_string(),
                (act, status) => format!("{} ✗ {status}", action_title(act)),
            };
            html! {
                <>
                if let Some(b) = remote.filter(|b| *b != a) {
                    { arrow(a, b, class, Some("remote"), summary(e)) }
                }
                <rect class={classes!("box", class)} x={(cx - w / 2).to_string()} y={(yy - 9).to_string()}
                    width={w.to_string()} height="18" rx="9" />
                <text class="box-label" x={cx.to_string()} y={(yy + 4).to_string()} text-anchor="middle">
                    { clip(&text, chars) }
                </text>
                </>
            }
        }
        _ => html! {},
    };
    html! {
        <g class={classes!("row", props.selected.then_some("selected"), props.marked.then_some("marked"))}
            {onclick} data-index={row.to_string()}>
            <rect class="hit" x="0" y={(yy - ROW / 2).to_string()} width={g.width.to_string()} height={ROW.to_string()} />
            { body }
            <title>{ format!("#{} {} · {}: {}", row + 1, e.process, e.action, e.explain) }</title>
        </g>
    }
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let limit = use_state(|| props.limit);
    let events = &props.outcome.events;
    let shown = events.len().min(*limit);
    let lanes = &props.lanes.lanes;
    let col: i32 = if props.compact { 118 } else { 150 };
    let width = PAD * 2 + col * lanes.len().max(1) as i32;
    let height = TOP + ROW * shown as i32 + 12;
    let chars = if props.compact { 17 } else { 22 };
    let base = Geom {
        from: None,
        to: None,
        col,
        width,
        chars,
    };
    let x = |i: usize| base.x(i);

    // Lanes by process and by machine, looked up once per event.
    let mut by_process: Vec<(&str, usize)> = lanes
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.files)
        .map(|(i, l)| (l.name.as_str(), i))
        .collect();
    by_process.sort_unstable();
    let lane_of = |p: &str| {
        by_process
            .binary_search_by(|(n, _)| (*n).cmp(p))
            .ok()
            .map(|k| by_process[k].1)
    };
    let machine_of = |m: &str| lanes.iter().position(|l| l.machine == m);

    // Machine groups.
    let mut groups: Vec<(String, usize, usize)> = Vec::new();
    for (i, l) in lanes.iter().enumerate() {
        match groups.last_mut() {
            Some((m, _, n)) if *m == l.machine => *n += 1,
            _ => groups.push((l.machine.clone(), i, 1)),
        }
    }

    // Token bars: per lane, the token after each event on it, until the next event on it; a
    // label where the identity changes.
    let mut bars: Vec<Html> = Vec::new();
    let mut last: Vec<Option<usize>> = vec![None; lanes.len()];
    let mut segment = |lane: usize, from: usize, bottom: i32| {
        let e: &Event = &events[from];
        let Some(level) = e.level else {
            return;
        };
        let top = y(from);
        let cx = x(lane);
        bars.push(html! {
            <rect class={classes!("bar", level_class(Some(level)))} x={(cx - 4).to_string()} y={top.to_string()}
                width="8" height={(bottom - top).max(4).to_string()} rx="2">
                <title>{ format!("thread token: {} @ {level}", e.identity) }</title>
            </rect>
        });
    };
    let mut geoms: Vec<Geom> = Vec::with_capacity(shown);
    let mut calls: Vec<(&str, usize, usize)> = Vec::new();
    for (row, e) in events.iter().take(shown).enumerate() {
        let from = lane_of(&e.process);
        let to = match e.action {
            "call" => {
                let to = e.to.as_deref().and_then(lane_of);
                if let (Some(a), Some(b)) = (from, to) {
                    calls.push((e.step.as_str(), a, b));
                }
                to
            }
            // A return goes back from the callee to the caller (the event's process).
            "return" => calls
                .iter()
                .rev()
                .find(|(s, _, _)| *s == e.step)
                .map(|(_, _, callee)| *callee),
            _ => e.detail.remote_machine.as_deref().and_then(machine_of),
        };
        geoms.push(Geom { from, to, ..base });
        if let Some(lane) = from {
            if let Some(prev) = last[lane] {
                segment(lane, prev, y(row));
            }
            last[lane] = Some(row);
        }
    }
    for (lane, prev) in last.iter().enumerate() {
        if let Some(prev) = prev {
            segment(lane, *prev, height - 8);
        }
    }
    // Identity labels where a lane's token changes to another identity.
    let mut labels: Vec<Html> = Vec::new();
    let mut current: Vec<Option<(&str, Option<impersonation_core::model::TokenLevel>)>> =
        vec![None; lanes.len()];
    for (row, (e, g)) in events.iter().zip(&geoms).enumerate() {
        let Some(lane) = g.from else { continue };
        let now = (e.identity.as_str(), e.level);
        if current[lane] != Some(now) && e.level.is_some() {
            let changed = current[lane].map(|c| c.0) != Some(now.0);
            if changed {
                labels.push(html! {
                    <text class="bar-label" x={(x(lane) + 7).to_string()} y={(y(row) + 21).to_string()}>
                        { clip(short_name(&e.identity), 14) }
                    </text>
                });
            }
        }
        current[lane] = Some(now);
    }

    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + 500))
    };
    html! {
        <>
        // Focusable, so that a keyboard can scroll it (axe: scrollable-region-focusable).
        <div class={classes!("diagram", props.compact.then_some("compact"))} tabindex="0">
            <svg xmlns="http://www.w3.org/2000/svg" width={width.to_string()} height={height.to_string()}
                viewBox={format!("0 0 {width} {height}")} role="img" aria-label={props.label.clone()}>
                { for groups.iter().map(|(m, first, n)| {
                    let gx = PAD + col * *first as i32 + 3;
                    let gw = col * *n as i32 - 6;
                    html! {
                        <g class="machine">
                            <rect class="machine-box" x={gx.to_string()} y="4" width={gw.to_string()}
                                height={(height - 8).to_string()} rx="8" />
                            <text class="machine-label" x={(gx + 8).to_string()} y="18">{ clip(m, 24) }</text>
                        </g>
                    }
                }) }
                { for lanes.iter().enumerate().map(|(i, l)| html! {
                    <g class={classes!("lane", l.files.then_some("files"))}>
                        <line class="lifeline" x1={x(i).to_string()} y1="42" x2={x(i).to_string()} y2={(height - 8).to_string()} />
                        <text class="lane-label" x={x(i).to_string()} y="36" text-anchor="middle">
                            { if l.files { "(objects)".to_string() } else { clip(&l.name, chars - 4) } }
                        </text>
                    </g>
                }) }
                { for bars }
                { for geoms.into_iter().enumerate().map(|(i, geom)| html! {
                    <DiagramRow outcome={props.outcome.clone()} index={i} {geom}
                        selected={props.selected == Some(i)} marked={props.marked.get(i).copied().unwrap_or(false)}
                        on_select={props.on_select.clone()} />
                }) }
                { for labels }
            </svg>
            if shown < events.len() {
                <button type="button" class="btn small" onclick={more}>
                    { format!("Draw more events ({} of {} drawn)", shown, events.len()) }
                </button>
            }
        </div>
        </>
    }
}
