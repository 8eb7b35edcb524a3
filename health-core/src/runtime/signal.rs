//! Checks read from state the app keeps up to date: nothing runs, a probe reads the state.

use std::sync::Arc;
use std::time::Duration;

use super::probe::Probe;
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::status::Status;

/// A check whose outcome is read at each probe from state the app updates as it works (a
/// loop's heartbeat, the progress of requests, the outcomes of real calls to a dependency):
/// it has no run, no timeout and never calls anything.
///
/// Register one with [`HealthBuilder::signal`](super::HealthBuilder::signal). Reading must
/// be cheap and must not block: probes read every signal of their probe.
pub trait Signal: Send + Sync + 'static {
    /// What the signal says now.
    fn outcome(&self) -> Outcome;

    /// A number that changes whenever [`outcome`](Self::outcome) may have changed: the
    /// readiness body is rendered again only when it does. A signal whose outcome depends on
    /// the clock folds its time-driven state into it (for instance, the index of the state).
    fn version(&self) -> u64;

    /// How long the signal may stay silent before it fails, for a liveness signal that
    /// counts silence (heartbeats, request progress): Kubernetes' liveness probe is derived
    /// from it so that it never restarts a container for a shorter stall.
    fn silence_limit(&self) -> Option<Duration> {
        None
    }
}

/// A registered signal.
pub(crate) struct RegisteredSignal {
    pub(crate) name: String,
    pub(crate) probe: Probe,
    pub(crate) signal: Arc<dyn Signal>,
    pub(crate) critical: bool,
    /// The groups it is in.
    pub(crate) tags: Vec<String>,
}

impl RegisteredSignal {
    /// The signal as probes see it: a non-critical failure is a `warn`.
    pub(crate) fn report_entry(&self) -> ReportEntry {
        let outcome = self.signal.outcome();
        let outcome = if outcome.status() == Status::Fail && !self.critical {
            outcome.with_status(Status::Warn)
        } else {
            outcome
        };
        ReportEntry::new(self.name.clone(), outcome)
    }
}
