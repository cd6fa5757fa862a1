//! The old outcome of an edit, freed when the browser is idle rather than in the edit.

use yew::prelude::*;

use super::browser::drop_when_idle;

/// Holds `value()` of the current `version`; when the version changes, hands the one it held to
/// [`drop_when_idle`]. Called by the playground with the scenario's version and its derived
/// outcome: held here since the last render, the old outcome (a 200-step one is thousands of
/// small allocations, 0.3 to 0.5 ms to free) is then freed after the frame, once the old state
/// and the components' old props have let it go, instead of wherever its last owner drops it
/// during the edit.
#[hook]
pub fn use_free_when_idle<T: 'static>(version: u64, value: impl FnOnce() -> T) {
    let held = use_mut_ref(|| None::<(u64, T)>);
    let mut held = held.borrow_mut();
    if held.as_ref().map(|(v, _)| *v) != Some(version) {
        if let Some((_, old)) = held.replace((version, value())) {
            drop_when_idle(old);
        }
    }
}
