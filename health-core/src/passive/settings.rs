//! The rules of a circuit breaker, fixed when it is built.

use std::borrow::Cow;
use std::time::Duration;

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
