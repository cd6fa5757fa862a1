//! The sequence diagram as data (issue #13): where every lane, arrow, token bar, pill and label
//! goes, computed here from an outcome and a text-width function, so that the playground, the
//! CLI (`impsim render FILE --svg`) and the tests draw and check the same picture.
//!
//! - [`Lanes::of`]: the lifelines, a lane per process grouped by machine (a machine without
//!   processes gets one lane for its objects).
//! - [`layout`]: a [`Layout`] of events over lanes, with a [`Measure`] of text widths ([`Builtin`]
//!   outside a browser). Lanes are as wide as what they carry, every label is whole, and no text
//!   box overlaps another text box, a token bar or an arrow head.
//! - [`svg`]: a layout as SVG, standalone or in pieces for the playground.
//! - [`text`]: how events read (summaries, colour classes), shared with the playground's lists.
//!
//! ```
//! use impersonation_core::diagram;
//! let scenario = impersonation_core::parse(impersonation_core::presets::PRESETS[0].json).unwrap();
//! let svg = diagram::svg_of(&scenario, &impersonation_core::simulate(&scenario), &diagram::svg::Theme::LIGHT);
//! assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
//! ```

mod layout;
pub mod svg;
pub mod text;
mod widths;

pub use layout::{
    layout, Bar, Head, Label, Lane, LaneBox, Lanes, Layout, Line, MachineBox, Pill, Rect, Row,
    ASCENT, DESCENT,
};
pub use widths::{Builtin, Font, Measure, FONT_SIZE};

use crate::{Outcome, Scenario};

/// The standalone SVG of a scenario's outcome, measured with [`Builtin`]: what `impsim render
/// FILE --svg` writes and what the playground exports.
pub fn svg_of(scenario: &Scenario, outcome: &Outcome, theme: &svg::Theme) -> String {
    let lanes = Lanes::of(scenario);
    svg::render(
        &layout(&outcome.events, &lanes, &Builtin),
        theme,
        &lanes.title,
    )
}
