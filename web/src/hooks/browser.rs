//! Small reads of the page and its browser (query parameters, localStorage, the address, a
//! JavaScript object's property) and focusing the control of a scenario path: shared by the
//! hooks, the components and the views.

/// The property `key` of a JavaScript value (`undefined` when it has none or is no object).
pub fn js_get(v: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(v, &wasm_bindgen::JsValue::from_str(key))
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

/// Calls `f` once the browser is idle (`requestIdleCallback`, with the idle period's deadline; see
/// [`time_left`]), or with `soon`, in a task of its own as soon as may be (`setTimeout`, with
/// `undefined`). Where the browser has no `requestIdleCallback`, `setTimeout` is used for both.
pub fn when_idle(soon: bool, f: impl FnOnce(wasm_bindgen::JsValue) + 'static) {
    use wasm_bindgen::JsCast;
    let Some(w) = web_sys::window() else {
        return;
    };
    let f = wasm_bindgen::closure::Closure::once_into_js(f);
    let name = if soon {
        "setTimeout"
    } else {
        "requestIdleCallback"
    };
    let mut call = js_get(&w, name);
    if !call.is_function() {
        call = js_get(&w, "setTimeout");
    }
    let _ = call.unchecked_ref::<js_sys::Function>().call1(&w, &f);
}

/// Drops `value` once the browser is idle rather than now. An edit replaces the outcome, its
/// picture and the props that held them; freeing the old ones (a 200-step outcome is thousands
/// of small allocations) took 0.3 to 0.5 ms of each edit, before its frame. Given here the last
/// reference, they are freed after the frame instead. At most eight wait: past that the
/// oldest goes at once (edits faster than the browser is ever idle keep the memory bounded).
/// Outside a browser (the native tests), at once.
pub fn drop_when_idle<T: 'static>(value: T) {
    #[cfg(target_family = "wasm")]
    {
        let oldest = LATER.with(|later| {
            let mut later = later.borrow_mut();
            if later.is_empty() {
                when_idle(false, |_| {
                    drop(LATER.with(|l| std::mem::take(&mut *l.borrow_mut())))
                });
            }
            later.push(Box::new(value));
            (later.len() > LATER_MAX).then(|| later.remove(0))
        });
        drop(oldest);
    }
    #[cfg(not(target_family = "wasm"))]
    drop(value);
}

/// How many values [`drop_when_idle`] keeps waiting.
#[cfg(target_family = "wasm")]
const LATER_MAX: usize = 8;

#[cfg(target_family = "wasm")]
thread_local! {
    static LATER: std::cell::RefCell<Vec<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The milliseconds left in the idle period of `deadline` (an `IdleDeadline`; 0 for anything
/// else): work may go on in that period, in tasks of its own, while some are left.
pub fn time_left(deadline: &wasm_bindgen::JsValue) -> f64 {
    use wasm_bindgen::JsCast;
    js_get(deadline, "timeRemaining")
        .dyn_ref::<js_sys::Function>()
        .and_then(|f| f.call0(deadline).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// True when an element of the page other than its body has the focus.
pub fn focus_in_page() -> bool {
    gloo::utils::document()
        .active_element()
        .is_some_and(|e| e.tag_name() != "BODY")
}

/// The value of a query parameter of the page's URL (`?embed=1&theme=dark`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let search = search.strip_prefix('?').unwrap_or(&search);
    search.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| v.to_string())
    })
}

/// The page's localStorage, when the browser grants it.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The page's address without its fragment.
pub fn page_base() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    format!("{origin}{path}{search}")
}

/// The page's address without query or fragment.
pub fn page_path() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Focuses the editor control for a scenario path, scrolled into view: the control named by the
/// path, else by a shorter one (a list item's list, an entry's name field), else the step row's
/// first control. Returns whether something took the focus.
pub fn focus_path(path: &str) -> bool {
    use wasm_bindgen::JsCast;
    let doc = gloo::utils::document();
    let quoted = path.replace('\\', "\\\\").replace('"', "\\\"");
    let mut p = quoted.as_str();
    loop {
        for attr in ["name", "data-path"] {
            let Ok(Some(el)) = doc.query_selector(&format!("[{attr}=\"{p}\"]")) else {
                continue;
            };
            let target = match el.matches("input,select,textarea,button") {
                Ok(true) => Some(el),
                _ => el
                    .query_selector("input,select,textarea,button")
                    .ok()
                    .flatten(),
            };
            if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                t.scroll_into_view_with_scroll_into_view_options(&opts);
                return t.focus().is_ok();
            }
        }
        match p.rfind(['.', '[']) {
            Some(i) if i > 0 => p = &p[..i],
            _ => return false,
        }
    }
}

/// Calls `f` now and whenever `el`'s size changes (a `ResizeObserver`); the function returned
/// stops it (an effect's cleanup). Now, not at the observer's first report (the next frame): what
/// `f` changes must settle before the effects that follow, such as `&step=` scrolling its event
/// into view, measure the page.
pub fn on_resize(el: Option<web_sys::Element>, mut f: impl FnMut() + 'static) -> impl FnOnce() {
    use wasm_bindgen::JsCast;
    f();
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(f);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
    if let (Some(o), Some(el)) = (&observer, &el) {
        o.observe(el);
    }
    move || {
        if let Some(o) = observer {
            o.disconnect();
        }
        drop(callback);
    }
}
