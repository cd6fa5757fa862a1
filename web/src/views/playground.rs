//! The full playground: the editor (chain, cast, options, JSON) on the left, the live result on
//! the right, in panes split by a splitter; on a phone, two views (Edit and Result) with a
//! switch; the toolbar above; dialogs on top. The layout itself is CSS (style.css, "layout").

use std::rc::Rc;

use yew::prelude::*;

use crate::components::cast::{cast_editor, CastProps};
use crate::components::chain::ChainEditor;
use crate::components::diagram::Lanes;
use crate::components::dialogs::{confirm_remove, confirm_replace, notice_bar, ShareDialog};
use crate::components::field::Problems;
use crate::components::fix_panel::{fix_panel, preview_actions, FixPanelArgs};
use crate::components::options::{options_panel, OptionsProps};
use crate::components::review;
use crate::components::step_result::step_results;
use crate::components::toolbar::{toolbar, ToolbarProps};
use crate::components::Act;
use crate::hooks::{
    focus_id, initial_state, set_split, use_fixes, use_free_when_idle, use_hash_link, use_keyboard,
    use_local_storage, use_split, use_step_param, use_theme, LinkOpen, SPLIT_MAX, SPLIT_MIN,
};
use crate::state::fixes::Fixes;
use crate::state::{outcome_with, Action, ByPtr, Edit, Notice, Tab};
use crate::views::result::{result_view, Comparison, ResultProps};
use crate::views::stage::{use_rehearsal, Rehearsal};

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// The start's link, already opened (see [`crate::AppProps`]).
    #[prop_or_default]
    pub link: Option<Rc<LinkOpen>>,
    /// Set on the rehearsal stage only ([`super::stage`]): a playground off the page.
    #[prop_or_default]
    pub rehearsal: Option<Rehearsal>,
}

#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    let stage = props.rehearsal.as_ref();
    let live = stage.is_none();
    let state = use_reducer(|| {
        stage.map_or_else(initial_state, |r| {
            crate::state::AppState::new((*r.0 .0).clone(), false)
        })
    });
    use_local_storage(state.clone(), live);
    use_hash_link(state.clone(), props.link.clone(), live);
    use_keyboard(state.clone(), live);
    use_free_when_idle(state.version, || state.derived.clone());
    use_rehearsal(state.clone(), live);
    let (theme, set_theme) = use_theme();
    let sharing = use_state(|| false);
    let reviewing = use_state(|| false);
    // "Make it work": open, and the proposal previewed (of the answer it belongs to).
    let fixing = use_state_eq(|| false);
    let chosen = use_state(|| None::<(ByPtr<Fixes>, usize)>);
    // The one callback every component sends its actions through.
    let d: Act = use_callback(state.dispatcher(), |a: Action, d| d.dispatch(a));
    let derived = &state.derived;

    let lanes = {
        let basis = derived
            .basis
            .clone()
            .map(ByPtr)
            .ok_or_else(|| ByPtr(state.scenario.clone()));
        use_memo(basis, |b| {
            Rc::new(match b {
                Ok(checked) => Lanes::of(&checked.0),
                Err(current) => Lanes::of(&current.0),
            })
        })
    };
    let results = use_memo(derived.outcome.clone().map(ByPtr), |o| {
        Rc::new(o.as_ref().map(|o| step_results(&o.0)).unwrap_or_default())
    });
    let fix_view = use_fixes(*fixing, derived.checked.clone());
    let answer = match &fix_view.answer {
        Some(Ok(f)) => Some(f.clone()),
        _ => None,
    };
    let current = answer.is_some() && !fix_view.busy && derived.checked.is_some();
    let picked = (*chosen)
        .as_ref()
        .filter(|(f, _)| current && answer.as_ref().is_some_and(|a| Rc::ptr_eq(a, &f.0)))
        .map(|(f, i)| (f.clone(), *i));
    let preview = (*use_memo(picked.clone(), |picked| {
        let (f, i) = picked.as_ref()?;
        let checked = f.0.proposals.get(*i)?.checked().ok()?;
        Some(Comparison {
            a: "A · Today".into(),
            b: format!("B · After proposal {}", i + 1).into(),
            outcome_b: Rc::new(impersonation_core::simulate(&checked)),
            lanes_b: Some(Rc::new(Lanes::of(&checked))),
            fix: true,
        })
    }))
    .clone();
    let compare = {
        let key = (derived.checked.clone().map(ByPtr), state.compare);
        let a = state.scenario.options;
        (*use_memo(key, move |(checked, b)| {
            let (Some(checked), Some(b)) = (checked, b) else {
                return None;
            };
            Some(Comparison::options(&a, b, outcome_with(&checked.0, *b)))
        }))
        .clone()
    };
    // A previewed proposal is shown rather than the option sets.
    let compare = preview.or(compare);
    // What the result grid holds, for its layout (style.css): an explanation, two diagrams.
    let grid = classes!(
        "result-grid",
        state.selected_event().map(|_| "selecting"),
        (derived.outcome.is_some() && compare.is_some()).then_some("comparing")
    );

    // The security review of the scenario the outcome belongs to, with its subjects' paths.
    let findings = use_memo(
        (
            derived.basis.clone().map(ByPtr),
            derived.outcome.clone().map(ByPtr),
        ),
        |(b, o)| match (b, o) {
            (Some(b), Some(o)) => Rc::new(
                impersonation_core::review::review_run(&b.0, &o.0)
                    .findings
                    .into_iter()
                    .map(|f| {
                        let path = review::subject_path(&b.0, &f.subject);
                        (f, path)
                    })
                    .collect::<Vec<_>>(),
            ),
            _ => Rc::default(),
        },
    );
    let scenario = state.scenario.clone();
    let pretty = Callback::from(move |_| scenario.to_json_pretty());
    let on_share = {
        let sharing = sharing.clone();
        Callback::from(move |_| sharing.set(true))
    };
    let close_share = {
        let sharing = sharing.clone();
        Callback::from(move |_| sharing.set(false))
    };
    let on_select = use_callback(d.clone(), |i: usize, d| {
        d.emit(Action::SelectEvent(Some(i)))
    });
    use_step_param(derived.outcome.clone().filter(|_| live), on_select.clone());
    // On a phone: the Result view (false) or the Edit view.
    let editing = use_state_eq(|| false);
    let on_show_step = {
        let d = d.clone();
        let editing = editing.clone();
        Callback::from(move |p: String| {
            editing.set(true);
            d.emit(Action::Reveal(p));
        })
    };
    // After a Reveal has switched the tab and opened the step (this render): focus the control.
    use_effect_with(state.reveal.clone(), |(_, path)| {
        if let Some(p) = path {
            crate::hooks::focus_path(p);
        }
    });
    let split = use_split();
    // The panel's heading takes the focus when it opens, a proposal's title when it is
    // selected (the panel's markup is drawn anew) or when the phone's Edit view shows it again;
    // in the phone's Result view, the preview's Apply does.
    use_effect_with(
        (*fixing, picked.as_ref().map(|p| p.1), *editing),
        |(open, i, editing)| match (open, i) {
            (true, Some(i)) if *editing => focus_id(&format!("fix-pick-{i}")),
            (true, Some(_)) => focus_id("fix-apply"),
            (true, None) => focus_id("fix-title"),
            _ => {}
        },
    );
    let unmet = !derived.stale && derived.outcome.as_ref().is_some_and(|o| o.unmet());
    let open_fixes = {
        let (fixing, editing) = (fixing.clone(), editing.clone());
        Callback::from(move |_| {
            let open = !*fixing;
            fixing.set(open);
            editing.set(open);
        })
    };
    let close_fixes = {
        let (fixing, chosen) = (fixing.clone(), chosen.clone());
        Callback::from(move |_| {
            fixing.set(false);
            chosen.set(None);
            focus_id("fix-button");
        })
    };
    let on_choose = {
        let (chosen, answer) = (chosen.clone(), answer.clone());
        Callback::from(move |i: Option<usize>| {
            chosen.set(i.zip(answer.clone()).map(|(i, f)| (ByPtr(f), i)))
        })
    };
    let on_apply = {
        let (d, close, answer) = (d.clone(), close_fixes.clone(), answer.clone());
        Callback::from(move |i: usize| {
            let Some(p) = answer.as_ref().and_then(|f| f.proposals.get(i)) else {
                return;
            };
            match p.edit() {
                Ok(edit) => {
                    d.emit(Action::Edit(edit));
                    d.emit(Action::Notice(Some(Notice::info(p.applied.clone()))));
                    close.emit(());
                }
                Err(e) => d.emit(Action::Notice(Some(Notice::error(
                    "This proposal's scenario could not be read.",
                    e.problems().iter().map(|p| p.to_string()).collect(),
                )))),
            }
        })
    };
    let fix_args = FixPanelArgs {
        view: fix_view.clone(),
        current,
        chosen: picked.as_ref().map(|p| p.1),
        on_choose,
        on_apply,
        on_close: close_fixes.clone(),
        on_view: {
            let e = editing.clone();
            Callback::from(move |edit| e.set(edit))
        },
    };
    let tab = state.tab;
    let tab_keys = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            let order = [Tab::Chain, Tab::Cast, Tab::Options];
            let i = order.iter().position(|t| *t == tab).unwrap_or(0);
            let n = order.len();
            let j = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            d.emit(Action::SetTab(order[j]));
            // Roving tabindex: focus follows the selection (WAI-ARIA tabs pattern).
            focus_id(["tab-chain", "tab-cast", "tab-options"][j]);
        })
    };
    let problems = Problems(derived.problems.clone());
    let panel = match tab {
        Tab::Chain => html! {
            <ChainEditor scenario={state.scenario.clone()} open_step={state.open_step.clone()}
                results={(*results).clone()} problems={derived.problems.clone()} act={d.clone()} />
        },
        Tab::Cast => cast_editor(&CastProps {
            scenario: &state.scenario,
            act: &d,
            problems: &problems,
        }),
        Tab::Options => options_panel(&OptionsProps {
            options: state.scenario.options,
            compare: state.compare,
            act: d.clone(),
        }),
    };

    html! {
        <ContextProvider<Problems> context={problems}>
        <div class="app">
            { skip_link() }
            { toolbar(&ToolbarProps { act: d.clone(), can_undo: !state.undo.is_empty(), can_redo: !state.redo.is_empty(),
                dirty: state.dirty, title: state.scenario.title.clone().into(), pretty, theme, set_theme, on_share,
                review: review::review_button(&findings, { let r = reviewing.clone(); Callback::from(move |_| r.set(true)) }) }) }
            if let Some(n) = &state.notice {
                { notice_bar(n, &d) }
            }
            <div class="view-switch" role="group" aria-label="View">
                { view_button(&editing, true, "Edit") }
                { view_button(&editing, false, "Result") }
            </div>
            <main class={classes!("layout", if *editing { "view-edit" } else { "view-result" })}>
                <section class="editor" id="editor" aria-label="Scenario editor">
                    if *fixing {
                        { fix_panel(&fix_args) }
                    } else {
                    <div class="tabs" role="tablist" aria-label="Editor sections" onkeydown={tab_keys}>
                        { tab_button(&d, tab, Tab::Chain, "Chain", "tab-chain") }
                        { tab_button(&d, tab, Tab::Cast, "Cast", "tab-cast") }
                        { tab_button(&d, tab, Tab::Options, "Options", "tab-options") }
                    </div>
                    { problems_summary(&derived.problems, &d) }
                    <div id="editor-panel" role="tabpanel" aria-labelledby={match tab { Tab::Chain => "tab-chain", Tab::Cast => "tab-cast", Tab::Options => "tab-options" }}>
                        { panel }
                    </div>
                    <JsonPanel scenario={ByPtr(state.scenario.clone())} version={state.version} act={d.clone()} />
                    }
                </section>
                { splitter(&split) }
                <section class="result" id="result" tabindex="-1" aria-labelledby="result-title">
                    // One grid for the title and the result's parts (style.css, "layout").
                    <div class={grid}>
                        { crate::components::legend::intro() }
                        <h2 id="result-title" class="result-title">{ &state.scenario.title }</h2>
                        if let Some(desc) = &state.scenario.description {
                            <p class="description">{ desc }</p>
                        }
                        { result_view(&ResultProps {
                            outcome: derived.outcome.clone(),
                            stale: derived.stale,
                            problems: derived.problems.len(),
                            lanes: (*lanes).clone(),
                            selected: state.selected,
                            on_select,
                            on_show_step: Some(on_show_step.clone()),
                            act: Some(d.clone()),
                            compare,
                            compact: false,
                            fix: html! { <>
                                if unmet || *fixing {
                        <button type="button" class={if *fixing { "btn small make-it-work on" } else { "btn small make-it-work" }} id="fix-button"
                            aria-pressed={fixing.to_string()} onclick={open_fixes}
                            title="The smallest changes after which every expectation is met">{ "Make it work" }</button>
                                }
                                if let Some(p) = picked.as_ref().filter(|_| *fixing).and_then(|(f, i)| f.0.proposals.get(*i)) {
                                    { preview_actions(&fix_args, p) }
                                }
                            </> },
                        }) }
                    </div>
                </section>
            </main>
            if *sharing {
                <ShareDialog json={Rc::<str>::from(state.scenario.to_json_string())} title={state.scenario.title.clone()} invalid={!derived.problems.is_empty()} on_close={close_share} act={d.clone()} />
            }
            if *reviewing {
                <review::ReviewDialog findings={ByPtr((*findings).clone())} on_show={on_show_step.clone()}
                    on_close={{ let r = reviewing.clone(); Callback::from(move |_| r.set(false)) }} />
            }
            if let Some(p) = &state.pending {
                { confirm_replace(p, &d) }
            }
            if let Some(r) = &state.removing {
                { confirm_remove(r, &d) }
            }
        </div>
        </ContextProvider<Problems>>
    }
}

/// The phone's switch between the Edit and Result views.
#[inline(never)]
fn view_button(editing: &UseStateHandle<bool>, edit: bool, text: &'static str) -> Html {
    let on = **editing == edit;
    let editing = editing.clone();
    html! {
        <button type="button" class={classes!("view-tab", on.then_some("on"))} aria-pressed={on.to_string()}
            onclick={Callback::from(move |_| editing.set(edit))}>{ text }</button>
    }
}

/// One of the editor's tabs (WAI-ARIA tabs pattern: only the selected one is in the tab order).
#[inline(never)]
fn tab_button(d: &Act, tab: Tab, t: Tab, text: &'static str, id: &'static str) -> Html {
    let selected = tab == t;
    html! {
        <button type="button" role="tab" {id} aria-selected={selected.to_string()}
            aria-controls="editor-panel" tabindex={if selected { "0" } else { "-1" }}
            class={classes!("tab", selected.then_some("on"))}
            onclick={crate::components::send(d, Action::SetTab(t))}>{ text }</button>
    }
}

/// The separator between the editor and the result (in `main.layout`: editor, splitter,
/// result): drag it, or focus it and press the arrow keys (Home and End for the extremes).
fn splitter(split: &UseStateHandle<u32>) -> Html {
    let onpointerdown = Callback::from(|e: PointerEvent| {
        if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
            let _ = el.set_pointer_capture(e.pointer_id());
            e.prevent_default();
        }
    });
    let onpointermove = {
        let split = split.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            let (Some(editor), Some(result)) =
                (el.previous_element_sibling(), el.next_element_sibling())
            else {
                return;
            };
            if !el.has_pointer_capture(e.pointer_id()) {
                return;
            }
            // The columns, without gaps, span from the editor's left to the result's right.
            let left = editor.get_bounding_client_rect().left();
            let width = result.get_bounding_client_rect().right() - left;
            let v = (f64::from(e.client_x()) - left) / width * 100.0;
            set_split(&split, v.round().max(0.0) as u32);
        })
    };
    let onkeydown = {
        let split = split.clone();
        Callback::from(move |e: KeyboardEvent| {
            let v = *split;
            let next = match e.key().as_str() {
                "ArrowLeft" => v.saturating_sub(2),
                "ArrowRight" => v + 2,
                "Home" => SPLIT_MIN,
                "End" => SPLIT_MAX,
                _ => return,
            };
            e.prevent_default();
            set_split(&split, next);
        })
    };
    html! {
        <div class="splitter" role="separator" tabindex="0" aria-orientation="vertical" aria-controls="editor"
            aria-label="Editor width" aria-valuemin={SPLIT_MIN.to_string()} aria-valuemax={SPLIT_MAX.to_string()}
            aria-valuenow={split.to_string()} {onpointerdown} {onpointermove} {onkeydown} />
    }
}

/// "Skip to the result": the page's first focusable element. It moves focus without touching
/// the address's fragment, which carries shared scenarios.
fn skip_link() -> Html {
    let go = Callback::from(|e: MouseEvent| {
        e.prevent_default();
        focus_id("result");
    });
    html! { <a class="skip-link" href="#result" onclick={go}>{ "Skip to the result" }</a> }
}

/// Every problem, each with a link that shows its field (switching tab and opening its step).
fn problems_summary(problems: &[impersonation_core::Problem], act: &Act) -> Html {
    if problems.is_empty() {
        return html! {};
    }
    let n = problems.len();
    html! {
        <details class="problem-summary" open=true>
            <summary>{ format!("{} to fix", impersonation_core::text::count(n, "problem")) }</summary>
            <ul>
                { for problems.iter().take(30).map(|p| {
                    let go = crate::components::send(act, Action::Reveal(p.path().to_string()));
                    html! {
                        <li>
                            <button type="button" class="linkish" onclick={go}>
                                { impersonation_core::explain::place(p.path()) }{ " · " }<code>{ p.path() }</code>
                            </button>
                            { format!(": {}", p.message()) }
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct JsonProps {
    scenario: ByPtr<impersonation_core::Scenario>,
    version: u64,
    act: Act,
}

/// The scenario as JSON, editable: Apply reads it back (one undo step).
#[function_component(JsonPanel)]
fn json_panel(props: &JsonProps) -> Html {
    let open = use_state(|| false);
    // The text is computed only while the panel is open; a new version (an edit, undo) rebuilds
    // the textarea (its key), dropping what was typed there.
    let text = use_memo((props.scenario.clone(), *open), |(s, open)| {
        if *open {
            s.0.to_json_pretty()
        } else {
            String::new()
        }
    });
    let error = use_state(|| None::<Vec<String>>);
    let area = use_node_ref();
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(el.open());
        })
    };
    let apply = {
        let area = area.clone();
        let d = props.act.clone();
        let error = error.clone();
        Callback::from(move |_| {
            let Some(el) = area.cast::<web_sys::HtmlTextAreaElement>() else {
                return;
            };
            match impersonation_core::parse(&el.value()) {
                Ok(s) => {
                    error.set(None);
                    d.emit(Action::Edit(Edit::Replace(Rc::new(s.into_inner()))));
                }
                Err(e) => error.set(Some(
                    e.problems()
                        .iter()
                        .take(20)
                        .map(|p| p.to_string())
                        .collect(),
                )),
            }
        })
    };
    html! {
        <details class="json-panel" ontoggle={toggle}>
            <summary>{ "Scenario JSON" }</summary>
            if *open {
                <label class="field wide">
                    <span class="field-label">{ "JSON (edit, then Apply)" }</span>
                    <textarea key={props.version.to_string()} ref={area.clone()} rows="16" spellcheck="false" value={(*text).clone()} />
                </label>
                <button type="button" class="btn small" onclick={apply}>{ "Apply JSON" }</button>
                if let Some(errors) = &*error {
                    { crate::components::field::problem_list(errors) }
                }
            }
        </details>
    }
}
