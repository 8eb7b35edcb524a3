//! The orders example against a real PostgreSQL and a real Redis, stopped, paused and
//! restarted mid-test: readiness follows the outages with the right code within one
//! timeout plus one refresh, liveness follows only the worker. Under real order traffic, the
//! passive checks show what the service's own calls saw, its requests fail fast, and the
//! request-progress watchdog leaves an outage to readiness.
//!
//! | module | covers |
//! |---|---|
//! | `outages` | PostgreSQL and Redis stopped and restarted; a hung Redis wedging the worker |
//! | `config` | a broken config naming every variable; a config that loads after the start |
//! | `requests` | passive checks and the request watchdog under traffic; a body that never comes |
//! | `notify` | the notification group, its webhook and stream variants, the `PUBLIC_URL` rule |
//!
//! Here what they share: the example's timings, starting it, a check's code, readiness
//! awaited within a bound, an order through to the worker.

#[path = "orders/config.rs"]
mod config;
#[path = "orders/notify.rs"]
mod notify;
#[path = "orders/outages.rs"]
mod outages;
mod process;
#[path = "orders/requests.rs"]
mod requests;
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
