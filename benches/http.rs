//! HTTP benchmarks with `wrk` (Debian package) against one axum server on loopback:
//!
//! 1. Probe path: `/ready` served from the cached snapshot against a plain handler returning
//!    a static "ok", alternated five times in the same run; ratios of the median throughput
//!    and p99, and
//!    the dependency calls made meanwhile (the check refreshes once an hour, so any call
//!    would come from a probe).
//! 2. Probe storm: 500 connections for 10 s on `/ready` with a check that takes 500 ms, once
//!    refreshed in the background and once on probe (single-flight): calls against the
//!    bound (duration / refresh interval + 1), p99 against the check's timeout, and tasks and
//!    memory before and after.
//!
//! `cargo bench --bench http` (or `benches/run.sh http`).

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use health::{Health, HealthCheck, Outcome};

/// What one wrk run measured.
#[derive(Debug)]
struct Wrk {
    requests_per_sec: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn wrk(url: &str, connections: u32, seconds: u32) -> Wrk {
    let out = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            url,
        ])
        .output()
        .expect("wrk is needed: apt-get install wrk");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|r| r.trim().to_owned()))
            .unwrap_or_else(|| panic!("no {prefix:?} in wrk output:\n{text}"))
    };
    let p99 = field("99%");
    Wrk {
        requests_per_sec: field("Requests/sec:").parse().unwrap(),
        p99_ms: millis(&p99),
        non_2xx: text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
            .map_or(0, |n| n.trim().parse().unwrap()),
    }
}

/// wrk prints latencies as `812.00us`, `1.20ms` or `1.01s`.
fn millis(text: &str) -> f64 {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap();
    let (value, unit) = text.split_at(split);
    let value: f64 = value.parse().unwrap();
    match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        other => panic!("unit {other}"),
    }
}

fn counting(calls: &Arc<AtomicUsize>, delay: Duration) -> impl HealthCheck {
    let calls = calls.clone();
    move || {
        let calls = calls.clone();
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(delay).await;
            Outcome::pass()
        }
    }
}

async fn serve(health: Health) -> u16 {
    let app = Router::new()
        .route("/plain", get(|| async { "ok" }))
        .merge(health::axum::router(health));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn run_wrk(url: String, connections: u32, seconds: u32) -> Wrk {
    tokio::task::spawn_blocking(move || wrk(&url, connections, seconds))
        .await
        .unwrap()
}

async fn probe_path() {
    let calls = Arc::new(AtomicUsize::new(0));
    let health = Health::builder()
        .readiness("db", counting(&calls, Duration::ZERO))
        .refresh_every(Duration::from_secs(3600))
        .build();
    let port = serve(health).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = calls.load(Ordering::SeqCst);
    let (mut plain, mut ready) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        plain.push(run_wrk(format!("http://127.0.0.1:{port}/plain"), 32, 5).await);
        ready.push(run_wrk(format!("http://127.0.0.1:{port}/ready"), 32, 5).await);
    }
    let calls_during = calls.load(Ordering::SeqCst) - before;
    // The median of five alternated runs: one noisy run on a shared machine does not decide.
    let median = |runs: &[Wrk], f: fn(&Wrk) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let (rps_plain, rps_ready) = (
        median(&plain, |w| w.requests_per_sec),
        median(&ready, |w| w.requests_per_sec),
    );
    let (p99_plain, p99_ready) = (median(&plain, |w| w.p99_ms), median(&ready, |w| w.p99_ms));
    println!("probe path (wrk -t1 -c32, 5 x 5 s each, alternated; medians):");
    println!("  /plain {rps_plain:.0} req/s, p99 {p99_plain:.3} ms");
    println!("  /ready {rps_ready:.0} req/s, p99 {p99_ready:.3} ms");
    println!(
        "  throughput ready/plain = {:.2}, p99 ready/plain = {:.2}, dependency calls during the runs = {calls_during}",
        rps_ready / rps_plain,
        p99_ready / p99_plain
    );
    assert!(ready.iter().all(|w| w.non_2xx == 0));
}

/// 500 connections for 10 s on `/ready` with a 500 ms check refreshed the `on_probe` way or
/// in the background, every `refresh`.
async fn storm(name: &str, on_probe: bool, refresh: Duration, timeout: Duration) {
    let calls = Arc::new(AtomicUsize::new(0));
    let builder = Health::builder()
        .readiness(
            "slow_dependency",
            counting(&calls, Duration::from_millis(500)),
        )
        .timeout(timeout);
    let health = if on_probe {
        builder.cache_for(refresh)
    } else {
        builder.refresh_every(refresh)
    }
    .build();
    let port = serve(health).await;
    // Warm up, then take the baseline.
    run_wrk(format!("http://127.0.0.1:{port}/ready"), 500, 3).await;
    // Let the warm-up's connections close before the baseline.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let metrics = tokio::runtime::Handle::current().metrics();
    let (tasks_before, rss_before, calls_before) = (
        metrics.num_alive_tasks(),
        rss_kib(),
        calls.load(Ordering::SeqCst),
    );
    let seconds = 10;
    let run = run_wrk(format!("http://127.0.0.1:{port}/ready"), 500, seconds).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let calls_during = calls.load(Ordering::SeqCst) - calls_before;
    let bound = (Duration::from_secs(seconds.into()).as_secs_f64() / refresh.as_secs_f64()).floor()
        as usize
        + 1;
    println!("probe storm, {name} (wrk -t1 -c500 -d{seconds}s on /ready, check takes 500 ms):");
    println!(
        "  {:.0} req/s, p99 {:.1} ms (check timeout {} ms), non-2xx {}",
        run.requests_per_sec,
        run.p99_ms,
        timeout.as_millis(),
        run.non_2xx
    );
    println!("  dependency calls {calls_during} (bound {bound})");
    println!(
        "  tasks {tasks_before} -> {}, RSS {rss_before} KiB -> {} KiB",
        metrics.num_alive_tasks(),
        rss_kib()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        probe_path().await;
        let timeout = Duration::from_secs(1);
        let refresh = Duration::from_secs(2);
        storm("background refresh every 2 s", false, refresh, timeout).await;
        storm("refreshed on probe, cached 2 s", true, refresh, timeout).await;
    });
}
