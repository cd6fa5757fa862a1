//! The JavaScript API (SPEC §5, §8.4): `simulate`, `validate`, `presets`, `rule`, `review`, `fixes`, with
//! TypeScript types for every value that crosses the boundary.
//!
//! A scenario may be given as an object or as JSON text. Objects are turned into text with the
//! engine's own `JSON.stringify`, whose depth limits throw catchable errors, and then read by the
//! same depth-checked decoder as the CLI: no input can exhaust the wasm stack. Outcomes go back as
//! plain objects through serde-wasm-bindgen, with no JSON text on the way out.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::rules::Coverage;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A scenario, format "impersonation-scenario/1" (SPEC §2). */
export interface Scenario {
  format: "impersonation-scenario/1";
  title: string;
  description?: string;
  domain?: string;
  options?: Partial<Record<
    | "provider_bumps_to_impersonate" | "remote_pipe_level_from_server_account"
    | "com_fails_on_delegate_failure" | "static_tracking_at_first_call"
    | "everyone_includes_anonymous" | "traditional_nesting", boolean>>;
  machines: string[];
  /** Machines that are domain controllers (SPEC §7.4). */
  domain_controllers?: string[];
  accounts?: Record<string, Account>;
  processes: Record<string, Process>;
  resources?: Record<string, Resource>;
  run: { process: string; steps?: Step[] };
  /** Expectations by step label (SPEC §8.1): `impsim run` exits 3 when one is unmet. */
  expect?: Record<string, Partial<Record<ExpectField, string | null>>>;
}
export type ExpectField =
  | "status" | "identity" | "level" | "seen_as" | "seen_level" | "delegation" | "authn" | "kdc_status";
/** The verdict on one expected value: `got` is null when the step never ran. */
export interface Expectation {
  label: string; field: ExpectField; want: string | null; got: string | null; met: boolean;
}
export type Delegation = "none" | "unconstrained" | { constrained: string[]; any_protocol?: boolean };
export interface Account {
  spns?: string[]; delegation?: Delegation; allowed_to_act?: string[];
  sensitive?: boolean; protected_users?: boolean;
  /** A member of Domain Admins or another privileged group (SPEC §7.4). */
  admin?: boolean;
}
export type AuthnLevel = "default" | "none" | "connect" | "call" | "pkt" | "pkt_integrity" | "pkt_privacy";
export type ImpLevel = "default" | "anonymous" | "identify" | "impersonate" | "delegate";
export type Cloaking = "none" | "static" | "dynamic";
export type Authn = "default" | "none" | "ntlm" | "kerberos" | "negotiate" | "schannel";
export interface Process {
  machine: string; account: string; kind?: "service" | "user";
  com?: { authn_level?: Exclude<AuthnLevel, "default">; imp_level?: Exclude<ImpLevel, "default">; cloaking?: Cloaking };
  threading?: "sta" | "mta";
}
export interface Resource { machine: string; allow: string[]; spn?: string }
export interface CallFields {
  api?: "com" | "rpc" | "pipe"; transport?: "ncalrpc" | "ncacn_ip_tcp" | "ncacn_np";
  authn?: Authn; authn_level?: AuthnLevel; imp_level?: ImpLevel; mutual_auth?: boolean;
  spn?: string; cloaking?: Cloaking; tracking?: "static" | "dynamic";
  ignore_delegate_failure?: boolean; proxy?: string; steps?: Step[];
  meanwhile?: (CallFields & { from: string; label?: string })[];
}
export type Step = { label?: string } & (
  | ({ do: "call"; to: string } & CallFields)
  | { do: "impersonate" } | { do: "revert" } | { do: "whoami" }
  | { do: "logon_user"; account: string }
  | { do: "set_blanket"; proxy: string; authn?: Authn; authn_level?: AuthnLevel; imp_level?: ImpLevel; cloaking?: Cloaking }
  | { do: "access"; resource: string } | { do: "access_check"; resource: string }
  | { do: "open_thread_token"; as_self?: boolean }
  | { do: "duplicate_token"; level: "identify" | "impersonate" | "delegate" | "primary" });

export type TokenLevel = "anonymous" | "identify" | "impersonate" | "delegate";
/** One executed step, or the "return" of a completed call (SPEC §3). */
export interface Event {
  step: string; label: string | null; do: string; process: string;
  status: string; identity: string; level: TokenLevel | null;
  rules: string[]; explain: string;
  to?: string; authn?: string; authn_level?: string;
  seen_as?: string | null; seen_level?: TokenLevel | null;
  delegation?: "none" | "local" | "unconstrained" | "constrained" | "rbcd" | "credentials";
  kdc_status?: string;
}
/** The outcome, format "impersonation-outcome/1" (SPEC §3). */
export interface Outcome {
  format: "impersonation-outcome/1"; events: Event[];
  /** Present when the scenario has `expect`, in its order. */
  expectations?: Expectation[];
}
/** A validation problem: a JSON path such as "run.steps[0].to" and what is wrong. */
export interface Problem { path: string; message: string }
export interface Preset { id: string; title: string; description: string | null; scenario: Scenario }
export interface Source { id: string; title: string; url: string }
export interface Rule {
  id: string; title: string; text: string; sources: Source[];
  /** false for rules the simulator does not model; `not_simulated` says why. */
  simulated: boolean; not_simulated?: string;
}
export type Severity = "high" | "medium" | "low" | "info";
/** A finding of the security review (SPEC §8.3): `id` is its catalogue entry, `rule(id)`. */
export interface Finding {
  id: string; severity: Severity;
  /** The account, process or step path it is about. */
  subject: string;
  title: string; explain: string; sources: Source[];
  /** The change that removes it, with its command. */
  fix: string;
}
/** The security review, format "impersonation-review/1": most severe findings first. */
export interface Review { format: "impersonation-review/1"; findings: Finding[] }
/** One change of a proposal: the scenario path it edits, its value before and after, and the
 * commands that make it in the real world (`shell`: "powershell", "cmd" or "c" for code). */
export interface Change {
  kind: string; tier: number; approver: string; path: string; before: unknown; after: unknown;
  sentence: string; commands: { shell: "powershell" | "cmd" | "c"; text: string }[];
}
/** A smallest set of changes after which every expectation is met. */
export interface Proposal {
  changes: Change[]; expectations: Expectation[];
  findings_added: Finding[]; findings_removed: Finding[]; outcome: Outcome;
}
/** The fix finder's answer (SPEC §8.2), format "impersonation-fixes/1": safest first. */
export interface Fixes { format: "impersonation-fixes/1"; proposals: Proposal[]; explain: string }
export interface FixOptions { maxChanges?: number; maxProposals?: number }
"#;

/// A scenario given as an object or as JSON text, as text.
fn scenario_text(scenario: &JsValue) -> Result<String, crate::Error> {
    if let Some(s) = scenario.as_string() {
        return Ok(s);
    }
    match js_sys::JSON::stringify(scenario) {
        Ok(s) => s.as_string().ok_or_else(|| {
            crate::Error::syntax(crate::Problem::new(
                "$",
                "expected a scenario object or JSON text",
            ))
        }),
        Err(e) => {
            // Engines may explain over several lines (V8 draws a cycle); keep the first, so that
            // every line of the thrown message stays one `path: message` problem.
            let why = String::from(js_sys::Error::from(e).message());
            let why = why.lines().next().unwrap_or("").trim_end();
            Err(crate::Error::syntax(crate::Problem::new(
                "$",
                format!("the scenario cannot be turned into JSON: {why}"),
            )))
        }
    }
}

/// A scenario read and checked, or the `Error` that lists its problems.
fn checked(scenario: &JsValue) -> Result<crate::Checked, JsError> {
    let text = scenario_text(scenario).map_err(|e| JsError::new(&e.to_string()))?;
    crate::parse(&text).map_err(|e| JsError::new(&e.to_string()))
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Simulates a scenario and returns its outcome. Throws an `Error` whose message lists every
/// validation problem, one `path: message` line each.
#[wasm_bindgen(unchecked_return_type = "Outcome")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
) -> Result<JsValue, JsError> {
    let text = scenario_text(&scenario).map_err(|e| JsError::new(&e.to_string()))?;
    let outcome = crate::run_json(&text).map_err(|e| JsError::new(&e.to_string()))?;
    drop(text);
    if let Some(built) = outcome_js::build(&outcome) {
        return Ok(built);
    }
    // One JSON text handed to the engine's native JSON.parse builds the objects about twice as
    // fast as creating them field by field across the wasm boundary (bench/wasm.mjs).
    let json = outcome.to_json_string();
    drop(outcome);
    js_sys::JSON::parse(&json)
        .map_err(|_| JsError::new("$: internal error: the outcome is not JSON"))
}

/// [`outcome_js::build`], for `tests/wasm_outcome.rs`.
#[doc(hidden)]
pub fn outcome_js_for_tests(outcome: &crate::Outcome) -> Option<JsValue> {
    outcome_js::build(outcome)
}

/// The outcome as JavaScript objects, built by a small JavaScript function from a table of the
/// distinct strings and one row of numbers per event (issue #6: JSON.parse of the outcome text
/// took over a third of `simulate`; the events repeat the same few names, levels, rule IDs and
/// explanations, which the table holds once). The objects are what JSON.parse of
/// `outcome.to_json_string()` gives: the same fields in the same order, absent fields absent
/// (`tests/wasm_outcome.rs` compares the two). The few `expectations` go through serde.
///
/// The function is made with the `Function` constructor; where that is not allowed (a page's
/// Content-Security-Policy without 'unsafe-eval'), `build` returns `None` and the caller uses
/// JSON.parse.
pub(crate) mod outcome_js {
    use std::collections::HashMap;
    use std::hash::{BuildHasherDefault, Hasher};

    use wasm_bindgen::prelude::*;

    use crate::model::{Event, Outcome, Vocabulary};

    /// Numbers per event: the string index of each field in this order, then where its rules
    /// start in the rules array and how many there are.
    const ROW: usize = 17;
    /// An absent optional field.
    const ABSENT: u32 = u32::MAX;
    /// A field present with the value null.
    const NULL: u32 = u32::MAX - 1;

    const BUILD: &str = r#"
const strs = [];
for (let i = 0; i + 1 < offsets.length; i++) strs.push(text.slice(offsets[i], offsets[i + 1]));
const ABSENT = 0xffffffff, NULL = 0xfffffffe;
const str = (v) => (v === NULL ? null : strs[v]);
const events = [];
for (let r = 0; r < rows.length; r += 17) {
  const rulesAt = rows[r + 8], rulesLen = rows[r + 9];
  const list = [];
  for (let j = 0; j < rulesLen; j++) list.push(strs[rules[rulesAt + j]]);
  const e = {
    step: strs[rows[r]], label: str(rows[r + 1]), do: strs[rows[r + 2]],
    process: strs[rows[r + 3]], status: strs[rows[r + 4]], identity: strs[rows[r + 5]],
    level: str(rows[r + 6]), rules: list, explain: strs[rows[r + 7]],
  };
  let v;
  if ((v = rows[r + 10]) !== ABSENT) e.to = str(v);
  if ((v = rows[r + 11]) !== ABSENT) e.authn = str(v);
  if ((v = rows[r + 12]) !== ABSENT) e.authn_level = str(v);
  if ((v = rows[r + 13]) !== ABSENT) e.seen_as = str(v);
  if ((v = rows[r + 14]) !== ABSENT) e.seen_level = str(v);
  if ((v = rows[r + 15]) !== ABSENT) e.delegation = str(v);
  if ((v = rows[r + 16]) !== ABSENT) e.kdc_status = str(v);
  events.push(e);
}
return { format, events };
"#;

    thread_local! {
        static BUILDER: Option<js_sys::Function> = make_builder();
    }

    fn make_builder() -> Option<js_sys::Function> {
        let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"Function".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let args = js_sys::Array::of2(&"format, text, offsets, rows, rules".into(), &BUILD.into());
        js_sys::Reflect::construct(&ctor, &args)
            .ok()?
            .dyn_into()
            .ok()
    }

    /// FxHash's mixing: the table's keys are short or few, and SipHash would cost more than
    /// building the objects.
    #[derive(Default)]
    struct Fx(u64);

    impl Hasher for Fx {
        fn write(&mut self, bytes: &[u8]) {
            let mut chunks = bytes.chunks_exact(8);
            for c in &mut chunks {
                let word = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
                self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            }
            for &b in chunks.remainder() {
                self.0 =
                    (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            }
        }
        fn finish(&self) -> u64 {
            self.0
        }
    }

    /// The distinct strings, concatenated, with their UTF-16 offsets (JavaScript's `slice`).
    struct Table<'o> {
        index: HashMap<&'o str, u32, BuildHasherDefault<Fx>>,
        text: String,
        offsets: Vec<u32>,
        utf16_len: u32,
    }

    impl<'o> Table<'o> {
        fn push(&mut self, s: &str) -> u32 {
            self.text.push_str(s);
            self.utf16_len += if s.is_ascii() {
                s.len() as u32
            } else {
                s.encode_utf16().count() as u32
            };
            self.offsets.push(self.utf16_len);
            (self.offsets.len() - 2) as u32
        }

        /// A string that recurs (names, levels, rule IDs, explanations): stored once.
        fn shared(&mut self, s: &'o str) -> u32 {
            if let Some(&i) = self.index.get(s) {
                return i;
            }
            let i = self.push(s);
            self.index.insert(s, i);
            i
        }

        fn opt(&mut self, s: Option<&'o str>) -> u32 {
            s.map_or(NULL, |s| self.shared(s))
        }
    }

    pub(crate) fn build(outcome: &Outcome) -> Option<JsValue> {
        let builder = BUILDER.with(|b| b.clone())?;
        let n = outcome.events.len();
        let mut t = Table {
            index: HashMap::default(),
            text: String::new(),
            offsets: vec![0],
            utf16_len: 0,
        };
        let mut rows: Vec<u32> = Vec::with_capacity(n * ROW);
        let mut rules: Vec<u32> = Vec::with_capacity(n * 4);
        for e in &outcome.events {
            row(&mut t, &mut rows, &mut rules, e);
        }
        let args = js_sys::Array::new();
        args.push(&JsValue::from_str(outcome.format));
        args.push(&JsValue::from_str(&t.text));
        drop(t.text);
        args.push(&js_sys::Uint32Array::from(&t.offsets[..]));
        args.push(&js_sys::Uint32Array::from(&rows[..]));
        drop(rows);
        args.push(&js_sys::Uint32Array::from(&rules[..]));
        let built = builder.apply(&JsValue::NULL, &args).ok()?;
        if !outcome.expectations.is_empty() {
            let verdicts = super::to_js(&outcome.expectations);
            js_sys::Reflect::set(&built, &JsValue::from_str("expectations"), &verdicts).ok()?;
        }
        Some(built)
    }

    fn row<'o>(t: &mut Table<'o>, rows: &mut Vec<u32>, rules: &mut Vec<u32>, e: &'o Event) {
        // A step path is (nearly) unique: stored without looking it up.
        let step = t.push(&e.step);
        let label = match &e.label {
            Some(l) => t.push(l),
            None => NULL,
        };
        let action = t.shared(e.action);
        let process = t.shared(&e.process);
        let status = t.shared(e.status.as_str());
        let identity = t.shared(&e.identity);
        let level = t.opt(e.level.map(|l| l.as_str()));
        let explain = t.shared(&e.explain);
        let rules_at = rules.len() as u32;
        for r in &e.rules {
            let i = t.shared(r.as_str());
            rules.push(i);
        }
        let present = |t: &mut Table<'o>, v: Option<&'o str>| v.map_or(ABSENT, |s| t.shared(s));
        let to = present(t, e.to.as_deref());
        let authn = present(t, e.authn.map(|a| a.as_str()));
        let authn_level = present(t, e.authn_level.map(|l| l.as_str()));
        let seen_as = match &e.seen_as {
            None => ABSENT,
            Some(v) => t.opt(v.as_deref()),
        };
        let seen_level = match e.seen_level {
            None => ABSENT,
            Some(v) => t.opt(v.map(|l| l.as_str())),
        };
        let delegation = present(t, e.delegation.map(|d| d.as_str()));
        let kdc_status = present(t, e.kdc_status.map(|k| k.as_str()));
        rows.extend_from_slice(&[
            step,
            label,
            action,
            process,
            status,
            identity,
            level,
            explain,
            rules_at,
            e.rules.len() as u32,
            to,
            authn,
            authn_level,
            seen_as,
            seen_level,
            delegation,
            kdc_status,
        ]);
    }
}

#[derive(Serialize)]
struct ProblemJs<'a> {
    path: &'a str,
    message: &'a str,
}

/// Every problem of a scenario (an empty array when it is valid).
#[wasm_bindgen(unchecked_return_type = "Problem[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
) -> JsValue {
    let problems = match scenario_text(&scenario) {
        Ok(text) => crate::validate(&text),
        Err(e) => e.problems().to_vec(),
    };
    let list: Vec<ProblemJs> = problems
        .iter()
        .map(|p| ProblemJs {
            path: p.path(),
            message: p.message(),
        })
        .collect();
    to_js(&list)
}

/// The example scenarios: `[{id, title, description, scenario}]`.
#[wasm_bindgen(unchecked_return_type = "Preset[]")]
pub fn presets() -> JsValue {
    let list = js_sys::Array::new();
    for p in crate::presets::PRESETS {
        let Ok(parsed) = crate::parse(p.json) else {
            continue;
        };
        let entry = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = js_sys::Reflect::set(&entry, &JsValue::from_str(k), v);
        };
        set("id", &JsValue::from_str(p.id));
        set("title", &JsValue::from_str(&parsed.title));
        set(
            "description",
            &parsed
                .description
                .as_deref()
                .map(JsValue::from_str)
                .unwrap_or(JsValue::NULL),
        );
        set(
            "scenario",
            &js_sys::JSON::parse(p.json).unwrap_or(JsValue::NULL),
        );
        list.push(&entry);
    }
    list.into()
}

/// The security review of a scenario (SPEC §8.3, §8.4): what its delegation settings, SPNs,
/// accounts and run expose. Throws like `simulate` for an invalid scenario.
#[wasm_bindgen(unchecked_return_type = "Review")]
pub fn review(
    #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
) -> Result<JsValue, JsError> {
    Ok(to_js(&crate::review::review(&checked(&scenario)?)))
}

#[wasm_bindgen]
extern "C" {
    /// `{maxChanges, maxProposals}`, typed by the TypeScript section above.
    #[wasm_bindgen(typescript_type = "FixOptions")]
    pub type FixOptions;
}

/// The fix finder (SPEC §8.2): the smallest sets of changes after which every expectation of
/// the scenario is met, safest first. Throws like `simulate` for an invalid scenario.
#[wasm_bindgen(unchecked_return_type = "Fixes")]
pub fn fixes(
    #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
    options: Option<FixOptions>,
) -> Result<JsValue, JsError> {
    let checked = checked(&scenario)?;
    let mut limits = crate::fix::Limits::default();
    for (key, slot) in [
        ("maxChanges", &mut limits.max_changes),
        ("maxProposals", &mut limits.max_proposals),
    ] {
        let Some(options) = &options else { break };
        let v = js_sys::Reflect::get(options, &JsValue::from_str(key)).unwrap_or_default();
        if let Some(n) = v.as_f64() {
            if !((1.0..=10.0).contains(&n) && n.fract() == 0.0) {
                return Err(JsError::new(&format!(
                    "options.{key}: expected a whole number from 1 to 10, found {n}"
                )));
            }
            *slot = n as usize;
        }
    }
    Ok(to_js(&crate::fix::find(&checked, limits)))
}

#[derive(Serialize)]
struct SourceJs {
    id: &'static str,
    title: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct RuleJs {
    id: &'static str,
    title: &'static str,
    text: &'static str,
    sources: Vec<SourceJs>,
    simulated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_simulated: Option<&'static str>,
}

/// A rule of the catalogue (`{id, title, text, sources}`), or `undefined` for an unknown ID.
#[wasm_bindgen(unchecked_return_type = "Rule | undefined")]
pub fn rule(id: &str) -> JsValue {
    let Some(r) = crate::rules::get(id) else {
        return JsValue::UNDEFINED;
    };
    let (simulated, not_simulated) = match r.coverage {
        Coverage::Simulated => (true, None),
        Coverage::NotSimulated(why) => (false, Some(why)),
    };
    to_js(&RuleJs {
        id: r.id,
        title: r.title,
        text: r.text,
        sources: r
            .source_list()
            .map(|s| SourceJs {
                id: s.id,
                title: s.title,
                url: s.url,
            })
            .collect(),
        simulated,
        not_simulated,
    })
}
