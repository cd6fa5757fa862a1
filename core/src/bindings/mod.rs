//! The JavaScript API (SPEC §5), through wasm-bindgen.
