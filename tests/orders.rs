//! The orders example against a real PostgreSQL and a real Redis, stopped, paused and
//! restarted mid-test: readiness follows the outages with the right code within one
//! timeout plus one refresh, liveness follows only the worker.

mod process;
mod support;

use std::time::Duration;

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
