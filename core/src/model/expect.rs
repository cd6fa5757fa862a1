//! Expectations (SPEC §8.1): what the scenario's author wants a labelled step to show, checked
//! against the first event carrying the label (a call's `call` event, not its `return`).
//!
//! [`Expectations`] checks them as the events go by, so that the CLI's streaming writer and
//! [`crate::simulate`] share one evaluation and neither keeps more than the verdicts.

use serde::Serialize;

use super::enums::*;
use super::outcome::Event;
use super::scenario::Scenario;

/// One expected value: a field of the labelled step's event and the value it must have
/// (`None`: the field must be null or absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub field: ExpectField,
    pub want: Option<String>,
}

/// The verdict on one expected value, as the outcome's `expectations` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    pub label: String,
    pub field: ExpectField,
    pub want: Option<String>,
    /// The event's value; null when the field is null or absent, or the step never ran.
    pub got: Option<String>,
    pub met: bool,
}

impl ExpectField {
    /// Whether `want` may be null (the field can be null or absent on an event).
    fn nullable(self) -> bool {
        !matches!(self, ExpectField::Status | ExpectField::Identity)
    }

    /// The field's value on an event, as the outcome spells it.
    fn of(self, e: &Event) -> Option<&str> {
        match self {
            ExpectField::Status => Some(e.status.as_str()),
            ExpectField::Identity => Some(&e.identity),
            ExpectField::Level => e.level.map(TokenLevel::as_str),
            ExpectField::SeenAs => e.seen_as.as_ref().and_then(|s| s.as_deref()),
            ExpectField::SeenLevel => e.seen_level.flatten().map(TokenLevel::as_str),
            ExpectField::Delegation => e.delegation.map(DelegationKind::as_str),
            ExpectField::Authn => e.authn.map(Authn::as_str),
            ExpectField::KdcStatus => e.kdc_status.map(KdcStatus::as_str),
        }
    }
}

const LEVELS: [&str; 4] = ["anonymous", "identify", "impersonate", "delegate"];

/// The values `field` may expect, or `None` for any name.
fn allowed(field: ExpectField) -> Option<Vec<&'static str>> {
    fn names<T: Vocabulary>() -> impl Iterator<Item = &'static str> {
        T::ALL.iter().map(|v| v.as_str())
    }
    Some(match field {
        ExpectField::Status => ["ok", "fail"]
            .into_iter()
            .chain(names::<Status>().filter(|s| *s != "ok"))
            .collect(),
        ExpectField::Identity | ExpectField::SeenAs => return None,
        ExpectField::Level | ExpectField::SeenLevel => LEVELS.to_vec(),
        ExpectField::Delegation => names::<DelegationKind>().collect(),
        ExpectField::Authn => names::<Authn>().filter(|a| *a != "default").collect(),
        ExpectField::KdcStatus => names::<KdcStatus>().collect(),
    })
}

/// Whether `field` may expect `want` (`None`: null).
pub(crate) fn accepts(field: ExpectField, want: Option<&str>) -> bool {
    match (want, allowed(field)) {
        (None, _) => field.nullable(),
        (Some(w), None) => !w.trim().is_empty(),
        (Some(w), Some(list)) => list.contains(&w),
    }
}

/// What `field` may expect, for the decoder's message (`expected ..., found 1`).
pub(crate) fn choices(field: ExpectField) -> String {
    let mut list: Vec<String> = match allowed(field) {
        Some(values) => values.iter().map(|v| format!("\"{v}\"")).collect(),
        None => vec!["a name".into()],
    };
    if field.nullable() {
        list.push("null".into());
    }
    let last = list.pop().unwrap_or_default();
    match list.is_empty() {
        true => last,
        false => format!("{} or {last}", list.join(", ")),
    }
}

/// Whether `got` satisfies `want`: `"fail"` is any status but ok; names compare
/// case-insensitively, a bare account name meaning the scenario's domain's (`alice` is
/// `CORP\alice`, `LocalSystem` is `NT AUTHORITY\SYSTEM`).
fn meets(field: ExpectField, want: Option<&str>, got: Option<&str>, domain: &str) -> bool {
    let (Some(want), Some(got)) = (want, got) else {
        return want.is_none() && got.is_none();
    };
    match field {
        ExpectField::Status if want == "fail" => got != "ok",
        ExpectField::Identity | ExpectField::SeenAs if !want.contains('\\') => {
            let builtin = [
                ("LocalSystem", "SYSTEM"),
                ("NetworkService", "NETWORK SERVICE"),
                ("LocalService", "LOCAL SERVICE"),
            ]
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(want));
            let (prefix, name) = match builtin {
                Some((_, shown)) => ("NT AUTHORITY", *shown),
                None => (domain, want),
            };
            got.split_once('\\').is_some_and(|(d, n)| {
                d.eq_ignore_ascii_case(prefix) && n.eq_ignore_ascii_case(name)
            })
        }
        _ => want.eq_ignore_ascii_case(got),
    }
}

/// The expectations of a scenario, checked as its events go by ([`Expectations::observe`]),
/// then read in the order of `expect` ([`Expectations::finish`]).
pub struct Expectations<'s> {
    expect: &'s [(String, Vec<Expect>)],
    domain: &'s str,
    /// Per label (in `expect`'s order), whether its event has been seen.
    seen: Vec<bool>,
    verdicts: Vec<Expectation>,
}

impl<'s> Expectations<'s> {
    pub fn new(s: &'s Scenario) -> Expectations<'s> {
        let verdicts = s
            .expect
            .iter()
            .flat_map(|(label, list)| {
                list.iter().map(move |x| Expectation {
                    label: label.clone(),
                    field: x.field,
                    want: x.want.clone(),
                    got: None,
                    met: false,
                })
            })
            .collect();
        Expectations {
            expect: &s.expect,
            domain: &s.domain,
            seen: vec![false; s.expect.len()],
            verdicts,
        }
    }

    /// Whether there is anything to check (most scenarios have no `expect`).
    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
    }

    /// Takes note of an event: the first non-`return` event of each expected label decides.
    pub fn observe(&mut self, e: &Event) {
        let Some(label) = &e.label else { return };
        if e.action == "return" {
            return;
        }
        let Some(i) = self.expect.iter().position(|(l, _)| l == label) else {
            return;
        };
        if std::mem::replace(&mut self.seen[i], true) {
            return;
        }
        let list = &self.expect[i].1;
        let start: usize = self.expect[..i].iter().map(|(_, x)| x.len()).sum();
        for (x, v) in list.iter().zip(&mut self.verdicts[start..]) {
            let got = x.field.of(e);
            v.met = meets(x.field, x.want.as_deref(), got, self.domain);
            v.got = got.map(str::to_string);
        }
    }

    /// The verdicts, in the order of `expect`; an expectation whose step never ran is unmet.
    pub fn finish(self) -> Vec<Expectation> {
        self.verdicts
    }

    /// The verdicts on a whole list of events.
    pub fn of(s: &'s Scenario, events: &[Event]) -> Vec<Expectation> {
        let mut x = Expectations::new(s);
        if !x.is_empty() {
            events.iter().for_each(|e| x.observe(e));
        }
        x.finish()
    }
}

impl Scenario {
    /// Drops the expectations of labels no step carries any more: the playground calls it after
    /// an edit, so that deleting or relabelling a step does not leave the scenario invalid.
    pub fn forget_lost_expectations(&mut self) {
        if self.expect.is_empty() {
            return;
        }
        // Only the labels `expect` names, in a list: there are a few.
        let mut kept: Vec<bool> = vec![false; self.expect.len()];
        let mut pending = vec![&self.run.steps];
        while let Some(steps) = pending.pop() {
            for step in steps {
                let mut keep = |label: &Option<String>| {
                    if let Some(i) = self
                        .expect
                        .iter()
                        .position(|(l, _)| Some(l) == label.as_ref())
                    {
                        kept[i] = true;
                    }
                };
                keep(&step.label);
                if let super::scenario::Action::Call(call) = &step.action {
                    pending.push(&call.steps);
                    for mw in &call.meanwhile {
                        keep(&mw.label);
                        pending.push(&mw.call.steps);
                    }
                }
            }
        }
        let mut kept = kept.into_iter();
        self.expect.retain(|_| kept.next().unwrap_or(false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_statuses_compare_as_the_spec_says() {
        use ExpectField::*;
        let m = |f, w: &str, g: &str| meets(f, Some(w), Some(g), "CORP");
        assert!(m(Identity, "alice", "CORP\\alice"));
        assert!(m(SeenAs, "ALICE", "corp\\Alice"));
        assert!(m(SeenAs, "corp\\alice", "CORP\\alice"));
        assert!(!m(SeenAs, "alice", "OTHER\\alice"));
        assert!(!m(SeenAs, "alice", "CORP\\alice2"));
        assert!(m(Identity, "LocalSystem", "NT AUTHORITY\\SYSTEM"));
        assert!(m(SeenAs, "APP1$", "CORP\\APP1$"));
        assert!(m(Status, "fail", "E_ACCESSDENIED"));
        assert!(!m(Status, "fail", "ok"));
        assert!(m(Status, "ok", "ok"));
        assert!(!m(Status, "E_FAIL", "E_ACCESSDENIED"));
        assert!(meets(Level, None, None, "CORP"));
        assert!(!meets(Level, None, Some("identify"), "CORP"));
        assert!(!meets(Level, Some("identify"), None, "CORP"));
    }

    #[test]
    fn wants_outside_a_fields_values_say_what_is_allowed() {
        use ExpectField::*;
        assert!(accepts(Status, Some("fail")));
        assert!(accepts(Status, Some("KDC_ERR_BADOPTION")));
        assert!(!accepts(Status, Some("E_ACESSDENIED")));
        assert!(!accepts(Status, None));
        assert!(accepts(Level, Some("delegate")));
        assert!(accepts(Level, None));
        assert!(!accepts(Authn, Some("default")));
        assert!(!accepts(Identity, Some(" ")));
        assert!(accepts(SeenAs, Some("alice")));
        assert_eq!(
            choices(Level),
            "\"anonymous\", \"identify\", \"impersonate\", \"delegate\" or null"
        );
        assert_eq!(
            choices(Authn),
            "\"none\", \"ntlm\", \"kerberos\", \"negotiate\", \"schannel\" or null"
        );
        assert_eq!(choices(Identity), "a name");
        assert_eq!(choices(SeenAs), "a name or null");
        let status = choices(Status);
        assert!(
            status.starts_with("\"ok\", \"fail\", \"E_ACCESSDENIED\", ")
                && status.ends_with(" or \"KDC_ERR_BADOPTION\""),
            "{status}"
        );
    }
}
