//! Where variable values come from: the process environment, `.env` files layered under it
//! (feature `dotenv`), in-memory sets for tests, and (in the loader) the `NAME_FILE`
//! convention for secrets mounted as files.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::PathBuf;

use rustc_hash::FxHashMap;

#[cfg(feature = "dotenv")]
mod layered;
#[cfg(feature = "dotenv")]
pub use layered::{DotEnvError, LayeredEnv};

/// A place to look variables up by name.
///
/// Values are `OsStr`, never `str`: a value that is not UTF-8 is handed to the field's parser,
/// which either takes it as it is (`PathBuf`, `OsString`) or fails with `not_unicode`.
pub trait Source {
    /// The value of `name`, or `None` when it is not set.
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>>;

    /// Where the value of `name` comes from, when [`get`](Self::get) found one.
    ///
    /// The default says [`Origin::Env`]: a source that does not read the process environment
    /// should say where its values come from.
    fn origin(&self, name: &str) -> Origin {
        let _ = name;
        Origin::Env
    }

    /// Every name set, for "did you mean" and unknown-variable reports; names that are not
    /// UTF-8 are left out (no field can have one).
    ///
    /// The default lists none: a source that cannot list its names gets no suggestions.
    fn names(&self) -> Vec<String> {
        Vec::new()
    }

    /// Whether a name ending in `_FILE` may be set. A loader looks for `NAME_FILE` beside
    /// each set `NAME` (both set is a `conflict`); `false` lets it skip that lookup.
    ///
    /// The default, `true`, is always right; a source that knows its names says `false` when
    /// none ends in `_FILE`.
    fn has_file_names(&self) -> bool {
        true
    }
}

/// Whether `name` is a `NAME_FILE` variable (it ends in `_FILE`).
pub(crate) fn is_file_name(name: &OsStr) -> bool {
    // A fixed-size comparison: no call to `memcmp` for each name of a copied environment.
    name.as_encoded_bytes().last_chunk::<5>() == Some(b"_FILE")
}

/// Where a variable's value came from: shown in reports and by `config check`, never with
/// the value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The process environment.
    Env,
    /// A `.env` file layered under the process environment.
    DotEnv(PathBuf),
    /// The file named by `NAME_FILE` (a mounted secret).
    SecretFile(PathBuf),
    /// The field's default.
    Default,
    /// Pairs given in code ([`Vars`]).
    Provided,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Env => f.write_str("env"),
            Origin::DotEnv(path) => write!(f, "dotenv:{}", path.display()),
            Origin::SecretFile(path) => write!(f, "file:{}", path.display()),
            Origin::Default => f.write_str("default"),
            Origin::Provided => f.write_str("provided"),
        }
    }
}

#[cfg(feature = "json")]
impl serde::Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The process environment, read with [`std::env::var_os`] (never panics on non-UTF-8).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Source for ProcessEnv {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        // An empty name, or one holding `=` or NUL, is never set: `var_os` says `None`.
        std::env::var_os(name).map(Cow::Owned)
    }

    fn names(&self) -> Vec<String> {
        std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .collect()
    }
}

/// An in-memory set of variables, for tests and for values that come from elsewhere.
///
/// Built from any iterator of `(name, value)` pairs whose items convert into `OsString`
/// (`&str`, `String`, `OsString`, `&OsStr`, `PathBuf`...). A later pair overrides an earlier
/// one with the same name, as in a shell.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    map: FxHashMap<OsString, OsString>,
    /// Whether a name ending in `_FILE` was ever set.
    file_names: bool,
}

impl Vars {
    /// An empty set.
    pub fn new() -> Vars {
        Vars::default()
    }

    /// An empty set with room for `capacity` variables.
    pub(crate) fn with_capacity(capacity: usize) -> Vars {
        Vars {
            map: FxHashMap::with_capacity_and_hasher(capacity, Default::default()),
            file_names: false,
        }
    }

    /// Sets `name` to `value` without noting whether it is a `NAME_FILE`: for a holder that
    /// answers [`Source::has_file_names`] itself.
    pub(crate) fn insert(&mut self, name: OsString, value: OsString) {
        self.map.insert(name, value);
    }

    /// Sets `name` to `value`, replacing an earlier value.
    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> &mut Vars {
        let name = name.into();
        self.file_names |= is_file_name(&name);
        self.map.insert(name, value.into());
        self
    }
}

impl<K: Into<OsString>, V: Into<OsString>> FromIterator<(K, V)> for Vars {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Vars {
        let mut vars = Vars::new();
        vars.extend(iter);
        vars
    }
}

impl<K: Into<OsString>, V: Into<OsString>> Extend<(K, V)> for Vars {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (name, value) in iter {
            self.set(name, value);
        }
    }
}

impl Source for Vars {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.map
            .get(OsStr::new(name))
            .map(|v| Cow::Borrowed(v.as_os_str()))
    }

    fn origin(&self, _: &str) -> Origin {
        Origin::Provided
    }

    fn names(&self) -> Vec<String> {
        self.map
            .keys()
            .filter_map(|name| name.to_str().map(str::to_owned))
            .collect()
    }

    fn has_file_names(&self) -> bool {
        self.file_names
    }
}

impl<S: Source + ?Sized> Source for &S {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        (**self).get(name)
    }

    fn origin(&self, name: &str) -> Origin {
        (**self).origin(name)
    }

    fn names(&self) -> Vec<String> {
        (**self).names()
    }

    fn has_file_names(&self) -> bool {
        (**self).has_file_names()
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
