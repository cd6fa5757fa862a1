//! Any bytes as a scenario: UTF-8 → `parse` (decode + validate) → if valid, `simulate`, and
//! serialize the outcome and the readable trace. Nothing may panic, overflow the stack or hang.
//!
//! Beyond "no crash", a few properties that must hold for every input:
//! - an error has at least one problem, each with a non-empty path and message;
//! - a valid scenario passes `check`, and its own encoding reads back to the same scenario;
//! - the outcome has one event per executed step plus one `return` per completed call, so it
//!   is never empty when the run has steps.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match impersonation_core::parse(text) {
        Err(e) => {
            assert!(!e.problems().is_empty(), "an error without problems");
            for p in e.problems() {
                assert!(!p.path().is_empty(), "a problem without a path: {p}");
                assert!(!p.message().is_empty(), "a problem without a message: {p}");
            }
            let _ = e.to_string();
        }
        Ok(scenario) => {
            assert!(
                impersonation_core::check(&scenario).is_empty(),
                "a parsed scenario fails check: {:?}",
                impersonation_core::check(&scenario)
            );
            let outcome = impersonation_core::simulate(&scenario);
            if !scenario.run.steps.is_empty() {
                assert!(!outcome.events.is_empty(), "steps but no events");
            }
            let json = serde_json::to_string(&outcome).expect("the outcome serializes");
            assert!(json.starts_with("{\"format\":\"impersonation-outcome/1\""));
            let _ = impersonation_core::text::render(&scenario, &outcome);
            let again = impersonation_core::parse(&scenario.to_json_string())
                .expect("a valid scenario's own encoding reads back");
            assert_eq!(again, scenario, "the encoding does not round-trip");
        }
    }
});
