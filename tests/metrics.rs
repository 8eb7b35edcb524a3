//! Prometheus metrics: per check status, last duration and failures; per probe result.

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
        r#"health_check_failures_total{check="partner"} 2"#,
        r#"health_check_failures_total{check="db"} 0"#,
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
