//! The playground's state, after Yew's function_todomvc example: one [`Reducible`] value holding
//! the scenario, its undo and redo stacks, the selection and the comparison, changed only by
//! [`Action`]s. The outcome is derived from the scenario by the core once per change and kept
//! with it, so a render never simulates.

pub mod apply;
pub mod edit;
pub mod fixes;
pub mod path;
pub mod refs;
pub mod storage;

use std::rc::Rc;

use impersonation_core::model::Options;
use impersonation_core::{Checked, Outcome, Problem, Scenario};
use yew::prelude::*;

pub use apply::{Edit, Key, Place, Value};
use path::StepPath;
pub use path::Tab;
use refs::{Reference, Subject};

/// How many edits undo remembers.
pub const UNDO_LIMIT: usize = 200;

/// What the core says about the current scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Every problem (empty when valid).
    pub problems: Rc<Vec<Problem>>,
    /// The scenario as the core read it back, when valid.
    pub checked: Option<Rc<Checked>>,
    /// The outcome of the current scenario, or of the last valid one when `stale`.
    pub outcome: Option<Rc<Outcome>>,
    /// True when the outcome belongs to an earlier, valid version of the scenario.
    pub stale: bool,
    /// The valid scenario the outcome belongs to (the diagram's lifelines come from it).
    pub basis: Option<Rc<Checked>>,
}

/// Checks the scenario exactly as an export or a link of it would be read
/// ([`Checked::reread`]: without writing its JSON text when nothing calls for it; autosave and
/// sharing write the text themselves, when they need it) and simulates it when valid. Keeps the
/// previous outcome (marked stale) when it is not.
pub fn derive(s: &Scenario, previous: Option<&Derived>) -> Derived {
    match Checked::reread(copy(s)) {
        Ok(checked) => {
            let outcome = impersonation_core::simulate(&checked);
            let checked = Rc::new(checked);
            Derived {
                problems: Rc::new(Vec::new()),
                checked: Some(checked.clone()),
                outcome: Some(Rc::new(outcome)),
                stale: false,
                basis: Some(checked),
            }
        }
        Err(e) => Derived {
            problems: Rc::new(e.problems().to_vec()),
            checked: None,
            outcome: previous.and_then(|p| p.outcome.clone()),
            stale: true,
            basis: previous.and_then(|p| p.basis.clone()),
        },
    }
}

/// A copy of the scenario, to edit or to check: one body for both (download size).
#[inline(never)]
fn copy(s: &Scenario) -> Scenario {
    s.clone()
}

/// A message shown above the playground.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
    pub details: Vec<String>,
}

impl Notice {
    pub fn error(text: impl Into<String>, details: Vec<String>) -> Notice {
        Notice {
            error: true,
            text: text.into(),
            details,
        }
    }
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            error: false,
            text: text.into(),
            details: Vec::new(),
        }
    }
}

/// A scenario waiting for the person to confirm that it may replace unsaved work.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub scenario: Rc<Scenario>,
    /// Where it comes from, for the question: "the link", "the file x.json", ...
    pub source: String,
}

/// A deletion waiting for confirmation: the entry and what refers to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    pub subject: Subject,
    pub refs: Rc<Vec<Reference>>,
}

/// What a person asks for, as data: an [`Edit`] of the scenario, or a change of what is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Change the scenario (one undo step, or merged with the previous typing edit).
    Edit(Edit),
    /// Change the scenario and open the details of the step it added or moved.
    EditThenOpen(Edit),
    /// Replace the scenario with one from a preset, a link or a file, asking first when the
    /// current one holds unsaved edits. The current one stays reachable with undo.
    Offer(Rc<Scenario>, String),
    /// Replace the scenario without asking (restoring saved work, or after confirmation).
    Load {
        scenario: Rc<Scenario>,
        dirty: bool,
    },
    ConfirmPending,
    CancelPending,
    Undo,
    Redo,
    /// The current work was exported or shared: it is no longer unsaved.
    MarkSaved,
    SelectEvent(Option<usize>),
    /// Open a step's details in the editor (a step path), or close them.
    OpenStep(Option<String>),
    SetTab(Tab),
    /// Compare the outcome with a second option set, or stop comparing.
    SetCompare(Option<Options>),
    Notice(Option<Notice>),
    /// Escape: answers "keep my work" to a pending question, or closes the message.
    Escape,
    /// Delete a cast entry: at once when nothing refers to it, else after a confirmation.
    Remove(Subject),
    /// Answer the confirmation: delete anyway (`true`) or keep it.
    ConfirmRemove(bool),
    /// Show the editor control of a scenario path (a problem's, or a deciding setting's):
    /// switch to its tab, open its step, then focus it.
    Reveal(String),
}

#[derive(Clone)]
pub struct AppState {
    pub scenario: Rc<Scenario>,
    /// Increases on every change of the scenario.
    pub version: u64,
    pub derived: Derived,
    pub undo: Vec<Rc<Scenario>>,
    pub redo: Vec<Rc<Scenario>>,
    /// The field of the last edit when it was typing in it (see [`Edit::typing`]).
    last_key: Option<(Place, Key)>,
    /// Edits not yet exported or shared.
    pub dirty: bool,
    pub selected: Option<usize>,
    /// The step whose details are open in the editor (highlighted).
    pub open_step: Option<String>,
    pub tab: Tab,
    pub compare: Option<Options>,
    pub notice: Option<Notice>,
    pub pending: Option<Pending>,
    pub removing: Option<Removal>,
    /// The path to focus after the next render, and a count that changes with each request.
    pub reveal: (u64, Option<Rc<str>>),
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && Rc::ptr_eq(&self.scenario, &other.scenario)
            && self.selected == other.selected
            && self.open_step == other.open_step
            && self.tab == other.tab
            && self.compare == other.compare
            && self.notice == other.notice
            && self.pending == other.pending
            && self.removing == other.removing
            && self.reveal.0 == other.reveal.0
            && self.dirty == other.dirty
            && self.undo.len() == other.undo.len()
            && self.redo.len() == other.redo.len()
    }
}

impl AppState {
    pub fn new(scenario: Scenario, dirty: bool) -> AppState {
        let derived = derive(&scenario, None);
        AppState {
            scenario: Rc::new(scenario),
            version: 0,
            derived,
            undo: Vec::new(),
            redo: Vec::new(),
            last_key: None,
            dirty,
            selected: None,
            open_step: None,
            tab: Tab::Chain,
            compare: None,
            notice: None,
            pending: None,
            removing: None,
            reveal: (0, None),
        }
    }

    /// The scenario changed: derive again and keep the selection where it still makes sense.
    fn changed(&mut self, scenario: Rc<Scenario>) {
        self.derived = derive(&scenario, Some(&self.derived));
        self.scenario = scenario;
        self.version += 1;
        let n = self.derived.outcome.as_ref().map_or(0, |o| o.events.len());
        if self.selected.is_some_and(|i| i >= n) {
            self.selected = None;
        }
    }

    fn push_undo(&mut self) {
        self.undo.push(self.scenario.clone());
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Applies an edit to a copy of the scenario; false when it changes nothing. With `open`,
    /// opens the step it added or moved.
    fn edit(&mut self, edit: &Edit, open: bool) -> bool {
        let mut next = copy(&self.scenario);
        let at = apply::apply(&mut next, edit);
        next.forget_lost_expectations();
        if next == *self.scenario {
            return false;
        }
        let key = edit.typing().map(|(p, k)| (p.clone(), k));
        if key.is_none() || key != self.last_key {
            self.push_undo();
        }
        self.last_key = key;
        self.dirty = true;
        self.changed(Rc::new(next));
        if open {
            self.open_step = at.as_ref().map(StepPath::to_string);
            self.tab = Tab::Chain;
        }
        true
    }

    fn load(&mut self, scenario: Rc<Scenario>, dirty: bool) {
        if *scenario != *self.scenario {
            self.push_undo();
        }
        self.last_key = None;
        self.dirty = dirty;
        self.selected = None;
        self.open_step = None;
        self.pending = None;
        self.changed(scenario);
    }

    /// The event selected in the result, if any.
    pub fn selected_event(&self) -> Option<&impersonation_core::Event> {
        let outcome = self.derived.outcome.as_ref()?;
        outcome.events.get(self.selected?)
    }

    /// The step the playground rehearses an edit of (off the page, issue #13: its kind, to
    /// `whoami`, or to `revert` for a `whoami`): the chain's first step that is not a call (near
    /// the top, and a small change: a call's kind would take its nested steps with it).
    pub fn rehearsed_step(&self) -> Option<StepPath> {
        use impersonation_core::model::{Action as Do, Step};
        fn first_leaf(steps: &[Step], at: &StepPath) -> Option<StepPath> {
            steps.iter().enumerate().find_map(|(i, s)| match &s.action {
                Do::Call(c) => first_leaf(&c.steps, &at.child_step(i)),
                _ => Some(at.child_step(i)),
            })
        }
        first_leaf(&self.scenario.run.steps, &StepPath::root())
    }

    /// The scenario cut down to its first top-level steps that hold at most `steps` steps,
    /// nested ones counted (the first always kept, so the rehearsed step is in it), with the
    /// expectations of the steps kept: the rehearsal's, whose code is the same for a few steps
    /// as for all of them. (Meanwhile entries are not counted; `edit::count_steps`, which counts
    /// them, generalised for this, moved the download 635 B over its budget through the
    /// functions' order, docs/performance.md.)
    pub fn sample(&self, steps: usize) -> Scenario {
        use impersonation_core::model::{Action as Do, Step};
        fn count(s: &Step) -> usize {
            match &s.action {
                Do::Call(c) => 1 + c.steps.iter().map(count).sum::<usize>(),
                _ => 1,
            }
        }
        let mut scenario = (*self.scenario).clone();
        let mut total = 0;
        let keep = scenario
            .run
            .steps
            .iter()
            .take_while(|s| {
                total += count(s);
                total <= steps
            })
            .count();
        scenario.run.steps.truncate(keep.max(1));
        // Expectations of steps cut off would make it invalid.
        scenario.forget_lost_expectations();
        scenario
    }
}

impl AppState {
    fn reduce_owned(self, action: Action) -> Rc<Self> {
        Rc::new(self).reduce(action)
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // A message about a past action goes once the person does something else.
        if matches!(
            action,
            Action::Edit(_)
                | Action::EditThenOpen(..)
                | Action::Offer(..)
                | Action::Undo
                | Action::Redo
                | Action::Remove(_)
                | Action::ConfirmRemove(_)
        ) {
            s.notice = None;
        }
        match action {
            Action::Edit(edit) => {
                if !s.edit(&edit, false) {
                    return self;
                }
            }
            Action::EditThenOpen(edit) => {
                if !s.edit(&edit, true) {
                    return self;
                }
            }
            Action::Offer(scenario, source) => {
                if s.dirty && *scenario != *s.scenario {
                    s.pending = Some(Pending { scenario, source });
                } else {
                    s.load(scenario, false);
                }
            }
            Action::Load { scenario, dirty } => s.load(scenario, dirty),
            Action::ConfirmPending => {
                let Some(p) = s.pending.take() else {
                    return self;
                };
                s.load(p.scenario, false);
                s.notice = Some(Notice::info(format!(
                    "Opened {}. Your previous work is one Undo (Ctrl+Z) away.",
                    p.source
                )));
            }
            Action::CancelPending => {
                let Some(p) = s.pending.take() else {
                    return self;
                };
                s.notice = Some(Notice::info(format!(
                    "Kept your work; {} was not opened.",
                    p.source
                )));
            }
            Action::Undo => {
                let Some(prev) = s.undo.pop() else {
                    return self;
                };
                s.redo.push(s.scenario.clone());
                s.last_key = None;
                s.dirty = true;
                s.changed(prev);
            }
            Action::Redo => {
                let Some(next) = s.redo.pop() else {
                    return self;
                };
                s.undo.push(s.scenario.clone());
                s.last_key = None;
                s.dirty = true;
                s.changed(next);
            }
            Action::MarkSaved => s.dirty = false,
            Action::SelectEvent(i) => {
                s.selected = i;
                s.last_key = None;
                if let Some(e) = s.selected_event() {
                    let step = e.step.clone();
                    s.open_step = Some(step);
                    s.tab = Tab::Chain;
                }
            }
            Action::OpenStep(p) => {
                s.last_key = None;
                s.open_step = p;
            }
            Action::SetTab(t) => s.tab = t,
            Action::SetCompare(c) => s.compare = c,
            Action::Notice(n) => s.notice = n,
            Action::Remove(subject) => {
                let refs = refs::references(&s.scenario, &subject);
                if refs.is_empty() {
                    s.edit(&Edit::RemoveEntry(subject), false);
                } else {
                    s.removing = Some(Removal {
                        subject,
                        refs: Rc::new(refs),
                    });
                }
            }
            Action::ConfirmRemove(yes) => {
                let Some(r) = s.removing.take() else {
                    return self;
                };
                if yes {
                    s.edit(&Edit::RemoveEntry(r.subject), false);
                }
            }
            Action::Reveal(p) => {
                let t = path::target(&p);
                s.tab = t.tab;
                if let Some(step) = t.step {
                    s.open_step = Some(step.to_string());
                }
                s.last_key = None;
                s.reveal = (s.reveal.0 + 1, Some(p.into()));
            }
            Action::Escape => {
                if s.pending.is_some() {
                    return s.reduce_owned(Action::CancelPending);
                }
                if s.removing.is_some() {
                    return s.reduce_owned(Action::ConfirmRemove(false));
                }
                if s.notice.is_none() {
                    return self;
                }
                s.notice = None;
            }
        }
        Rc::new(s)
    }
}

/// An `Rc` compared by address: a memo key that costs nothing to compare.
#[derive(Debug)]
pub struct ByPtr<T>(pub Rc<T>);

impl<T> Clone for ByPtr<T> {
    fn clone(&self) -> Self {
        ByPtr(self.0.clone())
    }
}

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The state handle every component reaches through context.
pub type AppHandle = UseReducerHandle<AppState>;

/// The outcome of a valid scenario under another option set, for the comparison.
pub fn outcome_with(checked: &Checked, options: Options) -> Rc<Outcome> {
    let s = checked.clone().with_options(options);
    Rc::new(impersonation_core::simulate(&s))
}

#[cfg(test)]
mod tests {
    use super::refs::{Kind, Subject};
    use super::*;

    fn state() -> Rc<AppState> {
        let s =
            impersonation_core::parse(include_str!("../../../core/presets/ntlm-double-hop.json"))
                .expect("valid");
        Rc::new(AppState::new(s.into_inner(), false))
    }

    #[test]
    fn deleting_an_entry_others_name_asks_first_and_escape_cancels() {
        let s = state().reduce(Action::Remove(Subject::new(Kind::Process, "db")));
        let r = s.removing.clone().expect("a question");
        assert_eq!(r.refs.len(), 3);
        assert!(s.scenario.processes.contains_key("db"));
        let kept = s.clone().reduce(Action::Escape);
        assert!(kept.removing.is_none() && kept.scenario.processes.contains_key("db"));
        let kept = s.clone().reduce(Action::ConfirmRemove(false));
        assert!(kept.removing.is_none() && kept.undo.is_empty());
        let gone = s.reduce(Action::ConfirmRemove(true));
        assert!(gone.removing.is_none() && !gone.scenario.processes.contains_key("db"));
        assert_eq!(
            gone.derived.problems.len(),
            3,
            "the steps that named db now say so"
        );
        assert_eq!(gone.undo.len(), 1);
        // Nothing names a new machine: it goes at once.
        let mut s = (*state()).clone();
        s.scenario = Rc::new({
            let mut x = (*s.scenario).clone();
            x.machines.push("SPARE".into());
            x
        });
        let s = Rc::new(s).reduce(Action::Remove(Subject::new(Kind::Machine, "SPARE")));
        assert!(s.removing.is_none());
        assert!(!s.scenario.machines.iter().any(|m| m == "SPARE"));
    }

    #[test]
    fn a_message_about_a_past_action_goes_with_the_next_edit() {
        let s = state().reduce(Action::Notice(Some(Notice::info("Opened the link."))));
        assert!(s.notice.is_some());
        let s = s.reduce(Action::SetTab(Tab::Cast));
        assert!(s.notice.is_some(), "looking around keeps it");
        let s = s.reduce(Action::Edit(Edit::SetField {
            place: Place::Scenario,
            key: Key::Title,
            value: Value::Text("New".into()),
        }));
        assert!(s.notice.is_none());
    }

    #[test]
    fn reveal_opens_the_tab_and_the_step_of_a_path() {
        let s = state().reduce(Action::Reveal("accounts.svcApp.delegation".into()));
        assert_eq!((s.tab, s.reveal.0), (Tab::Cast, 1));
        let s = s.reduce(Action::Reveal("run.steps[0].steps[3].imp_level".into()));
        assert_eq!(s.tab, Tab::Chain);
        assert_eq!(s.open_step.as_deref(), Some("run.steps[0].steps[3]"));
        assert_eq!(
            s.reveal.1.as_deref(),
            Some("run.steps[0].steps[3].imp_level")
        );
    }
}
