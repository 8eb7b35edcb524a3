//! Runs the voxflow example as a process: a missing variable is named by `/ready`, liveness
//! stays 200, every probe route of the README answers, SIGTERM drains then exits 0,
//! `config probes` prints Kubernetes probes, and neither a secret's value nor an ANSI escape
//! appears in any body or log line.

mod process;

use std::process::Command;
use std::time::{Duration, Instant};

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
        .chain(["SHUTDOWN_DRAIN", "NO_COLOR"])
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

    // The app's own route refuses work while the config is broken.
    let form = "Content-Type: application/x-www-form-urlencoded\r\n";
    let (status, _, _) = service
        .request("POST", "/twilio/voice", form, "AccountSid=AC0123456789")
        .parts();
    assert_eq!(status, 503);

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

#[test]
fn a_complete_config_is_ready_and_serves_calls() {
    let service = start(&voxflow_config(TOKEN_MARKER, KEY_MARKER));
    let (status, _, body) = service.get("/ready").parts();
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "pass");
    assert_eq!(json["checks"].as_object().unwrap().len(), 7, "{body}");
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

    let form = "AccountSid=AC0123456789&CallSid=CA1&From=%2B15550100";
    let (status, _, _) = service
        .request(
            "POST",
            "/twilio/voice",
            "Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: Zm9yZ2Vk\r\n",
            form,
        )
        .parts();
    assert_eq!(status, 403, "a forged signature is refused");

    let signature = twilio_signature(
        TOKEN_MARKER,
        "https://voxflow.example/twilio/voice",
        &[
            ("AccountSid", "AC0123456789"),
            ("CallSid", "CA1"),
            ("From", "+15550100"),
        ],
    );
    let headers = format!(
        "Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signature}\r\n"
    );
    let (status, content_type, twiml) = service
        .request("POST", "/twilio/voice", &headers, form)
        .parts();
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/xml"),
        "{twiml}"
    );
    assert!(twiml.contains(r#"<Stream url="wss://voxflow.example/media-stream" statusCallback="https://n8n.example/webhook/calls"/>"#), "{twiml}");
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
    for var in VOXFLOW_VARIABLES.iter().chain(&["PORT", "SHUTDOWN_DRAIN"]) {
        cmd.env_remove(var);
    }
    cmd.args(args)
        .envs(vars.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}
