//! The post-mortem as one pretty-printed JSON document, for tools.
//!
//! Field order is the declaration order of [`PostMortem`] and every list is
//! built in a fixed order, so the output is byte-for-byte reproducible.

use super::PostMortem;

pub(crate) fn render(pm: &PostMortem) -> String {
    // Plain structs of strings, numbers and timestamps: serializing them
    // into memory cannot fail.
    let mut out = serde_json::to_string_pretty(pm).expect("a post-mortem always serializes");
    out.push('\n');
    out
}
