//! The JavaScript API (SPEC §5): `simulate`, `validate`, `presets`, `rule`, with TypeScript
//! types for every value that crosses the boundary.
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
  accounts?: Record<string, Account>;
  processes: Record<string, Process>;
  resources?: Record<string, Resource>;
  run: { process: string; steps?: Step[] };
}
export type Delegation = "none" | "unconstrained" | { constrained: string[]; any_protocol?: boolean };
export interface Account {
  spns?: string[]; delegation?: Delegation; allowed_to_act?: string[];
  sensitive?: boolean; protected_users?: boolean;
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
export interface Outcome { format: "impersonation-outcome/1"; events: Event[] }
/** A validation problem: a JSON path such as "run.steps[0].to" and what is wrong. */
export interface Problem { path: string; message: string }
export interface Preset { id: string; title: string; description: string | null; scenario: Scenario }
export interface Source { id: string; title: string; url: string }
export interface Rule {
  id: string; title: string; text: string; sources: Source[];
  /** false for rules the simulator does not model; `not_simulated` says why. */
  simulated: boolean; not_simulated?: string;
}
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
    // One JSON text handed to the engine's native JSON.parse builds the objects about twice as
    // fast as creating them field by field across the wasm boundary (bench/wasm.mjs).
    let json = outcome.to_json_string();
    drop(outcome);
    js_sys::JSON::parse(&json)
        .map_err(|_| JsError::new("$: internal error: the outcome is not JSON"))
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
