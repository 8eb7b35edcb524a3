//! The `Debug` that `#[contract(debug)]` writes: every field as it is, a secret as `***`.

use std::fmt;

/// A config type whose `Debug` never prints a secret's value: what `#[contract(debug)]`
/// implements, and what a nested config's type needs under it.
///
/// Implement it by hand for a config whose hand-written `Debug` hides its secrets.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is nested in a config with `#[contract(debug)]`, so its `Debug` must hide its secrets too",
    label = "printed by the redacting `Debug`",
    note = "add `#[contract(debug)]` to `{Self}` (and drop its `#[derive(Debug)]`)"
)]
pub trait RedactedDebug: fmt::Debug {}

/// A secret's stand-in: prints `***`.
#[doc(hidden)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A nested config, printed by its own `Debug` once it is known to redact.
#[doc(hidden)]
pub fn nested<T: RedactedDebug>(value: &T) -> &dyn fmt::Debug {
    value
}
