//! Checking a scenario edited in code exactly as its JSON text would be read, mostly without the
//! text: the playground checks the scenario after every edit, and writing it out and reading it
//! back cost a good part of an edit's 16 ms (issue #13).
//!
//! Reading a scenario's own JSON text ([`Scenario::to_json_string`], then [`crate::parse`]) gives
//! back the same scenario, checked by [`super::validate`], unless the text breaks one of the
//! reader's own rules, which a typed scenario can: an empty name, an explicit `default` level in
//! `com`, expectations that are empty, out of order, repeated or not among a field's values, or
//! nesting past the reader's depth limit. [`reads_back_unchanged`] says the scenario breaks none
//! of them; only then does [`Checked::reread`] skip the text. Anything it is not sure of goes
//! through the text, so the problems and their messages are the reader's own. One rule of the
//! reader is not looked at: the text's size limit (256 MiB), which a scenario edited by hand one
//! change at a time does not approach.
//! `tests/reread.rs` holds both ways to the same results on every file and mutated scenarios.

use super::cast::{CastEntry, CastFields, CastGot, CastShape};
use super::checked::Checked;
use super::decode::MAX_DEPTH;
use super::expect::{accepts, Expect};
use super::scenario::{Action, Call, Scenario, Step};
use super::schema::{Entry, Got, Shape, StepFields};
use crate::error::Error;

impl Checked {
    /// What reading the scenario's JSON text gives (`parse(&s.to_json_string())`): the checked
    /// scenario, or every problem with the reader's messages. Without writing the text when
    /// [`reads_back_unchanged`] is sure of the answer.
    pub fn reread(s: Scenario) -> Result<Checked, Error> {
        if reads_back_unchanged(&s) {
            Checked::new(s)
        } else {
            crate::parse(&s.to_json_string())
        }
    }
}

/// True when reading the scenario's JSON text would give this very scenario with no problem of
/// the reader's own (validation may still find some). False when it is not sure.
#[doc(hidden)]
pub fn reads_back_unchanged(s: &Scenario) -> bool {
    // The JSON nesting: the scenario, `run`, its `steps` and a step (4), then at most 4 levels
    // per level of calls (a `meanwhile` array, its entry, the entry's `steps`, a step).
    name(&s.domain)
        && names(&s.machines)
        && names(&s.domain_controllers)
        && s.accounts.iter().all(|(n, a)| name(n) && entry(a))
        && s.processes.iter().all(|(n, p)| name(n) && entry(p))
        && s.resources.iter().all(|(n, r)| name(n) && entry(r))
        && name(&s.run.process)
        && steps(&s.run.steps, 0).is_some_and(|depth| 8 + 4 * depth <= MAX_DEPTH)
        && s.expect.iter().enumerate().all(|(i, (label, list))| {
            name(label) && !s.expect[..i].iter().any(|(l, _)| l == label) && expectations(list)
        })
}

/// What the reader takes as a name: not empty once blanks are trimmed.
fn name(s: &str) -> bool {
    !s.trim().is_empty()
}

fn names(list: &[String]) -> bool {
    list.iter().all(|n| name(n))
}

/// Whether every name among a cast entry's fields (by the cast schema's shapes, its objects'
/// included) is one, and no `com` level is the `default` the reader refuses.
fn cast(entry: CastEntry, holder: &dyn CastFields) -> bool {
    entry
        .fields()
        .iter()
        .all(|&f| match (f.shape(), holder.get(f)) {
            (CastShape::Object(inner) | CastShape::Choice(inner), Some(CastGot::Object)) => {
                cast(inner, holder)
            }
            (_, Some(CastGot::List(list))) => names(list),
            (CastShape::Name, Some(CastGot::Str(s))) => name(s),
            (_, Some(CastGot::Str(w))) => f.refuses_default().is_none() || w != "default",
            _ => true,
        })
}

fn entry(holder: &dyn CastFields) -> bool {
    cast(holder.entry(), holder)
}

/// Whether every name among the fields of a step or a meanwhile entry (by the step schema's
/// shapes: its label, peer, proxy, account or resource) is one.
fn step_names(entry: Entry, holder: &dyn StepFields) -> bool {
    entry.fields().iter().all(|&f| {
        f.shape() != Shape::Name || !matches!(holder.get(f), Some(Got::Str(s)) if !name(s))
    })
}

/// The deepest level of calls under `list` (`depth` for a list without calls), or `None` when
/// a step breaks a rule of the reader.
fn steps(list: &[Step], depth: usize) -> Option<usize> {
    list.iter().try_fold(depth, |deepest, s| {
        if !step_names(Entry::Step(s.action.kind()), s) {
            return None;
        }
        let here = match &s.action {
            Action::Call(c) => call(c, depth + 1)?,
            _ => depth,
        };
        Some(deepest.max(here))
    })
}

fn call(c: &Call, depth: usize) -> Option<usize> {
    c.meanwhile
        .iter()
        .try_fold(steps(&c.steps, depth)?, |deepest, m| {
            let here = step_names(Entry::Meanwhile, m).then(|| call(&m.call, depth + 1))??;
            Some(deepest.max(here))
        })
}

/// The reader reads a label's expectations in the order of `ExpectField::ALL`, each field once,
/// at least one, each value one the field takes.
fn expectations(list: &[Expect]) -> bool {
    !list.is_empty()
        && list.windows(2).all(|w| w[0].field < w[1].field)
        && list.iter().all(|x| accepts(x.field, x.want.as_deref()))
}
