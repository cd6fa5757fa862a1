//! One cast schema (issue #14): every field of an account, a process (its `com` and `http`), a
//! resource and the options is in the core's schema (model/cast.rs, `Options::FIELDS`), so that a
//! field added to a struct but not to the schema fails here: the struct's own field names (as
//! `Debug` prints them) are the schema's; an entry with every field away from its default is
//! written with exactly the schema's keys, reads back equal, and is rebuilt equal from a blank
//! through the schema's get and set alone.
#![cfg(not(target_arch = "wasm32"))]

use impersonation_core::model::cast::{CastEntry, CastFields, CastGot, CastShape, CastVal};
use impersonation_core::model::{
    Account, AuthnLevel, CastField, Cloaking, ComSecurity, Delegation, HttpSettings, ImpLevel,
    Options, Process, ProcessKind, Resource, Scenario, Threading,
};

/// The names of a struct's fields as `{:?}` prints it (`Name { a: .., b: .. }`): those at the
/// first level of braces.
fn debug_fields(debug: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut in_str, mut word) = (0, false, String::new());
    let mut chars = debug.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_str = !in_str,
            '\\' if in_str => _ = chars.next(),
            _ if in_str => {}
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            ':' if depth == 1 && !word.is_empty() => out.push(std::mem::take(&mut word)),
            c if depth == 1 && (c.is_alphanumeric() || c == '_') => word.push(c),
            _ => word.clear(),
        }
    }
    out
}

fn names(entry: CastEntry) -> Vec<String> {
    entry.names().iter().map(|n| n.to_string()).collect()
}

/// Every field listed, every one away from its default: a field added to a struct must be
/// given a value here (these are struct literals), and then must be in the schema to pass.
fn full_account() -> Account {
    Account {
        spns: vec!["HTTP/web1".into()],
        delegation: Delegation::Constrained {
            services: vec!["cifs/FS1".into()],
            any_protocol: true,
        },
        allowed_to_act: vec!["WS1$".into()],
        sensitive: true,
        protected_users: true,
        admin: true,
    }
}

fn full_process() -> Process {
    Process {
        machine: "WS1".into(),
        account: "alice".into(),
        kind: ProcessKind::User,
        com: ComSecurity {
            authn_level: AuthnLevel::PktPrivacy,
            imp_level: ImpLevel::Delegate,
            cloaking: Cloaking::Dynamic,
        },
        threading: Threading::Mta,
        http: HttpSettings {
            kernel_mode: false,
            use_app_pool_credentials: true,
            runs_as_client: true,
        },
    }
}

fn full_resource() -> Resource {
    Resource {
        machine: "WS1".into(),
        allow: vec!["alice".into()],
        spn: Some("cifs/FS1".into()),
    }
}

fn full_options() -> Options {
    let d = Options::default();
    Options {
        provider_bumps_to_impersonate: !d.provider_bumps_to_impersonate,
        remote_pipe_level_from_server_account: !d.remote_pipe_level_from_server_account,
        com_fails_on_delegate_failure: !d.com_fails_on_delegate_failure,
        static_tracking_at_first_call: !d.static_tracking_at_first_call,
        everyone_includes_anonymous: !d.everyone_includes_anonymous,
        s4u_without_rbcd_bit: !d.s4u_without_rbcd_bit,
        traditional_nesting: !d.traditional_nesting,
    }
}

/// The blank scenario with one full entry of each kind and every option away from its default.
fn full_scenario() -> Scenario {
    let mut s = Scenario::blank();
    s.options = full_options();
    s.accounts.insert("svcFull".into(), full_account());
    s.processes.insert("full".into(), full_process());
    s.resources.insert("share".into(), full_resource());
    s
}

#[test]
fn every_struct_field_is_in_the_schema() {
    let account = debug_fields(&format!("{:?}", full_account()));
    assert_eq!(account, names(CastEntry::Account));
    let p = full_process();
    assert_eq!(debug_fields(&format!("{p:?}")), names(CastEntry::Process));
    assert_eq!(debug_fields(&format!("{:?}", p.com)), names(CastEntry::Com));
    assert_eq!(
        debug_fields(&format!("{:?}", p.http)),
        names(CastEntry::Http)
    );
    assert_eq!(
        debug_fields(&format!("{:?}", full_resource())),
        names(CastEntry::Resource)
    );
    let options: Vec<String> = Options::FIELDS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(debug_fields(&format!("{:?}", full_options())), options);
    // A constrained delegation's own fields: its SPNs are `constrained` in the format.
    let d = format!("{:?}", full_account().delegation);
    assert_eq!(debug_fields(&d), ["services", "any_protocol"]);
    assert_eq!(
        names(CastEntry::Delegation),
        ["constrained", "any_protocol"]
    );
}

#[test]
fn a_full_entry_is_written_with_every_schema_key_and_reads_back_equal() {
    let s = full_scenario();
    let text = s.to_json_pretty();
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    };
    assert_eq!(
        keys(&json["accounts"]["svcFull"]),
        names(CastEntry::Account)
    );
    assert_eq!(
        keys(&json["accounts"]["svcFull"]["delegation"]),
        names(CastEntry::Delegation)
    );
    let p = &json["processes"]["full"];
    assert_eq!(keys(p), names(CastEntry::Process));
    assert_eq!(keys(&p["com"]), names(CastEntry::Com));
    assert_eq!(keys(&p["http"]), names(CastEntry::Http));
    assert_eq!(
        keys(&json["resources"]["share"]),
        names(CastEntry::Resource)
    );
    let options: Vec<String> = Options::FIELDS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(keys(&json["options"]), options);

    let back = impersonation_core::parse(&text)
        .expect("the full scenario is valid")
        .into_inner();
    assert_eq!(back, s);
    // Written again, nothing changes; the blank entries' defaults are left out.
    assert_eq!(back.to_json_pretty(), text);
    let blank = Scenario::blank().to_json_string();
    assert!(
        !blank.contains("\"com\"") && !blank.contains("\"http\""),
        "{blank}"
    );
}

/// Copies every field of `from` onto `to` through the schema alone (objects through their own
/// fields).
fn copy(entry: CastEntry, from: &dyn CastFields, to: &mut dyn CastFields) {
    for &f in entry.fields() {
        let v = match (from.get(f), f.shape()) {
            (Some(CastGot::Object), CastShape::Object(inner)) => {
                copy(inner, from, to);
                continue;
            }
            (Some(CastGot::Object), CastShape::Choice(inner)) => {
                to.set(f, CastVal::Str("constrained")).expect("a choice");
                copy(inner, from, to);
                continue;
            }
            (Some(CastGot::Str(s)), _) => CastVal::Str(s),
            (Some(CastGot::Flag(on)), _) => CastVal::Flag(on),
            (Some(CastGot::List(l)), _) => CastVal::List(l.to_vec()),
            (Some(CastGot::Object), _) | (None, _) => panic!("{f}: no value"),
        };
        to.set(f, v)
            .unwrap_or_else(|| panic!("{f}: refused its own value"));
        assert!(!to.at_default(f), "{f} is away from its default");
    }
}

#[test]
fn a_full_entry_is_rebuilt_from_a_blank_through_the_schema() {
    let mut a = Account::default();
    copy(CastEntry::Account, &full_account(), &mut a);
    assert_eq!(a, full_account());
    let mut p = Process::BLANK;
    copy(CastEntry::Process, &full_process(), &mut p);
    assert_eq!(p, full_process());
    let mut r = Resource::BLANK;
    copy(CastEntry::Resource, &full_resource(), &mut r);
    assert_eq!(r, full_resource());
    // Cleared field by field, each is back at its blank's value.
    let r: &mut dyn CastFields = &mut r;
    for &f in CastEntry::Resource.fields() {
        r.clear(f);
        assert!(r.at_default(f), "{f}");
    }
    assert_eq!(r.get(CastField::Spn), None);
    let p: &mut dyn CastFields = &mut p;
    for &f in CastEntry::Process.fields() {
        p.clear(f);
        assert!(p.at_default(f), "{f}");
    }
    let a: &mut dyn CastFields = &mut a;
    for &f in CastEntry::Account.fields() {
        a.clear(f);
        assert!(a.at_default(f), "{f}");
    }
    let mut o = Options::default();
    for (name, _) in Options::FIELDS {
        assert!(o.set(name, full_options().get(name).expect(name)));
    }
    assert_eq!(o, full_options());
}

#[test]
fn the_readers_rules_of_a_cast_field_are_the_schemas() {
    let problems = |processes: &str| -> Vec<String> {
        let text = format!(
            r#"{{"format":"impersonation-scenario/1","title":"t","machines":["WS1"],
               "processes":{processes},"run":{{"process":"p","steps":[]}}}}"#
        );
        match impersonation_core::parse(&text) {
            Ok(_) => vec![],
            Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
        }
    };
    assert_eq!(
        problems(r#"{"p":{"machine":"WS1","com":{"imp_level":"default"},"http":{"kernel_mode":1}}}"#),
        [
            "processes.p.account: missing required field",
            "processes.p.com.imp_level: RPC_C_IMP_LEVEL_DEFAULT is not allowed in CoInitializeSecurity (BL-1); leave the field out for the default \"identify\"",
            "processes.p.http.kernel_mode: expected true or false, found a number",
        ]
    );
    assert_eq!(
        problems(r#"{"p":{"machine":"WS1","account":"alice","colour":"red"}}"#),
        ["processes.p.colour: unknown field; expected one of: machine, account, kind, com, threading, http"]
    );
}
