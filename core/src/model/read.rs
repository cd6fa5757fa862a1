//! Choosing the reader. [`from_json_str`] (the crate's `parse`) gives the text to the fast reader
//! first (feature `fast-read`, `fast.rs`: the steps straight from the JSON tokens) and, on
//! anything unusual, to the tree decoder (`decode.rs`), which reports every problem with its
//! path; so results and messages are the same either way. The two readers know nothing of each
//! other: both read the step schema (`schema.rs`), and only this module uses both.

use super::checked::Checked;
use super::decode;
#[cfg(feature = "fast-read")]
use super::scenario::Scenario;
use crate::error::Error;

/// Parses and decodes a scenario from JSON text, then validates it.
pub fn from_json_str(text: &str) -> Result<Checked, Error> {
    let text = decode::without_bom(text);
    decode::check_size(text.len())?;
    #[cfg(feature = "fast-read")]
    if let Some(s) = fast(text) {
        return Checked::new(s);
    }
    decode::read_tree(text)
}

/// The fast reader alone (without validation): `None` where it leaves the text to the tree
/// decoder.
#[cfg(feature = "fast-read")]
pub fn from_json_str_fast(text: &str) -> Option<Scenario> {
    fast(decode::without_bom(text))
}

/// The fast reader's steps, and the tree decoder on the rest of the document (a few small
/// tables, which the fast reader hands over as a tree).
#[cfg(feature = "fast-read")]
fn fast(text: &str) -> Option<Scenario> {
    let (rest, steps) = super::fast::read(text)?;
    let mut scenario = decode::decode_fields(&rest)?;
    scenario.run.steps = steps;
    Some(scenario)
}
