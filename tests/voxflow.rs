//! Runs the voxflow example as a process: a missing variable is named by `/ready`, liveness
//! stays 200, and a secret's value appears in no body and no log line.

mod process;

use process::{Service, VOXFLOW_VARIABLES, voxflow_config};

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

#[test]
fn a_missing_variable_fails_readiness_by_name_and_secrets_stay_hidden() {
    let vars: Vec<_> = voxflow_config(TOKEN_MARKER, KEY_MARKER)
        .into_iter()
        .filter(|(name, _)| *name != "PUBLIC_URL")
        .collect();
    let service = start(&vars);

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
    assert_no_secret(&logs);
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
    assert_no_secret(&logs);
}

#[test]
fn a_complete_config_is_ready_and_serves_calls() {
    let service = start(&voxflow_config(TOKEN_MARKER, KEY_MARKER));
    let (status, _, body) = service.get("/ready").parts();
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "pass");
    assert_eq!(json["checks"].as_object().unwrap().len(), 6);
    assert_no_secret(&body);

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
    assert_no_secret(&service.stop());
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
