//! The orders example's config, broken or late: started without its variables, it serves
//! the probes naming each one and drains on SIGTERM; a secret mounted after the start is
//! read on SIGHUP, and the same process starts its pool, worker and routes.

use std::time::{Duration, Instant};

use super::process::Service;
use super::support::{Postgres, Redis};
use super::{code, order_goes_through};

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
