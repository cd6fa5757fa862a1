//! The details of a call (every field of SPEC §2.5) and of a set_blanket step. Each select's
//! first choice is the default, saying what it stands for here ("default (identify, from
//! CoInitializeSecurity)"); what the core actually used is shown under it.

use std::rc::Rc;

use impersonation_core::model::schema::Entry;
use impersonation_core::model::{
    Api, Authn, AuthnLevel, Call, Cloaking, ImpLevel, Scenario, SetBlanket, StepField, Tracking,
    Transport, Vocabulary, BUILTIN_ACCOUNTS,
};
use yew::prelude::*;

use super::field::{select, vocab_options, SelectField, TextField};
use super::rows::{Row, RowKind};
use super::step_result::StepResults;
use super::{send, set, Act};
use crate::state::path::StepPath;
use crate::state::{Action, Edit, Key, Place};

/// The fields a details panel shows (for the row's leftover problems): the entry's fields in the
/// core's step schema but those its row shows itself (kind, label, api and the required peer or
/// proxy) and its steps (rows of their own); on an http call, only those http takes.
pub fn detail_fields(entry: Entry, api: Api) -> impl Iterator<Item = &'static str> {
    use StepField as F;
    entry
        .fields()
        .iter()
        .filter(move |f| {
            !matches!(f, F::Do | F::Label | F::Api | F::Steps)
                && !entry.requires(**f)
                && (api != Api::Http || f.http())
        })
        .map(|f| f.as_str())
}

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
    pub act: &'a Act,
}

pub fn call_details(props: &CallProps) -> Html {
    let c = props.call;
    let p = props.path;
    let place = Place::Step(p.clone());
    let text = |key| set::<String>(props.act, &place, key);
    let flag = |key| set::<bool>(props.act, &place, key);
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

    let add_mw = send(
        props.act,
        Action::Edit(Edit::AddMeanwhile {
            call: p.clone(),
            from: ctx.map(|x| x.callee.clone()).unwrap_or_default(),
        }),
    );
    let com = c.api == Api::Com;
    let http = c.api == Api::Http;
    // The choices the core's validation allows on this api (SPEC §7.3), after the default.
    let authn_skip = [&["default"], Authn::unfit(Some(c.api))].concat();
    let imp_skip = [&["default"], ImpLevel::unfit(c.api)].concat();
    let authn = select(
        "authn (security package)",
        (if c.authn == Authn::Default {
            ""
        } else {
            c.authn.as_str()
        })
        .into(),
        vocab_options::<Authn>(Some(("", authn_default)), &authn_skip),
        at("authn"),
        text(Key::Authn),
        "",
    );
    let imp = select(
        "imp_level",
        (if c.imp_level == ImpLevel::Default {
            ""
        } else {
            c.imp_level.as_str()
        })
        .into(),
        vocab_options::<ImpLevel>(Some(("", imp_default)), &imp_skip),
        at("imp_level"),
        text(Key::ImpLevel),
        "",
    );
    let spn = html! {
        <TextField label="spn" value={c.spn.clone().unwrap_or_default()} placeholder={spn_placeholder} commit=true
            error={c.spn.as_deref().and_then(crate::state::edit::spn_problem)} path={at("spn")} onchange={text(Key::Spn)} hint={(c.spn.as_deref() == Some("")).then_some(AttrValue::Static("NULL principal name"))} />
    };
    let grid = if http {
        html! { <div class="grid">{ authn }{ imp }{ spn }</div> }
    } else {
        html! {
            <div class="grid">
                { select("transport", (c.transport.map(|t| t.as_str()).unwrap_or("")).into(), vocab_options::<Transport>(Some(("", transport_default)), &[]), at("transport"), text(Key::Transport), "") }
                { authn }
                { select("authn_level", (if c.authn_level == AuthnLevel::Default { "" } else { c.authn_level.as_str() }).into(), vocab_options::<AuthnLevel>(Some(("", level_default)), &["default"]), at("authn_level"), text(Key::AuthnLevel), "") }
                { imp }
                <SelectField label="cloaking" value={c.cloaking.map(|t| t.as_str()).unwrap_or("")} disabled={!com && c.cloaking.is_none()}
                    options={vocab_options::<Cloaking>(Some(("", cloak_default)), &[])} path={at("cloaking")} onchange={text(Key::Cloaking)} />
                <SelectField label="tracking" value={c.tracking.map(|t| t.as_str()).unwrap_or("")} disabled={com && c.tracking.is_none()}
                    options={vocab_options::<Tracking>(Some(("", tracking_default)), &[])} path={at("tracking")} onchange={text(Key::Tracking)} />
                { spn }
                <SelectField label="NULL principal name (spn: \"\")" check={Some((c.spn.as_deref() == Some(""), flag(Key::NullSpn)))} />
                <TextField label="proxy / binding name" value={c.proxy.clone().unwrap_or_default()} placeholder="default: a fresh proxy"
                    path={at("proxy")} onchange={text(Key::Proxy)} />
                <SelectField label="mutual_auth" path={at("mutual_auth")} check={Some((c.mutual_auth, flag(Key::MutualAuth)))}
                    hint={com.then_some(AttrValue::Static("COM ignores it (BL-4)"))} />
                <SelectField label="ignore_delegate_failure"
                    path={at("ignore_delegate_failure")} check={Some((c.ignore_delegate_failure, flag(Key::IgnoreDelegateFailure)))} hint={Some(AttrValue::Static(impersonation_core::rules::RuleId::Rp7.as_str()))} />
            </div>
        }
    };
    html! {
        <div class="details" role="group" aria-label={format!("Call fields of {p}")}>
            if let Some(used) = ctx.and_then(|x| x.used.clone()) {
                <p class="used">{ format!("Used: {used}") }</p>
            }
            { grid }
            if !props.meanwhile && !http {
                <button type="button" class="btn small" onclick={add_mw}>
                    { "+ Meanwhile: a re-entrant call arrives while waiting" }
                </button>
            }
        </div>
    }
}

/// The fields of a set_blanket step (`""`: unchanged).
pub fn blanket_details(p: &StepPath, b: &SetBlanket, act: &Act) -> Html {
    let place = Place::Step(p.clone());
    let text = |key| set::<String>(act, &place, key);
    let at = |f: &str| AttrValue::from(format!("{p}.{f}"));
    let keep = || Some(("", "unchanged".to_string()));
    html! {
        <div class="details" role="group" aria-label={format!("CoSetProxyBlanket fields of {p}")}>
            <div class="grid">
                { select("authn", (b.authn.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<Authn>(keep(), Authn::unfit(None)), at("authn"), text(Key::Authn), "") }
                { select("authn_level", (b.authn_level.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<AuthnLevel>(keep(), &[]), at("authn_level"), text(Key::AuthnLevel), "") }
                { select("imp_level", (b.imp_level.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<ImpLevel>(keep(), &[]), at("imp_level"), text(Key::ImpLevel), "") }
                { select("cloaking", (b.cloaking.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<Cloaking>(keep(), &[]), at("cloaking"), text(Key::Cloaking), "") }
            </div>
        </div>
    }
}
