//! The circuit breaker the app records its calls into, and its builder.

use std::borrow::Cow;
use std::fmt;
use std::future::IntoFuture;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::time::Instant;

use super::machine::{Inner, phase_state};
use super::settings::Settings;
use super::state::{MAX_OPEN, MAX_TRIALS, Phase};
use super::summary::{CircuitState, CircuitSummary};
use crate::outcome::Outcome;
use crate::runtime::{HealthBuilder, Probe, Signal};
use crate::status::Code;

/// Health from the outcomes of the app's real calls to one dependency, circuit-breaker style.
///
/// Named after the pattern whose states and settings it follows (resilience4j's
/// `CircuitBreaker`, Spring Boot's circuit breaker health indicator), because that is what
/// it is: the app's calls open and close it, and [`allow_call`](Self::allow_call) lets the
/// app stop calling a dependency that is down. Without `allow_call` it is a purely passive
/// observer. Cloning is cheap (an `Arc`); every clone records into the same breaker.
///
/// Defaults (each a [`CircuitBreakerBuilder`] method; `0` turns a rule off):
///
/// | setting | default |
/// |---|---|
/// | opens after consecutive failures | 5 |
/// | opens at a failure rate over the window | 50 % over 60 s, with at least 10 calls |
/// | opens when no call succeeded for | 5 min (while calls keep failing) |
/// | open time | 30 s (no backoff unless [`open_backoff`](CircuitBreakerBuilder::open_backoff)) |
/// | trial calls in half-open | 3 |
/// | slow-call threshold | none |
/// | operation shown in the body | `request` |
///
/// A dependency with no traffic is never failed for lack of it: closed stays closed, open
/// turns half-open when its time is over (a `warn`, which passes readiness), and half-open
/// waits for calls.
///
/// ```
/// # use health_core as health;
/// use std::time::Duration;
/// use health::{CircuitBreaker, Code, Health};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let twilio = CircuitBreaker::builder()
///     .operation("create_call")
///     .slow_call(Duration::from_secs(2))
///     .build();
/// let health = Health::builder()
///     .passive("twilio", &twilio) // warn when open; add `.critical()` to fail readiness
///     .build();
///
/// // On the request path, around the app's own call:
/// if twilio.allow_call() {
///     let answer: Result<u16, std::io::Error> = twilio.observe(async { Ok(201) }).await;
///     assert_eq!(answer.unwrap(), 201);
/// }
/// twilio.record_failure(Code::TIMEOUT); // or record outcomes by hand
/// assert!(health.is_ready().await);
/// # }
/// ```
#[derive(Clone)]
pub struct CircuitBreaker {
    inner: Arc<Inner>,
}

impl Default for CircuitBreaker {
    fn default() -> CircuitBreaker {
        CircuitBreaker::new()
    }
}

impl fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CircuitBreaker")
            .field("summary", &self.summary())
            .field("settings", &self.inner.settings)
            .finish()
    }
}

impl CircuitBreaker {
    /// A breaker with the default settings (see [`CircuitBreaker`]).
    pub fn new() -> CircuitBreaker {
        CircuitBreaker::builder().build()
    }

    /// A builder starting from the default settings.
    pub fn builder() -> CircuitBreakerBuilder {
        CircuitBreakerBuilder {
            settings: Settings::default(),
        }
    }

    /// Records a call that succeeded.
    pub fn record_success(&self) {
        self.inner.succeeded(self.inner.now_ms());
    }

    /// Records a call that succeeded after `latency`: a failure with code `slow_call` if it
    /// reached the [slow-call threshold](CircuitBreakerBuilder::slow_call).
    pub fn record_success_after(&self, latency: Duration) {
        let now = self.inner.now_ms();
        match self.inner.settings.slow_call {
            Some(threshold) if latency >= threshold => {
                self.inner.failed(now, &Code::SLOW_CALL);
            }
            _ => self.inner.succeeded(now),
        }
    }

    /// Records a call that failed, with a stable code (`timeout`, `connection_refused`,
    /// `unexpected_status`, your own `Code::from_static("quota")`...). Allocates nothing:
    /// each distinct code is kept once, the first time it is seen (32 per breaker; later
    /// new codes show as `error`).
    pub fn record_failure(&self, code: Code) {
        self.inner.failed(self.inner.now_ms(), &code);
    }

    /// Records a call's result: `Ok` is a success, `Err` a failure with code `error`.
    pub fn record<T, E>(&self, result: &Result<T, E>) {
        self.record_with(result, |_| Code::ERROR);
    }

    /// Records a call's result, the error's code given by `classify`.
    pub fn record_with<T, E>(&self, result: &Result<T, E>, classify: impl FnOnce(&E) -> Code) {
        match result {
            Ok(_) => self.record_success(),
            Err(e) => self.record_failure(classify(e)),
        }
    }

    /// Awaits the app's call, timing it, records its outcome (`Err` as code `error`) and
    /// returns its result untouched. A call dropped before it finishes records nothing:
    /// give the call its own timeout.
    pub async fn observe<T, E>(
        &self,
        call: impl IntoFuture<Output = Result<T, E>>,
    ) -> Result<T, E> {
        self.observe_with(call, |_| Code::ERROR).await
    }

    /// [`observe`](Self::observe) with the error's code given by `classify`.
    pub async fn observe_with<T, E>(
        &self,
        call: impl IntoFuture<Output = Result<T, E>>,
        classify: impl FnOnce(&E) -> Code,
    ) -> Result<T, E> {
        let start = Instant::now();
        let result = call.await;
        match &result {
            Ok(_) => self.record_success_after(start.elapsed()),
            Err(e) => self.record_failure(classify(e)),
        }
        result
    }

    /// Whether the app should make a call now: `true` while closed, `false` while open, and
    /// while half-open `true` for [`trial_calls`](CircuitBreakerBuilder::trial_calls) calls
    /// (and as many again after each further open time, should a trial never report back).
    /// A `false` is the app's cue to fail fast or fall back instead of calling.
    pub fn allow_call(&self) -> bool {
        let now = self.inner.now_ms();
        let state = self.inner.state_at(now);
        match state.phase() {
            Phase::Closed => true,
            Phase::Open => false,
            Phase::HalfOpen => self.inner.take_permit(state, now),
        }
    }

    /// The current state.
    pub fn state(&self) -> CircuitState {
        phase_state(self.inner.state_at(self.inner.now_ms()).phase())
    }

    /// The state, the window's counts and the last failure's code, now.
    pub fn summary(&self) -> CircuitSummary {
        self.inner.summary_at(self.inner.now_ms()).1
    }
}

/// Read at each readiness probe: closed passes, open fails (a `warn` unless the check is
/// critical), half-open warns. The version is a fingerprint of everything the outcome
/// shows (state, counts, last failure), so the cached body is rendered again exactly when
/// it would differ, including when the open time runs out or calls age out of the window.
impl Signal for CircuitBreaker {
    fn outcome(&self) -> Outcome {
        let (word, summary) = self.inner.summary_at(self.inner.now_ms());
        self.inner.outcome(word, summary)
    }

    fn version(&self) -> u64 {
        let inner = &self.inner;
        let now = inner.now_ms();
        let word = inner.state_at(now);
        let counts = inner.window.counts(now);
        let streak = &inner.streak.0;
        let mut hasher = DefaultHasher::new();
        (
            word.0,
            counts.calls,
            counts.failures,
            streak.consecutive.load(Ordering::Relaxed),
            streak.last_code.load(Ordering::Relaxed),
        )
            .hash(&mut hasher);
        hasher.finish()
    }
}

impl HealthBuilder {
    /// Adds a passive readiness check: `breaker`'s state, read at each probe, never a call.
    /// Non-critical by default, as advised for third parties: an open circuit is a `warn`
    /// (degraded, HTTP 200). Follow it with [`critical`](HealthBuilder::critical) to fail
    /// readiness (503) while the circuit is open, and only then: at most the open time per
    /// opening, after which half-open passes so traffic comes back to try the dependency.
    pub fn passive(self, name: impl Into<String>, breaker: &CircuitBreaker) -> HealthBuilder {
        let name = name.into();
        // The first registration names the transition logs.
        let _ = breaker.inner.name.set(name.clone());
        self.signal(name, Probe::Readiness, breaker.clone())
            .non_critical()
    }
}

/// Builds a [`CircuitBreaker`]; every setting has the default shown on [`CircuitBreaker`].
#[derive(Clone, Debug)]
#[must_use = "call `.build()` to get a `CircuitBreaker`"]
pub struct CircuitBreakerBuilder {
    settings: Settings,
}

impl CircuitBreakerBuilder {
    /// Opens after this many failures in a row (default 5; `0` turns the rule off).
    pub fn consecutive_failures(mut self, failures: u32) -> CircuitBreakerBuilder {
        self.settings.consecutive_failures = failures;
        self
    }

    /// Opens when at least `percent` % of the calls in the window failed (default 50; at
    /// most 100; `0` turns the rule off). Checked at each failure, once the window holds
    /// [`minimum_calls`](Self::minimum_calls).
    pub fn failure_rate_percent(mut self, percent: u8) -> CircuitBreakerBuilder {
        self.settings.failure_rate_percent = percent.min(100);
        self
    }

    /// The sliding window the failure rate and the counts in the body cover (default 60 s,
    /// at least 1 s). It slides in steps of 1/20 of its length.
    pub fn window(mut self, window: Duration) -> CircuitBreakerBuilder {
        self.settings.window = window.clamp(Duration::from_secs(1), MAX_OPEN);
        self
    }

    /// Calls the window must hold before its failure rate counts (default 10, at least 1):
    /// two failures out of three calls open nothing.
    pub fn minimum_calls(mut self, calls: u32) -> CircuitBreakerBuilder {
        self.settings.minimum_calls = calls.max(1);
        self
    }

    /// How long the circuit stays open before trial calls (default 30 s, at most 30 days).
    /// A critical passive check fails readiness for this long at most, per opening.
    pub fn open_for(mut self, open: Duration) -> CircuitBreakerBuilder {
        self.settings.open_for = open.clamp(Duration::from_millis(1), MAX_OPEN);
        self
    }

    /// Doubles the open time after each failed trial, up to `max` (Envoy's ejection time
    /// that grows); it returns to [`open_for`](Self::open_for) when the circuit closes. Off
    /// by default: every opening lasts `open_for`.
    pub fn open_backoff(mut self, max: Duration) -> CircuitBreakerBuilder {
        self.settings.open_backoff = Some(max.min(MAX_OPEN));
        self
    }

    /// Successful calls in half-open that close the circuit (default 3, at least 1); also
    /// how many calls [`allow_call`](CircuitBreaker::allow_call) lets through per open time.
    pub fn trial_calls(mut self, calls: u32) -> CircuitBreakerBuilder {
        self.settings.trial_calls = calls.clamp(1, MAX_TRIALS);
        self
    }

    /// Opens when calls keep failing and none succeeded for this long (default 5 min; zero
    /// turns it off), with code `no_success`: for a dependency called too rarely to reach
    /// the other thresholds. Counted from the first failure after the last success, so
    /// silence never fails it.
    pub fn no_success_within(mut self, within: Duration) -> CircuitBreakerBuilder {
        self.settings.no_success_within = within.min(MAX_OPEN);
        self
    }

    /// A success that took this long or longer counts as a failure with code `slow_call`
    /// (off by default; only recorded latencies are compared: `observe` and
    /// `record_success_after`).
    pub fn slow_call(mut self, threshold: Duration) -> CircuitBreakerBuilder {
        self.settings.slow_call = Some(threshold);
        self
    }

    /// The operation the body names (`"operation"`) while the circuit is open or half-open,
    /// such as `create_call` or `publish` (default `request`).
    pub fn operation(mut self, operation: impl Into<Cow<'static, str>>) -> CircuitBreakerBuilder {
        self.settings.operation = operation.into();
        self
    }

    /// The breaker, closed, its clock starting now.
    pub fn build(self) -> CircuitBreaker {
        CircuitBreaker {
            inner: Arc::new(Inner::new(self.settings)),
        }
    }
}
