//! The security review (SPEC §8.3): each finding fires on a small scenario and not once the fix
//! it names is applied; one grant gives one finding, its most severe; titles, severities and the
//! JSON shape of §8.4 are exact; every preset and worked case is reviewed. Native and wasm.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

use impersonation_core::review::{review, Severity};
use serde_json::{json, Value};

/// alice on WS1 calls web (svcApp) on APP1; DC1 is a machine, not yet a domain controller.
fn base() -> Value {
    json!({
        "format": "impersonation-scenario/1",
        "title": "review",
        "machines": ["WS1", "APP1", "DB1", "DC1"],
        "accounts": { "alice": {}, "svcApp": {} },
        "processes": {
            "client": { "machine": "WS1", "account": "alice", "kind": "user" },
            "web": { "machine": "APP1", "account": "svcApp" }
        },
        "run": { "process": "client", "steps": [ { "do": "call", "to": "web" } ] }
    })
}

/// `(id, subject)` of every finding, in the review's order.
fn findings(s: &Value) -> Vec<(String, String)> {
    let checked = impersonation_core::parse(&s.to_string()).expect("a valid scenario");
    review(&checked)
        .findings
        .into_iter()
        .map(|f| (f.id.to_string(), f.subject))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Each finding: the scenario that shows it, exactly what the review reports, and the same
/// scenario after the finding's fix, which must not report that finding any more.
struct Case {
    id: &'static str,
    show: fn(&mut Value),
    want: &'static [(&'static str, &'static str)],
    fix: fn(&mut Value),
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            id: "SR-1",
            show: |s| s["accounts"]["svcApp"]["delegation"] = json!("unconstrained"),
            want: &[("SR-1", "svcApp")],
            fix: |s| {
                s["accounts"]["svcApp"]["delegation"] = json!({"constrained": ["cifs/DB1"]});
            },
        },
        Case {
            // A LocalSystem service on a machine trusted for unconstrained delegation: SR-11
            // instead of SR-1 for APP1$.
            id: "SR-11",
            show: |s| {
                s["accounts"]["APP1$"] = json!({"delegation": "unconstrained"});
                s["processes"]["agent"] = json!({"machine": "APP1", "account": "LocalSystem"});
            },
            want: &[("SR-11", "agent")],
            fix: |s| s["accounts"]["APP1$"] = json!({}),
        },
        Case {
            // Protocol transition to a DC's LDAP: SR-2 only, not also SR-3.
            id: "SR-2",
            show: |s| {
                s["domain_controllers"] = json!(["DC1"]);
                s["accounts"]["svcApp"]["delegation"] = json!({"constrained": ["cifs/DB1", "ldap/dc1.corp.local"], "any_protocol": true});
            },
            want: &[("SR-2", "svcApp")],
            fix: |s| {
                s["accounts"]["svcApp"]["delegation"] = json!({"constrained": ["cifs/DB1"]});
            },
        },
        Case {
            id: "SR-3",
            show: |s| {
                s["accounts"]["svcApp"]["delegation"] =
                    json!({"constrained": ["cifs/DB1"], "any_protocol": true});
            },
            want: &[("SR-3", "svcApp")],
            fix: |s| {
                s["accounts"]["svcApp"]["delegation"]["any_protocol"] = json!(false);
            },
        },
        Case {
            id: "SR-4",
            show: |s| {
                s["domain_controllers"] = json!(["DC1"]);
                s["accounts"]["DC1$"] = json!({"allowed_to_act": ["svcApp"]});
            },
            want: &[("SR-4", "DC1$")],
            fix: |s| {
                s["accounts"]["DC1$"] = json!({});
                s["accounts"]["DB1$"] = json!({"allowed_to_act": ["svcApp"]});
            },
        },
        Case {
            id: "SR-7",
            show: |s| s["accounts"]["svcApp"]["spns"] = json!(["HTTP/app1.corp.local"]),
            want: &[("SR-7", "svcApp")],
            fix: |s| {
                s["accounts"]["svcApp"] = json!({});
                s["accounts"]["APP1$"] = json!({"spns": ["HTTP/app1.corp.local"]});
            },
        },
        Case {
            id: "SR-8",
            show: |s| s["accounts"]["alice"]["admin"] = json!(true),
            want: &[("SR-8", "alice")],
            fix: |s| s["accounts"]["alice"]["sensitive"] = json!(true),
        },
        Case {
            // Kerberos at Delegate to a server trusted for unconstrained delegation: the call
            // hands over alice's TGT (SR-9), besides the grant (SR-1) and the SPN (SR-7).
            id: "SR-9",
            show: |s| {
                s["accounts"]["svcApp"] =
                    json!({"spns": ["HTTP/app1"], "delegation": "unconstrained"});
                s["run"]["steps"][0]["authn"] = json!("kerberos");
                s["run"]["steps"][0]["imp_level"] = json!("delegate");
            },
            want: &[
                ("SR-1", "svcApp"),
                ("SR-9", "run.steps[0]"),
                ("SR-7", "svcApp"),
            ],
            fix: |s| s["run"]["steps"][0]["imp_level"] = json!("impersonate"),
        },
        Case {
            // The service web logs alice on with her password; a user's own process may.
            id: "SR-10",
            show: |s| {
                s["run"]["steps"][0]["steps"] = json!([{"do": "logon_user", "account": "alice"}]);
            },
            want: &[("SR-10", "run.steps[0].steps[0]")],
            fix: |s| {
                s["run"]["steps"] = json!([{"do": "logon_user", "account": "alice"}]);
            },
        },
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn each_finding_fires_and_its_fix_removes_it() {
    assert_eq!(findings(&base()), vec![], "the base scenario is clean");
    let mut fails = Vec::new();
    for c in cases() {
        let mut shown = base();
        (c.show)(&mut shown);
        let got = findings(&shown);
        if got != pairs(c.want) {
            fails.push(format!("{}: want {:?}, got {got:?}", c.id, c.want));
        }
        let mut fixed = shown.clone();
        (c.fix)(&mut fixed);
        let after = findings(&fixed);
        if after.iter().any(|(id, _)| id == c.id) {
            fails.push(format!("{}: still reported after its fix: {after:?}", c.id));
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn domain_controllers_are_exempt_from_what_windows_gives_them() {
    let mut s = base();
    s["domain_controllers"] = json!(["DC1"]);
    s["accounts"]["DC1$"] = json!({"delegation": "unconstrained"});
    s["processes"]["ntds"] = json!({"machine": "DC1", "account": "LocalSystem"});
    assert_eq!(findings(&s), vec![]);
    // An admin protected either way is fine too.
    s["accounts"]["alice"] = json!({"admin": true, "protected_users": true});
    assert_eq!(findings(&s), vec![]);
    // KCD to a DC named by its short name, Kerberos only: still SR-2.
    s["accounts"]["svcApp"]["delegation"] = json!({"constrained": ["cifs/DC1"]});
    assert_eq!(findings(&s), pairs(&[("SR-2", "svcApp")]));
    // A host that only starts like the DC's name is another machine.
    s["accounts"]["svcApp"]["delegation"] = json!({"constrained": ["cifs/DC10.corp"]});
    assert_eq!(findings(&s), vec![]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn titles_and_severities_are_the_catalogues() {
    let want = [
        (
            "SR-1",
            Severity::High,
            "Unconstrained delegation on a server that is not a domain controller",
        ),
        (
            "SR-2",
            Severity::High,
            "Constrained delegation to a service of a domain controller",
        ),
        (
            "SR-3",
            Severity::Medium,
            "Protocol transition (use any authentication protocol)",
        ),
        (
            "SR-4",
            Severity::High,
            "Resource-based delegation to a domain controller",
        ),
        (
            "SR-7",
            Severity::Low,
            "SPNs on a user account (Kerberoasting)",
        ),
        (
            "SR-8",
            Severity::High,
            "A privileged account that can be delegated",
        ),
        (
            "SR-9",
            Severity::Medium,
            "A client hands its TGT to a server",
        ),
        (
            "SR-10",
            Severity::Medium,
            "A service logs users on with their passwords",
        ),
        (
            "SR-11",
            Severity::High,
            "A LocalSystem service on a machine trusted for unconstrained delegation",
        ),
    ];
    let mut seen = Vec::new();
    for c in cases() {
        let mut s = base();
        (c.show)(&mut s);
        let checked = impersonation_core::parse(&s.to_string()).unwrap();
        for f in review(&checked).findings {
            let (_, severity, title) = want
                .iter()
                .find(|(id, _, _)| *id == f.id.as_str())
                .unwrap_or_else(|| panic!("unexpected {}", f.id));
            assert_eq!((f.severity, f.title), (*severity, *title), "{}", f.id);
            assert_eq!(f.title, f.id.rule().title);
            seen.push(f.id.as_str());
        }
    }
    for (id, _, _) in want {
        assert!(seen.contains(&id), "{id} never fired");
    }
    // The two that need SPN owners (SPEC §7.1) are catalogued, marked not simulated.
    for id in ["SR-5", "SR-6"] {
        let r = impersonation_core::rules::get(id).expect("catalogued");
        assert!(matches!(
            r.coverage,
            impersonation_core::rules::Coverage::NotSimulated(_)
        ));
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_json_has_the_shape_of_section_8_4() {
    let mut s = base();
    s["accounts"]["svcApp"]["delegation"] = json!("unconstrained");
    s["accounts"]["alice"]["admin"] = json!(true);
    s["accounts"]["bob"] = json!({"spns": ["HTTP/x"]});
    let checked = impersonation_core::parse(&s.to_string()).unwrap();
    let json: Value = serde_json::from_str(&review(&checked).to_json_string()).unwrap();
    assert_eq!(json["format"], "impersonation-review/1");
    let findings = json["findings"].as_array().unwrap();
    // Most severe first, then in the scenario's order: alice is declared before svcApp.
    let order: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["id"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(order, [("SR-8", "high"), ("SR-1", "high"), ("SR-7", "low")]);
    let first = findings[1].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["id", "severity", "subject", "title", "explain", "sources", "fix"]
    );
    assert_eq!(
        first["explain"],
        "svcApp is trusted for unconstrained delegation: every user who calls its services at \
         Delegate hands it a TGT it can use anywhere."
    );
    assert_eq!(
        first["fix"],
        "Clear it and delegate only to the services it needs (constrained or resource-based \
         delegation): Set-ADAccountControl -Identity 'svcApp' -TrustedForDelegation $false"
    );
    assert_eq!(first["sources"][0]["id"], "S59");
    assert!(first["sources"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_preset_is_reviewed() {
    for p in impersonation_core::presets::PRESETS {
        let checked = impersonation_core::parse(p.json).expect("valid preset");
        let r = review(&checked);
        assert!(
            r.findings
                .windows(2)
                .all(|w| w[0].severity <= w[1].severity),
            "{}",
            p.id
        );
    }
    // kerberos-unconstrained: the web server's grant, alice's TGT handed over, two SPNs on users.
    let checked = impersonation_core::parse(
        impersonation_core::presets::get("kerberos-unconstrained")
            .unwrap()
            .json,
    )
    .unwrap();
    let ids: Vec<String> = review(&checked)
        .findings
        .iter()
        .map(|f| format!("{} {}", f.id, f.subject))
        .collect();
    assert_eq!(
        ids,
        [
            "SR-1 svcApp",
            "SR-9 run.steps[0]",
            "SR-7 svcApp",
            "SR-7 svcDB"
        ]
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_worked_case_is_reviewed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            let case: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let checked = impersonation_core::parse(&case["scenario"].to_string()).unwrap();
            let r = review(&checked);
            assert!(r
                .findings
                .iter()
                .all(|f| !f.fix.is_empty() && !f.explain.is_empty()));
            n += 1;
        }
    }
    assert!(n >= 20);
}
