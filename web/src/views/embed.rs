//! Embed mode (`?embed=1`, SPEC §5a, issue #5): the result alone, compact, for an iframe in
//! documentation. It reads the scenario from the fragment, never touches the saved work, and
//! links to the same scenario in the full playground. It is as high as its content and posts
//! that height to the host page (`use_post_height`, issue #13); `&step=<label>` selects. An
//! event's explanation is drawn in place, under its row in the list, and a person's click
//! scrolls it into view (`reveal_detail`).

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use crate::components::diagram::Lanes;
use crate::hooks::{
    current_fragment, open_fragment, page_path, reveal_detail, use_post_height, use_step_param,
    use_theme, LinkOpen,
};
use crate::views::result::{result_view, ResultProps};

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// The start's link, already opened (see [`crate::AppProps`]).
    #[prop_or_default]
    pub link: Option<Rc<LinkOpen>>,
}

/// The link in the address bar, opened (asynchronously: the browser inflates `#s=` data).
fn open_current(link: UseStateHandle<Option<Rc<LinkOpen>>>) {
    wasm_bindgen_futures::spawn_local(async move {
        link.set(Some(Rc::new(open_fragment(&current_fragment()).await)));
    });
}

#[function_component(EmbedView)]
pub fn embed_view(props: &EmbedProps) -> Html {
    use_theme();
    use_post_height();
    let link = use_state(|| props.link.clone());
    let hash = use_state(current_fragment);
    {
        let (link, hash) = (link.clone(), hash.clone());
        use_effect_with((), move |_| {
            if link.is_none() {
                open_current(link.clone());
            }
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    hash.set(current_fragment());
                    open_current(link.clone());
                })
            });
            move || drop(listener)
        });
    }
    let opened = use_memo((*link).clone(), |link| {
        let Some(link) = link else {
            return Err(String::new());
        };
        match &**link {
            LinkOpen::Scenario(s) => {
                let outcome = Rc::new(impersonation_core::simulate(s));
                let lanes = Rc::new(Lanes::of(s));
                Ok((Rc::new((**s).clone()), outcome, lanes))
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
    // A person's choice (the list, the diagram): its explanation shown where they look.
    let on_pick = use_callback(on_select.clone(), |i: usize, select| {
        select.emit(i);
        reveal_detail();
    });
    use_step_param(
        opened.as_ref().as_ref().ok().map(|(_, o, _)| o.clone()),
        on_select,
    );
    let full = format!("{}{}", page_path(), *hash);
    match &*opened {
        Err(message) => html! {
            <div class="embed">
                <header class="embed-head">
                    <span class="brand small">{ "Impersonation Playground" }</span>
                    <a href={page_path()} target="_blank" rel="noopener">{ "Open the playground ↗" }</a>
                </header>
                if !message.is_empty() {
                    <p class="notice error" role="alert">{ message }</p>
                }
            </div>
        },
        Ok((s, outcome, lanes)) => html! {
            <div class="embed">
                <header class="embed-head">
                    <strong class="embed-title">{ &s.title }</strong>
                    <a href={full} target="_blank" rel="noopener" id="open-in-playground">{ "Open in the playground ↗" }</a>
                </header>
                { result_view(&ResultProps {
                    outcome: Some(outcome.clone()),
                    stale: false,
                    problems: 0,
                    lanes: lanes.clone(),
                    selected: *selected,
                    on_select: on_pick,
                    on_show_step: None,
                    act: None,
                    compare: None,
                    compact: true,
                    fix: Html::default(),
                }) }
            </div>
        },
    }
}
