//! The security review (SPEC §8.3) in the playground: a count in the toolbar and a dialog of
//! the findings, most severe first, each with a link that shows its subject in the editor, its
//! explanation, its fix and its sources (loaded with `rules.json`). The findings are the core's.

use impersonation_core::review::Finding;
use impersonation_core::Scenario;
use yew::prelude::*;

const SEVERITY: [&str; 4] = ["high", "medium", "low", "info"];

/// The editor path of a finding's subject: a step path as it is, an account's or a process's
/// entry; none for an SPN.
pub fn subject_path(s: &Scenario, subject: &str) -> Option<String> {
    if subject.starts_with("run") {
        Some(subject.to_string())
    } else if s.accounts.contains_key(subject) {
        Some(format!("accounts.{subject}"))
    } else if s.processes.contains_key(subject) {
        Some(format!("processes.{subject}"))
    } else {
        None
    }
}

/// The toolbar's count: "Review 3", coloured by the most severe finding.
pub fn review_button(findings: &[(Finding, Option<String>)], open: Callback<MouseEvent>) -> Html {
    let worst = findings
        .first()
        .map_or("none", |f| SEVERITY[f.0.severity as usize]);
    html! {
        <button type="button" class={classes!("btn", "review-count", worst)} id="review-button" onclick={open}
            title="What this scenario's settings and run expose">
            { format!("Review {}", findings.len()) }
        </button>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    /// The findings, each with its subject's editor path.
    pub findings: crate::state::ByPtr<Vec<(Finding, Option<String>)>>,
    pub on_close: Callback<()>,
    /// Shows a scenario path in the editor.
    pub on_show: Callback<String>,
}

#[function_component(ReviewDialog)]
pub fn review_dialog(props: &ReviewProps) -> Html {
    let dialog = use_node_ref();
    crate::hooks::use_modal(&dialog);
    let loaded = use_state(|| 0u32);
    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            super::remote::load_rules(move || loaded.set(*loaded + 1));
        });
    }
    let doc = match super::remote::rules() {
        super::remote::Rules::Loaded(doc) => Some(doc),
        _ => None,
    };
    let close = props.on_close.reform(|_| ());
    let onkeydown = super::dialogs::escape_closes(&props.on_close);
    let item = |(f, path): &(Finding, Option<String>)| {
        let subject = match path {
            Some(p) => {
                let (show, close, p) = (props.on_show.clone(), props.on_close.clone(), p.clone());
                let onclick = Callback::from(move |_: MouseEvent| {
                    close.emit(());
                    show.emit(p.clone());
                });
                html! { <button type="button" class="linkish subject" {onclick}>{ &f.subject }</button> }
            }
            None => html! { <code>{ &f.subject }</code> },
        };
        // The title and sources come with rules.json (the wasm leaves SR titles out).
        let rule = doc
            .as_ref()
            .and_then(|d| super::remote::rule_text(d, f.id.as_str()));
        let title = rule
            .as_ref()
            .and_then(|r| r.title.clone())
            .unwrap_or_default();
        let sources = rule.map(|r| super::events::source_list(r.sources));
        let sev = SEVERITY[f.severity as usize];
        html! {
            <li class={classes!("finding", sev)}>
                <p><b>{ format!("{sev} · {} {title}", f.id.as_str()) }</b>{ " · " }{ subject }</p>
                <p>{ &f.explain }</p>
                <p class="fix">{ "Fix: " }{ &f.fix }</p>
                { sources.unwrap_or_default() }
            </li>
        }
    };
    let n = props.findings.0.len();
    html! {
        <div class="backdrop" {onkeydown}>
            <div ref={dialog} class="dialog review" role="dialog" aria-modal="true" aria-labelledby="review-title" tabindex="-1">
                <h2 id="review-title">{ "Security review" }</h2>
                <p>{ match n {
                    0 => "Nothing in this scenario's settings or run exposes an identity the review knows of.".to_string(),
                    _ => format!("{}, most severe first.", impersonation_core::text::count(n, "finding")),
                } }</p>
                <ul class="plain findings">{ for props.findings.0.iter().map(item) }</ul>
                <div class="dialog-actions">
                    <button type="button" class="btn" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}
