//! Unit tests per rule family: small scenarios, each asserting the outcome a rule decides.
//! (The worked cases of cases.md live in `tests/cases/`; these probe each rule on its own.)

use serde_json::{json, Value};

/// The shared environment of cases.md; `steps` run on `client` (alice at WS1).
fn scenario(processes: Value, steps: Value) -> Value {
    let mut procs = json!({
        "client": {"machine": "WS1", "account": "alice", "kind": "user"},
        "B": {"machine": "APP1", "account": "svcApp"},
        "C": {"machine": "DB1", "account": "svcDB"},
        "D": {"machine": "FS1", "account": "svcFS"}
    });
    for (k, v) in processes.as_object().unwrap() {
        procs[k] = v.clone();
    }
    json!({
        "format": "impersonation-scenario/1",
        "title": "unit",
        "machines": ["WS1", "APP1", "APP2", "DB1", "FS1"],
        "accounts": {
            "alice": {}, "bob": {}, "dave": {},
            "svcApp": {"spns": ["HTTP/app1.corp.local"]},
            "svcApp2": {"spns": ["HTTP/app2.corp.local"]},
            "svcDB": {"spns": ["MSSQLSvc/db1.corp.local:1433"]},
            "svcFS": {}
        },
        "processes": procs,
        "resources": {
            "F_alice_app1": {"machine": "APP1", "allow": ["alice"]},
            "F_alice_db1": {"machine": "DB1", "allow": ["alice"]},
            "F_alice_ws1": {"machine": "WS1", "allow": ["alice"]},
            "Share": {"machine": "FS1", "allow": ["alice"]},
            "Open": {"machine": "FS1", "allow": ["ANONYMOUS LOGON", "alice"]}
        },
        "run": {"process": "client", "steps": steps}
    })
}

fn with(mut s: Value, path: &[&str], v: Value) -> Value {
    let mut cur = &mut s;
    for p in &path[..path.len() - 1] {
        cur = &mut cur[*p];
    }
    cur[path[path.len() - 1]] = v;
    s
}

fn run(s: &Value) -> Vec<Value> {
    let scenario = impersonation_core::parse(&s.to_string())
        .unwrap_or_else(|e| panic!("invalid test scenario:\n{e}"));
    let outcome = impersonation_core::simulate(&scenario);
    serde_json::to_value(&outcome).unwrap()["events"]
        .as_array()
        .unwrap()
        .clone()
}

fn ev<'a>(events: &'a [Value], label: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["label"] == label && e["do"] != "return")
        .unwrap_or_else(|| panic!("no event {label}: {events:#?}"))
}

fn ret<'a>(events: &'a [Value], label: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["label"] == label && e["do"] == "return")
        .unwrap_or_else(|| panic!("no return {label}"))
}

fn cites(e: &Value, id: &str) -> bool {
    e["rules"].as_array().unwrap().iter().any(|r| r == id)
}

// ---- LV: impersonation levels ---------------------------------------------------------------

#[test]
fn lv3_com_defaults_to_identify_and_lv1_identify_cannot_open() {
    let s = scenario(
        json!({"B": {"machine": "WS1", "account": "LocalSystem"}}),
        json!([{"do": "call", "to": "B", "label": "c", "steps": [
            {"do": "impersonate", "label": "imp"},
            {"do": "access_check", "resource": "F_alice_ws1", "label": "check"},
            {"do": "access", "resource": "F_alice_ws1", "label": "open"},
            {"do": "whoami", "label": "who"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "c")["seen_level"], "identify");
    assert!(cites(ev(&e, "c"), "LV-3"));
    assert_eq!(
        ev(&e, "c")["authn_level"],
        "connect",
        "AL-2: local COM keeps its level"
    );
    assert_eq!(ev(&e, "imp")["level"], "identify");
    assert_eq!(ev(&e, "check")["status"], "ok");
    assert_eq!(ev(&e, "open")["status"], "ERROR_BAD_IMPERSONATION_LEVEL");
    assert_eq!(ev(&e, "who")["status"], "ERROR_BAD_IMPERSONATION_LEVEL");
}

#[test]
fn lv2_anonymous_is_promoted_to_identify_off_the_machine() {
    let s = scenario(
        json!({}),
        json!([
            {"do": "call", "to": "B", "imp_level": "anonymous", "label": "remote"},
            {"do": "call", "to": "L", "imp_level": "anonymous", "label": "local", "steps": [
                {"do": "impersonate", "label": "imp"},
                {"do": "open_thread_token", "as_self": true, "label": "otk"}
            ]}
        ]),
    );
    let s = with(
        s,
        &["processes", "L"],
        json!({"machine": "WS1", "account": "LocalSystem"}),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "remote")["seen_level"], "identify");
    assert!(cites(ev(&e, "remote"), "LV-2"));
    assert_eq!(ev(&e, "local")["seen_level"], "anonymous");
    assert_eq!(
        ev(&e, "imp")["status"],
        "ok",
        "AM-2: impersonation succeeds"
    );
    assert_eq!(ev(&e, "otk")["status"], "ERROR_CANT_OPEN_ANONYMOUS");
}

#[test]
fn lv4_impersonate_token_from_remote_client_stays_on_its_machine() {
    let s = scenario(
        json!({}),
        json!([{"do": "call", "to": "B", "imp_level": "impersonate", "label": "c", "steps": [
            {"do": "impersonate"},
            {"do": "access", "resource": "F_alice_app1", "label": "local"},
            {"do": "access", "resource": "Share", "label": "remote"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(
        ev(&e, "c")["authn"],
        "kerberos",
        "PK-1: negotiate picks Kerberos remotely"
    );
    assert_eq!(ev(&e, "local")["status"], "ok");
    assert_eq!(ev(&e, "remote")["seen_as"], "NT AUTHORITY\\ANONYMOUS LOGON");
    assert_eq!(ev(&e, "remote")["status"], "ERROR_ACCESS_DENIED");
}

// ---- PR, TK: privilege and tokens ------------------------------------------------------------

#[test]
fn pr2_server_without_se_impersonate_gets_identify_unless_same_user() {
    let s = scenario(
        json!({"S": {"machine": "WS1", "account": "bob", "kind": "user"},
               "bobapp": {"machine": "WS1", "account": "bob", "kind": "user"}}),
        json!([{"do": "call", "to": "S", "api": "rpc", "authn": "ntlm", "authn_level": "pkt_privacy",
                "imp_level": "impersonate", "label": "c", "steps": [
            {"do": "impersonate", "label": "imp"},
            {"do": "duplicate_token", "level": "impersonate", "label": "dup"},
            {"do": "duplicate_token", "level": "primary", "label": "prim"},
            {"do": "duplicate_token", "level": "identify", "label": "ident"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "imp")["status"], "ok");
    assert_eq!(ev(&e, "imp")["level"], "identify");
    assert!(cites(ev(&e, "c"), "PR-2"));
    assert_eq!(ev(&e, "dup")["status"], "ERROR_BAD_IMPERSONATION_LEVEL");
    assert_eq!(ev(&e, "prim")["status"], "ERROR_BAD_IMPERSONATION_LEVEL");
    assert_eq!(ev(&e, "ident")["status"], "ok");
    // PR-1(d): bob calling his own server keeps Impersonation.
    let own = with(s, &["run", "process"], json!("bobapp"));
    let e = run(&own);
    assert_eq!(ev(&e, "imp")["level"], "impersonate");
    assert_eq!(ev(&e, "dup")["status"], "ok");
}

#[test]
fn tk3_open_thread_token_rules() {
    let s = scenario(
        json!({"L": {"machine": "WS1", "account": "LocalSystem"}}),
        json!([
            {"do": "open_thread_token", "label": "none"},
            {"do": "call", "to": "L", "steps": [
                {"do": "impersonate"},
                {"do": "open_thread_token", "label": "noself"},
                {"do": "open_thread_token", "as_self": true, "label": "self"}
            ]}
        ]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "none")["status"], "ERROR_NO_TOKEN");
    assert_eq!(ev(&e, "noself")["status"], "ERROR_BAD_IMPERSONATION_LEVEL");
    assert_eq!(ev(&e, "self")["status"], "ok");
}

// ---- AL, BL: authentication levels and blankets ----------------------------------------------

#[test]
fn al2_server_minimum_and_bl3_invalid_blankets() {
    let s = scenario(
        json!({"B": {"machine": "APP1", "account": "svcApp", "com": {"authn_level": "pkt_integrity"}}}),
        json!([
            {"do": "call", "to": "B", "label": "negotiated"},
            {"do": "call", "to": "B", "authn_level": "connect", "label": "low"},
            {"do": "call", "to": "B", "authn": "ntlm", "authn_level": "none", "label": "bad"},
            {"do": "call", "to": "B", "authn": "schannel", "cloaking": "dynamic", "label": "schannel"}
        ]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "negotiated")["authn_level"], "pkt_integrity");
    assert_eq!(ev(&e, "low")["status"], "E_ACCESSDENIED");
    assert!(cites(ev(&e, "low"), "AM-8"));
    assert_eq!(ev(&e, "bad")["status"], "E_INVALIDARG");
    assert_eq!(ev(&e, "schannel")["status"], "E_INVALIDARG");
}

#[test]
fn al1_call_level_becomes_pkt_on_tcp() {
    let s = scenario(
        json!({}),
        json!([{"do": "call", "to": "B", "authn_level": "call", "label": "c"}]),
    );
    assert_eq!(ev(&run(&s), "c")["authn_level"], "pkt");
}

#[test]
fn al3_unauthenticated_com_cannot_impersonate() {
    let s = scenario(
        json!({"B": {"machine": "APP1", "account": "svcApp", "com": {"authn_level": "none"}}}),
        json!([{"do": "call", "to": "B", "authn": "none", "authn_level": "none", "label": "c", "steps": [
            {"do": "impersonate", "label": "imp"},
            {"do": "whoami", "label": "who"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "c")["status"], "ok");
    assert_eq!(ev(&e, "c")["authn_level"], "none");
    assert_eq!(ev(&e, "imp")["status"], "E_FAIL");
    assert_eq!(ev(&e, "who")["identity"], "CORP\\svcApp");
}

#[test]
fn al5_unauthenticated_rpc_over_tcp_cannot_impersonate() {
    let s = scenario(
        json!({}),
        json!([{"do": "call", "to": "B", "api": "rpc", "label": "c", "steps": [
            {"do": "impersonate", "label": "imp"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(
        ev(&e, "c")["authn"],
        "none",
        "AL-4: raw RPC is unauthenticated by default"
    );
    assert_eq!(ev(&e, "imp")["status"], "RPC_S_NO_CONTEXT_AVAILABLE");
    assert_eq!(ev(&e, "imp")["identity"], "CORP\\svcApp");
}

// ---- PK: packages ------------------------------------------------------------------------------

#[test]
fn pk_kerberos_needs_the_right_spn() {
    let s = scenario(
        json!({}),
        json!([
            {"do": "call", "to": "B", "authn": "kerberos", "spn": "", "label": "null"},
            {"do": "call", "to": "B", "authn": "kerberos", "spn": "MSSQLSvc/db1.corp.local:1433", "label": "wrong"},
            {"do": "call", "to": "B", "authn": "kerberos", "label": "right"},
            {"do": "call", "to": "D", "label": "nospn"}
        ]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "null")["status"], "RPC_S_SEC_PKG_ERROR");
    // SP-5 (SPEC §7.1): another account's SPN is KRB_AP_ERR_MODIFIED, no fallback.
    assert_eq!(ev(&e, "wrong")["status"], "KRB_AP_ERR_MODIFIED");
    assert!(cites(ev(&e, "wrong"), "SP-5"));
    assert_eq!(ev(&e, "right")["status"], "ok");
    assert_eq!(
        ev(&e, "nospn")["authn"],
        "ntlm",
        "no SPN owner: negotiate picks NTLM"
    );
}

#[test]
fn sp3_sp4_an_spn_nobody_or_two_accounts_own() {
    let s = scenario(
        json!({}),
        json!([
            {"do": "call", "to": "B", "authn": "kerberos", "spn": "MSSQLSvc/APP1:1433", "label": "krb"},
            {"do": "call", "to": "B", "spn": "MSSQLSvc/APP1:1433", "label": "neg"}
        ]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "krb")["status"], "RPC_S_SEC_PKG_ERROR");
    assert!(cites(ev(&e, "krb"), "SP-3"));
    assert_eq!(ev(&e, "neg")["status"], "ok");
    assert_eq!(ev(&e, "neg")["authn"], "ntlm");
    assert!(ev(&e, "neg")["explain"].as_str().unwrap().contains(
        "MSSQLSvc/APP1:1433 is registered on no account, so the KDC has no key for it (KDC_ERR_S_PRINCIPAL_UNKNOWN), and Negotiate fell back to NTLM."
    ));
    // The same SPN on svcDB as well as svcApp: a duplicate, simulated (SP-4).
    let s = with(
        scenario(
            json!({}),
            json!([{"do": "call", "to": "B", "label": "neg"}]),
        ),
        &["accounts", "svcDB", "spns"],
        json!(["HTTP/app1.corp.local"]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "neg")["authn"], "ntlm");
    assert!(cites(ev(&e, "neg"), "SP-4"));
    assert!(ev(&e, "neg")["explain"].as_str().unwrap().contains(
        "HTTP/app1.corp.local is registered on both svcApp and svcDB, so the KDC refuses it as a duplicate"
    ));
}

// ---- CL: cloaking ------------------------------------------------------------------------------

fn cloaking_chain(cloak: &str) -> Value {
    scenario(
        json!({"C": {"machine": "APP1", "account": "svcDB", "threading": "mta"},
               "bobapp": {"machine": "WS1", "account": "bob", "kind": "user"}}),
        json!([{"do": "call", "to": "B", "imp_level": "impersonate", "label": "a2b", "steps": [
            {"do": "impersonate"},
            {"do": "call", "to": "C", "proxy": "P", "cloaking": cloak, "imp_level": "impersonate", "label": "first",
             "meanwhile": [{"from": "bobapp", "imp_level": "impersonate", "label": "bobcall", "steps": [
                {"do": "impersonate"},
                {"do": "call", "to": "C", "proxy": "P", "cloaking": cloak, "imp_level": "impersonate", "label": "asbob"}
             ]}]},
            {"do": "revert"},
            {"do": "call", "to": "C", "proxy": "P", "cloaking": cloak, "imp_level": "impersonate", "label": "reverted"}
        ]}]),
    )
}

#[test]
fn cl2_static_cloaking_fixes_the_identity_at_the_first_call() {
    let e = run(&cloaking_chain("static"));
    assert_eq!(ev(&e, "first")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "asbob")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "reverted")["seen_as"], "CORP\\alice");
}

#[test]
fn cl3_dynamic_cloaking_follows_the_thread() {
    let e = run(&cloaking_chain("dynamic"));
    assert_eq!(ev(&e, "first")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "asbob")["seen_as"], "CORP\\bob");
    assert_eq!(ev(&e, "reverted")["seen_as"], "CORP\\svcApp");
}

#[test]
fn cl1_without_cloaking_the_process_identity_travels() {
    let e = run(&cloaking_chain("none"));
    assert_eq!(ev(&e, "first")["seen_as"], "CORP\\svcApp");
    assert!(cites(ev(&e, "first"), "CL-1"));
}

#[test]
fn cl2_set_blanket_fixes_the_identity_when_called() {
    let s = scenario(
        json!({"C": {"machine": "APP1", "account": "svcDB"}}),
        json!([{"do": "call", "to": "B", "imp_level": "impersonate", "steps": [
            {"do": "set_blanket", "proxy": "P", "cloaking": "static", "label": "sb"},
            {"do": "impersonate"},
            {"do": "call", "to": "C", "proxy": "P", "label": "c"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "sb")["status"], "ok");
    assert_eq!(
        ev(&e, "c")["seen_as"],
        "CORP\\svcApp",
        "fixed before impersonating"
    );
}

#[test]
fn cl4_cloaking_an_identify_token_fails() {
    let s = scenario(
        json!({"C": {"machine": "APP1", "account": "svcDB"}}),
        json!([{"do": "call", "to": "B", "steps": [
            {"do": "impersonate"},
            {"do": "call", "to": "C", "cloaking": "dynamic", "label": "c"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "c")["status"], "E_ACCESSDENIED");
    assert!(cites(ev(&e, "c"), "CL-4"));
}

// ---- CO: COM server-side impersonation --------------------------------------------------------

fn nesting(traditional: bool) -> Value {
    let s = scenario(
        json!({"A": {"machine": "APP1", "account": "svcApp"},
               "C": {"machine": "DB1", "account": "svcDB"},
               "dapp": {"machine": "WS1", "account": "dave", "kind": "user"},
               "client": {"machine": "WS1", "account": "bob", "kind": "user"}}),
        json!([{"do": "call", "to": "A", "imp_level": "impersonate", "steps": [
            {"do": "impersonate", "label": "asB"},
            {"do": "call", "to": "C", "label": "toC", "meanwhile": [
                {"from": "dapp", "imp_level": "impersonate", "label": "fromD", "steps": [
                    {"do": "whoami", "label": "entry"},
                    {"do": "impersonate", "label": "asD"},
                    {"do": "revert", "label": "revD"}
                ]}
            ]}
        ]}]),
    );
    with(s, &["options"], json!({"traditional_nesting": traditional}))
}

#[test]
fn co3_apartment_nesting_restores_the_outer_token() {
    let e = run(&nesting(false));
    assert_eq!(ev(&e, "fromD")["status"], "ok");
    assert_eq!(
        ev(&e, "entry")["identity"],
        "CORP\\bob",
        "nested on the waiting thread"
    );
    assert_eq!(ev(&e, "asD")["identity"], "CORP\\dave");
    assert_eq!(
        ev(&e, "revD")["identity"],
        "CORP\\bob",
        "CO-4: restores the saved token"
    );
    assert_eq!(ret(&e, "toC")["identity"], "CORP\\bob");
    assert!(cites(ev(&e, "fromD"), "CO-3"));
}

#[test]
fn co3_traditional_nesting_loses_the_outer_token() {
    let e = run(&nesting(true));
    assert_eq!(ev(&e, "revD")["identity"], "CORP\\svcApp");
    assert_eq!(ret(&e, "toC")["identity"], "CORP\\svcApp");
    assert_eq!(ret(&e, "toC")["level"], Value::Null);
}

#[test]
fn co4_one_revert_undoes_many_impersonations_and_co5_flags_foreign_changes() {
    let s = scenario(
        json!({}),
        json!([
            {"do": "call", "to": "B", "imp_level": "impersonate", "steps": [
                {"do": "impersonate"}, {"do": "impersonate"}, {"do": "impersonate"},
                {"do": "revert", "label": "once"}
            ]},
            {"do": "call", "to": "B", "imp_level": "impersonate", "steps": [
                {"do": "logon_user", "account": "bob", "label": "t0"},
                {"do": "impersonate"},
                {"do": "revert", "label": "back"}
            ]},
            {"do": "call", "to": "B", "imp_level": "impersonate", "steps": [
                {"do": "impersonate"},
                {"do": "logon_user", "account": "bob"},
                {"do": "revert", "label": "undefined"}
            ]}
        ]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "once")["level"], Value::Null);
    assert_eq!(ev(&e, "back")["identity"], "CORP\\bob", "restores T0");
    assert!(cites(ev(&e, "undefined"), "CO-5"));
}

// ---- RP: RPC ------------------------------------------------------------------------------------

#[test]
fn rp2_rpc_revert_returns_to_the_process_token() {
    let s = scenario(
        json!({"L": {"machine": "WS1", "account": "LocalSystem"}}),
        json!([{"do": "call", "to": "L", "api": "rpc", "steps": [
            {"do": "logon_user", "account": "bob"},
            {"do": "impersonate"},
            {"do": "revert", "label": "r"}
        ]}]),
    );
    assert_eq!(ev(&run(&s), "r")["identity"], "NT AUTHORITY\\SYSTEM");
}

#[test]
fn rp8_delegate_without_mutual_auth_fails_unless_ignored() {
    let trusted = |s: Value| {
        with(
            s,
            &["accounts", "svcApp"],
            json!({"spns": ["HTTP/app1.corp.local"], "delegation": "unconstrained"}),
        )
    };
    let call = |extra: Value| {
        let mut c = json!({"do": "call", "to": "B", "api": "rpc", "authn": "kerberos",
                           "authn_level": "pkt_privacy", "imp_level": "delegate", "label": "c",
                           "steps": [{"do": "impersonate", "label": "imp"}]});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    let e = run(&trusted(scenario(json!({}), json!([call(json!({}))]))));
    assert_eq!(ev(&e, "c")["status"], "RPC_S_SEC_PKG_ERROR");
    let e = run(&trusted(scenario(
        json!({}),
        json!([call(json!({"ignore_delegate_failure": true}))]),
    )));
    assert_eq!(ev(&e, "imp")["level"], "impersonate");
    let e = run(&trusted(scenario(
        json!({}),
        json!([call(json!({"mutual_auth": true}))]),
    )));
    assert_eq!(ev(&e, "imp")["level"], "delegate");
    assert_eq!(ev(&e, "c")["delegation"], "unconstrained");
}

#[test]
fn rp9_ncalrpc_exception_allows_exactly_one_remote_hop() {
    let s = scenario(
        json!({"LB": {"machine": "WS1", "account": "LocalSystem"}}),
        json!([{"do": "call", "to": "LB", "api": "rpc", "authn": "ntlm", "imp_level": "impersonate", "label": "a2lb", "steps": [
            {"do": "impersonate"},
            {"do": "call", "to": "B", "api": "rpc", "authn": "negotiate", "imp_level": "impersonate", "label": "lb2rb", "steps": [
                {"do": "impersonate"},
                {"do": "access", "resource": "F_alice_app1", "label": "rblocal"},
                {"do": "call", "to": "C", "api": "rpc", "authn": "negotiate", "label": "rb2c"}
            ]}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "a2lb")["authn_level"], "pkt_privacy");
    assert_eq!(ev(&e, "lb2rb")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "lb2rb")["delegation"], "local");
    assert_eq!(ev(&e, "rblocal")["status"], "ok");
    assert_eq!(ev(&e, "rb2c")["seen_as"], "NT AUTHORITY\\ANONYMOUS LOGON");
}

#[test]
fn rp6_static_tracking_keeps_the_identity_dynamic_follows() {
    let s = |tracking: &str| {
        scenario(
            json!({"L": {"machine": "APP1", "account": "LocalSystem"},
                   "client": {"machine": "APP1", "account": "alice", "kind": "user"}}),
            json!([{"do": "call", "to": "L", "api": "rpc", "authn": "ntlm", "imp_level": "impersonate", "steps": [
                {"do": "impersonate"},
                {"do": "call", "to": "C", "api": "rpc", "authn": "kerberos", "authn_level": "pkt_privacy",
                 "proxy": "bind", "tracking": tracking, "label": "one"},
                {"do": "revert"},
                {"do": "call", "to": "C", "api": "rpc", "authn": "kerberos", "authn_level": "pkt_privacy",
                 "proxy": "bind", "tracking": tracking, "label": "two"}
            ]}]),
        )
    };
    let e = run(&s("static"));
    assert_eq!(ev(&e, "one")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "two")["seen_as"], "CORP\\alice");
    let e = run(&s("dynamic"));
    assert_eq!(ev(&e, "two")["seen_as"], "CORP\\APP1$");
}

// ---- KD: Kerberos delegation -------------------------------------------------------------------

fn web_chain(svc_app: Value, first: Value, then: Value) -> Value {
    let s = scenario(
        json!({"B": {"machine": "APP1", "account": "svcApp", "com": {"cloaking": "dynamic"}}}),
        json!([{"do": "call", "to": "B", "label": "a2b", "steps": [{"do": "impersonate", "label": "imp"}, then]}]),
    );
    let s = with(s, &["accounts", "svcApp"], svc_app);
    let mut s = s;
    for (k, v) in first.as_object().unwrap() {
        s["run"]["steps"][0][k] = v.clone();
    }
    s
}

#[test]
fn kd1_unconstrained_delegation_forwards_the_tgt() {
    let s = web_chain(
        json!({"spns": ["HTTP/app1.corp.local"], "delegation": "unconstrained"}),
        json!({"imp_level": "delegate"}),
        json!({"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"}),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "imp")["level"], "delegate");
    assert_eq!(ev(&e, "b2c")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "b2c")["authn"], "kerberos");
    assert_eq!(ev(&e, "b2c")["delegation"], "unconstrained");
}

#[test]
fn kd2_sensitive_users_are_never_delegated() {
    let s = web_chain(
        json!({"spns": ["HTTP/app1.corp.local"], "delegation": "unconstrained"}),
        json!({"imp_level": "delegate"}),
        json!({"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"}),
    );
    let s = with(s, &["accounts", "alice"], json!({"sensitive": true}));
    let e = run(&s);
    assert_eq!(ev(&e, "imp")["level"], "impersonate");
    assert!(cites(ev(&e, "a2b"), "KD-2"));
    assert_eq!(ev(&e, "b2c")["status"], "E_ACCESSDENIED");
}

#[test]
fn kd4_constrained_delegation_kerberos_only() {
    let kcd = json!({"spns": ["HTTP/app1.corp.local"],
                     "delegation": {"constrained": ["MSSQLSvc/db1.corp.local:1433"]}});
    let s = web_chain(
        kcd.clone(),
        json!({"imp_level": "impersonate"}),
        json!({"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"}),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "b2c")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "b2c")["delegation"], "constrained");
    // Not in the list: refused (AM-15: STATUS_NOT_FOUND; without the RBCD bit STATUS_NO_MATCH);
    // SMB falls back to a NULL session (SM-3), so the share denies ANONYMOUS LOGON.
    let s = web_chain(
        kcd.clone(),
        json!({"imp_level": "impersonate"}),
        json!({"do": "access", "resource": "Share", "label": "b2c"}),
    );
    let s = with(
        s,
        &["resources", "Share", "spn"],
        json!("cifs/fs1.corp.local"),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "b2c")["status"], "ERROR_ACCESS_DENIED");
    assert_eq!(ev(&e, "b2c")["seen_as"], "NT AUTHORITY\\ANONYMOUS LOGON");
    assert_eq!(ev(&e, "b2c")["kdc_status"], "STATUS_NOT_FOUND");
    assert!(cites(ev(&e, "b2c"), "SM-3"));
    let old = with(s, &["options"], json!({"s4u_without_rbcd_bit": true}));
    assert_eq!(ev(&run(&old), "b2c")["kdc_status"], "STATUS_NO_MATCH");
    // An NTLM first hop leaves no forwardable evidence: "Kerberos only" fails.
    let s = web_chain(
        kcd,
        json!({"imp_level": "impersonate", "authn": "ntlm"}),
        json!({"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"}),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "b2c")["kdc_status"], "STATUS_ACCOUNT_RESTRICTION");
    let old = with(s, &["options"], json!({"s4u_without_rbcd_bit": true}));
    assert_eq!(ev(&run(&old), "b2c")["kdc_status"], "STATUS_NO_MATCH");
}

#[test]
fn kd5_protocol_transition_and_an_empty_list() {
    let s = web_chain(
        json!({"spns": ["HTTP/app1.corp.local"],
               "delegation": {"constrained": ["MSSQLSvc/db1.corp.local:1433"], "any_protocol": true}}),
        json!({"imp_level": "impersonate", "authn": "ntlm"}),
        json!({"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"}),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "b2c")["seen_as"], "CORP\\alice");
    assert!(cites(ev(&e, "b2c"), "KD-5"));
    let s = with(
        s,
        &["accounts", "svcApp", "delegation"],
        json!({"constrained": [], "any_protocol": true}),
    );
    assert_eq!(ev(&run(&s), "b2c")["kdc_status"], "STATUS_NOT_FOUND");
    let old = with(s, &["options"], json!({"s4u_without_rbcd_bit": true}));
    assert_eq!(ev(&run(&old), "b2c")["kdc_status"], "STATUS_NOT_SUPPORTED");
}

#[test]
fn kd6_resource_based_constrained_delegation() {
    let s = web_chain(
        json!({"spns": ["HTTP/app1.corp.local"]}),
        json!({"imp_level": "impersonate", "authn": "ntlm"}),
        json!({"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"}),
    );
    let allowed = with(
        s.clone(),
        &["accounts", "svcDB"],
        json!({"spns": ["MSSQLSvc/db1.corp.local:1433"], "allowed_to_act": ["svcApp"]}),
    );
    let e = run(&allowed);
    assert_eq!(ev(&e, "b2c")["delegation"], "rbcd");
    assert_eq!(ev(&e, "b2c")["seen_as"], "CORP\\alice");
    let protected = with(
        allowed,
        &["accounts", "alice"],
        json!({"protected_users": true}),
    );
    let e = run(&protected);
    // Protected Users cannot use NTLM at all (KD-3): the first hop is refused.
    assert_eq!(ev(&e, "a2b")["status"], "SEC_E_LOGON_DENIED");
    let other = with(
        s,
        &["accounts", "svcDB"],
        json!({"spns": ["MSSQLSvc/db1.corp.local:1433"], "allowed_to_act": ["svcApp2"]}),
    );
    assert_eq!(ev(&run(&other), "b2c")["kdc_status"], "STATUS_NOT_FOUND");
}

#[test]
fn kd9_explicit_credentials_have_no_hop_limit() {
    let s = scenario(
        json!({"B": {"machine": "APP1", "account": "svcApp", "com": {"cloaking": "dynamic"}}}),
        json!([{"do": "call", "to": "B", "steps": [
            {"do": "logon_user", "account": "alice"},
            {"do": "call", "to": "C", "imp_level": "impersonate", "label": "b2c"},
            {"do": "access", "resource": "Share", "label": "share"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "b2c")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "b2c")["delegation"], "credentials");
    assert_eq!(ev(&e, "share")["status"], "ok");
}

// ---- NP: named pipes ----------------------------------------------------------------------------

#[test]
fn np2_local_pipe_defaults_to_impersonation_and_reaches_one_machine() {
    let s = scenario(
        json!({"P": {"machine": "WS1", "account": "LocalSystem"}}),
        json!([{"do": "call", "to": "P", "api": "pipe", "label": "c", "steps": [
            {"do": "impersonate", "label": "imp"},
            {"do": "access", "resource": "F_alice_ws1", "label": "local"},
            {"do": "access", "resource": "Share", "label": "share"}
        ]}]),
    );
    let e = run(&s);
    assert_eq!(ev(&e, "imp")["level"], "impersonate");
    assert_eq!(ev(&e, "local")["status"], "ok");
    assert_eq!(ev(&e, "share")["seen_as"], "CORP\\alice");
    assert_eq!(ev(&e, "share")["status"], "ok");
}

// ---- AC: service identities and ACLs ------------------------------------------------------------

#[test]
fn ac6_service_identities_on_the_network() {
    for (account, seen) in [
        ("LocalService", "NT AUTHORITY\\ANONYMOUS LOGON"),
        ("NetworkService", "CORP\\APP1$"),
        ("LocalSystem", "CORP\\APP1$"),
        ("svcApp", "CORP\\svcApp"),
    ] {
        let s = scenario(
            json!({"B": {"machine": "APP1", "account": account}}),
            json!([{"do": "call", "to": "B", "steps": [
                {"do": "call", "to": "C", "label": "b2c"}
            ]}]),
        );
        assert_eq!(ev(&run(&s), "b2c")["seen_as"], seen, "{account}");
    }
}

#[test]
fn ac5_everyone_excludes_anonymous_unless_switched_on() {
    let s = scenario(
        json!({"B": {"machine": "APP1", "account": "LocalService"}}),
        json!([{"do": "call", "to": "B", "steps": [
            {"do": "access", "resource": "Pub", "label": "pub"}
        ]}]),
    );
    let s = with(
        s,
        &["resources", "Pub"],
        json!({"machine": "FS1", "allow": ["Everyone"]}),
    );
    assert_eq!(ev(&run(&s), "pub")["status"], "ERROR_ACCESS_DENIED");
    let s = with(
        s,
        &["options"],
        json!({"everyone_includes_anonymous": true}),
    );
    assert_eq!(ev(&run(&s), "pub")["status"], "ok");
}

// ---- AM options ---------------------------------------------------------------------------------

#[test]
fn am1_provider_bump_and_am11_com_delegate_failure() {
    let s = scenario(json!({}), json!([{"do": "call", "to": "B", "label": "c"}]));
    assert_eq!(ev(&run(&s), "c")["seen_level"], "identify");
    let bumped = with(
        s,
        &["options"],
        json!({"provider_bumps_to_impersonate": true}),
    );
    assert_eq!(ev(&run(&bumped), "c")["seen_level"], "impersonate");

    let s = scenario(
        json!({}),
        json!([{"do": "call", "to": "B", "imp_level": "delegate", "label": "c"}]),
    );
    assert_eq!(ev(&run(&s), "c")["seen_level"], "impersonate");
    let strict = with(
        s,
        &["options"],
        json!({"com_fails_on_delegate_failure": true}),
    );
    assert_eq!(ev(&run(&strict), "c")["status"], "RPC_S_SEC_PKG_ERROR");
}

#[test]
fn am3_remote_pipe_level_from_server_account() {
    let s = scenario(
        json!({}),
        json!([{"do": "call", "to": "B", "api": "pipe", "imp_level": "identify", "label": "c"}]),
    );
    // SM-2: by default the level comes from the SMB server's account, APP1$ (SM-1).
    assert_eq!(ev(&run(&s), "c")["seen_level"], "impersonate");
    let trusted = with(
        s.clone(),
        &["accounts", "APP1$"],
        json!({"delegation": "unconstrained"}),
    );
    assert_eq!(ev(&run(&trusted), "c")["seen_level"], "delegate");
    assert_eq!(ev(&run(&trusted), "c")["delegation"], "unconstrained");
    let old = with(
        trusted,
        &["options"],
        json!({"remote_pipe_level_from_server_account": false}),
    );
    assert_eq!(ev(&run(&old), "c")["seen_level"], "identify");
}

#[test]
fn am10_static_tracking_capture_moment() {
    let s = scenario(
        json!({"L": {"machine": "WS1", "account": "LocalSystem"}, "C": {"machine": "WS1", "account": "svcDB"}}),
        json!([{"do": "call", "to": "L", "api": "rpc", "authn": "ntlm", "imp_level": "impersonate", "steps": [
            {"do": "set_blanket", "proxy": "b", "authn": "ntlm"},
            {"do": "impersonate"},
            {"do": "call", "to": "C", "api": "rpc", "authn": "ntlm", "proxy": "b", "label": "c"}
        ]}]),
    );
    assert_eq!(ev(&run(&s), "c")["seen_as"], "NT AUTHORITY\\SYSTEM");
    let s = with(
        s,
        &["options"],
        json!({"static_tracking_at_first_call": true}),
    );
    assert_eq!(ev(&run(&s), "c")["seen_as"], "CORP\\alice");
}

// ---- Whole-outcome properties -------------------------------------------------------------------

#[test]
fn failed_calls_run_none_of_their_steps_and_completed_calls_return() {
    let s = scenario(
        json!({}),
        json!([
            {"do": "call", "to": "B", "authn": "kerberos", "spn": "", "label": "bad", "steps": [{"do": "whoami", "label": "never"}]},
            {"do": "call", "to": "B", "label": "good", "steps": [{"do": "whoami", "label": "ran"}]}
        ]),
    );
    let e = run(&s);
    assert!(e.iter().all(|x| x["label"] != "never"));
    assert!(e.iter().any(|x| x["label"] == "bad" && x["do"] == "call"));
    assert!(!e.iter().any(|x| x["label"] == "bad" && x["do"] == "return"));
    assert_eq!(ret(&e, "good")["identity"], "CORP\\alice");
    assert_eq!(ev(&e, "ran")["step"], "run.steps[1].steps[0]");
}

#[test]
fn every_cited_rule_is_in_the_catalogue() {
    // Grep the engine's sources for rule IDs: each must exist in the catalogue.
    let sources = [
        include_str!("../src/engine/call.rs"),
        include_str!("../src/engine/network.rs"),
        include_str!("../src/engine/server.rs"),
        include_str!("../src/engine/mod.rs"),
    ];
    let mut missing = Vec::new();
    for src in sources {
        for piece in src.split('"').skip(1).step_by(2) {
            let is_id = piece.len() <= 5
                && piece.split_once('-').is_some_and(|(fam, n)| {
                    fam.len() == 2
                        && fam.chars().all(|c| c.is_ascii_uppercase())
                        && !n.is_empty()
                        && n.chars().all(|c| c.is_ascii_digit())
                });
            let is_table = piece == "PK" || piece == "CL";
            if (is_id || is_table) && impersonation_core::rules::get(piece).is_none() {
                missing.push(piece.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rule IDs cited but not catalogued: {missing:?}"
    );
}
