//! The Impersonation Playground (Yew). All rule logic lives in `impersonation-core`.
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <main><h1>{ "Impersonation Playground" }</h1></main> }
}
