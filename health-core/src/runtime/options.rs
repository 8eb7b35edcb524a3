//! Per-check settings: timeout, criticality, refresh policy and thresholds.

use std::time::Duration;

use super::probe::Probe;
use super::threshold::Thresholds;

/// Default hard timeout of a check run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// Default interval of background refreshes.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(5);

/// When a check runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// A background task runs the check at this interval; probes only read the cache.
    Every(Duration),
    /// A probe that finds the result older than this starts one refresh in the background
    /// and answers from the cache (stale-while-revalidate); only before the first result do
    /// probes wait, sharing one run bounded by the timeout.
    OnProbe(Duration),
}

/// The settings of one check, set on the builder after the check they apply to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    pub(crate) timeout: Duration,
    pub(crate) critical: bool,
    pub(crate) refresh: Refresh,
    pub(crate) thresholds: Thresholds,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timeout: DEFAULT_TIMEOUT,
            critical: true,
            refresh: Refresh::Every(DEFAULT_REFRESH),
            thresholds: Thresholds::default(),
        }
    }
}

/// A registered check's settings: what generated docs and probe manifests are built from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckSettings {
    /// The check's name.
    pub name: String,
    /// `Readiness` or `Startup`.
    pub probe: Probe,
    /// Hard timeout of one run.
    pub timeout: Duration,
    /// When it runs.
    pub refresh: Refresh,
    /// Whether a failure fails the probe (`false`: it warns).
    pub critical: bool,
}
