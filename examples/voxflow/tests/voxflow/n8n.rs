//! voxflow against a fake n8n on loopback: Twilio's stream events delivered as JSON, an n8n
//! that fails opening the `n8n` circuit (a `warn`, still ready) and stopping the deliveries
//! until it recovers, no probe ever calling it; a hung n8n and a body that never comes ended
//! by their timeouts while liveness stays 200.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::common::upstream::FakeUpstream;
use super::process::{Service, VOXFLOW_VARIABLES, voxflow_config};
use super::{KEY_MARKER, TOKEN_MARKER, assert_clean_log, twilio_signature};

/// voxflow, its config complete, delivering to `n8n` with the circuit open for `open_for`
/// (unset: its default). No proxy from the environment: n8n is on loopback.
fn start_with_n8n(n8n: &FakeUpstream, open_for: Option<&str>) -> Service {
    let url = n8n.url("/webhook");
    let mut vars: Vec<(&str, &str)> = voxflow_config(TOKEN_MARKER, KEY_MARKER)
        .into_iter()
        .filter(|(name, _)| *name != "N8N_WEBHOOK_URL")
        .collect();
    vars.push(("N8N_WEBHOOK_URL", &url));
    if let Some(open_for) = open_for {
        vars.push(("N8N_CIRCUIT_OPEN_FOR", open_for));
    }
    let unset: Vec<&str> = VOXFLOW_VARIABLES
        .iter()
        .copied()
        .chain(["HOST", "N8N_CIRCUIT_OPEN_FOR", "SHUTDOWN_DRAIN"])
        .chain(["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"])
        .chain(["all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"])
        .collect();
    Service::start("voxflow", &vars, &unset)
}

/// The stream-status callback's URL, as voxflow's TwiML gives it to Twilio.
const STREAM_STATUS_URL: &str = "https://voxflow.example/twilio/stream-status";

/// Twilio's status callback for event `event` of stream `stream` (`MZ...`), signed with
/// `token`: voxflow's answer, in full (status line, headers, body).
fn stream_status(service: &Service, token: &str, stream: &str, event: &str) -> String {
    let params = [
        ("AccountSid", "AC0123456789"),
        ("CallSid", "CA1"),
        ("StreamEvent", event),
        ("StreamSid", stream),
    ];
    let signature = twilio_signature(token, STREAM_STATUS_URL, &params);
    let form =
        format!("AccountSid=AC0123456789&CallSid=CA1&StreamEvent={event}&StreamSid={stream}");
    let mut conn = TcpStream::connect(service.addr()).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    write!(
        conn,
        "POST /twilio/stream-status HTTP/1.1\r\nHost: voxflow.example\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signature}\r\n\
         Content-Length: {}\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    response
}

/// The status code of a full HTTP response.
fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

/// `/ready`'s status and its `n8n` entry.
fn n8n_entry(service: &Service) -> (u16, serde_json::Value) {
    let reply = service.get("/ready");
    let json = reply.json();
    (reply.status, json["checks"]["n8n"][0].clone())
}

/// Liveness is 200 and lists the watchdog as passing.
fn assert_live(service: &Service) {
    let live = service.get("/livez?verbose");
    assert_eq!(live.status, 200, "{}", live.body);
    assert!(
        live.body.lines().any(|l| l == "[+]requests ok"),
        "{}",
        live.body
    );
}

#[test]
fn stream_events_reach_n8n_through_a_circuit_that_opens_and_closes() {
    let mut n8n = FakeUpstream::start(200);
    let voxflow = start_with_n8n(&n8n, Some("2s"));
    let mut forwarded = 0;

    // n8n healthy: each event arrives as JSON, answered 204; `n8n` passes.
    let (status, entry) = n8n_entry(&voxflow);
    assert_eq!((status, &entry["status"]), (200, &"pass".into()), "{entry}");
    for (i, event) in ["stream-started", "stream-stopped"].into_iter().enumerate() {
        let answer = stream_status(&voxflow, TOKEN_MARKER, &format!("MZ{i}"), event);
        assert_eq!(status_of(&answer), 204, "{answer}");
        forwarded += 1;
    }
    let received = n8n.received();
    assert_eq!(received.len(), forwarded);
    let (request_line, content_type, body) = &received[0];
    assert_eq!(request_line, "POST /webhook HTTP/1.1");
    assert_eq!(content_type, "application/json");
    let event: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        event,
        serde_json::json!({"AccountSid": "AC0123456789", "CallSid": "CA1",
            "StreamEvent": "stream-started", "StreamSid": "MZ0"})
    );
    let (_, entry) = n8n_entry(&voxflow);
    assert_eq!(entry["status"], "pass", "{entry}");
    assert_eq!(entry["circuit"]["calls"], 2, "{entry}");

    // A forged signature is refused before anything is delivered.
    let forged = stream_status(&voxflow, "not-the-token", "MZ9", "stream-started");
    assert_eq!(status_of(&forged), 403, "{forged}");
    assert_eq!(n8n.count(), forwarded);

    // n8n answers 500: each event gets 502, and the 5th failure in a row opens the circuit.
    n8n.answer(500);
    for i in 0..5 {
        let answer = stream_status(&voxflow, TOKEN_MARKER, &format!("MZ1{i}"), "stream-started");
        assert_eq!(status_of(&answer), 502, "{answer}");
        forwarded += 1;
    }
    let opened = Instant::now();
    let (status, entry) = n8n_entry(&voxflow);
    assert_eq!(status, 200, "n8n is not critical: still ready: {entry}");
    assert_eq!(entry["status"], "warn", "{entry}");
    assert_eq!(entry["code"], "circuit_open", "{entry}");
    assert_eq!(entry["operation"], "deliver", "{entry}");
    assert_eq!(
        entry["circuit"],
        serde_json::json!({"state": "open", "calls": 7, "failures": 5,
            "consecutive_failures": 5, "last_failure": "unexpected_status"}),
        "{entry}"
    );
    assert_live(&voxflow);

    // While open: not delivered, 503 with Retry-After (the open time), n8n sees nothing.
    for i in 0..3 {
        let answer = stream_status(&voxflow, TOKEN_MARKER, &format!("MZ2{i}"), "stream-started");
        assert_eq!(status_of(&answer), 503, "{answer}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("\r\nretry-after: 2\r\n"),
            "{answer}"
        );
    }
    for _ in 0..10 {
        assert_eq!(voxflow.get("/ready").status, 200);
    }
    assert_eq!(n8n.count(), forwarded, "nothing reached n8n while open");
    assert!(
        opened.elapsed() < Duration::from_secs(2),
        "the checks above ran after the 2s open time"
    );

    // n8n healthy again: after the open time the circuit is half-open by itself, and three
    // trial deliveries close it.
    n8n.answer(200);
    let (ready, took) = voxflow.wait_for("/ready", Duration::from_secs(5), |r| {
        r.json()["checks"]["n8n"][0]["code"] == "circuit_half_open"
    });
    let entry = &ready.json()["checks"]["n8n"][0];
    assert_eq!(
        (ready.status, &entry["status"]),
        (200, &"warn".into()),
        "{entry}"
    );
    assert_eq!(n8n.count(), forwarded, "half-open without a call");
    println!(
        "MEASURED: half-open {:?} after opening (open time 2s), seen {took:?} after n8n recovered",
        opened.elapsed()
    );
    for i in 0..3 {
        let answer = stream_status(&voxflow, TOKEN_MARKER, &format!("MZ3{i}"), "stream-stopped");
        assert_eq!(status_of(&answer), 204, "{answer}");
        forwarded += 1;
    }
    let (status, entry) = n8n_entry(&voxflow);
    assert_eq!((status, &entry["status"]), (200, &"pass".into()), "{entry}");
    assert_eq!(entry["circuit"]["state"], "closed", "{entry}");
    assert_eq!(entry["circuit"]["last_failure"], "unexpected_status");

    // n8n's port closed: connection refused, and the circuit opens again.
    n8n.close();
    for i in 0..5 {
        let answer = stream_status(&voxflow, TOKEN_MARKER, &format!("MZ4{i}"), "stream-started");
        assert_eq!(status_of(&answer), 502, "{answer}");
    }
    let (status, entry) = n8n_entry(&voxflow);
    assert_eq!(status, 200, "{entry}");
    assert_eq!(entry["code"], "circuit_open", "{entry}");
    assert_eq!(
        entry["circuit"]["last_failure"], "connection_refused",
        "{entry}"
    );
    assert_live(&voxflow);

    // Listening again, so that a probe calling n8n would be counted: none does, and the
    // refused deliveries never arrived.
    n8n.reopen(200);
    for _ in 0..20 {
        voxflow.get("/ready");
        voxflow.get("/ready/n8n");
        voxflow.get("/health");
    }
    assert_eq!(n8n.count(), forwarded);
    assert_eq!(forwarded, 10);
    assert!(
        n8n.received()
            .iter()
            .all(|(line, _, _)| line == "POST /webhook HTTP/1.1")
    );
    let logs = voxflow.stop();
    assert!(logs.contains("call event not delivered to n8n"), "{logs}");
    assert!(
        !logs.contains("/webhook"),
        "n8n's URL stays out of the logs: {logs}"
    );
    assert_clean_log(&logs);
}

#[test]
fn requests_end_by_their_timeouts_and_liveness_stays_200() {
    // An n8n that reads the event and never answers, and a client that never finishes its
    // body: voxflow ends both requests itself, well within the watchdog's 30s.
    let n8n = FakeUpstream::start(0);
    let voxflow = start_with_n8n(&n8n, None);
    let started = Instant::now();
    let hung_n8n = std::thread::scope(|scope| {
        let hung = scope.spawn(|| {
            let answer = stream_status(&voxflow, TOKEN_MARKER, "MZ1", "stream-started");
            (answer, started.elapsed())
        });
        let slow_body = scope.spawn(|| {
            let mut conn = TcpStream::connect(voxflow.addr()).unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(15)))
                .unwrap();
            write!(
                conn,
                "POST /twilio/stream-status HTTP/1.1\r\nHost: voxflow.example\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAccountSid="
            )
            .unwrap();
            let mut response = String::new();
            let _ = conn.read_to_string(&mut response);
            (response, started.elapsed())
        });
        // Liveness throughout: the watchdog passes while both requests are in flight.
        let mut probes = 0;
        while !(hung.is_finished() && slow_body.is_finished()) {
            assert_live(&voxflow);
            probes += 1;
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(probes > 10, "{probes} probes");
        let slow = slow_body.join().unwrap();
        assert_eq!(status_of(&slow.0), 408, "{}", slow.0);
        assert!(
            (Duration::from_secs(5)..Duration::from_secs(8)).contains(&slow.1),
            "{:?}",
            slow.1
        );
        println!("MEASURED: slow body answered 408 after {:?}", slow.1);
        hung.join().unwrap()
    });
    let (answer, took) = hung_n8n;
    assert_eq!(status_of(&answer), 504, "{answer}");
    assert!(
        (Duration::from_secs(5)..Duration::from_secs(8)).contains(&took),
        "{took:?}"
    );
    println!("MEASURED: hung n8n answered 504 after {took:?}");
    assert_eq!(n8n.count(), 1);
    let (status, entry) = n8n_entry(&voxflow);
    assert_eq!((status, &entry["status"]), (200, &"pass".into()), "{entry}");
    assert_eq!(
        entry["circuit"],
        serde_json::json!({"state": "closed", "calls": 1, "failures": 1,
            "consecutive_failures": 1, "last_failure": "timeout"}),
        "{entry}"
    );
    assert_live(&voxflow);
    assert_clean_log(&voxflow.stop());
}
