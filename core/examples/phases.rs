//! Where the time goes for one scenario file: parse (JSON, decode, validate), simulate,
//! serialize. `cargo run --release --example phases -- FILE`
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE");
    let text = std::fs::read_to_string(&path).expect("read FILE");
    let t = Instant::now();
    let s = impersonation_core::parse(&text).expect("valid scenario");
    let t1 = t.elapsed();
    let o = impersonation_core::simulate(&s);
    let t2 = t.elapsed();
    let out = serde_json::to_vec(&o).expect("serialize");
    let t3 = t.elapsed();
    let mut n = 0usize;
    impersonation_core::simulate_streaming(&s, &mut |e| n += e.explain.len());
    let t4 = t.elapsed();
    eprintln!(
        "streaming simulate only (events dropped): {:?} ({n})",
        t4 - t3
    );
    eprintln!(
        "parse {:?}  simulate {:?}  serialize {:?}  ({} MB out, {} events)",
        t1,
        t2 - t1,
        t3 - t2,
        out.len() / 1_000_000,
        o.events.len()
    );
}
