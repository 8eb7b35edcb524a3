//! [`Loaded`]: what [`load`](super::load) returns, the config if it is whole and the report
//! in every case.

use std::fmt;

use crate::error::ContractError;
use crate::report::Report;

/// The result of [`load`](super::load): the config if it is whole, and the report in every case.
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

/// The report's lines ([`Report`]'s `Display`): a summary, then each variable's status, name,
/// field, code and safe message. Never a value.
impl<C> fmt::Display for Loaded<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.report, f)
    }
}
