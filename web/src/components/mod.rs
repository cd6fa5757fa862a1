//! Small function components. They receive plain values and a dispatcher: none of them reads
//! the whole state, so an edit re-renders only what it changes.
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
pub mod field;
pub mod legend;
pub mod options;
pub mod present;
pub mod presets;
pub mod remote;
pub mod toolbar;

use impersonation_core::Scenario;
use yew::prelude::*;

use crate::state::{Action, AppState, Edit};

/// An edit of a part `X` of the scenario with a value `T`, type-erased so that its callback is
/// compiled once per `T` rather than once per call site (the download size is budgeted).
pub type EditFn<X, T> = std::rc::Rc<dyn Fn(&mut X, T)>;

/// Sends actions to the state; stable across renders, so it never causes one.
pub type Dispatch = UseReducerDispatcher<AppState>;

/// A callback that edits the scenario with the value it receives. With a `key`, consecutive
/// edits merge into one undo step (typing in one field).
pub fn edit<T: Clone + 'static>(
    d: &Dispatch,
    key: Option<&str>,
    f: impl Fn(&mut Scenario, T) + 'static,
) -> Callback<T> {
    edit_dyn(d.clone(), key.map(Into::into), std::rc::Rc::new(f))
}

/// The body of [`edit`], compiled once per value type rather than once per call site (the
/// download size is budgeted).
fn edit_dyn<T: Clone + 'static>(
    d: Dispatch,
    key: Option<std::rc::Rc<str>>,
    f: EditFn<Scenario, T>,
) -> Callback<T> {
    Callback::from(move |v: T| {
        let f = f.clone();
        let apply = move |s: &mut Scenario| f(s, v.clone());
        d.dispatch(Action::Edit(match &key {
            Some(k) => Edit::typing(k.clone(), apply),
            None => Edit::new(apply),
        }));
    })
}
