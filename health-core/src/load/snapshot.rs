//! The process environment read once: how a config with many variables, and every full
//! report, is loaded.
//!
//! Looking a variable up with `getenv` scans the whole environment, so reading `F` variables
//! one by one costs `F` scans; copying the environment once costs one. Below
//! [`SNAPSHOT_AT`] variables the scans are cheaper (no copy of the variables the config does
//! not read), which is how `from_env` stays at the cost of hand-written `std::env::var` calls
//! for a small config and scales with the environment, not with `F` times it, for a large one.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};

use rustc_hash::FxHashMap;

use crate::source::{Origin, Source};

/// From how many variables `from_env` reads the environment once rather than variable by
/// variable (`benches/load.rs` measures both sides of it).
pub(crate) const SNAPSHOT_AT: usize = 48;

/// Every variable of the process environment, copied at one instant (hashed with rustc's
/// fast hash: names are not chosen by an attacker, and this is the hot path of a load).
pub(crate) struct EnvSnapshot(FxHashMap<OsString, OsString>);

impl EnvSnapshot {
    /// Copies the process environment.
    pub(crate) fn take() -> EnvSnapshot {
        EnvSnapshot(std::env::vars_os().collect())
    }
}

impl Source for EnvSnapshot {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.0
            .get(OsStr::new(name))
            .map(|value| Cow::Borrowed(value.as_os_str()))
    }

    fn origin(&self, _: &str) -> Origin {
        Origin::Env
    }

    fn names(&self) -> Vec<String> {
        self.0
            .keys()
            .filter_map(|name| name.to_str().map(str::to_owned))
            .collect()
    }
}
