//! The fix finder of SPEC §8.2 ("what would make this work?"). So far its change catalogue
//! ([`changes`]): every kind of change with its tier, approver and real-world commands; the
//! search over them is still to come.

pub mod changes;
