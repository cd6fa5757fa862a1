//! Engine and CLI benchmarks (issue #6): run by `bash scripts/bench.sh`, which builds this in
//! release mode. For N in 1e3, 1e4, 1e5, 1e6 and twice each, it writes a synthetic scenario of N
//! steps to target/bench/, then measures:
//! - the engine in-process: parse + validate + simulate + serialize the outcome to JSON;
//! - the CLI end to end: `impsim run FILE > /dev/null` (parse, simulate, write the outcome).
//!
//! It prints steps per second against the 1M steps/s budget and the time ratio when the work
//! doubles (budget 2.4x), and writes target/bench/native.json for the wasm comparison.
//!
//! Then the JSON tree reader alone (issue #13): text → `Json` tree, the step of the thorough
//! reader that the playground and any file the fast path leaves go through, by the core's reader
//! and by serde_json's deserializer, which it replaced (both are in this build).
//!
//! Then the fix finder (issue #16 item 6): its median time on every preset (budget 50 ms) and
//! on a generated scenario of 10 processes and 40 steps with three unmet expectations (budget
//! 500 ms), written to target/bench/fix-10x40.json for bench/wasm.mjs and bench/browser.mjs.
//! `--fix` measures the fix finder alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const CLI_BUDGET_STEPS_PER_SEC: f64 = 1_000_000.0;
const DOUBLING_BUDGET: f64 = 2.4;
const FIX_PRESET_BUDGET_MS: f64 = 50.0;
const FIX_BIG_BUDGET_MS: f64 = 500.0;

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
    // `bench --fix`: the fix finder's figures alone.
    if std::env::args().any(|a| a == "--fix") {
        std::process::exit(i32::from(!fix_finder(&dir)));
    }
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
    tree_reader();
    let fix_ok = fix_finder(&dir);
    if !(all_ok && fix_ok) {
        std::process::exit(1);
    }
}

/// JSON text → tree: the core's reader against serde_json's, best of several runs each
/// (building and dropping the tree).
fn tree_reader() {
    use impersonation_core::model::json::{read, read_with_serde_json};
    println!(
        "== JSON text -> tree (the playground's reader): the core's, and serde_json's it replaced"
    );
    for n in [200, 10_000, 100_000] {
        let text = impersonation_core::synthetic::wide(n).to_json_string();
        let mb = text.len() as f64 / 1e6;
        let time = |f: &dyn Fn() -> bool| {
            best_of(runs_for(n) * 2, || {
                let t = Instant::now();
                assert!(std::hint::black_box(f()), "the text reads");
                t.elapsed()
            })
        };
        let ours = time(&|| read(&text).is_ok());
        let theirs = time(&|| read_with_serde_json(&text).is_ok());
        println!(
            "{n:>9} steps {mb:>7.2} MB   core {:>8.3} ms ({:>4.0} MB/s)   serde_json {:>8.3} ms ({:>4.0} MB/s)",
            ours.as_secs_f64() * 1e3,
            mb / ours.as_secs_f64(),
            theirs.as_secs_f64() * 1e3,
            mb / theirs.as_secs_f64()
        );
    }
}

/// The median of `runs` timings of `f`.
fn median_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[runs / 2]
}

/// The fix finder's median time (parse + simulate + search + proposals as JSON).
fn fix_time(text: &str) -> (Duration, usize) {
    let checked = impersonation_core::parse(text).expect("valid scenario");
    let found = impersonation_core::fix::find(&checked, Default::default());
    let time = median_of(11, || {
        let t = Instant::now();
        let checked = impersonation_core::parse(text).expect("valid scenario");
        let f = impersonation_core::fix::find(&checked, Default::default());
        std::hint::black_box(f.to_json_string().len());
        t.elapsed()
    });
    (time, found.proposals.len())
}

/// Prints the fix finder's figures; whether they meet their budgets.
fn fix_finder(dir: &Path) -> bool {
    println!();
    println!("== the fix finder (median of 11: parse, simulate, search, proposals as JSON)");
    let mut ok = true;
    let mut report = |name: &str, (time, proposals): (Duration, usize), budget: f64| {
        let ms = time.as_secs_f64() * 1e3;
        let met = ms <= budget;
        ok &= met;
        println!(
            "{name:<34} {ms:>8.2} ms  {proposals} proposals  (budget {budget} ms){}",
            if met { "" } else { " NOT MET" }
        );
    };
    for p in impersonation_core::presets::PRESETS {
        report(p.id, fix_time(p.json), FIX_PRESET_BUDGET_MS);
    }
    let big = fix_scenario().to_string();
    let outcome = impersonation_core::run_json(&big).expect("valid");
    let unmet = outcome.expectations.iter().filter(|x| !x.met).count();
    let checked = impersonation_core::parse(&big).expect("valid");
    let steps = impersonation_core::synthetic::count_steps(&checked);
    assert_eq!((steps, unmet), (40, 3), "the generated scenario's shape");
    std::fs::write(dir.join("fix-10x40.json"), &big).expect("write fix-10x40.json");
    report(
        "10 processes, 40 steps, 3 unmet",
        fix_time(&big),
        FIX_BIG_BUDGET_MS,
    );
    ok
}

/// 10 processes on 7 machines, 40 steps: alice calls four front ends (RPC over NTLM, and HTTP
/// to an IIS site), each impersonates her and reaches a share and SQL servers; three of those
/// hops are expected to carry alice and do not (the NTLM double hop to the share and to SQL,
/// and HT-5's front end to the share). The fourth block's SPN is owned by nobody.
fn fix_scenario() -> serde_json::Value {
    use serde_json::json;
    let block = |i: usize, to: &str, api: &str, sql: &str, spn: &str| {
        let mut call = json!({"do": "call", "to": to, "label": format!("call-{i}"), "steps": [
            {"do": "impersonate", "label": format!("imp-{i}")},
            {"do": "whoami", "label": format!("who-{i}")},
            {"do": "access", "resource": "share", "label": format!("share-{i}")},
            {"do": "call", "to": sql, "api": "rpc", "authn": "negotiate", "imp_level": "impersonate",
             "spn": spn, "label": format!("sql-{i}")},
            {"do": "revert", "label": format!("revert-{i}")},
            {"do": "access", "resource": "log", "label": format!("log-{i}")},
            {"do": "whoami", "label": format!("after-{i}")}
        ]});
        call["api"] = json!(api);
        if api == "rpc" {
            call["authn"] = json!("ntlm");
            call["imp_level"] = json!("impersonate");
        }
        call
    };
    let mut steps = vec![
        block(0, "web1", "rpc", "sql1", "MSSQLSvc/db1.corp.example:1433"),
        block(1, "web2", "rpc", "sql2", "MSSQLSvc/db1.corp.example:1434"),
        block(2, "site", "http", "sql1", "MSSQLSvc/db1.corp.example:1433"),
        block(3, "report", "rpc", "sql2", "MSSQLSvc/db1.corp.example:1435"),
    ];
    for i in 0..8 {
        steps.push(json!({"do": "whoami", "label": format!("top-{i}")}));
    }
    json!({
        "format": "impersonation-scenario/1",
        "title": "fix finder bench: 10 processes, 40 steps",
        "machines": ["WS1", "APP1", "APP2", "WEB3", "APP3", "DB1", "FS1"],
        "accounts": {
            "alice": {}, "svcWeb1": {}, "svcWeb2": {}, "svcRep": {},
            "svcSql1": {"spns": ["MSSQLSvc/db1.corp.example:1433"]},
            "svcSql2": {"spns": ["MSSQLSvc/db1.corp.example:1434"]}
        },
        "processes": {
            "client": {"machine": "WS1", "account": "alice", "kind": "user"},
            "web1": {"machine": "APP1", "account": "svcWeb1"},
            "web2": {"machine": "APP2", "account": "svcWeb2"},
            "site": {"machine": "WEB3", "account": "ApplicationPoolIdentity"},
            "report": {"machine": "APP3", "account": "svcRep"},
            "sql1": {"machine": "DB1", "account": "svcSql1"},
            "sql2": {"machine": "DB1", "account": "svcSql2"},
            "agent": {"machine": "FS1", "account": "LocalSystem"},
            "cache": {"machine": "APP1", "account": "NetworkService"},
            "logger": {"machine": "APP2", "account": "LocalService"}
        },
        "resources": {
            "share": {"machine": "FS1", "allow": ["alice"]},
            "log": {"machine": "APP1", "allow": ["Authenticated Users"]}
        },
        "run": {"process": "client", "steps": steps},
        "expect": {
            "share-0": {"seen_as": "alice"},
            "sql-1": {"seen_as": "alice"},
            "share-2": {"seen_as": "alice"}
        }
    })
}
