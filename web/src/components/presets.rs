//! The example scenarios shipped by the core, and the picker that opens them.

use std::rc::Rc;

use impersonation_core::Scenario;
use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, Notice};

/// The two seed examples come first, in this order.
pub const SEEDS: [&str; 2] = ["seed-apartment-nesting", "seed-ncalrpc-one-hop"];

/// A preset as the picker lists it: its id, title and one-sentence description are compiled in
/// (`impersonation_core::presets::PRESETS`); its scenario is loaded when chosen, from
/// `presets/<id>.json` (issue #6: the wasm's transfer size).
pub type PresetInfo = impersonation_core::presets::Preset;

/// The first seed example, shown when nothing is saved: compiled in, because it is needed at
/// start.
pub const FIRST_SEED_JSON: &str = include_str!("../../../core/presets/seed-apartment-nesting.json");

/// Every preset, seeds first.
pub fn catalogue() -> Vec<&'static PresetInfo> {
    let mut out: Vec<&'static PresetInfo> = impersonation_core::presets::PRESETS.iter().collect();
    // Stable: seeds first, the rest in the core's order.
    out.sort_by_key(|p| SEEDS.iter().position(|s| *s == p.id).unwrap_or(SEEDS.len()));
    out
}

/// Loads the preset `id`'s scenario, then offers it (or says why it could not).
fn open_preset(id: &'static str, title: &'static str, d: Dispatch) {
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = super::remote::fetch_text(&format!("presets/{id}.json"))
            .await
            .and_then(|text| {
                impersonation_core::parse(&text)
                    .map(impersonation_core::Checked::into_inner)
                    .map_err(|e| e.to_string())
            });
        d.dispatch(match loaded {
            Ok(s) => Action::Offer(Rc::new(s), format!("the example \u{201c}{title}\u{201d}")),
            Err(why) => Action::Notice(Some(Notice::error(
                format!("The example \u{201c}{title}\u{201d} could not be opened: {why}"),
                Vec::new(),
            ))),
        });
    });
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
    let choose = |p: &'static PresetInfo| {
        let open = open.clone();
        let d = props.dispatch.clone();
        Callback::from(move |_| {
            open.set(false);
            open_preset(p.id, p.title, d.clone());
        })
    };
    let blank = {
        let open = open.clone();
        let d = props.dispatch.clone();
        Callback::from(move |_| {
            open.set(false);
            d.dispatch(Action::Offer(
                Rc::new(Scenario::blank()),
                "a blank scenario".into(),
            ));
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
                    { for presets.iter().map(|p| html! {
                        <button type="button" role="menuitem" class="menu-item" data-preset={p.id}
                            onclick={choose(p)}>
                            <span class="menu-title">{ p.title }</span>
                            <span class="menu-line">{ p.description }</span>
                        </button>
                    }) }
                    if presets.is_empty() {
                        <p class="menu-line">{ "No examples are available in this build." }</p>
                    }
                    <button type="button" role="menuitem" class="menu-item" data-preset="blank"
                        onclick={blank}>
                        <span class="menu-title">{ "Blank scenario" }</span>
                        <span class="menu-line">{ "One process on one machine: build your own chain." }</span>
                    </button>
                </div>
            }
        </div>
    }
}
