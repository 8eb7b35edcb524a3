//! Runs the voxflow example as a process: a missing variable is named by `/ready`, liveness
//! stays 200, and a secret's value appears in no body and no log line.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN_MARKER: &str = "SECRET-MARKER-twilio-5f3a9c";
const KEY_MARKER: &str = "SECRET-MARKER-ultravox-81be2d";

/// `cargo test` builds the examples next to the test binaries.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let bin = dir
        .join("examples")
        .join(format!("voxflow{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the suite with `cargo test`, which builds examples",
        bin.display()
    );
    bin
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Service {
    child: Child,
    port: u16,
}

impl Service {
    fn start(vars: &[(&str, &str)]) -> Service {
        let port = free_port();
        let mut cmd = Command::new(example_binary());
        for name in [
            "TWILIO_ACCOUNT_SID",
            "TWILIO_AUTH_TOKEN",
            "ULTRAVOX_API_KEY",
            "N8N_WEBHOOK_URL",
            "PUBLIC_URL",
        ] {
            cmd.env_remove(name);
        }
        cmd.env("PORT", port.to_string())
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let service = Service {
            child: cmd.spawn().unwrap(),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(service.addr()).is_err() {
            assert!(Instant::now() < deadline, "voxflow did not start listening");
            std::thread::sleep(Duration::from_millis(25));
        }
        service
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// One HTTP/1.1 request; returns (status, content type, body).
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &str,
        body: &str,
    ) -> (u16, String, String) {
        let mut stream = TcpStream::connect(self.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let content_type = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-type: ")
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        (status, content_type, body.to_owned())
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        self.request("GET", path, "", "")
    }

    /// Stops the service and returns everything it logged.
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        let out = self.child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    }
}

fn assert_no_secret(text: &str) {
    for marker in [TOKEN_MARKER, KEY_MARKER] {
        assert!(!text.contains(marker), "secret value leaked: {text}");
    }
}

fn complete_config() -> Vec<(&'static str, &'static str)> {
    vec![
        ("TWILIO_ACCOUNT_SID", "AC0123456789"),
        ("TWILIO_AUTH_TOKEN", TOKEN_MARKER),
        ("ULTRAVOX_API_KEY", KEY_MARKER),
        ("N8N_WEBHOOK_URL", "https://n8n.example/webhook/calls"),
        ("PUBLIC_URL", "https://voxflow.example"),
    ]
}

#[test]
fn a_missing_variable_fails_readiness_by_name_and_secrets_stay_hidden() {
    let vars: Vec<_> = complete_config()
        .into_iter()
        .filter(|(name, _)| *name != "PUBLIC_URL")
        .collect();
    let service = Service::start(&vars);

    let (status, content_type, body) = service.get("/health");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/health+json"),
        "{body}"
    );

    let (status, content_type, body) = service.get("/ready");
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
    let (status, _, _) = service.request("POST", "/twilio/voice", form, "AccountSid=AC0123456789");
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
    let service = Service::start(&[
        ("TWILIO_AUTH_TOKEN", TOKEN_MARKER),
        ("ULTRAVOX_API_KEY", ""),
        ("N8N_WEBHOOK_URL", "n8n.example/no-scheme"),
        ("PUBLIC_URL", "https://voxflow.example"),
    ]);
    let (status, _, body) = service.get("/ready");
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
    let service = Service::start(&complete_config());
    let (status, _, body) = service.get("/ready");
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "pass");
    assert_eq!(json["checks"].as_object().unwrap().len(), 6);
    assert_no_secret(&body);

    let form = "AccountSid=AC0123456789&CallSid=CA1&From=%2B15550100";
    let (status, _, _) = service.request(
        "POST",
        "/twilio/voice",
        "Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: Zm9yZ2Vk\r\n",
        form,
    );
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
    let (status, content_type, twiml) = service.request("POST", "/twilio/voice", &headers, form);
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
