//! The regular expressions of the JSON Schema, which accept exactly what the loader accepts.
//!
//! They are written in the part of the syntax ECMA-262 (the dialect JSON Schema names) and
//! Python's `re` (the `jsonschema` package's) read alike, by `re` (characters, literals and
//! words, guarded inside the items of a list; escaping, alternatives). Lists are in `list`;
//! the values themselves in `duration` (humantime durations) and `number` (integers within
//! their bounds, floats).

mod duration;
mod list;
mod number;
mod re;

pub(super) use self::duration::duration;
pub(super) use self::list::{any_item, list};
pub(super) use self::number::{Int, float, integer, integer_bounds};
pub(super) use self::re::{END, Re};
