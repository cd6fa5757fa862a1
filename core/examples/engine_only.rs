//! Profiling aid: simulate one scenario file with streaming, dropping the events.
//! `cargo run --release --example engine_only -- FILE`
fn main() {
    let path = std::env::args().nth(1).expect("usage: engine_only FILE");
    let text = std::fs::read_to_string(&path).expect("read FILE");
    let s = impersonation_core::parse(&text).expect("valid scenario");
    let t = std::time::Instant::now();
    let mut n = 0usize;
    impersonation_core::simulate_streaming(&s, &mut |e| n += e.explain.len());
    eprintln!("simulate: {:?} ({n} bytes of explanation)", t.elapsed());
    std::mem::forget(s);
}
