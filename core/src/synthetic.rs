//! Synthetic scenarios of a chosen size, for benchmarks, stress tests and the playground's
//! performance checks. They exercise the whole engine: remote COM calls with impersonation,
//! dynamic cloaking into a double hop, Kerberos delegation, RPC with static tracking, object access
//! and reverts.

use indexmap::IndexMap;

use crate::model::*;

/// A scenario of exactly `steps` steps: blocks of a realistic call pattern, repeated side by
/// side (wide, not deep), cut to size.
pub fn wide(steps: usize) -> Scenario {
    let mut s = cast("Synthetic: {steps} steps".replace("{steps}", &steps.to_string()));
    let mut budget = steps;
    let mut run = Vec::new();
    let mut i = 0usize;
    while budget > 0 {
        run.push(block(&mut budget, i));
        i += 1;
    }
    s.run.steps = run;
    s
}

/// A chain of `depth` nested calls alternating between two servers, each impersonating.
pub fn deep(depth: usize) -> Scenario {
    let mut s = cast(format!("Synthetic: a chain {depth} calls deep"));
    // Built from the inside out, so no recursion is needed.
    let mut inner: Vec<Step> = vec![step(Action::Whoami)];
    for level in (0..depth).rev() {
        let mut c = Call::new(if level % 2 == 0 { "web" } else { "app" });
        c.imp_level = ImpLevel::Impersonate;
        c.steps = {
            let mut v = vec![step(Action::Impersonate)];
            v.append(&mut inner);
            v
        };
        inner = vec![step(Action::Call(Box::new(c)))];
    }
    s.run.steps = inner;
    s
}

fn step(action: Action) -> Step {
    Step {
        label: None,
        action,
    }
}

fn take(budget: &mut usize) -> bool {
    if *budget == 0 {
        false
    } else {
        *budget -= 1;
        true
    }
}

/// One block: alice → web (impersonate, local file, cloaked call to db, share, revert, RPC to
/// app with static tracking, delegated call). Up to 12 steps, fewer when the budget runs out.
fn block(budget: &mut usize, i: usize) -> Step {
    take(budget);
    let mut call = Call::new("web");
    call.imp_level = if i % 3 == 0 {
        ImpLevel::Delegate
    } else {
        ImpLevel::Impersonate
    };
    let mut inner = Vec::new();
    fn push(inner: &mut Vec<Step>, budget: &mut usize, a: Action) {
        if take(budget) {
            inner.push(step(a));
        }
    }
    push(&mut inner, budget, Action::Impersonate);
    push(
        &mut inner,
        budget,
        Action::Access {
            resource: "F_alice".into(),
        },
    );
    if take(budget) {
        let mut db = Call::new("db");
        db.cloaking = Some(Cloaking::Dynamic);
        db.imp_level = ImpLevel::Impersonate;
        if take(budget) {
            db.steps.push(step(Action::Impersonate));
        }
        if take(budget) {
            db.steps.push(step(Action::Whoami));
        }
        inner.push(step(Action::Call(Box::new(db))));
    }
    push(
        &mut inner,
        budget,
        Action::Access {
            resource: "Share".into(),
        },
    );
    push(
        &mut inner,
        budget,
        Action::OpenThreadToken { as_self: false },
    );
    push(&mut inner, budget, Action::Revert);
    if take(budget) {
        let mut app = Call::new("app");
        app.api = Api::Rpc;
        app.authn = Authn::Negotiate;
        app.proxy = Some("binding".into());
        if take(budget) {
            app.steps.push(step(Action::Impersonate));
        }
        if take(budget) {
            app.steps.push(step(Action::Revert));
        }
        inner.push(step(Action::Call(Box::new(app))));
    }
    push(&mut inner, budget, Action::Whoami);
    call.steps = inner;
    step(Action::Call(Box::new(call)))
}

fn cast(title: String) -> Scenario {
    let mut accounts = IndexMap::new();
    accounts.insert("alice".to_string(), Account::default());
    accounts.insert(
        "svcApp".to_string(),
        Account {
            spns: vec!["HTTP/app1.corp.local".into()],
            delegation: Delegation::Unconstrained,
            ..Account::default()
        },
    );
    accounts.insert(
        "svcDB".to_string(),
        Account {
            spns: vec!["MSSQLSvc/db1.corp.local:1433".into()],
            ..Account::default()
        },
    );
    let proc = |machine: &str, account: &str, kind: ProcessKind| Process {
        machine: machine.into(),
        account: account.into(),
        kind,
        com: ComSecurity::default(),
        threading: Threading::Sta,
    };
    let mut processes = IndexMap::new();
    processes.insert("client".into(), proc("WS1", "alice", ProcessKind::User));
    let mut web = proc("APP1", "svcApp", ProcessKind::Service);
    web.com.cloaking = Cloaking::Dynamic;
    processes.insert("web".into(), web);
    processes.insert(
        "app".into(),
        proc("APP1", "LocalSystem", ProcessKind::Service),
    );
    processes.insert("db".into(), proc("DB1", "svcDB", ProcessKind::Service));
    let mut resources = IndexMap::new();
    resources.insert(
        "F_alice".into(),
        Resource {
            machine: "APP1".into(),
            allow: vec!["alice".into()],
            spn: None,
        },
    );
    resources.insert(
        "Share".into(),
        Resource {
            machine: "FS1".into(),
            allow: vec!["alice".into()],
            spn: None,
        },
    );
    Scenario {
        title,
        description: Some("Generated for benchmarks: the double hop, delegation, cloaking and RPC tracking, repeated.".into()),
        domain: "CORP".into(),
        options: Options::default(),
        machines: vec!["WS1".into(), "APP1".into(), "DB1".into(), "FS1".into()],
        domain_controllers: Vec::new(),
        accounts,
        processes,
        resources,
        run: Run {
            process: "client".into(),
            steps: Vec::new(),
        },
        expect: Vec::new(),
    }
}

/// The number of steps in a scenario (every step, at every depth, meanwhile calls included).
pub fn count_steps(s: &Scenario) -> usize {
    let mut n = 0;
    let mut stack: Vec<&[Step]> = vec![&s.run.steps];
    while let Some(steps) = stack.pop() {
        n += steps.len();
        for st in steps {
            if let Action::Call(c) = &st.action {
                stack.push(&c.steps);
                for m in &c.meanwhile {
                    n += 1;
                    stack.push(&m.call.steps);
                }
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_scenarios_have_exactly_the_steps_asked_for_and_are_valid() {
        for n in [1, 5, 12, 13, 200, 2_000] {
            let s = wide(n);
            assert_eq!(count_steps(&s), n, "{n}");
            assert!(crate::check(&s).is_empty(), "{:?}", crate::check(&s));
            let text = s.to_json_string();
            assert_eq!(crate::parse(&text).expect("round trip").into_inner(), s);
        }
    }

    #[test]
    fn deep_chains_run_and_return_in_order() {
        let s = deep(300);
        assert!(crate::check(&s).is_empty());
        let o = crate::simulate(&crate::Checked::new(s).unwrap());
        let calls = o.events.iter().filter(|e| e.action == "call").count();
        let returns = o.events.iter().filter(|e| e.action == "return").count();
        assert_eq!((calls, returns), (300, 300));
        assert_eq!(
            o.events.last().map(|e| e.step.as_str()),
            Some("run.steps[0]")
        );
    }
}
