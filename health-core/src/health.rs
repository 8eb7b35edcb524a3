//! The runtime: named checks with timeouts, caching, thresholds and criticality, startup and
//! shutdown, evaluated into liveness and readiness reports.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::time::Instant;

use crate::check::HealthCheck;
use crate::error::ContractError;
use crate::heartbeat::Heartbeat;
use crate::load::Loaded;
use crate::metrics::Metrics;
use crate::outcome::Outcome;
use crate::report::{Check, Report};
use crate::status::{Code, Status};

/// Default hard timeout of a check run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// Default interval of background refreshes.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(5);

/// Which probe a report answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Probe {
    /// `/health`, `/livez`: the process makes progress (heartbeats only, never a dependency).
    Liveness,
    /// `/ready`, `/readyz`: config, critical dependencies, startup over, not shutting down.
    Readiness,
    /// `/startup`, `/startupz`: startup is over (grace elapsed or startup checks passed once).
    Startup,
}

impl Probe {
    /// `liveness`, `readiness` or `startup`.
    pub fn as_str(self) -> &'static str {
        match self {
            Probe::Liveness => "liveness",
            Probe::Readiness => "readiness",
            Probe::Startup => "startup",
        }
    }
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Readiness,
    Startup,
}

/// Per-check settings; set on the builder after the check they apply to.
#[derive(Clone, Copy, Debug)]
struct Options {
    timeout: Duration,
    critical: bool,
    refresh: Refresh,
    failure_threshold: u32,
    success_threshold: u32,
    last_success_within: Option<Duration>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timeout: DEFAULT_TIMEOUT,
            critical: true,
            refresh: Refresh::Every(DEFAULT_REFRESH),
            failure_threshold: 1,
            success_threshold: 1,
            last_success_within: None,
        }
    }
}

struct Spec {
    name: String,
    group: Group,
    check: Arc<dyn HealthCheck>,
    options: Options,
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

/// Where a config report comes from: a [`Loaded`] config, a [`Report`], a
/// [`ContractError`], or a `Result` of a load.
pub trait ConfigReport {
    /// One check per variable.
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

/// Builds a [`Health`]. Per-check settings (`timeout`, `non_critical`, `refresh_every`, ...)
/// apply to the check added just before them; set before any check, they become the
/// defaults of the checks added afterwards.
///
/// ```
/// use std::time::Duration;
/// use health_core::{Health, Outcome};
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
    config: Vec<Check>,
    specs: Vec<Spec>,
    defaults: Options,
    heartbeats: Vec<(String, Duration)>,
    grace: Duration,
    details: bool,
    metrics: Option<Metrics>,
    #[cfg(feature = "prometheus")]
    registry: Option<prometheus_client::registry::Registry>,
}

impl HealthBuilder {
    /// Adds one readiness check per config variable (from the derive's report).
    pub fn config(mut self, source: &impl ConfigReport) -> HealthBuilder {
        self.config
            .extend(source.config_report().checks().iter().cloned());
        self
    }

    /// Adds a readiness check: critical unless [`non_critical`](Self::non_critical).
    pub fn readiness(self, name: impl Into<String>, check: impl HealthCheck) -> HealthBuilder {
        self.add(name.into(), Group::Readiness, Arc::new(check))
    }

    /// Adds a startup check: readiness waits until it has passed once (or the grace period
    /// is over); after that it is no longer run.
    pub fn startup(self, name: impl Into<String>, check: impl HealthCheck) -> HealthBuilder {
        self.add(name.into(), Group::Startup, Arc::new(check))
    }

    fn add(mut self, name: String, group: Group, check: Arc<dyn HealthCheck>) -> HealthBuilder {
        self.specs.retain(|s| s.name != name);
        self.specs.push(Spec {
            name,
            group,
            check,
            options: self.defaults,
        });
        self
    }

    fn options(&mut self) -> &mut Options {
        match self.specs.last_mut() {
            Some(spec) => &mut spec.options,
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
        self.options().failure_threshold = failures.max(1);
        self
    }

    /// Consecutive successes needed before a failing check turns to `pass` (default 1).
    pub fn success_threshold(mut self, successes: u32) -> HealthBuilder {
        self.options().success_threshold = successes.max(1);
        self
    }

    /// The check passes while its last success is younger than `window`, whatever the runs
    /// in between say: for a dependency checked rarely or known to blip.
    pub fn last_success_within(mut self, window: Duration) -> HealthBuilder {
        self.options().last_success_within = Some(window);
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
        let entries = self
            .specs
            .into_iter()
            .map(|spec| Entry {
                spec,
                state: Mutex::new(State::default()),
                run_lock: tokio::sync::Mutex::new(()),
                refreshing: AtomicBool::new(false),
            })
            .collect();
        let heartbeats = self
            .heartbeats
            .into_iter()
            .map(|(name, max)| (name, max, Heartbeat::new(epoch)))
            .collect();
        let metrics = self.metrics.unwrap_or_default();
        for check in &self.config {
            metrics.status(check.name(), check.status());
        }
        let health = Health {
            inner: Arc::new(Inner {
                metrics,
                #[cfg(feature = "prometheus")]
                registry: self.registry,
                config: self.config,
                entries,
                heartbeats,
                epoch,
                grace: self.grace,
                details: self.details,
                shutting_down: AtomicBool::new(false),
                startup_done: AtomicBool::new(false),
                generation: AtomicU64::new(0),
                cache: arc_swap::ArcSwapOption::empty(),
                started: AtomicBool::new(false),
                tasks: Mutex::new(Vec::new()),
            }),
        };
        health.start_background();
        health
    }
}

/// Liveness and readiness of a service: cheap to clone, shared by the HTTP handlers and the
/// app's loops.
#[derive(Clone)]
pub struct Health {
    inner: Arc<Inner>,
}

struct Inner {
    metrics: Metrics,
    #[cfg(feature = "prometheus")]
    registry: Option<prometheus_client::registry::Registry>,
    config: Vec<Check>,
    entries: Vec<Entry>,
    heartbeats: Vec<(String, Duration, Heartbeat)>,
    epoch: Instant,
    grace: Duration,
    details: bool,
    shutting_down: AtomicBool,
    /// Set once startup is over (it never ends twice).
    startup_done: AtomicBool,
    /// Bumped whenever a check's effective result changes: the key of the rendered cache.
    generation: AtomicU64,
    cache: arc_swap::ArcSwapOption<Rendered>,
    started: AtomicBool,
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for task in self.tasks.get_mut().map(std::mem::take).unwrap_or_default() {
            task.abort();
        }
    }
}

/// The readiness body rendered for one state, served until the state changes.
pub(crate) struct Rendered {
    pub(crate) key: (u64, bool, bool),
    pub(crate) status: Status,
    pub(crate) body: bytes::Bytes,
}

struct Entry {
    spec: Spec,
    state: Mutex<State>,
    /// Held while a run is in flight: single-flight for probe-driven refreshes.
    run_lock: tokio::sync::Mutex<()>,
    /// Set while a background refresh started by a probe is under way.
    refreshing: AtomicBool,
}

#[derive(Default)]
struct State {
    /// The result probes see, after thresholds; `None` until the first run.
    effective: Option<Outcome>,
    consecutive_failures: u32,
    consecutive_successes: u32,
    last_success: Option<Instant>,
    last_run: Option<Instant>,
    runs: u64,
}

impl Health {
    /// A builder with no checks.
    pub fn builder() -> HealthBuilder {
        HealthBuilder {
            config: Vec::new(),
            specs: Vec::new(),
            defaults: Options::default(),
            heartbeats: Vec::new(),
            grace: Duration::ZERO,
            details: false,
            metrics: None,
            #[cfg(feature = "prometheus")]
            registry: None,
        }
    }

    /// The handle of a heartbeat registered with
    /// [`liveness_heartbeat`](HealthBuilder::liveness_heartbeat).
    pub fn heartbeat(&self, name: &str) -> Option<Heartbeat> {
        self.inner
            .heartbeats
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, beat)| beat.clone())
    }

    /// Starts draining: readiness fails with `shutting_down` from now on, liveness is
    /// unchanged, so the load balancer stops sending traffic while in-flight work finishes.
    pub fn shutdown(&self) {
        if !self.inner.shutting_down.swap(true, Ordering::SeqCst) {
            tracing::info!("shutting down: readiness now fails so traffic drains");
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
    pub async fn report(&self, probe: Probe) -> Report {
        self.prepare(probe).await;
        self.snapshot(probe)
    }

    /// Starts background tasks if not yet started, refreshes stale probe-driven checks in the
    /// background, and waits for the first run of those that never ran.
    pub(crate) async fn prepare(&self, probe: Probe) {
        self.start_background();
        if probe == Probe::Liveness {
            return;
        }
        let mut first_runs = Vec::new();
        for (index, entry) in self.inner.entries.iter().enumerate() {
            let Refresh::OnProbe(ttl) = entry.spec.options.refresh else {
                continue;
            };
            if entry.spec.group == Group::Startup && entry.passed_once() {
                continue;
            }
            match entry.lock().last_run {
                // Never ran: this probe waits for the first result (bounded by the timeout).
                None => first_runs.push(index),
                // Stale: refresh in the background, answer from the cache now.
                Some(at) if at.elapsed() >= ttl => self.inner.clone().refresh_in_background(index),
                Some(_) => {}
            }
        }
        if first_runs.is_empty() {
            return;
        }
        let runs = first_runs.into_iter().map(|index| {
            let inner = self.inner.clone();
            async move { inner.refresh_on_probe(index).await }
        });
        futures_join_all(runs).await;
    }

    /// The report from the current state, without running anything.
    pub(crate) fn snapshot(&self, probe: Probe) -> Report {
        let inner = &self.inner;
        let mut checks = Vec::new();
        match probe {
            Probe::Liveness => {
                for (name, max, beat) in &inner.heartbeats {
                    let silence = beat.silence();
                    checks.push(if silence <= *max {
                        Check::pass(name.clone())
                    } else {
                        Check::fail(
                            name.clone(),
                            Code::STALLED,
                            format!(
                                "no heartbeat for {}s (limit {}s)",
                                silence.as_secs(),
                                max.as_secs()
                            ),
                        )
                    });
                }
            }
            Probe::Readiness => {
                if self.is_shutting_down() {
                    checks.push(Check::fail(
                        "shutdown",
                        Code::SHUTTING_DOWN,
                        "the service is shutting down",
                    ));
                }
                if !inner.startup_over() {
                    checks.push(Check::fail(
                        "startup",
                        Code::STARTING,
                        "the service is starting",
                    ));
                }
                checks.extend(inner.config.iter().cloned());
                for entry in &inner.entries {
                    checks.push(entry.check());
                }
            }
            Probe::Startup => {
                if !inner.startup_over() {
                    checks.push(Check::fail(
                        "startup",
                        Code::STARTING,
                        "the service is starting",
                    ));
                }
                for entry in inner
                    .entries
                    .iter()
                    .filter(|e| e.spec.group == Group::Startup)
                {
                    checks.push(entry.check());
                }
            }
        }
        Report::new(checks)
    }

    /// The rendered default readiness body, cached until any state changes.
    pub(crate) fn rendered_readiness(&self) -> Arc<Rendered> {
        let inner = &self.inner;
        let key = (
            inner.generation.load(Ordering::Acquire),
            inner.startup_over(),
            self.is_shutting_down(),
        );
        if let Some(cached) = inner.cache.load_full().filter(|c| c.key == key) {
            return cached;
        }
        let report = self.snapshot(Probe::Readiness);
        let rendered = Arc::new(Rendered {
            key,
            status: report.status(),
            body: bytes::Bytes::from(report.to_json()),
        });
        inner.cache.store(Some(rendered.clone()));
        rendered
    }

    /// The `/metrics` body when metrics are served by us, with each probe's result updated.
    pub(crate) fn metrics_text(&self) -> Option<String> {
        #[cfg(feature = "prometheus")]
        if let Some(registry) = &self.inner.registry {
            for probe in [Probe::Liveness, Probe::Readiness, Probe::Startup] {
                let up = self.snapshot(probe).is_ready();
                self.inner.metrics.probe(probe.as_str(), up);
            }
            return Some(crate::metrics::render(registry));
        }
        None
    }

    /// Whether the `?detail` view is enabled.
    pub(crate) fn details_exposed(&self) -> bool {
        self.inner.details
    }

    /// Every registered dependency check's settings, in registration order.
    pub fn check_settings(&self) -> Vec<CheckSettings> {
        self.inner
            .entries
            .iter()
            .map(|e| CheckSettings {
                name: e.spec.name.clone(),
                probe: match e.spec.group {
                    Group::Readiness => Probe::Readiness,
                    Group::Startup => Probe::Startup,
                },
                timeout: e.spec.options.timeout,
                refresh: e.spec.options.refresh,
                critical: e.spec.options.critical,
            })
            .collect()
    }

    /// Every liveness heartbeat with its maximum silence.
    pub fn heartbeat_limits(&self) -> Vec<(String, Duration)> {
        self.inner
            .heartbeats
            .iter()
            .map(|(name, max, _)| (name.clone(), *max))
            .collect()
    }

    /// The startup grace period.
    pub fn startup_grace(&self) -> Duration {
        self.inner.grace
    }

    /// How many times a check has run (tests and metrics).
    pub fn runs(&self, name: &str) -> Option<u64> {
        self.inner
            .entries
            .iter()
            .find(|e| e.spec.name == name)
            .map(|e| e.lock().runs)
    }

    fn start_background(&self) {
        // Every probe comes through here: the common case is one relaxed load.
        if self.inner.started.load(Ordering::Relaxed) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.inner.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut tasks = Vec::new();
        for (index, entry) in self.inner.entries.iter().enumerate() {
            if let Refresh::Every(interval) = entry.spec.options.refresh {
                let weak = Arc::downgrade(&self.inner);
                tasks.push(runtime.spawn(refresh_loop(weak, index, interval)));
            }
        }
        if let Ok(mut slot) = self.inner.tasks.lock() {
            slot.extend(tasks);
        }
    }
}

/// Runs one background-refreshed check forever, holding only a weak reference so that the
/// task ends when the last `Health` is dropped.
async fn refresh_loop(weak: Weak<Inner>, index: usize, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let entry = &inner.entries[index];
        if entry.spec.group == Group::Startup && entry.passed_once() {
            return;
        }
        inner.run(index).await;
    }
}

impl Inner {
    /// Whether startup is over: the grace period has passed, or every startup check has
    /// passed once. Both only ever become true, so the answer is kept once it is.
    fn startup_over(&self) -> bool {
        if self.startup_done.load(Ordering::Relaxed) {
            return true;
        }
        let mut startup = self
            .entries
            .iter()
            .filter(|e| e.spec.group == Group::Startup)
            .peekable();
        let checks_passed = startup.peek().is_some() && startup.all(Entry::passed_once);
        let over = checks_passed || self.epoch.elapsed() >= self.grace;
        if over {
            self.startup_done.store(true, Ordering::Relaxed);
        }
        over
    }

    /// Starts one background refresh of a probe-driven check unless one is under way.
    fn refresh_in_background(self: Arc<Inner>, index: usize) {
        if self.entries[index].refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        tokio::spawn(async move {
            self.refresh_on_probe(index).await;
            self.entries[index]
                .refreshing
                .store(false, Ordering::Release);
        });
    }

    async fn refresh_on_probe(&self, index: usize) {
        let entry = &self.entries[index];
        let Refresh::OnProbe(ttl) = entry.spec.options.refresh else {
            return;
        };
        let _flight = entry.run_lock.lock().await;
        // Another probe may have refreshed it while this one waited.
        if entry.is_stale(ttl) {
            self.run(index).await;
        }
    }

    /// One run under the hard timeout, in its own task so a panic or a hang is contained.
    async fn run(&self, index: usize) {
        let entry = &self.entries[index];
        let timeout = entry.spec.options.timeout;
        let started = Instant::now();
        // Aborted when dropped: a probe that goes away never leaves a run behind.
        let mut task = AbortOnDrop(tokio::spawn(entry.spec.check.run()));
        let outcome = match tokio::time::timeout(timeout, &mut task.0).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) if error.is_panic() => {
                let panic = error.into_panic();
                let text = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-string panic payload".to_owned());
                Outcome::fail(Code::PANICKED, "the check panicked").with_detail(text)
            }
            Ok(Err(_)) => Outcome::fail(Code::ERROR, "the check was cancelled"),
            Err(_) => {
                task.0.abort();
                Outcome::fail(
                    Code::TIMEOUT,
                    format!("no answer within {}ms", timeout.as_millis()),
                )
            }
        };
        let duration = started.elapsed();
        let failed = outcome.status() == Status::Fail;
        if entry.record(outcome) {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        self.metrics.run(&entry.spec.name, duration, failed);
        self.metrics
            .status(&entry.spec.name, entry.check().status());
    }
}

impl Entry {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn is_stale(&self, ttl: Duration) -> bool {
        self.lock().last_run.is_none_or(|at| at.elapsed() >= ttl)
    }

    fn passed_once(&self) -> bool {
        self.lock().last_success.is_some()
    }

    /// Applies thresholds and the success window; returns whether what probes see changed
    /// (and logs that change once, with the raw detail).
    fn record(&self, outcome: Outcome) -> bool {
        let options = &self.spec.options;
        let mut state = self.lock();
        let now = Instant::now();
        state.runs += 1;
        state.last_run = Some(now);
        let succeeded = outcome.status() != Status::Fail;
        let was_passing = state
            .effective
            .as_ref()
            .is_some_and(|o| o.status() != Status::Fail);
        // The new effective result; `None` keeps an unknown check unknown.
        let next = if succeeded {
            state.consecutive_successes += 1;
            state.consecutive_failures = 0;
            state.last_success = Some(now);
            if was_passing || state.consecutive_successes >= options.success_threshold {
                Some(outcome)
            } else {
                state.effective.clone()
            }
        } else {
            state.consecutive_failures += 1;
            state.consecutive_successes = 0;
            let in_window = options
                .last_success_within
                .zip(state.last_success)
                .is_some_and(|(window, at)| at.elapsed() < window);
            let below_threshold = state.consecutive_failures < options.failure_threshold;
            if was_passing && (in_window || below_threshold) {
                state.effective.clone()
            } else {
                Some(outcome)
            }
        };
        let old = std::mem::replace(&mut state.effective, next);
        let new = state.effective.as_ref();
        let changed = old.as_ref().map(|o| (o.status(), o.code().cloned()))
            != new.map(|o| (o.status(), o.code().cloned()));
        if changed {
            log_change(&self.spec.name, old.as_ref(), new);
        }
        // Messages and observed values can change without a status change; re-render then too.
        changed || old.as_ref() != new
    }

    /// The check as probes see it, criticality applied.
    fn check(&self) -> Check {
        let state = self.lock();
        match &state.effective {
            None => Check::fail(self.spec.name.clone(), Code::UNKNOWN, "no result yet"),
            Some(outcome) if outcome.status() == Status::Fail && !self.spec.options.critical => {
                Check::from_outcome(
                    self.spec.name.clone(),
                    &outcome.clone().with_status(Status::Warn),
                )
            }
            Some(outcome) => Check::from_outcome(self.spec.name.clone(), outcome),
        }
    }
}

fn log_change(name: &str, old: Option<&Outcome>, new: Option<&Outcome>) {
    let from = old.map_or("unknown", |o| o.status().as_str());
    let Some(new) = new else { return };
    let to = new.status().as_str();
    let code = new.code().map_or("", Code::as_str);
    let detail = new.detail().unwrap_or_default();
    if new.status() == Status::Pass {
        tracing::info!(check = name, from, to, "health check recovered");
    } else {
        tracing::warn!(
            check = name,
            from,
            to,
            code,
            detail,
            "health check changed state"
        );
    }
}

/// A task handle that aborts the task when dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Waits for every future (a tiny `join_all` without a dependency).
async fn futures_join_all<F: std::future::Future<Output = ()> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) {
    let mut set = tokio::task::JoinSet::new();
    for future in futures {
        set.spawn(future);
    }
    while set.join_next().await.is_some() {}
}

/// Waits for Ctrl-C or (on Unix) SIGTERM: what a container runtime sends before it stops a
/// process. For servers that drain without a [`Health`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
