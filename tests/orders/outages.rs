//! PostgreSQL and Redis stopped and restarted under the orders example: readiness fails
//! with the right code within one timeout plus one refresh and recovers, while liveness stays
//! up; a hung Redis (SIGSTOP) wedges the worker, which fails liveness until it resumes.

use std::time::Duration;

use super::support::{Postgres, Redis};
use super::{REFRESH, SLACK, TIMEOUT, code, order_goes_through, ready_becomes, start_orders};

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
