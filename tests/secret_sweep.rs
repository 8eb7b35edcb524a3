//! The secret sweep: several secret fields set to distinct markers, and every output the
//! library produces searched for them, across valid values, invalid values, and another
//! field failing. (`config check`'s output is swept by `tests/check_config.rs`, which runs
//! it as a process.)

mod capture;
mod common;

use capture::Logs;
use health::{Health, Probe, ReadinessContract, Vars, docs};
use secrecy::{ExposeSecret, SecretString};

const MARKERS: [&str; 6] = [
    "MARKER-api-7f3e19",
    "MARKER-token-c0ffee",
    "MARKER-dbpass-b16b00",
    "MARKER-pin-ab12",
    "MARKER-hook-99zz",
    "MARKER-default-5e5e",
];

fn long_token(token: &SecretString) -> Result<(), String> {
    let token = token.expose_secret();
    if token.len() >= 16 {
        Ok(())
    } else {
        Err(format!("`{token}` is shorter than 16"))
    }
}

/// Database settings, with a secret of their own.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Db {
    host: String,
    password: SecretString,
}

/// Secrets held in `SecretString`, so the config's own `Debug` is safe too.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "SWEEP_")]
#[allow(dead_code)]
struct Sweep {
    api_key: SecretString,
    #[contract(validate = long_token)]
    token: SecretString,
    #[contract(secret, default = "MARKER-default-5e5e")]
    salt: SecretString,
    region: String,
    port: u16,
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

/// Secrets of types that parse: markers there are always invalid.
#[derive(ReadinessContract)]
#[allow(dead_code)]
struct Typed {
    #[contract(secret)]
    pin: u16,
    #[contract(secret, parse_with = echo)]
    hook: url::Url,
    #[contract(secret)]
    flag: bool,
}

fn echo(s: &str) -> Result<url::Url, String> {
    Err(format!("cannot parse {s}"))
}

fn valid() -> Vec<(&'static str, &'static str)> {
    vec![
        ("SWEEP_API_KEY", MARKERS[0]),
        ("SWEEP_TOKEN", MARKERS[1]),
        ("SWEEP_REGION", "eu"),
        ("SWEEP_PORT", "8080"),
        ("SWEEP_DB_HOST", "db"),
        ("SWEEP_DB_PASSWORD", MARKERS[2]),
    ]
}

fn with(mut vars: Vec<(&'static str, &'static str)>, set: &[(&'static str, &'static str)]) -> Vars {
    vars.extend_from_slice(set);
    vars.into_iter().collect()
}

/// Every output one source gives: errors, reports, HTTP bodies of every route, logs, docs.
async fn outputs(source: &Vars) -> Vec<(String, String)> {
    let logs = Logs::capture();
    let mut out = Vec::new();
    match Sweep::from_source(source) {
        Ok(config) => out.push(("Debug of the config".into(), format!("{config:?}"))),
        Err(err) => {
            out.push(("Display of the error".into(), err.to_string()));
            out.push(("Debug of the error".into(), format!("{err:?}")));
        }
    }
    let loaded = health::load_from::<Sweep>(source);
    let report = loaded.report();
    out.push(("report JSON".into(), report.to_json()));
    out.push(("detailed report JSON".into(), report.to_json_detailed()));
    out.push(("Debug of the report".into(), format!("{report:?}")));
    out.push(("Debug of the load".into(), format!("{loaded:?}")));
    let typed = Typed::check_source(source);
    out.push((
        "typed report".into(),
        format!("{typed:?} {}", typed.to_json()),
    ));

    let health = Health::builder()
        .config(&loaded)
        .expose_details(true)
        .liveness_heartbeat("loop", std::time::Duration::from_secs(30));
    #[cfg(feature = "prometheus")]
    let health = health.serve_metrics();
    let health = health.build();
    let mut paths = vec![
        "/health".to_owned(),
        "/livez?verbose".to_owned(),
        "/ready".to_owned(),
        "/readyz?verbose".to_owned(),
        "/ready?detail".to_owned(),
        "/startupz".to_owned(),
        "/metrics".to_owned(),
    ];
    paths.extend(
        report
            .entries()
            .iter()
            .map(|c| format!("/ready/{}", c.name())),
    );
    for target in paths {
        let body = common::respond(&health, &target).await.into_body();
        out.push((
            format!("HTTP {target}"),
            String::from_utf8_lossy(&body).into_owned(),
        ));
    }
    let _ = health.report(Probe::Readiness).await;

    let contract = Sweep::contract();
    out.push((".env.example".into(), docs::env_example(contract)));
    out.push(("Markdown".into(), docs::markdown_table(contract)));
    out.push((
        "JSON Schema".into(),
        docs::json_schema(contract).to_string(),
    ));
    out.push((
        "contract JSON".into(),
        serde_json::to_string(contract).unwrap(),
    ));
    out.push(("probes".into(), docs::kubernetes_probes(&health, 8080)));
    out.push(("logs".into(), logs.text()));
    out
}

fn assert_clean(scenario: &str, outputs: &[(String, String)]) {
    let mut hits = Vec::new();
    for (what, text) in outputs {
        for marker in MARKERS {
            if text.contains(marker) {
                hits.push(format!("{marker} in {what}"));
            }
        }
    }
    assert!(hits.is_empty(), "{scenario}: {hits:#?}");
}

#[tokio::test(flavor = "current_thread")]
async fn no_marker_in_any_output_with_valid_secrets() {
    let outputs = outputs(&with(valid(), &[])).await;
    assert!(
        outputs.iter().any(|(w, _)| w == "Debug of the config"),
        "the valid config loads"
    );
    assert_clean("valid", &outputs);
}

#[tokio::test(flavor = "current_thread")]
async fn no_marker_when_another_field_fails() {
    let outputs = outputs(&with(valid(), &[("SWEEP_PORT", "eighty")])).await;
    assert!(
        outputs
            .iter()
            .any(|(w, t)| w == "Display of the error" && t.contains("SWEEP_PORT"))
    );
    assert_clean("another field fails", &outputs);
}

#[tokio::test(flavor = "current_thread")]
async fn no_marker_when_the_secrets_themselves_fail() {
    let source = with(
        valid(),
        &[
            // Too short for the validator, which quotes it in its message.
            ("SWEEP_TOKEN", "MARKER-token-c0ffee"),
            ("SWEEP_DB_PASSWORD", ""),
            ("PIN", MARKERS[3]),
            ("HOOK", MARKERS[4]),
            ("FLAG", MARKERS[3]),
        ],
    );
    let outputs = outputs(&source).await;
    let typed = Typed::check_source(&source);
    let codes: Vec<_> = typed
        .failures()
        .map(|c| c.code().unwrap().as_str())
        .collect();
    assert_eq!(codes, ["invalid", "invalid", "invalid"]);
    assert_clean("secrets fail", &outputs);
}

#[test]
fn the_validator_message_is_what_would_leak() {
    // The sweep above is only meaningful if a non-secret twin does echo the value.
    #[derive(ReadinessContract)]
    #[allow(dead_code)]
    struct Twin {
        #[contract(validate = long_token)]
        token: SecretString,
        #[contract(parse_with = echo)]
        hook: url::Url,
    }
    let Err(err) = Twin::from_vars([("TOKEN", "short-MARKER"), ("HOOK", "MARKER-hook")]) else {
        panic!("both fields are invalid");
    };
    let text = err.to_string();
    assert!(
        !text.contains("short-MARKER"),
        "SecretString is secret by type: {text}"
    );
    assert!(
        text.contains("cannot parse MARKER-hook"),
        "a plain field keeps its message: {text}"
    );
}
