//! The fix finder's proposals as the "Make it work" panel shows them (SPEC §8.2, §8.4). The
//! finder runs in a Web Worker (`web/fixer/worker.js`, loaded on demand), which also makes each
//! proposal's changes by their paths and writes what the panel shows of it as markup (its title
//! and tier, the changes with their paths before and after, the commands, the expectations met,
//! the review's findings), so that the playground's wasm holds neither the finder nor that
//! rendering: here a proposal's scenario is only read, previewed and put in place.

use std::rc::Rc;

use impersonation_core::{Checked, Error};

use super::Edit;

/// A set of changes after which every expectation is met.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// What the playground says once it is in place (its number, its changes' sentences, and
    /// that one Undo takes it back).
    pub applied: String,
    /// The proposal as the panel lists it, as escaped markup written by the worker: its title
    /// button (with its tier and number) and what it changes, the commands, what it meets and
    /// exposes; `chosen` the same selected.
    pub item: Rc<str>,
    pub chosen: Rc<str>,
    /// The phone's actions beside its preview in the Result view, as markup: its Apply and the
    /// way back to the proposals (`data-act` apply and back, in an element with its `data-i`).
    pub preview: Rc<str>,
    /// Its commands, one per line: what "Copy commands" puts on the clipboard.
    pub script: String,
    /// The scenario's JSON text with the changes made.
    pub scenario: Rc<str>,
}

/// The finder's answer for one version of the scenario, safest proposal first.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixes {
    pub proposals: Vec<Proposal>,
    /// How many were found, or why nothing works (the failing event and its rules).
    pub explain: String,
}

impl Proposal {
    /// The scenario with its changes made, read and checked as any scenario is.
    pub fn checked(&self) -> Result<Checked, Error> {
        impersonation_core::parse(&self.scenario)
    }

    /// The edit that puts it in place: the whole scenario replaced, one undo step.
    pub fn edit(&self) -> Result<Edit, Error> {
        Ok(Edit::Replace(Rc::new(self.checked()?.into_inner())))
    }
}

/// The answer as the "Make it work" panel shows it, as markup (the explanation escaped here,
/// the proposals as the worker wrote them): the finder's explanation (or why it could not run),
/// then each proposal, selected when it is `chosen`. Its buttons carry a `data-act` (pick, copy,
/// apply, preview) and sit in an element with the proposal's `data-i`, which one listener reads
/// (components/fix_panel.rs).
pub fn markup(answer: &Result<Rc<Fixes>, String>, chosen: Option<usize>) -> String {
    use impersonation_core::diagram::svg::escape;
    let mut out = String::new();
    let f = match answer {
        Err(why) => {
            out.push_str("<p class=\"problems\" role=\"alert\">");
            escape(&mut out, why);
            out.push_str("</p>");
            return out;
        }
        Ok(f) => f,
    };
    out.push_str("<p>");
    escape(&mut out, &f.explain);
    out.push_str("</p><ol class=\"plain\">");
    for (i, p) in f.proposals.iter().enumerate() {
        out.push_str(if chosen == Some(i) {
            &p.chosen
        } else {
            &p.item
        });
    }
    out.push_str("</ol>");
    out
}
