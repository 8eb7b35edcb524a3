//! [`Loaded`]: what [`load`](super::load) returns, the config if it is whole, the report in
//! every case, and the values of the variables that passed.

use std::fmt;

use super::snapshot::Reader;
use super::{IfAbsent, Loader, ReadinessContract};
use crate::contract::Requirement;
use crate::error::ContractError;
use crate::report::Report;
use crate::source::Source;
use crate::status::Status;
use crate::value::Value;

/// The result of [`load`](super::load): the config if it is whole ([`config`](Self::config),
/// [`into_result`](Self::into_result)), the report in every case ([`report`](Self::report),
/// what `/ready` serves; `Display` prints it), and each variable that passed even when others
/// failed ([`value`](Self::value)).
#[derive(Debug)]
pub struct Loaded<C> {
    pub(super) config: Option<C>,
    pub(super) report: Report,
}

impl<C> Loaded<C> {
    /// The config, when every variable holds.
    pub fn config(&self) -> Option<&C> {
        self.config.as_ref()
    }

    /// One entry per variable.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Whether every variable holds.
    pub fn is_ready(&self) -> bool {
        self.config.is_some()
    }

    /// The config and the report.
    pub fn into_parts(self) -> (Option<C>, Report) {
        (self.config, self.report)
    }

    /// The config, or the error naming every failing variable.
    pub fn into_result(self) -> Result<C, ContractError> {
        self.config.ok_or_else(|| ContractError::new(self.report))
    }
}

impl<C: ReadinessContract> Loaded<C> {
    /// One variable's value when its own check passed, even if others failed: the port to
    /// listen on while the rest of a broken config waits to be fixed. `None` when the variable
    /// failed, is absent (an `Option` field, or one whose default is derived from other
    /// fields with `default_from` or written as an expression), or is not in the contract.
    ///
    /// `name` is the full name (`APP_PORT`, nested prefixes included); `source` is the one the
    /// config was loaded from ([`ProcessEnv`](crate::ProcessEnv) for [`load`](super::load)).
    /// The value is read as the loader reads it (prefixes, old names, `NAME_FILE`, an empty
    /// value as absent, a default written as a literal) and parsed by `T`'s rule, which is the
    /// derive's for the same type: `u16`, `bool`, `Duration`, `String`, `IpAddr`... (see
    /// [`Value`]).
    pub fn value<T: Value>(&self, source: &dyn Source, name: &str) -> Option<T> {
        let passed = self.report.get(name)?.status() != Status::Fail;
        let variable = C::CONTRACT
            .variables()
            .into_iter()
            .find(|v| v.name() == name)?;
        let spec = variable.spec();
        let prefix = name.strip_suffix(spec.name())?;
        let if_absent = match (spec.requirement(), spec.default()) {
            // A derived default's text is its call (`under(data_dir)`), and an expression's
            // is the expression: neither is a value.
            (Requirement::Default, Some(text))
                if spec.derived_from().is_empty() && !spec.default_is_expression() =>
            {
                IfAbsent::Parse(text)
            }
            _ => IfAbsent::Fail,
        };
        let mut loader = Loader::new(Reader::Source(source), C::CONTRACT, false).under(prefix);
        let value = loader.scalar(spec, "", T::parse, if_absent, None, None);
        value.filter(|_| passed)
    }
}

/// The report's lines ([`Report`]'s `Display`): a summary, then each variable's status, name,
/// field, code and safe message. Never a value.
impl<C> fmt::Display for Loaded<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.report, f)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::contract::{Contract, Field, ValueRule, VarSpec};
    use crate::load::{load_from, parse};
    use crate::source::Vars;

    /// A config whose cache directory defaults to one under its data directory: what the
    /// derive writes for `#[contract(default_from(under(data)))]`.
    #[derive(Debug)]
    struct Dirs {
        cache: PathBuf,
    }

    static DATA: VarSpec = VarSpec::__new(
        "DATA_DIR",
        "PathBuf",
        "",
        Requirement::Required,
        None,
        false,
        false,
    )
    .__rule(ValueRule::OsText, None);
    static CACHE: VarSpec = VarSpec::__new(
        "CACHE_DIR",
        "PathBuf",
        "",
        Requirement::Default,
        Some("under(data)"),
        false,
        false,
    )
    .__rule(ValueRule::OsText, None)
    .__derived_from(&[&DATA]);
    static DIRS: Contract = Contract::__new(
        "Dirs",
        "",
        "APP_",
        &[Field::__var("data", &DATA), Field::__var("cache", &CACHE)],
    );

    impl ReadinessContract for Dirs {
        const CONTRACT: &'static Contract = &DIRS;

        fn __load(loader: &mut Loader<'_>) -> Option<Dirs> {
            let data: Option<PathBuf> =
                loader.scalar(&DATA, "data", parse::os_string, IfAbsent::Fail, None, None);
            let under = || data.as_ref().map(|dir| dir.join("cache"));
            let derived = IfAbsent::Derived(&under);
            let cache = loader.scalar(&CACHE, "cache", parse::os_string, derived, None, None);
            Some(Dirs { cache: cache? })
        }
    }

    #[test]
    fn a_derived_default_is_not_given_as_the_text_of_its_call() {
        let source: Vars = [("APP_DATA_DIR", "/srv")].into_iter().collect();
        let loaded = load_from::<Dirs>(&source);
        assert_eq!(loaded.config().unwrap().cache, PathBuf::from("/srv/cache"));
        let value = |name| loaded.value::<PathBuf>(&source, name);
        assert_eq!(value("APP_DATA_DIR"), Some(PathBuf::from("/srv")));
        assert_eq!(value("APP_CACHE_DIR"), None);
        let source: Vars = [("APP_DATA_DIR", "/srv"), ("APP_CACHE_DIR", "/tmp/c")]
            .into_iter()
            .collect();
        let loaded = load_from::<Dirs>(&source);
        let value = loaded.value::<PathBuf>(&source, "APP_CACHE_DIR");
        assert_eq!(value, Some(PathBuf::from("/tmp/c")));
    }
}
