//! Plain-language pieces the engine builds its explanations from.
