//! Kubernetes probes from a `Health`: they follow the checks, their numbers follow the
//! docs, and kubernetes-validate accepts them inside a Deployment (with the `runtime`
//! feature, as `docs.rs` includes this module).

use super::*;

async fn passing() -> Outcome {
    Outcome::pass()
}

#[test]
fn kubernetes_probes_follow_the_checks_and_validate() {
    let health = Health::builder()
        .readiness("postgres", passing)
        .timeout(Duration::from_millis(300))
        .refresh_every(Duration::from_secs(2))
        .readiness("payments", passing)
        .timeout(Duration::from_millis(2500))
        .cache_for(Duration::from_secs(30))
        .startup("migrations", passing)
        .timeout(Duration::from_secs(1))
        .refresh_every(Duration::from_secs(5))
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .startup_grace(Duration::from_secs(10))
        .build();
    let yaml = docs::kubernetes_probes(&health, 8001);
    println!("{yaml}");
    for line in [
        "  timeoutSeconds: 3  # largest check timeout (payments 2.5s) rounded up, at least 1: a probe may wait for an on-probe run",
        "  periodSeconds: 2  # smallest background refresh (postgres every 2s) rounded down, at least 1: each probe can see a new result",
        "  failureThreshold: 6  # (6 - 1) x 2s = 10s >= the startup grace (10s): no restart before it ends",
        "  periodSeconds: 10  # a third of the largest heartbeat silence (worker 30s), between the readiness period and 10",
        "  failureThreshold: 3  # 3 x 10s = 30s >= that silence: no restart for a shorter stall",
        "    path: /startupz",
        "    path: /ready",
        "    path: /health",
        "    port: 8001",
    ] {
        assert!(
            yaml.lines().any(|l| l == line),
            "missing:\n{line}\nin:\n{yaml}"
        );
    }
    let probes = validate_probes(&yaml);

    // No checks, no heartbeats: the defaults, still valid.
    let bare = docs::kubernetes_probes(&Health::builder().build(), 80);
    assert!(
        bare.contains(
            "  periodSeconds: 10  # no check refreshes in the background: Kubernetes' default\n"
        ),
        "{bare}"
    );
    assert!(
        bare.contains("  timeoutSeconds: 1  # no checks registered: the minimum\n"),
        "{bare}"
    );
    validate_probes(&bare);

    // Sub-second refreshes and silences round to the 1 s minimum; a long silence gets more
    // failures rather than a longer period.
    let fast = Health::builder()
        .readiness("cache", passing)
        .refresh_every(Duration::from_millis(500))
        .liveness_heartbeat("tick", Duration::from_millis(700))
        .liveness_heartbeat("batch", Duration::from_secs(100))
        .build();
    let fast_yaml = docs::kubernetes_probes(&fast, 9000);
    let fast_probes = validate_probes(&fast_yaml);

    let Some(probes) = probes else { return };
    let (startup, readiness, liveness) = (
        &probes["startupProbe"],
        &probes["readinessProbe"],
        &probes["livenessProbe"],
    );
    assert_eq!(
        readiness["httpGet"],
        json!({"path": "/ready", "port": 8001})
    );
    assert_eq!(readiness["timeoutSeconds"], 3);
    assert_eq!(readiness["periodSeconds"], 2);
    assert_eq!(startup["httpGet"]["path"], "/startupz");
    let grace = 10;
    let (period, threshold) = (
        startup["periodSeconds"].as_u64().unwrap(),
        startup["failureThreshold"].as_u64().unwrap(),
    );
    assert!((threshold - 1) * period >= grace, "{startup}");
    assert_eq!(liveness["httpGet"]["path"], "/health");
    let (period, threshold) = (
        liveness["periodSeconds"].as_u64().unwrap(),
        liveness["failureThreshold"].as_u64().unwrap(),
    );
    assert!(period * threshold >= 30, "{liveness}");

    let fast = fast_probes.unwrap();
    assert_eq!(fast["readinessProbe"]["periodSeconds"], 1);
    assert_eq!(fast["readinessProbe"]["timeoutSeconds"], 1);
    assert_eq!(fast["livenessProbe"]["periodSeconds"], 10);
    assert_eq!(fast["livenessProbe"]["failureThreshold"], 10);
}

/// The probes as a real YAML parser read them, after kubernetes-validate accepted them in a
/// Deployment; `None` when skipped.
fn validate_probes(yaml: &str) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("probes.yaml");
    std::fs::write(&path, yaml).unwrap();
    let version = Path::new(KUBERNETES_VERSION);
    let result = python(
        "validate_probes.py",
        &[&path, version],
        "kubernetes-validate",
    );
    dir.close().unwrap();
    let result = result?;
    println!(
        "validated with kubernetes-validate {} against Kubernetes {}",
        result["kubernetes_validate"], result["kubernetes"]
    );
    Some(result["probes"].clone())
}

/// The number a probe's field is set to in the generated YAML.
fn probe_field(yaml: &str, probe: &str, field: &str) -> u64 {
    let start = yaml
        .find(&format!("\n{probe}:\n"))
        .unwrap_or_else(|| panic!("no {probe} in:\n{yaml}"));
    yaml[start + 1..]
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with(' '))
        .find_map(|line| line.trim_start().strip_prefix(&format!("{field}: ")))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {probe}.{field} in:\n{yaml}"))
}

#[test]
fn kubernetes_probes_numbers_follow_its_doc() {
    let health = Health::builder()
        .readiness("postgres", passing)
        .timeout(Duration::from_millis(300))
        .refresh_every(Duration::from_secs(2))
        .readiness("payments", passing)
        .timeout(Duration::from_millis(2500))
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .startup_grace(Duration::from_secs(10))
        .build();
    let yaml = docs::kubernetes_probes(&health, 8001);
    let n = |probe: &str, field: &str| probe_field(&yaml, probe, field);
    // Startup waits and ticks as readiness does; liveness never waits on a dependency.
    assert_eq!(n("startupProbe", "timeoutSeconds"), 3);
    assert_eq!(n("readinessProbe", "timeoutSeconds"), 3);
    assert_eq!(n("startupProbe", "periodSeconds"), 2);
    assert_eq!(n("readinessProbe", "periodSeconds"), 2);
    assert_eq!(n("livenessProbe", "timeoutSeconds"), 1);
    // Readiness is tight: out of rotation after two failed probes (the checks debounce).
    assert_eq!(n("readinessProbe", "successThreshold"), 1);
    assert_eq!(n("readinessProbe", "failureThreshold"), 2);

    // No grace: periods covering a minute (at least 3) for the startup checks to pass once.
    let startup = Health::builder().startup("migrations", passing).build();
    let yaml = docs::kubernetes_probes(&startup, 8001);
    assert!(
        yaml.contains("  failureThreshold: 12  # no startup grace: 60s for the startup checks (migrations) to pass once; raise it for slower starts\n"),
        "{yaml}"
    );
    assert_eq!(probe_field(&yaml, "startupProbe", "periodSeconds"), 5);
    validate_probes(&yaml);
    let slow = Health::builder()
        .startup("migrations", passing)
        .refresh_every(Duration::from_secs(30))
        .build();
    let yaml = docs::kubernetes_probes(&slow, 8001);
    assert_eq!(probe_field(&yaml, "startupProbe", "periodSeconds"), 30);
    assert_eq!(probe_field(&yaml, "startupProbe", "failureThreshold"), 3);

    // No grace, no startup checks, no heartbeats: Kubernetes' startup default, and a loose
    // liveness (the seed's 30 s) since it only shows that the process answers.
    let yaml = docs::kubernetes_probes(&Health::builder().build(), 8001);
    assert_eq!(probe_field(&yaml, "startupProbe", "failureThreshold"), 3);
    assert_eq!(probe_field(&yaml, "livenessProbe", "periodSeconds"), 30);
    assert_eq!(probe_field(&yaml, "livenessProbe", "failureThreshold"), 3);
}

/// The seed's wiring: liveness loose (never restart for a transient stall), readiness tight
/// (out of the load balancer fast). Whatever the checks and heartbeats, liveness ticks no
/// faster than readiness and waits longer before it acts.
#[test]
fn liveness_is_loose_and_readiness_tight() {
    let second = Duration::from_secs(1);
    let shapes = [
        Health::builder().build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(2 * second)
            .build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(60 * second)
            .build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(5 * second)
            .liveness_heartbeat("worker", 3 * second)
            .build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(20 * second)
            .liveness_heartbeat("worker", 6 * second)
            .build(),
        Health::builder()
            .liveness_heartbeat("batch", 600 * second)
            .build(),
    ];
    for health in &shapes {
        let yaml = docs::kubernetes_probes(health, 8000);
        let n = |probe: &str, field: &str| probe_field(&yaml, probe, field);
        let readiness =
            n("readinessProbe", "periodSeconds") * n("readinessProbe", "failureThreshold");
        let liveness = n("livenessProbe", "periodSeconds") * n("livenessProbe", "failureThreshold");
        assert!(
            n("livenessProbe", "periodSeconds") >= n("readinessProbe", "periodSeconds"),
            "{yaml}"
        );
        assert!(liveness > readiness, "{yaml}");
        for (name, silence) in health.liveness_limits() {
            assert!(liveness >= silence.as_secs(), "{name}: {yaml}");
        }
    }
}
