//! Soak: mixed probe traffic over real HTTP (the axum adapter on loopback) against failing,
//! flapping, slow and passing checks, for `HEALTH_SOAK_SECS` seconds (10 by default; the
//! README records a 600 s run). Memory and task count stay flat and every answer is one of
//! the expected ones.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use health::{Code, Health, Outcome};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One request on a fresh connection; the status code.
async fn status(port: u16, path: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let head = String::from_utf8_lossy(&response[..response.len().min(20)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn health() -> Health {
    let flap = Arc::new(AtomicBool::new(false));
    let flapping = move || {
        let flap = flap.clone();
        async move {
            // Flips on every run.
            if flap.fetch_xor(true, Ordering::SeqCst) {
                Outcome::fail(Code::CONNECTION_REFUSED, "refused").with_detail("raw detail")
            } else {
                Outcome::pass()
            }
        }
    };
    Health::builder()
        .readiness("ok", || async { Outcome::pass() })
        .refresh_every(Duration::from_millis(50))
        .readiness("failing", || async { Outcome::fail(Code::TIMEOUT, "slow") })
        .non_critical()
        .refresh_every(Duration::from_millis(50))
        .readiness("flapping", flapping)
        .cache_for(Duration::from_millis(10))
        .failure_threshold(2)
        .readiness("hangs", || async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Outcome::pass()
        })
        .non_critical()
        .timeout(Duration::from_millis(20))
        .cache_for(Duration::from_millis(30))
        .readiness("panics", || async {
            if true {
                panic!("soak");
            }
            Outcome::pass()
        })
        .non_critical()
        .refresh_every(Duration::from_millis(100))
        .liveness_heartbeat("loop", Duration::from_secs(30))
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_and_tasks_stay_flat_under_mixed_traffic() {
    let seconds: u64 = std::env::var("HEALTH_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    // The panicking check would print a backtrace per run.
    std::panic::set_hook(Box::new(|_| {}));
    let health = health();
    // The app's loop ticks its heartbeat, as a real one would.
    let beat = health.heartbeat("loop").unwrap();
    tokio::spawn(async move {
        loop {
            beat.tick();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let app = health::axum::router(health.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let paths = [
        "/ready",
        "/readyz?verbose",
        "/health",
        "/livez?verbose",
        "/ready/flapping",
        "/ready/hangs",
        "/ready?exclude=flapping",
        "/startupz",
        "/ready/nope",
    ];
    let requests = Arc::new(AtomicU64::new(0));
    let unexpected = Arc::new(AtomicU64::new(0));
    let client = |deadline: Instant| {
        let (requests, unexpected) = (requests.clone(), unexpected.clone());
        async move {
            let mut i = 0usize;
            while Instant::now() < deadline {
                let path = paths[i % paths.len()];
                let code = status(port, path).await;
                let expected: &[u16] = match path {
                    "/ready/nope" => &[404],
                    "/health" | "/livez?verbose" | "/startupz" | "/ready/hangs" => &[200],
                    _ => &[200, 503],
                };
                if !expected.contains(&code) && unexpected.fetch_add(1, Ordering::Relaxed) < 5 {
                    eprintln!("unexpected {code} for {path}");
                }
                requests.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        }
    };
    let metrics = tokio::runtime::Handle::current().metrics();
    // Warm up: every lazy structure allocated, every check run.
    let warm = Instant::now() + Duration::from_secs(2);
    let warmers: Vec<_> = (0..8).map(|_| tokio::spawn(client(warm))).collect();
    for w in warmers {
        w.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (rss_start, tasks_start) = (rss_kib(), metrics.num_alive_tasks());

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let clients: Vec<_> = (0..16).map(|_| tokio::spawn(client(deadline))).collect();
    for c in clients {
        c.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (rss_end, tasks_end) = (rss_kib(), metrics.num_alive_tasks());
    let total = requests.load(Ordering::Relaxed);
    println!(
        "MEASURED: soak {seconds}s: {total} requests, RSS {rss_start} KiB -> {rss_end} KiB, tasks {tasks_start} -> {tasks_end}, unexpected answers {}",
        unexpected.load(Ordering::Relaxed)
    );
    assert_eq!(unexpected.load(Ordering::Relaxed), 0);
    assert!(total > seconds * 100, "too little traffic: {total}");
    assert!(
        tasks_end <= tasks_start + 2,
        "tasks grew: {tasks_start} -> {tasks_end}"
    );
    assert!(
        rss_end <= rss_start + 8 * 1024,
        "memory grew: {rss_start} -> {rss_end} KiB"
    );
    drop(health);
}
