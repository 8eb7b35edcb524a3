//! The watchdog on tokio's paused clock.

use super::*;
use crate::status::Status;

const LIMIT: Duration = Duration::from_millis(300);

async fn advance(by: Duration) {
    tokio::time::advance(by).await;
}

fn code(watchdog: &RequestWatchdog) -> Option<String> {
    watchdog.outcome().code().map(|c| c.as_str().to_owned())
}

#[tokio::test(start_paused = true)]
async fn idle_never_stalls() {
    let watchdog = RequestWatchdog::new(LIMIT);
    for _ in 0..10 {
        advance(LIMIT * 3).await;
        assert!(!watchdog.is_stalled());
        assert_eq!(watchdog.outcome(), Outcome::pass());
        assert_eq!(watchdog.version(), 0);
    }
    // Idle again after some traffic.
    watchdog.begin().complete();
    advance(LIMIT * 10).await;
    assert_eq!(
        (watchdog.in_flight(), watchdog.silence()),
        (0, Duration::ZERO)
    );
    assert!(!watchdog.is_stalled());
}

#[tokio::test(start_paused = true)]
async fn busy_with_completions_stays_live() {
    let watchdog = RequestWatchdog::new(LIMIT);
    // A long request stays in flight the whole time; short ones keep completing.
    let long = watchdog.begin();
    for _ in 0..20 {
        let short = watchdog.begin();
        advance(LIMIT / 2).await;
        short.complete();
        assert!(!watchdog.is_stalled(), "{watchdog:?}");
        assert_eq!(watchdog.outcome().status(), Status::Pass);
    }
    assert_eq!((watchdog.in_flight(), watchdog.completed()), (1, 20));
    long.complete();
}

#[tokio::test(start_paused = true)]
async fn in_flight_without_completion_past_the_limit_stalls() {
    let watchdog = RequestWatchdog::new(LIMIT);
    let stuck = [watchdog.begin(), watchdog.begin(), watchdog.begin()];
    advance(LIMIT).await;
    assert!(!watchdog.is_stalled(), "at the limit: still live");
    advance(Duration::from_millis(1)).await;
    assert!(watchdog.is_stalled());
    let outcome = watchdog.outcome();
    assert_eq!(outcome.status(), Status::Fail);
    assert_eq!(code(&watchdog).as_deref(), Some("stalled"));
    assert_eq!(
        outcome.message(),
        Some("3 requests in flight, none completed in the last 301ms (limit 300ms)")
    );
    let observed = outcome.observed().unwrap();
    assert_eq!((observed.value, observed.unit), (0.301, "s"));
    // The version follows what the failing outcome shows.
    let version = watchdog.version();
    assert_ne!(version, 0);
    advance(Duration::from_millis(1)).await;
    assert_ne!(watchdog.version(), version);
    drop(stuck);
}

#[tokio::test(start_paused = true)]
async fn idle_to_busy_after_a_long_idle_does_not_stall() {
    let watchdog = RequestWatchdog::new(LIMIT);
    watchdog.begin().complete();
    advance(Duration::from_secs(3600)).await;
    let request = watchdog.begin();
    assert_eq!(watchdog.silence(), Duration::ZERO);
    assert!(!watchdog.is_stalled());
    advance(LIMIT).await;
    assert!(
        !watchdog.is_stalled(),
        "silence counts from the request, not the idle hour"
    );
    // A second request joining a busy service does not restart the count.
    let joining = watchdog.begin();
    advance(Duration::from_millis(1)).await;
    assert!(watchdog.is_stalled());
    drop((request, joining));
}

#[tokio::test(start_paused = true)]
async fn recovers_when_a_request_completes() {
    let watchdog = RequestWatchdog::new(LIMIT);
    let first = watchdog.begin();
    let second = watchdog.begin();
    advance(LIMIT * 2).await;
    assert_eq!(code(&watchdog).as_deref(), Some("stalled"));
    first.complete();
    // One request is still in flight, but one completed just now: live again...
    assert_eq!(watchdog.outcome(), Outcome::pass());
    assert_eq!(watchdog.version(), 0);
    // ...until the other one has been silent for a limit of its own.
    advance(LIMIT + Duration::from_millis(1)).await;
    assert!(watchdog.is_stalled());
    second.complete();
    assert!(!watchdog.is_stalled());
    assert_eq!((watchdog.in_flight(), watchdog.completed()), (0, 2));
}

#[tokio::test(start_paused = true)]
async fn an_abandoned_request_leaves_without_marking_progress() {
    let watchdog = RequestWatchdog::new(LIMIT);
    let stuck = watchdog.begin();
    advance(LIMIT).await;
    drop(watchdog.begin()); // a client gave up: its handler was cancelled
    assert_eq!((watchdog.in_flight(), watchdog.completed()), (1, 0));
    advance(Duration::from_millis(1)).await;
    assert!(watchdog.is_stalled(), "a cancelled request is not progress");
    // The last one abandoned: idle, so live.
    drop(stuck);
    assert!(!watchdog.is_stalled());
    assert_eq!(watchdog.in_flight(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_request_completed() {
    let watchdog = RequestWatchdog::new(LIMIT);
    let stuck = watchdog.begin();
    advance(LIMIT).await;
    let clone = watchdog.clone();
    let panicked = std::panic::catch_unwind(move || {
        let _request = clone.begin();
        panic!("handler panicked");
    });
    assert!(panicked.is_err());
    assert_eq!((watchdog.in_flight(), watchdog.completed()), (1, 1));
    advance(LIMIT).await;
    assert!(
        !watchdog.is_stalled(),
        "the panic ended a request: progress"
    );
    drop(stuck);
}

#[tokio::test(start_paused = true)]
async fn watch_counts_a_future_and_its_cancellation() {
    let watchdog = RequestWatchdog::new(LIMIT);
    assert_eq!(watchdog.watch(async { 7 }).await, 7);
    assert_eq!((watchdog.in_flight(), watchdog.completed()), (0, 1));
    let never = watchdog.watch(std::future::pending::<()>());
    let timed_out = tokio::time::timeout(LIMIT * 2, never).await;
    assert!(timed_out.is_err());
    assert_eq!((watchdog.in_flight(), watchdog.completed()), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn registered_as_liveness_with_its_limit() {
    let watchdog = RequestWatchdog::new(LIMIT);
    let health = crate::Health::builder()
        .request_watchdog("requests", &watchdog)
        .build();
    assert_eq!(health.liveness_limits(), [("requests".to_owned(), LIMIT)]);
    assert!(health.report(Probe::Liveness).await.is_ready());
    assert!(health.report(Probe::Readiness).await.is_ready());
    let stuck = watchdog.begin();
    advance(LIMIT * 2).await;
    let liveness = health.report(Probe::Liveness).await;
    assert!(!liveness.is_ready());
    let json = liveness.to_json();
    assert!(json.contains(r#""code":"stalled""#), "{json}");
    assert!(json.contains(r#""observedValue":0.6"#), "{json}");
    assert!(json.contains("1 request in flight"), "{json}");
    assert!(
        health.report(Probe::Readiness).await.is_ready(),
        "readiness is not the watchdog's business"
    );
    stuck.complete();
    assert!(health.report(Probe::Liveness).await.is_ready());
}

#[test]
fn probe_paths_under_any_prefix_are_ignored() {
    for path in [
        "/health",
        "/livez/",
        "/ready",
        "/readyz",
        "/startupz",
        "/ready/db",
        "/api/health/history", // `/health/<check>` is a probe path too
        "/internal/ready/payments%20api",
        "/internal/livez",
        "/a/b/c/health",
        "readyz",
        "/metrics",
        "/internal/metrics/",
    ] {
        assert!(RequestWatchdog::ignores_path(path), "{path}");
    }
    for path in [
        "/",
        "",
        "/work",
        "/healthz",
        "/api/health/history/all",
        "/ready/a/b",
        "/metricsx",
        "/internal/ready/%FF",
    ] {
        assert!(!RequestWatchdog::ignores_path(path), "{path}");
    }
}

/// Threads begin, complete and abandon requests as fast as they can while a reader
/// watches: no update is lost (every swap retries on a changed word), the count returns
/// to zero and the completions add up exactly. This checks the counting under
/// contention. It cannot prove the absence of a false stall: a torn update would have
/// to land in a window of nanoseconds right after an idle period longer than the
/// limit. That guarantee comes from the single word (see the module docs), and the
/// paused-clock tests above pin its visible half: the first request after an idle hour
/// shows zero silence.
#[test]
fn concurrent_begins_and_ends_lose_no_update() {
    const ROUNDS: u64 = 20_000;
    let watchdog = RequestWatchdog::new(Duration::from_secs(60));
    let workers: Vec<_> = (0..3)
        .map(|worker| {
            let watchdog = watchdog.clone();
            std::thread::spawn(move || {
                for round in 0..ROUNDS {
                    let outer = watchdog.begin();
                    let inner = watchdog.begin();
                    if (round + worker) % 2 == 0 {
                        inner.complete();
                    } else {
                        drop(inner);
                    }
                    outer.complete();
                }
            })
        })
        .collect();
    while workers.iter().any(|w| !w.is_finished()) {
        assert!(watchdog.in_flight() <= 6, "{watchdog:?}");
        assert!(!watchdog.is_stalled(), "{watchdog:?}");
    }
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(watchdog.in_flight(), 0);
    // Per round: the outer request completes; the inner one on every other round.
    assert_eq!(watchdog.completed(), 3 * ROUNDS + 3 * ROUNDS / 2);
}
