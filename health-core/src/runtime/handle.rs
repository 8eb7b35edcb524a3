//! The [`Health`] handle: what was registered on the builder, the state every clone shares,
//! and the answers read straight from it (heartbeats, shutdown, settings, reports).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::config::{ConfigEntries, ConfigPart};
use super::heartbeat::Heartbeat;
use super::hub::Hub;
use super::options::CheckSettings;
use super::probe::Probe;
use super::rendered::Rendered;
use super::shutdown::shutdown_signal;
use super::signal::RegisteredSignal;
use super::state::RegisteredCheck;
use crate::metrics::Metrics;

/// Liveness and readiness of a service: cheap to clone, shared by the HTTP handlers and the
/// app's loops.
#[derive(Clone)]
pub struct Health {
    pub(super) inner: Arc<Inner>,
}

/// What was registered on the builder: fixed for the runtime's life.
pub(super) struct Setup {
    pub(super) config: Vec<ConfigPart>,
    pub(super) checks: Vec<RegisteredCheck>,
    pub(super) signals: Vec<RegisteredSignal>,
    /// The heartbeats' handles by name (their signals are in `signals`).
    pub(super) heartbeats: Vec<(String, Heartbeat)>,
    pub(super) epoch: Instant,
    pub(super) grace: Duration,
    pub(super) details: bool,
    pub(super) metrics: Metrics,
    #[cfg(feature = "prometheus")]
    pub(super) registry: Option<prometheus_client::registry::Registry>,
}

/// The state every clone of a [`Health`] shares.
pub(super) struct Inner {
    pub(super) setup: Setup,
    shutting_down: AtomicBool,
    /// Set once startup is over (it never ends twice).
    startup_done: AtomicBool,
    /// Bumped whenever a check's shown result changes: part of the rendered body's key.
    pub(super) generation: AtomicU64,
    pub(super) rendered: arc_swap::ArcSwapOption<Rendered>,
    /// Whether the background refresh loops were spawned.
    pub(super) started: AtomicBool,
    pub(super) tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// Where state changes are sent to subscribers.
    pub(super) hub: Hub,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for task in self.tasks.get_mut().map(std::mem::take).unwrap_or_default() {
            task.abort();
        }
    }
}

impl Health {
    /// The runtime of what was registered: follows the live configs and starts the
    /// background loops (at once inside a tokio runtime, else at the first probe).
    pub(super) fn start(setup: Setup) -> Health {
        let health = Health {
            inner: Arc::new(Inner {
                setup,
                shutting_down: AtomicBool::new(false),
                startup_done: AtomicBool::new(false),
                generation: AtomicU64::new(0),
                rendered: arc_swap::ArcSwapOption::empty(),
                started: AtomicBool::new(false),
                tasks: Mutex::new(Vec::new()),
                hub: Hub::new(),
            }),
        };
        health.follow_live_config();
        health.start_background();
        health
    }

    /// Hears every publish of each live config part, to send its changes to subscribers.
    /// Each listener holds the runtime weakly and stops once it is gone.
    fn follow_live_config(&self) {
        for part in &self.inner.setup.config {
            let ConfigEntries::Live(feed) = &part.entries else {
                continue;
            };
            let weak = Arc::downgrade(&self.inner);
            feed.listen(Box::new(move |old, new| {
                let Some(inner) = weak.upgrade() else {
                    return false;
                };
                if inner.hub.listening() {
                    let health = Health { inner };
                    health.inner.hub.config_changed(&health, old, new);
                }
                true
            }));
        }
    }

    /// The handle of a heartbeat registered with
    /// [`liveness_heartbeat`](super::HealthBuilder::liveness_heartbeat).
    pub fn heartbeat(&self, name: &str) -> Option<Heartbeat> {
        self.inner
            .setup
            .heartbeats
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, beat)| beat.clone())
    }

    /// Starts draining: readiness fails with `shutting_down` from now on, liveness is
    /// unchanged, so the load balancer stops sending traffic while in-flight work finishes.
    pub fn shutdown(&self) {
        if !self.inner.shutting_down.swap(true, Ordering::SeqCst) {
            tracing::info!("shutting down: readiness now fails so traffic drains");
            self.inner.hub.changed(self);
        }
    }

    /// Whether [`shutdown`](Self::shutdown) was called.
    pub fn is_shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::SeqCst)
    }

    /// Waits for Ctrl-C or SIGTERM, marks the service as shutting down, then waits `drain`
    /// so probes see 503 before the server stops. Made for a server's graceful shutdown:
    /// `axum::serve(..).with_graceful_shutdown(health.shutdown_on_signal(drain))`.
    pub async fn shutdown_on_signal(self, drain: Duration) {
        shutdown_signal().await;
        self.shutdown();
        tokio::time::sleep(drain).await;
    }

    /// Whether readiness passes right now (from the cached results).
    pub async fn is_ready(&self) -> bool {
        self.report(Probe::Readiness).await.is_ready()
    }

    /// The report of a probe, from the cache. A stale probe-driven check starts one
    /// background refresh; only a check that never ran is waited for (bounded by its timeout).
    pub async fn report(&self, probe: Probe) -> crate::report::Report {
        self.prepare(probe).await;
        self.snapshot(probe)
    }

    /// Every registered dependency check's settings, in registration order.
    pub fn check_settings(&self) -> Vec<CheckSettings> {
        self.inner
            .setup
            .checks
            .iter()
            .map(|c| CheckSettings {
                name: c.name.to_string(),
                probe: c.probe,
                timeout: c.options.timeout,
                refresh: c.options.refresh,
                critical: c.options.critical,
            })
            .collect()
    }

    /// Every liveness signal that counts silence (heartbeats, request progress) with the
    /// silence it allows: what Kubernetes' liveness probe must not cut short.
    pub fn liveness_limits(&self) -> Vec<(String, Duration)> {
        self.inner
            .setup
            .signals
            .iter()
            .filter(|s| s.probe == Probe::Liveness)
            .filter_map(|s| Some((s.name.clone(), s.signal.silence_limit()?)))
            .collect()
    }

    /// The startup grace period.
    pub fn startup_grace(&self) -> Duration {
        self.inner.setup.grace
    }

    /// How many runs of a check have finished since the start: how a test proves that
    /// probes did not call a dependency.
    pub fn runs(&self, name: &str) -> Option<u64> {
        self.inner
            .setup
            .checks
            .iter()
            .find(|c| c.name == name)
            .map(RegisteredCheck::runs)
    }

    /// Whether the `?detail` view is enabled.
    pub(crate) fn details_exposed(&self) -> bool {
        self.inner.setup.details
    }

    /// The `/metrics` body when metrics are served by us, with each probe's result updated.
    pub(crate) fn metrics_text(&self) -> Option<String> {
        #[cfg(feature = "prometheus")]
        if let Some(registry) = &self.inner.setup.registry {
            for probe in [Probe::Liveness, Probe::Readiness, Probe::Startup] {
                let report = self.snapshot(probe);
                self.inner
                    .setup
                    .metrics
                    .probe(probe.as_str(), report.is_ready());
            }
            // Signals never run: their status is read now.
            for signal in &self.inner.setup.signals {
                let entry = signal.report_entry();
                self.inner
                    .setup
                    .metrics
                    .status(entry.name(), entry.status());
            }
            return Some(crate::metrics::render(registry));
        }
        None
    }
}

impl Inner {
    /// Whether startup is over: the grace period has passed, or every startup check has
    /// passed once. Both only ever become true, so the answer is kept once it is.
    pub(super) fn startup_over(&self) -> bool {
        if self.startup_done.load(Ordering::Relaxed) {
            return true;
        }
        let mut startup = self
            .setup
            .checks
            .iter()
            .filter(|c| c.probe == Probe::Startup)
            .peekable();
        let checks_passed = startup.peek().is_some() && startup.all(RegisteredCheck::passed_once);
        let over = checks_passed || self.setup.epoch.elapsed() >= self.setup.grace;
        if over {
            self.startup_done.store(true, Ordering::Relaxed);
        }
        over
    }
}
