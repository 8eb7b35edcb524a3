//! Queue backlog age check.

use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::health_check::HealthCheck;
use crate::outcome::Outcome;
use crate::status::Code;

/// Checks how old the oldest pending message of a queue is.
///
/// `observe` is called once per run and returns the age of the oldest pending message, or
/// `None` when the queue is empty. The check passes below `warn_after`, warns with code
/// `queue_lag` at or above `warn_after` (degraded: still ready), and fails with `queue_lag` at
/// or above `fail_after` (`fail_after` wins when it is the smaller of the two). The age is
/// reported as the observed value, in seconds (`0` for an empty queue). An `Err` from
/// `observe` fails with code `error`; its text is kept as the private detail only.
///
/// A warning or failure names the operation `consume` ([`Outcome::operation`]): the lag is
/// how far consumption is behind, and an `observe` that cannot read the backlog cannot tell
/// whether consumers keep up either, so its error is `consume` too.
///
/// The public message names the threshold crossed, never the age itself, so that it stays the
/// same from one run to the next while the backlog keeps growing.
///
/// ```
/// # use health_core as health;
/// use std::time::Duration;
/// use health::{checks, HealthCheck, Status};
///
/// // In an app: the age of the oldest row of a jobs table, of a Redis stream's first
/// // entry, of a broker's head message...
/// let oldest_job_age = || async { Ok::<_, std::io::Error>(Some(Duration::from_secs(90))) };
/// let check = checks::queue_lag(oldest_job_age, Duration::from_secs(60), Duration::from_secs(300));
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let outcome = check.run().await;
/// assert_eq!(outcome.status(), Status::Warn);
/// assert_eq!(outcome.code().unwrap().as_str(), "queue_lag");
/// assert_eq!(outcome.operation(), Some("consume"));
/// assert_eq!(outcome.observed().unwrap().value, 90.0);
/// # });
/// ```
pub fn queue_lag<F, Fut, E>(
    observe: F,
    warn_after: Duration,
    fail_after: Duration,
) -> impl HealthCheck
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<Duration>, E>> + Send + 'static,
    E: Display,
{
    // Called inside the future, so that the runtime's task also contains a panic raised by
    // the synchronous part of `observe`.
    let observe = Arc::new(observe);
    move || {
        let observe = Arc::clone(&observe);
        async move { judge(observe().await, warn_after, fail_after) }
    }
}

/// The outcome for one observation.
fn judge<E: Display>(
    observed: Result<Option<Duration>, E>,
    warn_after: Duration,
    fail_after: Duration,
) -> Outcome {
    let age = match observed {
        Ok(age) => age.unwrap_or(Duration::ZERO),
        Err(e) => {
            return Outcome::fail(Code::ERROR, "could not observe the queue backlog")
                .with_operation("consume")
                .with_detail(e);
        }
    };
    let outcome = if age >= fail_after {
        Outcome::fail(
            Code::QUEUE_LAG,
            format!(
                "the oldest pending message is older than the {} fail threshold",
                human(fail_after)
            ),
        )
    } else if age >= warn_after {
        Outcome::warn(
            Code::QUEUE_LAG,
            format!(
                "the oldest pending message is older than the {} warn threshold",
                human(warn_after)
            ),
        )
    } else {
        return Outcome::pass().with_observed(age.as_secs_f64(), "s");
    };
    outcome
        .with_operation("consume")
        .with_observed(age.as_secs_f64(), "s")
}

/// A threshold as text: `90s`, `1m 30s`, `250ms`.
fn human(d: Duration) -> humantime::FormattedDuration {
    humantime::format_duration(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;
    use std::sync::atomic::{AtomicU64, Ordering};

    const WARN: Duration = Duration::from_secs(60);
    const FAIL: Duration = Duration::from_secs(300);

    fn at(secs: u64) -> Outcome {
        judge::<String>(Ok(Some(Duration::from_secs(secs))), WARN, FAIL)
    }

    #[test]
    fn thresholds_are_inclusive() {
        assert_eq!(at(0).status(), Status::Pass);
        assert_eq!(at(59).status(), Status::Pass);
        assert_eq!(at(60).status(), Status::Warn);
        assert_eq!(at(299).status(), Status::Warn);
        assert_eq!(at(300).status(), Status::Fail);
        assert_eq!(at(100_000).status(), Status::Fail);
        assert_eq!(at(59).code(), None);
        assert_eq!(at(60).code(), Some(&Code::QUEUE_LAG));
        assert_eq!(at(300).code(), Some(&Code::QUEUE_LAG));
    }

    #[test]
    fn lag_names_consume_and_passing_names_nothing() {
        assert_eq!(at(0).operation(), None);
        assert_eq!(at(59).operation(), None);
        assert_eq!(at(60).operation(), Some("consume"));
        assert_eq!(at(300).operation(), Some("consume"));
        assert_eq!(judge::<String>(Ok(None), WARN, FAIL).operation(), None);
    }

    #[test]
    fn age_is_observed_in_seconds_and_message_is_stable() {
        let outcome = judge::<String>(Ok(Some(Duration::from_millis(61_500))), WARN, FAIL);
        let observed = outcome.observed().unwrap();
        assert_eq!((observed.value, observed.unit), (61.5, "s"));
        assert_eq!(
            outcome.message(),
            Some("the oldest pending message is older than the 1m warn threshold")
        );
        assert_eq!(at(62).message(), outcome.message());
        assert_eq!(
            at(301).message(),
            Some("the oldest pending message is older than the 5m fail threshold")
        );
    }

    #[test]
    fn empty_queue_passes_with_zero_age() {
        let outcome = judge::<String>(Ok(None), WARN, FAIL);
        assert_eq!(outcome.status(), Status::Pass);
        assert_eq!(outcome.observed().unwrap().value, 0.0);
    }

    #[test]
    fn fail_threshold_wins_when_below_warn() {
        let outcome = judge::<String>(
            Ok(Some(Duration::from_secs(10))),
            FAIL,
            Duration::from_secs(5),
        );
        assert_eq!(outcome.status(), Status::Fail);
    }

    #[test]
    fn observe_error_is_private_detail() {
        let outcome = judge(Err("redis://:hunter2@queue:6379 refused"), WARN, FAIL);
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.code(), Some(&Code::ERROR));
        assert_eq!(outcome.operation(), Some("consume"));
        assert!(!outcome.message().unwrap().contains("hunter2"));
        assert_eq!(
            outcome.detail(),
            Some("redis://:hunter2@queue:6379 refused")
        );
        assert_eq!(outcome.observed(), None);
    }

    #[tokio::test]
    async fn observe_is_called_on_every_run() {
        let age = Arc::new(AtomicU64::new(0));
        let shared = age.clone();
        let check = queue_lag(
            move || {
                let age = shared.load(Ordering::SeqCst);
                async move { Ok::<_, std::io::Error>(Some(Duration::from_secs(age))) }
            },
            WARN,
            FAIL,
        );
        assert_eq!(check.run().await.status(), Status::Pass);
        age.store(120, Ordering::SeqCst);
        assert_eq!(check.run().await.status(), Status::Warn);
        age.store(600, Ordering::SeqCst);
        let outcome = check.run().await;
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.observed().unwrap().value, 600.0);
    }
}
