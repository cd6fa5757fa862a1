//! The security review (SPEC §8.3): what a scenario's configuration and run expose, as findings
//! SR-1.. of the rule catalogue, each with its severity, its subject (an account, a process or a
//! step path), a sentence naming the parties, and the change that removes it.
//!
//! Settings are read from the scenario (delegation grants, SPNs, admin accounts, domain
//! controllers), handed-over tickets and stored passwords from the outcome. A grant gives at most
//! one finding, its most severe (SR-2 rather than SR-3; SR-11 rather than SR-1). SR-5 and SR-6
//! ask the engine's SPN resolver (SPEC §7.1) who owns each SPN.

use serde::Serialize;

use crate::engine::spn::Owner;
use crate::engine::world::World;
use crate::model::{Checked, Delegation, DelegationKind, Event, Outcome, Scenario, TokenLevel};
use crate::rules::{RuleId, Source};

/// The exact value of the review's `format` field.
pub const REVIEW_FORMAT: &str = "impersonation-review/1";

/// How much a finding exposes, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

/// One finding (SPEC §8.4's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Its catalogue entry: `SR-1` ...
    pub id: RuleId,
    pub severity: Severity,
    /// The account, process or step path it is about.
    pub subject: String,
    /// The catalogue entry's title (empty without the `embedded-data` feature, as its sources).
    pub title: &'static str,
    /// What this scenario exposes, naming the parties.
    pub explain: String,
    /// The catalogue entry's sources (empty without the `embedded-data` feature).
    pub sources: Vec<&'static Source>,
    /// The change that removes it, with its command where there is one.
    pub fix: String,
}

/// The findings of a scenario, format `impersonation-review/1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub format: &'static str,
    pub findings: Vec<Finding>,
}

impl Review {
    /// The review as compact JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Reviews a checked scenario: its settings and a simulation of its run.
pub fn review(s: &Checked) -> Review {
    review_run(s, &crate::simulate(s))
}

/// Reviews a scenario and the outcome of its run (the fix finder has the outcome already).
pub fn review_run(s: &Checked, outcome: &Outcome) -> Review {
    let world = World::new(s);
    let mut findings = Vec::new();
    for (name, account) in &s.accounts {
        grants(s, name, account, &mut findings);
        unowned((s, &world), name, account, &mut findings);
        exposure(name, account, &mut findings);
    }
    duplicates(s, &world, &mut findings);
    for e in &outcome.events {
        run_finding(s, e, &mut findings);
    }
    // Most severe first; within a severity, in the scenario's order: taken out severity by
    // severity (a handful of findings; a stable sort's generic code would weigh in the download).
    let mut ordered = Vec::with_capacity(findings.len());
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    for severity in [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        for slot in &mut slots {
            if slot.as_ref().is_some_and(|f| f.severity == severity) {
                ordered.extend(slot.take());
            }
        }
    }
    Review {
        format: REVIEW_FORMAT,
        findings: ordered,
    }
}

fn finding(id: RuleId, subject: &str, explain: String, fix: String) -> Finding {
    let severity = match id {
        // SR-1, SR-2, SR-4, SR-8 and SR-11 give away domain-wide identities.
        RuleId::Sr1 | RuleId::Sr2 | RuleId::Sr4 | RuleId::Sr8 | RuleId::Sr11 => Severity::High,
        RuleId::Sr7 => Severity::Low,
        _ => Severity::Medium,
    };
    let rule = id.rule();
    Finding {
        id,
        severity,
        subject: subject.to_string(),
        title: rule.title,
        explain,
        sources: rule.source_list().collect(),
        fix,
    }
}

/// The machine a computer account `<M>$` belongs to, when it is a domain controller.
fn dc_of<'s>(s: &'s Scenario, account: &str) -> Option<&'s str> {
    let machine = account.strip_suffix('$')?;
    s.domain_controllers
        .iter()
        .find(|m| m.eq_ignore_ascii_case(machine))
        .map(String::as_str)
}

/// The domain controller an SPN's host names (`ldap/DC1`, `cifs/dc1.corp.example:445`).
fn dc_service<'s>(s: &'s Scenario, spn: &str) -> Option<&'s str> {
    let host = spn.split('/').nth(1)?.split(':').next()?;
    s.domain_controllers.iter().map(String::as_str).find(|m| {
        host.eq_ignore_ascii_case(m)
            || host
                .get(..m.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(m))
                && host.as_bytes().get(m.len()) == Some(&b'.')
    })
}

/// The PowerShell cmdlet that edits an account: computer accounts end in `$`.
fn set_ad(account: &str) -> &'static str {
    if account.ends_with('$') {
        "Set-ADComputer"
    } else {
        "Set-ADUser"
    }
}

/// SR-1, SR-11, SR-2, SR-3, SR-4: what an account's delegation grants expose.
fn grants(s: &Scenario, name: &str, a: &crate::model::Account, out: &mut Vec<Finding>) {
    match &a.delegation {
        Delegation::Unconstrained if dc_of(s, name).is_none() => {
            let fix = format!(
                "Clear it and delegate only to the services it needs (constrained or resource-based \
                 delegation): Set-ADAccountControl -Identity '{name}' -TrustedForDelegation $false"
            );
            // SR-11 for the LocalSystem services of that machine, instead of SR-1.
            let machine = name.strip_suffix('$');
            let system = s
                .processes
                .iter()
                .filter(|(_, p)| p.account == "LocalSystem" && Some(p.machine.as_str()) == machine);
            let mut reported = false;
            for (process, p) in system {
                reported = true;
                let explain = format!(
                    "{process} runs as LocalSystem on {}, whose account {name} is trusted for \
                     unconstrained delegation: it can use every TGT delivered to {}.",
                    p.machine, p.machine
                );
                out.push(finding(RuleId::Sr11, process, explain, fix.clone()));
            }
            if !reported {
                let explain = format!(
                    "{name} is trusted for unconstrained delegation: every user who calls its \
                     services at Delegate hands it a TGT it can use anywhere."
                );
                out.push(finding(RuleId::Sr1, name, explain, fix));
            }
        }
        Delegation::Constrained {
            services,
            any_protocol,
        } => {
            let to_dc = services
                .iter()
                .find_map(|spn| dc_service(s, spn).map(|dc| (spn, dc)));
            if let Some((spn, dc)) = to_dc {
                let explain = format!(
                    "{name} may delegate to {spn}, a service of the domain controller {dc}{}.",
                    if *any_protocol {
                        ", for any user, with protocol transition"
                    } else {
                        ""
                    }
                );
                let fix = format!(
                    "Remove it from the list: {} -Identity '{name}' -Remove \
                     @{{'msDS-AllowedToDelegateTo'='{spn}'}}",
                    set_ad(name)
                );
                out.push(finding(RuleId::Sr2, name, explain, fix));
            } else if *any_protocol {
                let explain = format!(
                    "{name} may obtain tickets for any user without their sign-in and delegate \
                     them to {}.",
                    services.join(", ")
                );
                let fix = format!(
                    "Delegate with Kerberos only, or with resource-based delegation on the \
                     targets: Set-ADAccountControl -Identity '{name}' \
                     -TrustedToAuthForDelegation $false"
                );
                out.push(finding(RuleId::Sr3, name, explain, fix));
            }
        }
        _ => {}
    }
    if let (Some(dc), false) = (dc_of(s, name), a.allowed_to_act.is_empty()) {
        let explain = format!(
            "{} may act as any unprotected user, administrators included, on the domain \
             controller {dc}.",
            a.allowed_to_act.join(", ")
        );
        let fix = format!(
            "Empty the list: Set-ADComputer -Identity '{name}' \
             -PrincipalsAllowedToDelegateToAccount $null"
        );
        out.push(finding(RuleId::Sr4, name, explain, fix));
    }
}

/// SR-5: constrained delegation entries naming an SPN nobody owns (SP-3).
/// A domain controller's services are SR-2's (one grant, one finding).
fn unowned(
    (s, w): (&Scenario, &World),
    name: &str,
    a: &crate::model::Account,
    out: &mut Vec<Finding>,
) {
    let Delegation::Constrained { services, .. } = &a.delegation else {
        return;
    };
    let stale: Vec<&str> = services
        .iter()
        .filter(|spn| w.spn_owner(spn) == Owner::Nobody && dc_service(s, spn).is_none())
        .map(String::as_str)
        .collect();
    if stale.is_empty() {
        return;
    }
    let explain = format!(
        "{name} may delegate to {}, which no account holds: whoever registers it on an account \
         they control receives the tickets {name} delegates.",
        stale.join(", ")
    );
    let removals: Vec<String> = stale
        .iter()
        .map(|spn| {
            format!(
                "{} -Identity '{name}' -Remove @{{'msDS-AllowedToDelegateTo'='{spn}'}}",
                set_ad(name)
            )
        })
        .collect();
    let fix = format!("Remove it from the list: {}", removals.join("; "));
    out.push(finding(RuleId::Sr5, name, explain, fix));
}

/// SR-6: SPNs listed by two or more accounts (SP-4), once each.
fn duplicates(s: &Scenario, w: &World, out: &mut Vec<Finding>) {
    let mut seen: Vec<String> = Vec::new();
    for spn in s.accounts.values().flat_map(|a| &a.spns) {
        let Owner::Duplicate(a, b) = w.spn_owner(spn) else {
            continue;
        };
        let key = spn.to_ascii_lowercase();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let (a, b) = (&w.accounts[a].name, &w.accounts[b].name);
        let explain = format!(
            "{spn} is listed by both {a} and {b}: the KDC refuses tickets for it, so Kerberos to \
             it falls back to NTLM or fails, and delegation to it stops."
        );
        // The listing to remove: the one no process runs as, when that tells them apart.
        let runs = |x: &str| s.processes.values().any(|p| p.account == x);
        let wrong = match (runs(a), runs(b)) {
            (true, false) => format!("setspn -D {spn} {b}"),
            (false, true) => format!("setspn -D {spn} {a}"),
            _ => format!("setspn -D {spn} {a} or setspn -D {spn} {b}"),
        };
        let fix = format!(
            "Keep it only on the account the service runs as (setspn -X lists duplicates): {wrong}"
        );
        out.push(finding(RuleId::Sr6, spn, explain, fix));
    }
}

/// SR-7, SR-8: what an account exposes by itself.
fn exposure(name: &str, a: &crate::model::Account, out: &mut Vec<Finding>) {
    if !name.ends_with('$') && !a.spns.is_empty() {
        let explain = format!(
            "{name} is a user account with the SPN {}: any domain user can get a ticket \
             encrypted with its password's key and guess the password offline.",
            a.spns.join(", ")
        );
        let removals: Vec<String> = a
            .spns
            .iter()
            .map(|spn| format!("setspn -D {spn} {name}"))
            .collect();
        let fix = format!(
            "Run the service as a group managed service account or as its machine, and take \
             the SPN off the user account: {}",
            removals.join("; ")
        );
        out.push(finding(RuleId::Sr7, name, explain, fix));
    }
    if a.admin && !a.sensitive && !a.protected_users {
        let explain = format!(
            "{name} is privileged but neither sensitive nor in Protected Users: any server \
             trusted for delegation can act as {name}."
        );
        let fix = format!(
            "Mark it sensitive: Set-ADAccountControl -Identity '{name}' -AccountNotDelegated \
             $true (or Add-ADGroupMember -Identity 'Protected Users' -Members '{name}')"
        );
        out.push(finding(RuleId::Sr8, name, explain, fix));
    }
}

/// SR-9, SR-10: what the run hands over or stores.
fn run_finding(s: &Scenario, e: &Event, out: &mut Vec<Finding>) {
    let process = &e.process;
    match e.action {
        "call"
            if e.delegation == Some(DelegationKind::Unconstrained)
                && e.seen_level == Some(Some(TokenLevel::Delegate)) =>
        {
            let to = e.to.as_deref().unwrap_or_default();
            let who = e.seen_as.clone().flatten().unwrap_or_default();
            let explain = format!(
                "{process} calls {to} at Delegate, and {to}'s account is trusted for \
                 unconstrained delegation: {to} now holds {who}'s TGT."
            );
            let fix = format!(
                "Call {to} at Impersonate and let it delegate with constrained or resource-based \
                 delegation to the services it needs ({}.imp_level)",
                e.step
            );
            out.push(finding(RuleId::Sr9, &e.step, explain, fix));
        }
        "logon_user"
            if s.processes
                .get(process)
                .is_some_and(|p| p.kind == crate::model::ProcessKind::Service) =>
        {
            let explain = format!(
                "The service {process} logs a user on with a password it holds: those \
                 credentials reach every machine, whatever delegation allows."
            );
            let fix = "Let the caller's identity travel by constrained or resource-based \
                       delegation instead, and remove the logon_user step"
                .to_string();
            out.push(finding(RuleId::Sr10, &e.step, explain, fix));
        }
        _ => {}
    }
}
