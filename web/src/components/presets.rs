//! The example scenarios shipped by the core, and the picker that opens them.

use std::rc::Rc;

use impersonation_core::Scenario;
use yew::prelude::*;

use super::Act;
use crate::state::{Action, Notice};

/// A preset as the picker lists it: its id, title, group and one-line lesson are compiled in
/// (`impersonation_core::presets::PRESETS`); its scenario is loaded when chosen, from
/// `presets/<id>.json` (issue #6: the wasm's transfer size).
pub type PresetInfo = impersonation_core::presets::Preset;

pub use crate::state::storage::FIRST_SEED_JSON;

/// The presets by group, groups in the order of their first preset (the seeds come first).
pub fn groups() -> Vec<(&'static str, Vec<&'static PresetInfo>)> {
    let mut out: Vec<(&'static str, Vec<&'static PresetInfo>)> = Vec::new();
    for p in impersonation_core::presets::PRESETS {
        match out.iter_mut().find(|(g, _)| *g == p.group) {
            Some((_, list)) => list.push(p),
            None => out.push((p.group, vec![p])),
        }
    }
    out
}

/// Loads the preset `id`'s scenario, then offers it (or says why it could not).
fn open_preset(id: &'static str, title: &'static str, d: Act) {
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = super::remote::fetch_text(&format!("presets/{id}.json"))
            .await
            .and_then(|text| {
                impersonation_core::parse(&text)
                    .map(impersonation_core::Checked::into_inner)
                    .map_err(|e| e.to_string())
            });
        d.emit(match loaded {
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
    pub act: Act,
}

/// A picker entry: a button with a title and its one line.
fn entry(
    id: &'static str,
    title: &'static str,
    line: &'static str,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! {
        <li>
            <button type="button" class="menu-item" data-preset={id} {onclick}>
                <span class="menu-title">{ title }</span>
                <span class="menu-line">{ line }</span>
            </button>
        </li>
    }
}

/// A button disclosing the examples: "Blank scenario" first, then each group with its
/// presets' titles and lessons. Choosing one or Escape closes it and gives focus back to the
/// button (where a question about unsaved work returns it too).
#[function_component(PresetPicker)]
pub fn preset_picker(props: &PickerProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let close = {
        let open = open.clone();
        move || {
            open.set(false);
            crate::hooks::focus_id("examples-button");
        }
    };
    let choose = |p: &'static PresetInfo| {
        let close = close.clone();
        let d = props.act.clone();
        Callback::from(move |_| {
            close();
            open_preset(p.id, p.title, d.clone());
        })
    };
    let blank = {
        let close = close.clone();
        let d = props.act.clone();
        Callback::from(move |_| {
            close();
            d.emit(Action::Offer(
                Rc::new(Scenario::blank()),
                "a blank scenario".into(),
            ));
        })
    };
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                close();
            }
        })
    };
    html! {
        <div class="picker" {onkeydown}>
            <button type="button" class="btn" aria-expanded={open.to_string()} aria-controls="examples"
                onclick={toggle} id="examples-button">{ "Examples ▾" }</button>
            if *open {
                <div class="menu" id="examples">
                    <ul class="plain">
                        { entry("blank", "Blank scenario", "One process on one machine: build your own chain.", blank) }
                    </ul>
                    { for groups().into_iter().map(|(group, list)| html! {
                        <section>
                            <h3 class="menu-group">{ group }</h3>
                            <ul class="plain">
                                { for list.into_iter().map(|p| entry(p.id, p.title, p.lesson, choose(p))) }
                            </ul>
                        </section>
                    }) }
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_listed_once_by_group_the_seeds_first() {
        let groups = groups();
        let ids: Vec<&str> = groups
            .iter()
            .flat_map(|(_, l)| l.iter().map(|p| p.id))
            .collect();
        assert_eq!(ids.len(), impersonation_core::presets::PRESETS.len());
        assert_eq!(ids[0], "seed-apartment-nesting");
        assert_eq!(groups[0].0, "Nesting on a COM thread");
        assert_eq!(
            groups[0].1.iter().map(|p| p.id).collect::<Vec<_>>(),
            ["seed-apartment-nesting", "traditional-nesting"]
        );
        let mut names: Vec<&str> = groups.iter().map(|(g, _)| *g).collect();
        names.dedup();
        assert_eq!(names.len(), groups.len(), "a group is listed once");
    }
}
