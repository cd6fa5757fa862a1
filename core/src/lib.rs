//! Impersonation Playground's engine: simulates how Windows hands a client's identity from
//! server to server (COM and RPC impersonation levels, cloaking, Kerberos delegation, the
//! ncalrpc one-hop exception, token save and restore across nested calls).
//!
//! Layout, by architecture:
//! - [`model`]: the scenario and outcome formats (SPEC §2, §3): decode, validate, encode.
//! - [`engine`]: the simulation, one module per rule family of rules.md (grep a rule such as
//!   `RuleId::Kd4` to find the code that applies it).
//! - [`rules`]: the rule catalogue: every rule ID with its title, text and sources.
//! - [`presets`]: the example scenarios shipped with the playground.
//! - [`fix`]: the fix finder's change catalogue (SPEC §8.2).
//! - [`review`]: the security review (SPEC §8.3), findings SR-1.. of the catalogue.
//! - [`diagram`]: the sequence diagram's layout (lanes, rows, labels with coordinates) and SVG.
//! - `bindings`: the wasm-bindgen JavaScript API (SPEC §5), on wasm32 only.
//! - `text`: the readable trace of `impsim run --text`.

pub mod diagram;
pub mod engine;
mod error;
pub mod explain;
pub mod fix;
pub mod link;
pub mod model;
pub mod presets;
pub mod review;
pub mod rules;
pub mod synthetic;
pub mod text;

#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod bindings;

pub use error::{Error, Problem};
pub use model::{Checked, Event, Outcome, Scenario};

/// Reads a scenario from JSON text, checking it completely (SPEC §2): a [`Checked`] scenario,
/// ready for [`simulate`] (`into_inner` to edit it).
pub fn parse(text: &str) -> Result<Checked, Error> {
    model::decode::from_json_str(text)
}

/// Every problem of a scenario in JSON text (empty when it is valid).
pub fn validate(text: &str) -> Vec<Problem> {
    match parse(text) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().to_vec(),
    }
}

/// Checks a typed scenario's references (for scenarios built in code, such as the
/// playground's): every problem, empty when valid. [`Checked::new`] checks and, when valid,
/// gives the scenario [`simulate`] takes.
pub fn check(scenario: &Scenario) -> Vec<Problem> {
    model::validate::validate(scenario)
}

/// Simulates a checked scenario.
pub fn simulate(scenario: &Checked) -> Outcome {
    engine::simulate(scenario)
}

/// Simulates a checked scenario, handing each event to `sink` as soon as it is final.
pub fn simulate_streaming(scenario: &Checked, sink: &mut dyn FnMut(Event)) {
    engine::simulate_streaming(scenario, sink)
}

/// Simulates a checked scenario, handing the events in order in batches of about `batch`:
/// `sink` takes them out of the Vec it is given (with `std::mem::take` or a swap), which saves
/// moving each event (the CLI's writer); whatever it leaves there is dropped.
pub fn simulate_batches(scenario: &Checked, batch: usize, sink: &mut dyn FnMut(&mut Vec<Event>)) {
    engine::simulate_batches(scenario, batch, sink)
}

/// Parses, validates and simulates JSON text.
pub fn run_json(text: &str) -> Result<Outcome, Error> {
    parse(text).map(|s| simulate(&s))
}
