fn main() {
    impersonation_web::install_panic_hook();
    yew::Renderer::<impersonation_web::App>::new().render();
}
