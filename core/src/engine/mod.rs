//! The simulation engine.
use crate::model::{Outcome, Scenario, OUTCOME_FORMAT};

pub fn simulate(_s: &Scenario) -> Outcome {
    Outcome { format: OUTCOME_FORMAT, events: Vec::new() }
}
