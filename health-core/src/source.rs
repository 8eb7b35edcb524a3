//! Where variable values come from.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};

/// A place to look variables up by name.
///
/// Values are `OsStr`, never `str`: a value that is not UTF-8 is handed to the field's parser,
/// which either takes it as it is (`PathBuf`, `OsString`) or fails with `not_unicode`.
pub trait Source {
    /// The value of `name`, or `None` when it is not set.
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>>;
}

/// The process environment, read with [`std::env::var_os`] (never panics on non-UTF-8).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Source for ProcessEnv {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        // `var_os` panics on an empty name or one holding `=` or NUL; such a name is never set.
        if name.is_empty() || name.contains(['=', '\0']) {
            return None;
        }
        std::env::var_os(name).map(Cow::Owned)
    }
}

/// An in-memory set of variables, for tests and for values that come from elsewhere.
///
/// Built from any iterator of `(name, value)` pairs whose items convert into `OsString`
/// (`&str`, `String`, `OsString`, `&OsStr`, `PathBuf`...). A later pair overrides an earlier
/// one with the same name, as in a shell.
#[derive(Clone, Debug, Default)]
pub struct Vars(HashMap<OsString, OsString>);

impl Vars {
    /// An empty set.
    pub fn new() -> Vars {
        Vars::default()
    }

    /// Sets `name` to `value`, replacing an earlier value.
    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> &mut Vars {
        self.0.insert(name.into(), value.into());
        self
    }
}

impl<K: Into<OsString>, V: Into<OsString>> FromIterator<(K, V)> for Vars {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Vars {
        Vars(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl Source for Vars {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.0
            .get(OsStr::new(name))
            .map(|v| Cow::Borrowed(v.as_os_str()))
    }
}

impl<S: Source + ?Sized> Source for &S {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        (**self).get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pairs_override_earlier_ones() {
        let vars: Vars = [("A", "1"), ("A", "2")].into_iter().collect();
        assert_eq!(vars.get("A").as_deref(), Some(OsStr::new("2")));
        assert_eq!(vars.get("B"), None);
    }

    #[test]
    fn process_env_never_panics_on_names_var_os_rejects() {
        for name in ["", "A=B", "A\0B"] {
            assert_eq!(ProcessEnv.get(name), None);
        }
    }
}
