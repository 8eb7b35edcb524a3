//! The builder of a [`Health`]: checks, their settings, heartbeats, startup and details.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::config::{ConfigPart, ConfigReport};
use super::handle::{Health, Setup};
use super::heartbeat::{Heartbeat, HeartbeatSignal};
use super::options::{Options, Refresh};
use super::probe::Probe;
use super::signal::{RegisteredSignal, Signal};
use super::state::RegisteredCheck;
use crate::checks::HealthCheck;
use crate::metrics::Metrics;

/// Builds a [`Health`]. Per-check settings (`timeout`, `non_critical`, `refresh_every`, ...)
/// apply to the check added just before them; set before any check, they become the
/// defaults of the checks added afterwards.
///
/// ```
/// # use health_core as health;
/// use std::time::Duration;
/// use health::{Health, Outcome};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let health = Health::builder()
///     .readiness("cache", || async { Outcome::pass() })
///     .timeout(Duration::from_millis(300))
///     .readiness("payments_api", || async { Outcome::pass() })
///     .non_critical()
///     .refresh_every(Duration::from_secs(10))
///     .liveness_heartbeat("worker", Duration::from_secs(30))
///     .startup_grace(Duration::from_secs(10))
///     .build();
/// let worker = health.heartbeat("worker").unwrap();
/// worker.tick();
/// # }
/// ```
#[must_use = "call `.build()` to get a `Health`"]
pub struct HealthBuilder {
    config: Vec<ConfigPart>,
    checks: Vec<Pending>,
    defaults: Options,
    /// The tags of checks added before any other (set by `tag` before the first check).
    default_tags: Vec<String>,
    /// What `tag` applies to: the entries added last.
    last_added: Option<Added>,
    heartbeats: Vec<(String, Duration)>,
    grace: Duration,
    details: bool,
    metrics: Option<Metrics>,
    #[cfg(feature = "prometheus")]
    registry: Option<prometheus_client::registry::Registry>,
}

/// A check or signal added to the builder, its settings still open.
struct Pending {
    name: String,
    probe: Probe,
    outcome_from: OutcomeFrom,
    options: Options,
    tags: Vec<String>,
}

/// The kind of entries added last to the builder.
#[derive(Clone, Copy)]
enum Added {
    Check,
    Config,
    /// A liveness heartbeat: in no group (groups are readiness's).
    Heartbeat,
}

/// Where a pending entry's outcome comes from.
enum OutcomeFrom {
    /// Runs of a check.
    Runs(Arc<dyn HealthCheck>),
    /// A signal read at each probe.
    Signal(Arc<dyn Signal>),
}

impl Health {
    /// A builder with no checks.
    pub fn builder() -> HealthBuilder {
        HealthBuilder::new()
    }
}

impl HealthBuilder {
    fn new() -> HealthBuilder {
        HealthBuilder {
            config: Vec::new(),
            checks: Vec::new(),
            defaults: Options::default(),
            default_tags: Vec::new(),
            last_added: None,
            heartbeats: Vec::new(),
            grace: Duration::ZERO,
            details: false,
            metrics: None,
            #[cfg(feature = "prometheus")]
            registry: None,
        }
    }

    /// Adds one readiness entry per config variable (from the derive's report). A live
    /// config's entries follow its reloads.
    pub fn config(mut self, report: &impl ConfigReport) -> HealthBuilder {
        let mut part = ConfigPart::of(report);
        part.tags.clone_from(&self.default_tags);
        self.config.push(part);
        self.last_added = Some(Added::Config);
        self
    }

    /// Puts the entries added just before (a check, a signal, or the variables of one
    /// [`config`](Self::config) call) in the group `tag`, served at `/ready/group/<tag>`.
    /// Set before anything is added, it tags everything added afterwards. Repeat it for
    /// several groups. After a liveness heartbeat it does nothing: groups are readiness's.
    pub fn tag(mut self, tag: impl Into<String>) -> HealthBuilder {
        let tag = tag.into();
        let tags = match self.last_added {
            Some(Added::Check) => self.checks.last_mut().map(|c| &mut c.tags),
            Some(Added::Config) => self.config.last_mut().map(|c| &mut c.tags),
            Some(Added::Heartbeat) => None,
            None => Some(&mut self.default_tags),
        };
        if let Some(tags) = tags.filter(|tags| !tags.contains(&tag)) {
            tags.push(tag);
        }
        self
    }

    /// Adds a readiness check: critical unless [`non_critical`](Self::non_critical).
    pub fn readiness(self, name: impl Into<String>, check: impl HealthCheck) -> HealthBuilder {
        self.add(
            name.into(),
            Probe::Readiness,
            OutcomeFrom::Runs(Arc::new(check)),
        )
    }

    /// Adds a startup check: readiness waits until it has passed once (or the grace period
    /// is over); after that it is no longer run.
    pub fn startup(self, name: impl Into<String>, check: impl HealthCheck) -> HealthBuilder {
        self.add(
            name.into(),
            Probe::Startup,
            OutcomeFrom::Runs(Arc::new(check)),
        )
    }

    /// Adds a [`Signal`] to `probe`: read at each probe, never run. Critical unless
    /// [`non_critical`](Self::non_critical); of the per-check settings only criticality
    /// applies to it.
    pub fn signal(
        self,
        name: impl Into<String>,
        probe: Probe,
        signal: impl Signal,
    ) -> HealthBuilder {
        self.add(name.into(), probe, OutcomeFrom::Signal(Arc::new(signal)))
    }

    fn add(mut self, name: String, probe: Probe, outcome_from: OutcomeFrom) -> HealthBuilder {
        self.checks.retain(|c| c.name != name);
        self.checks.push(Pending {
            name,
            probe,
            outcome_from,
            options: self.defaults,
            tags: self.default_tags.clone(),
        });
        self.last_added = Some(Added::Check);
        self
    }

    fn options(&mut self) -> &mut Options {
        match self.checks.last_mut() {
            Some(check) => &mut check.options,
            None => &mut self.defaults,
        }
    }

    /// Hard timeout of one run (default 1 s); a run that takes longer fails with `timeout`
    /// and its task is aborted.
    pub fn timeout(mut self, timeout: Duration) -> HealthBuilder {
        self.options().timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// A failure gives `warn` (degraded, HTTP 200) instead of `fail`.
    pub fn non_critical(mut self) -> HealthBuilder {
        self.options().critical = false;
        self
    }

    /// A failure gives `fail` (HTTP 503): the default, except for checks that say otherwise
    /// (a passive check of a third party warns by default).
    pub fn critical(mut self) -> HealthBuilder {
        self.options().critical = true;
        self
    }

    /// Runs the check in the background at this interval (the default, every 5 s); probes
    /// read the cached result and never call the dependency.
    pub fn refresh_every(mut self, interval: Duration) -> HealthBuilder {
        self.options().refresh = Refresh::Every(interval.max(Duration::from_millis(1)));
        self
    }

    /// Refreshes the check from probes instead of on a timer: a probe that finds the result
    /// older than `ttl` starts one refresh and answers from the cache; before the first
    /// result, probes wait for one shared run. No probe traffic means no dependency calls.
    pub fn cache_for(mut self, ttl: Duration) -> HealthBuilder {
        self.options().refresh = Refresh::OnProbe(ttl);
        self
    }

    /// Consecutive failures needed before a passing check turns to `fail` (default 1).
    pub fn failure_threshold(mut self, failures: u32) -> HealthBuilder {
        self.options().thresholds.failures = failures.max(1);
        self
    }

    /// Consecutive successes needed before a failing check turns to `pass` (default 1).
    pub fn success_threshold(mut self, successes: u32) -> HealthBuilder {
        self.options().thresholds.successes = successes.max(1);
        self
    }

    /// The check passes while its last success is younger than `window`, whatever the runs
    /// in between say: for a dependency checked rarely or known to blip.
    pub fn last_success_within(mut self, window: Duration) -> HealthBuilder {
        self.options().thresholds.last_success_within = Some(window);
        self
    }

    /// A liveness heartbeat: liveness fails with `stalled` when it is not ticked for
    /// `max_silence`. Get its handle with [`Health::heartbeat`].
    pub fn liveness_heartbeat(
        mut self,
        name: impl Into<String>,
        max_silence: Duration,
    ) -> HealthBuilder {
        let name = name.into();
        self.heartbeats.retain(|(n, _)| *n != name);
        self.heartbeats.push((name, max_silence));
        self.last_added = Some(Added::Heartbeat);
        self
    }

    /// Readiness fails with `starting` for this long after start, unless the startup checks
    /// have all passed once before.
    pub fn startup_grace(mut self, grace: Duration) -> HealthBuilder {
        self.grace = grace;
        self
    }

    /// Lets `?detail` add each check's raw error text to the JSON body. Off by default: raw
    /// text can hold hostnames and driver messages.
    pub fn expose_details(mut self, expose: bool) -> HealthBuilder {
        self.details = expose;
        self
    }

    /// Records each check's status, run duration and failures, and each probe's result, in
    /// the app's own Prometheus registry (the app serves it).
    #[cfg(feature = "prometheus")]
    pub fn metrics(
        mut self,
        registry: &mut prometheus_client::registry::Registry,
    ) -> HealthBuilder {
        self.metrics = Some(Metrics::register(registry));
        self
    }

    /// Records the same metrics in a registry of our own, served at `/metrics` by
    /// [`Health::respond`] and so by every adapter.
    #[cfg(feature = "prometheus")]
    pub fn serve_metrics(mut self) -> HealthBuilder {
        let mut registry = prometheus_client::registry::Registry::default();
        self.metrics = Some(Metrics::register(&mut registry));
        self.registry = Some(registry);
        self
    }

    /// The runtime. Background refreshes start now when called inside a tokio runtime, or
    /// on the first probe otherwise.
    pub fn build(self) -> Health {
        let epoch = Instant::now();
        let mut heartbeats = Vec::new();
        let mut checks = Vec::new();
        let mut signals = Vec::new();
        for (name, max_silence) in self.heartbeats {
            let beat = Heartbeat::new(epoch);
            heartbeats.push((name.clone(), beat.clone()));
            signals.push(RegisteredSignal {
                name,
                probe: Probe::Liveness,
                signal: Arc::new(HeartbeatSignal { beat, max_silence }),
                critical: true,
                tags: Vec::new(),
            });
        }
        for pending in self.checks {
            match pending.outcome_from {
                OutcomeFrom::Runs(check) => checks.push(RegisteredCheck::new(
                    pending.name,
                    pending.probe,
                    check,
                    pending.options,
                    pending.tags,
                )),
                OutcomeFrom::Signal(signal) => signals.push(RegisteredSignal {
                    name: pending.name,
                    probe: pending.probe,
                    signal,
                    critical: pending.options.critical,
                    tags: pending.tags,
                }),
            }
        }
        let metrics = self.metrics.unwrap_or_default();
        let mut config = Vec::new();
        for part in &self.config {
            part.extend_into(&mut config);
        }
        for entry in &config {
            metrics.status(entry.name(), entry.status());
        }
        Health::start(Setup {
            config: self.config,
            checks,
            signals,
            heartbeats,
            epoch,
            grace: self.grace,
            details: self.details,
            metrics,
            #[cfg(feature = "prometheus")]
            registry: self.registry,
        })
    }
}
