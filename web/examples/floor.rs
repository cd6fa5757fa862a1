//! The size floor of the playground (issue #6): Yew and the whole core behind the plainest UI
//! that still does the product's job. A textarea holds the scenario; below it, its problems, its
//! JSON written back, and every event with its identity, rules and explanation.
//!
//! `bash scripts/bench.sh` (size) builds this with the playground's profile and prints its
//! gzipped size beside the playground's: the difference is what the real UI costs, and what
//! is left of the 150 KB budget for it.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[function_component]
fn Floor() -> Html {
    let text = use_state(String::new);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let body = match impersonation_core::parse(&text) {
        Err(e) => {
            html! { <ul>{ for e.problems().iter().map(|p| html! { <li>{ p.to_string() }</li> }) }</ul> }
        }
        Ok(s) => {
            let problems = impersonation_core::check(&s);
            let outcome = impersonation_core::simulate(&s);
            html! {
                <>
                <ul>{ for problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }</ul>
                <pre>{ s.to_json_pretty() }</pre>
                <ol>{ for outcome.events.iter().map(|e| html! {
                    <li>
                        { format!("{} {} {} {} {}: ", e.step, e.process, e.status, e.identity, impersonation_core::rules::RuleId::join(&e.rules, ", ")) }
                        { &e.explain }
                    </li>
                }) }</ol>
                </>
            }
        }
    };
    html! { <main><textarea {oninput} value={(*text).clone()} />{ body }</main> }
}

fn main() {
    yew::Renderer::<Floor>::new().render();
}

/// The playground's allocator, so that the two figures compare like with like.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
