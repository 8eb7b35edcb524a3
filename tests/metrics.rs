//! Prometheus metrics: per check status, last duration and failures (by operation); per probe
//! result.

use std::time::Duration;

use health::{Code, Health, Outcome};
use prometheus_client::registry::Registry;

fn failing() -> impl health::HealthCheck {
    || async { Outcome::fail(Code::TIMEOUT, "no answer") }
}

#[tokio::test(start_paused = true)]
async fn metrics_are_served_at_slash_metrics() {
    let health = Health::builder()
        .readiness("db", || async { Outcome::pass() })
        .readiness("partner", failing())
        .non_critical()
        .cache_for(Duration::ZERO)
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .serve_metrics()
        .build();
    health.report(health::Probe::Readiness).await;
    health.report(health::Probe::Readiness).await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    let response = health.respond("/metrics", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let text = String::from_utf8(response.into_body().to_vec()).unwrap();
    for line in [
        r#"health_check_status{check="db",status="pass"} 1"#,
        r#"health_check_status{check="db",status="fail"} 0"#,
        r#"health_check_status{check="partner",status="warn"} 1"#,
        r#"health_check_failures_total{check="partner",operation=""} 2"#,
        r#"health_check_failures_total{check="db",operation=""} 0"#,
        r#"health_probe_up{probe="readiness"} 1"#,
        r#"health_probe_up{probe="liveness"} 1"#,
    ] {
        assert!(text.contains(line), "missing {line} in:\n{text}");
    }
    assert!(
        text.contains(r#"health_check_duration_seconds{check="db"}"#),
        "{text}"
    );
    assert!(text.ends_with("# EOF\n"), "{text}");
}

/// The failure counter's series of `check` in `text`, as `(operation, count)`, sorted.
fn failures_of(text: &str, check: &str) -> Vec<(String, u64)> {
    let prefix = format!(r#"health_check_failures_total{{check="{check}",operation=""#);
    let mut series: Vec<(String, u64)> = text
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix))
        .map(|rest| {
            let (operation, count) = rest.split_once(r#""} "#).unwrap();
            (operation.to_owned(), count.parse().unwrap())
        })
        .collect();
    series.sort();
    series
}

#[tokio::test(start_paused = true)]
async fn failures_are_counted_by_the_operation_that_failed() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Runs 1 and 2 fail to connect, run 3 fails to publish, run 4 fails without naming an
    // operation, later runs pass.
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let queue = move || {
        let run = counted.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            match run {
                1 | 2 => {
                    Outcome::fail(Code::CONNECTION_REFUSED, "refused").with_operation("connect")
                }
                3 => Outcome::fail(Code::AUTH_FAILED, "not allowed").with_operation("publish"),
                4 => Outcome::fail(Code::ERROR, "broken"),
                _ => Outcome::pass(),
            }
        }
    };
    let health = Health::builder()
        .readiness("queue", queue)
        .cache_for(Duration::ZERO)
        .readiness("hung", || async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Outcome::pass()
        })
        .timeout(Duration::from_millis(100))
        .cache_for(Duration::ZERO)
        .serve_metrics()
        .build();
    for _ in 0..5 {
        health.report(health::Probe::Readiness).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    // Single flight: the fifth run started once the fourth was recorded.
    assert!(runs.load(Ordering::SeqCst) >= 5);
    let text =
        String::from_utf8(health.respond("/metrics", None).await.into_body().to_vec()).unwrap();
    assert_eq!(
        failures_of(&text, "queue"),
        [
            (String::new(), 1),
            ("connect".to_owned(), 2),
            ("publish".to_owned(), 1)
        ],
        "{text}"
    );
    // The runtime's own timeout names no operation.
    let hung = failures_of(&text, "hung");
    assert_eq!(hung.len(), 1, "{text}");
    assert_eq!(hung[0].0, "", "{text}");
    assert!(hung[0].1 >= 1, "{text}");
    assert!(
        text.contains("# HELP health_check_failures Runs of a check that failed, by the operation"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn metrics_go_into_the_apps_own_registry() {
    let mut registry = Registry::default();
    let health = Health::builder()
        .readiness("db", failing())
        .metrics(&mut registry)
        .build();
    tokio::time::sleep(Duration::from_millis(10)).await;
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
    assert!(
        text.contains(r#"health_check_status{check="db",status="fail"} 1"#),
        "{text}"
    );
    // The app serves its registry itself: ours does not answer /metrics.
    assert_eq!(health.respond("/metrics", None).await.status(), 404);
}

#[tokio::test(start_paused = true)]
async fn config_variables_are_metrics_too() {
    #[derive(Debug, health::ReadinessContract)]
    #[allow(dead_code)]
    struct Config {
        database_url: String,
    }
    let loaded = health::load_from::<Config>(&health::Vars::new());
    let health = Health::builder().config(&loaded).serve_metrics().build();
    let text =
        String::from_utf8(health.respond("/metrics", None).await.into_body().to_vec()).unwrap();
    assert!(
        text.contains(r#"health_check_status{check="DATABASE_URL",status="fail"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"health_probe_up{probe="readiness"} 0"#),
        "{text}"
    );
}
