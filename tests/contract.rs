//! The static contract: every variable described from the type alone.

use std::time::Duration;

use health::{FieldKind, ReadinessContract, Requirement};

#[derive(ReadinessContract)]
#[allow(dead_code)]
struct Db {
    /// Host of the primary.
    host: String,
    #[contract(secret, default = "changeme")]
    password: String,
}

/// Settings of the service.
///
/// Read at start.
#[derive(ReadinessContract)]
#[contract(prefix = "APP_")]
#[allow(dead_code)]
struct Config {
    /// Public base URL.
    /// Twilio calls back here.
    public_url: Option<url::Url>,
    #[contract(default = 8000)]
    port: u16,
    #[contract(default = "2s")]
    probe_timeout: Duration,
    #[contract(default = Duration::from_millis(1500))]
    grace: Duration,
    #[contract(secret, env = "API_KEY")]
    key: String,
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

#[test]
fn every_variable_is_described_with_full_names_in_order() {
    let vars = Config::contract().variables();
    let rows: Vec<_> = vars
        .iter()
        .map(|v| {
            let s = v.spec();
            (
                v.name(),
                v.field(),
                s.ty(),
                s.requirement(),
                s.default(),
                s.is_secret(),
            )
        })
        .collect();
    use Requirement::*;
    assert_eq!(
        rows,
        [
            (
                "APP_PUBLIC_URL",
                "public_url",
                "Option<url::Url>",
                Optional,
                None,
                false
            ),
            ("APP_PORT", "port", "u16", Default, Some("8000"), false),
            (
                "APP_PROBE_TIMEOUT",
                "probe_timeout",
                "Duration",
                Default,
                Some("2s"),
                false
            ),
            (
                "APP_GRACE",
                "grace",
                "Duration",
                Default,
                Some("Duration::from_millis(1500)"),
                false
            ),
            ("APP_API_KEY", "key", "String", Required, None, true),
            ("APP_DB_HOST", "db.host", "String", Required, None, false),
            // A secret's default is never shown.
            (
                "APP_DB_PASSWORD",
                "db.password",
                "String",
                Default,
                None,
                true
            ),
        ]
    );
    assert_eq!(
        vars[0].spec().doc(),
        "Public base URL.\nTwilio calls back here."
    );
    assert_eq!(vars[5].spec().doc(), "Host of the primary.");
    assert_eq!(vars[1].spec().doc(), "");
}

#[test]
fn the_tree_keeps_types_prefixes_and_docs() {
    let contract = Config::contract();
    assert_eq!(contract.type_name(), "Config");
    assert_eq!(contract.prefix(), "APP_");
    assert_eq!(contract.doc(), "Settings of the service.\n\nRead at start.");
    let last = contract.fields().last().unwrap();
    assert_eq!(last.ident(), "db");
    match last.kind() {
        FieldKind::Nested { prefix, contract } => {
            assert_eq!(*prefix, "DB_");
            assert_eq!(contract.type_name(), "Db");
            assert!(std::ptr::eq(*contract, Db::contract()));
        }
        FieldKind::Var(_) => panic!("db is nested"),
    }
}

#[test]
fn the_contract_is_static_and_reads_nothing_from_the_environment() {
    // A const context proves it is built at compile time.
    const CONTRACT: &health::Contract = <Config as ReadinessContract>::CONTRACT;
    assert_eq!(CONTRACT.fields().len(), 6);
}

#[cfg(feature = "json")]
#[test]
fn the_contract_serializes_without_secret_defaults() {
    let json = serde_json::to_value(Config::contract()).unwrap();
    assert_eq!(json["type"], "Config");
    let vars = json["variables"].as_array().unwrap();
    assert_eq!(vars.len(), 7);
    assert_eq!(vars[1]["name"], "APP_PORT");
    assert_eq!(vars[1]["default"], "8000");
    assert_eq!(vars[1]["requirement"], "default");
    assert_eq!(vars[6]["secret"], true);
    assert!(!json.to_string().contains("changeme"));
}
