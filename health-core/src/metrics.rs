//! Prometheus metrics (feature `prometheus`): per check, its status, the duration of its last
//! run and a failure counter; plus whether each probe passes. Without the feature the same
//! calls do nothing.
//!
//! The failure counter, `health_check_failures_total{check, operation}`, is labelled with the
//! operation the failed run named ([`Outcome::operation`]), `""` when it named none (the
//! runtime's `timeout` and `panicked`, a user check without one). Every run of a check makes
//! sure its `operation=""` series exists (at 0 until such a failure), so a check has a series
//! from its first run; the series of an operation appears at its first failure. Cardinality
//! stays small: the built-in checks name at most four operations each, from a fixed set
//! (`connect`, `auth`, `query`, `migrate`, `ping`, `publish`, `request`, `consume`), so a check
//! has at most five series; a user check's operations should be a small fixed set of words
//! too, never an id, a host or an error text.
//!
//! [`Outcome::operation`]: crate::Outcome::operation

#[cfg(not(feature = "prometheus"))]
pub(crate) use disabled::Metrics;
#[cfg(feature = "prometheus")]
pub(crate) use enabled::{Metrics, render};

#[cfg(feature = "prometheus")]
mod enabled {
    use std::sync::atomic::AtomicU64;
    use std::time::Duration;

    use prometheus_client::encoding::text::encode;
    use prometheus_client::metrics::counter::Counter;
    use prometheus_client::metrics::family::Family;
    use prometheus_client::metrics::gauge::Gauge;
    use prometheus_client::registry::Registry;

    use crate::outcome::Outcome;
    use crate::status::Status;

    type Labels = Vec<(String, String)>;

    /// The metric families a [`Health`](crate::Health) updates.
    #[derive(Clone, Default)]
    pub(crate) struct Metrics {
        status: Family<Labels, Gauge>,
        duration: Family<Labels, Gauge<f64, AtomicU64>>,
        failures: Family<Labels, Counter>,
        probe: Family<Labels, Gauge>,
    }

    impl Metrics {
        /// Registers the families in `registry` (the app's own, or one of ours).
        pub(crate) fn register(registry: &mut Registry) -> Metrics {
            let metrics = Metrics::default();
            registry.register(
                "health_check_status",
                "Current status of a check: 1 for its status label, 0 for the others",
                metrics.status.clone(),
            );
            registry.register(
                "health_check_duration_seconds",
                "Duration of a check's last run",
                metrics.duration.clone(),
            );
            registry.register(
                "health_check_failures",
                "Runs of a check that failed, by the operation that failed (empty when not named)",
                metrics.failures.clone(),
            );
            registry.register(
                "health_probe_up",
                "Whether a probe passes: 1 for pass or warn, 0 for fail",
                metrics.probe.clone(),
            );
            metrics
        }

        /// Records a check's current (effective) status.
        pub(crate) fn status(&self, check: &str, status: Status) {
            for candidate in [Status::Pass, Status::Warn, Status::Fail] {
                let labels = vec![
                    ("check".to_owned(), check.to_owned()),
                    ("status".to_owned(), candidate.as_str().to_owned()),
                ];
                self.status
                    .get_or_create(&labels)
                    .set(i64::from(candidate == status));
            }
        }

        /// Records one run: its duration and, when it failed, a failure under the operation
        /// it names (`""` for none).
        pub(crate) fn run(&self, check: &str, duration: Duration, outcome: &Outcome) {
            let check = ("check".to_owned(), check.to_owned());
            self.duration
                .get_or_create(&vec![check.clone()])
                .set(duration.as_secs_f64());
            let failures = |operation: &str| {
                let labels = vec![
                    check.clone(),
                    ("operation".to_owned(), operation.to_owned()),
                ];
                self.failures.get_or_create_owned(&labels)
            };
            // The check's series exists from its first run, failing or not.
            let unnamed = failures("");
            if outcome.status() == Status::Fail {
                match outcome.operation() {
                    Some(operation) if !operation.is_empty() => failures(operation).inc(),
                    _ => unnamed.inc(),
                };
            }
        }

        /// Records whether a probe passes.
        pub(crate) fn probe(&self, probe: &str, up: bool) {
            let labels = vec![("probe".to_owned(), probe.to_owned())];
            self.probe.get_or_create(&labels).set(i64::from(up));
        }
    }

    /// Encodes a registry as OpenMetrics text.
    pub(crate) fn render(registry: &Registry) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, registry);
        out
    }
}

#[cfg(not(feature = "prometheus"))]
mod disabled {
    use std::time::Duration;

    use crate::outcome::Outcome;
    use crate::status::Status;

    /// Metrics switched off: every call is a no-op.
    #[derive(Clone, Default)]
    pub(crate) struct Metrics;

    impl Metrics {
        pub(crate) fn status(&self, _: &str, _: Status) {}
        pub(crate) fn run(&self, _: &str, _: Duration, _: &Outcome) {}
    }
}
