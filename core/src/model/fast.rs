//! The fast path for reading a valid scenario (feature `fast-read`, issue #6): `run.steps`, the
//! bulk of a large file, is deserialized straight from serde_json's token stream into typed
//! steps, without building a JSON tree for it first. Everything else (a few small tables) is read
//! into a [`Json`] tree and decoded by the thorough decoder, unchanged.
//!
//! The fast path only accepts what it is sure of. On anything unusual (a syntax error, an unknown
//! or duplicate field, a value of the wrong type or outside the vocabulary, an empty name, a
//! problem the tree decoder reports, nesting deeper than serde_json's default recursion limit of
//! 128 levels) it gives up and returns `None`, and the caller reads the text again with the tree
//! decoder, which reports every problem with its path exactly as without this feature. So a
//! scenario it returns is the one the tree decoder would have returned (`tests/fast_read.rs`
//! checks that on every scenario file, generated scenarios and mutated ones), and validation
//! still runs on it.
//!
//! The recursion limit also bounds the native stack this reader uses, in WebAssembly too.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::enums::*;
use super::json::Json;
use super::scenario::*;

/// Reads a scenario from JSON text (without a byte order mark), or `None` when the text is not
/// plainly valid and the tree decoder must read it. Does not validate references.
pub(super) fn read(text: &str) -> Option<Scenario> {
    let mut de = serde_json::Deserializer::from_str(text);
    let (mut entries, run) = (&mut de).deserialize_map(TopVisitor).ok()?;
    de.end().ok()?;
    let (process, steps) = run?;
    let run_tree = match process {
        Some(p) => vec![(Cow::Borrowed("process"), p)],
        None => Vec::new(),
    };
    entries.push((Cow::Borrowed("run"), Json::Object(run_tree)));
    let mut scenario = super::decode::decode_fields(&Json::Object(entries))?;
    scenario.run.steps = steps;
    Some(scenario)
}

/// Gives up: the tree decoder reads the text instead.
fn give_up<E: de::Error>() -> E {
    E::custom("not for the fast path")
}

/// A string, borrowed from the input when it has no escapes.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

type Entries<'de> = Vec<(Cow<'de, str>, Json<'de>)>;
/// `run`: its `process` value (decoded by the tree decoder) and its steps.
type RunParts<'de> = (Option<Json<'de>>, Vec<Step>);

/// The top-level object: every entry but `run` as a tree, `run` read by [`RunVisitor`].
struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = (Entries<'de>, Option<RunParts<'de>>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scenario object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(10);
        let mut run = None;
        while let Some(Text(key)) = map.next_key()? {
            if key == "run" {
                if run.is_some() {
                    return Err(give_up());
                }
                run = Some(map.next_value_seed(RunSeed)?);
            } else {
                entries.push((key, map.next_value::<Json>()?));
            }
        }
        Ok((entries, run))
    }
}

struct RunSeed;

impl<'de> DeserializeSeed<'de> for RunSeed {
    type Value = RunParts<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(RunVisitor)
    }
}

struct RunVisitor;

impl<'de> Visitor<'de> for RunVisitor {
    type Value = RunParts<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a run object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut process = None;
        let mut steps = None;
        while let Some(Text(key)) = map.next_key()? {
            match key.as_ref() {
                "process" if process.is_none() => process = Some(map.next_value::<Json>()?),
                "steps" if steps.is_none() => {
                    steps = Some(map.next_value_seed(StepsSeed(&mut Pool::default()))?)
                }
                _ => return Err(give_up()),
            }
        }
        Ok((process, steps.unwrap_or_default()))
    }
}

/// Buffers the step arrays are collected in, one per level being read, reused from array to
/// array: each array is then copied out at its exact length. Growing each array by doubling
/// would leave a quarter of a large scenario's memory unused (and touching memory is most of
/// what reading costs).
#[derive(Default)]
struct Pool(Vec<Vec<Step>>);

/// An array of steps.
struct StepsSeed<'p>(&'p mut Pool);

impl<'de> DeserializeSeed<'de> for StepsSeed<'_> {
    type Value = Vec<Step>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Step>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StepsSeed<'_> {
    type Value = Vec<Step>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of steps")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Step>, A::Error> {
        let pool = self.0;
        let mut buf = pool.0.pop().unwrap_or_default();
        while let Some(fields) = seq.next_element_seed(FieldsSeed(pool))? {
            buf.push(fields.into_step().ok_or_else(give_up)?);
        }
        let mut steps = Vec::with_capacity(buf.len());
        steps.append(&mut buf);
        pool.0.push(buf);
        Ok(steps)
    }
}

/// A `meanwhile` array.
struct MeanwhileSeed<'p>(&'p mut Pool);

impl<'de> DeserializeSeed<'de> for MeanwhileSeed<'_> {
    type Value = Vec<Meanwhile>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Meanwhile>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for MeanwhileSeed<'_> {
    type Value = Vec<Meanwhile>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of calls")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Meanwhile>, A::Error> {
        let mut list = Vec::new();
        while let Some(fields) = seq.next_element_seed(FieldsSeed(&mut *self.0))? {
            list.push(fields.into_meanwhile().ok_or_else(give_up)?);
        }
        Ok(list)
    }
}

/// Every field a step or a `meanwhile` entry may have, one bit each.
#[derive(Clone, Copy)]
#[repr(u32)]
enum F {
    Do,
    Label,
    To,
    From,
    Api,
    Transport,
    Authn,
    AuthnLevel,
    ImpLevel,
    MutualAuth,
    Spn,
    Cloaking,
    Tracking,
    IgnoreDelegateFailure,
    Proxy,
    Steps,
    Meanwhile,
    Account,
    Resource,
    AsSelf,
    Level,
}

impl F {
    fn parse(key: &str) -> Option<F> {
        Some(match key {
            "do" => F::Do,
            "label" => F::Label,
            "to" => F::To,
            "from" => F::From,
            "api" => F::Api,
            "transport" => F::Transport,
            "authn" => F::Authn,
            "authn_level" => F::AuthnLevel,
            "imp_level" => F::ImpLevel,
            "mutual_auth" => F::MutualAuth,
            "spn" => F::Spn,
            "cloaking" => F::Cloaking,
            "tracking" => F::Tracking,
            "ignore_delegate_failure" => F::IgnoreDelegateFailure,
            "proxy" => F::Proxy,
            "steps" => F::Steps,
            "meanwhile" => F::Meanwhile,
            "account" => F::Account,
            "resource" => F::Resource,
            "as_self" => F::AsSelf,
            "level" => F::Level,
            _ => return None,
        })
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

const fn mask(fields: &[F]) -> u32 {
    let mut m = 0;
    let mut i = 0;
    while i < fields.len() {
        m |= fields[i].bit();
        i += 1;
    }
    m
}

/// The fields a call shares with a `meanwhile` entry (decode.rs `CALL_FIELDS` and
/// `MEANWHILE_FIELDS` without `do`, `to` and `from`).
const CALL_COMMON: u32 = mask(&[
    F::Label,
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
]);
const CALL: u32 = CALL_COMMON | mask(&[F::Do, F::To]);
const MEANWHILE: u32 = CALL_COMMON | mask(&[F::From]);
const BLANKET: u32 = mask(&[
    F::Do,
    F::Label,
    F::Proxy,
    F::Authn,
    F::AuthnLevel,
    F::ImpLevel,
    F::Cloaking,
]);
const BARE: u32 = mask(&[F::Do, F::Label]);
const ACCOUNT: u32 = BARE | F::Account.bit();
const RESOURCE: u32 = BARE | F::Resource.bit();
const AS_SELF: u32 = BARE | F::AsSelf.bit();
const LEVEL: u32 = BARE | F::Level.bit();

/// A step's or a `meanwhile` entry's fields as read, checked and typed once the object ends
/// (its `do` may come last).
#[derive(Default)]
struct Fields<'de> {
    seen: u32,
    verb: Option<Text<'de>>,
    label: Option<Text<'de>>,
    peer: Option<Text<'de>>,
    api: Option<Text<'de>>,
    transport: Option<Text<'de>>,
    authn: Option<Text<'de>>,
    authn_level: Option<Text<'de>>,
    imp_level: Option<Text<'de>>,
    mutual_auth: bool,
    spn: Option<Text<'de>>,
    cloaking: Option<Text<'de>>,
    tracking: Option<Text<'de>>,
    ignore_delegate_failure: bool,
    proxy: Option<Text<'de>>,
    steps: Vec<Step>,
    meanwhile: Vec<Meanwhile>,
    /// `account`, `resource` or `level`: at most one of them is allowed with any `do`.
    operand: Option<Text<'de>>,
    as_self: bool,
}

/// A name: a string that is not blank (decode.rs `name`).
fn name(t: Text) -> Option<String> {
    if t.0.trim().is_empty() {
        None
    } else {
        Some(t.0.into_owned())
    }
}

fn opt_name(t: Option<Text>) -> Option<Option<String>> {
    match t {
        Some(t) => name(t).map(Some),
        None => Some(None),
    }
}

/// A vocabulary word if given: `Some(None)` when absent, `None` when not a word of `T`.
fn word<T: Vocabulary>(t: Option<Text>) -> Option<Option<T>> {
    match t {
        Some(t) => T::parse(&t.0).map(Some),
        None => Some(None),
    }
}

impl Fields<'_> {
    fn only(&self, allowed: u32) -> Option<()> {
        (self.seen & !allowed == 0).then_some(())
    }

    fn into_step(mut self) -> Option<Step> {
        let verb = self.verb.take()?;
        let verb = verb.0.as_ref();
        let allowed = match verb {
            "call" => CALL,
            "set_blanket" => BLANKET,
            "impersonate" | "revert" | "whoami" => BARE,
            "logon_user" => ACCOUNT,
            "access" | "access_check" => RESOURCE,
            "open_thread_token" => AS_SELF,
            "duplicate_token" => LEVEL,
            _ => return None,
        };
        self.only(allowed)?;
        // Only the operand of the verb's own field can be set, so `operand` is that field.
        let action = match verb {
            "call" => {
                return self.into_call().map(|(label, call)| Step {
                    label,
                    action: Action::Call(Box::new(call)),
                });
            }
            "set_blanket" => Action::SetBlanket(SetBlanket {
                proxy: name(self.proxy?)?,
                authn: word(self.authn)?,
                authn_level: word(self.authn_level)?,
                imp_level: word(self.imp_level)?,
                cloaking: word(self.cloaking)?,
            }),
            "impersonate" => Action::Impersonate,
            "revert" => Action::Revert,
            "whoami" => Action::Whoami,
            "logon_user" => Action::LogonUser {
                account: name(self.operand?)?,
            },
            "access" => Action::Access {
                resource: name(self.operand?)?,
            },
            "access_check" => Action::AccessCheck {
                resource: name(self.operand?)?,
            },
            "open_thread_token" => Action::OpenThreadToken {
                as_self: self.as_self,
            },
            _ => Action::DuplicateToken {
                level: word(self.operand)??,
            },
        };
        Some(Step {
            label: opt_name(self.label)?,
            action,
        })
    }

    fn into_meanwhile(self) -> Option<Meanwhile> {
        self.only(MEANWHILE)?;
        let (label, call) = self.into_call()?;
        Some(Meanwhile { label, call })
    }

    /// The label and the call of a call step (peer `to`) or a `meanwhile` entry (peer `from`),
    /// as decode.rs `call` reads them.
    fn into_call(self) -> Option<(Option<String>, Call)> {
        let label = opt_name(self.label)?;
        let mut call = Call::new(name(self.peer?)?);
        call.api = word(self.api)?.unwrap_or(Api::Com);
        call.transport = word(self.transport)?;
        call.authn = word(self.authn)?.unwrap_or(Authn::Default);
        call.authn_level = word(self.authn_level)?.unwrap_or(AuthnLevel::Default);
        call.imp_level = word(self.imp_level)?.unwrap_or(ImpLevel::Default);
        call.mutual_auth = self.mutual_auth;
        call.spn = self.spn.map(|t| t.0.into_owned());
        call.cloaking = word(self.cloaking)?;
        call.tracking = word(self.tracking)?;
        call.ignore_delegate_failure = self.ignore_delegate_failure;
        call.proxy = opt_name(self.proxy)?;
        call.steps = self.steps;
        call.meanwhile = self.meanwhile;
        Some((label, call))
    }
}

/// One step or `meanwhile` entry object.
struct FieldsSeed<'p>(&'p mut Pool);

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Fields<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Fields<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut f = Fields::default();
        while let Some(Text(key)) = map.next_key()? {
            let field = F::parse(&key).ok_or_else(give_up)?;
            if f.seen & field.bit() != 0 {
                return Err(give_up());
            }
            f.seen |= field.bit();
            match field {
                F::Do => f.verb = Some(map.next_value()?),
                F::Label => f.label = Some(map.next_value()?),
                F::To | F::From => {
                    if f.peer.is_some() {
                        return Err(give_up());
                    }
                    f.peer = Some(map.next_value()?);
                }
                F::Api => f.api = Some(map.next_value()?),
                F::Transport => f.transport = Some(map.next_value()?),
                F::Authn => f.authn = Some(map.next_value()?),
                F::AuthnLevel => f.authn_level = Some(map.next_value()?),
                F::ImpLevel => f.imp_level = Some(map.next_value()?),
                F::MutualAuth => f.mutual_auth = map.next_value()?,
                F::Spn => f.spn = Some(map.next_value()?),
                F::Cloaking => f.cloaking = Some(map.next_value()?),
                F::Tracking => f.tracking = Some(map.next_value()?),
                F::IgnoreDelegateFailure => f.ignore_delegate_failure = map.next_value()?,
                F::Proxy => f.proxy = Some(map.next_value()?),
                F::Steps => f.steps = map.next_value_seed(StepsSeed(&mut *self.0))?,
                F::Meanwhile => f.meanwhile = map.next_value_seed(MeanwhileSeed(&mut *self.0))?,
                F::Account | F::Resource | F::Level => {
                    if f.operand.is_some() {
                        return Err(give_up());
                    }
                    f.operand = Some(map.next_value()?);
                }
                F::AsSelf => f.as_self = map.next_value()?,
            }
        }
        Ok(f)
    }
}
