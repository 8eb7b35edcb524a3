//! The process environment read once: how a config with many variables is loaded and
//! checked.
//!
//! Looking a variable up with `getenv` scans the whole environment, so reading `F` variables
//! one by one costs `F` scans; copying the environment once costs one. Below
//! [`SNAPSHOT_AT`] variables the scans are cheaper (no copy of the variables the config does
//! not read), which is how `from_env` stays near the cost of hand-written `std::env::var`
//! calls for a small config and scales with the environment, not with `F` times it, for a
//! large one.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};

use crate::contract::Contract;
use crate::source::{Origin, ProcessEnv, Source, Vars, is_file_name};

/// From how many variables the process environment is copied once rather than read variable
/// by variable. An estimate between two measured points: at 20 variables reading one by one
/// costs 1.01x to 1.06x the hand-written code's instructions (`benches/run.sh instructions`);
/// at 200, reading one by one took 2.4x to 4.1x the copy's time in a 259-variable
/// environment, and 0.52x to 0.74x in a 1,259-variable one (`benches/run.sh load`, five runs).
pub(crate) const SNAPSHOT_AT: usize = 48;

/// Where a loader reads: the process environment itself, which its quick path reads with
/// `var_os` directly (no call through `dyn Source`), or any source.
#[derive(Clone, Copy)]
pub(crate) enum Reader<'s> {
    Process,
    Source(&'s dyn Source),
}

impl<'s> Reader<'s> {
    /// The value of `name`: [`Source::get`], without the virtual call for the process
    /// environment.
    #[inline(always)]
    pub(crate) fn get(self, name: &str) -> Option<Cow<'s, OsStr>> {
        match self {
            Reader::Process => std::env::var_os(name).map(Cow::Owned),
            Reader::Source(source) => source.get(name),
        }
    }

    /// The reader as a source (its origins, its names).
    pub(crate) fn source(self) -> &'s dyn Source {
        match self {
            Reader::Process => &ProcessEnv,
            Reader::Source(source) => source,
        }
    }
}

/// Runs `f` on the process environment as a config of `contract`'s size reads it best: the
/// environment itself, or a copy of it.
#[inline]
pub(crate) fn with_process_env<R>(contract: &Contract, f: impl FnOnce(Reader<'_>) -> R) -> R {
    if contract.variable_count() >= SNAPSHOT_AT {
        f(Reader::Source(&EnvSnapshot::now(contract.prefix())))
    } else {
        f(Reader::Process)
    }
}

/// Every variable of the process environment, copied at one instant, saying its values come
/// from the environment. Every name a config reads starts with its prefix, so only the
/// variables under it are indexed for lookups (envy's `prefixed` filters the same way); the
/// others are kept as they came, for [`names`](Source::names) (strays, "did you mean") and
/// any other name.
struct EnvSnapshot {
    prefix: &'static str,
    under: Vars,
    others: Vec<(OsString, OsString)>,
    /// Whether a name ending in `_FILE` is set.
    file_names: bool,
}

impl EnvSnapshot {
    /// The copy, made here rather than in each caller of the generic
    /// [`with_process_env`]: a config crate compiles no hash map code of its own.
    #[inline(never)]
    fn now(prefix: &'static str) -> EnvSnapshot {
        let vars = std::env::vars_os();
        // Room for them all: the table's memory is only touched where a variable lands.
        let mut snapshot = EnvSnapshot {
            prefix,
            under: Vars::with_capacity(vars.size_hint().0),
            others: Vec::new(),
            file_names: false,
        };
        for (name, value) in vars {
            snapshot.file_names |= is_file_name(&name);
            if name.as_encoded_bytes().starts_with(prefix.as_bytes()) {
                snapshot.under.insert(name, value);
            } else {
                snapshot.others.push((name, value));
            }
        }
        snapshot
    }
}

impl Source for EnvSnapshot {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        if name.starts_with(self.prefix) {
            return self.under.get(name);
        }
        self.others
            .iter()
            .find(|(other, _)| other == name)
            .map(|(_, value)| Cow::Borrowed(value.as_os_str()))
    }

    fn origin(&self, _: &str) -> Origin {
        Origin::Env
    }

    fn has_file_names(&self) -> bool {
        self.file_names
    }

    fn names(&self) -> Vec<String> {
        let mut names = self.under.names();
        names.extend(
            self.others
                .iter()
                .filter_map(|(name, _)| name.to_str().map(str::to_owned)),
        );
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_finds_and_lists_every_variable_under_its_prefix_or_not() {
        let env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
        let mut expected: Vec<String> = env
            .iter()
            .filter_map(|(name, _)| name.to_str().map(str::to_owned))
            .collect();
        expected.sort();
        // No prefix, one some names have (`PATH`), and one none has.
        for prefix in ["", "P", "HEALTH_SNAPSHOT_NO_SUCH_PREFIX_"] {
            let snapshot = EnvSnapshot::now(prefix);
            let mut names = snapshot.names();
            names.sort();
            assert_eq!(names, expected, "prefix {prefix:?}");
            for (name, value) in &env {
                if let Some(name) = name.to_str() {
                    let found = snapshot.get(name);
                    assert_eq!(found.as_deref(), Some(value.as_os_str()), "{name}");
                }
            }
            assert_eq!(snapshot.get("HEALTH_SNAPSHOT_NEVER_SET"), None);
            assert_eq!(snapshot.get("PHEALTH_SNAPSHOT_NEVER_SET"), None);
        }
    }
}
