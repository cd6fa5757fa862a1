//! The step schema (SPEC §2.4, §2.5): which fields each kind of step and a `meanwhile` entry
//! take, in the order the format lists them, what each field holds, which are required, which an
//! http call takes (SPEC §7.3), and how a field is read from and written to a typed step.
//!
//! This is the one place that knows a step's fields. The tree decoder (`decode.rs`), the fast
//! reader (`fast.rs`), validation, the encoder and the playground's editor all go through it;
//! none spells a step's field list or a field's default of its own. The defaults themselves are
//! [`Call::BLANK`] and [`StepKind::blank`].

use super::enums::*;
use super::scenario::*;

use StepField as F;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A name: a string that is not blank (`to`, `label`, `proxy`, ...).
    Name,
    /// Any string (`spn`: `""` is a NULL principal name).
    Text,
    /// A word of a vocabulary: these spellings.
    Word(&'static [&'static str]),
    /// `true` or `false`; absent is `false`.
    Flag,
    /// An array of steps.
    Steps,
    /// An array of `meanwhile` calls.
    Calls,
}

/// A field's value as a reader hands it over ([`StepFields::set`], [`Call::set`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Str(&'a str),
    Flag(bool),
    Steps(Vec<Step>),
    Calls(Vec<Meanwhile>),
}

/// A field's value as a step holds it ([`StepFields::get`], [`Call::get`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Got<'a> {
    Str(&'a str),
    Flag(bool),
    Steps(&'a [Step]),
    Calls(&'a [Meanwhile]),
}

impl StepField {
    /// What the field holds.
    pub const fn shape(self) -> Shape {
        match self {
            F::Do => Shape::Word(<StepKind as Vocabulary>::NAMES),
            F::Label | F::To | F::From | F::Proxy | F::Account | F::Resource => Shape::Name,
            F::Spn => Shape::Text,
            F::Api => Shape::Word(<Api as Vocabulary>::NAMES),
            F::Transport => Shape::Word(<Transport as Vocabulary>::NAMES),
            F::Authn => Shape::Word(<Authn as Vocabulary>::NAMES),
            F::AuthnLevel => Shape::Word(<AuthnLevel as Vocabulary>::NAMES),
            F::ImpLevel => Shape::Word(<ImpLevel as Vocabulary>::NAMES),
            F::Cloaking => Shape::Word(<Cloaking as Vocabulary>::NAMES),
            F::Tracking => Shape::Word(<Tracking as Vocabulary>::NAMES),
            F::Level => Shape::Word(<DupLevel as Vocabulary>::NAMES),
            F::MutualAuth | F::IgnoreDelegateFailure | F::AsSelf => Shape::Flag,
            F::Steps => Shape::Steps,
            F::Meanwhile => Shape::Calls,
        }
    }

    /// Whether an http call takes the field (SPEC §7.3): its kind, label, peer and api, `authn`,
    /// `imp_level`, `spn` and its steps.
    pub const fn http(self) -> bool {
        matches!(
            self,
            F::Do
                | F::Label
                | F::To
                | F::From
                | F::Api
                | F::Authn
                | F::ImpLevel
                | F::Spn
                | F::Steps
        )
    }

    /// How an explanation names the field ("Impersonation level of the call web → db").
    pub const fn title(self) -> &'static str {
        match self {
            F::Authn => "Security package",
            F::AuthnLevel => "Authentication level",
            F::ImpLevel => "Impersonation level",
            F::Cloaking => "Cloaking",
            F::MutualAuth => "Mutual authentication",
            F::Spn => "SPN",
            F::Proxy => "Proxy (its CoSetProxyBlanket)",
            _ => <F as Vocabulary>::NAMES[self as usize],
        }
    }

    /// The field's bit in a set of fields ([`Entry::mask`]).
    pub const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A call step's fields, in the format's order.
const CALL: [F; 16] = [
    F::Do,
    F::Label,
    F::To,
    F::Api,
    F::Transport,
    F::Authn,
    F::AuthnLevel,
    F::ImpLevel,
    F::MutualAuth,
    F::Spn,
    F::Cloaking,
    F::Tracking,
    F::IgnoreDelegateFailure,
    F::Proxy,
    F::Steps,
    F::Meanwhile,
];
/// A `meanwhile` entry's: a call's, without `do`, its peer `from` instead of `to`.
const MEANWHILE: [F; 15] = {
    let mut out = [F::Label; 15];
    let mut i = 1;
    while i < CALL.len() {
        out[i - 1] = match CALL[i] {
            F::To => F::From,
            f => f,
        };
        i += 1;
    }
    out
};
const BLANKET: [F; 7] = [
    F::Do,
    F::Label,
    F::Proxy,
    F::Authn,
    F::AuthnLevel,
    F::ImpLevel,
    F::Cloaking,
];
const BARE: [F; 2] = [F::Do, F::Label];
const ACCOUNT: [F; 3] = [F::Do, F::Label, F::Account];
const RESOURCE: [F; 3] = [F::Do, F::Label, F::Resource];
const AS_SELF: [F; 3] = [F::Do, F::Label, F::AsSelf];
const LEVEL: [F; 3] = [F::Do, F::Label, F::Level];

/// The fields of a call step, a `meanwhile` entry and a set_blanket step, by JSON name (what
/// the decoder's "unknown field" message lists).
pub const CALL_FIELDS: &[&str] = &F::spell(CALL);
pub const MEANWHILE_FIELDS: &[&str] = &F::spell(MEANWHILE);
pub const BLANKET_FIELDS: &[&str] = &F::spell(BLANKET);

const BARE_FIELDS: &[&str] = &F::spell(BARE);
const ACCOUNT_FIELDS: &[&str] = &F::spell(ACCOUNT);
const RESOURCE_FIELDS: &[&str] = &F::spell(RESOURCE);
const AS_SELF_FIELDS: &[&str] = &F::spell(AS_SELF);
const LEVEL_FIELDS: &[&str] = &F::spell(LEVEL);

/// What holds a set of step fields: a step of a kind, or a `meanwhile` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Step(StepKind),
    Meanwhile,
}

impl Entry {
    /// Its fields, in the format's order (`do` and `label` first).
    pub const fn fields(self) -> &'static [StepField] {
        match self {
            Entry::Meanwhile => &MEANWHILE,
            Entry::Step(kind) => match kind {
                StepKind::Call => &CALL,
                StepKind::SetBlanket => &BLANKET,
                StepKind::Impersonate | StepKind::Revert | StepKind::Whoami => &BARE,
                StepKind::LogonUser => &ACCOUNT,
                StepKind::Access | StepKind::AccessCheck => &RESOURCE,
                StepKind::OpenThreadToken => &AS_SELF,
                StepKind::DuplicateToken => &LEVEL,
            },
        }
    }

    /// Its fields' JSON names, in [`Entry::fields`]' order.
    pub const fn names(self) -> &'static [&'static str] {
        match self {
            Entry::Meanwhile => MEANWHILE_FIELDS,
            Entry::Step(kind) => match kind {
                StepKind::Call => CALL_FIELDS,
                StepKind::SetBlanket => BLANKET_FIELDS,
                StepKind::Impersonate | StepKind::Revert | StepKind::Whoami => BARE_FIELDS,
                StepKind::LogonUser => ACCOUNT_FIELDS,
                StepKind::Access | StepKind::AccessCheck => RESOURCE_FIELDS,
                StepKind::OpenThreadToken => AS_SELF_FIELDS,
                StepKind::DuplicateToken => LEVEL_FIELDS,
            },
        }
    }

    /// Its fields as a set of bits ([`StepField::bit`]), from a table made at compile time (the
    /// fast reader asks for every step).
    pub const fn mask(self) -> u32 {
        match self {
            Entry::Meanwhile => MASKS[0],
            Entry::Step(kind) => MASKS[1 + kind as usize],
        }
    }

    /// Its required fields as a set of bits ([`Entry::requires`]).
    pub const fn required(self) -> u32 {
        match self {
            Entry::Meanwhile => REQUIRED[0],
            Entry::Step(kind) => REQUIRED[1 + kind as usize],
        }
    }

    /// Whether it must have `field` (`do` aside, which every step has): a call's peer, the
    /// operand of logon_user, access and duplicate_token, a set_blanket's proxy.
    pub const fn requires(self, field: StepField) -> bool {
        match field {
            F::To | F::From | F::Account | F::Resource | F::Level => true,
            F::Proxy => matches!(self, Entry::Step(StepKind::SetBlanket)),
            _ => false,
        }
    }
}

/// The bits of `fields`.
const fn bits(fields: &[F]) -> u32 {
    let mut m = 0;
    let mut i = 0;
    while i < fields.len() {
        m |= fields[i].bit();
        i += 1;
    }
    m
}

/// [`Entry::mask`]: a meanwhile entry's, then each step kind's in [`StepKind::ALL`]'s order.
const MASKS: [u32; 11] = {
    let kinds = <StepKind as Vocabulary>::ALL;
    let mut out = [bits(&MEANWHILE); 11];
    let mut i = 0;
    while i < kinds.len() {
        out[1 + kinds[i] as usize] = bits(Entry::Step(kinds[i]).fields());
        i += 1;
    }
    out
};

/// [`Entry::required`], in [`MASKS`]' order.
const REQUIRED: [u32; 11] = {
    let kinds = <StepKind as Vocabulary>::ALL;
    let mut out = [0; 11];
    let mut i = 0;
    while i < out.len() {
        let entry = if i == 0 {
            Entry::Meanwhile
        } else {
            Entry::Step(kinds[i - 1])
        };
        let fields = entry.fields();
        let mut j = 0;
        while j < fields.len() {
            if entry.requires(fields[j]) {
                out[i] |= fields[j].bit();
            }
            j += 1;
        }
        i += 1;
    }
    out
};

impl StepKind {
    /// A step action of this kind with every field at its default and every required name
    /// blank (a duplicate_token's level: impersonate).
    pub fn blank(self) -> Action {
        match self {
            StepKind::Call => Action::Call(Box::new(Call::BLANK)),
            StepKind::Impersonate => Action::Impersonate,
            StepKind::Revert => Action::Revert,
            StepKind::LogonUser => Action::LogonUser {
                account: String::new(),
            },
            StepKind::SetBlanket => Action::SetBlanket(SetBlanket {
                proxy: String::new(),
                authn: None,
                authn_level: None,
                imp_level: None,
                cloaking: None,
            }),
            StepKind::Access => Action::Access {
                resource: String::new(),
            },
            StepKind::AccessCheck => Action::AccessCheck {
                resource: String::new(),
            },
            StepKind::OpenThreadToken => Action::OpenThreadToken { as_self: false },
            StepKind::DuplicateToken => Action::DuplicateToken {
                level: DupLevel::Impersonate,
            },
            StepKind::Whoami => Action::Whoami,
        }
    }
}

impl Action {
    pub fn kind(&self) -> StepKind {
        match self {
            Action::Call(_) => StepKind::Call,
            Action::Impersonate => StepKind::Impersonate,
            Action::Revert => StepKind::Revert,
            Action::LogonUser { .. } => StepKind::LogonUser,
            Action::SetBlanket(_) => StepKind::SetBlanket,
            Action::Access { .. } => StepKind::Access,
            Action::AccessCheck { .. } => StepKind::AccessCheck,
            Action::OpenThreadToken { .. } => StepKind::OpenThreadToken,
            Action::DuplicateToken { .. } => StepKind::DuplicateToken,
            Action::Whoami => StepKind::Whoami,
        }
    }

    /// The value of a field of its kind other than `do` and `label`; `None` when the field is
    /// at its default (or not one of its kind's).
    pub fn get(&self, f: StepField) -> Option<Got<'_>> {
        Some(match (self, f) {
            (Action::Call(c), _) => return c.get(f),
            (Action::SetBlanket(b), _) => return b.get(f),
            (Action::LogonUser { account: s }, F::Account)
            | (Action::Access { resource: s } | Action::AccessCheck { resource: s }, F::Resource) => {
                Got::Str(s)
            }
            (Action::OpenThreadToken { as_self: true }, F::AsSelf) => Got::Flag(true),
            (Action::DuplicateToken { level }, F::Level) => Got::Str(level.as_str()),
            _ => return None,
        })
    }

    /// Sets a field of its kind other than `do` and `label`; `None` (and no change) when the
    /// value is not one the field takes (a word outside its vocabulary, a wrong shape) or the
    /// kind has no such field.
    pub fn set(&mut self, f: StepField, v: Val) -> Option<()> {
        match (self, f, v) {
            (Action::Call(c), _, v) => return c.set(f, v),
            (Action::SetBlanket(b), _, v) => return b.set(f, v),
            (Action::LogonUser { account: s }, F::Account, Val::Str(v))
            | (
                Action::Access { resource: s } | Action::AccessCheck { resource: s },
                F::Resource,
                Val::Str(v),
            ) => *s = v.to_string(),
            (Action::OpenThreadToken { as_self }, F::AsSelf, Val::Flag(on)) => *as_self = on,
            (Action::DuplicateToken { level }, F::Level, Val::Str(v)) => {
                *level = DupLevel::parse(v)?
            }
            _ => return None,
        }
        Some(())
    }

    /// Puts a field back at its default ([`StepKind::blank`]'s value; a required word stays).
    pub fn clear(&mut self, f: StepField) {
        match (self, f) {
            (Action::Call(c), _) => c.clear(f),
            (Action::SetBlanket(b), _) => b.clear(f),
            (Action::OpenThreadToken { as_self }, F::AsSelf) => *as_self = false,
            (Action::LogonUser { account: s }, F::Account)
            | (Action::Access { resource: s } | Action::AccessCheck { resource: s }, F::Resource) => {
                s.clear()
            }
            _ => {}
        }
    }
}

/// What holds a whole set of step fields, `label` included: a step or a `meanwhile` entry.
/// The encoder writes one through it and the playground's editor sets one through it.
pub trait StepFields {
    /// The value of a field; `None` when at its default or not one of the holder's.
    fn get(&self, f: StepField) -> Option<Got<'_>>;
    /// Sets a field; `None` (and no change) when the value is not one the field takes.
    fn set(&mut self, f: StepField, v: Val) -> Option<()>;
    /// Puts a field back at its default.
    fn clear(&mut self, f: StepField);
}

impl StepFields for Step {
    fn get(&self, f: StepField) -> Option<Got<'_>> {
        match f {
            F::Do => Some(Got::Str(self.action.kind().as_str())),
            F::Label => self.label.as_deref().map(Got::Str),
            _ => self.action.get(f),
        }
    }

    /// `do` is not set here: a new kind is a new action ([`StepKind::blank`]).
    fn set(&mut self, f: StepField, v: Val) -> Option<()> {
        match (f, v) {
            (F::Label, Val::Str(v)) => self.label = Some(v.to_string()),
            (F::Do | F::Label, _) => return None,
            (_, v) => return self.action.set(f, v),
        }
        Some(())
    }

    fn clear(&mut self, f: StepField) {
        match f {
            F::Label => self.label = None,
            _ => self.action.clear(f),
        }
    }
}

impl StepFields for Meanwhile {
    fn get(&self, f: StepField) -> Option<Got<'_>> {
        match f {
            F::Label => self.label.as_deref().map(Got::Str),
            _ => self.call.get(f),
        }
    }

    fn set(&mut self, f: StepField, v: Val) -> Option<()> {
        match (f, v) {
            (F::Label, Val::Str(v)) => self.label = Some(v.to_string()),
            (F::Label, _) => return None,
            (_, v) => return self.call.set(f, v),
        }
        Some(())
    }

    fn clear(&mut self, f: StepField) {
        match f {
            F::Label => self.label = None,
            _ => self.call.clear(f),
        }
    }
}

impl Call {
    /// A call with every field at its default (SPEC §2.5) and no peer: the one statement of a
    /// call's defaults.
    pub const BLANK: Call = Call {
        peer: String::new(),
        api: Api::Com,
        transport: None,
        authn: Authn::Default,
        authn_level: AuthnLevel::Default,
        imp_level: ImpLevel::Default,
        mutual_auth: false,
        spn: None,
        cloaking: None,
        tracking: None,
        ignore_delegate_failure: false,
        proxy: None,
        steps: Vec::new(),
        meanwhile: Vec::new(),
    };

    /// The value of a call field (its peer is both `to` and `from`); `None` when at its default.
    pub fn get(&self, f: StepField) -> Option<Got<'_>> {
        const B: Call = Call::BLANK;
        let word = |on: bool, w: &'static str| on.then_some(Got::Str(w));
        let flag = |on: bool| on.then_some(Got::Flag(true));
        match f {
            F::To | F::From => Some(Got::Str(&self.peer)),
            F::Api => word(self.api != B.api, self.api.as_str()),
            F::Transport => self.transport.map(|t| Got::Str(t.as_str())),
            F::Authn => word(self.authn != B.authn, self.authn.as_str()),
            F::AuthnLevel => word(self.authn_level != B.authn_level, self.authn_level.as_str()),
            F::ImpLevel => word(self.imp_level != B.imp_level, self.imp_level.as_str()),
            F::MutualAuth => flag(self.mutual_auth),
            F::Spn => self.spn.as_deref().map(Got::Str),
            F::Cloaking => self.cloaking.map(|t| Got::Str(t.as_str())),
            F::Tracking => self.tracking.map(|t| Got::Str(t.as_str())),
            F::IgnoreDelegateFailure => flag(self.ignore_delegate_failure),
            F::Proxy => self.proxy.as_deref().map(Got::Str),
            F::Steps => (!self.steps.is_empty()).then_some(Got::Steps(&self.steps)),
            F::Meanwhile => (!self.meanwhile.is_empty()).then_some(Got::Calls(&self.meanwhile)),
            _ => None,
        }
    }

    /// Sets a call field ([`Action::set`]).
    pub fn set(&mut self, f: StepField, v: Val) -> Option<()> {
        match (f, v) {
            (F::To | F::From, Val::Str(v)) => self.peer = v.to_string(),
            (F::Api, Val::Str(v)) => self.api = Api::parse(v)?,
            (F::Transport, Val::Str(v)) => self.transport = Some(Transport::parse(v)?),
            (F::Authn, Val::Str(v)) => self.authn = Authn::parse(v)?,
            (F::AuthnLevel, Val::Str(v)) => self.authn_level = AuthnLevel::parse(v)?,
            (F::ImpLevel, Val::Str(v)) => self.imp_level = ImpLevel::parse(v)?,
            (F::MutualAuth, Val::Flag(on)) => self.mutual_auth = on,
            (F::Spn, Val::Str(v)) => self.spn = Some(v.to_string()),
            (F::Cloaking, Val::Str(v)) => self.cloaking = Some(Cloaking::parse(v)?),
            (F::Tracking, Val::Str(v)) => self.tracking = Some(Tracking::parse(v)?),
            (F::IgnoreDelegateFailure, Val::Flag(on)) => self.ignore_delegate_failure = on,
            (F::Proxy, Val::Str(v)) => self.proxy = Some(v.to_string()),
            (F::Steps, Val::Steps(v)) => self.steps = v,
            (F::Meanwhile, Val::Calls(v)) => self.meanwhile = v,
            _ => return None,
        }
        Some(())
    }

    /// Puts a call field back at its [`Call::BLANK`] value.
    pub fn clear(&mut self, f: StepField) {
        const B: Call = Call::BLANK;
        match f {
            F::To | F::From => self.peer.clear(),
            F::Api => self.api = B.api,
            F::Transport => self.transport = B.transport,
            F::Authn => self.authn = B.authn,
            F::AuthnLevel => self.authn_level = B.authn_level,
            F::ImpLevel => self.imp_level = B.imp_level,
            F::MutualAuth => self.mutual_auth = B.mutual_auth,
            F::Spn => self.spn = None,
            F::Cloaking => self.cloaking = B.cloaking,
            F::Tracking => self.tracking = B.tracking,
            F::IgnoreDelegateFailure => self.ignore_delegate_failure = B.ignore_delegate_failure,
            F::Proxy => self.proxy = None,
            F::Steps => self.steps.clear(),
            F::Meanwhile => self.meanwhile.clear(),
            _ => {}
        }
    }

    /// Changes the call's `api`, putting back at their default the fields the new api does not
    /// take ([`StepField::http`]), a NULL principal name (an http call names its SPN or takes
    /// the default) and a package or a level the api does not allow ([`Authn::fits`],
    /// [`ImpLevel::fits`]). Its meanwhile calls stay (validation reports them).
    pub fn set_api(&mut self, api: Api) {
        if api == Api::Http && self.api != api {
            for &f in Entry::Step(StepKind::Call).fields() {
                if !f.http() && f != F::Meanwhile {
                    self.clear(f);
                }
            }
            if self.spn.as_deref() == Some("") {
                self.spn = None;
            }
        }
        self.api = api;
        if !self.authn.fits(Some(api)) {
            self.clear(F::Authn);
        }
        if !self.imp_level.fits(api) {
            self.clear(F::ImpLevel);
        }
    }
}

impl SetBlanket {
    fn get(&self, f: StepField) -> Option<Got<'_>> {
        let word = |w: Option<&'static str>| w.map(Got::Str);
        match f {
            F::Proxy => Some(Got::Str(&self.proxy)),
            F::Authn => word(self.authn.map(Vocabulary::as_str)),
            F::AuthnLevel => word(self.authn_level.map(Vocabulary::as_str)),
            F::ImpLevel => word(self.imp_level.map(Vocabulary::as_str)),
            F::Cloaking => word(self.cloaking.map(Vocabulary::as_str)),
            _ => None,
        }
    }

    fn set(&mut self, f: StepField, v: Val) -> Option<()> {
        let Val::Str(v) = v else { return None };
        match f {
            F::Proxy => self.proxy = v.to_string(),
            F::Authn => self.authn = Some(Authn::parse(v)?),
            F::AuthnLevel => self.authn_level = Some(AuthnLevel::parse(v)?),
            F::ImpLevel => self.imp_level = Some(ImpLevel::parse(v)?),
            F::Cloaking => self.cloaking = Some(Cloaking::parse(v)?),
            _ => return None,
        }
        Some(())
    }

    fn clear(&mut self, f: StepField) {
        match f {
            F::Proxy => self.proxy.clear(),
            F::Authn => self.authn = None,
            F::AuthnLevel => self.authn_level = None,
            F::ImpLevel => self.imp_level = None,
            F::Cloaking => self.cloaking = None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meanwhile_entry_has_a_calls_fields_from_its_caller() {
        let call: Vec<&str> = CALL_FIELDS
            .iter()
            .map(|f| f.replace("to", "from"))
            .map(|f| {
                MEANWHILE_FIELDS
                    .iter()
                    .find(|m| **m == f)
                    .copied()
                    .unwrap_or("?")
            })
            .collect();
        assert_eq!(call[0], "?", "a meanwhile entry has no `do`");
        assert_eq!(call[1..], *MEANWHILE_FIELDS);
        assert_eq!(&CALL_FIELDS[..3], ["do", "label", "to"]);
        assert_eq!(BLANKET_FIELDS[2], "proxy");
    }

    #[test]
    fn every_kind_starts_with_do_and_label() {
        for kind in StepKind::ALL {
            assert_eq!(Entry::Step(*kind).fields()[..2], [F::Do, F::Label]);
            assert_eq!(kind.blank().kind(), *kind);
            let entry = Entry::Step(*kind);
            let names: Vec<&str> = entry.fields().iter().map(|f| f.as_str()).collect();
            assert_eq!(entry.names(), names);
        }
    }

    #[test]
    fn an_http_call_keeps_only_what_http_takes() {
        let mut c = Call::new("web");
        c.transport = Some(Transport::NcacnNp);
        c.authn = Authn::Schannel;
        c.imp_level = ImpLevel::Identify;
        c.spn = Some(String::new());
        c.proxy = Some("P".into());
        c.mutual_auth = true;
        c.set_api(Api::Http);
        let mut want = Call::new("web");
        want.api = Api::Http;
        assert_eq!(c, want);
        c.authn = Authn::Basic;
        c.set_api(Api::Rpc);
        assert_eq!((c.api, c.authn), (Api::Rpc, Authn::Default));
    }
}
