fn main() {
    impersonation_web::install_panic_hook();
    wasm_bindgen_futures::spawn_local(impersonation_web::start());
}

/// Talc rather than the default dlmalloc: smaller in the download and faster (issue #6).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
