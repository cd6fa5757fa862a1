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

use super::checked::Checked;
use super::decode::MAX_DEPTH;
use super::enums::{AuthnLevel, ImpLevel};
use super::expect::{accepts, Expect};
use super::scenario::{Account, Action, Call, Delegation, Process, Resource, Scenario, Step};
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
        && s.accounts.iter().all(|(n, a)| name(n) && account(a))
        && s.processes.iter().all(|(n, p)| name(n) && process(p))
        && s.resources.iter().all(|(n, r)| name(n) && resource(r))
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

fn opt_name(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(name)
}

fn account(a: &Account) -> bool {
    names(&a.spns)
        && names(&a.allowed_to_act)
        && match &a.delegation {
            Delegation::Constrained { services, .. } => names(services),
            Delegation::None | Delegation::Unconstrained => true,
        }
}

/// `CoInitializeSecurity` levels are explicit: the reader refuses `default` in `com`.
fn process(p: &Process) -> bool {
    name(&p.machine)
        && name(&p.account)
        && p.com.authn_level != AuthnLevel::Default
        && p.com.imp_level != ImpLevel::Default
}

fn resource(r: &Resource) -> bool {
    name(&r.machine) && names(&r.allow) && opt_name(&r.spn)
}

/// The deepest level of calls under `list` (`depth` for a list without calls), or `None` when
/// a step breaks a rule of the reader.
fn steps(list: &[Step], depth: usize) -> Option<usize> {
    list.iter().try_fold(depth, |deepest, s| {
        if !opt_name(&s.label) {
            return None;
        }
        let here = match &s.action {
            Action::Call(c) => call(c, depth + 1)?,
            Action::LogonUser { account: n }
            | Action::Access { resource: n }
            | Action::AccessCheck { resource: n } => name(n).then_some(depth)?,
            Action::SetBlanket(b) => name(&b.proxy).then_some(depth)?,
            Action::Impersonate
            | Action::Revert
            | Action::Whoami
            | Action::OpenThreadToken { .. }
            | Action::DuplicateToken { .. } => depth,
        };
        Some(deepest.max(here))
    })
}

fn call(c: &Call, depth: usize) -> Option<usize> {
    if !name(&c.peer) || !opt_name(&c.proxy) {
        return None;
    }
    c.meanwhile
        .iter()
        .try_fold(steps(&c.steps, depth)?, |deepest, m| {
            let here = opt_name(&m.label).then(|| call(&m.call, depth + 1))??;
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
