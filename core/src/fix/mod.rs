//! The fix finder of SPEC §8.2 ("what would make this work?"): given a scenario with unmet
//! expectations, the smallest sets of changes after which every expectation is met.
//!
//! [`changes`] is the catalogue of kinds of change (tier, approver, commands). The candidates
//! come from the failing events only ([`candidates`]); sets of them are tried by size, smallest
//! first, each by re-simulating the edited scenario, and a set that contains a working set is
//! never tried, so no proposal has a working proper subset. Proposals are ranked by their worst
//! tier, their number of changes, their blast radius, their approver and the review findings they
//! add, and each carries the outcome after it and the findings it adds and removes (§8.3).

mod candidates;
pub mod changes;
#[cfg(all(target_arch = "wasm32", feature = "fix-worker"))]
mod worker;

use serde::Serialize;
use serde_json::Value;

use crate::model::{Checked, Expectation, Outcome, Scenario};
use crate::review::{review_run, Finding};
use candidates::Candidate;

/// The exact value of the result's `format` field.
pub const FIXES_FORMAT: &str = "impersonation-fixes/1";

/// How far the search goes (SPEC §8.2's defaults: 3 changes per set, 5 proposals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_changes: usize,
    pub max_proposals: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_changes: 3,
            max_proposals: 5,
        }
    }
}

/// The most scenarios one search simulates: beyond it the search says it stopped.
const MAX_TRIALS: usize = 4_000;

/// A command that makes a change in the real world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandLine {
    pub shell: &'static str,
    pub text: String,
}

/// One change of a proposal (SPEC §8.4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: &'static str,
    pub tier: u8,
    pub approver: &'static str,
    /// The scenario path it edits, with the value before and after.
    pub path: String,
    pub before: Value,
    pub after: Value,
    pub sentence: String,
    pub commands: Vec<CommandLine>,
}

/// A set of changes after which every expectation is met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub changes: Vec<Change>,
    /// The verdicts after it (all met).
    pub expectations: Vec<Expectation>,
    pub findings_added: Vec<Finding>,
    pub findings_removed: Vec<Finding>,
    /// The outcome of the scenario with the changes made.
    pub outcome: Outcome,
}

/// The fix finder's answer, format `impersonation-fixes/1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fixes {
    pub format: &'static str,
    pub proposals: Vec<Proposal>,
    /// What was found, or why nothing was: the failing event and the rules that decided it.
    pub explain: String,
}

impl Fixes {
    /// The answer as compact JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// True when every expectation is met, or a proposal meets them all.
    pub fn found(&self) -> bool {
        !self.proposals.is_empty() || self.explain.starts_with(ALL_MET)
    }
}

const ALL_MET: &str = "Every expectation is met";

/// Searches for the smallest sets of changes that meet every expectation of `s`.
pub fn find(s: &Checked, limits: Limits) -> Fixes {
    let outcome = crate::simulate(s);
    let done = |proposals, explain: String| Fixes {
        format: FIXES_FORMAT,
        proposals,
        explain,
    };
    if !outcome.unmet() {
        let what = match outcome.expectations.is_empty() {
            true => "; the scenario has none (add `expect` to ask for something)",
            false => " already",
        };
        return done(Vec::new(), format!("{ALL_MET}{what}."));
    }
    let cands = candidates::candidates(s, &outcome);
    let (sets, stopped) = search(s, &cands, limits.max_changes);
    if sets.is_empty() {
        return done(Vec::new(), nothing_works(&outcome, &cands, limits, stopped));
    }
    let before = review_run(s, &outcome).findings;
    let mut ranked: Vec<(RankKey, Proposal)> = sets
        .iter()
        .map(|(set, after, outcome)| {
            let proposal = proposal(&cands, set, after, outcome, &before);
            (rank(&cands, set, &proposal), proposal)
        })
        .collect();
    ranked.sort_by_key(|r| r.0);
    let total = ranked.len();
    let proposals: Vec<Proposal> = ranked
        .into_iter()
        .take(limits.max_proposals)
        .map(|(_, p)| p)
        .collect();
    let explain = format!(
        "{} of {total} minimal sets of changes meet every expectation, safest first.",
        proposals.len()
    );
    done(proposals, explain)
}

/// Worst tier, number of changes, blast radius, approver, findings added.
type RankKey = (u8, usize, u8, changes::Approver, usize);

fn rank(cands: &[Candidate], set: &[usize], p: &Proposal) -> RankKey {
    let worst = |f: &dyn Fn(&Candidate) -> u8| set.iter().map(|&i| f(&cands[i])).max();
    let approver = set.iter().map(|&i| cands[i].kind.approver).max();
    (
        worst(&|c| c.tier).unwrap_or(0),
        set.len(),
        worst(&|c| c.radius).unwrap_or(0),
        approver.unwrap_or(changes::Approver::ApplicationOwner),
        p.findings_added.len(),
    )
}

/// Every working set of at most `max` candidates with no working proper subset, by size, with
/// its scenario and outcome; and whether the trial budget ran out first.
fn search(
    s: &Checked,
    cands: &[Candidate],
    max: usize,
) -> (Vec<(Vec<usize>, Checked, Outcome)>, bool) {
    let mut found: Vec<(Vec<usize>, Checked, Outcome)> = Vec::new();
    let mut trials = 0;
    for size in 1..=max.min(cands.len()) {
        let mut set: Vec<usize> = (0..size).collect();
        loop {
            let contains_working = found
                .iter()
                .any(|(w, _, _)| w.iter().all(|i| set.contains(i)));
            let same_field = set
                .iter()
                .enumerate()
                .any(|(k, &i)| set[..k].iter().any(|&j| cands[j].overlaps(&cands[i])));
            if !contains_working && !same_field {
                if trials == MAX_TRIALS {
                    return (found, true);
                }
                trials += 1;
                if let Some((after, outcome)) = attempt(s, cands, &set) {
                    found.push((set.clone(), after, outcome));
                }
            }
            if !next_combination(&mut set, cands.len()) {
                break;
            }
        }
    }
    (found, false)
}

/// The scenario with the set's edits and its outcome, when every expectation is met.
fn attempt(s: &Checked, cands: &[Candidate], set: &[usize]) -> Option<(Checked, Outcome)> {
    let mut edited: Scenario = (**s).clone();
    // Inserted steps last, so that the other edits' paths keep their meaning.
    let inserts = |i: &&usize| matches!(cands[**i].edit, candidates::Edit::Impersonate { .. });
    let (last, first): (Vec<&usize>, Vec<&usize>) = set.iter().partition(inserts);
    for &i in first.into_iter().chain(last) {
        if !cands[i].edit.apply(&mut edited) {
            return None;
        }
    }
    let checked = Checked::new(edited).ok()?;
    let outcome = crate::simulate(&checked);
    (!outcome.unmet()).then_some((checked, outcome))
}

/// The next k-subset of 0..n in lexicographic order.
fn next_combination(set: &mut [usize], n: usize) -> bool {
    let k = set.len();
    for i in (0..k).rev() {
        if set[i] < n - k + i {
            set[i] += 1;
            for j in i + 1..k {
                set[j] = set[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

fn proposal(
    cands: &[Candidate],
    set: &[usize],
    after: &Checked,
    outcome: &Outcome,
    before: &[Finding],
) -> Proposal {
    let now = review_run(after, outcome).findings;
    let key = |f: &Finding| (f.id, f.subject.clone());
    let missing = |a: &[Finding], b: &[Finding]| -> Vec<Finding> {
        a.iter()
            .filter(|f| !b.iter().any(|g| key(g) == key(f)))
            .cloned()
            .collect()
    };
    let changes = set
        .iter()
        .map(|&i| {
            let c = &cands[i];
            Change {
                kind: c.kind.id,
                tier: c.tier,
                approver: c.kind.approver.as_str(),
                path: c.path.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
                sentence: c.sentence.clone(),
                commands: c
                    .commands
                    .iter()
                    .map(|(shell, text)| CommandLine {
                        shell: shell.as_str(),
                        text: text.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    Proposal {
        changes,
        expectations: outcome.expectations.clone(),
        findings_added: missing(&now, before),
        findings_removed: missing(before, &now),
        outcome: outcome.clone(),
    }
}

/// Why nothing works: the first unmet expectation, its event and the rules that decided it.
fn nothing_works(outcome: &Outcome, cands: &[Candidate], limits: Limits, stopped: bool) -> String {
    let Some(x) = outcome.expectations.iter().find(|x| !x.met) else {
        return String::new();
    };
    let got = x.got.as_deref().unwrap_or("null");
    let want = x.want.as_deref().unwrap_or("null");
    let scope = match stopped {
        true => format!("the search stopped after {MAX_TRIALS} trials"),
        false => format!(
            "no set of at most {} of the {} tried meets every expectation",
            limits.max_changes,
            crate::text::count(cands.len(), "change")
        ),
    };
    match outcome.by_label(&x.label) {
        Some(e) => format!(
            "Nothing found: {scope}. \"{}\" ({}) gives {} {got} where {want} is expected, as \
             {} decided: {}",
            x.label,
            e.step,
            x.field,
            crate::rules::RuleId::join(&e.rules, ", "),
            e.explain
        ),
        None => format!(
            "Nothing found: {scope}. The step \"{}\" never runs, so its {} cannot be {want}.",
            x.label, x.field
        ),
    }
}
