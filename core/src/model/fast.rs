//! The fast path for reading a valid scenario (feature `fast-read`, issue #6): `run.steps`, the
//! bulk of a large file, is deserialized straight from serde_json's token stream into typed
//! steps, without building a JSON tree for it first. Everything else (a few small tables) is read
//! into a [`Json`] tree, which `read.rs` hands to the tree decoder. The steps' fields, their
//! shapes and which kinds take which are the step schema's (`schema.rs`), as in the tree decoder.
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
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::enums::*;
use super::json::Json;
use super::scenario::*;
use super::schema::{Entry, Shape, Val};

/// Reads a scenario's JSON text (without a byte order mark): its steps, and everything else as
/// a tree for the tree decoder (`run` holding only its `process`); `None` when the text is not
/// plainly valid and the tree decoder must read all of it.
pub(super) fn read(text: &str) -> Option<(Json<'_>, Vec<Step>)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let (mut entries, run) = (&mut de).deserialize_map(TopVisitor).ok()?;
    de.end().ok()?;
    let (process, steps) = run?;
    let run_tree = match process {
        Some(p) => vec![(Cow::Borrowed("process"), p)],
        None => Vec::new(),
    };
    entries.push((Cow::Borrowed("run"), Json::Object(run_tree)));
    Some((Json::Object(entries), steps))
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
        while let Some(step) = seq.next_element_seed(EntrySeed(&mut *pool, PhantomData))? {
            buf.push(step);
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
        while let Some(m) = seq.next_element_seed(EntrySeed(&mut *self.0, PhantomData))? {
            list.push(m);
        }
        Ok(list)
    }
}

/// A step's or a `meanwhile` entry's fields as read, checked and typed once the object ends
/// (its `do` may come last).
#[derive(Default)]
struct Fields<'de> {
    /// The fields present, one bit each ([`StepField::bit`]).
    seen: u32,
    /// The string fields, by [`StepField`] index.
    texts: [Option<Text<'de>>; FIELDS],
    /// The flags that are true, one bit each.
    flags: u32,
    steps: Vec<Step>,
    meanwhile: Vec<Meanwhile>,
}

const FIELDS: usize = <StepField as Vocabulary>::ALL.len();

impl Fields<'_> {
    fn text(&mut self, f: StepField) -> Option<Text<'_>> {
        self.texts[f as usize].take()
    }

    /// The step, or `None` for anything the tree decoder would report.
    fn take_step(&mut self) -> Option<Step> {
        let kind = StepKind::parse(&self.text(StepField::Do)?.0)?;
        let entry = Entry::Step(kind);
        let mut action = kind.blank();
        self.fill(entry, |f, v| action.set(f, v))?;
        Some(Step {
            label: opt_name(self.text(StepField::Label))?,
            action,
        })
    }

    fn take_meanwhile(&mut self) -> Option<Meanwhile> {
        let mut call = Call::BLANK;
        self.fill(Entry::Meanwhile, |f, v| call.set(f, v))?;
        Some(Meanwhile {
            label: opt_name(self.text(StepField::Label))?,
            call,
        })
    }

    /// Hands the fields of `entry` but `do` and `label` to `set`; `None` when a field is not
    /// one of the entry's, a required one is missing, or a value is not one the field takes.
    fn fill(
        &mut self,
        entry: Entry,
        mut set: impl FnMut(StepField, Val) -> Option<()>,
    ) -> Option<()> {
        if self.seen & !entry.mask() != 0 || entry.required() & !self.seen != 0 {
            return None;
        }
        // Only the fields present, in any order: none depends on another.
        let mut rest = self.seen & !(StepField::Do.bit() | StepField::Label.bit());
        while rest != 0 {
            let f = <StepField as Vocabulary>::ALL[rest.trailing_zeros() as usize];
            rest &= rest - 1;
            let v = match f.shape() {
                Shape::Flag => Val::Flag(self.flags & f.bit() != 0),
                Shape::Steps => Val::Steps(std::mem::take(&mut self.steps)),
                Shape::Calls => Val::Calls(std::mem::take(&mut self.meanwhile)),
                Shape::Name => Val::Str(name(self.texts[f as usize].as_ref()?)?),
                Shape::Text | Shape::Word(_) => Val::Str(&self.texts[f as usize].as_ref()?.0),
            };
            set(f, v)?;
        }
        Some(())
    }
}

/// A name: a string that is not blank (as the tree decoder reads it).
fn name<'t>(t: &'t Text) -> Option<&'t str> {
    (!t.0.trim().is_empty()).then_some(&t.0)
}

fn opt_name(t: Option<Text>) -> Option<Option<String>> {
    match t {
        Some(t) => name(&t).map(|n| Some(n.into())),
        None => Some(None),
    }
}

/// A step or a `meanwhile` entry, made from its [`Fields`] where they were read (a `Fields` is
/// large: moving it costs more than reading it).
trait FromFields: Sized {
    fn from_fields(f: &mut Fields) -> Option<Self>;
}

impl FromFields for Step {
    fn from_fields(f: &mut Fields) -> Option<Step> {
        f.take_step()
    }
}

impl FromFields for Meanwhile {
    fn from_fields(f: &mut Fields) -> Option<Meanwhile> {
        f.take_meanwhile()
    }
}

/// One step or `meanwhile` entry object.
struct EntrySeed<'p, T>(&'p mut Pool, PhantomData<T>);

impl<'de, T: FromFields> DeserializeSeed<'de> for EntrySeed<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: FromFields> Visitor<'de> for EntrySeed<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut f = Fields::default();
        while let Some(Text(key)) = map.next_key()? {
            let field = StepField::parse(&key).ok_or_else(give_up)?;
            if f.seen & field.bit() != 0 {
                return Err(give_up());
            }
            f.seen |= field.bit();
            match field.shape() {
                Shape::Flag => {
                    if map.next_value()? {
                        f.flags |= field.bit();
                    }
                }
                Shape::Steps => f.steps = map.next_value_seed(StepsSeed(&mut *self.0))?,
                Shape::Calls => f.meanwhile = map.next_value_seed(MeanwhileSeed(&mut *self.0))?,
                Shape::Name | Shape::Text | Shape::Word(_) => {
                    f.texts[field as usize] = Some(map.next_value()?)
                }
            }
        }
        T::from_fields(&mut f).ok_or_else(give_up)
    }
}
