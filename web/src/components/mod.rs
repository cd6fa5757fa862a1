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

/// A callback that sends `action` whatever it receives (a button's click).
pub fn send<T: 'static>(act: &Act, action: Action) -> Callback<T> {
    act.reform(move |_| action.clone())
}
