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
use std::ffi::OsStr;

use crate::contract::Contract;
use crate::source::{Origin, ProcessEnv, Source, Vars};

/// From how many variables the process environment is copied once rather than read variable
/// by variable. An estimate between two measured points (`benches/run.sh load`): at 20
/// variables reading one by one costs 1.02x to 1.07x the hand-written code's instructions; at
/// 200 the copy is 2.6x to 3.6x faster in a 259-variable environment, and 0.64x to 0.74x in a
/// 1,259-variable one.
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
        f(Reader::Source(&EnvSnapshot::now()))
    } else {
        f(Reader::Process)
    }
}

/// Every variable of the process environment, copied at one instant: [`Vars`] that say their
/// values come from the environment.
struct EnvSnapshot(Vars);

impl EnvSnapshot {
    /// The copy, made here rather than in each caller of the generic
    /// [`with_process_env`]: a config crate compiles no hash map code of its own.
    #[inline(never)]
    fn now() -> EnvSnapshot {
        EnvSnapshot(std::env::vars_os().collect())
    }
}

impl Source for EnvSnapshot {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.0.get(name)
    }

    fn origin(&self, _: &str) -> Origin {
        Origin::Env
    }

    fn names(&self) -> Vec<String> {
        self.0.names()
    }
}
