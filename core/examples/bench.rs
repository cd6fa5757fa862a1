//! Engine and CLI benchmarks (issue #6): run by `bash scripts/bench.sh`, which builds this in
//! release mode. For N in 1e3, 1e4, 1e5, 1e6 and twice each, it writes a synthetic scenario of N
//! steps to target/bench/, then measures:
//! - the engine in-process: parse + validate + simulate + serialize the outcome to JSON;
//! - the CLI end to end: `impsim run FILE > /dev/null` (parse, simulate, write the outcome).
//!
//! It prints steps per second against the 1M steps/s budget and the time ratio when the work
//! doubles (budget 2.4x), and writes target/bench/native.json for the wasm comparison.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const CLI_BUDGET_STEPS_PER_SEC: f64 = 1_000_000.0;
const DOUBLING_BUDGET: f64 = 2.4;

fn best_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

fn runs_for(n: usize) -> usize {
    match n {
        0..=10_000 => 15,
        10_001..=200_000 => 5,
        _ => 3,
    }
}

fn engine_time(text: &str, n: usize) -> Duration {
    best_of(runs_for(n), || {
        let t = Instant::now();
        let outcome = impersonation_core::run_json(text).expect("valid scenario");
        let json = serde_json::to_vec(&outcome).expect("serializes");
        std::hint::black_box(json.len());
        t.elapsed()
    })
}

fn cli_time(bin: &Path, file: &Path, n: usize) -> Duration {
    best_of(runs_for(n), || {
        let t = Instant::now();
        let status = Command::new(bin)
            .arg("run")
            .arg(file)
            .stdout(Stdio::null())
            .status()
            .expect("run impsim");
        assert!(status.success(), "impsim failed on {}", file.display());
        t.elapsed()
    })
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let bin = std::env::var("IMPSIM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/release/impsim"));
    assert!(
        bin.exists(),
        "build the CLI first: cargo build --release -p impersonation-core --bin impsim"
    );
    println!(
        "{:>9} {:>9} {:>12} {:>14} {:>12} {:>14} {:>9}",
        "steps", "JSON MB", "engine ms", "engine st/s", "CLI ms", "CLI st/s", "x2 time"
    );
    let mut native = Vec::new();
    let mut all_ok = true;
    for n in SIZES {
        let mut times = Vec::new();
        for size in [n, 2 * n] {
            let scenario = impersonation_core::synthetic::wide(size);
            let text = scenario.to_json_string();
            let file = dir.join(format!("wide-{size}.json"));
            std::fs::write(&file, &text).expect("write scenario");
            let engine = engine_time(&text, size);
            let cli = cli_time(&bin, &file, size);
            times.push((size, text.len(), engine, cli));
            native.push(serde_json::json!({
                "steps": size, "file": file.display().to_string(),
                "engine_ms": engine.as_secs_f64() * 1e3, "cli_ms": cli.as_secs_f64() * 1e3
            }));
        }
        let ratio = times[1].3.as_secs_f64() / times[0].3.as_secs_f64();
        for (i, (size, bytes, engine, cli)) in times.iter().enumerate() {
            let eps = *size as f64 / engine.as_secs_f64();
            let cps = *size as f64 / cli.as_secs_f64();
            let doubling = if i == 1 {
                format!("{ratio:.2}x")
            } else {
                String::new()
            };
            println!(
                "{:>9} {:>9.1} {:>12.1} {:>14.0} {:>12.1} {:>14.0} {:>9}",
                size,
                *bytes as f64 / 1e6,
                engine.as_secs_f64() * 1e3,
                eps,
                cli.as_secs_f64() * 1e3,
                cps,
                doubling
            );
        }
        if n >= 100_000 {
            let cps = times[1].0 as f64 / times[1].3.as_secs_f64();
            all_ok &= cps >= CLI_BUDGET_STEPS_PER_SEC;
        }
        if n >= 10_000 {
            all_ok &= ratio <= DOUBLING_BUDGET;
        }
    }
    std::fs::write(
        dir.join("native.json"),
        serde_json::to_string_pretty(&native).expect("json"),
    )
    .expect("write native.json");
    println!(
        "budgets: CLI >= {:.0} steps/s at 1e5 and more; doubling the work <= {DOUBLING_BUDGET}x time (from 1e4 up): {}",
        CLI_BUDGET_STEPS_PER_SEC,
        if all_ok { "met" } else { "NOT MET" }
    );
}
