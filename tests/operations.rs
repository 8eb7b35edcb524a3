//! The operation a failure names (`Outcome::with_operation`, the built-in checks): where it
//! shows (the health+json body, the state-change log) and where it does not (a passing check,
//! the runtime's own `timeout`, Kubernetes' `?verbose` text).

mod capture;
mod common;

use std::time::Duration;

use capture::Logs;
use health::{Code, Health, Outcome, checks};

/// A loopback port on which nothing listens.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

async fn get(health: &Health, target: &str) -> (u16, String) {
    let response = common::respond(health, target).await;
    let status = response.status().as_u16();
    (
        status,
        String::from_utf8(response.into_body().to_vec()).unwrap(),
    )
}

/// The state-change log lines of `check`.
fn changes<'a>(text: &'a str, check: &str) -> Vec<&'a str> {
    let name = format!("check=\"{check}\"");
    text.lines().filter(|line| line.contains(&name)).collect()
}

/// Whether a `tracing` line has `field` with `value` (quoted or not, as the formatter writes).
fn has_field(line: &str, field: &str, value: &str) -> bool {
    line.contains(&format!("{field}=\"{value}\"")) || line.contains(&format!("{field}={value} "))
}

// Current-thread runtime: the log capture is per thread.
#[tokio::test(flavor = "current_thread")]
async fn the_operation_is_in_the_json_body_and_the_state_change_log_only() {
    let logs = Logs::capture();
    let port = closed_port().await;
    let health = Health::builder()
        // Before any check: the default. The first probe waits for one run of each check,
        // later ones answer from that result.
        .cache_for(Duration::from_secs(600))
        .readiness("db", checks::tcp(("127.0.0.1", port)))
        .readiness("queue", || async {
            Outcome::fail(Code::new("queue_rejected"), "the broker rejected the job")
                .with_operation("publish")
        })
        .non_critical()
        .readiness("cache", || async { Outcome::pass() })
        .readiness("hung", || async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Outcome::pass()
        })
        .timeout(Duration::from_millis(50))
        .build();

    let (status, body) = get(&health, "/ready").await;
    assert_eq!(status, 503, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let entry = |name: &str| json["checks"][name][0].clone();
    assert_eq!(entry("db")["code"], "connection_refused", "{body}");
    assert_eq!(entry("db")["operation"], "connect", "{body}");
    // A user check's own, kept when criticality turns the failure into a warning.
    assert_eq!(entry("queue")["status"], "warn", "{body}");
    assert_eq!(entry("queue")["operation"], "publish", "{body}");
    // Passing: none. The runtime's timeout: none (it cannot know what the check was doing).
    assert_eq!(entry("cache")["status"], "pass", "{body}");
    assert!(entry("cache").get("operation").is_none(), "{body}");
    assert_eq!(entry("hung")["code"], "timeout", "{body}");
    assert!(entry("hung").get("operation").is_none(), "{body}");

    // One check's own route carries it too.
    let (_, body) = get(&health, "/ready/db").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["checks"]["db"][0]["operation"], "connect", "{body}");

    // Kubernetes' text withholds every reason, the operation included.
    let (_, verbose) = get(&health, "/ready?verbose").await;
    assert!(
        verbose.contains("[-]db failed: reason withheld\n"),
        "{verbose}"
    );
    assert!(
        !verbose.contains("connect") && !verbose.contains("publish"),
        "{verbose}"
    );

    let text = logs.text();
    let db = changes(&text, "db");
    assert_eq!(db.len(), 1, "unknown->fail once:\n{text}");
    assert!(has_field(db[0], "operation", "connect"), "{}", db[0]);
    assert!(has_field(db[0], "code", "connection_refused"), "{}", db[0]);
    let queue = changes(&text, "queue");
    assert_eq!(queue.len(), 1, "{text}");
    assert!(has_field(queue[0], "operation", "publish"), "{}", queue[0]);
    let hung = changes(&text, "hung");
    assert_eq!(hung.len(), 1, "{text}");
    assert!(!hung[0].contains("operation="), "{}", hung[0]);
}
