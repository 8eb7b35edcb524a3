//! What a `Health` takes its config checks from.

use crate::error::ContractError;
use crate::load::Loaded;
use crate::report::Report;

/// Where a config report comes from: a [`Loaded`] config, a [`Report`], a
/// [`ContractError`], or a `Result` of a load.
pub trait ConfigReport {
    /// One entry per variable.
    fn config_report(&self) -> Report;
}

impl ConfigReport for Report {
    fn config_report(&self) -> Report {
        self.clone()
    }
}

impl<C> ConfigReport for Loaded<C> {
    fn config_report(&self) -> Report {
        self.report().clone()
    }
}

impl ConfigReport for ContractError {
    fn config_report(&self) -> Report {
        self.report().clone()
    }
}

impl<C> ConfigReport for Result<C, ContractError> {
    fn config_report(&self) -> Report {
        match self {
            Ok(_) => Report::new(Vec::new()),
            Err(e) => e.config_report(),
        }
    }
}
