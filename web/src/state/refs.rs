//! What refers to a machine, account, process or resource: asked before one is deleted, so
//! that the person sees what would break ("web is used in 2 places: client calls web, ...")
//! and may cancel. Pure logic, tested natively.

use impersonation_core::model::{Action, Scenario, Step};

use super::path::{index, key};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Machine,
    Account,
    Process,
    Resource,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Machine => "machine",
            Kind::Account => "account",
            Kind::Process => "process",
            Kind::Resource => "resource",
        }
    }
}

/// A cast entry that may be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: Kind,
    pub name: String,
}

/// One place that names the subject: the path of the field (for a link to it) and what it
/// says, in words ("client calls web").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub path: String,
    pub text: String,
}

impl Subject {
    pub fn new(kind: Kind, name: &str) -> Subject {
        Subject {
            kind,
            name: name.to_string(),
        }
    }

    /// Deletes the entry (its references stay, and show as problems).
    pub fn remove(&self, s: &mut Scenario) {
        let n = self.name.as_str();
        match self.kind {
            Kind::Machine => s.machines.retain(|m| m != n),
            Kind::Account => drop(s.accounts.shift_remove(n)),
            Kind::Process => drop(s.processes.shift_remove(n)),
            Kind::Resource => drop(s.resources.shift_remove(n)),
        }
    }
}

/// A reference to the field at `path`, its words joined by spaces (one function rather than
/// a `format!` per kind: the download is budgeted).
#[inline(never)]
fn push(out: &mut Vec<Reference>, path: String, words: &[&str]) {
    out.push(Reference {
        path,
        text: words.join(" "),
    });
}

/// `section.entry.field`.
fn field(section: &str, entry: &str, field: &str) -> String {
    key(&key(section, entry), field)
}

/// Every place that names `subject`, cast entries first, then steps in document order.
pub fn references(s: &Scenario, subject: &Subject) -> Vec<Reference> {
    let n = subject.name.as_str();
    let mut out = Vec::new();
    let o = &mut out;
    match subject.kind {
        Kind::Machine => {
            let computer = format!("{n}$");
            if s.accounts.contains_key(&computer) {
                let words = ["account", &computer, "is the computer account of", n];
                push(o, key("accounts", &computer), &words);
            }
            if let Some(i) = s.domain_controllers.iter().position(|m| m == n) {
                let words = [n, "is a domain controller"];
                push(o, index("domain_controllers", i), &words);
            }
            for (p, _) in s.processes.iter().filter(|(_, p)| p.machine == n) {
                push(
                    o,
                    field("processes", p, "machine"),
                    &["process", p, "runs on", n],
                );
            }
            for (r, _) in s.resources.iter().filter(|(_, r)| r.machine == n) {
                push(
                    o,
                    field("resources", r, "machine"),
                    &["resource", r, "is on", n],
                );
            }
        }
        Kind::Account => {
            for (p, _) in s.processes.iter().filter(|(_, p)| p.account == n) {
                push(
                    o,
                    field("processes", p, "account"),
                    &["process", p, "runs as", n],
                );
            }
            for (a, x) in &s.accounts {
                if x.allowed_to_act.iter().any(|x| x == n) {
                    let words = [a, "lets", n, "act on behalf of others (RBCD)"];
                    push(o, field("accounts", a, "allowed_to_act"), &words);
                }
            }
            for (r, x) in &s.resources {
                if x.allow.iter().any(|x| x == n) {
                    push(
                        o,
                        field("resources", r, "allow"),
                        &["the ACL of", r, "allows", n],
                    );
                }
            }
        }
        Kind::Process if s.run.process == n => {
            push(o, "run.process".into(), &["the chain starts in", n]);
        }
        _ => {}
    }
    steps(s, subject, &mut out);
    out
}

/// A list of steps being visited.
struct List<'a> {
    path: String,
    steps: &'a [Step],
    /// The process whose thread runs them.
    runner: &'a str,
    next: usize,
    /// A reference made by what holds the list (a meanwhile entry's `from`), told first.
    header: Option<Reference>,
}

/// The steps that name `subject`, in document order (a call, its steps, its meanwhile
/// entries, the next step), without recursion.
fn steps(s: &Scenario, subject: &Subject, out: &mut Vec<Reference>) {
    let n = subject.name.as_str();
    let mut stack = vec![List {
        path: "run.steps".into(),
        steps: &s.run.steps,
        runner: &s.run.process,
        next: 0,
        header: None,
    }];
    while let Some(top) = stack.last_mut() {
        out.extend(top.header.take());
        let Some(step) = top.steps.get(top.next) else {
            stack.pop();
            continue;
        };
        let runner = top.runner;
        let at = index(&top.path, top.next);
        top.next += 1;
        let said = match (&step.action, subject.kind) {
            (Action::Call(c), Kind::Process) if c.peer == n => Some(("to", "calls")),
            (Action::LogonUser { account }, Kind::Account) if account == n => {
                Some(("account", "logs on as"))
            }
            (Action::Access { resource }, Kind::Resource) if resource == n => {
                Some(("resource", "opens"))
            }
            (Action::AccessCheck { resource }, Kind::Resource) if resource == n => {
                Some(("resource", "checks access to"))
            }
            _ => None,
        };
        if let Some((field, verb)) = said {
            push(out, key(&at, field), &[runner, verb, n]);
        }
        let Action::Call(c) = &step.action else {
            continue;
        };
        // Meanwhile entries after the call's own steps: pushed first, visited last.
        for (j, mw) in c.meanwhile.iter().enumerate().rev() {
            let m = index(&key(&at, "meanwhile"), j);
            let header = (subject.kind == Kind::Process && mw.call.peer == n).then(|| Reference {
                path: key(&m, "from"),
                text: [n, "calls", runner, "meanwhile"].join(" "),
            });
            stack.push(List {
                path: key(&m, "steps"),
                steps: &mw.call.steps,
                runner,
                next: 0,
                header,
            });
        }
        stack.push(List {
            path: key(&at, "steps"),
            steps: &c.steps,
            runner: &c.peer,
            next: 0,
            header: None,
        });
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        // The playground's core has no embedded presets: read the file.
        impersonation_core::parse(include_str!("../../../core/presets/ntlm-double-hop.json"))
            .expect("valid")
            .into_inner()
    }

    fn texts(s: &Scenario, kind: Kind, name: &str) -> Vec<String> {
        references(s, &Subject::new(kind, name))
            .into_iter()
            .map(|r| format!("{} ({})", r.text, r.path))
            .collect()
    }

    #[test]
    fn every_kind_of_entry_lists_its_references_in_document_order() {
        let mut s = scenario();
        assert_eq!(
            texts(&s, Kind::Account, "alice"),
            [
                "process alice-browser runs as alice (processes.alice-browser.account)",
                "the ACL of alice-file-on-app1 allows alice (resources.alice-file-on-app1.allow)",
                "the ACL of alice-file-on-db1 allows alice (resources.alice-file-on-db1.allow)",
                "the ACL of share allows alice (resources.share.allow)",
            ]
        );
        assert_eq!(
            texts(&s, Kind::Machine, "APP1"),
            [
                "process web runs on APP1 (processes.web.machine)",
                "resource alice-file-on-app1 is on APP1 (resources.alice-file-on-app1.machine)",
            ]
        );
        assert_eq!(
            texts(&s, Kind::Resource, "share"),
            ["web opens share (run.steps[0].steps[2].resource)"]
        );
        assert!(texts(&s, Kind::Machine, "WS2").is_empty());
        // An RBCD entry naming svcApp.
        s.accounts["svcDB"].allowed_to_act = vec!["svcApp".into()];
        assert_eq!(
            texts(&s, Kind::Account, "svcApp")[1],
            "svcDB lets svcApp act on behalf of others (RBCD) (accounts.svcDB.allowed_to_act)"
        );
        Subject::new(Kind::Resource, "share").remove(&mut s);
        assert!(!s.resources.contains_key("share"));
        Subject::new(Kind::Machine, "FS1").remove(&mut s);
        assert_eq!(s.machines, ["WS1", "APP1", "DB1"]);
    }

    #[test]
    fn a_process_is_named_by_the_calls_to_it_and_the_run() {
        let s = scenario();
        assert_eq!(
            texts(&s, Kind::Process, "web"),
            ["alice-browser calls web (run.steps[0].to)"]
        );
        assert_eq!(
            texts(&s, Kind::Process, "alice-browser"),
            ["the chain starts in alice-browser (run.process)"]
        );
        // A meanwhile call from db comes after the steps of the call it arrives during.
        let mut s = s;
        if let Action::Call(c) = &mut s.run.steps[0].action {
            c.meanwhile.push(impersonation_core::model::Meanwhile {
                label: None,
                call: impersonation_core::model::Call::new("db"),
            });
        }
        assert_eq!(
            texts(&s, Kind::Process, "db"),
            [
                "web calls db (run.steps[0].steps[3].to)",
                "web calls db (run.steps[0].steps[4].to)",
                "web calls db (run.steps[0].steps[6].to)",
                "db calls alice-browser meanwhile (run.steps[0].meanwhile[0].from)",
            ]
        );
    }
}
