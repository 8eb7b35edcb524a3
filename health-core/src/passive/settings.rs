//! The rules of a circuit breaker and their builder.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use super::CircuitBreaker;
use super::machine::{Inner, MAX_OPEN};
use super::state::MAX_TRIALS;

/// The rules, fixed when the breaker is built.
#[derive(Clone, Debug)]
pub(super) struct Settings {
    pub(super) consecutive_failures: u32,
    pub(super) failure_rate_percent: u8,
    pub(super) window: Duration,
    pub(super) minimum_calls: u32,
    pub(super) open_for: Duration,
    /// The cap of the growing open time; `None`: every opening lasts `open_for`.
    pub(super) open_backoff: Option<Duration>,
    pub(super) trial_calls: u32,
    pub(super) no_success_within: Duration,
    pub(super) slow_call: Option<Duration>,
    pub(super) operation: Cow<'static, str>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            consecutive_failures: 5,
            failure_rate_percent: 50,
            window: Duration::from_secs(60),
            minimum_calls: 10,
            open_for: Duration::from_secs(30),
            open_backoff: None,
            trial_calls: 3,
            no_success_within: Duration::from_secs(300),
            slow_call: None,
            operation: Cow::Borrowed("request"),
        }
    }
}

/// Builds a [`CircuitBreaker`]; every setting has the default shown on [`CircuitBreaker`].
#[derive(Clone, Debug)]
#[must_use = "call `.build()` to get a `CircuitBreaker`"]
pub struct CircuitBreakerBuilder {
    pub(super) settings: Settings,
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
