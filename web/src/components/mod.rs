//! Small function components. They receive plain values and callbacks ([`Act`]) through which
//! they send named actions: none of them reads the whole state, so an edit re-renders only what
//! it changes.
//!
//! A part is a component only when it needs hooks or when skipping its render pays (the rows of
//! long lists, the fields). The rest (toolbar, notice bar, options, cast sections, call
//! details) are plain functions returning `Html`: each component costs about 0.6 KB of the
//! gzipped download in Yew's per-component code, and the download is budgeted (issue #6).

pub mod call_editor;
pub mod cast;
pub mod chain;
pub mod diagram;
pub mod dialogs;
pub mod events;
pub mod expect;
pub mod field;
pub mod fix_panel;
pub mod legend;
pub mod options;
pub mod present;
pub mod presets;
pub mod remote;
pub mod review;
pub mod rows;
pub mod step_result;
pub mod step_row;
pub mod step_tools;
pub mod toolbar;

use yew::prelude::*;

use crate::state::{Action, Key, Place, Value};

/// Where a component sends what the person asks for: an [`Action`], as data. The playground
/// hands it to the state; components never see the state or its dispatcher. Stable across
/// renders, so it never causes one.
pub type Act = Callback<Action>;

/// The callback of a control that sets the field `key` of `place` to the value it reports
/// (one body per value type, whatever the field: the download size is budgeted).
pub fn set<T: Into<Value> + 'static>(act: &Act, place: &Place, key: Key) -> Callback<T> {
    let place = place.clone();
    act.reform(move |v: T| {
        Action::Edit(crate::state::Edit::SetField {
            place: place.clone(),
            key,
            value: v.into(),
        })
    })
}

/// Rows of a long list per run (see [`chunked`]).
pub const CHUNK: usize = 20;

/// A long list's rows (each an `<li>`) in runs of [`CHUNK`], each run an `<li class="chunk">`
/// holding an `<ol>`, both `role="none"`: the list keeps its items for assistive technology
/// (the outer list says `role="list"`, each row `role="listitem"`: an `<li>` in a `role="none"`
/// list would be no item at all), and the browser skips runs out of view as a whole
/// (`content-visibility` on `.chunk`). With one skipped box per row, every edit's layout walked
/// all of a 200-step chain's rows and the browser checked each row's visibility every frame:
/// about 1.5 ms an edit on the bench machine (docs/performance.md).
pub fn chunked(rows: Vec<Html>) -> Html {
    let mut rows = rows.into_iter().peekable();
    let mut out = Vec::new();
    while rows.peek().is_some() {
        let run = rows.by_ref().take(CHUNK);
        out.push(html! { <li class="chunk" role="none"><ol role="none">{ for run }</ol></li> });
    }
    out.into_iter().collect()
}

/// A callback that sends `action` whatever it receives (a button's click).
pub fn send<T: 'static>(act: &Act, action: Action) -> Callback<T> {
    act.reform(move |_| action.clone())
}
