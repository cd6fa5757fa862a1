fn main() {
    wasm_bindgen_futures::spawn_local(impersonation_web::start());
}

/// Writes the work that waits for the edits to pause. The page's crash handler (web/crash.js)
/// calls it when the wasm stops on an internal error: the release build aborts at once on a panic
/// (no unwinding, no panic hook), so the message that the work is saved is given from there.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn save_pending() -> bool {
    impersonation_web::hooks::save_pending()
}

/// Talc rather than the default dlmalloc: smaller in the download and faster (issue #6).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
