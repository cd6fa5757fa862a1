//! The Impersonation Playground (Yew). All rule logic lives in `impersonation-core`: this crate
//! edits scenarios, asks the core for their outcome, and draws it.
//!
//! Layout, after Yew's function_todomvc example:
//! - [`state`]: the reducible app state (scenario, undo and redo, selection, comparison) and the
//!   pure editing functions;
//! - [`hooks`]: autosave, links, keyboard shortcuts, theme;
//! - [`components`]: small function components (fields, step rows, diagram, event list, ...);
//! - [`views`]: the playground, the embed view, and the rehearsal stage (a playground off the
//!   page that makes a hundred edits in idle time before the person's first, issue #13).

pub mod components;
pub mod hooks;
pub mod state;
pub mod views;

use std::rc::Rc;

use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The link in the address bar at start, already opened (see `main`); without it the views
    /// open it themselves, a moment after their first render.
    #[prop_or_default]
    pub link: Option<Rc<hooks::LinkOpen>>,
    /// Set on the rehearsal stage only ([`views::stage`]): a playground off the page.
    #[prop_or_default]
    pub rehearsal: Option<views::stage::Rehearsal>,
}

/// The page: the embed view with `?embed=1`, else the playground; or the rehearsal stage's
/// playground.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let embed = use_memo((), |_| {
        hooks::query_param("embed").is_some_and(|v| v == "1" || v == "true")
    });
    let (link, rehearsal) = (props.link.clone(), props.rehearsal.clone());
    if rehearsal.is_some() {
        html! { <views::playground::Playground {rehearsal} /> }
    } else if *embed {
        html! { <views::embed::EmbedView {link} /> }
    } else {
        html! { <views::playground::Playground {link} /> }
    }
}

/// Opens the link in the address bar (inflating `#s=` data is asynchronous in the browser),
/// then renders the page with it: a linked scenario is the first thing shown.
pub async fn start() {
    let link = hooks::open_fragment(&hooks::current_fragment()).await;
    yew::Renderer::<App>::with_props(AppProps {
        link: Some(Rc::new(link)),
        rehearsal: None,
    })
    .render();
}
