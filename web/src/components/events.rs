//! The event list beside the diagram, the selected event's explanation, and the rule panel
//! (title, text and Microsoft sources of a rule the core cited).

use std::rc::Rc;

use impersonation_core::{Event, Outcome};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::present::{action_title, identity_text, seen_text, status_class, summary};

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub outcome: Rc<Outcome>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    #[prop_or(300)]
    pub limit: usize,
    /// The selected event's explanation is drawn in place under its row (the embed, issue #13:
    /// above a long list it would be out of view; it has no editor to show a step in).
    #[prop_or_default]
    pub inline: bool,
}

/// The events, one button each; ↑/↓ move the selection.
#[function_component(EventList)]
pub fn event_list(props: &ListProps) -> Html {
    let limit = use_state(|| props.limit);
    let events = &props.outcome.events;
    let shown = events
        .len()
        .min((*limit).max(props.selected.map_or(0, |i| i + 1)));
    let n = events.len();
    let onkeydown = {
        let on_select = props.on_select.clone();
        let selected = props.selected;
        Callback::from(move |e: KeyboardEvent| {
            let next = match (e.key().as_str(), selected) {
                ("ArrowDown", Some(i)) if i + 1 < n => i + 1,
                ("ArrowDown", None) if n > 0 => 0,
                ("ArrowUp", Some(i)) if i > 0 => i - 1,
                _ => return,
            };
            e.prevent_default();
            on_select.emit(next);
            // Keep the focus on the newly selected row: a row's button (Yew delegates events,
            // so the current target is the page's root, and the diagram's rows before the list
            // carry the same `data-index`).
            if let Some(list) = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                if let Ok(Some(b)) = list.query_selector(&format!(".event[data-index=\"{next}\"]"))
                {
                    if let Ok(b) = b.dyn_into::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        })
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + 500))
    };
    html! {
        <div class="events">
            <ol class="event-list" role="list" aria-label="Events" {onkeydown}>
                { super::chunked((0..shown).map(|i| {
                    let selected = props.selected == Some(i);
                    html! {
                        <EventRow outcome={props.outcome.clone()} index={i} expect={super::expect::summary(&props.outcome, i)}
                            {selected} on_select={props.on_select.clone()} inline={props.inline && selected} />
                    }
                }).collect()) }
            </ol>
            if shown < events.len() {
                <button type="button" class="btn small" onclick={more}>
                    { format!("Show more events ({} of {} shown)", shown, events.len()) }
                </button>
            }
        </div>
    }
}

#[derive(Properties)]
pub struct RowProps {
    pub outcome: Rc<Outcome>,
    pub index: usize,
    pub selected: bool,
    pub on_select: Callback<usize>,
    /// The verdicts this event decides: all met, and their text.
    pub expect: Option<(bool, AttrValue)>,
    /// Its explanation, under it ([`ListProps::inline`]).
    pub inline: bool,
}

/// Equal when the event itself is equal: an edit re-renders only the rows it changed.
impl PartialEq for RowProps {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
            && self.selected == other.selected
            && self.on_select == other.on_select
            && self.expect == other.expect
            && self.inline == other.inline
            && (Rc::ptr_eq(&self.outcome, &other.outcome)
                || self.outcome.events.get(self.index) == other.outcome.events.get(other.index))
    }
}

#[function_component(EventRow)]
pub fn event_row(props: &RowProps) -> Html {
    let Some(e) = props.outcome.events.get(props.index) else {
        return html! {};
    };
    let i = props.index;
    let on_select = props.on_select.clone();
    let class = status_class(e);
    let depth = format!("d{}", e.detail.depth.min(8));
    html! {
        <li role="listitem" class={classes!(depth)}>
            <button type="button" class={classes!("event", class, props.selected.then_some("selected"))}
                aria-pressed={props.selected.to_string()} data-index={i.to_string()} data-step={e.step.clone()}
                onclick={Callback::from(move |_| on_select.emit(i))}>
                <span class="ev-n">{ i + 1 }</span>
                <span class="ev-proc"><b>{ &e.process }</b>{ " · " }{ action_title(e.action) }</span>
                <span class="ev-sum">{ summary(e) }</span>
                if let Some((met, text)) = &props.expect {
                    <span class={classes!("ev-expect", if *met { "met" } else { "unmet" })}>{ text }</span>
                }
            </button>
            if props.inline {
                <EventDetail event={e.clone()} index={i} outcome={props.outcome.clone()} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub event: Event,
    pub index: usize,
    /// Shows a scenario path in the editor (the step, or the deciding setting); absent in
    /// embed mode.
    #[prop_or_default]
    pub on_show_step: Option<Callback<String>>,
    /// The outcome, for the expectations this event decides.
    pub outcome: Rc<Outcome>,
    /// Sends "Expect this" (absent in embed mode).
    #[prop_or_default]
    pub act: Option<super::Act>,
}

/// The selected event: its explanation, its rules (the rule text with its sources right under
/// it, in view beside the diagram), then every field.
#[function_component(EventDetail)]
pub fn event_detail(props: &DetailProps) -> Html {
    let rule = use_state(|| None::<&'static str>);
    let choice = use_node_ref();
    let (verdicts, expect_form) =
        super::expect::expect_tools(&props.outcome, props.index, props.act.as_ref(), &choice);
    // The open rule's text comes with rules.json, loaded when a rule is first opened: its
    // arrival re-renders (a counter rather than a component of its own: the size is budgeted).
    let loaded = use_state(|| 0u32);
    {
        let loaded = loaded.clone();
        use_effect_with(*rule, move |open| {
            if open.is_some() {
                super::remote::load_rules(move || loaded.set(*loaded + 1));
            }
        });
    }
    let e = &props.event;
    let mut facts: Vec<(&str, String)> = vec![
        ("status", e.status.to_string()),
        ("thread token after", identity_text(e)),
    ];
    if let Some(to) = &e.to {
        facts.push(("callee", to.clone()));
    }
    if let Some(seen) = seen_text(e) {
        facts.push(("seen as", seen));
    }
    if let Some(a) = e.authn {
        facts.push(("package", a.to_string()));
    }
    if let Some(l) = e.authn_level {
        facts.push(("authn level", l.to_string()));
    }
    if let Some(d) = e.delegation {
        facts.push(("delegation", d.to_string()));
    }
    if let Some(k) = e.kdc_status {
        facts.push(("KDC status", k.to_string()));
    }
    if let Some(l) = &e.label {
        facts.push(("label", l.clone()));
    }
    if e.detail.nested {
        facts.push((
            "served",
            "nested on the waiting STA thread (CO-3)".to_string(),
        ));
    }
    let show = props.on_show_step.clone().map(|cb| {
        let step = e.step.clone();
        Callback::from(move |_| cb.emit(step.clone()))
    });
    html! {
        <section class={classes!("detail", status_class(e))} aria-live="polite" aria-label="Selected event">
            <h3>
                { format!("#{} · {} · {}", props.index + 1, action_title(e.action), e.process) }
                if let Some(to) = &e.to { { format!(" → {to}") } }
            </h3>
            <p class="explain">
                { &e.explain }
                if let Some(s) = &e.setting {
                    { " Deciding setting: " }{ setting_link(s, props.on_show_step.as_ref()) }
                }
            </p>
            if !e.rules.is_empty() {
                <p class="rules">
                    <span>{ "Rules: " }</span>
                    { for e.rules.iter().map(|id| {
                        let id: &'static str = id.as_str();
                        let r = rule.clone();
                        let open = *rule == Some(id);
                        let title = impersonation_core::rules::get(id).map(|r| r.title).unwrap_or("not in the catalogue");
                        html! {
                            <button type="button" class={classes!("rule-link", open.then_some("on"))} aria-expanded={open.to_string()}
                                title={title} onclick={Callback::from(move |_| r.set(if open { None } else { Some(id) }))}>
                                { id }
                            </button>
                        }
                    }) }
                </p>
            }
            if let Some(id) = *rule {
                { rule_panel(id) }
            }
            { verdicts }
            <dl class="facts">
                { for facts.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                <dt>{ "step" }</dt>
                <dd>
                    <code>{ &e.step }</code>
                    if let Some(show) = show {
                        { " " }<button type="button" class="btn small show-step" onclick={show}>{ "Show in editor" }</button>
                    }
                </dd>
            </dl>
            { expect_form }
        </section>
    }
}

/// "Delegation of svcApp: Cast › Accounts › svcApp", a link to it when there is an editor.
fn setting_link(s: &impersonation_core::explain::Setting, show: Option<&Callback<String>>) -> Html {
    let text = format!("{}: {}", s.label, s.place());
    match show {
        Some(cb) => {
            let path = s.path.clone();
            let cb = cb.clone();
            html! {
                <button type="button" class="linkish setting-link" title={s.path.clone()}
                    onclick={Callback::from(move |_| cb.emit(path.clone()))}>{ text }</button>
            }
        }
        None => html! { <span class="setting-link">{ text }</span> },
    }
}

/// A rule's title, text and sources (links to Microsoft's documentation). The title is compiled
/// in; the text and sources are loaded with `rules.json` when a rule panel first opens.
fn rule_panel(id: &'static str) -> Html {
    let Some(rule) = impersonation_core::rules::get(id) else {
        return html! {
            <div class="rule-panel"><p>{ format!("Rule {id} is not in this build's catalogue.") }</p></div>
        };
    };
    let body = match super::remote::rules() {
        super::remote::Rules::Loaded(doc) => match super::remote::rule_text(&doc, rule.id) {
            Some(r) => html! {
                <>
                    <p>{ r.text }</p>
                    if let Some(why) = r.not_simulated {
                        <p class="hint">{ format!("Not simulated: {why}") }</p>
                    }
                    { source_list(r.sources) }
                </>
            },
            None => html! { <p class="hint">{ "This rule's text is not in rules.json." }</p> },
        },
        super::remote::Rules::Failed(why) => html! {
            <p class="hint">{ format!("The rule's text could not be loaded ({why}).") }</p>
        },
        _ => html! { <p class="hint loading-rule">{ "Loading the rule's text…" }</p> },
    };
    html! {
        <div class="rule-panel" role="region" aria-label={format!("Rule {}", rule.id)}>
            <h4>{ format!("{} — {}", rule.id, rule.title) }</h4>
            { body }
        </div>
    }
}

/// A rule's sources as links (title, address); nothing when it has none.
pub fn source_list(sources: Vec<(String, String)>) -> Html {
    if sources.is_empty() {
        return html! {};
    }
    html! {
        <ul class="sources">
            { for sources.into_iter().map(|(title, url)| html! {
                <li><a href={url} target="_blank" rel="noopener noreferrer">{ title }</a></li>
            }) }
        </ul>
    }
}
