//! The example scenarios shipped by the core, and the picker that opens them.

use std::rc::Rc;

use impersonation_core::Scenario;
use yew::prelude::*;

use super::Dispatch;
use crate::state::Action;

/// The two seed examples come first, in this order.
pub const SEEDS: [&str; 2] = ["seed-apartment-nesting", "seed-ncalrpc-one-hop"];

#[derive(Debug, Clone, PartialEq)]
pub struct PresetInfo {
    pub id: &'static str,
    pub scenario: Rc<Scenario>,
}

impl PresetInfo {
    pub fn title(&self) -> &str {
        &self.scenario.title
    }
    /// The first sentence of the description: the picker's one line.
    pub fn one_line(&self) -> String {
        let d = self.scenario.description.as_deref().unwrap_or("");
        match d.find(". ") {
            Some(i) => d[..=i].to_string(),
            None => d.to_string(),
        }
    }
}

thread_local! {
    static CATALOGUE: Rc<Vec<PresetInfo>> = Rc::new(build());
}

fn build() -> Vec<PresetInfo> {
    let mut out: Vec<PresetInfo> = impersonation_core::presets::PRESETS
        .iter()
        .filter_map(|p| {
            let scenario = impersonation_core::parse(p.json).ok()?;
            Some(PresetInfo {
                id: p.id,
                scenario: Rc::new(scenario),
            })
        })
        .collect();
    // Stable: seeds first, the rest in the core's order.
    out.sort_by_key(|p| SEEDS.iter().position(|s| *s == p.id).unwrap_or(SEEDS.len()));
    out
}

/// Every preset that parses, seeds first (parsed once).
pub fn catalogue() -> Rc<Vec<PresetInfo>> {
    CATALOGUE.with(Rc::clone)
}

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub dispatch: Dispatch,
}

/// A button opening the list of examples, each with its title and one line.
#[function_component(PresetPicker)]
pub fn preset_picker(props: &PickerProps) -> Html {
    let open = use_state(|| false);
    let presets = catalogue();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let choose = |scenario: Rc<Scenario>, what: String| {
        let open = open.clone();
        let d = props.dispatch.clone();
        Callback::from(move |_| {
            open.set(false);
            d.dispatch(Action::Offer(scenario.clone(), what.clone()));
        })
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                open.set(false);
            }
        })
    };
    html! {
        <div class="picker" {onkeydown}>
            <button type="button" class="btn" aria-expanded={open.to_string()} aria-haspopup="true"
                onclick={toggle} id="examples-button">{ "Examples ▾" }</button>
            if *open {
                <div class="menu" role="menu" aria-labelledby="examples-button">
                    { for presets.iter().map(|p| {
                        let what = format!("the example \u{201c}{}\u{201d}", p.title());
                        html! {
                            <button type="button" role="menuitem" class="menu-item" data-preset={p.id}
                                onclick={choose(p.scenario.clone(), what)}>
                                <span class="menu-title">{ p.title() }</span>
                                <span class="menu-line">{ p.one_line() }</span>
                            </button>
                        }
                    }) }
                    if presets.is_empty() {
                        <p class="menu-line">{ "No examples are available in this build." }</p>
                    }
                    <button type="button" role="menuitem" class="menu-item" data-preset="blank"
                        onclick={choose(Rc::new(Scenario::blank()), "a blank scenario".to_string())}>
                        <span class="menu-title">{ "Blank scenario" }</span>
                        <span class="menu-line">{ "One process on one machine: build your own chain." }</span>
                    </button>
                </div>
            }
        </div>
    }
}
