//! The fix finder's proposals as the "Make it work" panel shows them (SPEC §8.2, §8.4). The
//! finder runs in a Web Worker (`web/fixer/worker.js`, loaded on demand), which also makes each
//! proposal's changes by their paths and writes what the panel shows of it as markup (the
//! changes with their paths before and after, the commands, the expectations met, the review's
//! findings), so that the playground's wasm holds neither the finder nor that rendering: here a
//! proposal's scenario is only read, previewed and put in place.

use std::rc::Rc;

use impersonation_core::{Checked, Error};

use super::Edit;

/// A set of changes after which every expectation is met.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The worst risk tier of its changes (0 safest .. 6), the ranking's first key.
    pub tier: u8,
    /// Its changes' sentences.
    pub title: String,
    /// What it changes, the commands, what it meets and exposes, as escaped markup.
    pub body: Rc<str>,
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

/// The answer as the "Make it work" panel shows it, as markup (every text escaped; the
/// proposals' bodies come escaped from the worker): the finder's explanation (or why it could
/// not run), then each proposal under a title button, pressed when it is `chosen`. Its buttons
/// carry a `data-act` (pick, copy, apply, preview) and sit in an element with the proposal's
/// `data-i`, which one listener reads (components/fix_panel.rs).
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
        let on = chosen == Some(i);
        out.push_str(&format!(
            "<li class=\"proposal{}\" data-i=\"{i}\"><button type=\"button\" class=\"proposal-pick\" \
             id=\"fix-pick-{i}\" data-act=\"pick\" aria-pressed=\"{on}\"><span class=\"tier tier-{t}\">\
             Tier {t}</span><span>{n}. ",
            if on { " chosen" } else { "" },
            t = p.tier,
            n = i + 1,
        ));
        escape(&mut out, &p.title);
        out.push_str("</span></button>");
        out.push_str(&p.body);
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}
