//! `#[contract(debug)]`: a `Debug` that prints every field but a secret, which shows as `***`.

use std::time::Duration;

use health::{ReadinessContract, RedactedDebug};
use secrecy::SecretString;

/// A nested config: redacting too.
#[derive(ReadinessContract)]
#[contract(debug)]
#[allow(dead_code)]
struct Db {
    host: String,
    #[contract(secret)]
    password: String,
}

#[derive(ReadinessContract)]
#[contract(debug, prefix = "APP_")]
#[allow(dead_code)]
struct Config {
    #[contract(secret)]
    api_key: String,
    #[contract(secret)]
    webhook_secret: Option<String>,
    /// A `SecretString` is secret without saying so.
    signing_key: SecretString,
    #[contract(secret, split = ",")]
    tokens: Vec<String>,
    port: u16,
    timeout: Option<Duration>,
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

const SECRETS: [&str; 6] = ["key-1", "hook-2", "sign-3", "tok-4", "tok-5", "pw-6"];

fn load(webhook: Option<&str>) -> Config {
    let mut vars = vec![
        ("APP_API_KEY", SECRETS[0]),
        ("APP_SIGNING_KEY", SECRETS[2]),
        ("APP_TOKENS", "tok-4,tok-5"),
        ("APP_PORT", "8080"),
        ("APP_DB_HOST", "db.internal"),
        ("APP_DB_PASSWORD", SECRETS[5]),
    ];
    if let Some(webhook) = webhook {
        vars.push(("APP_WEBHOOK_SECRET", webhook));
    }
    Config::from_vars(vars).unwrap()
}

#[test]
fn secrets_print_as_stars_and_everything_else_as_it_is() {
    let config = load(Some(SECRETS[1]));
    assert_eq!(
        format!("{config:?}"),
        "Config { api_key: ***, webhook_secret: Some(***), signing_key: ***, tokens: ***, \
         port: 8080, timeout: None, db: Db { host: \"db.internal\", password: *** } }"
    );
    let pretty = format!("{config:#?}");
    assert!(pretty.contains("    api_key: ***,\n"), "{pretty}");
    assert!(
        pretty.contains("        host: \"db.internal\",\n"),
        "{pretty}"
    );
    for output in [format!("{config:?}"), pretty] {
        for secret in SECRETS {
            assert!(!output.contains(secret), "{secret} leaked into {output}");
        }
    }
}

#[test]
fn an_absent_optional_secret_shows_as_none() {
    let config = load(None);
    assert!(format!("{config:?}").contains("webhook_secret: None,"));
}

#[test]
fn a_redacting_config_is_a_redacted_debug() {
    fn redacts<T: RedactedDebug>() {}
    redacts::<Config>();
    redacts::<Db>();
}
