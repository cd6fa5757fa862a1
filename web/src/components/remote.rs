//! Data the playground loads on demand rather than compiling in (issue #6: the wasm's transfer
//! size): the rule texts and sources (`rules.json`, from `core/rules.json`) and the examples'
//! scenarios (`presets/<id>.json`, from `core/presets/`), which Trunk copies next to the app.
//! Addresses are relative to the page, like the app's own files.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::hooks::js_get as get;

/// The text of the file at `url` (relative to the page), or why it could not be read.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let failed = |_| format!("{url} could not be loaded");
    let window = gloo::utils::window();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    text.as_string().ok_or_else(|| failed(JsValue::NULL))
}

/// What is known of `rules.json`: not asked for yet, loading, loaded, or failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Rules {
    Unasked,
    Loading,
    Loaded(JsValue),
    Failed(String),
}

thread_local! {
    static RULES: RefCell<Rules> = const { RefCell::new(Rules::Unasked) };
    /// Who waits for the load under way.
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// The rule catalogue's texts as known now.
pub fn rules() -> Rules {
    RULES.with(|r| r.borrow().clone())
}

/// Loads `rules.json` once (again after a failure), then calls `done`; nothing to do when it is
/// loaded already.
pub fn load_rules(done: impl FnOnce() + 'static) {
    match rules() {
        Rules::Loaded(_) => return,
        Rules::Loading => return WAITING.with(|w| w.borrow_mut().push(Box::new(done))),
        Rules::Unasked | Rules::Failed(_) => {}
    }
    RULES.with(|r| *r.borrow_mut() = Rules::Loading);
    WAITING.with(|w| w.borrow_mut().push(Box::new(done)));
    wasm_bindgen_futures::spawn_local(async move {
        let state = match fetch_text("rules.json").await {
            Ok(text) => match js_sys::JSON::parse(&text) {
                Ok(doc) => Rules::Loaded(doc),
                Err(_) => Rules::Failed("rules.json is not JSON".into()),
            },
            Err(why) => Rules::Failed(why),
        };
        RULES.with(|r| *r.borrow_mut() = state);
        for done in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
            done();
        }
    });
}

/// A rule's entry in `rules.json`: its title, its text, its "not simulated" reason, its sources
/// (title and address).
pub struct RuleText {
    pub title: Option<String>,
    pub text: String,
    pub not_simulated: Option<String>,
    pub sources: Vec<(String, String)>,
}

/// The entry of rule `id` in the loaded document, if it has one.
pub fn rule_text(doc: &JsValue, id: &str) -> Option<RuleText> {
    let entry = get(doc, id);
    let text = get(&entry, "text").as_string()?;
    let sources = get(&entry, "sources")
        .dyn_into::<js_sys::Array>()
        .map(|list| {
            list.iter()
                .filter_map(|s| Some((get(&s, "title").as_string()?, get(&s, "url").as_string()?)))
                .collect()
        })
        .unwrap_or_default();
    Some(RuleText {
        title: get(&entry, "title").as_string(),
        text,
        not_simulated: get(&entry, "not_simulated").as_string(),
        sources,
    })
}
