//! A scenario that passed validation: the only input the engine accepts.

use std::ops::Deref;

use super::scenario::{Options, Scenario};
use crate::error::Error;

/// A valid scenario: every process, machine, account, resource and proxy it names is declared
/// (see [`super::validate`]), so the engine's look-ups cannot fail. [`crate::parse`] gives one
/// from JSON text, [`Checked::new`] from a scenario built in code; it reads as a [`Scenario`]
/// (`Deref`) but cannot be changed except in ways that keep it valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked(Scenario);

impl Checked {
    /// Validates a scenario built in code: every problem, each with its JSON path, when it is
    /// not valid.
    pub fn new(scenario: Scenario) -> Result<Checked, Error> {
        let problems = super::validate::validate(&scenario);
        if problems.is_empty() {
            Ok(Checked(scenario))
        } else {
            Err(Error::invalid(problems))
        }
    }

    /// The scenario, to edit it (it must then be checked again).
    pub fn into_inner(self) -> Scenario {
        self.0
    }

    /// The same scenario under other options (options never make a scenario invalid).
    pub fn with_options(mut self, options: Options) -> Checked {
        self.0.options = options;
        self
    }
}

impl Deref for Checked {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.0
    }
}

impl AsRef<Scenario> for Checked {
    fn as_ref(&self) -> &Scenario {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_valid_scenario_is_checked() {
        let blank = Scenario::blank();
        let checked = Checked::new(blank.clone()).expect("the blank scenario is valid");
        assert_eq!(*checked, blank);
        let mut wrong = blank;
        wrong.run.process = "nobody".into();
        let e = Checked::new(wrong).unwrap_err();
        assert_eq!(
            e.to_string(),
            "run.process: unknown process \"nobody\"; the processes are: client"
        );
    }

    #[test]
    fn options_keep_a_scenario_checked() {
        let checked = Checked::new(Scenario::blank()).unwrap();
        let options = Options {
            traditional_nesting: true,
            ..Options::default()
        };
        let other = checked.clone().with_options(options);
        assert!(other.options.traditional_nesting);
        assert_eq!(other.into_inner().run, checked.into_inner().run);
    }
}
