//! The probe runtime through the facade: timeouts, panics, single-flight, caching,
//! criticality, thresholds, startup, shutdown, heartbeats, logs and the HTTP formats.
//!
//! Time is tokio's paused clock: sleeps and timeouts advance it, so nothing here waits.

mod capture;
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use capture::Logs;
use health::{Code, Health, HealthCheck, Outcome, ReadinessContract};

/// Calls the entry like an adapter would; returns (status, content type, body).
async fn get(health: &Health, path_and_query: &str) -> (u16, String, String) {
    let response = common::respond(health, path_and_query).await;
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let status = response.status().as_u16();
    let body = String::from_utf8(response.into_body().to_vec()).unwrap();
    (status, content_type, body)
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

/// A check that counts its calls, sleeps `delay`, and passes while `healthy` is set.
#[derive(Clone)]
struct Probe {
    calls: Arc<AtomicUsize>,
    healthy: Arc<AtomicBool>,
    delay: Duration,
}

impl Probe {
    fn new(delay: Duration) -> Probe {
        Probe {
            calls: Arc::default(),
            healthy: Arc::new(AtomicBool::new(true)),
            delay,
        }
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
    fn set_healthy(&self, healthy: bool) {
        self.healthy.store(healthy, Ordering::SeqCst);
    }
    fn check(&self) -> impl HealthCheck {
        let this = self.clone();
        move || {
            let this = this.clone();
            async move {
                this.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(this.delay).await;
                if this.healthy.load(Ordering::SeqCst) {
                    Outcome::pass()
                } else {
                    Outcome::fail(
                        Code::CONNECTION_REFUSED,
                        "dependency refused the connection",
                    )
                    .with_detail("connect to postgres://app:hunter2@db:5432 failed")
                }
            }
        }
    }
}

/// Sets its flag when dropped: proves an aborted run does not linger.
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn a_hung_check_fails_with_timeout_and_its_run_is_aborted() {
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = dropped.clone();
    let health = Health::builder()
        .readiness("hangs", move || {
            let guard = SetOnDrop(flag.clone());
            async move {
                let _guard = guard;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Outcome::pass()
            }
        })
        .timeout(Duration::from_millis(300))
        .cache_for(Duration::from_secs(5))
        .build();
    let started = tokio::time::Instant::now();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503);
    assert_eq!(json(&body)["checks"]["hangs"][0]["code"], "timeout");
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    tokio::task::yield_now().await;
    assert!(
        dropped.load(Ordering::SeqCst),
        "the hung run is still alive"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_check_fails_with_panicked_and_the_panic_stays_private() {
    let health = Health::builder()
        .readiness("explodes", || async {
            if true {
                panic!("token=SECRET-PANIC-TEXT");
            }
            Outcome::pass()
        })
        .cache_for(Duration::from_secs(5))
        .expose_details(true)
        .build();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503);
    assert_eq!(json(&body)["checks"]["explodes"][0]["code"], "panicked");
    assert!(!body.contains("SECRET-PANIC-TEXT"), "{body}");
    // The opt-in detailed view carries the raw text.
    let (_, _, detailed) = get(&health, "/ready?detail").await;
    assert!(detailed.contains("SECRET-PANIC-TEXT"), "{detailed}");
    // The runtime survives: the next probe answers too.
    assert_eq!(get(&health, "/health").await.0, 200);
}

#[tokio::test(start_paused = true)]
async fn concurrent_probes_share_one_run_of_a_probe_driven_check() {
    let probe = Probe::new(Duration::from_millis(500));
    let health = Health::builder()
        .readiness("db", probe.check())
        .timeout(Duration::from_secs(1))
        .cache_for(Duration::from_secs(10))
        .build();
    let probes: Vec<_> = (0..200)
        .map(|_| {
            let health = health.clone();
            tokio::spawn(async move { get(&health, "/ready").await.0 })
        })
        .collect();
    for probe in probes {
        assert_eq!(probe.await.unwrap(), 200);
    }
    assert_eq!(probe.calls(), 1, "200 concurrent probes must share one run");
    tokio::time::sleep(Duration::from_secs(5)).await;
    get(&health, "/ready").await;
    assert_eq!(probe.calls(), 1, "still fresh: served from the cache");
    tokio::time::sleep(Duration::from_secs(6)).await;
    let started = tokio::time::Instant::now();
    let stale = (0..200).map(|_| {
        let health = health.clone();
        tokio::spawn(async move { get(&health, "/ready").await.0 })
    });
    for probe in stale.collect::<Vec<_>>() {
        assert_eq!(probe.await.unwrap(), 200);
    }
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "stale probes answer from the cache at once"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        probe.calls(),
        2,
        "stale after the TTL: one refresh for 200 probes"
    );
}

#[tokio::test(start_paused = true)]
async fn background_checks_are_never_run_by_probes() {
    let probe = Probe::new(Duration::from_millis(50));
    let health = Health::builder()
        .readiness("queue", probe.check())
        .refresh_every(Duration::from_secs(10))
        .build();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(probe.calls(), 1, "the first run starts at build");
    for _ in 0..1000 {
        assert_eq!(get(&health, "/ready").await.0, 200);
    }
    assert_eq!(probe.calls(), 1, "probes read the cache");
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(
        probe.calls(),
        4,
        "one run per interval: at 0, 10, 20 and 30 s"
    );
}

#[tokio::test(start_paused = true)]
async fn background_tasks_end_with_the_last_health_handle() {
    let probe = Probe::new(Duration::ZERO);
    let health = Health::builder()
        .readiness("db", probe.check())
        .refresh_every(Duration::from_secs(1))
        .build();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = probe.calls();
    drop(health);
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(probe.calls(), before, "a refresh task outlived its Health");
}

#[tokio::test(start_paused = true)]
async fn a_non_critical_failure_is_degraded_but_ready() {
    let payments = Probe::new(Duration::ZERO);
    payments.set_healthy(false);
    let health = Health::builder()
        .readiness("db", Probe::new(Duration::ZERO).check())
        .readiness("payments_api", payments.check())
        .non_critical()
        .build();
    tokio::time::sleep(Duration::from_millis(10)).await;
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 200, "{body}");
    let body = json(&body);
    assert_eq!(body["status"], "warn");
    assert_eq!(body["checks"]["payments_api"][0]["status"], "warn");
    assert_eq!(
        body["checks"]["payments_api"][0]["code"],
        "connection_refused"
    );
    assert_eq!(body["checks"]["db"][0]["status"], "pass");
}

#[tokio::test(start_paused = true)]
async fn a_check_that_never_ran_is_not_ready() {
    let health = Health::builder()
        .readiness("slow", Probe::new(Duration::from_secs(2)).check())
        .timeout(Duration::from_secs(5))
        .build();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503);
    assert_eq!(json(&body)["checks"]["slow"][0]["code"], "unknown");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(get(&health, "/ready").await.0, 200);
}

#[tokio::test(start_paused = true)]
async fn config_failures_fail_readiness_by_variable() {
    #[derive(Debug, ReadinessContract)]
    #[allow(dead_code)]
    struct Config {
        database_url: String,
        #[contract(default = 8001)]
        port: u16,
    }
    let loaded = health::load_from::<Config>(&health::Vars::new());
    let health = Health::builder().config(&loaded).build();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503);
    let body = json(&body);
    assert_eq!(body["checks"]["DATABASE_URL"][0]["code"], "missing");
    assert_eq!(body["checks"]["PORT"][0]["status"], "pass");
    assert_eq!(
        get(&health, "/health").await.0,
        200,
        "config never fails liveness"
    );
}

#[tokio::test(start_paused = true)]
async fn readiness_waits_for_the_grace_period_or_the_startup_checks() {
    let health = Health::builder()
        .startup_grace(Duration::from_secs(10))
        .build();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503);
    assert_eq!(json(&body)["checks"]["startup"][0]["code"], "starting");
    assert_eq!(get(&health, "/startupz").await.0, 503);
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(get(&health, "/ready").await.0, 200);
    assert_eq!(get(&health, "/startupz").await.0, 200);

    // A startup check that passes ends startup before the grace period does.
    let warmup = Probe::new(Duration::from_secs(1));
    let health = Health::builder()
        .startup("migrations", warmup.check())
        .timeout(Duration::from_secs(5))
        .refresh_every(Duration::from_secs(2))
        .startup_grace(Duration::from_secs(60))
        .build();
    assert_eq!(get(&health, "/ready").await.0, 503);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get(&health, "/ready").await.0, 200);
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_eq!(
        warmup.calls(),
        1,
        "a startup check stops once it has passed"
    );
}

#[tokio::test(start_paused = true)]
async fn shutdown_fails_readiness_while_liveness_stays_up() {
    let health = Health::builder()
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .build();
    health.heartbeat("worker").unwrap().tick();
    assert_eq!(get(&health, "/ready").await.0, 200);
    health.shutdown();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503);
    assert_eq!(
        json(&body)["checks"]["shutdown"][0]["code"],
        "shutting_down"
    );
    assert_eq!(get(&health, "/health").await.0, 200);
    assert!(health.is_shutting_down());
}

#[tokio::test(start_paused = true)]
async fn thresholds_keep_a_flaky_dependency_from_flapping() {
    let flaky = Probe::new(Duration::ZERO);
    let health = Health::builder()
        .readiness("partner", flaky.check())
        .refresh_every(Duration::from_secs(1))
        .failure_threshold(3)
        .success_threshold(2)
        .build();
    // Runs at 0, 1, 2... s; each probe below comes half a second after one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ready = || async { get(&health, "/ready").await.0 };
    let next = || tokio::time::sleep(Duration::from_secs(1));
    assert_eq!(
        ready().await,
        503,
        "like Kubernetes, a new check starts failing: 1 success of 2"
    );
    next().await;
    assert_eq!(ready().await, 200);
    flaky.set_healthy(false);
    next().await;
    assert_eq!(ready().await, 200, "1 failure of 3");
    next().await;
    assert_eq!(ready().await, 200, "2 failures of 3");
    next().await;
    assert_eq!(ready().await, 503, "3 failures: fail");
    flaky.set_healthy(true);
    next().await;
    assert_eq!(ready().await, 503, "1 success of 2");
    next().await;
    assert_eq!(ready().await, 200, "2 successes: pass");
    assert_eq!(health.runs("partner"), Some(7));
}

#[tokio::test(start_paused = true)]
async fn a_recent_success_covers_a_rarely_checked_dependency() {
    let partner = Probe::new(Duration::ZERO);
    let health = Health::builder()
        .readiness("partner", partner.check())
        .refresh_every(Duration::from_secs(60))
        .last_success_within(Duration::from_secs(300))
        .build();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(get(&health, "/ready").await.0, 200);
    partner.set_healthy(false);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        get(&health, "/ready").await.0,
        200,
        "failed at 60 s, last success 60 s ago"
    );
    tokio::time::sleep(Duration::from_secs(240)).await;
    assert_eq!(
        get(&health, "/ready").await.0,
        503,
        "failed at 300 s, last success 300 s ago"
    );
    assert_eq!(partner.calls(), 6);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_heartbeat_fails_liveness_and_only_liveness() {
    let health = Health::builder()
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .build();
    let worker = health.heartbeat("worker").unwrap();
    assert!(health.heartbeat("wrokre").is_none());
    tokio::time::sleep(Duration::from_secs(20)).await;
    worker.tick();
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_eq!(get(&health, "/livez").await.0, 200, "ticked 20 s ago");
    tokio::time::sleep(Duration::from_secs(11)).await;
    let (status, _, body) = get(&health, "/livez").await;
    assert_eq!(status, 503);
    assert_eq!(json(&body)["checks"]["worker"][0]["code"], "stalled");
    assert_eq!(
        get(&health, "/ready").await.0,
        200,
        "a wedged loop is liveness' business"
    );
    worker.tick();
    assert_eq!(get(&health, "/livez").await.0, 200);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn state_changes_are_logged_once_with_the_raw_error_never_in_bodies() {
    let logs = Logs::capture();
    let db = Probe::new(Duration::ZERO);
    let health = Health::builder()
        .readiness("postgres", db.check())
        .cache_for(Duration::ZERO)
        .build();
    get(&health, "/ready").await;
    db.set_healthy(false);
    let mut bodies = String::new();
    for _ in 0..50 {
        // Lets the refresh each stale probe starts run before the next probe.
        tokio::time::sleep(Duration::from_millis(1)).await;
        bodies += &get(&health, "/ready").await.2;
        bodies += &get(&health, "/ready?verbose").await.2;
        // Details are off unless the app exposes them.
        bodies += &get(&health, "/ready?detail").await.2;
    }
    db.set_healthy(true);
    get(&health, "/ready").await;
    tokio::time::sleep(Duration::from_millis(1)).await;
    let text = logs.text();
    let changes: Vec<_> = text
        .lines()
        .filter(|l| l.contains("check=\"postgres\""))
        .collect();
    assert_eq!(
        changes.len(),
        3,
        "unknown->pass, pass->fail, fail->pass:\n{text}"
    );
    assert!(
        changes[1].contains("code=\"connection_refused\"")
            || changes[1].contains("code=connection_refused"),
        "{}",
        changes[1]
    );
    assert!(
        changes[1].contains("hunter2"),
        "logs keep the raw error: {}",
        changes[1]
    );
    assert!(!bodies.contains("hunter2"), "a body leaked the raw error");
    assert!(bodies.contains("dependency refused the connection"));
}

#[tokio::test(start_paused = true)]
async fn the_kubernetes_text_format_and_exclusions() {
    let down = Probe::new(Duration::ZERO);
    down.set_healthy(false);
    let health = Health::builder()
        .readiness("postgres", Probe::new(Duration::ZERO).check())
        .readiness("queue", down.check())
        .readiness("payments", down.check())
        .non_critical()
        .build();
    tokio::time::sleep(Duration::from_millis(10)).await;

    let (status, content_type, body) = get(&health, "/readyz?verbose").await;
    assert_eq!(
        (status, content_type.as_str()),
        (503, "text/plain; charset=utf-8")
    );
    assert_eq!(
        body,
        "[+]postgres ok\n[-]queue failed: reason withheld\n[+]payments ok\nreadyz check failed\n"
    );

    let (status, _, body) = get(&health, "/readyz?verbose&exclude=queue&exclude=nope").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        "[+]postgres ok\n[+]queue excluded: ok\n[+]payments ok\nwarn: some health checks cannot be excluded: no matches for \"nope\"\nreadyz check passed\n"
    );

    let (status, content_type, body) = get(&health, "/ready/queue").await;
    assert_eq!(
        (status, content_type.as_str()),
        (503, "application/health+json")
    );
    let body = json(&body);
    assert_eq!(body["checks"].as_object().unwrap().len(), 1);
    assert_eq!(get(&health, "/ready/postgres").await.0, 200);
    assert_eq!(get(&health, "/ready/nope").await.0, 404);
    assert_eq!(get(&health, "/metrics").await.0, 404);
    let (status, _, body) = get(&health, "/livez?verbose").await;
    assert_eq!((status, body.as_str()), (200, "livez check passed\n"));
}

#[tokio::test(start_paused = true)]
async fn the_cached_body_follows_every_state_change() {
    let db = Probe::new(Duration::ZERO);
    let health = Health::builder()
        .readiness("db", db.check())
        .refresh_every(Duration::from_secs(1))
        .build();
    tokio::time::sleep(Duration::from_millis(10)).await;
    let first = get(&health, "/ready").await;
    assert_eq!(first.0, 200);
    assert_eq!(
        get(&health, "/ready").await,
        first,
        "unchanged state, same body"
    );
    db.set_healthy(false);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(get(&health, "/ready").await.0, 503);
    db.set_healthy(true);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(get(&health, "/ready").await.0, 200);
}

/// An app's own signal: the age of the last successful sync, a soft signal the seed
/// recommends for unstable third parties ("cached last-success").
struct LastSync {
    /// Seconds since the last successful sync, as the app's sync loop stores it.
    age_secs: Arc<std::sync::atomic::AtomicU64>,
}

impl health::Signal for LastSync {
    fn outcome(&self) -> Outcome {
        let age = self.age_secs.load(Ordering::Relaxed);
        if age < 60 {
            Outcome::pass()
        } else {
            Outcome::fail(Code::new("sync_stale"), "no successful sync for a minute")
                .with_observed(age as f64, "s")
        }
    }

    fn version(&self) -> u64 {
        self.age_secs.load(Ordering::Relaxed)
    }
}

#[tokio::test(start_paused = true)]
async fn any_signal_is_read_at_each_probe_and_keys_the_cached_body() {
    let age = Arc::new(std::sync::atomic::AtomicU64::new(5));
    let health = Health::builder()
        .signal(
            "sync",
            health::Probe::Readiness,
            LastSync {
                age_secs: age.clone(),
            },
        )
        .non_critical()
        .signal(
            "sync_critical",
            health::Probe::Readiness,
            LastSync {
                age_secs: age.clone(),
            },
        )
        .build();
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["checks"]["sync"][0]["status"], "pass");

    // The app's state changes: the next probe sees it, through the cached body too.
    age.store(90, Ordering::Relaxed);
    let (status, _, body) = get(&health, "/ready").await;
    assert_eq!(status, 503, "{body}");
    let body = json(&body);
    assert_eq!(body["checks"]["sync"][0]["status"], "warn");
    assert_eq!(body["checks"]["sync"][0]["code"], "sync_stale");
    assert_eq!(body["checks"]["sync"][0]["observedValue"], 90.0);
    assert_eq!(body["checks"]["sync_critical"][0]["status"], "fail");

    // A signal never runs: liveness and startup do not list a readiness signal.
    let (_, _, body) = get(&health, "/livez").await;
    assert!(json(&body)["checks"].get("sync").is_none(), "{body}");
    assert_eq!(health.runs("sync"), None);
}
