//! Page layouts: the playground and the embed view, sharing the result view; and the rehearsal
//! stage, a playground off the page.

pub mod embed;
pub mod playground;
pub mod result;
pub mod stage;
