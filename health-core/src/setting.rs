//! [`Setting`]: a field's value with whether its variable was set or its default was used.

use std::ops::Deref;

/// A field's value and whether its variable was set (directly, through `NAME_FILE` or an old
/// name) or its default was used: declare the field as `Setting<T>` to tell them apart.
///
/// The guide's chapter on rules between variables shows one in use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Setting<T> {
    value: T,
    set: bool,
}

impl<T> Setting<T> {
    #[doc(hidden)]
    pub fn __new(value: T, set: bool) -> Setting<T> {
        Setting { value, set }
    }

    /// Whether the variable was set (not the default).
    pub fn is_set(&self) -> bool {
        self.set
    }

    /// Whether the default was used.
    pub fn is_default(&self) -> bool {
        !self.set
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value, unwrapped.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Setting<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
