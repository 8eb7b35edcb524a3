//! The request-progress watchdog: liveness from real traffic, "time since the last request
//! completed" while requests are in flight.
//!
//! A [`RequestWatchdog`] counts the requests in flight and the requests completed, lock-free.
//! Liveness fails with `stalled` when requests are in flight and none has completed for the
//! watchdog's limit: every worker is wedged on a deadlocked lock, a runaway loop holds the
//! executor, a handler waits on a future nobody wakes. An idle service (nothing in flight)
//! stays live however long it idles, and a request arriving after a long idle time starts a
//! fresh count.
//!
//! # One word, so a reader never sees a false stall
//!
//! The count of requests in flight and the time of the last progress (the last completion,
//! or the moment the service went from idle to busy) live in **one** `AtomicU64`: the count
//! in the low 24 bits, milliseconds since the watchdog's epoch in the high 40 bits (34
//! years). Every change is a single compare-and-swap of the whole word:
//!
//! - a request begins: the count goes up; if it was 0 (idle to busy), the timestamp becomes
//!   now in the same swap;
//! - a request completes: the count goes down and the timestamp becomes now, in one swap;
//! - a request is abandoned (its future dropped before it resolved): the count goes down, the
//!   timestamp is left alone, since nothing completed.
//!
//! A probe loads the word once, then reads the clock. Whatever it loads is a state the word
//! really had, never a count from one moment and a timestamp from another. In every state
//! with a non-zero count, the timestamp is at least the moment the current busy period began
//! and at least the last completion in it. So the silence a probe computes (clock minus
//! timestamp) is never longer than the time the service has really been busy with nothing
//! completing. That is exactly a stall. Two separate atomics could not promise this. With
//! "increment, then store the time", a probe between the two sees the new count with the
//! timestamp left over from before the idle hour, and reports a false stall. With "store the
//! time, then increment", the begin must first decide it is the idle-to-busy transition,
//! which races with the last completion.
//!
//! The clock is read inside the swap's retry loop, just before each attempt. If the swap
//! succeeds with that reading, nothing touched the word in between. A thread held off
//! between reading the clock and swapping makes its own request look older than it is, but
//! only by the time that request itself was held up. No other request is affected.
//!
//! Timestamps are milliseconds since an epoch [`tokio::time::Instant`], as for
//! [`Heartbeat`](crate::Heartbeat), so tests can drive the watchdog with tokio's paused clock.
//! A single word needs no ordering with other memory, so the atomics are `Relaxed`. The
//! `completed` total is a separate counter and is only informational.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::clock::{self, millis_since};
use crate::http::route;
use crate::outcome::Outcome;
use crate::runtime::{HealthBuilder, Probe, Signal};
use crate::status::Code;

/// Bits of the state word holding the count of requests in flight.
const COUNT_BITS: u32 = 24;
/// The largest count; a request begun at this count is not counted (see [`InFlightRequest`]).
const MAX_COUNT: u64 = (1 << COUNT_BITS) - 1;
/// The largest timestamp, in milliseconds (about 34.8 years).
const MAX_MILLIS: u64 = u64::MAX >> COUNT_BITS;

fn pack(millis: u64, count: u64) -> u64 {
    (millis.min(MAX_MILLIS) << COUNT_BITS) | count
}

fn count(state: u64) -> u64 {
    state & MAX_COUNT
}

fn millis(state: u64) -> u64 {
    state >> COUNT_BITS
}

/// A liveness watchdog fed by the service's own requests: it fails with `stalled` when
/// requests are in flight and none has completed for its limit.
///
/// It catches the stuck process that a heartbeat misses. The process is up and its probes
/// answer, but every request hangs, for instance on a deadlocked lock or an exhausted pool
/// that nothing returns to. The name says what it watches (request progress) and what it
/// does (bites when progress stops). There is nothing to tick: the
/// adapters count every request (`health::axum::RequestWatchdogLayer` or
/// `health::tower::RequestWatchdogLayer`, `health::actix::RequestWatchdogMiddleware`), and
/// [`begin`](Self::begin) or [`watch`](Self::watch) count other work.
///
/// - **Idle stays live.** With nothing in flight, it passes however long the service idles.
/// - **Busy needs completions.** With requests in flight, some request must complete at
///   least once per limit. Busy and completing, it passes.
/// - **Idle to busy starts fresh.** The first request after an idle time starts the count of
///   silence; the idle time is never counted as a stall.
/// - **Errors are completions.** A request whose response future resolves has completed,
///   whether it ended in an error response, a handler error, or a panic. A hung database
///   must not restart the pod while the app's own timeouts still end its requests. **The
///   limit must therefore exceed the app's request timeout**, or a burst of timed-out
///   requests looks like a stall.
/// - **Abandoned is not completed.** A request dropped before it resolved (the client went
///   away and the server cancelled the handler) leaves the count without marking progress.
///
/// Register it with [`HealthBuilder::request_watchdog`]. Its
/// [`silence_limit`](Signal::silence_limit) is the limit, so `config probes` derives a
/// Kubernetes liveness probe that never restarts the container for a shorter stall. The
/// failing body says how many requests are in flight and how long none has completed
/// (`observedValue`, in seconds).
///
/// Cloning is cheap; every clone counts into the same watchdog.
///
/// ```
/// # use health_core as health;
/// use std::time::Duration;
/// use health::{Health, RequestWatchdog};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// // Longer than the app's own request timeout (say 10 s).
/// let watchdog = RequestWatchdog::new(Duration::from_secs(30));
/// let health = Health::builder()
///     .request_watchdog("requests", &watchdog)
///     .build();
/// // axum: app.layer(health::axum::RequestWatchdogLayer::new(&watchdog))
/// // Work that is not an HTTP request:
/// let answer = watchdog.watch(async { 42 }).await;
/// assert_eq!((answer, watchdog.completed()), (42, 1));
/// assert!(health.report(health::Probe::Liveness).await.is_ready());
/// # }
/// ```
#[derive(Clone)]
pub struct RequestWatchdog {
    shared: Arc<Shared>,
    limit: Duration,
}

/// What every clone of a watchdog, and every request it counts, shares.
struct Shared {
    epoch: Instant,
    /// The count in flight (low [`COUNT_BITS`]) and the time of the last progress in
    /// milliseconds since `epoch` (the rest), changed together.
    state: AtomicU64,
    /// Requests completed since the start: informational.
    completed: AtomicU64,
}

impl Shared {
    fn now_millis(&self) -> u64 {
        millis_since(self.epoch)
    }

    /// One counted request leaves: completed (progress now) or abandoned (no progress).
    fn end(&self, completed: bool) {
        if completed {
            self.completed.fetch_add(1, Ordering::Relaxed);
        }
        // The closure always returns `Some`: the update cannot fail.
        let _ = self
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |state| {
                let last = if completed {
                    self.now_millis().max(millis(state))
                } else {
                    millis(state)
                };
                Some(pack(last, count(state).saturating_sub(1)))
            });
    }
}

impl RequestWatchdog {
    /// A watchdog that fails liveness when requests are in flight and none has completed for
    /// `limit`. Make it longer than the app's own request timeout.
    pub fn new(limit: Duration) -> RequestWatchdog {
        RequestWatchdog::with_epoch(Instant::now(), limit)
    }

    fn with_epoch(epoch: Instant, limit: Duration) -> RequestWatchdog {
        RequestWatchdog {
            shared: Arc::new(Shared {
                epoch,
                state: AtomicU64::new(0),
                completed: AtomicU64::new(0),
            }),
            limit,
        }
    }

    /// How long requests in flight may go without one completing.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Counts one request in flight until the returned guard is
    /// [`complete`](InFlightRequest::complete)d (progress) or dropped (abandoned, no
    /// progress; completed if dropped by a panic unwinding).
    pub fn begin(&self) -> InFlightRequest {
        let shared = &self.shared;
        let counted = shared
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |state| {
                match count(state) {
                    MAX_COUNT => None,
                    // Idle to busy: the silence starts now, in the same swap as the count.
                    0 => Some(pack(shared.now_millis().max(millis(state)), 1)),
                    // Busy: the count goes up, the last progress stays.
                    _ => Some(state + 1),
                }
            })
            .is_ok();
        InFlightRequest {
            shared: counted.then(|| Arc::clone(shared)),
        }
    }

    /// Runs `work` as one request: in flight while it runs, completed when it resolves, and
    /// abandoned if it is dropped first. For work that no adapter sees (a gRPC handler, a job
    /// taken from a queue).
    pub async fn watch<F: Future>(&self, work: F) -> F::Output {
        let request = self.begin();
        let output = work.await;
        request.complete();
        output
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> u64 {
        count(self.shared.state.load(Ordering::Relaxed))
    }

    /// Requests completed since the watchdog was created.
    pub fn completed(&self) -> u64 {
        self.shared.completed.load(Ordering::Relaxed)
    }

    /// How long the requests in flight have gone without one completing, counted from the
    /// last completion or from the moment the service last went from idle to busy, whichever
    /// is later. Zero when nothing is in flight.
    pub fn silence(&self) -> Duration {
        self.read().1
    }

    /// Whether requests are in flight and none has completed for longer than the limit.
    pub fn is_stalled(&self) -> bool {
        let (in_flight, silence) = self.read();
        in_flight > 0 && silence > self.limit
    }

    /// Requests in flight and their silence, from one load of the state word.
    fn read(&self) -> (u64, Duration) {
        let state = self.shared.state.load(Ordering::Relaxed);
        let in_flight = count(state);
        if in_flight == 0 {
            return (0, Duration::ZERO);
        }
        // The clock is read after the load, so it is never earlier than the timestamp.
        let now = self.shared.now_millis();
        let silence = Duration::from_millis(now.saturating_sub(millis(state)));
        (in_flight, silence)
    }

    /// Whether the adapters leave a request for `path` out of the count: a probe's path
    /// (`/health`, `/livez`, `/ready`, `/readyz`, `/startup`, `/startupz`, `/ready/<check>`)
    /// or `/metrics`, under any mount prefix (`/internal/ready/db` too).
    ///
    /// Probes and scrapers arrive on a timer whatever the app is doing. Counted, they would
    /// keep an idle service busy and mark progress for a wedged one. An app route that merely
    /// ends like a probe path (`/orders/ready`) is left out as well: it is not watched, it
    /// never causes a false failure.
    pub fn ignores_path(path: &str) -> bool {
        let path = path.trim_end_matches('/');
        if path == "metrics" || path.ends_with("/metrics") || route(path).is_some() {
            return true;
        }
        path.match_indices('/')
            .any(|(start, _)| route(&path[start..]).is_some())
    }
}

impl fmt::Debug for RequestWatchdog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (in_flight, silence) = self.read();
        f.debug_struct("RequestWatchdog")
            .field("limit", &self.limit)
            .field("in_flight", &in_flight)
            .field("completed", &self.completed())
            .field("silence", &silence)
            .finish()
    }
}

/// The watchdog as a liveness signal: `stalled` while requests are in flight and none has
/// completed for the limit.
impl Signal for RequestWatchdog {
    fn outcome(&self) -> Outcome {
        let (in_flight, silence) = self.read();
        if in_flight == 0 || silence <= self.limit {
            return Outcome::pass();
        }
        let requests = if in_flight == 1 {
            "request"
        } else {
            "requests"
        };
        Outcome::fail(
            Code::STALLED,
            format!(
                "{in_flight} {requests} in flight, none completed in the last {:?} (limit {:?})",
                truncate_to_millis(silence),
                self.limit
            ),
        )
        .with_observed(silence.as_secs_f64(), "s")
    }

    /// 0 while passing. While stalled, the silence in milliseconds and the count in flight,
    /// which are all the failing outcome shows, packed into an odd number.
    fn version(&self) -> u64 {
        let (in_flight, silence) = self.read();
        if in_flight == 0 || silence <= self.limit {
            return 0;
        }
        let silence = clock::millis(silence);
        (((silence << COUNT_BITS) | in_flight) << 1) | 1
    }

    fn silence_limit(&self) -> Option<Duration> {
        Some(self.limit)
    }
}

fn truncate_to_millis(duration: Duration) -> Duration {
    Duration::from_millis(clock::millis(duration))
}

/// One request counted in flight by [`RequestWatchdog::begin`].
///
/// [`complete`](Self::complete) it when the request has ended: that is progress, whatever
/// the response says. Dropping it without completing means the request was abandoned. The
/// count goes down, but no progress is marked: a handler cancelled because its client gave
/// up did not finish its work. A drop during a panic's unwinding counts as completed, since
/// the request ended.
///
/// In the rare case where 16 777 215 requests are already in flight, a new one is not
/// counted, and its guard does nothing.
#[must_use = "the request counts as in flight until this is completed or dropped"]
pub struct InFlightRequest {
    /// `None` once ended, or when the request was not counted.
    shared: Option<Arc<Shared>>,
}

impl InFlightRequest {
    /// The request has ended (with any response, an error included): progress now.
    pub fn complete(mut self) {
        if let Some(shared) = self.shared.take() {
            shared.end(true);
        }
    }
}

impl Drop for InFlightRequest {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.end(std::thread::panicking());
        }
    }
}

impl fmt::Debug for InFlightRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InFlightRequest")
            .field("counted", &self.shared.is_some())
            .finish()
    }
}

impl HealthBuilder {
    /// Adds a [`RequestWatchdog`] to liveness under `name`: critical unless
    /// [`non_critical`](Self::non_critical). Liveness fails with `stalled` when requests are
    /// in flight and none has completed for the watchdog's limit.
    pub fn request_watchdog(
        self,
        name: impl Into<String>,
        watchdog: &RequestWatchdog,
    ) -> HealthBuilder {
        self.signal(name, Probe::Liveness, watchdog.clone())
    }
}

#[cfg(test)]
mod tests;
