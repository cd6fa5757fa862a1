//! Each failed or anonymous event names the setting that decides it (a path into the scenario
//! and a label), for the playground's link from an explanation to the editor; the setting is
//! not part of the outcome JSON. Checked over every preset and every worked case; the
//! generated scenarios of `properties.rs` check it too.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use impersonation_core::{Checked, Event};

/// The case list also declares a test per case (for `cases.rs`); here only the list is used.
macro_rules! case_test {
    ($name:ident, $file:literal) => {};
}

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

fn needs_setting(e: &Event) -> bool {
    e.status != "ok" || matches!(&e.seen_as, Some(Some(who)) if who.contains("ANONYMOUS"))
}

/// Every failed or anonymous event of `s` has a setting that resolves; returns the failures.
fn check(name: &str, s: &Checked) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&s.to_json_string()).unwrap();
    let outcome = impersonation_core::simulate(s);
    let mut fails = Vec::new();
    for e in outcome.events.iter().filter(|e| needs_setting(e)) {
        match &e.setting {
            None => fails.push(format!(
                "{name} {}: no deciding setting: {}",
                e.step, e.explain
            )),
            Some(set) => {
                if let Err(why) = common::setting_resolves(&json, &set.path) {
                    fails.push(format!("{name} {}: {why}", e.step));
                }
                if set.label.is_empty() {
                    fails.push(format!("{name} {}: empty label", e.step));
                }
            }
        }
    }
    fails
}

#[test]
fn every_failed_or_anonymous_event_of_the_presets_and_cases_names_its_setting() {
    let mut fails = Vec::new();
    let mut checked = 0;
    for p in impersonation_core::presets::PRESETS {
        let s = impersonation_core::parse(p.json).unwrap();
        checked += impersonation_core::simulate(&s)
            .events
            .iter()
            .filter(|e| needs_setting(e))
            .count();
        fails.extend(check(p.id, &s));
    }
    for (name, text) in CASES {
        let case: serde_json::Value = serde_json::from_str(text).unwrap();
        let s = impersonation_core::parse(&case["scenario"].to_string()).unwrap();
        checked += impersonation_core::simulate(&s)
            .events
            .iter()
            .filter(|e| needs_setting(e))
            .count();
        fails.extend(check(name, &s));
    }
    assert!(
        checked >= 30,
        "only {checked} failed or anonymous events checked"
    );
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[test]
fn the_double_hop_names_who_the_acl_was_checked_against_and_the_delegation_setting() {
    let s = impersonation_core::parse(
        impersonation_core::presets::get("ntlm-double-hop")
            .unwrap()
            .json,
    )
    .unwrap();
    let outcome = impersonation_core::simulate(&s);
    let e = outcome.by_label("web-opens-share-on-fs1").unwrap();
    assert_eq!(e.status, "ERROR_ACCESS_DENIED");
    assert!(
        e.explain.starts_with(
            "Opening share on FS1 over SMB (cifs/FS1): FS1 authenticates NT AUTHORITY\\ANONYMOUS LOGON; \
             its ACL allows CORP\\alice but not NT AUTHORITY\\ANONYMOUS LOGON, so access is denied."
        ),
        "{}",
        e.explain
    );
    // AM-15 (SPEC §7.2): the front asks for S4U2proxy even with nothing configured.
    assert!(e
        .explain
        .contains("svcApp is not trusted for delegation: the KDC refuses its S4U2proxy."));
    assert!(e.kdc_status.is_some_and(|k| k == "STATUS_NOT_FOUND"));
    let set = e.setting.as_ref().unwrap();
    assert_eq!(set.path, "accounts.svcApp.delegation");
    assert_eq!(set.label, "Delegation of svcApp");
    assert_eq!(set.place(), "Cast › Accounts › svcApp");
    // A local access that is granted says so without repeating the name.
    let ok = outcome.by_label("web-opens-local-file").unwrap();
    assert!(
        ok.explain
            .ends_with("its ACL allows CORP\\alice, so access is granted."),
        "{}",
        ok.explain
    );
    assert_eq!(ok.setting, None);
}

/// SP-3: an SPN nobody registered settles a fallback to NTLM whatever follows (no delegation
/// setting reaches a name the KDC has no key for), so the query of the IIS story names its SPN,
/// not the front end's delegation; the query whose SPN is registered names the front end.
#[test]
fn a_fallback_for_an_unregistered_spn_names_the_spn() {
    let s = impersonation_core::parse(
        impersonation_core::presets::get("iis-sql-missing-spn")
            .unwrap()
            .json,
    )
    .unwrap();
    let outcome = impersonation_core::simulate(&s);
    let e = outcome.by_label("query-without-spn").unwrap();
    assert!(e
        .explain
        .contains("MSSQLSvc/db1.corp.example:1433 is registered on no account"));
    let set = e.setting.as_ref().unwrap();
    assert_eq!(set.path, "run.steps[0].steps[1].spn");
    let other = outcome.by_label("query-with-spn").unwrap();
    assert_ne!(
        other.setting.as_ref().unwrap().path,
        "run.steps[0].steps[2].spn"
    );
}

#[test]
fn the_setting_stays_out_of_the_outcome_json() {
    let s = impersonation_core::parse(
        impersonation_core::presets::get("ntlm-double-hop")
            .unwrap()
            .json,
    )
    .unwrap();
    let text = impersonation_core::simulate(&s).to_json_string();
    assert!(!text.contains("setting"), "{text}");
    assert!(!text.contains("accounts.svcApp"), "{text}");
}

#[test]
fn the_path_check_refuses_what_the_scenario_does_not_have() {
    let s = impersonation_core::parse(
        impersonation_core::presets::get("ntlm-double-hop")
            .unwrap()
            .json,
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&s.to_json_string()).unwrap();
    for good in [
        "accounts.svcApp.delegation",
        "processes.web.com.imp_level",
        "processes.db.com.authn_level",
        "resources.share.spn",
        "options.traditional_nesting",
        "run.steps[0].imp_level",
        "run.steps[0].steps[2].resource",
    ] {
        assert_eq!(common::setting_resolves(&json, good), Ok(()), "{good}");
    }
    for bad in [
        "accounts.nobody.delegation",
        "accounts.svcApp.colour",
        "run.steps[9].imp_level",
        "run.steps[0].steps[0].imp_level",
        "options.no_such_switch",
    ] {
        assert!(common::setting_resolves(&json, bad).is_err(), "{bad}");
    }
}
