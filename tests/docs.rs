//! The generators of `health::docs` on a contract with every kind of field: `.env.example`
//! (read back by the real loader), the Markdown table, the JSON Schema (checked against the
//! draft 2020-12 metaschema and sample environments with Python's `jsonschema`, and against
//! the loader's own verdict), and the Kubernetes probes (validated inside a Deployment with
//! Python's `kubernetes-validate`); and how they show constraints, list separators and old
//! names. `schema_parity.rs` holds the schema to the loader value by value.
//!
//! Without `python3` or those packages, the Python half of a test prints a line starting with
//! `SKIP:` and passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

mod common;

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

#[test]
fn env_example_documents_every_variable_and_reads_back() {
    let example = docs::env_example(Config::contract());
    for name in &NAMES[..17] {
        assert!(example.contains(&format!("\n{name}=")), "{name}: {example}");
    }
    assert!(!example.contains(SECRET_DEFAULT), "{example}");
    assert!(example.starts_with("# Environment of `Config`, generated from its contract.\n# Settings of the docs test service.\n#\n# Read once at start.\n"), "{example}");
    for block in [
        "# Public base URL.\n# Twilio calls back here.\n# type: Option<url::Url>, optional\nDOCS_PUBLIC_URL=\n",
        "# TCP port | the one to listen on.\n# type: u16, default: 8000\nDOCS_PORT=8000\n",
        "# type: i32, default: -5\nDOCS_OFFSET=-5\n",
        "# type: Duration, default: 2s\nDOCS_PROBE_TIMEOUT=2s\n",
        // A typed `Duration::from_millis` default is shown in humantime form.
        "# type: Duration, default: 1500ms\nDOCS_GRACE=1500ms\n",
        "# type: bool, default: false\nDOCS_RECORD=false\n",
        "# type: Option<bool>, optional\nDOCS_VERBOSE=\n",
        "# Maximum concurrent calls.\n# type: u32, required\nDOCS_MAX_CALLS=\n",
        // A list names its separator.
        "# type: Vec<String>, required\n# a list separated by \",\"\nDOCS_ALLOWED_ORIGINS=\n",
        "# type: f64, default: 0.5\nDOCS_RATIO=0.5\n",
        "# type: String, default: hello world # not a comment\nDOCS_GREETING='hello world # not a comment'\n",
        "# Ultravox API key.\n# type: String, required, secret (or set DOCS_API_KEY_FILE to a file holding it)\nDOCS_API_KEY=\n",
        // An expression default has no text form: blank, so the default applies.
        "# type: std::net::Ipv4Addr, default: std::net::Ipv4Addr::LOCALHOST (leave blank to use it)\nDOCS_BIND=\n",
        "# type: String, required, may be empty\nDOCS_LABEL=\n",
        "# --- db ---\n# Database settings.\n\n# Host of the primary.\n# type: String, required\nDOCS_DB_HOST=\n",
        "# type: u16, default: 5432\nDOCS_DB_PORT=5432\n",
        "# Password of the app user | rotated monthly.\n# type: String, default: (hidden), secret (or set DOCS_DB_PASSWORD_FILE to a file holding it)\nDOCS_DB_PASSWORD=\n",
    ] {
        assert!(example.contains(block), "missing:\n{block}\nin:\n{example}");
    }

    // Read back by the loader: as it is, exactly the required variables fail (blank).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env.example");
    std::fs::write(&path, &example).unwrap();
    let env = LayeredEnv::new().dotenv(&path).unwrap();
    let report = Config::check_source(&env);
    let failing: Vec<_> = report
        .failures()
        .map(|c| (c.name(), c.code().unwrap().as_str()))
        .collect();
    assert_eq!(
        failing,
        [
            ("DOCS_MAX_CALLS", "empty"),
            ("DOCS_ALLOWED_ORIGINS", "empty"),
            ("DOCS_API_KEY", "empty"),
            ("DOCS_DB_HOST", "empty"),
        ]
    );
    // Filled in, it loads, and every written default means what the contract says.
    let filled = example
        .replace("\nDOCS_MAX_CALLS=\n", "\nDOCS_MAX_CALLS=8\n")
        .replace(
            "\nDOCS_ALLOWED_ORIGINS=\n",
            "\nDOCS_ALLOWED_ORIGINS=a.example,b.example\n",
        )
        .replace("\nDOCS_API_KEY=\n", "\nDOCS_API_KEY=k\n")
        .replace("\nDOCS_DB_HOST=\n", "\nDOCS_DB_HOST=db\n");
    std::fs::write(&path, filled).unwrap();
    let config = Config::from_source(&LayeredEnv::new().dotenv(&path).unwrap()).unwrap();
    assert_eq!(config.greeting, "hello world # not a comment");
    assert_eq!(config.grace, Duration::from_millis(1500));
    assert_eq!(config.bind, std::net::Ipv4Addr::LOCALHOST);
    assert_eq!(config.db.password, SECRET_DEFAULT);
    assert_eq!(
        (config.offset, config.port, config.db.port),
        (-5, 8000, 5432)
    );
    dir.close().unwrap();
}

#[test]
fn markdown_table_has_one_escaped_row_per_variable() {
    let table = docs::markdown_table(Config::contract());
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "| Variable | Type | Required | Default | Secret | Description |",
            "|---|---|---|---|---|---|"
        ]
    );
    assert_eq!(lines.len(), 2 + 17, "{table}");
    for line in &lines {
        // Seven unescaped pipes: six cells, none broken by a `|` in a doc.
        let unescaped = line
            .match_indices('|')
            .filter(|(i, _)| !line[..*i].ends_with('\\'));
        assert_eq!(unescaped.count(), 7, "{line}");
    }
    for row in [
        "| `DOCS_PUBLIC_URL` | `Option<url::Url>` | no |  |  | Public base URL. Twilio calls back here. |",
        "| `DOCS_PORT` | `u16` | no | `8000` |  | TCP port \\| the one to listen on. |",
        "| `DOCS_GRACE` | `Duration` | no | `1500ms` |  | Time to drain on shutdown. |",
        "| `DOCS_MAX_CALLS` | `u32` | yes |  |  | Maximum concurrent calls. |",
        "| `DOCS_API_KEY` | `String` | yes |  | yes | Ultravox API key. Or `DOCS_API_KEY_FILE`: a file holding it. |",
        "| `DOCS_BIND` | `std::net::Ipv4Addr` | no | `std::net::Ipv4Addr::LOCALHOST` |  | Address to bind. |",
        "| `DOCS_DB_PASSWORD` | `String` | no | (hidden) | yes | Password of the app user \\| rotated monthly. Or `DOCS_DB_PASSWORD_FILE`: a file holding it. |",
    ] {
        assert!(lines.contains(&row), "missing:\n{row}\nin:\n{table}");
    }
    assert!(!table.contains(SECRET_DEFAULT));
}

#[test]
fn json_schema_describes_every_variable() {
    let schema = docs::json_schema(Config::contract());
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], true);
    assert_eq!(
        schema["required"],
        json!([
            "DOCS_MAX_CALLS",
            "DOCS_ALLOWED_ORIGINS",
            "DOCS_API_KEY",
            "DOCS_LABEL",
            "DOCS_DB_HOST"
        ])
    );
    let properties = schema["properties"].as_object().unwrap();
    assert_eq!(properties.len(), 17);
    for (name, property) in properties {
        assert_eq!(property["type"], "string", "{name}");
        assert!(property["description"].is_string(), "{name}");
    }
    // An integer's pattern holds the type's bounds (`70000` fails a `u16`); they are written
    // as `minimum`/`maximum` too, annotations on a string. Empty is allowed where it means
    // the default.
    let port = &properties["DOCS_PORT"];
    assert_eq!(port["default"], "8000");
    assert_eq!(
        port["pattern"],
        r"^(?:|\+?0*(?:[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6(?:[0-4][0-9]{3}|5(?:[0-4][0-9]{2}|5(?:[0-2][0-9]|3[0-5])))))$(?!\n)"
    );
    assert_eq!(
        (&port["minimum"], &port["maximum"]),
        (&json!(0), &json!(65535))
    );
    assert_eq!(port["description"], "TCP port | the one to listen on.");
    let max_calls = properties["DOCS_MAX_CALLS"]["pattern"].as_str().unwrap();
    assert!(max_calls.starts_with(r"^(?:\+?0*(?:[0-9]|"), "{max_calls}");
    assert_eq!(properties["DOCS_MAX_CALLS"]["maximum"], json!(u32::MAX));
    let offset = properties["DOCS_OFFSET"]["pattern"].as_str().unwrap();
    assert!(
        offset.starts_with(r"^(?:|\+?0*(?:") && offset.contains("|-0*(?:"),
        "{offset}"
    );
    assert_eq!(properties["DOCS_OFFSET"]["minimum"], json!(i32::MIN));
    assert_eq!(properties["DOCS_GRACE"]["default"], "1500ms");
    assert_eq!(properties["DOCS_DB_HOST"]["minLength"], 1);
    assert!(properties["DOCS_LABEL"].get("minLength").is_none());
    assert!(properties["DOCS_BIND"].get("default").is_none());
    for secret in ["DOCS_API_KEY", "DOCS_DB_PASSWORD"] {
        assert_eq!(properties[secret]["writeOnly"], true, "{secret}");
        assert!(properties[secret].get("default").is_none(), "{secret}");
    }
    assert!(!schema.to_string().contains(SECRET_DEFAULT));
}

/// An environment as `(name, value)` pairs.
type Vars = Vec<(&'static str, &'static str)>;

/// A complete environment the loader accepts.
fn good_env() -> Vars {
    vec![
        ("DOCS_MAX_CALLS", "8"),
        ("DOCS_ALLOWED_ORIGINS", "a.example, b.example"),
        ("DOCS_API_KEY", "k"),
        ("DOCS_LABEL", ""),
        ("DOCS_DB_HOST", "db"),
    ]
}

/// Named sample environments, each the good one with some changes, and whether it should
/// pass. The loader must agree with the expectation too.
fn cases() -> Vec<(&'static str, Vars, bool)> {
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut env = good_env();
        for (name, value) in changes {
            env.retain(|(n, _)| n != name);
            env.push((*name, *value));
        }
        env
    };
    let without = |name: &str| {
        let mut env = good_env();
        env.retain(|(n, _)| *n != name);
        env
    };
    vec![
        ("good", good_env(), true),
        (
            "good_variants",
            with(&[
                ("DOCS_PORT", "+8080"),
                ("DOCS_OFFSET", "-3"),
                ("DOCS_RECORD", "YES"),
                ("DOCS_VERBOSE", " off "),
                ("DOCS_PROBE_TIMEOUT", "1m 30s"),
                ("DOCS_GRACE", "0"),
                ("DOCS_RATIO", "1e-3"),
                ("DOCS_PUBLIC_URL", "https://x.example"),
                ("OTHER_VARIABLE", "anything"),
            ]),
            true,
        ),
        (
            "empty_means_default",
            with(&[("DOCS_PORT", ""), ("DOCS_RECORD", "")]),
            true,
        ),
        ("port_not_a_number", with(&[("DOCS_PORT", "abc")]), false),
        ("missing_required", without("DOCS_MAX_CALLS"), false),
        ("missing_secret", without("DOCS_API_KEY"), false),
        ("empty_required", with(&[("DOCS_DB_HOST", "")]), false),
        (
            "negative_unsigned",
            with(&[("DOCS_MAX_CALLS", "-1")]),
            false,
        ),
        ("bool_word", with(&[("DOCS_RECORD", "maybe")]), false),
        (
            "duration_without_unit",
            with(&[("DOCS_PROBE_TIMEOUT", "5")]),
            false,
        ),
        ("float_word", with(&[("DOCS_RATIO", "half")]), false),
    ]
}

/// Runs a validation script under `tests/`; `None` after a `SKIP:` line when python3 or the
/// package is missing (a failure under `HEALTH_REQUIRE_SERVICES=1`).
fn python(script: &str, args: &[&Path], package: &str) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    common::python::run_json(&script, args, package)
}

#[test]
fn json_schema_validates_with_jsonschema_and_agrees_with_the_loader() {
    let cases = cases();
    // The loader's verdict matches each case's expectation, so the schema is held to the
    // real parsing rules.
    for (name, env, valid) in &cases {
        let report = Config::check_vars(env.iter().copied());
        assert_eq!(report.is_ready(), *valid, "loader on {name}: {report:?}");
    }

    let schema = docs::json_schema(Config::contract());
    let cases: Vec<_> = cases
        .iter()
        .map(|(name, env, valid)| (*name, &env[..], *valid))
        .collect();
    let Some(result) = validate_schema(&schema, &cases) else {
        return;
    };
    println!("validated with jsonschema {}", result["jsonschema"]);
    // The failures name the right variables.
    let errors = |case: &str| result["cases"][case].to_string();
    assert!(
        errors("port_not_a_number").contains("'abc' does not match"),
        "{result}"
    );
    assert!(
        errors("missing_required").contains("'DOCS_MAX_CALLS' is a required property"),
        "{result}"
    );
    assert!(
        errors("empty_required").contains("should be non-empty"),
        "{result}"
    );
}

#[cfg(feature = "runtime")]
async fn passing() -> Outcome {
    Outcome::pass()
}

#[cfg(feature = "runtime")]
#[test]
fn kubernetes_probes_follow_the_checks_and_validate() {
    let health = Health::builder()
        .readiness("postgres", passing)
        .timeout(Duration::from_millis(300))
        .refresh_every(Duration::from_secs(2))
        .readiness("payments", passing)
        .timeout(Duration::from_millis(2500))
        .cache_for(Duration::from_secs(30))
        .startup("migrations", passing)
        .timeout(Duration::from_secs(1))
        .refresh_every(Duration::from_secs(5))
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .startup_grace(Duration::from_secs(10))
        .build();
    let yaml = docs::kubernetes_probes(&health, 8001);
    println!("{yaml}");
    for line in [
        "  timeoutSeconds: 3  # largest check timeout (payments 2.5s) rounded up, at least 1: a probe may wait for an on-probe run",
        "  periodSeconds: 2  # smallest background refresh (postgres every 2s) rounded down, at least 1: each probe can see a new result",
        "  failureThreshold: 6  # (6 - 1) x 2s = 10s >= the startup grace (10s): no restart before it ends",
        "  periodSeconds: 10  # a third of the largest heartbeat silence (worker 30s), between the readiness period and 10",
        "  failureThreshold: 3  # 3 x 10s = 30s >= that silence: no restart for a shorter stall",
        "    path: /startupz",
        "    path: /ready",
        "    path: /health",
        "    port: 8001",
    ] {
        assert!(
            yaml.lines().any(|l| l == line),
            "missing:\n{line}\nin:\n{yaml}"
        );
    }
    let probes = validate_probes(&yaml);

    // No checks, no heartbeats: the defaults, still valid.
    let bare = docs::kubernetes_probes(&Health::builder().build(), 80);
    assert!(
        bare.contains(
            "  periodSeconds: 10  # no check refreshes in the background: Kubernetes' default\n"
        ),
        "{bare}"
    );
    assert!(
        bare.contains("  timeoutSeconds: 1  # no checks registered: the minimum\n"),
        "{bare}"
    );
    validate_probes(&bare);

    // Sub-second refreshes and silences round to the 1 s minimum; a long silence gets more
    // failures rather than a longer period.
    let fast = Health::builder()
        .readiness("cache", passing)
        .refresh_every(Duration::from_millis(500))
        .liveness_heartbeat("tick", Duration::from_millis(700))
        .liveness_heartbeat("batch", Duration::from_secs(100))
        .build();
    let fast_yaml = docs::kubernetes_probes(&fast, 9000);
    let fast_probes = validate_probes(&fast_yaml);

    let Some(probes) = probes else { return };
    let (startup, readiness, liveness) = (
        &probes["startupProbe"],
        &probes["readinessProbe"],
        &probes["livenessProbe"],
    );
    assert_eq!(
        readiness["httpGet"],
        json!({"path": "/ready", "port": 8001})
    );
    assert_eq!(readiness["timeoutSeconds"], 3);
    assert_eq!(readiness["periodSeconds"], 2);
    assert_eq!(startup["httpGet"]["path"], "/startupz");
    let grace = 10;
    let (period, threshold) = (
        startup["periodSeconds"].as_u64().unwrap(),
        startup["failureThreshold"].as_u64().unwrap(),
    );
    assert!((threshold - 1) * period >= grace, "{startup}");
    assert_eq!(liveness["httpGet"]["path"], "/health");
    let (period, threshold) = (
        liveness["periodSeconds"].as_u64().unwrap(),
        liveness["failureThreshold"].as_u64().unwrap(),
    );
    assert!(period * threshold >= 30, "{liveness}");

    let fast = fast_probes.unwrap();
    assert_eq!(fast["readinessProbe"]["periodSeconds"], 1);
    assert_eq!(fast["readinessProbe"]["timeoutSeconds"], 1);
    assert_eq!(fast["livenessProbe"]["periodSeconds"], 10);
    assert_eq!(fast["livenessProbe"]["failureThreshold"], 10);
}

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

/// The probes as a real YAML parser read them, after kubernetes-validate accepted them in a
/// Deployment; `None` when skipped.
#[cfg(feature = "runtime")]
fn validate_probes(yaml: &str) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("probes.yaml");
    std::fs::write(&path, yaml).unwrap();
    let version = Path::new(KUBERNETES_VERSION);
    let result = python(
        "validate_probes.py",
        &[&path, version],
        "kubernetes-validate",
    );
    dir.close().unwrap();
    let result = result?;
    println!(
        "validated with kubernetes-validate {} against Kubernetes {}",
        result["kubernetes_validate"], result["kubernetes"]
    );
    Some(result["probes"].clone())
}

/// A field read with `parse_with`, and an undocumented one read by its type's rule.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "KILO_")]
#[allow(dead_code)]
struct Kilo {
    /// Buffer size; `8k` reads as 8000.
    #[contract(parse_with = kilo)]
    buffer: u16,
    #[contract(default = 8000)]
    port: u16,
}

/// The contract records how a value is read, so the schema follows the rule, not the type:
/// a `parse_with` field of type `u16` gets no pattern (its function may read `8k`), and a
/// `u16` read by its built-in rule gets its bounds.
#[test]
fn json_schema_follows_the_recorded_rule_not_the_type() {
    let schema = docs::json_schema(Kilo::contract());
    let buffer = &schema["properties"]["KILO_BUFFER"];
    assert!(buffer.get("pattern").is_none(), "{schema:#}");
    // Required and not allowed empty: at least one character.
    assert_eq!(buffer["minLength"], 1, "{schema:#}");
    // Without a doc, the description names the field and its type.
    assert_eq!(
        schema["properties"]["KILO_PORT"]["description"],
        "`port` (u16)"
    );

    // (name, environment, whether the loader and the schema accept it)
    let cases: [(&str, Vars, bool); 4] = [
        ("plain", vec![("KILO_BUFFER", "8000")], true),
        (
            "suffix_read_by_parse_with",
            vec![("KILO_BUFFER", "8k")],
            true,
        ),
        ("empty_required", vec![("KILO_BUFFER", "")], false),
        (
            "out_of_range",
            vec![("KILO_BUFFER", "1"), ("KILO_PORT", "70000")],
            false,
        ),
    ];
    for (name, env, loads) in &cases {
        let report = Kilo::check_vars(env.iter().copied());
        assert_eq!(report.is_ready(), *loads, "loader on {name}: {report:?}");
    }
    let config = Kilo::from_vars([("KILO_BUFFER", "8k")]).unwrap();
    assert_eq!(config.buffer, 8000);

    let cases: Vec<_> = cases
        .iter()
        .map(|(name, env, valid)| (*name, &env[..], *valid))
        .collect();
    // The script fails when the schema's verdict differs from the case's.
    let Some(result) = validate_schema(&schema, &cases) else {
        return;
    };
    assert!(
        result["cases"]["out_of_range"]
            .to_string()
            .contains("'70000' does not match"),
        "{result}"
    );
}

#[test]
fn json_schema_titles_descriptions_and_patterns_follow_its_doc() {
    let schema = docs::json_schema(Config::contract());
    assert_eq!(schema["title"], "Config");
    assert_eq!(
        schema["description"],
        "Settings of the docs test service.\n\nRead once at start."
    );
    let properties = &schema["properties"];
    assert_eq!(properties["DOCS_PORT"]["title"], "port");
    assert_eq!(properties["DOCS_DB_HOST"]["title"], "db.host");
    assert_eq!(
        properties["DOCS_BIND"]["description"],
        "Address to bind.\n\nDefault: `std::net::Ipv4Addr::LOCALHOST` (a Rust expression)."
    );
    assert_eq!(
        properties["DOCS_API_KEY"]["description"],
        "Ultravox API key.\n\nSecret: or set `DOCS_API_KEY_FILE` to the path of a file holding it."
    );
    // Patterns for integers, floats, `bool` and `Duration`, empty allowed when it means
    // absent; none for text, a `FromStr` type, or a list of text without constraints.
    for name in [
        "DOCS_RECORD",
        "DOCS_VERBOSE",
        "DOCS_PROBE_TIMEOUT",
        "DOCS_GRACE",
        "DOCS_RATIO",
    ] {
        let pattern = properties[name]["pattern"].as_str().unwrap_or_default();
        assert!(
            pattern.starts_with("^(?:|") && pattern.ends_with(r")$(?!\n)"),
            "{name}: {pattern}"
        );
    }
    for name in [
        "DOCS_PUBLIC_URL",
        "DOCS_GREETING",
        "DOCS_API_KEY",
        "DOCS_BIND",
        "DOCS_LABEL",
        "DOCS_ALLOWED_ORIGINS",
    ] {
        assert!(properties[name].get("pattern").is_none(), "{name}");
    }
    assert_eq!(properties["DOCS_ALLOWED_ORIGINS"]["minLength"], 1);
    assert_eq!(
        properties["DOCS_ALLOWED_ORIGINS"]["description"],
        "Origins allowed to call, comma separated.\n\nA list separated by `\",\"`."
    );
    // `NAME_FILE` is not modelled.
    assert!(properties.get("DOCS_API_KEY_FILE").is_none());
}

/// Limits of the docs test service: constraints, separators and old names.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "LIM_")]
#[allow(dead_code)]
struct Limits {
    /// Port to listen on.
    #[contract(default = 8080, range = 1..=65535, alias = "LISTEN_PORT")]
    port: u16,
    /// Log level.
    #[contract(default = "info", one_of = ["debug", "info"])]
    level: String,
    /// Service name.
    #[contract(len = 1..=64)]
    name: String,
    /// Upstream hosts.
    #[contract(split = ";", len = 1..=8)]
    hosts: Vec<String>,
    /// Ports of the peers.
    #[contract(split = " ", range = 1024.., default = "8001 8002")]
    peers: Vec<u16>,
    /// Share of calls sampled.
    #[contract(default = 0.5, range = 0.0..=1.0)]
    ratio: f64,
    /// How long a call may take.
    #[contract(default = "5s", range = "1s"..="1m")]
    timeout: Duration,
}

/// A name one character over `len = 1..=64`.
const NAME_65: &str = "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn";

#[test]
fn docs_show_constraints_separators_and_old_names() {
    let example = docs::env_example(Limits::contract());
    for block in [
        "# Port to listen on.\n# type: u16, default: 8080\n# must be in 1..=65535\n# old name: LIM_LISTEN_PORT (still read, with a warning; set only one name)\nLIM_PORT=8080\n",
        "# type: String, default: info\n# must be one of `debug`, `info`\nLIM_LEVEL=info\n",
        "# type: String, required\n# must be 1 to 64 characters long\nLIM_NAME=\n",
        "# type: Vec<String>, required\n# a list separated by \";\"\n# must have 1 to 8 items\nLIM_HOSTS=\n",
        "# type: Vec<u16>, default: 8001 8002\n# a list separated by \" \"\n# each item must be at least 1024\nLIM_PEERS='8001 8002'\n",
        "# type: f64, default: 0.5\n# must be in 0.0..=1.0\nLIM_RATIO=0.5\n",
        "# type: Duration, default: 5s\n# must be in 1s..=1m\nLIM_TIMEOUT=5s\n",
    ] {
        assert!(example.contains(block), "missing:\n{block}\nin:\n{example}");
    }
    // Filled in, it loads: the written defaults keep their constraints.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let filled = example
        .replace("\nLIM_NAME=\n", "\nLIM_NAME=voxflow\n")
        .replace("\nLIM_HOSTS=\n", "\nLIM_HOSTS=a;b\n");
    std::fs::write(&path, filled).unwrap();
    let config = Limits::from_source(&LayeredEnv::new().dotenv(&path).unwrap()).unwrap();
    assert_eq!((config.port, config.peers), (8080, vec![8001, 8002]));
    dir.close().unwrap();

    let table = docs::markdown_table(Limits::contract());
    for row in [
        "| `LIM_PORT` | `u16` | no | `8080` |  | Port to listen on. Must be in 1..=65535. Old name: `LIM_LISTEN_PORT` (still read, with a warning; set only one name). |",
        "| `LIM_LEVEL` | `String` | no | `info` |  | Log level. Must be one of `debug`, `info`. |",
        "| `LIM_HOSTS` | `Vec<String>` | yes |  |  | Upstream hosts. A list separated by `\";\"`. Must have 1 to 8 items. |",
        "| `LIM_PEERS` | `Vec<u16>` | no | `8001 8002` |  | Ports of the peers. A list separated by `\" \"`. Each item must be at least 1024. |",
    ] {
        assert!(
            table.lines().any(|line| line == row),
            "missing:\n{row}\nin:\n{table}"
        );
    }

    let schema = docs::json_schema(Limits::contract());
    let p = &schema["properties"];
    assert_eq!(
        (&p["LIM_PORT"]["minimum"], &p["LIM_PORT"]["maximum"]),
        (&json!(1), &json!(65535))
    );
    assert_eq!(p["LIM_LISTEN_PORT"]["deprecated"], true);
    assert_eq!(p["LIM_LISTEN_PORT"]["pattern"], p["LIM_PORT"]["pattern"]);
    assert_eq!(p["LIM_LEVEL"]["enum"], json!(["debug", "info", ""]));
    assert_eq!(
        (&p["LIM_NAME"]["minLength"], &p["LIM_NAME"]["maxLength"]),
        (&json!(1), &json!(64))
    );
    assert_eq!(
        (&p["LIM_RATIO"]["minimum"], &p["LIM_RATIO"]["maximum"]),
        (&json!(0.0), &json!(1.0))
    );
    assert!(
        p["LIM_TIMEOUT"]["description"]
            .as_str()
            .unwrap()
            .ends_with("\n\nMust be in 1s..=1m."),
        "{}",
        p["LIM_TIMEOUT"]["description"]
    );
    assert_eq!(schema["required"], json!(["LIM_NAME", "LIM_HOSTS"]));

    let base = [("LIM_NAME", "voxflow"), ("LIM_HOSTS", "a;b")];
    let with = |more: &[(&'static str, &'static str)]| {
        let mut env: Vars = base.to_vec();
        env.extend_from_slice(more);
        env
    };
    let cases: Vec<(&str, Vars, bool)> = vec![
        ("base", with(&[]), true),
        ("port_zero", with(&[("LIM_PORT", "0")]), false),
        ("old_port", with(&[("LIM_LISTEN_PORT", "9000")]), true),
        (
            "both_ports",
            with(&[("LIM_PORT", "1"), ("LIM_LISTEN_PORT", "2")]),
            false,
        ),
        ("level_loud", with(&[("LIM_LEVEL", "loud")]), false),
        (
            "no_hosts",
            vec![("LIM_NAME", "x"), ("LIM_HOSTS", " ; ")],
            false,
        ),
        (
            "nine_hosts",
            with(&[("LIM_HOSTS", "a;b;c;d;e;f;g;h;i")]),
            false,
        ),
        ("low_peer", with(&[("LIM_PEERS", "8001  80")]), false),
        ("peers", with(&[("LIM_PEERS", " 1024 65535 ")]), true),
        (
            "name_too_long",
            vec![("LIM_NAME", NAME_65), ("LIM_HOSTS", "a")],
            false,
        ),
    ];
    for (name, env, loads) in &cases {
        let report = Limits::check_vars(env.iter().copied());
        assert_eq!(report.is_ready(), *loads, "loader on {name}: {report:?}");
    }
    let cases: Vec<_> = cases
        .iter()
        .map(|(name, env, valid)| (*name, &env[..], *valid))
        .collect();
    validate_schema(&schema, &cases);
}

/// Cells a Markdown table must escape.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "CELL_")]
#[allow(dead_code)]
struct Cells {
    /// First paragraph,
    /// still the first.
    ///
    /// Second | paragraph.
    #[contract(default = "a|b")]
    separator: String,
    /// Quoted `x`.
    #[contract(default = "`x`")]
    tick: String,
}

#[test]
fn docs_list_variables_in_declaration_order_and_escape_cells() {
    let example = docs::env_example(Config::contract());
    let table = docs::markdown_table(Config::contract());
    let position = |text: &str, needle: String| {
        text.find(&needle)
            .unwrap_or_else(|| panic!("{needle} missing from:\n{text}"))
    };
    let in_example: Vec<usize> = NAMES[..17]
        .iter()
        .map(|name| position(&example, format!("\n{name}=")))
        .collect();
    let in_table: Vec<usize> = NAMES[..17]
        .iter()
        .map(|name| position(&table, format!("| `{name}` |")))
        .collect();
    assert!(in_example.is_sorted(), "{example}");
    assert!(in_table.is_sorted(), "{table}");

    let table = docs::markdown_table(Cells::contract());
    for row in [
        "| `CELL_SEPARATOR` | `String` | no | `a\\|b` |  | First paragraph, still the first.<br>Second \\| paragraph. |",
        "| `CELL_TICK` | `String` | no | `` `x` `` |  | Quoted `x`. |",
    ] {
        assert!(
            table.lines().any(|line| line == row),
            "missing:\n{row}\nin:\n{table}"
        );
    }
}

/// The number a probe's field is set to in the generated YAML.
#[cfg(feature = "runtime")]
fn probe_field(yaml: &str, probe: &str, field: &str) -> u64 {
    let start = yaml
        .find(&format!("\n{probe}:\n"))
        .unwrap_or_else(|| panic!("no {probe} in:\n{yaml}"));
    yaml[start + 1..]
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with(' '))
        .find_map(|line| line.trim_start().strip_prefix(&format!("{field}: ")))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {probe}.{field} in:\n{yaml}"))
}

#[cfg(feature = "runtime")]
#[test]
fn kubernetes_probes_numbers_follow_its_doc() {
    let health = Health::builder()
        .readiness("postgres", passing)
        .timeout(Duration::from_millis(300))
        .refresh_every(Duration::from_secs(2))
        .readiness("payments", passing)
        .timeout(Duration::from_millis(2500))
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .startup_grace(Duration::from_secs(10))
        .build();
    let yaml = docs::kubernetes_probes(&health, 8001);
    let n = |probe: &str, field: &str| probe_field(&yaml, probe, field);
    // Startup waits and ticks as readiness does; liveness never waits on a dependency.
    assert_eq!(n("startupProbe", "timeoutSeconds"), 3);
    assert_eq!(n("readinessProbe", "timeoutSeconds"), 3);
    assert_eq!(n("startupProbe", "periodSeconds"), 2);
    assert_eq!(n("readinessProbe", "periodSeconds"), 2);
    assert_eq!(n("livenessProbe", "timeoutSeconds"), 1);
    // Readiness is tight: out of rotation after two failed probes (the checks debounce).
    assert_eq!(n("readinessProbe", "successThreshold"), 1);
    assert_eq!(n("readinessProbe", "failureThreshold"), 2);

    // No grace: periods covering a minute (at least 3) for the startup checks to pass once.
    let startup = Health::builder().startup("migrations", passing).build();
    let yaml = docs::kubernetes_probes(&startup, 8001);
    assert!(
        yaml.contains("  failureThreshold: 12  # no startup grace: 60s for the startup checks (migrations) to pass once; raise it for slower starts\n"),
        "{yaml}"
    );
    assert_eq!(probe_field(&yaml, "startupProbe", "periodSeconds"), 5);
    validate_probes(&yaml);
    let slow = Health::builder()
        .startup("migrations", passing)
        .refresh_every(Duration::from_secs(30))
        .build();
    let yaml = docs::kubernetes_probes(&slow, 8001);
    assert_eq!(probe_field(&yaml, "startupProbe", "periodSeconds"), 30);
    assert_eq!(probe_field(&yaml, "startupProbe", "failureThreshold"), 3);

    // No grace, no startup checks, no heartbeats: Kubernetes' startup default, and a loose
    // liveness (the seed's 30 s) since it only shows that the process answers.
    let yaml = docs::kubernetes_probes(&Health::builder().build(), 8001);
    assert_eq!(probe_field(&yaml, "startupProbe", "failureThreshold"), 3);
    assert_eq!(probe_field(&yaml, "livenessProbe", "periodSeconds"), 30);
    assert_eq!(probe_field(&yaml, "livenessProbe", "failureThreshold"), 3);
}

/// The seed's wiring: liveness loose (never restart for a transient stall), readiness tight
/// (out of the load balancer fast). Whatever the checks and heartbeats, liveness ticks no
/// faster than readiness and waits longer before it acts.
#[cfg(feature = "runtime")]
#[test]
fn liveness_is_loose_and_readiness_tight() {
    let second = Duration::from_secs(1);
    let shapes = [
        Health::builder().build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(2 * second)
            .build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(60 * second)
            .build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(5 * second)
            .liveness_heartbeat("worker", 3 * second)
            .build(),
        Health::builder()
            .readiness("db", passing)
            .refresh_every(20 * second)
            .liveness_heartbeat("worker", 6 * second)
            .build(),
        Health::builder()
            .liveness_heartbeat("batch", 600 * second)
            .build(),
    ];
    for health in &shapes {
        let yaml = docs::kubernetes_probes(health, 8000);
        let n = |probe: &str, field: &str| probe_field(&yaml, probe, field);
        let readiness =
            n("readinessProbe", "periodSeconds") * n("readinessProbe", "failureThreshold");
        let liveness = n("livenessProbe", "periodSeconds") * n("livenessProbe", "failureThreshold");
        assert!(
            n("livenessProbe", "periodSeconds") >= n("readinessProbe", "periodSeconds"),
            "{yaml}"
        );
        assert!(liveness > readiness, "{yaml}");
        for (name, silence) in health.liveness_limits() {
            assert!(liveness >= silence.as_secs(), "{name}: {yaml}");
        }
    }
}
