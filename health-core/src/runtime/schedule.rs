//! When checks run: a background loop per `refresh_every` check, one refresh at a time per
//! `cache_for` check started by probes, and every run in its own task under its timeout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::handle::{Health, Inner};
use super::options::Refresh;
use super::probe::Probe;
use super::state::Recorded;
use crate::outcome::Outcome;
use crate::status::Code;

impl Health {
    /// Spawns the background refresh loops once, on the first call made inside a tokio
    /// runtime. Every probe comes through here: the common case is one relaxed load.
    pub(super) fn start_background(&self) {
        let Some(runtime) = first_start(&self.inner.started) else {
            return;
        };
        let mut tasks = Vec::new();
        for (index, check) in self.inner.setup.checks.iter().enumerate() {
            if let Refresh::Every(interval) = check.options.refresh {
                let weak = Arc::downgrade(&self.inner);
                tasks.push(runtime.spawn(refresh_loop(weak, index, interval)));
            }
        }
        if let Ok(mut slot) = self.inner.tasks.lock() {
            slot.extend(tasks);
        }
    }

    /// Starts background tasks if not yet started, refreshes stale probe-driven checks in the
    /// background, and waits for the first run of those that never ran.
    pub(crate) async fn prepare(&self, probe: Probe) {
        self.start_background();
        if probe == Probe::Liveness {
            return;
        }
        let mut first_runs = Vec::new();
        for (index, check) in self.inner.setup.checks.iter().enumerate() {
            let Refresh::OnProbe(ttl) = check.options.refresh else {
                continue;
            };
            if check.probe == Probe::Startup && check.passed_once() {
                continue;
            }
            match check.last_run() {
                // Never ran: this probe waits for the first result (bounded by the timeout).
                None => first_runs.push(index),
                // Stale: refresh in the background, answer from the cache now.
                Some(at) if at.elapsed() >= ttl => self.inner.clone().refresh_in_background(index),
                Some(_) => {}
            }
        }
        let runs = first_runs.into_iter().map(|index| {
            let inner = self.inner.clone();
            async move { inner.refresh_on_probe(index).await }
        });
        spawn_and_wait_all(runs).await;
    }
}

/// The tokio runtime to start background work on, for the first call made inside one;
/// `None` outside a runtime and once started. The common case is one relaxed load.
pub(crate) fn first_start(started: &AtomicBool) -> Option<tokio::runtime::Handle> {
    if started.load(Ordering::Relaxed) {
        return None;
    }
    let runtime = tokio::runtime::Handle::try_current().ok()?;
    (!started.swap(true, Ordering::SeqCst)).then_some(runtime)
}

/// Runs one background-refreshed check forever, holding only a weak reference so that the
/// task ends when the last `Health` is dropped. A startup check stops once it has passed.
async fn refresh_loop(weak: Weak<Inner>, index: usize, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let check = &inner.setup.checks[index];
        if check.probe == Probe::Startup && check.passed_once() {
            return;
        }
        inner.run(index).await;
    }
}

impl Inner {
    /// Starts one background refresh of a probe-driven check unless one is under way.
    fn refresh_in_background(self: Arc<Inner>, index: usize) {
        if self.setup.checks[index]
            .refreshing
            .swap(true, Ordering::AcqRel)
        {
            return;
        }
        tokio::spawn(async move {
            self.refresh_on_probe(index).await;
            self.setup.checks[index]
                .refreshing
                .store(false, Ordering::Release);
        });
    }

    /// One run of a probe-driven check, unless another probe's run made it fresh meanwhile.
    async fn refresh_on_probe(self: &Arc<Inner>, index: usize) {
        let check = &self.setup.checks[index];
        let Refresh::OnProbe(ttl) = check.options.refresh else {
            return;
        };
        let _flight = check.run_lock.lock().await;
        if check.is_stale(ttl) {
            self.run(index).await;
        }
    }

    /// One run under the hard timeout, in its own task so a panic or a hang is contained.
    async fn run(self: &Arc<Inner>, index: usize) {
        let check = &self.setup.checks[index];
        let timeout = check.options.timeout;
        let started = Instant::now();
        // Aborted when dropped: a probe that goes away never leaves a run behind.
        let mut task = AbortOnDrop(tokio::spawn(check.check.run()));
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
        self.setup.metrics.run(&check.name, duration, &outcome);
        // While somebody subscribes, recording and sending happen under the hub's lock, so
        // that events follow the order results were recorded in, across checks. A check
        // runs single-flight, so its own events are in order either way.
        let emitter = self.hub.emitter();
        let Recorded { rerender, change } = check.record(outcome, emitter.is_some());
        if rerender {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        if let (Some(mut emitter), Some(change)) = (emitter, change) {
            emitter.check(
                change,
                &Health {
                    inner: Arc::clone(self),
                },
            );
        }
        self.setup
            .metrics
            .status(&check.name, check.report_entry().status());
    }
}

/// A task handle that aborts the task when dropped.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Spawns every future as its own task and waits until all have finished: a `join_all`
/// whose futures run in parallel on the runtime's workers. Dropping the wait aborts them.
async fn spawn_and_wait_all<F>(futures: impl Iterator<Item = F>)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for future in futures {
        set.spawn(future);
    }
    while set.join_next().await.is_some() {}
}
