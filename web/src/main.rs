fn main() {
    impersonation_web::install_panic_hook();
    wasm_bindgen_futures::spawn_local(impersonation_web::start());
}
