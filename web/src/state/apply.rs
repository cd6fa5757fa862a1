//! The edits a person makes, named and as data (`MoveStep { path, delta }`, `SetField { place,
//! key, value }`, ...), and [`apply`], the one pure function that performs them on a scenario.
//! Components send these; the reducer applies them to a copy and keeps the undo history. None
//! of them knows a Windows rule: they move data around.

use std::rc::Rc;

use impersonation_core::model::cast::{CastFields, CastShape, CastVal};
use impersonation_core::model::schema::{StepFields, Val};
use impersonation_core::model::{
    Action as Do, Api, CastField, Expect, ExpectField, Scenario, StepField, Vocabulary,
};

use super::edit as ops;
use super::path::{call_at, call_at_mut, meanwhile_at_mut, step_at_mut, StepPath};
use super::refs::{Kind, Subject};

/// What a field belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The scenario's own fields (title, domain, the run's process).
    Scenario,
    /// A step or a meanwhile entry (and its call or set_blanket fields).
    Step(StepPath),
    /// A cast entry: an account, a process or a resource.
    Entry(Subject),
}

/// A field, named after its JSON key. What it sets depends on its [`Place`]. The fields of a
/// step or a meanwhile entry are the core's step schema's ([`StepField`]): `authn` of a call
/// step is the call's (`""` is its default), of a set_blanket step the blanket's (`""` leaves it
/// unchanged); `to` is a call's peer, and a meanwhile entry's `from`. Those of an account, a
/// process or a resource are the core's cast schema's ([`CastField`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Title,
    Description,
    Domain,
    RunProcess,
    /// A field of a step or of a meanwhile entry.
    Step(StepField),
    /// A call's NULL principal name (`spn: ""`), on or off.
    NullSpn,
    /// A field of an account, a process or a resource.
    Cast(CastField),
    /// Whether a machine is listed in `domain_controllers` (SPEC §7.4).
    DomainController,
}

impl Key {
    /// Whether its control reports every keystroke: consecutive edits of one such field make
    /// one undo step.
    pub fn typed(self) -> bool {
        matches!(
            self,
            Key::Title
                | Key::Description
                | Key::Domain
                | Key::Step(StepField::Label | StepField::Proxy)
        )
    }
}

/// What a control reports: its text (a text field, a select) or whether it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Flag(bool),
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Flag(v)
    }
}

impl Value {
    fn text(self) -> String {
        match self {
            Value::Text(t) => t,
            Value::Flag(b) => b.to_string(),
        }
    }
    fn flag(&self) -> bool {
        matches!(self, Value::Flag(true))
    }
    /// The text, or `None` when it is empty (an optional field left blank).
    fn some(self) -> Option<String> {
        Some(self.text()).filter(|t| !t.is_empty())
    }
}

/// A change of the scenario that a person asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Appends a step of kind `kind` (a `do` spelling) to the list held by `parent` (the run,
    /// a call or a meanwhile entry).
    AddStep {
        parent: StepPath,
        kind: String,
    },
    /// Appends a meanwhile call from `from` to the call at `call`.
    AddMeanwhile {
        call: StepPath,
        from: String,
    },
    /// Moves a step or meanwhile entry up (`-1`) or down (`+1`) in its list.
    MoveStep {
        path: StepPath,
        delta: isize,
    },
    /// Moves a step into the call just before it, as its last step.
    IndentStep {
        path: StepPath,
    },
    /// Moves a step out of its call, to just after that call.
    OutdentStep {
        path: StepPath,
    },
    DeleteStep {
        path: StepPath,
    },
    SetField {
        place: Place,
        key: Key,
        value: Value,
    },
    SetOption {
        name: &'static str,
        on: bool,
    },
    /// Adds a cast entry with the next free natural name.
    AddEntry(Kind),
    /// Deletes a cast entry (what names it stays, and shows as problems).
    RemoveEntry(Subject),
    /// Renames a cast entry and every reference to it.
    Rename {
        subject: Subject,
        to: String,
    },
    /// Replaces the whole scenario (the JSON panel's Apply).
    Replace(Rc<Scenario>),
    /// Expects `field` of the step at `step` to be `want` (SPEC §8.1), in place of what that
    /// field was expected to be; `None` drops it. A step without a label gets a fresh one first
    /// (expectations are keyed by label): one edit, one undo step.
    Expect {
        step: StepPath,
        field: ExpectField,
        want: Option<String>,
    },
}

impl Edit {
    /// The field a typing edit changes: the next edit of the same field merges with it into
    /// one undo step.
    pub fn typing(&self) -> Option<(&Place, Key)> {
        match self {
            Edit::SetField { place, key, .. } if key.typed() => Some((place, *key)),
            _ => None,
        }
    }
}

/// Applies `edit` to `s`; returns the path of the step it added or moved, if any. An edit whose
/// target is gone (an outdated path or name) changes nothing.
pub fn apply(s: &mut Scenario, edit: &Edit) -> Option<StepPath> {
    match edit {
        Edit::AddStep { parent, kind } => {
            let process = ops::process_running(s, parent).unwrap_or_default();
            let step = ops::new_step(s, kind, &process);
            ops::insert_step(s, parent, usize::MAX, step)
        }
        Edit::AddMeanwhile { call, from } => ops::add_meanwhile(s, call, from),
        Edit::MoveStep { path, delta } => ops::move_by(s, path, *delta),
        Edit::IndentStep { path } => ops::indent(s, path),
        Edit::OutdentStep { path } => ops::outdent(s, path),
        Edit::DeleteStep { path } => {
            ops::remove(s, path);
            None
        }
        Edit::SetField { place, key, value } => {
            set_field(s, place, *key, value.clone());
            None
        }
        Edit::SetOption { name, on } => {
            s.options.set(name, *on);
            None
        }
        Edit::AddEntry(kind) => {
            match kind {
                Kind::Machine => ops::add_machine(s),
                Kind::Account => ops::add_account(s),
                Kind::Process => ops::add_process(s),
                Kind::Resource => ops::add_resource(s),
            };
            None
        }
        Edit::RemoveEntry(subject) => {
            subject.remove(s);
            None
        }
        Edit::Rename { subject, to } => {
            let rename = match subject.kind {
                Kind::Machine => ops::rename_machine,
                Kind::Account => ops::rename_account,
                Kind::Process => ops::rename_process,
                Kind::Resource => ops::rename_resource,
            };
            rename(s, &subject.name, to);
            None
        }
        Edit::Replace(scenario) => {
            *s = (**scenario).clone();
            None
        }
        Edit::Expect { step, field, want } => {
            expect(s, step, *field, want.clone());
            None
        }
    }
}

fn expect(s: &mut Scenario, path: &StepPath, field: ExpectField, want: Option<String>) {
    let taken = ops::labels(s);
    let (label, base) = match path.is_meanwhile() {
        true => match meanwhile_at_mut(s, path) {
            Some(m) => (&mut m.label, m.call.peer.clone()),
            None => return,
        },
        false => match step_at_mut(s, path) {
            Some(st) => match &st.action {
                Do::Call(c) => (&mut st.label, c.peer.clone()),
                Do::Access { resource } | Do::AccessCheck { resource } => {
                    (&mut st.label, resource.clone())
                }
                a => (&mut st.label, a.name().replace('_', "-")),
            },
            None => return,
        },
    };
    if label.is_none() && want.is_none() {
        return;
    }
    let label = label
        .get_or_insert_with(|| ops::fresh_name(&base, |n| taken.iter().any(|t| t == n)))
        .clone();
    let i = match s.expect.iter().position(|(l, _)| *l == label) {
        Some(i) => i,
        None => {
            s.expect.push((label, Vec::new()));
            s.expect.len() - 1
        }
    };
    let list = &mut s.expect[i].1;
    list.retain(|x| x.field != field);
    list.extend(want.map(|w| Expect {
        field,
        want: Some(w),
    }));
    if list.is_empty() {
        s.expect.remove(i);
    }
}

/// Sets one field; a value a vocabulary does not know changes nothing.
pub fn set_field(s: &mut Scenario, place: &Place, key: Key, value: Value) {
    match place {
        Place::Scenario => match key {
            Key::Title => s.title = value.text(),
            Key::Description => s.description = value.some(),
            Key::Domain => s.domain = value.text(),
            Key::RunProcess => s.run.process = value.text(),
            _ => {}
        },
        Place::Step(path) => set_step(s, path, key, value),
        Place::Entry(e) => {
            let n = e.name.as_str();
            let holder: Option<&mut dyn CastFields> = match e.kind {
                Kind::Account => s.accounts.get_mut(n).map(|a| a as _),
                Kind::Process => s.processes.get_mut(n).map(|p| p as _),
                Kind::Resource => s.resources.get_mut(n).map(|r| r as _),
                Kind::Machine => None,
            };
            match (e.kind, key, holder) {
                (_, Key::Cast(f), Some(holder)) => put_cast(holder, f, value),
                (Kind::Machine, Key::DomainController, _) => {
                    let dcs = &mut s.domain_controllers;
                    let listed = dcs.iter().any(|m| m == n);
                    if !value.flag() {
                        dcs.retain(|m| m != n);
                    } else if !listed {
                        dcs.push(n.to_string());
                    }
                }
                _ => {}
            }
        }
    }
}

/// Sets a field of the step or meanwhile entry at `path` through the core's step schema: `""`
/// puts it back at its default (a set_blanket's setting: unchanged); a value the field does not
/// take changes nothing.
fn set_step(s: &mut Scenario, path: &StepPath, key: Key, value: Value) {
    let field = match key {
        Key::Step(StepField::Do) => return ops::set_kind(s, path, &value.text()),
        Key::Step(StepField::Label) => return relabel(s, path, value.some()),
        Key::Step(StepField::Api) => {
            if let (Some(c), Some(api)) = (call_at_mut(s, path), Api::parse(&value.text())) {
                c.set_api(api)
            }
            return;
        }
        Key::NullSpn => {
            if let Some(c) = call_at_mut(s, path) {
                c.spn = value.flag().then(String::new)
            }
            return;
        }
        // A NULL principal name stays until its own switch is turned off.
        Key::Step(StepField::Spn)
            if call_at(s, path).is_some_and(|c| c.spn.as_deref() == Some("")) =>
        {
            return
        }
        Key::Step(f) => f,
        _ => return,
    };
    if path.is_meanwhile() {
        if let Some(m) = meanwhile_at_mut(s, path) {
            put(m, field, value)
        }
    } else if let Some(step) = step_at_mut(s, path) {
        put(step, field, value)
    }
}

/// A control's value into a step field: `""` is the field's default.
fn put(holder: &mut impl StepFields, field: StepField, value: Value) {
    match value {
        Value::Flag(on) => _ = holder.set(field, Val::Flag(on)),
        Value::Text(t) if t.is_empty() => holder.clear(field),
        Value::Text(t) => _ = holder.set(field, Val::Str(&t)),
    }
}

/// Labels a step; what `expect` wanted of its old label follows it.
fn relabel(s: &mut Scenario, path: &StepPath, new: Option<String>) {
    let label = match path.is_meanwhile() {
        true => meanwhile_at_mut(s, path).map(|m| &mut m.label),
        false => step_at_mut(s, path).map(|st| &mut st.label),
    };
    let Some(label) = label else { return };
    if let (Some(old), Some(new)) = (std::mem::replace(label, new.clone()), new) {
        if let Some(x) = s.expect.iter_mut().find(|(l, _)| *l == old) {
            x.0 = new;
        }
    }
}

/// A control's value into a cast field: a list typed by a person is split; an optional name
/// typed by a person is trimmed, and blank takes it away. A value the field does not take (a
/// word outside its vocabulary) changes nothing.
fn put_cast(holder: &mut dyn CastFields, field: CastField, value: Value) {
    let text = match (field.shape(), value) {
        (_, Value::Flag(on)) => {
            _ = holder.set(field, CastVal::Flag(on));
            return;
        }
        (CastShape::Names, Value::Text(t)) => {
            _ = holder.set(field, CastVal::List(ops::split_list(&t)));
            return;
        }
        // Blank takes it away.
        (CastShape::Name, Value::Text(t)) if !field.required() => t.trim().to_string(),
        (_, Value::Text(t)) => t,
    };
    _ = holder.set(field, CastVal::Str(&text));
}
