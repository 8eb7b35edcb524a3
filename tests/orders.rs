//! The orders example against a real PostgreSQL and a real Redis, stopped, paused and
//! restarted mid-test: readiness follows the outages with the right code within one
//! timeout plus one refresh, liveness follows only the worker. Under real order traffic, the
//! passive checks show what the service's own calls saw, its requests fail fast, and the
//! request-progress watchdog leaves an outage to readiness.

mod process;
mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use process::{Reply, Service};
use support::{Postgres, Redis};

/// The example's check timeout and refresh interval.
const TIMEOUT: Duration = Duration::from_millis(300);
const REFRESH: Duration = Duration::from_secs(2);
/// Room for the poll interval and a busy 2-core machine.
const SLACK: Duration = Duration::from_millis(1500);

fn start_orders(pg: &Postgres, redis: &Redis, max_silence: &str) -> Service {
    Service::start(
        "orders",
        &[
            ("DATABASE_URL", &pg.url()),
            ("REDIS_URL", &redis.url()),
            ("WORKER_MAX_SILENCE", max_silence),
            ("RUST_LOG", "info"),
        ],
        &[],
    )
}

fn code(reply: &Reply, check: &str) -> Option<String> {
    reply.json()["checks"][check][0]["code"]
        .as_str()
        .map(str::to_owned)
}

/// Polls `/ready` until it answers `status`, asserting that it happens within `bound`, and
/// that liveness stays 200 meanwhile.
fn ready_becomes(service: &Service, status: u16, bound: Duration, what: &str) -> (Reply, Duration) {
    let (reply, took) = service.wait_for("/ready", bound + Duration::from_secs(10), |r| {
        assert_eq!(
            service.get("/health").status,
            200,
            "liveness dropped during {what}"
        );
        r.status == status
    });
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    assert!(took <= bound, "{what}: took {took:?}, bound {bound:?}");
    println!("MEASURED: {what}: {took:?} (bound {bound:?})");
    (reply, took)
}

#[test]
fn readiness_follows_database_and_queue_outages_and_liveness_stays_up() {
    let (Some(mut pg), Some(mut redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let service = start_orders(&pg, &redis, "3s");
    ready_becomes(
        &service,
        200,
        Duration::from_secs(15),
        "first readiness (migrations applied)",
    );

    // The service really works: an order goes through the queue to the worker.
    order_goes_through(&service);

    let detection = TIMEOUT + REFRESH + SLACK;
    pg.stop();
    let (reply, _) = ready_becomes(&service, 503, detection, "database stopped");
    assert_eq!(
        code(&reply, "postgres").as_deref(),
        Some("connection_refused"),
        "{}",
        reply.body
    );
    assert_eq!(
        code(&reply, "queue"),
        None,
        "the queue is fine: {}",
        reply.body
    );
    pg.restart();
    ready_becomes(&service, 200, REFRESH + SLACK, "database restarted");

    redis.stop();
    let (reply, _) = ready_becomes(&service, 503, detection, "queue stopped");
    assert_eq!(
        code(&reply, "queue").as_deref(),
        Some("connection_refused"),
        "{}",
        reply.body
    );
    assert_eq!(code(&reply, "postgres"), None, "{}", reply.body);
    redis.restart();
    // The connection manager reconnects with a backoff before the next refresh succeeds.
    ready_becomes(&service, 200, REFRESH * 2 + SLACK, "queue restarted");

    let verbose = service.get("/ready?verbose");
    assert!(verbose.body.contains("[+]postgres ok"), "{}", verbose.body);
    assert!(verbose.body.contains("[+]queue ok"), "{}", verbose.body);
    assert!(
        verbose.body.contains("[+]DATABASE_URL ok"),
        "{}",
        verbose.body
    );
    let logs = service.stop();
    assert!(!logs.contains(&pg.url()), "a secret URL reached the logs");
}

#[test]
fn a_wedged_worker_fails_liveness_and_recovers() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let service = start_orders(&pg, &redis, "3s");
    ready_becomes(&service, 200, Duration::from_secs(15), "first readiness");
    assert_eq!(service.get("/health").status, 200);

    // A hung Redis (SIGSTOP, not a refusal) wedges the worker's blocking pop.
    redis.pause();
    let (live, took) = service.wait_for("/health", Duration::from_secs(10), |r| r.status == 503);
    assert_eq!(live.status, 503, "{}", live.body);
    assert_eq!(live.json()["checks"]["worker"][0]["code"], "stalled");
    println!("MEASURED: wedged worker detected by liveness after {took:?} (max silence 3s)");
    let (ready, _) = service.wait_for("/ready", TIMEOUT + REFRESH + SLACK, |r| r.status == 503);
    assert_eq!(
        code(&ready, "queue").as_deref(),
        Some("timeout"),
        "{}",
        ready.body
    );

    redis.resume();
    let (live, took) = service.wait_for("/health", Duration::from_secs(10), |r| r.status == 200);
    assert_eq!(live.status, 200, "{}", live.body);
    println!("MEASURED: worker recovered after {took:?}");
}

#[test]
fn a_broken_config_starts_and_names_every_variable() {
    let service = Service::start("orders", &[], &["DATABASE_URL", "REDIS_URL"]);
    assert_eq!(service.get("/health").status, 200);
    let ready = service.get("/ready");
    assert_eq!(ready.status, 503);
    assert_eq!(code(&ready, "DATABASE_URL").as_deref(), Some("missing"));
    assert_eq!(code(&ready, "REDIS_URL").as_deref(), Some("missing"));

    // SIGTERM: readiness says `shutting_down` while liveness stays up for the drain.
    service.terminate();
    let (ready, _) = service.wait_for("/ready", Duration::from_secs(3), |r| {
        code(r, "shutdown").is_some()
    });
    assert_eq!(
        code(&ready, "shutdown").as_deref(),
        Some("shutting_down"),
        "{}",
        ready.body
    );
    assert_eq!(service.get("/health").status, 200);
}

#[test]
fn a_config_that_loads_after_the_start_starts_the_work_without_a_restart() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    // DATABASE_URL comes from a mounted secret that is not there yet.
    let dir = tempfile::tempdir().unwrap();
    let url_file = dir.path().join("database_url");
    let url_path = url_file.display().to_string();
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL_FILE", &url_path),
            ("REDIS_URL", &redis.url()),
        ],
        &["DATABASE_URL"],
    );
    assert_eq!(service.get("/health").status, 200);
    let ready = service.get("/ready");
    assert_eq!(ready.status, 503);
    assert_eq!(
        code(&ready, "DATABASE_URL").as_deref(),
        Some("unreadable_file")
    );
    assert!(ready.body.contains(&url_path), "{}", ready.body);

    // The secret appears; SIGHUP (or the 5 s interval) reads it, and the same process
    // starts its pool, worker and routes.
    std::fs::write(&url_file, pg.url()).unwrap();
    service.hangup();
    // The probes' server hands over to the service's on the same socket: a connection
    // caught in the handover may be closed (a probe fails once, as in any restart of a
    // server), never refused.
    let started = Instant::now();
    while service
        .try_request("GET", "/ready", "", "")
        .map(|r| r.status)
        .ok()
        != Some(200)
    {
        assert!(started.elapsed() < Duration::from_secs(20), "never ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    order_goes_through(&service);
    let logs = service.stop();
    assert!(logs.contains("serving the probes until it loads"), "{logs}");
}

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
    // would fail after its 10 s, as `a_wedged_worker_fails_liveness_and_recovers` shows; this
    // hang is shorter.
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

/// Posts an order and waits until the worker has confirmed it: the service really works,
/// through the queue to the worker.
fn order_goes_through(service: &Service) {
    let created = service.request(
        "POST",
        "/orders",
        "Content-Type: application/json\r\n",
        r#"{"item":"book"}"#,
    );
    assert_eq!(created.status, 202, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let (confirmed, _) = service.wait_for(&format!("/orders/{id}"), Duration::from_secs(10), |r| {
        r.body.contains("confirmed")
    });
    assert!(confirmed.body.contains("confirmed"), "{}", confirmed.body);
}

/// The config's optional notification (a webhook or a stream, exactly one) and its rule
/// between two variables are named checks of readiness, with no service to reach: a half-set
/// webhook names each missing variable and what chose it; production without its public
/// address names the rule; both notifications configured is a conflict naming both.
#[test]
fn a_half_set_notification_group_and_production_without_its_address_are_named() {
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", "postgres://127.0.0.1:1/orders"),
            ("REDIS_URL", "redis://127.0.0.1:1/"),
            ("ENVIRONMENT", "production"),
            ("NOTIFY_URL", "http://127.0.0.1:9/hooks/orders"),
        ],
        &["NOTIFY_TOKEN", "PUBLIC_URL"],
    );
    let ready = service.get("/ready");
    assert_eq!(ready.status, 503, "{}", ready.body);
    let json = ready.json();
    let token = &json["checks"]["NOTIFY_TOKEN"][0];
    assert_eq!(token["code"], "missing");
    assert!(
        token["output"]
            .as_str()
            .unwrap()
            .contains("the `webhook` variant of `notify` is used because `NOTIFY_URL` is set"),
        "{token}"
    );
    let rule = &json["checks"]["required_if:ENVIRONMENT=production,PUBLIC_URL"][0];
    assert_eq!(rule["code"], "missing", "{}", ready.body);
    assert_eq!(rule["variables"], serde_json::json!(["PUBLIC_URL"]));
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", "postgres://127.0.0.1:1/orders"),
            ("REDIS_URL", "redis://127.0.0.1:1/"),
            ("NOTIFY_URL", "http://127.0.0.1:9/hooks/orders"),
            ("NOTIFY_TOKEN", "tok"),
            ("NOTIFY_STREAM", "orders:confirmed"),
        ],
        &["ENVIRONMENT", "PUBLIC_URL"],
    );
    let ready = service.get("/ready");
    let choice = &ready.json()["checks"]["variant:notify"][0];
    assert_eq!(choice["code"], "conflict", "{}", ready.body);
    assert_eq!(
        choice["variables"],
        serde_json::json!(["NOTIFY_URL", "NOTIFY_TOKEN", "NOTIFY_STREAM"])
    );
    // Development needs no public address: its default follows the port.
    let service = Service::start(
        "orders",
        &[("DATABASE_URL", "postgres://127.0.0.1:1/orders")],
        &["REDIS_URL", "NOTIFY_URL", "PUBLIC_URL", "ENVIRONMENT"],
    );
    let ready = service.get("/ready");
    assert!(
        ready.json()["checks"]["required_if:ENVIRONMENT=production,PUBLIC_URL"][0]["status"]
            == "pass",
        "{}",
        ready.body
    );
}

/// A confirmed order is announced to the webhook of the notification group, with its bearer
/// token, and a new order's `Location` starts with `PUBLIC_URL`; the token never shows in
/// the logs.
#[test]
fn a_confirmed_order_is_announced_and_located_under_the_public_address() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let hook = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_url = format!("http://{}/hooks/orders", hook.local_addr().unwrap());
    let (sent, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = hook.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        std::io::Read::read_exact(&mut reader, &mut body).unwrap();
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            .unwrap();
        sent.send((head, String::from_utf8(body).unwrap())).unwrap();
    });
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", &pg.url()),
            ("REDIS_URL", &redis.url()),
            ("NOTIFY_URL", &hook_url),
            ("NOTIFY_TOKEN", "tok-secret-4417"),
            ("PUBLIC_URL", "https://orders.example.com/api/"),
            ("RUST_LOG", "info"),
        ],
        &["ENVIRONMENT"],
    );
    service.wait_for("/ready", Duration::from_secs(20), |r| r.status == 200);
    let mut stream = TcpStream::connect(service.addr()).unwrap();
    let body = r#"{"item":"lamp"}"#;
    write!(
        stream,
        "POST /orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    let id = answer
        .rsplit("\"id\":")
        .next()
        .and_then(|tail| tail.trim_end_matches('}').parse::<i64>().ok())
        .unwrap_or_else(|| panic!("no id in {answer}"));
    let location = format!("location: https://orders.example.com/api/orders/{id}\r\n");
    assert!(answer.to_ascii_lowercase().contains(&location), "{answer}");

    let (head, json) = received.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(
        head.starts_with("POST /hooks/orders HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer tok-secret-4417\r\n"),
        "{head}"
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json, serde_json::json!({ "id": id, "status": "confirmed" }));
    let logs = service.stop();
    assert!(!logs.contains("tok-secret-4417"), "{logs}");
}

/// With `NOTIFY_STREAM`, a confirmed order is appended to that Redis stream instead.
#[test]
fn a_confirmed_order_is_appended_to_the_notification_stream() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", &pg.url()),
            ("REDIS_URL", &redis.url()),
            ("NOTIFY_STREAM", "orders:confirmed"),
        ],
        &["NOTIFY_URL", "NOTIFY_TOKEN", "ENVIRONMENT", "PUBLIC_URL"],
    );
    service.wait_for("/ready", Duration::from_secs(20), |r| r.status == 200);
    order_goes_through(&service);
    let client = ::redis::Client::open(redis.url()).unwrap();
    let mut conn = client.get_connection().unwrap();
    let started = Instant::now();
    loop {
        let entries: Vec<(String, Vec<(String, String)>)> = ::redis::cmd("XRANGE")
            .arg("orders:confirmed")
            .arg("-")
            .arg("+")
            .query(&mut conn)
            .unwrap();
        if let Some((_, fields)) = entries.first() {
            assert!(
                fields.contains(&("status".to_owned(), "confirmed".to_owned())),
                "{fields:?}"
            );
            assert!(fields.iter().any(|(k, _)| k == "id"), "{fields:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nothing in the stream"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
