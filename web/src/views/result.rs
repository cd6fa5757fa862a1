//! The result: the diagram, the selected event and the event list, for one option set or two
//! side by side. Shared by the playground and the embed view; where each part goes is CSS
//! (style.css, "layout" and "embed").

use std::cell::Cell;
use std::rc::Rc;

use impersonation_core::model::Options;
use impersonation_core::{Event, Outcome};
use yew::prelude::*;

use crate::components::diagram::{Diagram, Lanes};
use crate::components::events::{EventDetail, EventList};
use crate::components::options::caption;
use crate::components::present::summary;
use impersonation_core::text::count;

/// A second outcome beside the scenario's: under another option set, or after a fix
/// proposal (with its own lanes when its processes run as other accounts).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The captions of the two sides.
    pub a: AttrValue,
    pub b: AttrValue,
    pub outcome_b: Rc<Outcome>,
    pub lanes_b: Option<Rc<Lanes>>,
    /// B is a fix proposal's outcome: its differing rows are marked in the colour of a met
    /// expectation, A's in pink (style.css, "compare"), so that the two sides read apart.
    pub fix: bool,
}

impl Comparison {
    /// The scenario's outcome under option set `a` beside option set `b`'s.
    pub fn options(a: &Options, b: &Options, outcome_b: Rc<Outcome>) -> Comparison {
        Comparison {
            a: format!("A · {}", caption(a)).into(),
            b: format!("B · {}", caption(b)).into(),
            outcome_b,
            lanes_b: None,
            fix: false,
        }
    }
}

/// What the result shows. A plain function's arguments, not a component's properties: it holds
/// no state, and the parts worth skipping (the diagram, the event list) are components that
/// compare their own properties.
pub struct ResultProps {
    pub outcome: Option<Rc<Outcome>>,
    /// The outcome is of an earlier version: the scenario has problems now.
    pub stale: bool,
    pub problems: usize,
    pub lanes: Rc<Lanes>,
    pub selected: Option<usize>,
    /// Stable across renders (`use_callback`): the rows compare it.
    pub on_select: Callback<usize>,
    pub on_show_step: Option<Callback<String>>,
    /// Where "Expect this" sends its edit (absent in embed mode).
    pub act: Option<crate::components::Act>,
    pub compare: Option<Comparison>,
    pub compact: bool,
    /// Beside the status line: the playground's "Make it work" while an expectation is unmet.
    pub fix: Html,
}

fn key(e: &Event) -> (&str, bool) {
    (e.step.as_str(), e.action == "return")
}

/// An outcome's events looked up by [`key`], in the order of the other outcome. Each step runs
/// once, so a key names one event; two option sets mostly run the steps in the same order, so
/// a lookup starts after the last match and is short (a hash table's code would weigh more).
struct Index<'a> {
    events: &'a [Event],
    next: Cell<usize>,
}

impl<'a> Index<'a> {
    fn new(events: &'a [Event]) -> Index<'a> {
        Index {
            events,
            next: Cell::new(0),
        }
    }

    fn get(&self, k: &(&str, bool)) -> Option<&'a Event> {
        let (n, from) = (self.events.len(), self.next.get());
        let i = (from..n)
            .chain(0..from)
            .find(|&i| key(&self.events[i]) == *k)?;
        self.next.set(i + 1);
        Some(&self.events[i])
    }
}

fn same(a: &Event, b: &Event) -> bool {
    a.status == b.status
        && a.identity == b.identity
        && a.level == b.level
        && a.seen_as == b.seen_as
        && a.seen_level == b.seen_level
}

/// Which events differ between two outcomes (matched by step), for each side, and a list of
/// the differences in A's order.
pub fn differences(a: &Outcome, b: &Outcome) -> (Vec<bool>, Vec<bool>, Vec<String>) {
    let index_b = Index::new(&b.events);
    let index_a = Index::new(&a.events);
    let mut list = Vec::new();
    let marks_a = a
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let other = index_b.get(&key(e));
            let differs = other.is_none_or(|o| !same(e, o));
            if differs {
                let bsum = other.map(summary).unwrap_or_else(|| "not run".into());
                list.push(format!(
                    "#{} {} {}: A {} · B {}",
                    i + 1,
                    e.process,
                    e.action,
                    summary(e),
                    bsum
                ));
            }
            differs
        })
        .collect();
    let marks_b = b
        .events
        .iter()
        .map(|e| index_a.get(&key(e)).is_none_or(|o| !same(e, o)))
        .collect();
    (marks_a, marks_b, list)
}

/// The result: status line, diagram (or two), key, selected event and event list.
pub fn result_view(props: &ResultProps) -> Html {
    let Some(outcome) = props.outcome.clone() else {
        return html! {
            <div class="result-empty">
                <p>{ "No result yet: the scenario has problems. Fix the fields marked in the editor and the diagram appears here." }</p>
            </div>
        };
    };
    let select = props.on_select.clone();
    let failed = outcome
        .events
        .iter()
        .filter(|e| e.status != impersonation_core::model::Status::Ok)
        .count();
    let status = if props.stale {
        format!(
            "The scenario has {}: showing the last valid result, greyed out.",
            count(props.problems, "problem")
        )
    } else {
        let x = &outcome.expectations;
        let met = x.iter().filter(|x| x.met).count();
        let expected = match x.len() {
            0 => String::new(),
            n => format!(" · {met} of {} met", count(n, "expectation")),
        };
        format!(
            "{} · {failed} failed{expected}",
            count(outcome.events.len(), "event")
        )
    };
    // The selected event. Its explanation is drawn beside the diagram, or in the embed
    // (compact) in place under its row in the list (`EventList`'s `inline`).
    let chosen = props
        .selected
        .and_then(|i| outcome.events.get(i).map(|e| (i, e)));
    let (diagrams, diff_list) = match &props.compare {
        Some(c) => {
            let (ma, mb, list) = differences(&outcome, &c.outcome_b);
            let html = html! {
                <div class={if c.fix { "compare fix" } else { "compare" }}>
                    <figure>
                        <figcaption>{ c.a.clone() }</figcaption>
                        <Diagram outcome={outcome.clone()} lanes={props.lanes.clone()} selected={props.selected}
                            on_select={select.clone()} compact=true marked={Rc::new(ma)} label={format!("Sequence diagram, {}", c.a)} />
                    </figure>
                    <figure>
                        <figcaption>{ c.b.clone() }</figcaption>
                        <Diagram outcome={c.outcome_b.clone()} lanes={c.lanes_b.clone().unwrap_or_else(|| props.lanes.clone())}
                            on_select={props.on_select.clone()} compact=true marked={Rc::new(mb)} label={format!("Sequence diagram, {}", c.b)} />
                    </figure>
                </div>
            };
            (html, Some(list))
        }
        None => (
            html! {
                <Diagram outcome={outcome.clone()} lanes={props.lanes.clone()} selected={props.selected}
                    on_select={select.clone()} compact={props.compact} label="Sequence diagram of the chain" />
            },
            None,
        ),
    };
    html! {
        <div class={classes!("result-body", props.stale.then_some("stale"))}>
            <div class="status-row">
                <p class={classes!("status-line", props.stale.then_some("warn"))} role="status">{ status }</p>
                { props.fix.clone() }
            </div>
            // The grid areas of style.css ("layout"): diagram, detail, events.
            <div class="result-diagram">
                if outcome.events.is_empty() {
                    <p class="hint">{ "The simulation produced no events for this scenario." }</p>
                }
                { diagrams }
                { crate::components::legend::key(props.selected.is_none()) }
                if let Some(list) = diff_list {
                    <section class="diffs" aria-label="Differences between A and B">
                        <h3>{ if list.is_empty() { "No difference between A and B".to_string() } else { format!("{} differ{}", count(list.len(), "event"), if list.len() == 1 { "s" } else { "" }) } }</h3>
                        <ul>{ for list.iter().take(40).map(|d| html! { <li>{ d }</li> }) }</ul>
                    </section>
                }
            </div>
            <div class="event-split">
                if let Some((i, e)) = chosen.filter(|_| !props.compact) {
                    <EventDetail key={i} event={e.clone()} index={i} on_show_step={props.on_show_step.clone()}
                        outcome={outcome.clone()} act={props.act.clone()} />
                } else if chosen.is_none() {
                    <section class="detail placeholder">
                        <p>{ "Select an event (in the list or the diagram) to read why it happened, with the rules and their sources." }</p>
                    </section>
                }
                <EventList outcome={outcome.clone()} selected={props.selected} on_select={select}
                    inline={props.compact} />
            </div>
        </div>
    }
}
