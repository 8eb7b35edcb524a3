//! The orders example under real order traffic: the passive checks show what the service's
//! own calls saw through PostgreSQL and Redis outages and a Redis hang, requests fail fast
//! (at once with a circuit open), and the request-progress watchdog leaves outages to
//! readiness; a body that never comes is answered 408 and does not stall liveness.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::process::Service;
use super::support::{Postgres, Redis};
use super::{REFRESH, SLACK, order_goes_through, ready_becomes, start_orders};

/// The example's open time for its passive checks (`CIRCUIT_OPEN_FOR`'s default).
const OPEN_FOR: Duration = Duration::from_secs(5);
/// The example's longest PostgreSQL call: the pool's 2 s acquire timeout, then the
/// statement, 3 s in all.
const QUERY_TIMEOUT: Duration = Duration::from_secs(3);
/// The example's Redis connect timeout and response timeout, each.
const REDIS_TIMEOUT: Duration = Duration::from_millis(300);
/// The example's limit for a request's body to arrive.
const BODY_TIMEOUT: Duration = Duration::from_secs(2);
/// The example's request-progress watchdog limit.
const STALL_LIMIT: Duration = Duration::from_secs(15);
/// An order refused by an open circuit makes no call: far below any of the timeouts.
const REFUSED_AT_ONCE: Duration = Duration::from_secs(1);
/// Clients posting orders at once, as many as the example's pool has connections, and each
/// one's pause between two orders.
const CLIENTS: usize = 5;
const PACE: Duration = Duration::from_millis(100);

/// One order a client posted: the answer's status and how long it took.
struct Sample {
    status: u16,
    took: Duration,
}

/// Posts one order.
fn post_order(service: &Service) -> Sample {
    let started = Instant::now();
    let reply = service.request(
        "POST",
        "/orders",
        "Content-Type: application/json\r\n",
        r#"{"item":"book"}"#,
    );
    Sample {
        status: reply.status,
        took: started.elapsed(),
    }
}

/// Sets its flag when dropped: the clients stop even when the phase panics, so the scope
/// that waits for them ends.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `phase` while [`CLIENTS`] threads post orders over real HTTP, as traffic would;
/// returns its result and every answer the clients got.
fn under_traffic<R>(service: &Service, phase: impl FnOnce() -> R) -> (R, Vec<Sample>) {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                scope.spawn(|| {
                    let mut samples = Vec::new();
                    while !stop.load(Ordering::SeqCst) {
                        samples.push(post_order(service));
                        std::thread::sleep(PACE);
                    }
                    samples
                })
            })
            .collect();
        let result = {
            let _stop = StopOnDrop(&stop);
            phase()
        };
        let samples = clients
            .into_iter()
            .flat_map(|client| client.join().expect("a client thread panicked"))
            .collect();
        (result, samples)
    })
}

/// Every answer was 202 or a 503 within `bound`; returns how many failed and the slowest
/// failure.
fn failed_within(samples: &[Sample], bound: Duration, what: &str) -> (usize, Duration) {
    for sample in samples {
        assert!(
            matches!(sample.status, 202 | 503),
            "{what}: an order answered {}",
            sample.status
        );
        assert!(
            sample.took <= bound,
            "{what}: an order took {:?} (status {}), bound {bound:?}",
            sample.took,
            sample.status
        );
    }
    let failed: Vec<_> = samples.iter().filter(|s| s.status == 503).collect();
    let slowest = failed.iter().map(|s| s.took).max().unwrap_or_default();
    (failed.len(), slowest)
}

/// Liveness answers 200 listing the request watchdog and the worker as passing.
fn assert_live(service: &Service, what: &str) {
    let live = service.get("/livez?verbose");
    assert_eq!(
        live.status, 200,
        "liveness failed during {what}: {}",
        live.body
    );
    for check in ["[+]requests ok", "[+]worker ok"] {
        assert!(live.body.contains(check), "{what}: {}", live.body);
    }
}

/// Polls `/ready` until the passive check `check` has `status` (`pass`, `warn`), asserting
/// within `bound`, and liveness at every poll; returns its entry and how long it took.
fn passive_becomes(
    service: &Service,
    check: &str,
    status: &str,
    bound: Duration,
    what: &str,
) -> (serde_json::Value, Duration) {
    let (reply, took) = service.wait_for("/ready", bound, |r| {
        assert_live(service, what);
        r.json()["checks"][check][0]["status"] == status
    });
    let entry = reply.json()["checks"][check][0].clone();
    assert_eq!(
        entry["status"], status,
        "{what}: {check} after {took:?}: {entry}"
    );
    (entry, took)
}

/// An open circuit: `warn` (readiness stays 200 on its account) with `circuit_open`, the
/// operation, and the code of the last failure the calls saw.
fn assert_open(entry: &serde_json::Value, operation: &str, last_failure: &[&str], what: &str) {
    assert_eq!(entry["code"], "circuit_open", "{what}: {entry}");
    assert_eq!(entry["operation"], operation, "{what}: {entry}");
    assert_eq!(entry["circuit"]["state"], "open", "{what}: {entry}");
    let last = entry["circuit"]["last_failure"]
        .as_str()
        .unwrap_or_default();
    assert!(last_failure.contains(&last), "{what}: {entry}");
}

/// Posts one order while a circuit is open: refused with 503 at once, without a call.
fn refused_at_once(service: &Service, what: &str) -> Duration {
    let sample = post_order(service);
    assert_eq!(sample.status, 503, "{what}");
    assert!(
        sample.took < REFUSED_AT_ONCE,
        "{what}: an order took {:?} with the circuit open",
        sample.took
    );
    sample.took
}

#[test]
fn passive_checks_show_what_orders_saw_and_outages_never_fail_liveness() {
    let (Some(mut pg), Some(mut redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    // Above the worker's longest loop with a dependency down (a 1 s pop, a 3 s update, a
    // put-back, a 1 s pause): only a hang stalls it.
    let service = start_orders(&pg, &redis, "10s");
    ready_becomes(&service, 200, Duration::from_secs(15), "first readiness");
    let ready = service.get("/ready");
    for check in ["postgres_calls", "queue_push_calls", "queue_pop_calls"] {
        let entry = &ready.json()["checks"][check][0];
        assert_eq!(entry["status"], "pass", "{check}: {}", ready.body);
        assert_eq!(entry["circuit"]["state"], "closed", "{}", ready.body);
    }
    assert_live(&service, "startup");
    let created = post_order(&service);
    assert_eq!(created.status, 202);

    // PostgreSQL stops. sqlx's pool retries a refused connection until its 2 s acquire
    // timeout, so that is what the calls see: `timeout`. Queries in flight at the shutdown
    // fail at once with SQLSTATE 57P01 (`error`): with five of them under a busy machine's
    // traffic, those open the circuit first.
    let what = "PostgreSQL stopped";
    let ((detected, refused, recovered), samples) = under_traffic(&service, || {
        pg.stop();
        let (entry, detected) = passive_becomes(
            &service,
            "postgres_calls",
            "warn",
            QUERY_TIMEOUT * 2 + SLACK,
            what,
        );
        assert_open(&entry, "query", &["timeout", "error"], what);
        let refused = refused_at_once(&service, what);
        pg.restart();
        let (_, recovered) = passive_becomes(
            &service,
            "postgres_calls",
            "pass",
            OPEN_FOR + QUERY_TIMEOUT + SLACK,
            "PostgreSQL restarted",
        );
        (detected, refused, recovered)
    });
    let (failed, slowest) = failed_within(&samples, QUERY_TIMEOUT + SLACK, what);
    assert!(failed >= 5, "{what}: only {failed} orders failed");
    println!(
        "MEASURED: {what}: postgres_calls warn (circuit_open, last_failure timeout, operation \
         query) {detected:?} after the stop; {failed} of {} orders answered 503, the slowest in \
         {slowest:?}, one refused by the open circuit in {refused:?}; pass {recovered:?} after \
         the restart (open time {OPEN_FOR:?}); liveness 200 throughout",
        samples.len()
    );

    // Redis stops: the handler's push and the worker's pop are refused.
    let what = "Redis stopped";
    let ((push, pop, refused, recovered), samples) = under_traffic(&service, || {
        redis.stop();
        let bound = OPEN_FOR + SLACK;
        let (entry, push) = passive_becomes(&service, "queue_push_calls", "warn", bound, what);
        assert_open(&entry, "push", &["connection_refused"], what);
        // The worker pauses 1 s after each failed pop: five of them.
        let bound = Duration::from_secs(7) + SLACK;
        let (entry, pop) = passive_becomes(&service, "queue_pop_calls", "warn", bound, what);
        assert_open(&entry, "consume", &["connection_refused"], what);
        let refused = refused_at_once(&service, what);
        redis.restart();
        let mut recovered = Vec::new();
        for check in ["queue_push_calls", "queue_pop_calls"] {
            let bound = OPEN_FOR + Duration::from_secs(3) + SLACK;
            let (_, took) = passive_becomes(&service, check, "pass", bound, "Redis restarted");
            recovered.push(took);
        }
        (push, pop, refused, recovered)
    });
    // A refused push fails at once; a connect or a command is 300 ms at most.
    let (failed, slowest) = failed_within(&samples, REDIS_TIMEOUT * 2 + SLACK, what);
    assert!(failed >= 5, "{what}: only {failed} orders failed");
    println!(
        "MEASURED: {what}: queue_push_calls warn (last_failure connection_refused, operation \
         push) {push:?} and queue_pop_calls (consume) {pop:?} after the stop; {failed} of {} \
         orders answered 503, the slowest in {slowest:?}, one refused by the open circuit in \
         {refused:?}; pass {:?} and {:?} after the restart; liveness 200 throughout",
        samples.len(),
        recovered[0],
        recovered[1]
    );

    // Redis hangs (SIGSTOP): the 300 ms response timeout ends the pushes, so requests keep
    // completing and the watchdog stays quiet. The worker's pop has no timeout: its heartbeat
    // would fail after its 10 s, as `outages::a_wedged_worker_fails_liveness_and_recovers`
    // shows; this hang is shorter.
    let what = "Redis hung";
    let ((detected, refused, recovered), samples) = under_traffic(&service, || {
        redis.pause();
        let paused = Instant::now();
        let bound = REDIS_TIMEOUT * 10 + SLACK;
        let (entry, detected) = passive_becomes(&service, "queue_push_calls", "warn", bound, what);
        assert_open(&entry, "push", &["timeout"], what);
        let refused = refused_at_once(&service, what);
        redis.resume();
        assert!(
            paused.elapsed() < Duration::from_secs(8),
            "{what}: too long"
        );
        let bound = OPEN_FOR + Duration::from_secs(3) + SLACK;
        let (_, recovered) =
            passive_becomes(&service, "queue_push_calls", "pass", bound, "Redis resumed");
        (detected, refused, recovered)
    });
    // The response timeout ends every push: the hang never holds a request.
    let (failed, slowest) = failed_within(&samples, REDIS_TIMEOUT * 2 + SLACK, what);
    assert!(failed >= 5, "{what}: only {failed} orders failed");
    println!(
        "MEASURED: {what}: queue_push_calls warn (last_failure timeout, operation push) \
         {detected:?} after the SIGSTOP; {failed} of {} orders answered 503, the slowest in \
         {slowest:?}, one refused by the open circuit in {refused:?}; pass {recovered:?} after \
         the SIGCONT; liveness 200 throughout (watchdog limit {STALL_LIMIT:?})",
        samples.len()
    );

    // Everything recovered: ready, and orders go through to the worker again.
    ready_becomes(&service, 200, REFRESH * 2 + SLACK, "all recovered");
    order_goes_through(&service);
    let logs = service.stop();
    assert!(!logs.contains(&pg.url()), "a secret URL reached the logs");
    assert!(
        !logs.contains(&redis.url()),
        "a secret URL reached the logs"
    );
}

#[test]
fn a_body_that_never_comes_is_answered_and_does_not_stall_liveness() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let service = start_orders(&pg, &redis, "30s");
    ready_becomes(&service, 200, Duration::from_secs(15), "first readiness");

    // A client sends an order's head and stops before its body. Left waiting, the request
    // would stay in flight with nothing completing, and the watchdog would restart an idle
    // pod for one slow client after its limit.
    let mut stream = TcpStream::connect(service.addr()).unwrap();
    stream.set_read_timeout(Some(STALL_LIMIT)).unwrap();
    let sent = Instant::now();
    write!(
        stream,
        "POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 15\r\n\r\n"
    )
    .unwrap();
    let mut status_line = String::new();
    BufReader::new(&stream).read_line(&mut status_line).unwrap();
    let answered = sent.elapsed();
    assert!(
        status_line.starts_with("HTTP/1.1 408"),
        "{status_line:?} after {answered:?}"
    );
    assert!(
        answered <= BODY_TIMEOUT + SLACK,
        "answered after {answered:?}"
    );

    // The request completed: past the watchdog's limit, liveness is still 200.
    while sent.elapsed() < STALL_LIMIT + SLACK {
        assert_live(&service, "a body that never comes");
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "MEASURED: an order whose body never came: 408 after {answered:?} (body timeout \
         {BODY_TIMEOUT:?}); liveness 200 for {:?}, past the watchdog's {STALL_LIMIT:?}",
        sent.elapsed()
    );
}
