//! Loading a config: `#[derive(ReadinessContract)]` against hand-written `std::env::var` +
//! `parse` code that also collects every error, and against `envy::from_env` with serde, on
//! the same 20-field config (strings, integers, bools, a Duration, a list, an Option, a
//! nested struct) and on a 200-field one.
//!
//! The variables come from the process environment: run it through `benches/run.sh`, which
//! sets them (and pads the environment to show how each loader scales with its size).

#![allow(missing_docs)] // criterion's macros write undocumented functions

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use health::ReadinessContract;
use serde::Deserialize;

/// Database settings (nested).
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Db {
    host: String,
    port: u16,
}

/// The 20-variable config.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Config {
    app_name: String,
    environment: String,
    region: String,
    log_level: String,
    port: u16,
    workers: u32,
    max_connections: u32,
    request_limit: u64,
    retries: u8,
    debug: bool,
    metrics_enabled: bool,
    tls: bool,
    timeout: Duration,
    allowed_origins: Vec<String>,
    public_url: Option<String>,
    #[contract(secret)]
    api_token: String,
    cache_ttl_secs: u64,
    sample_rate: f64,
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

/// The same for envy: serde reads a flat map, so the nested fields are flat here.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct EnvyConfig {
    app_name: String,
    environment: String,
    region: String,
    log_level: String,
    port: u16,
    workers: u32,
    max_connections: u32,
    request_limit: u64,
    retries: u8,
    debug: bool,
    metrics_enabled: bool,
    tls: bool,
    #[serde(deserialize_with = "humantime_duration")]
    timeout: Duration,
    allowed_origins: Vec<String>,
    public_url: Option<String>,
    api_token: String,
    cache_ttl_secs: u64,
    sample_rate: f64,
    db_host: String,
    db_port: u16,
}

fn humantime_duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    humantime::parse_duration(&text).map_err(serde::de::Error::custom)
}

/// What a careful hand-written loader does: read each variable, parse it, and collect every
/// error instead of stopping at the first.
fn hand_written() -> Result<Config, Vec<String>> {
    use std::env::var;
    let mut errors = Vec::new();
    fn required(name: &str, errors: &mut Vec<String>) -> Option<String> {
        match std::env::var(name) {
            Ok(v) if !v.is_empty() => Some(v),
            Ok(_) => {
                errors.push(format!("{name}: empty"));
                None
            }
            Err(_) => {
                errors.push(format!("{name}: missing"));
                None
            }
        }
    }
    fn parsed<T: std::str::FromStr>(name: &str, errors: &mut Vec<String>) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        let text = required(name, errors)?;
        text.parse()
            .map_err(|e| errors.push(format!("{name}: invalid: {e}")))
            .ok()
    }
    fn flag(name: &str, errors: &mut Vec<String>) -> Option<bool> {
        let text = required(name, errors)?;
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => {
                errors.push(format!("{name}: invalid bool"));
                None
            }
        }
    }
    let app_name = required("APP_NAME", &mut errors);
    let environment = required("ENVIRONMENT", &mut errors);
    let region = required("REGION", &mut errors);
    let log_level = required("LOG_LEVEL", &mut errors);
    let port = parsed("PORT", &mut errors);
    let workers = parsed("WORKERS", &mut errors);
    let max_connections = parsed("MAX_CONNECTIONS", &mut errors);
    let request_limit = parsed("REQUEST_LIMIT", &mut errors);
    let retries = parsed("RETRIES", &mut errors);
    let debug = flag("DEBUG", &mut errors);
    let metrics_enabled = flag("METRICS_ENABLED", &mut errors);
    let tls = flag("TLS", &mut errors);
    let timeout = required("TIMEOUT", &mut errors).and_then(|t| {
        humantime::parse_duration(&t)
            .map_err(|e| errors.push(format!("TIMEOUT: invalid: {e}")))
            .ok()
    });
    let allowed_origins = required("ALLOWED_ORIGINS", &mut errors)
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let public_url = var("PUBLIC_URL").ok().filter(|v| !v.is_empty());
    let api_token = required("API_TOKEN", &mut errors);
    let cache_ttl_secs = parsed("CACHE_TTL_SECS", &mut errors);
    let sample_rate = parsed("SAMPLE_RATE", &mut errors);
    let db_host = required("DB_HOST", &mut errors);
    let db_port = parsed("DB_PORT", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let missing = || vec!["unreachable".to_owned()];
    Ok(Config {
        app_name: app_name.ok_or_else(missing)?,
        environment: environment.ok_or_else(missing)?,
        region: region.ok_or_else(missing)?,
        log_level: log_level.ok_or_else(missing)?,
        port: port.ok_or_else(missing)?,
        workers: workers.ok_or_else(missing)?,
        max_connections: max_connections.ok_or_else(missing)?,
        request_limit: request_limit.ok_or_else(missing)?,
        retries: retries.ok_or_else(missing)?,
        debug: debug.ok_or_else(missing)?,
        metrics_enabled: metrics_enabled.ok_or_else(missing)?,
        tls: tls.ok_or_else(missing)?,
        timeout: timeout.ok_or_else(missing)?,
        allowed_origins: allowed_origins.ok_or_else(missing)?,
        public_url,
        api_token: api_token.ok_or_else(missing)?,
        cache_ttl_secs: cache_ttl_secs.ok_or_else(missing)?,
        sample_rate: sample_rate.ok_or_else(missing)?,
        db: Db {
            host: db_host.ok_or_else(missing)?,
            port: db_port.ok_or_else(missing)?,
        },
    })
}

/// The 200-field config, its envy twin and its hand-written loader.
macro_rules! big_config {
    ($($field:ident = $name:literal,)*) => {
        #[derive(Debug, ReadinessContract)]
        #[contract(prefix = "BIG_")]
        #[allow(dead_code)]
        struct Big { $($field: u32,)* }

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct EnvyBig { $($field: u32,)* }

        fn hand_written_big() -> Result<Big, Vec<String>> {
            let mut errors = Vec::new();
            $(
                let $field = match std::env::var($name) {
                    Ok(v) => v.parse::<u32>().map_err(|e| errors.push(format!("{}: {e}", $name))).ok(),
                    Err(_) => {
                        errors.push(format!("{}: missing", $name));
                        None
                    }
                };
            )*
            match ($($field,)*) {
                ($(Some($field),)*) if errors.is_empty() => Ok(Big { $($field,)* }),
                _ => Err(errors),
            }
        }
    };
}

include!("fields/fields200.rs");

/// The variables of both configs, as pairs (for `from_vars`).
fn pairs() -> Vec<(String, String)> {
    std::env::vars()
        .filter(|(k, _)| Config::contract().variables().iter().any(|v| v.name() == k))
        .collect()
}

fn loading(c: &mut Criterion) {
    // `benches/run.sh load` runs this once per config and environment size, with exactly
    // the config's variables and padding set (`env -i`): HEALTH_BENCH_CONFIG says which.
    let config = std::env::var("HEALTH_BENCH_CONFIG").unwrap_or_else(|_| "20".to_owned());
    let label = std::env::var("HEALTH_BENCH_ENV").unwrap_or_else(|_| "env".to_owned());
    println!(
        "config {config}, environment: {} variables ({label})",
        std::env::vars_os().count()
    );
    match config.as_str() {
        "20" => load20(c, &label),
        "200" => load200(c, &label),
        other => panic!("HEALTH_BENCH_CONFIG is 20 or 200, not {other}"),
    }
}

fn load20(c: &mut Criterion, label: &str) {
    // Refuse to measure the error path by accident.
    if let Err(e) = Config::from_env() {
        panic!("run through benches/run.sh, which sets the variables:\n{e}");
    }
    assert!(hand_written().is_ok() && envy::from_env::<EnvyConfig>().is_ok());
    let mut group = c.benchmark_group(format!("load20_{label}"));
    group.bench_function("health_from_env", |b| {
        b.iter(|| black_box(Config::from_env()))
    });
    group.bench_function("hand_written", |b| b.iter(|| black_box(hand_written())));
    group.bench_function("envy", |b| {
        b.iter(|| black_box(envy::from_env::<EnvyConfig>()))
    });
    let pairs = pairs();
    group.bench_function("health_from_vars", |b| {
        b.iter(|| black_box(Config::from_vars(pairs.iter().map(|(k, v)| (k, v)))))
    });
    group.finish();
}

fn load200(c: &mut Criterion, label: &str) {
    if let Err(e) = Big::from_env() {
        panic!("run through benches/run.sh, which sets the variables:\n{e}");
    }
    assert!(hand_written_big().is_ok());
    assert!(envy::prefixed("BIG_").from_env::<EnvyBig>().is_ok());
    let mut group = c.benchmark_group(format!("load200_{label}"));
    // `from_env` copies the environment once for a config this size...
    group.bench_function("health_from_env", |b| b.iter(|| black_box(Big::from_env())));
    // ...where reading variable by variable, like the hand-written code, scans it per
    // variable: both sides of `SNAPSHOT_AT`.
    group.bench_function("health_per_variable", |b| {
        b.iter(|| black_box(Big::from_source(&health::ProcessEnv)))
    });
    group.bench_function("hand_written", |b| b.iter(|| black_box(hand_written_big())));
    group.bench_function("envy", |b| {
        b.iter(|| black_box(envy::prefixed("BIG_").from_env::<EnvyBig>()))
    });
    // The copy of the environment alone, which envy makes too: the floor of any loader that
    // reads the whole environment.
    group.bench_function("env_copy", |b| {
        b.iter(|| black_box(std::env::vars_os().collect::<Vec<_>>()))
    });
    group.finish();
}

criterion_group!(benches, loading);

/// `HEALTH_BENCH_COUNT=LOADER:N` runs one loader N times on the config `HEALTH_BENCH_CONFIG`
/// names (20 or 200 variables) and exits, with no timing: what `benches/run.sh instructions`
/// runs under callgrind, whose instruction counts do not move with the machine's load as
/// times do. LOADER is `health`, `hand`, `envy` or `none` (the program's own start,
/// subtracted from the others).
fn count(spec: &str) {
    let (loader, n) = spec
        .split_once(':')
        .and_then(|(loader, n)| Some((loader, n.parse::<u32>().ok()?)))
        .unwrap_or_else(|| panic!("HEALTH_BENCH_COUNT is LOADER:N, not {spec}"));
    let big = std::env::var("HEALTH_BENCH_CONFIG").is_ok_and(|c| c == "200");
    let once: fn() -> bool = match (loader, big) {
        ("health", false) => || Config::from_env().is_ok(),
        ("hand", false) => || hand_written().is_ok(),
        ("envy", false) => || envy::from_env::<EnvyConfig>().is_ok(),
        ("health", true) => || Big::from_env().is_ok(),
        ("hand", true) => || hand_written_big().is_ok(),
        ("envy", true) => || envy::prefixed("BIG_").from_env::<EnvyBig>().is_ok(),
        ("none", _) => || true,
        (other, _) => {
            panic!("HEALTH_BENCH_COUNT: unknown loader {other} (health, hand, envy, none)")
        }
    };
    for _ in 0..n {
        assert!(
            black_box(once()),
            "run through benches/run.sh, which sets the variables"
        );
    }
}

fn main() {
    match std::env::var("HEALTH_BENCH_COUNT") {
        Ok(spec) => count(&spec),
        // What `criterion_main!(benches)` writes.
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
