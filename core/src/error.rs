//! The one public error type: an invalid or unreadable scenario.
//!
//! Like `semver::Error`, it is opaque over a private kind; callers read its problems, each a JSON
//! path and a sentence, and its `Display` prints one `path: message` line per problem.

use std::fmt;

/// One thing wrong with a scenario, at a JSON path such as `run.steps[2].to`
/// (`$` is the whole document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    path: String,
    message: String,
}

impl Problem {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        let path = path.into();
        Problem {
            path: if path.is_empty() { "$".into() } else { path },
            message: message.into(),
        }
    }
    /// The JSON path of the offending value (`$` for the whole document).
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What is wrong, in one sentence.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    /// Not JSON, too deep or too large to read.
    Syntax,
    /// JSON, but not a valid scenario.
    Invalid,
}

/// Why a scenario could not be simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    problems: Vec<Problem>,
}

impl Error {
    pub(crate) fn syntax(problem: Problem) -> Error {
        Error {
            kind: ErrorKind::Syntax,
            problems: vec![problem],
        }
    }
    pub(crate) fn invalid(problems: Vec<Problem>) -> Error {
        debug_assert!(!problems.is_empty());
        Error {
            kind: ErrorKind::Invalid,
            problems,
        }
    }
    /// Every problem found. Reading problems come object by object in document order (within
    /// one object: unknown and duplicate fields first, then the fields in the format's order);
    /// reference problems follow, each section (machines, accounts, processes, resources, steps)
    /// in document order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
    /// True when the input was not readable JSON at all (or exceeded a reading limit).
    pub fn is_syntax(&self) -> bool {
        self.kind == ErrorKind::Syntax
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
