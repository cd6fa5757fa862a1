fn main() {
    yew::Renderer::<impersonation_web::App>::new().render();
}
