//! Page layouts: the playground and the embed view, sharing the result view.

pub mod embed;
pub mod playground;
pub mod result;
pub mod stage;
