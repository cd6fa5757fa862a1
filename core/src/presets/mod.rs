//! The example scenarios shipped with the playground: each a scenario file in `core/presets/`,
//! checked by the tests.

/// A preset: an id (its file name), and its scenario JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub id: &'static str,
    pub json: &'static str,
}

pub static PRESETS: &[Preset] = &[];

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
