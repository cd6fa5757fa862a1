//! How outcome values read on screen: short names, summaries, the colour class of an event.
//! The core writes them (`impersonation_core::diagram::text`), so that the diagram, the CLI's
//! picture and the playground's lists say the same.

pub use impersonation_core::diagram::text::*;
