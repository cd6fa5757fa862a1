//! The details of a call (every field of SPEC §2.5) and of a set_blanket step. Each select's
//! first choice is the default, saying what the core resolves it to here and the rule that says
//! so ("default (identify, LV-3)"); what the core actually used is shown above them.

use std::rc::Rc;

use impersonation_core::engine::defaults::{self, CallDefaults};
use impersonation_core::model::schema::Entry;
use impersonation_core::model::{
    Api, Authn, AuthnLevel, Call, Cloaking, ImpLevel, Scenario, SetBlanket, StepField, StepKind,
    Tracking, Transport, Vocabulary,
};
use impersonation_core::rules::RuleId;
use yew::prelude::*;

use super::field::{rule_hint, select, vocab_options, SelectField, TextField};
use super::rows::{Row, RowKind};
use super::step_result::StepResults;
use super::{send, set, Act};
use crate::state::path::StepPath;
use crate::state::{Action, Edit, Key, Place};
use impersonation_core::model::StepField as F;

/// The fields a details panel shows (for the row's leftover problems): the entry's fields in the
/// core's step schema but those its row shows itself (kind, label, api and the required peer or
/// proxy) and its steps (rows of their own); on an http call, only those http takes. Made from
/// the schema at compile time.
pub fn detail_fields(entry: Entry, api: Api) -> &'static [&'static str] {
    match (entry, api) {
        (Entry::Step(StepKind::SetBlanket), _) => &BLANKET_DETAILS,
        (_, Api::Http) => &HTTP_DETAILS,
        _ => &CALL_DETAILS,
    }
}

const CALL: Entry = Entry::Step(StepKind::Call);
const BLANKET: Entry = Entry::Step(StepKind::SetBlanket);
const CALL_DETAILS: [&str; details_len(CALL, false)] = details(CALL, false);
const HTTP_DETAILS: [&str; details_len(CALL, true)] = details(CALL, true);
const BLANKET_DETAILS: [&str; details_len(BLANKET, false)] = details(BLANKET, false);

const fn in_details(entry: Entry, f: StepField, http: bool) -> bool {
    use StepField as F;
    let in_row = matches!(f, F::Do | F::Label | F::Api | F::Steps) || entry.requires(f);
    !in_row && (!http || f.http())
}

const fn details_len(entry: Entry, http: bool) -> usize {
    let (fields, mut n, mut i) = (entry.fields(), 0, 0);
    while i < fields.len() {
        n += in_details(entry, fields[i], http) as usize;
        i += 1;
    }
    n
}

const fn details<const N: usize>(entry: Entry, http: bool) -> [&'static str; N] {
    let (fields, mut out, mut n, mut i) = (entry.fields(), [""; N], 0, 0);
    while i < fields.len() {
        if in_details(entry, fields[i], http) {
            out[n] = <StepField as Vocabulary>::NAMES[fields[i] as usize];
            n += 1;
        }
        i += 1;
    }
    out
}

/// A call's two processes and what its fields left at their default resolve to (the core's
/// answer, [`defaults::of_call`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CallCtx {
    pub caller: String,
    pub callee: String,
    pub defaults: CallDefaults,
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
        Some(Rc::new(CallCtx {
            defaults: defaults::of_call(s, &caller, &callee, api)?,
            used: results.get(&row.path).and_then(|r| r.used.clone()),
            caller,
            callee,
        }))
    }
}

/// A select's first choice: `default (what it resolves to, the rule that says so)`.
fn default_choice(value: Option<&str>, rule: Option<RuleId>) -> String {
    match (value, rule) {
        (Some(v), Some(r)) => format!("default ({v}, {})", r.as_str()),
        (Some(v), None) => format!("default ({v})"),
        (None, _) => "default".to_string(),
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
    let text = |f| set::<String>(props.act, &place, Key::Step(f));
    let flag = |f| set::<bool>(props.act, &place, Key::Step(f));
    let at = |f: &str| AttrValue::from(format!("{p}.{f}"));
    let ctx = props.ctx;
    let d = ctx.map(|x| &x.defaults);
    let transport_default = default_choice(d.map(|d| d.transport.as_str()), None);
    let authn_default = default_choice(d.map(|d| d.authn.as_str()), None);
    let level_default = default_choice(
        d.map(|d| d.authn_level.0.as_str()),
        d.and_then(|d| d.authn_level.1),
    );
    let imp_default = default_choice(d.map(|d| d.imp_level.0.as_str()), d.map(|d| d.imp_level.1));
    let cloak_default = match c.api {
        Api::Com => default_choice(d.map(|d| d.cloaking.0.as_str()), d.map(|d| d.cloaking.1)),
        _ => "n/a (COM only; RPC and pipes use tracking)".to_string(),
    };
    let tracking_default = match c.api {
        Api::Com => "n/a (RPC and pipes only)".to_string(),
        _ => default_choice(d.map(|d| d.tracking.0.as_str()), d.map(|d| d.tracking.1)),
    };
    let spn_placeholder = match d.map(|d| d.spn.as_deref()) {
        Some(Some(spn)) => format!("default: {spn}"),
        Some(None) => "default: none (the callee's account has no SPN)".to_string(),
        None => "default".to_string(),
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
        chosen(c.authn),
        vocab_options::<Authn>(Some(("", authn_default)), &authn_skip),
        at("authn"),
        text(F::Authn),
        "",
    );
    let imp = select(
        "imp_level",
        chosen(c.imp_level),
        vocab_options::<ImpLevel>(Some(("", imp_default)), &imp_skip),
        at("imp_level"),
        text(F::ImpLevel),
        "",
    );
    let spn = html! {
        <TextField label="spn" value={c.spn.clone().unwrap_or_default()} placeholder={spn_placeholder} commit=true
            error={c.spn.as_deref().and_then(crate::state::edit::spn_problem)} path={at("spn")} onchange={text(F::Spn)} hint={(c.spn.as_deref() == Some("")).then_some(AttrValue::Static("NULL principal name"))} />
    };
    let grid = if http {
        html! { <div class="grid">{ authn }{ imp }{ spn }</div> }
    } else {
        html! {
            <div class="grid">
                { select("transport", (c.transport.map(|t| t.as_str()).unwrap_or("")).into(), vocab_options::<Transport>(Some(("", transport_default)), &[]), at("transport"), text(F::Transport), "") }
                { authn }
                { select("authn_level", chosen(c.authn_level), vocab_options::<AuthnLevel>(Some(("", level_default)), &["default"]), at("authn_level"), text(F::AuthnLevel), "") }
                { imp }
                <SelectField label="cloaking" value={c.cloaking.map(|t| t.as_str()).unwrap_or("")} disabled={!com && c.cloaking.is_none()}
                    options={vocab_options::<Cloaking>(Some(("", cloak_default)), &[])} path={at("cloaking")} onchange={text(F::Cloaking)} />
                <SelectField label="tracking" value={c.tracking.map(|t| t.as_str()).unwrap_or("")} disabled={com && c.tracking.is_none()}
                    options={vocab_options::<Tracking>(Some(("", tracking_default)), &[])} path={at("tracking")} onchange={text(F::Tracking)} />
                { spn }
                <SelectField label="NULL principal name (spn: \"\")" check={Some((c.spn.as_deref() == Some(""), set::<bool>(props.act, &place, Key::NullSpn)))} />
                <TextField label="proxy / binding name" value={c.proxy.clone().unwrap_or_default()} placeholder="default: a fresh proxy"
                    path={at("proxy")} onchange={text(F::Proxy)} />
                <SelectField label="mutual_auth" path={at("mutual_auth")} check={Some((c.mutual_auth, flag(F::MutualAuth)))}
                    hint={rule_hint(defaults::call_field_rule(c.api, F::MutualAuth))} />
                <SelectField label="ignore_delegate_failure"
                    path={at("ignore_delegate_failure")} check={Some((c.ignore_delegate_failure, flag(F::IgnoreDelegateFailure)))} hint={rule_hint(defaults::call_field_rule(c.api, F::IgnoreDelegateFailure))} />
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
    let text = |f| set::<String>(act, &place, Key::Step(f));
    let at = |f: &str| AttrValue::from(format!("{p}.{f}"));
    let keep = || Some(("", "unchanged".to_string()));
    html! {
        <div class="details" role="group" aria-label={format!("CoSetProxyBlanket fields of {p}")}>
            <div class="grid">
                { select("authn", (b.authn.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<Authn>(keep(), Authn::unfit(None)), at("authn"), text(F::Authn), "") }
                { select("authn_level", (b.authn_level.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<AuthnLevel>(keep(), &[]), at("authn_level"), text(F::AuthnLevel), "") }
                { select("imp_level", (b.imp_level.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<ImpLevel>(keep(), &[]), at("imp_level"), text(F::ImpLevel), "") }
                { select("cloaking", (b.cloaking.map(|x| x.as_str()).unwrap_or("")).into(), vocab_options::<Cloaking>(keep(), &[]), at("cloaking"), text(F::Cloaking), "") }
            </div>
        </div>
    }
}

/// A vocabulary select's value: empty for `default`, which the select's first choice (the
/// default, with what it resolves to) stands for.
fn chosen<T: Vocabulary>(v: T) -> AttrValue {
    match v.as_str() {
        "default" => AttrValue::Static(""),
        s => AttrValue::Static(s),
    }
}
