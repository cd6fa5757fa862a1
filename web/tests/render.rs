//! The playground renders in a real browser: mounts `App` into a fresh element and checks what a
//! person would read. Runs in headless Chrome through `wasm-pack test --headless --chrome web`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn app_renders_its_heading() {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");

    yew::Renderer::<impersonation_web::App>::with_root(root.clone()).render();
    // Yew renders on its scheduler: let it run before reading the DOM.
    yew::platform::time::sleep(Duration::from_millis(50)).await;

    let heading = root.query_selector("h1").expect("a valid selector");
    let text = heading.and_then(|h| h.text_content()).unwrap_or_default();
    assert!(
        text.contains("Impersonation Playground"),
        "the page's heading is {text:?}; the whole root is {:?}",
        root.inner_html()
    );
}
