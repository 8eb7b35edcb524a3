//! voxflow's config as `/ready` and the logs tell it: a missing variable named (the app's
//! routes refusing work), every bad variable named at once, a Secret mounted late, rotated or
//! rotated badly reaching the running service on SIGHUP, and a complete config ready and
//! serving Twilio's calls, a forged signature refused.

use std::time::{Duration, Instant};

use super::common::volume::SecretVolume;
use super::process::{self, Service, voxflow_config};
use super::{
    KEY_MARKER, TOKEN_MARKER, assert_clean_log, assert_no_secret, start, twilio_signature,
    without_public_url,
};

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
