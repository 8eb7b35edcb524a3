//! Passive checks through `Health` and its `/ready` route: the circuit's state, counts and
//! last failure in the body, non-critical `warn` with 200, critical 503 only while open,
//! exact counts from many threads, and the outcomes of real HTTP calls to a real server on
//! loopback that starts answering 500 and then closes its port.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::upstream::FakeUpstream;
use health::{CircuitBreaker, CircuitState, Code, Health};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, advance};

/// `/ready` (or another target): status code and parsed JSON body.
async fn ready(health: &Health, target: &str) -> (u16, serde_json::Value) {
    let response = common::respond(health, target).await;
    let status = response.status().as_u16();
    let body = serde_json::from_slice(response.body()).expect("JSON body");
    (status, body)
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[tokio::test(start_paused = true)]
async fn non_critical_is_a_warn_served_with_200_showing_the_circuit() {
    let twilio = CircuitBreaker::builder().operation("create_call").build();
    let health = Health::builder().passive("twilio", &twilio).build();

    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 200);
    assert_eq!(body["checks"]["twilio"][0]["status"], "pass");
    assert_eq!(body["checks"]["twilio"][0]["circuit"]["state"], "closed");

    twilio.record_success();
    for _ in 0..4 {
        twilio.record_failure(Code::TIMEOUT);
    }
    twilio.record_failure(Code::UNEXPECTED_STATUS);
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "warn");
    let entry = &body["checks"]["twilio"][0];
    assert_eq!(entry["status"], "warn");
    assert_eq!(entry["code"], "circuit_open");
    assert_eq!(entry["operation"], "create_call");
    assert_eq!(
        entry["output"],
        "circuit open for 30s: 5 consecutive failures"
    );
    assert_eq!(
        entry["circuit"],
        serde_json::json!({
            "state": "open",
            "calls": 6,
            "failures": 5,
            "consecutive_failures": 5,
            "last_failure": "unexpected_status"
        })
    );
    // The single-check route and Kubernetes' text agree: degraded is passing.
    let (status, body) = ready(&health, "/ready/twilio").await;
    assert_eq!((status, &body["status"]), (200, &"warn".into()));
    let text = common::respond(&health, "/readyz?verbose").await;
    assert_eq!(text.status().as_u16(), 200);
    assert!(
        String::from_utf8_lossy(text.body()).contains("[+]twilio ok"),
        "{:?}",
        text.body()
    );
}

#[tokio::test(start_paused = true)]
async fn critical_fails_only_while_open_and_comes_back_without_calls() {
    let payments = CircuitBreaker::new();
    let health = Health::builder()
        .passive("payments", &payments)
        .critical()
        .build();
    assert_eq!(ready(&health, "/ready").await.0, 200);

    for _ in 0..5 {
        payments.record_failure(Code::CONNECTION_REFUSED);
    }
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 503);
    assert_eq!(body["checks"]["payments"][0]["code"], "circuit_open");

    // Out of rotation the pod gets no traffic, so no call is recorded from here on: the
    // open time alone brings readiness back (half-open passes, degraded).
    advance(Duration::from_millis(29_999)).await;
    assert_eq!(ready(&health, "/ready").await.0, 503);
    advance(Duration::from_millis(1)).await;
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "warn");
    assert_eq!(body["checks"]["payments"][0]["code"], "circuit_half_open");
    assert_eq!(
        body["checks"]["payments"][0]["circuit"]["state"],
        "half_open"
    );

    // Traffic returns; the first trial fails: 503 again, for one open time at most.
    assert!(payments.allow_call());
    payments.record_failure(Code::CONNECTION_REFUSED);
    assert_eq!(ready(&health, "/ready").await.0, 503);
    advance(secs(30)).await;
    assert_eq!(ready(&health, "/ready").await.0, 200);

    // Three trial successes close it: pass.
    for _ in 0..3 {
        assert!(payments.allow_call());
        payments.record_success();
    }
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!((status, &body["status"]), (200, &"pass".into()));
    assert_eq!(body["checks"]["payments"][0]["circuit"]["state"], "closed");

    // A dependency never called is never failed, however long.
    let idle = CircuitBreaker::new();
    let health = Health::builder().passive("idle", &idle).critical().build();
    advance(secs(7 * 24 * 3600)).await;
    assert_eq!(ready(&health, "/ready").await.0, 200);
}

#[test]
fn many_threads_recording_at_once_give_exact_counts() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    // Across 16 threads a streak of five failures can happen by interleaving: only the rate
    // rule is on, and a steady 25 % never reaches it.
    let queue = CircuitBreaker::builder().consecutive_failures(0).build();
    let health = runtime.block_on(async { Health::builder().passive("queue", &queue).build() });
    std::thread::scope(|s| {
        for t in 0..16u64 {
            let queue = queue.clone();
            s.spawn(move || {
                for i in 0..10_000u64 {
                    // One failure in four.
                    if (i + t) % 4 == 0 {
                        queue.record_failure(Code::TIMEOUT);
                    } else {
                        queue.record_success();
                    }
                }
            });
        }
    });
    let (status, body) = runtime.block_on(ready(&health, "/ready"));
    assert_eq!(status, 200);
    let circuit = &body["checks"]["queue"][0]["circuit"];
    assert_eq!(circuit["state"], "closed", "{body}");
    assert_eq!(circuit["calls"], 160_000);
    assert_eq!(circuit["failures"], 40_000);
    assert_eq!(circuit["last_failure"], "timeout");
    assert_eq!(body["checks"]["queue"][0]["status"], "pass");
}

/// The app's own call: one HTTP/1.1 exchange over a plain TCP stream, its error mapped to a
/// stable code.
async fn get_quote(addr: SocketAddr) -> Result<u16, Code> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|_| Code::CONNECTION_REFUSED)?;
    let request = format!("GET /quote HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|_| Code::ERROR)?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .map_err(|_| Code::ERROR)?;
    let head = String::from_utf8_lossy(&answer);
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(Code::ERROR)?;
    if status >= 500 {
        return Err(Code::UNEXPECTED_STATUS);
    }
    Ok(status)
}

/// Calls through the breaker (when it allows) until `/ready` shows `want` for `quotes`, or
/// panics after `limit`. Returns how long it took and how many calls were made.
async fn call_until(
    health: &Health,
    breaker: &CircuitBreaker,
    addr: SocketAddr,
    want: &str,
    limit: Duration,
) -> (Duration, u64) {
    let start = Instant::now();
    let mut calls = 0;
    loop {
        let (_, body) = ready(health, "/ready").await;
        if body["checks"]["quotes"][0]["status"] == want {
            return (start.elapsed(), calls);
        }
        assert!(
            start.elapsed() < limit,
            "no {want} within {limit:?}: {body}"
        );
        if breaker.allow_call() {
            let _ = breaker
                .observe_with(get_quote(addr), |code| code.clone())
                .await;
            calls += 1;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_calls_to_a_real_server_turn_it_warn_and_back() {
    let mut upstream = FakeUpstream::start(200);
    let window = Duration::from_secs(2);
    let open = Duration::from_secs(1);
    let quotes = CircuitBreaker::builder()
        .operation("get_quote")
        .window(window)
        .minimum_calls(4)
        .open_for(open)
        .build();
    let health = Health::builder().passive("quotes", &quotes).build();
    let mut app_calls = 0;

    // Healthy traffic.
    for _ in 0..5 {
        let answer = quotes
            .observe_with(get_quote(upstream.addr()), |code| code.clone())
            .await;
        assert_eq!(answer, Ok(200));
        app_calls += 1;
    }
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 200);
    let entry = &body["checks"]["quotes"][0];
    assert_eq!(
        (&entry["status"], &entry["circuit"]["calls"]),
        (&"pass".into(), &5.into())
    );

    // The server starts answering 500: warn within the window, still HTTP 200.
    upstream.answer(500);
    let (took, calls) = call_until(&health, &quotes, upstream.addr(), "warn", window).await;
    app_calls += calls;
    println!("500s: warn after {took:?} and {calls} calls");
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 200);
    let entry = &body["checks"]["quotes"][0];
    assert_eq!(entry["code"], "circuit_open", "{body}");
    assert_eq!(entry["operation"], "get_quote");
    assert_eq!(entry["circuit"]["state"], "open");
    assert_eq!(entry["circuit"]["last_failure"], "unexpected_status");
    assert!(
        entry["circuit"]["failures"].as_u64().unwrap() >= 4,
        "{body}"
    );
    // While open the app short-circuits: no call reaches the server.
    let before = upstream.count();
    assert_eq!(quotes.state(), CircuitState::Open);
    assert!(!quotes.allow_call());
    assert_eq!(upstream.count(), before);

    // The server recovers: trial calls after the open time close the circuit.
    upstream.answer(200);
    let limit = open * 2 + Duration::from_secs(1);
    let (took, calls) = call_until(&health, &quotes, upstream.addr(), "pass", limit).await;
    app_calls += calls;
    println!("recovered: pass after {took:?} and {calls} calls");
    assert!(
        took >= open / 2,
        "recovery waits for the open time: {took:?}"
    );
    let (_, body) = ready(&health, "/ready").await;
    assert_eq!(body["checks"]["quotes"][0]["circuit"]["state"], "closed");
    assert_eq!(quotes.state(), CircuitState::Closed);

    // The server's port closes: connection_refused, warn again.
    upstream.close();
    let (took, calls) = call_until(&health, &quotes, upstream.addr(), "warn", window).await;
    println!("port closed: warn after {took:?} and {calls} calls");
    let (status, body) = ready(&health, "/ready").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["checks"]["quotes"][0]["circuit"]["last_failure"],
        "connection_refused"
    );

    // Every request the server saw was one of the app's own calls: the check made none.
    assert_eq!(upstream.count() as u64, app_calls);
}
