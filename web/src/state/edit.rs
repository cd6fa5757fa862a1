//! Structural edits of a scenario: add, remove, move and nest steps; rename the cast with every
//! reference to it. Pure functions on `&mut Scenario`, so that the reducer and the tests share
//! them. None of them knows a Windows rule: they move data around.

use impersonation_core::model::{
    Account, Action, Api, Call, ComSecurity, Meanwhile, Process, ProcessKind, Resource, Scenario,
    Step, StepKind, Threading, Vocabulary,
};

use super::path::{call_at_mut, step_at, steps_and_process, steps_of, steps_of_mut, Seg, StepPath};

/// The process whose thread runs the steps held by `parent` (the run's root process, a call's
/// callee, or, for a meanwhile call, the process waiting for the enclosing call).
pub fn process_running(s: &Scenario, parent: &StepPath) -> Option<String> {
    steps_and_process(s, parent).map(|(_, process)| process.to_string())
}

/// A new step of kind `name` (a `do` spelling, or `http` for a call with `api: "http"`): the
/// core's blank step of that kind ([`StepKind::blank`]) with names that fit, for a step run by
/// `process`.
pub fn new_step(s: &Scenario, name: &str, process: &str) -> Step {
    let kind = match name {
        "http" => StepKind::Call,
        _ => StepKind::parse(name).unwrap_or(StepKind::Whoami),
    };
    let mut action = kind.blank();
    match &mut action {
        Action::Call(call) => {
            call.peer = s
                .processes
                .keys()
                .find(|p| p.as_str() != process)
                .or_else(|| s.processes.keys().next())
                .cloned()
                .unwrap_or_default();
            if name == "http" {
                call.set_api(Api::Http);
            }
        }
        Action::LogonUser { account } => {
            *account = s
                .accounts
                .keys()
                .find(|a| !a.ends_with('$'))
                .cloned()
                .unwrap_or_default()
        }
        Action::SetBlanket(b) => b.proxy = "P".into(),
        Action::Access { resource } | Action::AccessCheck { resource } => {
            *resource = s.resources.keys().next().cloned().unwrap_or_default()
        }
        _ => {}
    }
    Step {
        label: None,
        action,
    }
}

/// Changes a step's kind, keeping its label and, between call steps, everything.
pub fn set_kind(s: &mut Scenario, path: &StepPath, name: &str) {
    let parent = path.parent();
    let process = process_running(s, &parent).unwrap_or_default();
    let Some(step) = step_at(s, path) else { return };
    if step.action.name() == name {
        return;
    }
    let fresh = new_step(s, name, &process);
    if let Some(step) = super::path::step_at_mut(s, path) {
        step.action = fresh.action;
    }
}

/// Inserts a step at `index` of the list held by `parent` (clamped to its length).
pub fn insert_step(
    s: &mut Scenario,
    parent: &StepPath,
    index: usize,
    step: Step,
) -> Option<StepPath> {
    let steps = steps_of_mut(s, parent)?;
    let index = index.min(steps.len());
    steps.insert(index, step);
    Some(parent.child_step(index))
}

/// Removes the step or meanwhile entry at `path`.
pub fn remove(s: &mut Scenario, path: &StepPath) {
    match path.0.last() {
        Some(Seg::Step(i)) => {
            if let Some(steps) = steps_of_mut(s, &path.parent()) {
                if *i < steps.len() {
                    steps.remove(*i);
                }
            }
        }
        Some(Seg::Meanwhile(j)) => {
            if let Some(call) = call_at_mut(s, &path.parent()) {
                if *j < call.meanwhile.len() {
                    call.meanwhile.remove(*j);
                }
            }
        }
        None => {}
    }
}

/// Moves a step (or meanwhile entry) one place up (`-1`) or down (`+1`) in its list; returns
/// its new path.
pub fn move_by(s: &mut Scenario, path: &StepPath, delta: isize) -> Option<StepPath> {
    let i = path.last_index()?;
    let j = i.checked_add_signed(delta)?;
    match path.0.last()? {
        Seg::Step(_) => {
            let steps = steps_of_mut(s, &path.parent())?;
            if j >= steps.len() {
                return None;
            }
            steps.swap(i, j);
        }
        Seg::Meanwhile(_) => {
            let call = call_at_mut(s, &path.parent())?;
            if j >= call.meanwhile.len() {
                return None;
            }
            call.meanwhile.swap(i, j);
        }
    }
    Some(path.with_last(j))
}

/// Moves a step into the call just before it, as that call's last step (what the callee does).
pub fn indent(s: &mut Scenario, path: &StepPath) -> Option<StepPath> {
    let Some(Seg::Step(i)) = path.0.last().copied() else {
        return None;
    };
    if i == 0 {
        return None;
    }
    let parent = path.parent();
    let prev = parent.child_step(i - 1);
    if !matches!(step_at(s, &prev)?.action, Action::Call(_)) {
        return None;
    }
    let step = steps_of_mut(s, &parent)?.remove(i);
    let target = steps_of_mut(s, &prev)?;
    target.push(step);
    let n = target.len() - 1;
    Some(prev.child_step(n))
}

/// Moves a step out of the call that holds it, to just after that call.
pub fn outdent(s: &mut Scenario, path: &StepPath) -> Option<StepPath> {
    let Some(Seg::Step(i)) = path.0.last().copied() else {
        return None;
    };
    let parent = path.parent();
    // Only out of a call step's own steps (not out of a meanwhile entry, whose steps run on
    // another process's thread).
    let Some(Seg::Step(pi)) = parent.0.last().copied() else {
        return None;
    };
    steps_of(s, &parent)?.get(i)?;
    let step = steps_of_mut(s, &parent)?.remove(i);
    let grand = parent.parent();
    let steps = steps_of_mut(s, &grand)?;
    steps.insert(pi + 1, step);
    Some(grand.child_step(pi + 1))
}

/// Adds a meanwhile call to the call at `path`, from `from`.
pub fn add_meanwhile(s: &mut Scenario, path: &StepPath, from: &str) -> Option<StepPath> {
    let call = call_at_mut(s, path)?;
    call.meanwhile.push(Meanwhile {
        label: None,
        call: Call::new(from),
    });
    Some(path.child_meanwhile(call.meanwhile.len() - 1))
}

/// Visits every call (steps and meanwhile entries) and every step, without recursion.
pub fn for_each_step_mut(
    s: &mut Scenario,
    mut f: impl FnMut(&mut Step),
    mut g: impl FnMut(&mut Call),
) {
    let mut stack: Vec<&mut Vec<Step>> = vec![&mut s.run.steps];
    while let Some(steps) = stack.pop() {
        for step in steps.iter_mut() {
            f(step);
            if let Action::Call(call) = &mut step.action {
                g(call);
                for mw in call.meanwhile.iter_mut() {
                    g(&mut mw.call);
                    stack.push(&mut mw.call.steps);
                }
                stack.push(&mut call.steps);
            }
        }
    }
}

/// Every label of the steps and meanwhile entries.
pub fn labels(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![&s.run.steps];
    while let Some(steps) = stack.pop() {
        for step in steps {
            out.extend(step.label.clone());
            if let Action::Call(call) = &step.action {
                stack.push(&call.steps);
                for mw in &call.meanwhile {
                    out.extend(mw.label.clone());
                    stack.push(&mw.call.steps);
                }
            }
        }
    }
    out
}

/// A name not yet used by `taken`, starting from `base`.
pub fn fresh_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

fn rename_in(list: &mut [String], old: &str, new: &str) {
    for x in list.iter_mut() {
        if x == old {
            *x = new.to_string();
        }
    }
}

/// Renames `old` to `new` in its place; false, and nothing changed, when `new` is taken (the
/// fields refuse that first: `rename_refused`).
fn rename_key<V>(map: &mut indexmap::IndexMap<String, V>, old: &str, new: &str) -> bool {
    // In place: removing and inserting again would shift the entries after it twice (and cost
    // three copies of indexmap's rotation in the download).
    map.get_index_of(old)
        .is_none_or(|i| map.replace_index(i, new.to_string()).is_ok())
}

/// Why a rename cannot be done, if it cannot. A machine's name is also taken by an account
/// `<name>$` ([`machine_names_taken`]), which the message names: no machine of that name is in
/// view.
pub fn rename_refused(taken: bool, machine: bool, new: &str) -> Option<String> {
    if new.trim().is_empty() {
        Some("a name must not be empty".into())
    } else if taken && machine {
        Some(format!(
            "\"{new}\" is already used, by a machine or by the account {new}$"
        ))
    } else if taken {
        Some(format!("\"{new}\" is already used"))
    } else {
        None
    }
}

/// The names a machine `me` cannot be renamed to: the other machines (compared without case,
/// as Windows does), and, when `me` has a computer account `<me>$`, every `X` whose account
/// `X$` exists (its account could not follow it).
pub fn machine_names_taken(s: &Scenario, me: &str) -> Vec<String> {
    let mut taken: Vec<String> = s.machines.iter().filter(|m| *m != me).cloned().collect();
    if s.accounts.contains_key(&format!("{me}$")) {
        taken.extend(
            s.accounts
                .keys()
                .filter_map(|a| a.strip_suffix('$'))
                .filter(|a| *a != me)
                .map(str::to_string),
        );
    }
    taken
}

/// Renames a machine everywhere: processes, resources, its computer account `<M>$`. Changes
/// nothing when the name is taken ([`machine_names_taken`]): before, the machine was renamed
/// and its account, refused by [`rename_account`], was left behind under the old name.
pub fn rename_machine(s: &mut Scenario, old: &str, new: &str) {
    if machine_names_taken(s, old)
        .iter()
        .any(|m| m.eq_ignore_ascii_case(new))
    {
        return;
    }
    rename_in(&mut s.machines, old, new);
    rename_in(&mut s.domain_controllers, old, new);
    for p in s.processes.values_mut() {
        if p.machine == old {
            p.machine = new.to_string();
        }
    }
    for r in s.resources.values_mut() {
        if r.machine == old {
            r.machine = new.to_string();
        }
    }
    rename_account(s, &format!("{old}$"), &format!("{new}$"));
}

/// Renames an account everywhere: processes, ACLs, RBCD lists, logon_user steps.
pub fn rename_account(s: &mut Scenario, old: &str, new: &str) {
    if !rename_key(&mut s.accounts, old, new) {
        return;
    }
    for a in s.accounts.values_mut() {
        rename_in(&mut a.allowed_to_act, old, new);
    }
    for p in s.processes.values_mut() {
        if p.account == old {
            p.account = new.to_string();
        }
    }
    for r in s.resources.values_mut() {
        rename_in(&mut r.allow, old, new);
    }
    for_each_step_mut(
        s,
        |step| {
            if let Action::LogonUser { account } = &mut step.action {
                if account == old {
                    *account = new.to_string();
                }
            }
        },
        |_| {},
    );
}

/// Renames a process everywhere: the run's root and every call's `to` and `from`.
pub fn rename_process(s: &mut Scenario, old: &str, new: &str) {
    if !rename_key(&mut s.processes, old, new) {
        return;
    }
    if s.run.process == old {
        s.run.process = new.to_string();
    }
    for_each_step_mut(
        s,
        |_| {},
        |call| {
            if call.peer == old {
                call.peer = new.to_string();
            }
        },
    );
}

/// Renames a resource everywhere.
pub fn rename_resource(s: &mut Scenario, old: &str, new: &str) {
    if !rename_key(&mut s.resources, old, new) {
        return;
    }
    for_each_step_mut(
        s,
        |step| match &mut step.action {
            Action::Access { resource } | Action::AccessCheck { resource } if resource == old => {
                *resource = new.to_string();
            }
            _ => {}
        },
        |_| {},
    );
}

/// Adds a machine named like the examples' machines: the first free of APP1, APP2, ...
pub fn add_machine(s: &mut Scenario) -> String {
    let name = (1..)
        .map(|n| format!("APP{n}"))
        .find(|n| !s.machines.iter().any(|m| m.eq_ignore_ascii_case(n)))
        .unwrap_or_default();
    s.machines.push(name.clone());
    name
}

/// Adds an account: svcApp, then svcApp2, svcApp3, ...
pub fn add_account(s: &mut Scenario) -> String {
    let name = fresh_name("svcApp", |n| s.accounts.contains_key(n));
    s.accounts.insert(name.clone(), Account::default());
    name
}

/// Adds a process named like the examples' processes: the first free letter from B, then B2, ...
pub fn add_process(s: &mut Scenario) -> String {
    let taken = |n: &str| s.processes.contains_key(n);
    let name = ('B'..='Z')
        .map(String::from)
        .find(|n| !taken(n))
        .unwrap_or_else(|| fresh_name("B", taken));
    let machine = s.machines.first().cloned().unwrap_or_default();
    s.processes.insert(
        name.clone(),
        Process {
            machine,
            account: "LocalSystem".into(),
            kind: ProcessKind::Service,
            com: ComSecurity::default(),
            threading: Threading::Sta,
            http: Default::default(),
        },
    );
    name
}

/// Adds a resource: file, then file2, file3, ...
pub fn add_resource(s: &mut Scenario) -> String {
    let name = fresh_name("file", |n| s.resources.contains_key(n));
    let machine = s.machines.first().cloned().unwrap_or_default();
    let allow = s
        .accounts
        .keys()
        .find(|a| !a.ends_with('$'))
        .cloned()
        .into_iter()
        .collect();
    s.resources.insert(
        name.clone(),
        Resource {
            machine,
            allow,
            spn: None,
        },
    );
    name
}

/// Why `spn` is not an SPN (`class/host[:port][/name]`), if it is not. The empty string is a
/// call's NULL principal name, allowed.
pub fn spn_problem(spn: &str) -> Option<String> {
    let word = |x: &str| !x.is_empty() && !x.contains(char::is_whitespace);
    let form = || {
        let (class, rest) = spn.split_once('/')?;
        let (host_port, name) = match rest.split_once('/') {
            Some((h, n)) => (h, Some(n)),
            None => (rest, None),
        };
        let (host, port) = match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        };
        let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        (word(class) && word(host) && port_ok && name.is_none_or(word)).then_some(())
    };
    (!spn.is_empty() && form().is_none()).then(|| {
        format!("\u{201c}{spn}\u{201d} is not an SPN: an SPN is class/host[:port][/name], e.g. HTTP/web1")
    })
}

/// The first item of a list of SPNs that is not one, and why.
pub fn spns_problem(spns: &[String]) -> Option<String> {
    spns.iter().find_map(|s| spn_problem(s))
}

/// Splits a comma- or space-separated list typed by a person.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Counts every step and meanwhile entry.
pub fn count_steps(s: &Scenario) -> usize {
    let mut n = 0;
    let mut stack: Vec<&Vec<Step>> = vec![&s.run.steps];
    while let Some(steps) = stack.pop() {
        for step in steps {
            n += 1;
            if let Action::Call(call) = &step.action {
                stack.push(&call.steps);
                for mw in &call.meanwhile {
                    n += 1;
                    stack.push(&mw.call.steps);
                }
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Scenario {
        let mut s = Scenario::blank();
        add_process(&mut s);
        s.run.steps = vec![
            new_step(&s, "call", "client"),
            new_step(&s, "whoami", "client"),
        ];
        s
    }

    #[test]
    fn steps_nest_and_unnest() {
        let mut s = chain();
        let second = StepPath::parse("run.steps[1]").unwrap();
        let inside = indent(&mut s, &second).unwrap();
        assert_eq!(inside.to_string(), "run.steps[0].steps[0]");
        assert_eq!(s.run.steps.len(), 1);
        let out = outdent(&mut s, &inside).unwrap();
        assert_eq!(out.to_string(), "run.steps[1]");
        assert_eq!(s, chain());
    }

    #[test]
    fn spns_are_checked_for_their_form() {
        for good in [
            "HTTP/web1",
            "MSSQLSvc/db1.corp:1433",
            "ldap/dc1/corp.example",
            "cifs/FS1",
            "",
        ] {
            assert_eq!(spn_problem(good), None, "{good}");
        }
        for bad in [
            "web1",
            "HTTP/",
            "/web1",
            "HTTP/web 1",
            "HTTP/web1:",
            "HTTP/web1:80a",
            "HTTP/web1/",
        ] {
            assert!(spn_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(
            spn_problem("web1").as_deref(),
            Some("\u{201c}web1\u{201d} is not an SPN: an SPN is class/host[:port][/name], e.g. HTTP/web1")
        );
        assert!(spns_problem(&["HTTP/a".into(), "b".into()]).is_some());
    }

    #[test]
    fn a_refused_rename_says_why() {
        assert_eq!(
            rename_refused(true, false, "web").as_deref(),
            Some("\"web\" is already used")
        );
        assert_eq!(
            rename_refused(true, true, "SRV9").as_deref(),
            Some("\"SRV9\" is already used, by a machine or by the account SRV9$")
        );
        assert_eq!(
            rename_refused(false, true, " ").as_deref(),
            Some("a name must not be empty")
        );
        assert_eq!(rename_refused(false, true, "SRV9"), None);
    }

    #[test]
    fn new_cast_members_get_the_next_free_natural_name() {
        let mut s = Scenario::blank();
        let machines: Vec<String> = (0..3).map(|_| add_machine(&mut s)).collect();
        assert_eq!(machines, ["APP1", "APP2", "APP3"]);
        // A gap is filled; a name taken in another case is taken.
        s.machines.retain(|m| m != "APP2");
        s.machines.push("app4".into());
        assert_eq!(add_machine(&mut s), "APP2");
        assert_eq!(add_machine(&mut s), "APP5");
        let processes: Vec<String> = (0..3).map(|_| add_process(&mut s)).collect();
        assert_eq!(processes, ["B", "C", "D"]);
        let accounts: Vec<String> = (0..3).map(|_| add_account(&mut s)).collect();
        assert_eq!(accounts, ["svcApp", "svcApp2", "svcApp3"]);
        let resources: Vec<String> = (0..3).map(|_| add_resource(&mut s)).collect();
        assert_eq!(resources, ["file", "file2", "file3"]);
        // Every letter taken: numbers follow the first letter.
        for c in 'E'..='Z' {
            add_process(&mut s);
            assert!(s.processes.contains_key(&c.to_string()));
        }
        assert_eq!(add_process(&mut s), "B2");
        assert_eq!(add_process(&mut s), "B3");
    }

    #[test]
    fn renaming_a_process_follows_references() {
        let mut s = chain();
        rename_process(&mut s, "B", "Server");
        let Action::Call(c) = &s.run.steps[0].action else {
            panic!()
        };
        assert_eq!(c.peer, "Server");
        assert!(s.processes.contains_key("Server"));
        assert_eq!(s.processes.get_index_of("Server"), Some(1));
    }
}
