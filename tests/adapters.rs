//! The framework adapters answer exactly like `Health::respond`: one table of cases, probed
//! over real HTTP on loopback ports against axum (nested and merged at the root), actix-web
//! (a scope in its own system thread), tower on hyper 1 (`HealthService` alone and nested
//! in axum) and `HealthLayer` in front of an app. Plus single-flight over real HTTP.

mod common;
#[path = "common/servers.rs"]
mod servers;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use health::tower::HealthLayer;
use health::{Code, Health, Outcome};
use servers::{Servers, app, serve_axum, serve_hyper, without_time};
use tower_layer::Layer;

const JSON: &str = "application/health+json";
const TEXT: &str = "text/plain; charset=utf-8";

/// One request and what every adapter must answer to it.
struct Case {
    method: &'static str,
    /// Path and query, relative to the mount point.
    target: &'static str,
    status: u16,
    content_type: Option<&'static str>,
    body: fn(&str) -> bool,
}

const CASES: &[Case] = &[
    Case {
        method: "GET",
        target: "/health",
        status: 200,
        content_type: Some(JSON),
        body: |b| b.starts_with(r#"{"status":"pass","checks":{"worker":[{"status":"pass""#),
    },
    Case {
        method: "GET",
        target: "/livez/",
        status: 200,
        content_type: Some(JSON),
        body: |b| b.contains(r#""worker""#) && !b.contains("failing"),
    },
    Case {
        method: "GET",
        target: "/ready",
        status: 503,
        content_type: Some(JSON),
        body: |b| {
            b.starts_with(r#"{"status":"fail""#)
                && b.contains(r#""failing":[{"status":"fail","code":"db_locked","output":"database is locked""#)
                && b.contains(r#""database":[{"status":"pass""#)
        },
    },
    Case {
        method: "GET",
        target: "/readyz?verbose",
        status: 503,
        content_type: Some(TEXT),
        body: |b| {
            b == "[+]database ok\n\
                  [-]failing failed: reason withheld\n\
                  [+]payments api ok\n\
                  readyz check failed\n"
        },
    },
    Case {
        method: "GET",
        target: "/ready?exclude=failing",
        status: 200,
        content_type: Some(JSON),
        body: |b| b.starts_with(r#"{"status":"warn""#) && !b.contains("failing"),
    },
    Case {
        method: "GET",
        target: "/readyz?verbose&exclude=failing&exclude=nope",
        status: 200,
        content_type: Some(TEXT),
        body: |b| {
            b == "[+]database ok\n\
                  [+]failing excluded: ok\n\
                  [+]payments api ok\n\
                  warn: some health checks cannot be excluded: no matches for \"nope\"\n\
                  readyz check passed\n"
        },
    },
    Case {
        method: "GET",
        target: "/ready/database",
        status: 200,
        content_type: Some(JSON),
        body: |b| {
            b.starts_with(r#"{"status":"pass","checks":{"database":[{"status":"pass","time":"#)
        },
    },
    Case {
        method: "GET",
        target: "/readyz/failing?verbose",
        status: 503,
        content_type: Some(TEXT),
        body: |b| b == "[-]failing failed: reason withheld\nreadyz check failed\n",
    },
    Case {
        method: "GET",
        target: "/ready/payments%20api",
        status: 200,
        content_type: Some(JSON),
        body: |b| {
            b.starts_with(
                r#"{"status":"warn","checks":{"payments api":[{"status":"warn","code":"timeout""#,
            )
        },
    },
    Case {
        method: "GET",
        target: "/ready/nope",
        status: 404,
        content_type: Some(TEXT),
        body: |b| b == "no readiness check named \"nope\"\n",
    },
    Case {
        method: "GET",
        target: "/startupz",
        status: 200,
        content_type: Some(JSON),
        body: |b| b.starts_with(r#"{"status":"pass""#),
    },
    Case {
        method: "GET",
        target: "/nope",
        status: 404,
        content_type: Some(TEXT),
        body: |b| b == "not found\n",
    },
    Case {
        method: "GET",
        target: "/ready/a/b",
        status: 404,
        content_type: Some(TEXT),
        body: |b| b == "not found\n",
    },
    Case {
        method: "GET",
        target: "/metrics",
        status: 404,
        content_type: Some(TEXT),
        body: |b| b == "not found\n",
    },
    Case {
        method: "HEAD",
        target: "/ready",
        status: 503,
        content_type: Some(JSON),
        body: str::is_empty,
    },
    Case {
        method: "POST",
        target: "/ready",
        status: 405,
        content_type: None,
        body: str::is_empty,
    },
];

/// A health whose every answer is known: probe-driven checks (no background timing), a
/// passing, a failing and a degraded one, and a heartbeat that cannot go silent in a test.
fn table_health() -> Health {
    Health::builder()
        .cache_for(Duration::from_secs(3600))
        .readiness("database", || async { Outcome::pass() })
        .readiness("failing", || async {
            Outcome::fail(Code::new("db_locked"), "database is locked")
        })
        .readiness("payments api", || async {
            Outcome::fail(Code::new("timeout"), "no answer in 300 ms")
        })
        .non_critical()
        .liveness_heartbeat("worker", Duration::from_secs(3600))
        .build()
}

/// What a client sees of one answer, normalized for comparison across adapters.
#[derive(Debug, PartialEq, Eq)]
struct Reply {
    status: u16,
    /// The headers that the adapters must agree on.
    headers: BTreeMap<String, String>,
    body: String,
}

impl Reply {
    fn content_type(&self) -> Option<&str> {
        self.headers.get("content-type").map(String::as_str)
    }
}

/// Headers compared across adapters (framework-specific ones like `date` are not).
const COMPARED: &[&str] = &["content-type", "cache-control", "allow"];

/// A minimal HTTP/1.1 client: one request on a fresh connection, read until close.
async fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let raw = servers::request_raw(addr, method, target).await;
    let headers = raw
        .headers
        .into_iter()
        .filter(|(name, _)| COMPARED.contains(&name.as_str()))
        .collect();
    Reply {
        status: raw.status,
        headers,
        body: without_time(&raw.body),
    }
}

/// What `Health::respond` itself answers to a case, in the client's terms.
async fn reference(health: &Health, case: &Case) -> Reply {
    let response = common::respond(health, case.target).await;
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| COMPARED.contains(&name.as_str()))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    Reply {
        status: response.status().as_u16(),
        headers,
        body: without_time(std::str::from_utf8(response.body()).unwrap()),
    }
}

async fn run_table(name: &str, addr: SocketAddr, prefix: &str, cases: &[&Case]) -> Vec<Reply> {
    let mut replies = Vec::new();
    for case in cases {
        let target = format!("{prefix}{}", case.target);
        let reply = request(addr, case.method, &target).await;
        let what = format!("{name}: {} {target}: {reply:?}", case.method);
        assert_eq!(reply.status, case.status, "{what}");
        assert_eq!(reply.content_type(), case.content_type, "{what}");
        assert!((case.body)(&reply.body), "{what}");
        if case.status != 405 {
            assert_eq!(
                reply.headers.get("cache-control").map(String::as_str),
                Some("no-store"),
                "{what}"
            );
        }
        replies.push(reply);
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_adapter_answers_like_respond() {
    let health = table_health();
    let all: Vec<&Case> = CASES.iter().collect();

    // The reference: `respond` itself, for the GET cases (HEAD drops the body, 405 is the
    // adapters' own answer).
    let mut expected = Vec::new();
    for case in &all {
        let mut reply = reference(&health, case).await;
        match case.method {
            "GET" => {}
            "HEAD" => reply.body.clear(),
            _ => {
                reply = Reply {
                    status: 405,
                    headers: [("allow".to_owned(), "GET,HEAD".to_owned())].into(),
                    body: String::new(),
                }
            }
        }
        expected.push(reply);
    }

    let servers = Servers::start(&health).await;
    for server in servers.all().iter().filter(|s| !s.probe_paths_only) {
        let (name, addr, prefix) = (server.name, server.addr, server.prefix);
        let replies = run_table(name, addr, prefix, &all).await;
        for ((case, reply), expected) in all.iter().zip(&replies).zip(&expected) {
            assert_eq!(reply, expected, "{name}: {} {}", case.method, case.target);
        }
        // The app next to the probes still answers.
        if name != "tower HealthService on hyper" {
            assert_eq!(request(addr, "GET", "/app").await.status, 200, "{name}");
        }
    }

    // The layer: probe paths go to health, identical answers; the rest to the app.
    let layer = servers
        .all()
        .iter()
        .find(|s| s.probe_paths_only)
        .expect("the layer")
        .addr;
    let routed: Vec<&Case> = all
        .iter()
        .copied()
        .filter(|c| health::http::route(c.target.split('?').next().unwrap()).is_some())
        .collect();
    assert!(routed.len() >= 10);
    let replies = run_table("tower HealthLayer", layer, "", &routed).await;
    for (case, reply) in routed.iter().zip(&replies) {
        let index = all.iter().position(|c| std::ptr::eq(*c, *case)).unwrap();
        assert_eq!(
            reply, &expected[index],
            "layer: {} {}",
            case.method, case.target
        );
    }
    let app_reply = request(layer, "GET", "/app").await;
    assert_eq!((app_reply.status, app_reply.body.as_str()), (200, "app\n"));
    // Not a probe path: the app's own 404 (axum's, empty), not health's.
    let nope = request(layer, "GET", "/nope").await;
    assert_eq!((nope.status, nope.body.as_str()), (404, ""));
    // `/metrics` is offered to health first; without metrics it falls through to the app.
    let metrics = request(layer, "GET", "/metrics").await;
    assert_eq!((metrics.status, metrics.body.as_str()), (404, ""));

    servers.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_hands_metrics_to_the_app_when_health_does_not_serve_them() {
    let health = table_health();
    let app = Router::new().route("/metrics", get(|| async { "app_requests_total 7\n" }));
    let layer = serve_hyper(HealthLayer::new(health).layer(app)).await;
    let reply = request(layer, "GET", "/metrics").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, "app_requests_total 7\n");
    let ready = request(layer, "GET", "/ready").await;
    assert_eq!(ready.status, 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_works_as_an_axum_layer() {
    let health = table_health();
    let addr = serve_axum(app().layer(HealthLayer::new(health.clone()))).await;
    let ready = request(addr, "GET", "/readyz?verbose").await;
    assert_eq!(ready.status, 503);
    assert!(ready.body.ends_with("readyz check failed\n"), "{ready:?}");
    assert_eq!(request(addr, "GET", "/ready/database").await.status, 200);
    let app_reply = request(addr, "GET", "/app").await;
    assert_eq!((app_reply.status, app_reply.body.as_str()), (200, "app\n"));
    assert_eq!(request(addr, "GET", "/nope").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_probes_over_http_share_one_check_run() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let health = Health::builder()
        .readiness("slow", move || {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(300)).await;
                Outcome::pass()
            }
        })
        .cache_for(Duration::from_secs(60))
        .timeout(Duration::from_secs(5))
        .build();
    let addr = serve_axum(app().nest("/internal", health::axum::router(health.clone()))).await;

    let clients: Vec<_> = (0..100)
        .map(|_| tokio::spawn(request(addr, "GET", "/internal/ready")))
        .collect();
    for client in clients {
        let reply = client.await.expect("client task");
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(reply.body.starts_with(r#"{"status":"pass""#), "{reply:?}");
    }
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "one run for 100 concurrent probes"
    );
    assert_eq!(health.runs("slow"), Some(1));
}
