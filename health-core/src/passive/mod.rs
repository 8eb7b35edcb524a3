//! Passive dependency checks: a dependency's health gauged from the outcomes of the app's
//! own calls to it, never from a synthetic call.
//!
//! A [`CircuitBreaker`] is a cheap handle the app keeps next to its client. The app records
//! each real call (`record_success`, `record_failure`, or `observe` around the call), and may
//! ask [`allow_call`](CircuitBreaker::allow_call) before calling to short-circuit while the
//! dependency is known to be down. Registered with
//! [`HealthBuilder::passive`](crate::HealthBuilder::passive), it is a readiness entry read at
//! each probe: it never calls anything.
//!
//! ```text
//!            N consecutive failures, or failure rate >= R% over W
//!            (at least M calls), or no success for T while calls fail
//!   CLOSED ─────────────────────────────────────────────────────────> OPEN
//!     ^                                                                │  ^
//!     │ K trial calls succeed                      open time is over   │  │ a trial
//!     │                                                                v  │ call fails
//!     └───────────────────────────────────────────────────────────── HALF_OPEN
//! ```
//!
//! | state | health entry | `allow_call()` |
//! |---|---|---|
//! | closed | `pass` | `true` |
//! | open | `fail` with `circuit_open` (or `no_success`); `warn` unless `.critical()` | `false` |
//! | half-open | `warn` with `circuit_half_open`, even when critical (it passes readiness) | `true` for K calls, then again after each open time |
//!
//! Files: `settings` (the rules and their builder), `machine` (the transitions), `window`
//! (the lock-free sliding window), `state` (the packed state and trials),
//! `codes` (failure codes interned once).

mod codes;
mod machine;
mod settings;
mod state;
mod window;

use std::fmt;
use std::future::IntoFuture;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

pub use self::settings::CircuitBreakerBuilder;

use self::machine::{Inner, phase_state};
use self::settings::Settings;
use self::state::Phase;
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

/// The state of a [`CircuitBreaker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CircuitState {
    /// Calls flow; their outcomes are counted.
    Closed,
    /// Recent calls failed: calls are short-circuited until the open time is over.
    Open,
    /// The open time is over: a few trial calls decide between closed and open.
    HalfOpen,
}

impl CircuitState {
    /// `closed`, `open` or `half_open`, as in the JSON body.
    pub const fn as_str(self) -> &'static str {
        match self {
            CircuitState::Closed => "closed",
            CircuitState::Open => "open",
            CircuitState::HalfOpen => "half_open",
        }
    }
}

impl fmt::Display for CircuitState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a circuit breaker shows: its state, the counts of its window and the last failure's
/// code. Serialized in the JSON body as
/// `"circuit":{"state":"open","calls":12,"failures":7,"consecutive_failures":5,"last_failure":"timeout"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CircuitSummary {
    /// Closed, open or half-open.
    pub state: CircuitState,
    /// Calls recorded in the window since the circuit last closed.
    pub calls: u64,
    /// Of which failed (slow calls included).
    pub failures: u64,
    /// Failures in a row, up to now.
    pub consecutive_failures: u64,
    /// The code of the last failure ever recorded (kept after recovery); absent before any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<Code>,
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

#[cfg(test)]
mod tests;
