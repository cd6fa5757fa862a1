//! The outcome, format `impersonation-outcome/1` (SPEC §3).
//!
//! [`Event`] serializes to exactly the fields SPEC §3 names. What the playground needs beyond
//! that (nesting depth, thread, machines) sits in [`EventDetail`], which is never serialized.

use serde::Serialize;

use super::enums::{Authn, AuthnLevel, DelegationKind, KdcStatus, Status, TokenLevel};

/// The exact value of the outcome's `format` field.
pub const OUTCOME_FORMAT: &str = "impersonation-outcome/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub format: &'static str,
    pub events: Vec<Event>,
    /// The verdicts on the scenario's `expect` (SPEC §8.1), in its order; absent without one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<super::expect::Expectation>,
}

/// One executed step, or the `return` of a completed call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The step's path, e.g. `run.steps[0].meanwhile[0].steps[1]`.
    pub step: String,
    pub label: Option<String>,
    /// The step's `do`, or `return`.
    #[serde(rename = "do")]
    pub action: &'static str,
    /// The process whose thread ran the step (for `call`, the caller).
    pub process: String,
    /// `ok` or a Windows error name.
    pub status: Status,
    /// The thread's effective identity after the step, as a display name.
    pub identity: String,
    /// `None` while the thread runs on its process token.
    pub level: Option<TokenLevel>,
    /// The IDs of the rules that decided the step.
    pub rules: Vec<crate::rules::RuleId>,
    /// One or two plain sentences.
    pub explain: String,

    /// `call`: the callee process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `call`: the security package actually used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn: Option<Authn>,
    /// `call`: the effective authentication level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_level: Option<AuthnLevel>,
    /// `call` and remote `access`: whom the callee authenticated (`Some(None)`: nobody, the
    /// call failed first). `None`: the field is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_as: Option<Option<String>>,
    /// `call`: the level the callee's token would have on impersonation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_level: Option<Option<TokenLevel>>,
    /// `call`: how the callee came to see the identity it sees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegation: Option<DelegationKind>,
    /// `KDC_ERR_BADOPTION` events: the NTSTATUS the KDC gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kdc_status: Option<KdcStatus>,

    /// The setting that decides a failed or anonymous event (often others too), for a link
    /// from the explanation to the editor. Not part of the outcome format.
    #[serde(skip)]
    pub setting: Option<crate::explain::Setting>,

    #[serde(skip)]
    pub detail: EventDetail,
}

/// What the playground draws that the outcome format does not carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventDetail {
    /// Nesting: 0 for `run` steps, +1 inside each call.
    pub depth: u32,
    /// The thread that ran the step: a number unique within the simulation.
    pub thread: u32,
    /// For calls: the callee's thread (serving the call), when the call went through.
    pub callee_thread: Option<u32>,
    /// For calls: true when the call was served nested on a waiting STA thread (CO-3).
    pub nested: bool,
    /// For remote `access`: the machine reached.
    pub remote_machine: Option<String>,
}

impl Outcome {
    /// The outcome as compact JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// The outcome as pretty JSON text.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
    /// Whether an expectation is unmet (`impsim run` then exits 3).
    pub fn unmet(&self) -> bool {
        self.expectations.iter().any(|x| !x.met)
    }
    /// The first event whose label is `label`.
    pub fn by_label(&self, label: &str) -> Option<&Event> {
        self.events
            .iter()
            .find(|e| e.label.as_deref() == Some(label) && e.action != "return")
    }
}
