//! The data formats of SPEC §2 and §3: scenarios in, outcomes out.
//!
//! - [`scenario`]: the typed scenario; [`decode`] reads it from JSON with path-named problems,
//!   [`validate`] checks its references and makes it a [`Checked`] scenario, the only kind the
//!   engine simulates; `encode` writes it back.
//! - [`outcome`]: the outcome of a simulation, serialized exactly as SPEC §3 says, with the
//!   verdicts on the scenario's [`expect`]ations (SPEC §8.1).

mod checked;
pub mod decode;
mod encode;
pub mod enums;
pub mod expect;
#[cfg(feature = "fast-read")]
mod fast;
pub mod json;
pub mod outcome;
pub mod path;
mod reread;
pub mod scenario;
pub mod validate;

pub use checked::Checked;
pub use enums::*;
pub use expect::{Expect, Expectation};
pub use outcome::*;
#[doc(hidden)]
pub use reread::reads_back_unchanged;
pub use scenario::*;
