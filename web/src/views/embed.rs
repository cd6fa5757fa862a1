//! Embed mode (`?embed=1`, SPEC §5a, issue #5): the result alone, compact, for an iframe in
//! documentation. It reads the scenario from the fragment, never touches the saved work, and
//! links to the same scenario in the full playground.

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use crate::components::diagram::Lanes;
use crate::hooks::{open_fragment, page_path, use_theme, LinkOpen};
use crate::views::result::ResultView;

fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[function_component(EmbedView)]
pub fn embed_view() -> Html {
    use_theme();
    let hash = use_state(fragment);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "hashchange", move |_| hash.set(fragment())));
            move || drop(listener)
        });
    }
    let opened = use_memo((*hash).clone(), |h| {
        match open_fragment(h) {
            LinkOpen::Scenario(s) => {
                let outcome = Rc::new(impersonation_core::simulate(&s));
                let lanes = Rc::new(Lanes::of(&s));
                Ok((Rc::new(*s), outcome, lanes))
            }
            LinkOpen::Nothing => Err("This embed has no scenario: its address should end with #s=… (make one with the playground's Share button).".to_string()),
            LinkOpen::Refused(n) => {
                let mut text = n.text.replace(" Your saved work was not changed.", "");
                for d in n.details.iter().take(5) {
                    text.push('\n');
                    text.push_str(d);
                }
                Err(text)
            }
        }
    });
    let selected = use_state(|| None::<usize>);
    let on_select = {
        let setter = selected.setter();
        use_callback(setter, |i: usize, s| s.set(Some(i)))
    };
    let full = format!("{}{}", page_path(), *hash);
    match &*opened {
        Err(message) => html! {
            <div class="embed">
                <header class="embed-head">
                    <span class="brand small">{ "Impersonation Playground" }</span>
                    <a href={page_path()} target="_blank" rel="noopener">{ "Open the playground ↗" }</a>
                </header>
                <p class="notice error" role="alert">{ message }</p>
            </div>
        },
        Ok((s, outcome, lanes)) => html! {
            <div class="embed">
                <header class="embed-head">
                    <strong class="embed-title">{ &s.title }</strong>
                    <a href={full} target="_blank" rel="noopener" id="open-in-playground">{ "Open in the playground ↗" }</a>
                </header>
                <ResultView outcome={Some(outcome.clone())} stale=false problems=0 lanes={lanes.clone()}
                    selected={*selected} {on_select} compact=true />
            </div>
        },
    }
}
