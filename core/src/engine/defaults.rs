//! What a call's fields left at their default resolve to (SPEC §2.5, §7.1, §7.3), with the rule
//! that gives each where the engine cites one. The engine resolves a call by these functions,
//! and the playground shows their answers next to each field's "default" choice ([`of_call`]),
//! so that no default is stated twice.

use crate::model::*;
use crate::rules::RuleId;

/// The transport of a call that names none: a pipe travels over SMB, an http request over TCP
/// (SPEC §7.3), anything else over ncalrpc on the same machine and TCP to another.
pub fn transport(api: Api, local: bool) -> Transport {
    match (api, local) {
        (Api::Pipe, _) => Transport::NcacnNp,
        (Api::Http, _) => Transport::NcacnIpTcp,
        (_, true) => Transport::Ncalrpc,
        (_, false) => Transport::NcacnIpTcp,
    }
}

/// The package a call with `authn: "default"` asks for: none for raw RPC (AL-4), else
/// negotiate (which PK-1 settles when the call is made).
pub fn authn(api: Api) -> Authn {
    match api {
        Api::Rpc => Authn::None,
        _ => Authn::Negotiate,
    }
}

/// The authentication level a call with `authn_level: "default"` asks for: for COM the higher
/// of the two processes' CoInitializeSecurity levels (AL-2), else connect (AL-1 may raise it as
/// the call travels).
pub fn authn_level(
    api: Api,
    caller: AuthnLevel,
    callee: AuthnLevel,
) -> (AuthnLevel, Option<RuleId>) {
    match api {
        Api::Com => (caller.max(callee), Some(RuleId::Al2)),
        _ => (AuthnLevel::Connect, None),
    }
}

/// The impersonation level a call with `imp_level: "default"` asks for: for COM the caller's
/// CoInitializeSecurity level (LV-3), else impersonate (LV-8).
pub fn imp_level(api: Api, caller: ImpLevel) -> (ImpLevel, RuleId) {
    match api {
        Api::Com => (caller, RuleId::Lv3),
        _ => (ImpLevel::Impersonate, RuleId::Lv8),
    }
}

/// The cloaking of a COM call that sets none, on a proxy that sets none: the caller's
/// CoInitializeSecurity cloaking (CL-8).
pub fn cloaking(caller: Cloaking) -> (Cloaking, RuleId) {
    (caller, RuleId::Cl8)
}

/// The identity tracking of an RPC or pipe call that sets none (RP-6).
pub fn tracking() -> (Tracking, RuleId) {
    (Tracking::Static, RuleId::Rp6)
}

/// `cifs/<MACHINE>` (SMB: a pipe, SM-1, or a share), `HTTP/<MACHINE>` (an http call), or
/// `HOST/<MACHINE>`.
pub fn host_spn(api: Api, machine: &str) -> String {
    let class = match api {
        Api::Pipe => "cifs",
        Api::Http => "HTTP",
        _ => "HOST",
    };
    format!("{class}/{machine}")
}

/// The SPN a call of `api` to `callee` names when it names none: the host SPN of a pipe or an
/// http call; else the callee account's first SPN, `HOST/<MACHINE>` for a built-in account,
/// none for a domain account without SPNs.
pub fn spn(s: &Scenario, api: Api, callee: &Process) -> Option<String> {
    match api {
        Api::Pipe | Api::Http => Some(host_spn(api, &callee.machine)),
        _ if BUILTIN_ACCOUNTS.contains(&callee.account.as_str()) => {
            Some(host_spn(api, &callee.machine))
        }
        _ => s.accounts.get(&callee.account)?.spns.first().cloned(),
    }
}

/// What each field of a call left at its default resolves to, before any proxy's blanket.
#[derive(Debug, Clone, PartialEq)]
pub struct CallDefaults {
    pub transport: Transport,
    pub authn: Authn,
    pub authn_level: (AuthnLevel, Option<RuleId>),
    pub imp_level: (ImpLevel, RuleId),
    /// COM only.
    pub cloaking: (Cloaking, RuleId),
    /// RPC and pipes only.
    pub tracking: (Tracking, RuleId),
    pub spn: Option<String>,
}

/// The defaults of a call of `api` from process `caller` to process `callee` (`None` if either
/// is not declared).
pub fn of_call(s: &Scenario, caller: &str, callee: &str, api: Api) -> Option<CallDefaults> {
    let (from, to) = (s.processes.get(caller)?, s.processes.get(callee)?);
    Some(CallDefaults {
        transport: transport(api, from.machine == to.machine),
        authn: authn(api),
        authn_level: authn_level(api, from.com.authn_level, to.com.authn_level),
        imp_level: imp_level(api, from.com.imp_level),
        cloaking: cloaking(from.com.cloaking),
        tracking: tracking(),
        spn: spn(s, api, to),
    })
}

/// The rule that says what a call field does on `api`, where one rule does (the playground
/// shows it by the field): COM ignores `mutual_auth` (BL-4); `ignore_delegate_failure` decides
/// what a call does when delegation cannot be established (RP-7).
pub fn call_field_rule(api: Api, f: StepField) -> Option<RuleId> {
    match (api, f) {
        (Api::Com, StepField::MutualAuth) => Some(RuleId::Bl4),
        (_, StepField::IgnoreDelegateFailure) => Some(RuleId::Rp7),
        _ => None,
    }
}
