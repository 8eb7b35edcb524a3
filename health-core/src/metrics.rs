//! Prometheus metrics (feature `prometheus`): per check, its status, the duration of its last
//! run and a failure counter; plus whether each probe passes. Without the feature the same
//! calls do nothing.

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
                "Runs of a check that failed",
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

        /// Records one run: its duration and whether it failed.
        pub(crate) fn run(&self, check: &str, duration: Duration, failed: bool) {
            let labels = vec![("check".to_owned(), check.to_owned())];
            self.duration
                .get_or_create(&labels)
                .set(duration.as_secs_f64());
            let failures = self.failures.get_or_create(&labels);
            if failed {
                failures.inc();
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

    use crate::status::Status;

    /// Metrics switched off: every call is a no-op.
    #[derive(Clone, Default)]
    pub(crate) struct Metrics;

    impl Metrics {
        pub(crate) fn status(&self, _: &str, _: Status) {}
        pub(crate) fn run(&self, _: &str, _: Duration, _: bool) {}
    }
}
