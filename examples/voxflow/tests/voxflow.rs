//! Runs the voxflow example as a process: a missing variable is named by `/ready`, liveness
//! stays 200, every probe route answers, SIGTERM drains then exits 0,
//! `config probes` prints Kubernetes probes, and neither a secret's value nor an ANSI escape
//! appears in any body or log line. Against a fake n8n on loopback: Twilio's stream events
//! are delivered as JSON, an n8n that fails opens the `n8n` circuit (a `warn`, still ready)
//! and stops the deliveries until it recovers, no probe ever calls it, and every request
//! ends by its timeout while liveness stays 200.

mod common;
#[path = "../../../tests/process/mod.rs"]
mod process;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use common::upstream::FakeUpstream;
use common::volume::SecretVolume;

use process::{Service, VOXFLOW_VARIABLES, example_binary, voxflow_config};

const TOKEN_MARKER: &str = "SECRET-MARKER-twilio-5f3a9c";
const KEY_MARKER: &str = "SECRET-MARKER-ultravox-81be2d";

fn start(vars: &[(&str, &str)]) -> Service {
    Service::start("voxflow", vars, &VOXFLOW_VARIABLES)
}

fn assert_no_secret(text: &str) {
    for marker in [TOKEN_MARKER, KEY_MARKER] {
        assert!(!text.contains(marker), "secret value leaked: {text}");
    }
}

/// A captured log: no secret, and no ANSI escape (it is not a terminal).
fn assert_clean_log(logs: &str) {
    assert_no_secret(logs);
    assert!(
        !logs.contains("\x1b["),
        "ANSI escape in a log that is not a terminal: {logs:?}"
    );
}

/// voxflow started without `NO_COLOR`, so that the logs show its own choice of colour (none:
/// they are not a terminal), and without `SHUTDOWN_DRAIN` from the environment.
fn start_with_its_own_colours(vars: &[(&str, &str)]) -> Service {
    let unset: Vec<&str> = VOXFLOW_VARIABLES
        .iter()
        .copied()
        .chain(["HOST", "SHUTDOWN_DRAIN", "NO_COLOR"])
        .collect();
    Service::start("voxflow", vars, &unset)
}

/// voxflow's complete config without `PUBLIC_URL`.
fn without_public_url() -> Vec<(&'static str, &'static str)> {
    voxflow_config(TOKEN_MARKER, KEY_MARKER)
        .into_iter()
        .filter(|(name, _)| *name != "PUBLIC_URL")
        .collect()
}

#[test]
fn a_missing_variable_fails_readiness_by_name_and_secrets_stay_hidden() {
    let service = start(&without_public_url());

    let (status, content_type, body) = service.get("/health").parts();
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/health+json"),
        "{body}"
    );

    let (status, content_type, body) = service.get("/ready").parts();
    assert_eq!(status, 503, "{body}");
    assert_eq!(content_type, "application/health+json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "fail");
    assert_eq!(json["checks"]["PUBLIC_URL"][0]["status"], "fail");
    assert_eq!(json["checks"]["PUBLIC_URL"][0]["code"], "missing");
    assert_eq!(json["checks"]["TWILIO_AUTH_TOKEN"][0]["status"], "pass");
    assert_eq!(json["checks"]["PORT"][0]["status"], "pass");
    assert_no_secret(&body);

    // The app's own routes refuse work while the config is broken.
    let form = "Content-Type: application/x-www-form-urlencoded\r\n";
    for path in ["/twilio/voice", "/twilio/stream-status"] {
        let (status, _, _) = service
            .request("POST", path, form, "AccountSid=AC0123456789")
            .parts();
        assert_eq!(status, 503, "{path}");
    }

    let logs = service.stop();
    let failing: Vec<_> = logs
        .lines()
        .filter(|l| l.contains("config variable failed"))
        .collect();
    assert_eq!(failing.len(), 1, "{logs}");
    assert!(
        failing[0].contains("PUBLIC_URL") && failing[0].contains("missing"),
        "{logs}"
    );
    assert_clean_log(&logs);
}

#[test]
fn every_bad_variable_is_named_at_once() {
    let service = start(&[
        ("TWILIO_AUTH_TOKEN", TOKEN_MARKER),
        ("ULTRAVOX_API_KEY", ""),
        ("N8N_WEBHOOK_URL", "n8n.example/no-scheme"),
        ("PUBLIC_URL", "https://voxflow.example"),
    ]);
    let (status, _, body) = service.get("/ready").parts();
    assert_eq!(status, 503);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let code = |name: &str| json["checks"][name][0]["code"].as_str().map(str::to_owned);
    assert_eq!(code("TWILIO_ACCOUNT_SID").as_deref(), Some("missing"));
    assert_eq!(code("ULTRAVOX_API_KEY").as_deref(), Some("empty"));
    assert_eq!(code("N8N_WEBHOOK_URL").as_deref(), Some("invalid"));
    assert_eq!(code("PUBLIC_URL"), None);
    assert_no_secret(&body);
    let logs = service.stop();
    assert_eq!(logs.matches("config variable failed").count(), 3, "{logs}");
    assert_clean_log(&logs);
}

/// Twilio's signature of the test call to `/twilio/voice` with `token`.
fn voice_signature(token: &str) -> String {
    twilio_signature(
        token,
        "https://voxflow.example/twilio/voice",
        &[
            ("AccountSid", "AC0123456789"),
            ("CallSid", "CA1"),
            ("From", "+15550100"),
        ],
    )
}

/// The test call to `/twilio/voice` with `signature` as `X-Twilio-Signature`.
fn voice_call(service: &Service, signature: &str) -> process::Reply {
    let form = "AccountSid=AC0123456789&CallSid=CA1&From=%2B15550100";
    let headers = format!(
        "Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signature}\r\n"
    );
    service.request("POST", "/twilio/voice", &headers, form)
}

/// The status of the test call signed with `token`.
fn incoming_call(service: &Service, token: &str) -> u16 {
    voice_call(service, &voice_signature(token)).status
}

#[test]
fn a_secret_mounted_late_or_rotated_reaches_the_running_service_on_sighup() {
    let mut volume = SecretVolume::new();
    volume.write(&[("ULTRAVOX_API_KEY", KEY_MARKER)]);
    let token_file = volume.path("TWILIO_AUTH_TOKEN").display().to_string();
    let key_file = volume.path("ULTRAVOX_API_KEY").display().to_string();
    let mut vars: Vec<(&str, &str)> = voxflow_config(TOKEN_MARKER, KEY_MARKER)
        .into_iter()
        .filter(|(name, _)| !name.ends_with("_TOKEN") && !name.ends_with("_KEY"))
        .collect();
    vars.extend([
        ("TWILIO_AUTH_TOKEN_FILE", token_file.as_str()),
        ("ULTRAVOX_API_KEY_FILE", key_file.as_str()),
    ]);
    let service = start(&vars);

    // The Secret lacks the token: 503, naming it and its file; calls are refused.
    let reply = service.get("/ready");
    assert_eq!(reply.status, 503, "{}", reply.body);
    let json = reply.json();
    let token = &json["checks"]["TWILIO_AUTH_TOKEN"][0];
    assert_eq!(token["code"], "unreadable_file", "{}", reply.body);
    assert!(
        token["output"].as_str().unwrap().contains(&token_file),
        "{}",
        reply.body
    );
    assert_eq!(incoming_call(&service, TOKEN_MARKER), 503);

    // The Secret is fixed; SIGHUP (or the 5 s interval) makes the running process ready.
    volume.write(&[
        ("TWILIO_AUTH_TOKEN", TOKEN_MARKER),
        ("ULTRAVOX_API_KEY", KEY_MARKER),
    ]);
    service.hangup();
    let (reply, _) = service.wait_for("/ready", Duration::from_secs(10), |r| r.status == 200);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(incoming_call(&service, TOKEN_MARKER), 200);

    // A rotation: the next webhook is checked with the new token, not the old one.
    let rotated = "SECRET-MARKER-twilio-rotated-77d1";
    volume.write(&[
        ("TWILIO_AUTH_TOKEN", rotated),
        ("ULTRAVOX_API_KEY", KEY_MARKER),
    ]);
    service.hangup();
    let started = Instant::now();
    while incoming_call(&service, rotated) != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the rotated token was never used"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        incoming_call(&service, TOKEN_MARKER),
        403,
        "the old token no longer works"
    );

    // A bad rotation (an empty token) keeps the last good config: calls still connect,
    // readiness fails naming the variable.
    volume.write(&[("TWILIO_AUTH_TOKEN", ""), ("ULTRAVOX_API_KEY", KEY_MARKER)]);
    service.hangup();
    let (reply, _) = service.wait_for("/ready", Duration::from_secs(10), |r| r.status == 503);
    assert_eq!(reply.status, 503, "{}", reply.body);
    let json = reply.json();
    let token = &json["checks"]["TWILIO_AUTH_TOKEN"][0];
    assert_eq!(token["code"], "empty", "{}", reply.body);
    assert!(
        token["output"]
            .as_str()
            .unwrap()
            .contains("last good config"),
        "{}",
        reply.body
    );
    assert_eq!(
        incoming_call(&service, rotated),
        200,
        "the last good config stays in use"
    );
    assert_no_secret(&reply.body);
    let logs = service.stop();
    assert_clean_log(&logs);
    assert!(!logs.contains(rotated), "rotated secret leaked: {logs}");
    assert!(logs.contains("SIGHUP"), "{logs}");
}

#[test]
fn a_complete_config_is_ready_and_serves_calls() {
    let service = start(&voxflow_config(TOKEN_MARKER, KEY_MARKER));
    let (status, _, body) = service.get("/ready").parts();
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "pass");
    // 9 config variables and `n8n`; the watchdog `requests` is liveness's.
    assert_eq!(json["checks"].as_object().unwrap().len(), 10, "{body}");
    assert_eq!(json["checks"]["n8n"][0]["status"], "pass", "{body}");
    assert_eq!(json["checks"]["SHUTDOWN_DRAIN"][0]["status"], "pass");
    assert_no_secret(&body);

    let (status, content_type, body) = service.get("/ready/PUBLIC_URL").parts();
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/health+json"),
        "{body}"
    );
    let (status, content_type, body) = service.get("/readyz?verbose").parts();
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/plain; charset=utf-8"),
        "{body}"
    );
    assert!(
        body.lines().any(|l| l.starts_with("[+]PUBLIC_URL")),
        "{body}"
    );
    assert!(!body.contains("[-]"), "{body}");

    let status = voice_call(&service, "Zm9yZ2Vk").status;
    assert_eq!(status, 403, "a forged signature is refused");

    let (status, content_type, twiml) =
        voice_call(&service, &voice_signature(TOKEN_MARKER)).parts();
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/xml"),
        "{twiml}"
    );
    assert!(twiml.contains(r#"<Stream url="wss://voxflow.example/media-stream" statusCallback="https://voxflow.example/twilio/stream-status"/>"#), "{twiml}");
    assert_no_secret(&twiml);
    assert_clean_log(&service.stop());
}

#[test]
fn every_probe_route_of_the_readme_answers() {
    let service = start(&without_public_url());
    let json = "application/health+json";
    let text = "text/plain; charset=utf-8";
    for (path, expected_status, expected_type) in [
        ("/health", 200, json),
        ("/livez", 200, json),
        ("/ready", 503, json),
        ("/readyz", 503, json),
        ("/startup", 200, json),
        ("/startupz", 200, json),
        ("/ready/PUBLIC_URL", 503, json),
        ("/readyz/PUBLIC_URL", 503, json),
        ("/ready/TWILIO_AUTH_TOKEN", 200, json),
        ("/ready/NOPE", 404, text),
        ("/livez?verbose", 200, text),
        ("/readyz?verbose", 503, text),
        ("/ready?exclude=PUBLIC_URL", 200, json),
        ("/readyz?verbose&exclude=PUBLIC_URL", 200, text),
        ("/not-a-probe", 404, text),
    ] {
        let (status, content_type, body) = service.get(path).parts();
        assert_eq!(
            (status, content_type.as_str()),
            (expected_status, expected_type),
            "{path}: {body}"
        );
        assert_no_secret(&body);
    }

    let one = service.get("/ready/PUBLIC_URL").json();
    assert_eq!(one["checks"]["PUBLIC_URL"][0]["code"], "missing", "{one}");
    assert_eq!(one["checks"].as_object().unwrap().len(), 1, "{one}");

    // Kubernetes' text: the failing variable with `[-]`, the others with `[+]`.
    let verbose = service.get("/readyz?verbose").body;
    assert!(
        verbose.lines().any(|l| l.starts_with("[-]PUBLIC_URL ")),
        "{verbose}"
    );
    assert!(
        verbose
            .lines()
            .any(|l| l.starts_with("[+]TWILIO_AUTH_TOKEN ")),
        "{verbose}"
    );
    assert_eq!(verbose.matches("[-]").count(), 1, "{verbose}");

    // Leaving out the only failing variable makes readiness pass.
    let excluded = service.get("/ready?exclude=PUBLIC_URL").json();
    assert_eq!(excluded["status"], "pass", "{excluded}");
    assert!(excluded["checks"].get("PUBLIC_URL").is_none(), "{excluded}");
    let verbose = service.get("/readyz?verbose&exclude=PUBLIC_URL").body;
    assert!(!verbose.contains("[-]"), "{verbose}");

    // The webhook is still the app's, not the probes' catch-all.
    let (status, _, _) = service.get("/twilio/voice").parts();
    assert_eq!(status, 405, "GET on the webhook");
    assert_clean_log(&service.stop());
}

#[test]
fn sigterm_drains_readiness_then_exits_0() {
    let mut vars = voxflow_config(TOKEN_MARKER, KEY_MARKER);
    vars.push(("SHUTDOWN_DRAIN", "2s"));
    let voxflow = start_with_its_own_colours(&vars);
    assert_eq!(voxflow.get("/ready").status, 200);

    let signalled = Instant::now();
    voxflow.terminate();
    let (ready, _) = voxflow.wait_for("/ready", Duration::from_secs(2), |r| r.status == 503);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(
        ready.json()["checks"]["shutdown"][0]["code"],
        "shutting_down",
        "{}",
        ready.body
    );
    let verbose = voxflow.get("/readyz?verbose").body;
    assert!(
        verbose.lines().any(|l| l.starts_with("[-]shutdown ")),
        "{verbose}"
    );
    let live = voxflow.get("/health");
    assert_eq!(
        live.status, 200,
        "liveness stays up while draining: {}",
        live.body
    );
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "the checks above ran after the drain"
    );

    let (status, logs) = voxflow.wait_exit(Duration::from_secs(15));
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(
        took >= Duration::from_secs(2),
        "stopped {took:?} after SIGTERM, before the 2s drain: {logs}"
    );
    println!("MEASURED: exited {took:?} after SIGTERM with SHUTDOWN_DRAIN=2s");
    assert!(logs.contains("shutting down"), "{logs}");
    assert_clean_log(&logs);
}

#[test]
fn sigterm_with_a_broken_config_exits_0_at_once() {
    // Never ready, so never sent traffic: nothing to drain.
    let voxflow = start_with_its_own_colours(&[("SHUTDOWN_DRAIN", "30s")]);
    assert_eq!(voxflow.get("/ready").status, 503);
    let signalled = Instant::now();
    voxflow.terminate();
    let (status, logs) = voxflow.wait_exit(Duration::from_secs(15));
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {logs}");
    assert_clean_log(&logs);
}

#[test]
fn config_probes_prints_kubernetes_probes() {
    // With the config broken as with it whole: probes depend on the checks, not the values.
    for vars in [vec![], voxflow_config(TOKEN_MARKER, KEY_MARKER)] {
        let out = voxflow_command(&["config", "probes"], &vars);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        for key in [
            "startupProbe:",
            "readinessProbe:",
            "livenessProbe:",
            "path: /ready\n",
            "path: /health\n",
            "port: 8000\n",
        ] {
            assert!(stdout.contains(key), "no {key:?} in:\n{stdout}");
        }
        assert_eq!(stderr, "", "a config command logs nothing");
        assert_no_secret(&stdout);
    }

    let out = voxflow_command(&["config", "probes", "--port", "9000"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("port: 9000\n"), "{stdout}");
    assert!(!stdout.contains("port: 8000"), "{stdout}");

    // The guide's CLI chapter shows the real output: liveness loose, readiness tight, as the
    // seed wires it.
    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../src/guide/cli.md"
    ))
    .unwrap();
    let command = "$ cargo run -q -p voxflow -- config probes\n";
    let shown = guide
        .split_once(command)
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the guide shows voxflow's `config probes`");
    let out = voxflow_command(&["config", "probes"], &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), shown);
}

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

/// Twilio's documented scheme, written out independently of the example's code: the names
/// are already sorted here.
fn twilio_signature(token: &str, url: &str, sorted_params: &[(&str, &str)]) -> String {
    use base64::Engine;
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(token.as_bytes()).unwrap();
    let data: String = std::iter::once(url.to_owned())
        .chain(sorted_params.iter().map(|(k, v)| format!("{k}{v}")))
        .collect();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Runs `voxflow <args>` to completion with the config variables removed and `vars` set.
fn voxflow_command(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(example_binary("voxflow"));
    for var in
        VOXFLOW_VARIABLES
            .iter()
            .chain(&["HOST", "PORT", "SHUTDOWN_DRAIN", "N8N_CIRCUIT_OPEN_FOR"])
    {
        cmd.env_remove(var);
    }
    cmd.args(args)
        .envs(vars.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}
