//! Loading a config: the [`ReadinessContract`] trait, and [`load()`] and [`load_from`] for a
//! service that starts with a broken config. [`Loaded`] is what they return: the config when
//! it is whole, and the report in every case.
//!
//! `load` logs each failing variable as a `tracing` event (feature `tracing`, on with
//! `runtime`). `tracing` hands events to the subscriber the app installs and drops them when
//! there is none: install one at the top of `main` (`tracing_subscriber::fmt::init()`, from the
//! `tracing-subscriber` crate), or print the report yourself (`println!("{loaded}")`).

use std::ffi::OsString;

use crate::contract::Contract;
use crate::error::ContractError;
use crate::report::Report;
use crate::source::{Source, Vars};
use crate::status::Code;
use crate::stray;

mod loaded;
mod loader;
#[cfg(feature = "tracing")]
mod log;
mod message;
#[doc(hidden)]
pub mod parse;
mod rules;
mod snapshot;
mod variant;

pub use loaded::Loaded;
pub use loader::{Check, IfAbsent, Loader, Parse, Validate};
#[cfg(feature = "tracing")]
pub(crate) use log::log_report;
#[doc(hidden)]
pub use rules::{Condition, Presence, RuleInput, Toggle, condition, toggle};
use snapshot::{Reader, with_process_env};
#[doc(hidden)]
pub use variant::{Chosen, NestedLoad};

/// A config struct whose every field is a named, checked variable.
///
/// Derive it with `#[derive(ReadinessContract)]`; the methods below come with it.
pub trait ReadinessContract: Sized {
    /// The static description of every variable.
    const CONTRACT: &'static Contract;

    #[doc(hidden)]
    fn __load(loader: &mut Loader<'_>) -> Option<Self>;

    /// The static description of every variable: names, types, docs, defaults, secrecy.
    fn contract() -> &'static Contract {
        Self::CONTRACT
    }

    /// Loads from the process environment, reporting every failing variable at once.
    ///
    /// A config of many variables copies the environment once instead of scanning it once
    /// per variable; either way the values are read at the call, never cached.
    ///
    /// A variable set both as `NAME` and through `NAME_FILE` is a `conflict` for every
    /// loader but one case of this one: a config of fewer than 48 variables is read with one
    /// lookup per variable, as hand-written code reads it, and `NAME_FILE` is not looked for
    /// beside a set `NAME` (that lookup would double the load's cost). [`load()`](fn@load)
    /// and [`check_env`](Self::check_env) always look.
    fn from_env() -> Result<Self, ContractError> {
        with_process_env(Self::CONTRACT, load_config)
    }

    /// Loads from `(name, value)` pairs (`&str`, `String`, `OsString`...), without touching
    /// the process environment.
    fn from_vars<I, K, V>(vars: I) -> Result<Self, ContractError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        Self::from_source(&vars.into_iter().collect::<Vars>())
    }

    /// Loads from any [`Source`].
    fn from_source(source: &dyn Source) -> Result<Self, ContractError> {
        load_config(Reader::Source(source))
    }

    /// One entry per variable of the contract, read from the process environment, in
    /// declaration order.
    fn check_env() -> Report {
        with_process_env(Self::CONTRACT, |reader| Self::check_source(reader.source()))
    }

    /// One entry per variable of the contract, read from `(name, value)` pairs, in declaration
    /// order.
    fn check_vars<I, K, V>(vars: I) -> Report
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        Self::check_source(&vars.into_iter().collect::<Vars>())
    }

    /// One entry per variable of the contract, read from any [`Source`], in declaration order.
    fn check_source(source: &dyn Source) -> Report {
        run::<Self>(source).1
    }
}

/// `from_env` and `from_source`: the common case records nothing but failures; only a
/// failing load runs again to build the full report its error carries.
#[inline]
fn load_config<C: ReadinessContract>(reader: Reader<'_>) -> Result<C, ContractError> {
    let (config, failed) = {
        let mut loader = Loader::new(reader, C::CONTRACT, false);
        (C::__load(&mut loader), !loader.entries.is_empty())
    };
    let source = reader.source();
    match config {
        Some(config) if !failed && !stray::denies_a_stray(C::CONTRACT, source) => Ok(config),
        _ => Err(ContractError::new(run::<C>(source).1)),
    }
}

/// Loads `C` and its full report; the config only when the load passed (strays included).
pub(crate) fn run<C: ReadinessContract>(source: &dyn Source) -> (Option<C>, Report) {
    let mut loader = Loader::new(Reader::Source(source), C::CONTRACT, true);
    let config = C::__load(&mut loader);
    let mut entries = loader.entries;
    stray::review(C::CONTRACT, source, &mut entries);
    (config, Report::new(entries))
}

/// Loads `C` from the process environment without failing: the config when every variable
/// holds, and the report either way.
///
/// This is how a service starts with a broken config instead of crash-looping: it serves
/// liveness, and readiness answers 503 naming every failing variable.
///
/// With feature `tracing` (on with `runtime`) it logs one `tracing` error event per failing
/// variable and one warning per variable that needs attention. `tracing` only delivers events
/// to a subscriber the app installs; with none they go nowhere. Install one before the load,
/// for instance `tracing_subscriber::fmt::init()` (crate `tracing-subscriber`), or print the
/// report: `Loaded` implements `Display` (`eprintln!("{loaded}")`).
pub fn load<C: ReadinessContract>() -> Loaded<C> {
    with_process_env(C::CONTRACT, |reader| load_from(reader.source()))
}

/// [`load`] from any [`Source`].
pub fn load_from<C: ReadinessContract>(source: &dyn Source) -> Loaded<C> {
    let (config, report) = run::<C>(source);
    #[cfg(feature = "tracing")]
    log_report(&report);
    let config = config.filter(|_| report.is_ready());
    Loaded { config, report }
}

/// What a `validate` function or a `check` rule returns: `Result<(), E>` with `E: Display`
/// (the message is kept), `bool` (`false` is rejected), `Result<(), Warning>` (accepted with
/// a warning) or `Result<Option<Warning>, E>` (either).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a `validate` or `check` function must return `Result<(), E>` with `E: Display`, `bool`, `Result<(), health::Warning>` or `Result<Option<health::Warning>, E>`",
    label = "this function returns `{Self}`",
    note = "write it as `fn(&T) -> Result<(), String>` where `T` is the field's type"
)]
pub trait Verdict {
    /// `Ok` to accept, `Err` to reject or warn.
    fn into_verdict(self) -> Result<(), Refusal>;
}

/// Why a validator did not simply accept a value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Refusal {
    /// Rejected, with the message.
    Reject(String),
    /// Accepted with a warning.
    Warn(Warning),
}

/// A value accepted with a warning, from a `validate` function or a `check` rule: the entry
/// is a `warn` with this code and message (readiness stays 200), logged once by
/// [`load()`](fn@load). A weak but usable token, an unknown item in a feature list.
///
/// The guide's chapter on rules between variables shows one in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    code: Code,
    message: String,
}

impl Warning {
    /// A warning with your own code (normalised to snake_case) and a short safe message.
    pub fn new(
        code: impl Into<std::borrow::Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Warning {
        Warning {
            code: Code::new(code),
            message: message.into(),
        }
    }

    /// The warning's code.
    pub fn code(&self) -> &Code {
        &self.code
    }

    /// The warning's message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

#[diagnostic::do_not_recommend]
impl<E: std::fmt::Display> Verdict for Result<(), E> {
    fn into_verdict(self) -> Result<(), Refusal> {
        self.map_err(|e| Refusal::Reject(e.to_string()))
    }
}

impl Verdict for Result<(), Warning> {
    fn into_verdict(self) -> Result<(), Refusal> {
        self.map_err(Refusal::Warn)
    }
}

impl<E: std::fmt::Display> Verdict for Result<Option<Warning>, E> {
    fn into_verdict(self) -> Result<(), Refusal> {
        match self {
            Ok(None) => Ok(()),
            Ok(Some(warning)) => Err(Refusal::Warn(warning)),
            Err(e) => Err(Refusal::Reject(e.to_string())),
        }
    }
}

impl Verdict for bool {
    fn into_verdict(self) -> Result<(), Refusal> {
        if self {
            Ok(())
        } else {
            Err(Refusal::Reject("rejected by the validator".to_owned()))
        }
    }
}

/// Turns a validator's return value into the loader's form.
#[doc(hidden)]
pub fn verdict(result: impl Verdict) -> Result<(), Refusal> {
    result.into_verdict()
}
