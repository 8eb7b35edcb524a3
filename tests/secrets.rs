//! A secret's value never appears in any output: errors, reports, logs.

mod capture;

use capture::Logs;
use health::ReadinessContract;

const MARKERS: [&str; 3] = ["MARKER-tok-4b1d", "MARKER-key-77aa", "MARKER-port-9c2e"];

fn must_be_long(s: &str) -> Result<(), String> {
    if s.len() > 64 {
        Ok(())
    } else {
        Err(format!("`{s}` is too short"))
    }
}

#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Config {
    #[contract(secret, validate = must_be_long)]
    token: String,
    #[contract(secret, parse_with = echo_parse)]
    key: u32,
    #[contract(secret)]
    port: u16,
    #[contract(secret, default = "MARKER-default-1111")]
    salt: url::Url,
    #[contract(secret)]
    missing: String,
    plain: u16,
}

fn echo_parse(s: &str) -> Result<u32, String> {
    Err(format!("cannot parse {s}"))
}

fn assert_clean(output: &str) {
    for marker in MARKERS.iter().chain(&["MARKER-default-1111"]) {
        assert!(!output.contains(marker), "{marker} leaked into: {output}");
    }
    assert!(!output.contains("MARKER"), "a marker leaked into: {output}");
}

fn vars() -> [(&'static str, &'static str); 4] {
    [
        ("TOKEN", MARKERS[0]),
        ("KEY", MARKERS[1]),
        ("PORT", MARKERS[2]),
        ("PLAIN", "not-a-number"),
    ]
}

#[test]
fn failing_secrets_are_named_by_code_only() {
    let err = Config::from_vars(vars()).unwrap_err();
    let codes: Vec<_> = err
        .iter()
        .map(|c| (c.name(), c.code().unwrap().as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("TOKEN", "rejected"),
            ("KEY", "invalid"),
            ("PORT", "invalid"),
            ("SALT", "invalid_default"),
            ("MISSING", "missing"),
            ("PLAIN", "invalid"),
        ]
    );
    assert_clean(&err.to_string());
    assert_clean(&format!("{err:?}"));
    assert_clean(&format!("{:?}", err.report()));
    assert_clean(&err.report().to_string());
    assert_clean(
        &health::load_from::<Config>(&vars().into_iter().collect::<health::Vars>()).to_string(),
    );
    #[cfg(feature = "json")]
    {
        assert_clean(&err.report().to_json());
        assert_clean(&serde_json::to_string(Config::contract()).unwrap());
    }
    // The non-secret field keeps its parser's message.
    assert!(
        err.to_string()
            .contains("PLAIN (field `plain`): invalid: must be an integer from 0 to 65535")
    );
}

#[test]
fn passing_secrets_leave_no_trace_either() {
    let report = Config::check_vars([("TOKEN", "MARKER-".repeat(20).as_str()), ("PORT", "1")]);
    #[cfg(feature = "json")]
    assert_clean(&report.to_json());
    assert_clean(&format!("{report:?}"));
}

#[test]
fn load_logs_every_failure_without_secrets() {
    let capture = Logs::capture();
    let loaded = health::load_from::<Config>(&vars().into_iter().collect::<health::Vars>());
    assert!(!loaded.is_ready());
    let logs = capture.text();
    if cfg!(feature = "tracing") {
        assert_eq!(logs.lines().count(), 6, "{logs}");
        assert!(logs.contains("variable=\"MISSING\""), "{logs}");
        assert!(logs.contains("code=missing"), "{logs}");
    } else {
        assert_eq!(
            logs, "",
            "without the `tracing` feature, `load` logs nothing"
        );
    }
    assert_clean(&logs);
}

#[test]
fn secret_string_fields_are_secret_and_redacted_in_debug() {
    use secrecy::{ExposeSecret, SecretString};
    #[derive(Debug, ReadinessContract)]
    struct WithSecrecy {
        api_key: SecretString,
        port: u16,
    }
    let config = WithSecrecy::from_vars([("API_KEY", MARKERS[0]), ("PORT", "80")]).unwrap();
    assert_eq!(config.api_key.expose_secret(), MARKERS[0]);
    assert_eq!(config.port, 80);
    // The config's own Debug, the contract and every error stay clean.
    assert_clean(&format!("{config:?}"));
    assert!(WithSecrecy::contract().variables()[0].spec().is_secret());
    let err = WithSecrecy::from_vars([("API_KEY", MARKERS[1]), ("PORT", MARKERS[2])]).unwrap_err();
    assert_clean(&err.to_string());
    assert_clean(&format!("{:?}", err.report()));
    #[cfg(feature = "json")]
    assert_clean(&err.report().to_json());
}
