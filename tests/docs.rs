//! The generators of `health::docs` on a contract with every kind of field: `.env.example`
//! (read back by the real loader), the Markdown table, the JSON Schema (checked against the
//! draft 2020-12 metaschema and sample environments with Python's `jsonschema`, and against
//! the loader's own verdict), and the Kubernetes probes (validated inside a Deployment with
//! Python's `kubernetes-validate`); and how they show constraints, list separators and old
//! names. `schema_parity.rs` holds the schema to the loader value by value.
//!
//! Here the shared service, `Config`, and the Python validators; by concept:
//! `docs/service.rs` (`.env.example`, the Markdown table and the JSON Schema of `Config`),
//! `docs/rules.rs` (parse rules, constraints, separators, old names and escaping),
//! `docs/probes.rs` (Kubernetes probes, with the `runtime` feature).
//!
//! Without `python3` or those packages, the Python half of a test prints a line starting with
//! `SKIP:` and passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

mod common;
#[path = "docs/probes.rs"]
#[cfg(feature = "runtime")]
mod probes;
#[path = "docs/rules.rs"]
mod rules;
#[path = "docs/service.rs"]
mod service;

use common::kilo;

use std::path::Path;
use std::time::Duration;

// The Kubernetes probes read a `Health`: their tests need the `runtime` feature too.
#[cfg(feature = "runtime")]
use health::{Health, Outcome};
use health::{LayeredEnv, ReadinessContract, docs};
use serde_json::{Value, json};

/// The Kubernetes version the probes are validated against (kubernetes-validate ships its
/// schema).
#[cfg(feature = "runtime")]
const KUBERNETES_VERSION: &str = "1.33.0";
/// A secret's default: must never appear in any output.
const SECRET_DEFAULT: &str = "SECRET-DEFAULT-7c1e0b";

/// Database settings.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Db {
    /// Host of the primary.
    host: String,
    /// Port of the primary.
    #[contract(default = 5432)]
    port: u16,
    /// Password of the app user | rotated monthly.
    #[contract(secret, default = "SECRET-DEFAULT-7c1e0b")]
    password: String,
}

/// Settings of the docs test service.
///
/// Read once at start.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "DOCS_")]
#[allow(dead_code)]
struct Config {
    /// Public base URL.
    /// Twilio calls back here.
    public_url: Option<url::Url>,
    /// TCP port | the one to listen on.
    #[contract(default = 8000)]
    port: u16,
    /// Clock offset in seconds, may be negative.
    #[contract(default = -5)]
    offset: i32,
    /// How long a probe may take.
    #[contract(default = "2s")]
    probe_timeout: Duration,
    /// Time to drain on shutdown.
    #[contract(default = Duration::from_millis(1500))]
    grace: Duration,
    /// Whether to record calls.
    #[contract(default = false)]
    record: bool,
    /// Verbose logs.
    verbose: Option<bool>,
    /// Maximum concurrent calls.
    max_calls: u32,
    /// Origins allowed to call, comma separated.
    #[contract(split = ",")]
    allowed_origins: Vec<String>,
    /// Share of calls sampled.
    #[contract(default = 0.5)]
    ratio: f64,
    /// Greeting spoken first.
    #[contract(default = "hello world # not a comment")]
    greeting: String,
    /// Ultravox API key.
    #[contract(secret, env = "API_KEY")]
    key: String,
    /// Address to bind.
    #[contract(default = std::net::Ipv4Addr::LOCALHOST)]
    bind: std::net::Ipv4Addr,
    /// Free-form label, may be empty.
    #[contract(allow_empty)]
    label: String,
    /// The database.
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

const NAMES: [&str; 18] = [
    "DOCS_PUBLIC_URL",
    "DOCS_PORT",
    "DOCS_OFFSET",
    "DOCS_PROBE_TIMEOUT",
    "DOCS_GRACE",
    "DOCS_RECORD",
    "DOCS_VERBOSE",
    "DOCS_MAX_CALLS",
    "DOCS_ALLOWED_ORIGINS",
    "DOCS_RATIO",
    "DOCS_GREETING",
    "DOCS_API_KEY",
    "DOCS_BIND",
    "DOCS_LABEL",
    "DOCS_DB_HOST",
    "DOCS_DB_PORT",
    "DOCS_DB_PASSWORD",
    // Not variables: the secrets' file alternatives, named in the docs.
    "DOCS_API_KEY_FILE",
];

/// Runs a validation script under `tests/`; `None` after a `SKIP:` line when python3 or the
/// package is missing (a failure under `HEALTH_REQUIRE_SERVICES=1`).
fn python(script: &str, args: &[&Path], package: &str) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    common::python::run_json(&script, args, package)
}

/// An environment as `(name, value)` pairs.
type Vars = Vec<(&'static str, &'static str)>;

/// A case for the schema: its name, an environment, and whether the schema must accept it.
type SchemaCase<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);

/// Validates `(name, environment, valid)` cases against `schema` with Python's `jsonschema`
/// (`validate_schema.py` fails when the schema's verdict differs from `valid`); the script's
/// report, or `None` when it is skipped.
fn validate_schema(schema: &Value, cases: &[SchemaCase<'_>]) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let schema_path = dir.path().join("schema.json");
    let cases_path = dir.path().join("cases.json");
    std::fs::write(&schema_path, serde_json::to_string_pretty(schema).unwrap()).unwrap();
    let cases: Vec<Value> = cases
        .iter()
        .map(|(name, env, valid)| {
            let env: serde_json::Map<String, Value> = env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(v)))
                .collect();
            json!({"name": name, "env": env, "valid": valid})
        })
        .collect();
    std::fs::write(&cases_path, Value::Array(cases).to_string()).unwrap();
    let result = python(
        "validate_schema.py",
        &[&schema_path, &cases_path],
        "jsonschema",
    );
    dir.close().unwrap();
    result
}
