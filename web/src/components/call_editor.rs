//! The details of a call (every field of SPEC §2.5) and of a set_blanket step. Each select's
//! first choice is the default, saying what it stands for here ("default (identify, from
//! CoInitializeSecurity)"); what the core actually used is shown under it.

use std::rc::Rc;

use impersonation_core::model::{
    Api, Authn, AuthnLevel, Call, Cloaking, ImpLevel, Scenario, SetBlanket, Tracking, Transport,
    Vocabulary, BUILTIN_ACCOUNTS,
};
use yew::prelude::*;

use super::chain::{Row, RowKind, StepResults};
use super::field::{select, vocab_options, SelectField, TextField};
use super::Dispatch;
use crate::state::path::StepPath;

/// The call fields the details panel shows (for the row's leftover problems).
pub const CALL_FIELDS: [&str; 11] = [
    "transport",
    "authn",
    "authn_level",
    "imp_level",
    "mutual_auth",
    "spn",
    "cloaking",
    "tracking",
    "ignore_delegate_failure",
    "proxy",
    "meanwhile",
];

/// What the defaults of a call depend on: the two processes' settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CallCtx {
    pub caller: String,
    pub callee: String,
    pub same_machine: bool,
    pub caller_imp: ImpLevel,
    pub caller_authn: AuthnLevel,
    pub callee_authn: AuthnLevel,
    pub caller_cloaking: Cloaking,
    /// The SPN used when the call names none.
    pub default_spn: Option<String>,
    /// What the core used for this call (package, level, delegation), when simulated.
    pub used: Option<Rc<str>>,
}

impl CallCtx {
    pub fn of(s: &Scenario, row: &Row, results: &StepResults) -> Option<Rc<CallCtx>> {
        let (caller, callee, api) = match &row.kind {
            RowKind::Step(step) => match &step.action {
                impersonation_core::model::Action::Call(c) => {
                    (row.process.clone(), c.peer.clone(), c.api)
                }
                _ => return None,
            },
            RowKind::Meanwhile { call, .. } => (call.peer.clone(), row.process.clone(), call.api),
            RowKind::Add { .. } => return None,
        };
        let from = s.processes.get(&caller)?;
        let to = s.processes.get(&callee)?;
        // SPEC §7.1: pipes default to cifs/<MACHINE> (SM-1), http to HTTP/<MACHINE>.
        let default_spn = if api == Api::Pipe {
            Some(format!("cifs/{}", to.machine))
        } else if api == Api::Http {
            Some(format!("HTTP/{}", to.machine))
        } else if BUILTIN_ACCOUNTS.contains(&to.account.as_str()) {
            Some(format!("HOST/{}", to.machine))
        } else {
            s.accounts
                .get(&to.account)
                .and_then(|a| a.spns.first().cloned())
        };
        Some(Rc::new(CallCtx {
            same_machine: from.machine == to.machine,
            caller_imp: from.com.imp_level,
            caller_authn: from.com.authn_level,
            callee_authn: to.com.authn_level,
            caller_cloaking: from.com.cloaking,
            default_spn,
            used: results
                .get(&row.path.to_string())
                .and_then(|r| r.used.clone()),
            caller,
            callee,
        }))
    }
}

pub struct CallProps<'a> {
    pub path: &'a StepPath,
    /// The call (its nested steps have rows of their own).
    pub call: &'a Call,
    pub meanwhile: bool,
    pub ctx: Option<&'a CallCtx>,
    pub dispatch: &'a Dispatch,
}

fn call_edit<T: Clone + 'static>(
    d: &Dispatch,
    path: &StepPath,
    key: Option<&'static str>,
    f: impl Fn(&mut Call, T) + 'static,
) -> Callback<T> {
    let path = path.clone();
    let f: super::EditFn<Call, T> = Rc::new(f);
    let key = key.map(|k| format!("{path}.{k}"));
    super::edit(d, key.as_deref(), move |s: &mut Scenario, v: T| {
        if let Some(c) = crate::state::path::call_at_mut(s, &path) {
            f(c, v)
        }
    })
}

/// Parses a select's value: `""` is the default (`None`).
fn opt<T: Vocabulary>(v: &str) -> Option<T> {
    T::parse(v)
}

pub fn call_details(props: &CallProps) -> Html {
    let c = props.call;
    let d = props.dispatch;
    let p = props.path;
    let at = |f: &str| AttrValue::from(format!("{p}.{f}"));
    let ctx = props.ctx;
    let same = ctx.map(|x| x.same_machine);

    let transport_default = match (c.api, same) {
        (Api::Pipe, _) => "default (ncacn_np, a named pipe)".to_string(),
        (_, Some(true)) => "default (ncalrpc: same machine)".to_string(),
        (_, Some(false)) => "default (ncacn_ip_tcp: another machine)".to_string(),
        _ => "default".to_string(),
    };
    let authn_default = match (c.api, same) {
        (Api::Com, _) => "default (COM negotiates)".to_string(),
        (Api::Rpc, _) => "default (none: raw RPC is unauthenticated, AL-4)".to_string(),
        (Api::Pipe, Some(false)) => "default (the SMB session, negotiated)".to_string(),
        (Api::Pipe, _) => "default (local Windows security)".to_string(),
        (Api::Http, _) => "default (negotiate)".to_string(),
    };
    let level_default = match (c.api, ctx) {
        (Api::Com, Some(x)) => format!(
            "default ({}, the higher of {}'s and {}'s CoInitializeSecurity, AL-2)",
            x.caller_authn.max(x.callee_authn),
            x.caller,
            x.callee
        ),
        (Api::Com, None) => "default (the higher of both processes', AL-2)".to_string(),
        _ => "default (per AL-1)".to_string(),
    };
    let imp_default = match (c.api, ctx) {
        (Api::Com, Some(x)) => format!(
            "default ({}, from {}'s CoInitializeSecurity)",
            x.caller_imp, x.caller
        ),
        (Api::Com, None) => "default (from CoInitializeSecurity)".to_string(),
        _ => "default (impersonate, LV-8)".to_string(),
    };
    let cloak_default = match (c.api, ctx) {
        (Api::Com, Some(x)) => format!(
            "default ({}, from {}'s CoInitializeSecurity)",
            x.caller_cloaking, x.caller
        ),
        (Api::Com, None) => "default (from CoInitializeSecurity)".to_string(),
        _ => "n/a (COM only; RPC and pipes use tracking)".to_string(),
    };
    let tracking_default = match c.api {
        Api::Com => "n/a (RPC and pipes only)".to_string(),
        _ => "default (static, RP-6)".to_string(),
    };
    let spn_placeholder = match ctx.and_then(|x| x.default_spn.clone()) {
        Some(spn) => format!("default: {spn}"),
        None => "default: none (the callee's account has no SPN)".to_string(),
    };

    let transport = call_edit(d, p, None, |c, v: String| {
        c.transport = opt::<Transport>(&v)
    });
    let authn = call_edit(d, p, None, |c, v: String| {
        c.authn = opt::<Authn>(&v).unwrap_or(Authn::Default)
    });
    let level = call_edit(d, p, None, |c, v: String| {
        c.authn_level = opt::<AuthnLevel>(&v).unwrap_or(AuthnLevel::Default)
    });
    let imp = call_edit(d, p, None, |c, v: String| {
        c.imp_level = opt::<ImpLevel>(&v).unwrap_or(ImpLevel::Default)
    });
    let cloaking = call_edit(d, p, None, |c, v: String| c.cloaking = opt::<Cloaking>(&v));
    let tracking = call_edit(d, p, None, |c, v: String| c.tracking = opt::<Tracking>(&v));
    let mutual = call_edit(d, p, None, |c, v: bool| c.mutual_auth = v);
    let ignore = call_edit(d, p, None, |c, v: bool| c.ignore_delegate_failure = v);
    let spn = call_edit(d, p, None, |c, v: String| {
        if c.spn.as_deref() != Some("") {
            c.spn = (!v.is_empty()).then_some(v)
        }
    });
    let null_spn = call_edit(d, p, None, |c, v: bool| c.spn = v.then(String::new));
    let proxy = call_edit(d, p, Some("proxy"), |c, v: String| {
        c.proxy = (!v.is_empty()).then_some(v)
    });

    let add_mw = {
        let p = p.clone();
        let from = ctx.map(|x| x.callee.clone()).unwrap_or_default();
        super::edit(d, None, move |s, _: ()| {
            crate::state::edit::add_meanwhile(s, &p, &from);
        })
        .reform(|_| ())
    };
    let com = c.api == Api::Com;
    html! {
        <div class="details" role="group" aria-label={format!("Call fields of {p}")}>
            if let Some(used) = ctx.and_then(|x| x.used.clone()) {
                <p class="used">{ format!("Used: {used}") }</p>
            }
            <div class="grid">
                { select("transport", (c.transport.map(|t| t.as_str()).unwrap_or("")).into(), vocab_options::<Transport>(Some(("", transport_default)), false), at("transport"), transport, "") }
                { select("authn (security package)", (if c.authn == Authn::Default { "" } else { c.authn.as_str() }).into(), vocab_options::<Authn>(Some(("", authn_default)), true), at("authn"), authn, "") }
                { select("authn_level", (if c.authn_level == AuthnLevel::Default { "" } else { c.authn_level.as_str() }).into(), vocab_options::<AuthnLevel>(Some(("", level_default)), true), at("authn_level"), level, "") }
                { select("imp_level", (if c.imp_level == ImpLevel::Default { "" } else { c.imp_level.as_str() }).into(), vocab_options::<ImpLevel>(Some(("", imp_default)), true), at("imp_level"), imp, "") }
                <SelectField label="cloaking" value={c.cloaking.map(|t| t.as_str()).unwrap_or("")} disabled={!com && c.cloaking.is_none()}
                    options={vocab_options::<Cloaking>(Some(("", cloak_default)), false)} path={at("cloaking")} onchange={cloaking} />
                <SelectField label="tracking" value={c.tracking.map(|t| t.as_str()).unwrap_or("")} disabled={com && c.tracking.is_none()}
                    options={vocab_options::<Tracking>(Some(("", tracking_default)), false)} path={at("tracking")} onchange={tracking} />
                <TextField label="spn" value={c.spn.clone().unwrap_or_default()} placeholder={spn_placeholder} commit=true
                    error={c.spn.as_deref().and_then(crate::state::edit::spn_problem)} path={at("spn")} onchange={spn} hint={(c.spn.as_deref() == Some("")).then_some(AttrValue::Static("NULL principal name"))} />
                <SelectField label="NULL principal name (spn: \"\")" check={Some((c.spn.as_deref() == Some(""), null_spn))} />
                <TextField label="proxy / binding name" value={c.proxy.clone().unwrap_or_default()} placeholder="default: a fresh proxy"
                    path={at("proxy")} onchange={proxy} />
                <SelectField label="mutual_auth" path={at("mutual_auth")} check={Some((c.mutual_auth, mutual))}
                    hint={com.then_some(AttrValue::Static("COM ignores it (BL-4)"))} />
                <SelectField label="ignore_delegate_failure"
                    path={at("ignore_delegate_failure")} check={Some((c.ignore_delegate_failure, ignore))} hint={Some(AttrValue::Static(impersonation_core::rules::RuleId::Rp7.as_str()))} />
            </div>
            if !props.meanwhile {
                <button type="button" class="btn small" onclick={add_mw}>
                    { "+ Meanwhile: a re-entrant call arrives while waiting" }
                </button>
            }
        </div>
    }
}

pub struct BlanketProps<'a> {
    pub path: &'a StepPath,
    pub blanket: &'a SetBlanket,
    pub dispatch: &'a Dispatch,
}

fn blanket_edit(d: &Dispatch, path: &StepPath, f: fn(&mut SetBlanket, String)) -> Callback<String> {
    let path = path.clone();
    super::edit(d, None, move |s: &mut Scenario, v: String| {
        if let Some(step) = crate::state::path::step_at_mut(s, &path) {
            if let impersonation_core::model::Action::SetBlanket(b) = &mut step.action {
                f(b, v)
            }
        }
    })
}

pub fn blanket_details(props: &BlanketProps) -> Html {
    let b = props.blanket;
    let p = props.path;
    let d = props.dispatch;
    let at = |f: &str| AttrValue::from(format!("{p}.{f}"));
    let keep = || Some(("", "unchanged".to_string()));
    html! {
        <div class="details" role="group" aria-label={format!("CoSetProxyBlanket fields of {p}")}>
            <div class="grid">
                { select("authn", (b.authn.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<Authn>(keep(), false), at("authn"), blanket_edit(d, p, |b, v| b.authn = Authn::parse(&v)), "") }
                { select("authn_level", (b.authn_level.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<AuthnLevel>(keep(), false), at("authn_level"), blanket_edit(d, p, |b, v| b.authn_level = AuthnLevel::parse(&v)), "") }
                { select("imp_level", (b.imp_level.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<ImpLevel>(keep(), false), at("imp_level"), blanket_edit(d, p, |b, v| b.imp_level = ImpLevel::parse(&v)), "") }
                { select("cloaking", (b.cloaking.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<Cloaking>(keep(), false), at("cloaking"), blanket_edit(d, p, |b, v| b.cloaking = Cloaking::parse(&v)), "") }
            </div>
        </div>
    }
}
