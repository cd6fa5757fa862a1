//! The data formats of SPEC §2 and §3: scenarios in, outcomes out.
//!
//! - [`scenario`]: the typed scenario; [`schema`], the step schema every reader and writer of
//!   steps goes through, and [`cast`], the cast's; `read` picks the reader (the fast one, then [`decode`], which reads the
//!   JSON tree with path-named problems); [`validate`] checks references and makes it a
//!   [`Checked`] scenario, the only kind the engine simulates; `encode` writes it back; [`path`]
//!   spells JSON paths and holds the typed step path.
//! - [`outcome`]: the outcome of a simulation, serialized exactly as SPEC §3 says, with the
//!   verdicts on the scenario's [`expect`]ations (SPEC §8.1).

pub mod cast;
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
mod read;
mod reread;
pub mod scenario;
pub mod schema;
pub mod validate;

pub use checked::Checked;
pub use enums::*;
pub use expect::{Expect, Expectation};
pub use outcome::*;
#[doc(hidden)]
pub use reread::reads_back_unchanged;
pub use scenario::*;
