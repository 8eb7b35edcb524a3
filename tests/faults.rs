//! Faults against real PostgreSQL and Redis: a hang (SIGSTOP) and a crash (SIGKILL) of each.
//! Readiness fails within one timeout plus one refresh with `timeout` or
//! `connection_refused`, liveness stays 200, and readiness recovers after the resume or
//! restart. The measured times are printed as `MEASURED:` lines (`--nocapture`).

mod common;
mod support;

use std::time::{Duration, Instant};

use health::{Health, Probe, checks};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sqlx::postgres::PgPoolOptions;
use support::{Postgres, Redis};

const TIMEOUT: Duration = Duration::from_millis(300);
const REFRESH: Duration = Duration::from_secs(1);
/// The poll interval and a busy 2-core machine.
const SLACK: Duration = Duration::from_millis(1000);

/// Polls readiness until `check` has `code` (`None`: passes); returns how long it took.
async fn until(health: &Health, check: &str, code: Option<&str>, within: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let live = health.respond("/health", None).await.status();
        assert_eq!(live, 200, "liveness must not follow a dependency");
        let report = health.report(Probe::Readiness).await;
        let found = common::code_of(&report, check);
        if found == code {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "{check}: still {found:?} after {within:?}, want {code:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn health(pg: &Postgres, redis: &Redis) -> Health {
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy(&pg.url())
        .unwrap();
    let client = redis::Client::open(redis.url()).unwrap();
    let queue = ConnectionManager::new_lazy_with_config(
        client,
        ConnectionManagerConfig::new()
            .set_number_of_retries(0)
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT)),
    )
    .unwrap();
    Health::builder()
        // Defaults for the checks below.
        .timeout(TIMEOUT)
        .refresh_every(REFRESH)
        .readiness("postgres", checks::postgres(&pool))
        .readiness("queue", checks::redis_publish(&queue, "health"))
        .liveness_heartbeat("loop", Duration::from_secs(5))
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hangs_and_crashes_are_detected_and_recovered_from() {
    let (Some(mut pg), Some(mut redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let health = health(&pg, &redis);
    let beat = health.heartbeat("loop").unwrap();
    tokio::spawn(async move {
        loop {
            beat.tick();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let bound = TIMEOUT + REFRESH + SLACK;
    let recovery = REFRESH * 2 + SLACK * 2;
    until(&health, "postgres", None, Duration::from_secs(10)).await;
    until(&health, "queue", None, Duration::from_secs(10)).await;

    pg.pause();
    let detected = until(&health, "postgres", Some("timeout"), bound).await;
    pg.resume();
    let recovered = until(&health, "postgres", None, recovery).await;
    println!(
        "MEASURED: postgres SIGSTOP: detected {detected:?} (timeout), recovered {recovered:?} after SIGCONT"
    );

    pg.kill();
    let detected = until(&health, "postgres", Some("connection_refused"), bound).await;
    pg.restart();
    let recovered = until(&health, "postgres", None, recovery).await;
    println!(
        "MEASURED: postgres SIGKILL: detected {detected:?} (connection_refused), recovered {recovered:?} after restart"
    );

    redis.pause();
    let detected = until(&health, "queue", Some("timeout"), bound).await;
    redis.resume();
    let recovered = until(&health, "queue", None, recovery).await;
    println!(
        "MEASURED: redis SIGSTOP: detected {detected:?} (timeout), recovered {recovered:?} after SIGCONT"
    );

    redis.stop();
    let detected = until(&health, "queue", Some("connection_refused"), bound).await;
    redis.restart();
    let recovered = until(&health, "queue", None, recovery).await;
    println!(
        "MEASURED: redis SIGKILL: detected {detected:?} (connection_refused), recovered {recovered:?} after restart"
    );
}
