//! Checks that wait for a condition: the value checks of a switched optional group's
//! variables hold only while its switch is on, a selected variant's only while it is chosen.

use serde_json::{Map, Value, json};

use crate::variant::Variant;

/// What a switched group's or a variant's variables must be, checked only while the group is
/// on or the variant chosen: their value checks by name, and the checks between their names
/// (old names set together).
#[derive(Default)]
pub(super) struct Deferred {
    /// Value checks by variable name.
    pub(super) properties: Map<String, Value>,
    /// Further checks (`allOf` entries).
    pub(super) all_of: Vec<Value>,
}

impl Deferred {
    /// The checks as `allOf` entries: the value checks as one `properties`, then the others.
    pub(super) fn into_parts(self) -> impl Iterator<Item = Value> {
        let properties =
            (!self.properties.is_empty()).then(|| json!({ "properties": self.properties }));
        properties.into_iter().chain(self.all_of)
    }
}

/// The key under which a variant's value checks wait in the deferred checks: its field path.
/// A switched group's wait under its name.
pub(super) fn deferred_key(variant: &Variant) -> String {
    format!("variant:{}", variant.field())
}
