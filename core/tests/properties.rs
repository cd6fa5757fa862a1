//! Property tests of the engine's invariants over generated scenarios (10,000 per run).
//!
//! Each case is a random but valid scenario built from a seed: a few machines, accounts with
//! random delegation settings, processes with random CoInitializeSecurity settings, and a random
//! tree of calls (COM, RPC, pipes; cloaking, tracking, meanwhile re-entrancy) and server steps.
//! The invariants:
//! 1. no level is ever raised: a callee's token is never above the level the client asked for
//!    (options off, no Schannel, no Anonymous), impersonation yields at most the call's level,
//!    and a successful DuplicateTokenEx never asks for more than the thread holds (TK-1);
//! 2. a callee sees an identity of the chain (a process's account, an account used by
//!    logon_user), a computer account, or ANONYMOUS LOGON, never an uninvolved account;
//! 3. frames balance: every successful call returns exactly once, in LIFO order, and a failed
//!    call runs none of its steps;
//! 4. revert follows CO-4 and RP-2: RPC and pipe reverts return to the process token; a COM revert
//!    returns to the token the frame started with when nothing foreign touched the thread.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use serde_json::{json, Value};

mod common;
use common::generate::{Gen, MACHINES};

fn level_rank(v: &Value) -> i32 {
    match v.as_str() {
        Some("anonymous") => 0,
        Some("identify") => 1,
        Some("impersonate") => 2,
        Some("delegate") => 3,
        _ => -1,
    }
}

/// The JSON object at an outcome step path such as `run.steps[0].meanwhile[1].steps[2]`.
fn at_path<'a>(s: &'a Value, path: &str) -> &'a Value {
    let mut cur = s;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        cur = &cur[key];
        if let Some(i) = index {
            cur = &cur[i];
        }
    }
    cur
}

/// The call whose `steps` contain the step at `path`, and the step's index there.
fn enclosing_call<'a>(s: &'a Value, path: &str) -> Option<(&'a Value, usize)> {
    let cut = path.rfind(".steps[")?;
    let parent = &path[..cut];
    let index = path[cut + 7..].trim_end_matches(']').parse().ok()?;
    if parent == "run" {
        return None;
    }
    Some((at_path(s, parent), index))
}

fn check(seed: u64) -> Result<(), String> {
    let (s, logon_accounts) = Gen::scenario(seed);
    let text = s.to_string();
    let scenario = impersonation_core::parse(&text)
        .map_err(|e| format!("generated an invalid scenario: {e}\n{s}"))?;
    // The fast reader (feature fast-read) and the tree decoder read the same scenario.
    let thorough = impersonation_core::model::decode::from_json_str_thorough(&text);
    if thorough.as_ref() != Ok(&scenario) {
        return Err(format!("the readers differ on\n{s}"));
    }
    let outcome = impersonation_core::simulate(&scenario);
    let events: Vec<&impersonation_core::Event> = outcome.events.iter().collect();
    let json = serde_json::to_value(&outcome).unwrap();
    let jevents = json["events"].as_array().unwrap();

    // 1b. each failed or anonymous event names the setting that decides it (tests/settings.rs).
    for e in &events {
        let anonymous = matches!(&e.seen_as, Some(Some(w)) if w.contains("ANONYMOUS"));
        if e.status == "ok" && !anonymous {
            continue;
        }
        let Some(set) = &e.setting else {
            return Err(format!(
                "seed {seed}: {} names no deciding setting: {}\n{s}",
                e.step, e.explain
            ));
        };
        common::setting_resolves(&s, &set.path).map_err(|w| format!("seed {seed}: {w}\n{s}"))?;
    }

    // 2. the identities a callee may see.
    let mut allowed: HashSet<String> = [
        "NT AUTHORITY\\ANONYMOUS LOGON",
        "NT AUTHORITY\\SYSTEM",
        "NT AUTHORITY\\NETWORK SERVICE",
        "NT AUTHORITY\\LOCAL SERVICE",
        "IIS APPPOOL\\DefaultAppPool",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    for m in MACHINES {
        allowed.insert(format!("CORP\\{m}$"));
    }
    for p in s["processes"].as_object().unwrap().values() {
        allowed.insert(format!("CORP\\{}", p["account"].as_str().unwrap()));
    }
    for a in &logon_accounts {
        allowed.insert(format!("CORP\\{a}"));
    }

    let mut frames: Vec<(String, u32, String, Option<i32>)> = Vec::new(); // (call path, callee thread, entry identity, entry level)
    let mut last: HashMap<u32, (String, Option<i32>)> = HashMap::new();
    let mut executed_failed_calls: Vec<String> = Vec::new();
    for (e, j) in events.iter().zip(jevents) {
        for failed in &executed_failed_calls {
            if e.step.starts_with(&format!("{failed}.")) {
                return Err(format!(
                    "seed {seed}: {} ran inside failed call {failed}",
                    e.step
                ));
            }
        }
        let level = e.level.map(|l| level_rank(&json!(l.as_str())));
        match e.action {
            "call" if e.status == "ok" => {
                let seen = e.seen_as.clone().flatten().unwrap_or_default();
                if !allowed.contains(&seen) {
                    return Err(format!(
                        "seed {seed}: {} sees {seen}, not in the chain",
                        e.step
                    ));
                }
                let call = at_path(&s, &e.step);
                let requested = level_rank(&call["imp_level"]);
                let seen_level = level_rank(&j["seen_level"]);
                // NP-3 (AM-3's default since §7.2, SM-2): a remote pipe's level comes from the
                // server's account, whatever the client asked for.
                let np3 = e.rules.iter().any(|r| r.as_str() == "NP-3");
                if seen_level > requested.max(1) && !np3 {
                    return Err(format!(
                        "seed {seed}: {} raised the level to {} (asked {})",
                        e.step, j["seen_level"], call["imp_level"]
                    ));
                }
                let callee = e.detail.callee_thread.unwrap();
                let callee_name = if let Some(to) = &e.to {
                    to.clone()
                } else {
                    return Err(format!("seed {seed}: call without to"));
                };
                let as_client = call["api"] == "http"
                    && s["processes"][&callee_name]["http"]["runs_as_client"] == true
                    && !seen.contains("ANONYMOUS");
                let entry = if e.detail.nested {
                    last.get(&callee).cloned().unwrap_or_default()
                } else if as_client {
                    // HT-7: the request runs with the client's token as its primary token.
                    (seen.clone(), None)
                } else {
                    let account = s["processes"][&callee_name]["account"].as_str().unwrap();
                    let display = match account {
                        "LocalSystem" => "NT AUTHORITY\\SYSTEM".to_string(),
                        "NetworkService" => "NT AUTHORITY\\NETWORK SERVICE".to_string(),
                        "LocalService" => "NT AUTHORITY\\LOCAL SERVICE".to_string(),
                        "ApplicationPoolIdentity" => "IIS APPPOOL\\DefaultAppPool".to_string(),
                        a => format!("CORP\\{a}"),
                    };
                    (display, None)
                };
                frames.push((e.step.clone(), callee, entry.0.clone(), entry.1));
                last.insert(callee, entry);
            }
            "call" => executed_failed_calls.push(e.step.clone()),
            "return" => match frames.pop() {
                Some((path, callee, entry, entry_level)) if path == e.step => {
                    // CO-6: the serving thread gets back the token it had when the call arrived.
                    last.insert(callee, (entry, entry_level));
                }
                other => {
                    return Err(format!(
                        "seed {seed}: return of {} but the open call is {:?}",
                        e.step,
                        other.map(|o| o.0)
                    ))
                }
            },
            "impersonate" if e.status == "ok" => {
                let frame = frames.iter().rev().find(|f| f.1 == e.detail.thread);
                let Some(frame) = frame else {
                    return Err(format!("seed {seed}: impersonated outside a call"));
                };
                let call = jevents
                    .iter()
                    .find(|x| x["step"] == frame.0.as_str() && x["do"] == "call")
                    .unwrap();
                if level > Some(level_rank(&call["seen_level"])) {
                    return Err(format!(
                        "seed {seed}: {} impersonates above the call's level",
                        e.step
                    ));
                }
            }
            "duplicate_token" if e.status == "ok" => {
                let step = at_path(&s, &e.step);
                let wanted = match step["level"].as_str() {
                    Some("primary") => 2,
                    _ => level_rank(&step["level"]),
                };
                let before = last.get(&e.detail.thread).and_then(|x| x.1).unwrap_or(-1);
                if wanted > before {
                    return Err(format!(
                        "seed {seed}: {} duplicated above the source level",
                        e.step
                    ));
                }
            }
            "revert" => {
                if let Some((call, index)) = enclosing_call(&s, &e.step) {
                    let api = call["api"].as_str().unwrap_or("com");
                    if api != "com" && e.level.is_some() {
                        return Err(format!(
                            "seed {seed}: RP-2 revert at {} kept a token",
                            e.step
                        ));
                    }
                    let foreign = call["steps"].as_array().unwrap()[..index]
                        .iter()
                        .any(|x| x["do"] == "logon_user");
                    if api == "com" && !foreign {
                        let frame = frames
                            .iter()
                            .rev()
                            .find(|f| f.1 == e.detail.thread)
                            .unwrap();
                        if (frame.2.clone(), frame.3) != (e.identity.clone(), level) {
                            return Err(format!(
                                "seed {seed}: CO-4 revert at {} gives {} {:?}, frame began with {} {:?}",
                                e.step, e.identity, level, frame.2, frame.3
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        last.insert(e.detail.thread, (e.identity.clone(), level));
    }
    if !frames.is_empty() {
        return Err(format!(
            "seed {seed}: {} calls never returned",
            frames.len()
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn engine_invariants(seed in any::<u64>()) {
        if let Err(e) = check(seed) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The scenario writer (model/encode.rs writes text directly) prints exactly serde_json's
/// compact and pretty layouts, and what it writes reads back as the same scenario.
fn writer_round_trip(text: &str) -> Result<(), String> {
    let s = impersonation_core::parse(text).map_err(|e| e.to_string())?;
    for (ours, pretty) in [(s.to_json_string(), false), (s.to_json_pretty(), true)] {
        let v: Value = serde_json::from_str(&ours).map_err(|e| format!("{e}: {ours}"))?;
        let theirs = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            v.to_string()
        };
        if ours != theirs {
            return Err(format!("layout differs:\n{ours}\n{theirs}"));
        }
        let back = impersonation_core::parse(&ours).map_err(|e| e.to_string())?;
        if back != s {
            return Err(format!("reads back differently: {ours}"));
        }
    }
    Ok(())
}

#[test]
fn the_writer_prints_serde_json_layouts_and_reads_back() {
    for seed in 0..2_000 {
        let (s, _) = Gen::scenario(seed);
        if let Err(e) = writer_round_trip(&s.to_string()) {
            panic!("seed {seed}: {e}");
        }
    }
    for p in impersonation_core::presets::PRESETS {
        writer_round_trip(p.json).unwrap_or_else(|e| panic!("preset {}: {e}", p.id));
    }
    // Every character JSON escapes, and some it does not.
    let odd = "q\"b\\s\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀 </x>";
    let mut s = impersonation_core::synthetic::wide(3);
    // An option switched off from a true default is written as false (AM-3, SPEC §7.2).
    s.options.remote_pipe_level_from_server_account = false;
    s.options.s4u_without_rbcd_bit = true;
    s.title = odd.into();
    s.description = Some(odd.into());
    let text = s.to_json_string();
    let want = r#""title":"q\"b\\s\n\r\t\b\f\u0001\u001f"#.to_string() + "\u{7f} é 😀 </x>\"";
    assert!(text.contains(&want), "{text}");
    assert!(
        text.contains(r#""options":{"remote_pipe_level_from_server_account":false,"s4u_without_rbcd_bit":true}"#),
        "{text}"
    );
    writer_round_trip(&text).unwrap();
}

#[test]
fn the_generator_covers_every_kind_of_step() {
    let mut seen = HashSet::new();
    for seed in 0..300 {
        let (s, _) = Gen::scenario(seed);
        let text = s.to_string();
        for kind in impersonation_core::model::Action::NAMES {
            if text.contains(&format!("\"do\":\"{kind}\"")) {
                seen.insert(kind);
            }
        }
        if text.contains("\"meanwhile\"") {
            seen.insert("meanwhile");
        }
    }
    for kind in [
        "call",
        "impersonate",
        "revert",
        "logon_user",
        "access",
        "meanwhile",
    ] {
        assert!(seen.contains(kind), "generator never makes {kind}");
    }
}

#[test]
#[ignore]
fn dump_seed() {
    let seed: u64 = std::env::var("SEED").unwrap().parse().unwrap();
    let (s, _) = Gen::scenario(seed);
    std::fs::write("/tmp/seed.json", serde_json::to_string_pretty(&s).unwrap()).unwrap();
}
