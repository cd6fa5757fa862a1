//! Random but valid scenarios built from a seed (the property tests' and the diagram tests'
//! generator): a few machines, accounts with random delegation settings, processes with random
//! CoInitializeSecurity settings, and a random tree of calls (COM, RPC, pipes; cloaking,
//! tracking, meanwhile re-entrancy) and server steps.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use serde_json::{json, Value};

use super::Rng;

pub const MACHINES: [&str; 3] = ["M0", "M1", "M2"];
pub const ACCOUNTS: [&str; 6] = ["a0", "a1", "a2", "a3", "a4", "a5"];

pub struct Gen {
    rng: Rng,
    procs: Vec<(String, String)>, // (name, machine)
    logon_accounts: HashSet<String>,
    steps_left: usize,
}

impl Gen {
    /// The scenario of `seed`, and the accounts its `logon_user` steps use.
    pub fn scenario(seed: u64) -> (Value, HashSet<String>) {
        let mut g = Gen {
            rng: Rng(seed | 1),
            procs: Vec::new(),
            logon_accounts: HashSet::new(),
            steps_left: 40,
        };
        let r = &mut g.rng;
        let mut accounts = serde_json::Map::new();
        for (i, a) in ACCOUNTS.iter().enumerate() {
            let delegation = match r.below(5) {
                0 => json!("unconstrained"),
                1 => {
                    json!({"constrained": [format!("svc/M{}", r.below(3))], "any_protocol": r.chance(50)})
                }
                _ => json!("none"),
            };
            let mut acc = json!({"spns": [format!("HTTP/{a}.corp")], "delegation": delegation,
                                 "sensitive": r.chance(15), "protected_users": r.chance(10)});
            // SPEC §7.4, without drawing from the generator's stream.
            if (seed as usize + i) % 7 == 0 {
                acc["admin"] = json!(true);
            }
            if r.chance(20) {
                acc["allowed_to_act"] = json!([ACCOUNTS[(i + 1) % ACCOUNTS.len()]]);
            }
            accounts.insert(a.to_string(), acc);
        }
        // Processes use only a0..a3 (a4, a5 exist but are never part of the chain, unless
        // logon_user picks them).
        let mut processes = serde_json::Map::new();
        let n = 2 + r.below(4);
        for i in 0..n {
            let machine = MACHINES[r.below(3)].to_string();
            let account = match r.below(7) {
                0 => "LocalSystem".to_string(),
                1 => "NetworkService".to_string(),
                2 => "LocalService".to_string(),
                k => ACCOUNTS[k - 3].to_string(),
            };
            let levels = ["none", "connect", "pkt", "pkt_integrity", "pkt_privacy"];
            let imps = ["identify", "impersonate", "delegate"];
            let cloak = ["none", "static", "dynamic"];
            processes.insert(
                format!("p{i}"),
                json!({"machine": machine, "account": account,
                       "kind": if r.chance(25) { "user" } else { "service" },
                       "com": {"authn_level": r.pick(&levels), "imp_level": r.pick(&imps), "cloaking": r.pick(&cloak)},
                       "threading": if r.chance(70) { "sta" } else { "mta" }}),
            );
            g.procs.push((format!("p{i}"), machine));
        }
        let root = 0;
        let steps = g.steps(root, 0);
        let resources = json!({
            "r0": {"machine": "M0", "allow": ["a0", "Everyone"]},
            "r1": {"machine": "M1", "allow": ["a1", "ANONYMOUS LOGON"]},
            "r2": {"machine": "M2", "allow": ["Authenticated Users"], "spn": "svc/M2"}
        });
        let mut s = json!({
            "format": "impersonation-scenario/1",
            "title": format!("generated {seed}"),
            "machines": MACHINES,
            "accounts": accounts,
            "processes": processes,
            "resources": resources,
            "run": {"process": "p0", "steps": steps}
        });
        if seed % 5 == 0 {
            s["domain_controllers"] = json!(["M2"]);
        }
        (s, g.logon_accounts)
    }

    fn steps(&mut self, process: usize, depth: usize) -> Value {
        let count = self.rng.below(5);
        let mut out = Vec::new();
        for _ in 0..count {
            if self.steps_left == 0 {
                break;
            }
            self.steps_left -= 1;
            out.push(self.step(process, depth));
        }
        Value::Array(out)
    }

    fn step(&mut self, process: usize, depth: usize) -> Value {
        let r = &mut self.rng;
        match r.below(12) {
            0..=3 if depth < 4 => self.call(process, depth, None),
            4 | 5 => json!({"do": "impersonate"}),
            6 => json!({"do": "revert"}),
            7 => {
                let a = ACCOUNTS[r.below(ACCOUNTS.len())].to_string();
                self.logon_accounts.insert(a.clone());
                json!({"do": "logon_user", "account": a})
            }
            8 => {
                json!({"do": if r.chance(50) { "access" } else { "access_check" }, "resource": format!("r{}", r.below(3))})
            }
            9 => json!({"do": "open_thread_token", "as_self": r.chance(50)}),
            10 => {
                json!({"do": "duplicate_token", "level": r.pick(&["identify", "impersonate", "delegate", "primary"])})
            }
            _ => json!({"do": "whoami"}),
        }
    }

    /// A call from `process` (or, with `from`, a meanwhile call from `from` to `process`).
    fn call(&mut self, process: usize, depth: usize, from: Option<usize>) -> Value {
        let n = self.procs.len();
        let r = &mut self.rng;
        let (caller, callee) = match from {
            Some(f) => (f, process),
            None => (process, r.below(n)),
        };
        let api = *r.pick(&["com", "com", "rpc", "pipe"]);
        let mut c = json!({
            "api": api,
            "authn": r.pick(&["default", "ntlm", "kerberos", "negotiate", "none"]),
            "imp_level": r.pick(&["identify", "impersonate", "delegate"]),
            "authn_level": r.pick(&["default", "connect", "pkt_privacy"]),
        });
        if api == "com" {
            c["cloaking"] = json!(r.pick(&["none", "static", "dynamic"]));
        } else {
            c["tracking"] = json!(r.pick(&["static", "dynamic"]));
            c["mutual_auth"] = json!(r.chance(50));
            c["ignore_delegate_failure"] = json!(r.chance(50));
        }
        if r.chance(40) {
            c["proxy"] = json!(format!("to-{callee}-{api}"));
        }
        match from {
            Some(_) => c["from"] = json!(self.procs[caller].0),
            None => {
                c["do"] = json!("call");
                c["to"] = json!(self.procs[callee].0);
            }
        }
        c["steps"] = self.steps(callee, depth + 1);
        if from.is_none() && self.rng.chance(25) {
            let f = self.rng.below(n);
            c["meanwhile"] = json!([self.call(caller, depth + 1, Some(f))]);
        }
        c
    }
}
