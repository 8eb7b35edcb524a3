//! The state machine on tokio's paused clock: `advance` moves time, nothing waits.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::time::advance;

use super::*;
use crate::runtime::Signal;
use crate::status::{Code, Status};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn fail_n(breaker: &CircuitBreaker, n: usize) {
    for _ in 0..n {
        breaker.record_failure(Code::TIMEOUT);
    }
}

/// Opens a default breaker with five timeouts.
fn opened() -> CircuitBreaker {
    let breaker = CircuitBreaker::new();
    fail_n(&breaker, 5);
    assert_eq!(breaker.state(), CircuitState::Open);
    breaker
}

fn code(breaker: &CircuitBreaker) -> Option<String> {
    breaker.outcome().code().map(|c| c.as_str().to_owned())
}

#[tokio::test(start_paused = true)]
async fn consecutive_failures_open_it() {
    let breaker = CircuitBreaker::builder().failure_rate_percent(0).build();
    fail_n(&breaker, 4);
    breaker.record_success(); // breaks the streak
    fail_n(&breaker, 4);
    assert_eq!(breaker.state(), CircuitState::Closed);
    assert!(breaker.allow_call());
    breaker.record_failure(Code::CONNECTION_REFUSED);
    assert_eq!(breaker.state(), CircuitState::Open);
    assert!(!breaker.allow_call());
    assert_eq!(
        breaker.summary(),
        CircuitSummary {
            state: CircuitState::Open,
            calls: 10,
            failures: 9,
            consecutive_failures: 5,
            last_failure: Some(Code::CONNECTION_REFUSED),
        }
    );
    let outcome = breaker.outcome();
    assert_eq!(outcome.status(), Status::Fail);
    assert_eq!(code(&breaker).as_deref(), Some("circuit_open"));
    assert_eq!(
        outcome.message(),
        Some("circuit open for 30s: 5 consecutive failures")
    );
    assert_eq!(outcome.operation(), Some("request"));
}

#[tokio::test(start_paused = true)]
async fn the_rate_opens_it_only_past_the_minimum_calls() {
    let breaker = CircuitBreaker::builder().consecutive_failures(0).build();
    fail_n(&breaker, 9);
    assert_eq!(
        breaker.state(),
        CircuitState::Closed,
        "9 calls < minimum 10"
    );
    breaker.record_failure(Code::TIMEOUT);
    assert_eq!(breaker.state(), CircuitState::Open);
    assert_eq!(
        breaker.outcome().message(),
        Some("circuit open for 30s: 50% or more of at least 10 calls failed within 1m")
    );

    // Under the rate: 2 failures in 5 calls, many times over, never opens it.
    let breaker = CircuitBreaker::builder().consecutive_failures(0).build();
    for _ in 0..40 {
        breaker.record_failure(Code::TIMEOUT);
        breaker.record_success();
        breaker.record_failure(Code::TIMEOUT);
        breaker.record_success();
        breaker.record_success();
    }
    assert_eq!(breaker.state(), CircuitState::Closed);
    assert_eq!(
        (breaker.summary().calls, breaker.summary().failures),
        (200, 80)
    );
    // Exactly at the rate opens it: 50% of 10.
    let breaker = CircuitBreaker::builder().consecutive_failures(0).build();
    for _ in 0..5 {
        breaker.record_success();
        breaker.record_failure(Code::TIMEOUT);
    }
    assert_eq!(breaker.state(), CircuitState::Open);
}

#[tokio::test(start_paused = true)]
async fn the_window_slides_and_old_failures_age_out() {
    let breaker = CircuitBreaker::builder().consecutive_failures(0).build();
    fail_n(&breaker, 5);
    advance(secs(30)).await;
    fail_n(&breaker, 4);
    assert_eq!(breaker.summary().failures, 9);
    // At 61 s the first five (recorded in the bucket [0 s, 3 s)) are out.
    advance(secs(31)).await;
    let summary = breaker.summary();
    assert_eq!((summary.calls, summary.failures), (4, 4));
    // So a tenth failure finds 5 calls in the window: below the minimum, still closed.
    breaker.record_failure(Code::TIMEOUT);
    assert_eq!(breaker.state(), CircuitState::Closed);
    advance(secs(60)).await;
    assert_eq!(breaker.summary().calls, 0);
    assert_eq!(
        breaker.summary().consecutive_failures,
        10,
        "a streak does not age"
    );
}

#[tokio::test(start_paused = true)]
async fn open_turns_half_open_after_the_open_time() {
    let breaker = opened();
    advance(Duration::from_millis(29_999)).await;
    assert_eq!(breaker.state(), CircuitState::Open);
    advance(Duration::from_millis(1)).await;
    assert_eq!(breaker.state(), CircuitState::HalfOpen);
    let outcome = breaker.outcome();
    assert_eq!(outcome.status(), Status::Warn);
    assert_eq!(code(&breaker).as_deref(), Some("circuit_half_open"));
    assert_eq!(
        outcome.message(),
        Some("circuit half-open: the next 3 calls decide whether it closes")
    );
}

#[tokio::test(start_paused = true)]
async fn trial_successes_close_it() {
    let breaker = opened();
    advance(secs(30)).await;
    breaker.record_success();
    breaker.record_success();
    assert_eq!(breaker.state(), CircuitState::HalfOpen);
    breaker.record_success();
    assert_eq!(breaker.state(), CircuitState::Closed);
    let summary = breaker.summary();
    assert_eq!(
        (
            summary.calls,
            summary.failures,
            summary.consecutive_failures
        ),
        (0, 0, 0),
        "closing starts a new window"
    );
    assert_eq!(
        summary.last_failure,
        Some(Code::TIMEOUT),
        "kept after recovery"
    );
    assert_eq!(breaker.outcome().status(), Status::Pass);
    // Closed again means the rules start over: four failures do not reopen it.
    fail_n(&breaker, 4);
    assert_eq!(breaker.state(), CircuitState::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_trial_failure_reopens_it() {
    let breaker = opened();
    advance(secs(30)).await;
    breaker.record_success();
    breaker.record_failure(Code::UNEXPECTED_STATUS);
    assert_eq!(breaker.state(), CircuitState::Open);
    assert_eq!(
        breaker.outcome().message(),
        Some("circuit open for 30s: a trial call failed")
    );
    assert_eq!(
        breaker.summary().last_failure,
        Some(Code::UNEXPECTED_STATUS)
    );
    // The same open time again (no backoff by default).
    advance(secs(30)).await;
    assert_eq!(breaker.state(), CircuitState::HalfOpen);
}

#[tokio::test(start_paused = true)]
async fn backoff_doubles_the_open_time_up_to_its_cap() {
    let breaker = CircuitBreaker::builder().open_backoff(secs(100)).build();
    fail_n(&breaker, 5);
    let mut open_times = Vec::new();
    for _ in 0..4 {
        let mut waited = 0;
        while breaker.state() == CircuitState::Open {
            advance(secs(1)).await;
            waited += 1;
        }
        open_times.push(waited);
        breaker.record_failure(Code::TIMEOUT); // the trial fails
    }
    assert_eq!(open_times, [30, 60, 100, 100]);
    // Closing resets it.
    advance(secs(100)).await;
    for _ in 0..3 {
        breaker.record_success();
    }
    fail_n(&breaker, 5);
    assert!(
        breaker
            .outcome()
            .message()
            .unwrap()
            .starts_with("circuit open for 30s")
    );
}

#[tokio::test(start_paused = true)]
async fn no_traffic_never_fails_it() {
    let idle = CircuitBreaker::new();
    advance(secs(24 * 3600)).await;
    assert_eq!(idle.outcome().status(), Status::Pass);

    // One failure then silence: no streak long enough, no rule met.
    let once = CircuitBreaker::new();
    once.record_failure(Code::TIMEOUT);
    advance(secs(24 * 3600)).await;
    assert_eq!(once.state(), CircuitState::Closed);

    // Opened, then no call at all: half-open (a passing warn) after 30 s, for good.
    let breaker = opened();
    assert_eq!(breaker.outcome().status(), Status::Fail);
    advance(secs(30)).await;
    assert_eq!(breaker.outcome().status(), Status::Warn);
    advance(secs(24 * 3600)).await;
    assert_eq!(breaker.outcome().status(), Status::Warn);
}

#[tokio::test(start_paused = true)]
async fn no_success_within_t_while_calls_fail() {
    // A failure every 2 minutes: never 5 in a row within reach, never 10 in the window.
    let breaker = CircuitBreaker::new();
    for _ in 0..2 {
        breaker.record_failure(Code::TIMEOUT);
        advance(secs(120)).await;
    }
    breaker.record_failure(Code::TIMEOUT); // at 4 min: the streak is 4 min old
    assert_eq!(breaker.state(), CircuitState::Closed);
    advance(secs(60)).await;
    breaker.record_failure(Code::TIMEOUT); // at 5 min
    assert_eq!(breaker.state(), CircuitState::Open);
    assert_eq!(code(&breaker).as_deref(), Some("no_success"));
    assert_eq!(
        breaker.outcome().message(),
        Some("circuit open for 30s: calls kept failing and none succeeded for 5m")
    );

    // A success in between restarts the count.
    let breaker = CircuitBreaker::new();
    for _ in 0..5 {
        breaker.record_failure(Code::TIMEOUT);
        advance(secs(100)).await;
        breaker.record_success();
        advance(secs(100)).await;
    }
    assert_eq!(breaker.state(), CircuitState::Closed);

    // Off with zero.
    let breaker = CircuitBreaker::builder()
        .no_success_within(Duration::ZERO)
        .build();
    for _ in 0..4 {
        breaker.record_failure(Code::TIMEOUT);
        advance(secs(600)).await;
    }
    assert_eq!(breaker.state(), CircuitState::Closed);
}

#[tokio::test(start_paused = true)]
async fn allow_call_gives_a_few_permits_while_half_open() {
    let breaker = opened();
    assert!(!breaker.allow_call());
    advance(secs(30)).await;
    let permits: Vec<bool> = (0..5).map(|_| breaker.allow_call()).collect();
    assert_eq!(permits, [true, true, true, false, false]);
    // The trials never reported back: after another open time, as many permits again.
    advance(secs(30)).await;
    let permits: Vec<bool> = (0..4).map(|_| breaker.allow_call()).collect();
    assert_eq!(permits, [true, true, true, false]);
    for _ in 0..3 {
        breaker.record_success();
    }
    assert!(breaker.allow_call());
    assert_eq!(breaker.state(), CircuitState::Closed);
}

#[test]
fn racing_threads_share_exactly_the_trial_permits() {
    // Real clock: the breaker is used from plain threads.
    let breaker = CircuitBreaker::builder()
        .open_for(Duration::from_millis(300))
        .build();
    fail_n(&breaker, 5);
    std::thread::sleep(Duration::from_millis(350));
    let granted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                for _ in 0..100 {
                    if breaker.allow_call() {
                        granted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    // 1 600 asks well within one open time: the three permits, no more.
    assert_eq!(granted.into_inner(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_version_changes_with_every_change_and_only_then() {
    let breaker = CircuitBreaker::new();
    let mut seen = vec![breaker.version()];
    let step = |what: &str, seen: &mut Vec<u64>| {
        let version = breaker.version();
        assert!(
            !seen.contains(&version),
            "{what}: version {version} seen before"
        );
        seen.push(version);
    };
    assert_eq!(breaker.version(), seen[0], "nothing happened");
    advance(secs(10)).await;
    assert_eq!(breaker.version(), seen[0], "time alone, nothing to age");
    breaker.record_success();
    step("a success", &mut seen);
    breaker.record_failure(Code::TIMEOUT);
    step("a failure", &mut seen);
    breaker.record_failure(Code::CONNECTION_REFUSED);
    step("another code", &mut seen);
    fail_n(&breaker, 3);
    step("opened", &mut seen);
    assert_eq!(breaker.state(), CircuitState::Open);
    advance(secs(30)).await;
    step("half-open by time alone", &mut seen);
    breaker.record_success();
    step("a trial success", &mut seen);
    breaker.record_success();
    breaker.record_success();
    step("closed", &mut seen);
    assert_eq!(breaker.state(), CircuitState::Closed);
    breaker.record_success();
    step("a call in the new window", &mut seen);
    let before = breaker.version();
    advance(secs(61)).await;
    assert_ne!(breaker.version(), before, "the call aged out");
}

#[tokio::test(start_paused = true)]
async fn slow_successes_count_as_failures() {
    let breaker = CircuitBreaker::builder().slow_call(secs(1)).build();
    breaker.record_success_after(Duration::from_millis(999));
    assert_eq!(breaker.summary().failures, 0);
    breaker.record_success_after(secs(1));
    let summary = breaker.summary();
    assert_eq!((summary.calls, summary.failures), (2, 1));
    assert_eq!(summary.last_failure, Some(Code::SLOW_CALL));
    // Without a threshold a latency is only a success.
    let plain = CircuitBreaker::new();
    plain.record_success_after(secs(3600));
    assert_eq!(plain.summary().failures, 0);
}

#[tokio::test(start_paused = true)]
async fn observe_times_records_and_returns_the_result() {
    let breaker = CircuitBreaker::builder().slow_call(secs(1)).build();
    let fast: Result<u32, &str> = breaker.observe(async { Ok(7) }).await;
    assert_eq!(fast, Ok(7));
    let slow: Result<u32, &str> = breaker
        .observe(async {
            tokio::time::sleep(secs(2)).await;
            Ok(8)
        })
        .await;
    assert_eq!(slow, Ok(8), "a slow call's result is still returned");
    assert_eq!(breaker.summary().last_failure, Some(Code::SLOW_CALL));
    let failed: Result<u32, &str> = breaker.observe(async { Err("refused") }).await;
    assert_eq!(failed, Err("refused"));
    assert_eq!(breaker.summary().last_failure, Some(Code::ERROR));
    let classified: Result<u32, std::io::Error> = breaker
        .observe_with(
            async { Err(std::io::ErrorKind::ConnectionRefused.into()) },
            |_| Code::CONNECTION_REFUSED,
        )
        .await;
    assert!(classified.is_err());
    breaker.record(&Ok::<(), ()>(()));
    breaker.record_with(&Err::<(), _>(404), |_| Code::from_static("not_found"));
    let summary = breaker.summary();
    assert_eq!((summary.calls, summary.failures), (6, 4));
    assert_eq!(summary.last_failure, Some(Code::new("not_found")));
}

#[test]
fn concurrent_records_give_exact_counts() {
    let breaker = CircuitBreaker::builder()
        .consecutive_failures(0)
        .failure_rate_percent(0)
        .build();
    std::thread::scope(|s| {
        for t in 0..16 {
            let breaker = breaker.clone();
            s.spawn(move || {
                for i in 0..5_000 {
                    if (i + t) % 5 == 0 {
                        breaker.record_failure(Code::TIMEOUT);
                    } else {
                        breaker.record_success();
                    }
                }
            });
        }
    });
    let summary = breaker.summary();
    assert_eq!((summary.calls, summary.failures), (80_000, 16_000));
}

#[tokio::test(start_paused = true)]
async fn a_passing_body_shows_state_counts_and_last_code() {
    let breaker = CircuitBreaker::builder().operation("create_call").build();
    breaker.record_success();
    breaker.record_failure(Code::new("quota exceeded"));
    let json = crate::report::Report::new(vec![crate::report::ReportEntry::new(
        "twilio",
        breaker.outcome(),
    )])
    .to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let entry = &value["checks"]["twilio"][0];
    assert_eq!(entry["status"], "pass");
    assert!(entry.get("operation").is_none(), "named with failures only");
    assert_eq!(
        entry["circuit"],
        serde_json::json!({
            "state": "closed",
            "calls": 2,
            "failures": 1,
            "consecutive_failures": 1,
            "last_failure": "quota_exceeded"
        })
    );
}
