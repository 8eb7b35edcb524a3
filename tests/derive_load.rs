//! Loading through the derive: values, every failure named, prefixes, nesting.

#![allow(dead_code)] // fields exist to be loaded, not read

mod common;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use common::{fields, statuses};
use health::{ReadinessContract, Status};

fn non_zero(v: &u32) -> Result<(), String> {
    if *v == 0 {
        Err("must be at least 1".into())
    } else {
        Ok(())
    }
}

/// Database settings.
#[derive(Debug, ReadinessContract)]
struct DbConfig {
    /// Database host name.
    host: String,
    #[contract(default = 5432)]
    port: u16,
    #[contract(secret)]
    password: String,
}

/// Settings for the voice agent.
#[derive(Debug, ReadinessContract)]
struct Config {
    /// Twilio account that places the calls.
    twilio_account_sid: String,
    #[contract(secret)]
    twilio_auth_token: String,
    #[contract(secret, env = "ULTRAVOX_API_KEY")]
    ultravox_key: String,
    n8n_webhook_url: url::Url,
    public_url: Option<url::Url>,
    #[contract(default = 8000)]
    port: u16,
    #[contract(default = "2s")]
    probe_timeout: Duration,
    #[contract(split = ",")]
    allowed_origins: Vec<String>,
    #[contract(validate = non_zero)]
    max_calls: u32,
    #[contract(nested, prefix = "DB_")]
    db: DbConfig,
}

fn full() -> Vec<(&'static str, &'static str)> {
    vec![
        ("TWILIO_ACCOUNT_SID", "AC123"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("ULTRAVOX_API_KEY", "key"),
        ("N8N_WEBHOOK_URL", "https://n8n.example/hook"),
        ("ALLOWED_ORIGINS", "https://a.example, https://b.example"),
        ("MAX_CALLS", "4"),
        ("DB_HOST", "db.internal"),
        ("DB_PASSWORD", "pw"),
    ]
}

#[test]
fn a_full_environment_loads_every_type() {
    let config = Config::from_vars(full()).unwrap();
    assert_eq!(config.twilio_account_sid, "AC123");
    assert_eq!(config.ultravox_key, "key");
    assert_eq!(config.n8n_webhook_url.host_str(), Some("n8n.example"));
    assert_eq!(config.public_url, None);
    assert_eq!(config.port, 8000);
    assert_eq!(config.probe_timeout, Duration::from_secs(2));
    assert_eq!(
        config.allowed_origins,
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(config.max_calls, 4);
    assert_eq!(config.db.host, "db.internal");
    assert_eq!(config.db.port, 5432);
}

#[test]
fn an_empty_environment_names_every_required_variable_in_order() {
    let report = Config::check_vars(Vec::<(String, String)>::new());
    use Status::*;
    assert_eq!(
        statuses(&report),
        [
            ("TWILIO_ACCOUNT_SID", Fail, Some("missing")),
            ("TWILIO_AUTH_TOKEN", Fail, Some("missing")),
            ("ULTRAVOX_API_KEY", Fail, Some("missing")),
            ("N8N_WEBHOOK_URL", Fail, Some("missing")),
            ("PUBLIC_URL", Pass, None),
            ("PORT", Pass, None),
            ("PROBE_TIMEOUT", Pass, None),
            ("ALLOWED_ORIGINS", Fail, Some("missing")),
            ("MAX_CALLS", Fail, Some("missing")),
            ("DB_HOST", Fail, Some("missing")),
            ("DB_PORT", Pass, None),
            ("DB_PASSWORD", Fail, Some("missing")),
        ]
    );
    assert!(!report.is_ready());
    let err = Config::from_vars(Vec::<(String, String)>::new()).unwrap_err();
    assert_eq!(err.len(), 8);
    assert_eq!(err.to_string().lines().count(), 8);
}

#[test]
fn every_kind_of_failure_has_its_code_and_field() {
    let mut vars = full();
    vars.extend([
        ("TWILIO_ACCOUNT_SID", ""),
        ("N8N_WEBHOOK_URL", "not a url"),
        ("PUBLIC_URL", "::"),
        ("PORT", "70000"),
        ("PROBE_TIMEOUT", "soon"),
        ("MAX_CALLS", "0"),
        ("DB_PORT", "x"),
    ]);
    let err = Config::from_vars(vars).unwrap_err();
    let failures: Vec<_> = err
        .iter()
        .map(|c| (c.name(), c.field().unwrap(), c.code().unwrap().as_str()))
        .collect();
    assert_eq!(
        failures,
        [
            ("TWILIO_ACCOUNT_SID", "twilio_account_sid", "empty"),
            ("N8N_WEBHOOK_URL", "n8n_webhook_url", "invalid"),
            ("PUBLIC_URL", "public_url", "invalid"),
            ("PORT", "port", "invalid"),
            ("PROBE_TIMEOUT", "probe_timeout", "invalid"),
            ("MAX_CALLS", "max_calls", "rejected"),
            ("DB_PORT", "db.port", "invalid"),
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("PORT (field `port`): invalid: must be an integer from 0 to 65535"),
        "{text}"
    );
    assert!(
        text.contains(
            "PROBE_TIMEOUT (field `probe_timeout`): invalid: not a duration: a duration looks like `250ms`, `2s` or `1h 30m`"
        ),
        "{text}"
    );
    assert!(
        text.contains("MAX_CALLS (field `max_calls`): rejected: must be at least 1"),
        "{text}"
    );
    assert!(
        text.contains(
            "N8N_WEBHOOK_URL (field `n8n_webhook_url`): invalid: relative URL without a base"
        ),
        "{text}"
    );
}

#[test]
fn names_and_values_may_be_str_string_or_os_string() {
    let owned: Vec<(String, String)> = full()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert!(Config::from_vars(owned.clone()).is_ok());
    let os: Vec<(OsString, OsString)> = owned
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    assert!(Config::from_vars(os).is_ok());
}

#[test]
fn an_empty_optional_is_none_and_allow_empty_keeps_it() {
    #[derive(Debug, ReadinessContract)]
    struct C {
        label: Option<String>,
        #[contract(allow_empty)]
        suffix: Option<String>,
        #[contract(allow_empty)]
        banner: String,
    }
    let c = C::from_vars([("LABEL", ""), ("SUFFIX", ""), ("BANNER", "")]).unwrap();
    assert_eq!(c.label, None);
    assert_eq!(c.suffix.as_deref(), Some(""));
    assert_eq!(c.banner, "");
    let c = C::from_vars([("LABEL", "x"), ("BANNER", "b")]).unwrap();
    assert_eq!(
        (c.label.as_deref(), c.suffix, c.banner.as_str()),
        (Some("x"), None, "b")
    );
}

#[test]
fn an_empty_value_falls_back_to_the_default() {
    #[derive(Debug, ReadinessContract)]
    struct C {
        #[contract(default = 8000)]
        port: u16,
    }
    assert_eq!(C::from_vars([("PORT", "")]).unwrap().port, 8000);
}

#[test]
fn prefixes_chain_through_nested_structs() {
    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "POOL_")]
    struct Pool {
        size: u8,
    }
    #[derive(Debug, ReadinessContract)]
    struct Db {
        host: String,
        #[contract(nested, prefix = "MAIN_")]
        pool: Pool,
    }
    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "APP_")]
    struct App {
        #[contract(nested, prefix = "DB_")]
        db: Db,
        #[contract(nested)]
        other: Pool,
    }
    let report = App::check_vars([("APP_DB_HOST", "h"), ("APP_DB_MAIN_POOL_SIZE", "x")]);
    assert_eq!(
        fields(&report),
        [
            ("APP_DB_HOST", "db.host", None),
            ("APP_DB_MAIN_POOL_SIZE", "db.pool.size", Some("invalid")),
            ("APP_POOL_SIZE", "other.size", Some("missing")),
        ]
    );
    let app = App::from_vars([
        ("APP_DB_HOST", "h"),
        ("APP_DB_MAIN_POOL_SIZE", "3"),
        ("APP_POOL_SIZE", "4"),
    ])
    .unwrap();
    assert_eq!((app.db.pool.size, app.other.size), (3, 4));
    // Standalone, the nested struct keeps its own prefix only.
    assert_eq!(Pool::from_vars([("POOL_SIZE", "9")]).unwrap().size, 9);
}

#[test]
fn raw_identifiers_lose_their_r_hash() {
    #[derive(Debug, ReadinessContract)]
    struct C {
        r#type: String,
    }
    assert_eq!(C::from_vars([("TYPE", "x")]).unwrap().r#type, "x");
    assert_eq!(C::contract().variables()[0].name(), "TYPE");
    assert_eq!(C::contract().variables()[0].field(), "type");
}

#[test]
fn bools_durations_lists_and_options_compose() {
    #[derive(Debug, ReadinessContract)]
    struct C {
        debug: bool,
        retry: Option<Duration>,
        #[contract(split = ";")]
        ports: Vec<u16>,
        flags: Option<Vec<bool>>,
        #[contract(default = "1, 2")]
        weights: Vec<u8>,
    }
    let c = C::from_vars([
        ("DEBUG", "Yes"),
        ("RETRY", "250ms"),
        ("PORTS", "80; 443"),
        ("FLAGS", "on,off"),
    ])
    .unwrap();
    assert!(c.debug);
    assert_eq!(c.retry, Some(Duration::from_millis(250)));
    assert_eq!(c.ports, [80, 443]);
    assert_eq!(c.flags, Some(vec![true, false]));
    assert_eq!(c.weights, [1, 2]);
    let err = C::from_vars([("DEBUG", "maybe"), ("PORTS", "80;x")]).unwrap_err();
    let messages: Vec<_> = err.iter().map(|c| c.message().unwrap()).collect();
    assert_eq!(
        messages,
        [
            "expected true/false, 1/0, yes/no or on/off",
            "item 2: must be an integer from 0 to 65535"
        ]
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_values_are_kept_for_paths_and_named_for_text() {
    use std::os::unix::ffi::OsStringExt;
    #[derive(Debug, ReadinessContract)]
    struct C {
        data_dir: PathBuf,
        raw: OsString,
        name: String,
    }
    let bad = OsString::from_vec(vec![b'/', 0xff, b'x']);
    let vars = [
        (OsString::from("DATA_DIR"), bad.clone()),
        (OsString::from("RAW"), bad.clone()),
        (OsString::from("NAME"), bad.clone()),
    ];
    let report = C::check_vars(vars.clone());
    assert_eq!(
        statuses(&report),
        [
            ("DATA_DIR", Status::Pass, None),
            ("RAW", Status::Pass, None),
            ("NAME", Status::Fail, Some("not_unicode")),
        ]
    );
    let c = C::from_vars(
        vars.into_iter()
            .take(2)
            .chain([("NAME".into(), "n".into())]),
    )
    .unwrap();
    assert_eq!(c.data_dir, PathBuf::from(bad.clone()));
    assert_eq!(c.raw, bad);
    // A non-UTF-8 *name* is simply never one of ours.
    let odd_name = OsString::from_vec(vec![b'N', 0xff]);
    let report = C::check_vars([(odd_name, OsString::from("x"))]);
    assert_eq!(report.failures().count(), 3);
}

#[cfg(feature = "serde")]
#[test]
fn parse_with_and_deserialize_read_types_without_from_str() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Mode {
        Live,
        DryRun,
    }
    #[derive(Debug, PartialEq)]
    struct Percent(u8);
    fn percent(s: &str) -> Result<Percent, String> {
        let n: u8 = s
            .trim_end_matches('%')
            .parse()
            .map_err(|_| "expected a percentage like 40%")?;
        if n > 100 {
            return Err("over 100%".into());
        }
        Ok(Percent(n))
    }
    #[derive(Debug, ReadinessContract)]
    struct C {
        #[contract(deserialize)]
        mode: Mode,
        #[contract(deserialize)]
        fallback: Option<Mode>,
        #[contract(parse_with = percent)]
        sample: Percent,
        #[contract(parse_with = percent, split = ",")]
        steps: Vec<Percent>,
    }
    let c = C::from_vars([("MODE", "dry_run"), ("SAMPLE", "40%"), ("STEPS", "10%,20%")]).unwrap();
    assert_eq!(c.mode, Mode::DryRun);
    assert_eq!(c.fallback, None);
    assert_eq!(c.sample, Percent(40));
    assert_eq!(c.steps, [Percent(10), Percent(20)]);
    let err = C::from_vars([("MODE", "paused"), ("SAMPLE", "140%"), ("STEPS", "1%")]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "MODE (field `mode`): invalid: unknown variant `paused`, expected `live` or `dry_run`"
        ),
        "{text}"
    );
    assert!(
        text.contains("SAMPLE (field `sample`): invalid: over 100%"),
        "{text}"
    );
    let _ = Mode::Live;
}

#[test]
fn a_string_default_that_does_not_parse_is_invalid_default() {
    #[derive(Debug, ReadinessContract)]
    struct C {
        #[contract(default = "not a url")]
        endpoint: url::Url,
    }
    let err = C::from_vars(Vec::<(String, String)>::new()).unwrap_err();
    let failure = err.iter().next().unwrap();
    assert_eq!(failure.code().unwrap(), "invalid_default");
    assert_eq!(
        failure.message().unwrap(),
        "default `not a url` does not parse: relative URL without a base"
    );
    // A set value still wins over the broken default.
    assert!(C::from_vars([("ENDPOINT", "https://x.example")]).is_ok());
}

#[test]
fn typed_defaults_and_validators_on_options() {
    fn short(s: &str) -> Result<(), &'static str> {
        if s.len() <= 3 {
            Ok(())
        } else {
            Err("at most 3 characters")
        }
    }
    #[derive(Debug, ReadinessContract)]
    struct C {
        #[contract(default = Duration::from_millis(1500))]
        grace: Duration,
        #[contract(default = vec!["a".to_owned()])]
        tags: Vec<String>,
        #[contract(validate = short)]
        region: Option<String>,
    }
    let c = C::from_vars([("REGION", "eu")]).unwrap();
    assert_eq!(c.grace, Duration::from_millis(1500));
    assert_eq!(c.tags, ["a"]);
    assert!(C::from_vars(Vec::<(String, String)>::new()).is_ok());
    let err = C::from_vars([("REGION", "europe")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "REGION (field `region`): rejected: at most 3 characters"
    );
}

#[test]
fn huge_values_give_short_messages() {
    #[derive(Debug, ReadinessContract)]
    struct C {
        #[contract(parse_with = echo)]
        v: u8,
    }
    fn echo(s: &str) -> Result<u8, String> {
        Err(format!("bad value {s}"))
    }
    let huge = "x".repeat(100_000);
    let err = C::from_vars([("V", huge.as_str())]).unwrap_err();
    assert!(err.to_string().len() < 300, "{}", err.to_string().len());
}

#[test]
fn bool_validators_reject_with_a_generic_message() {
    fn even(v: &u8) -> bool {
        v.is_multiple_of(2)
    }
    #[derive(Debug, ReadinessContract)]
    struct C {
        #[contract(validate = even)]
        pairs: u8,
    }
    assert_eq!(C::from_vars([("PAIRS", "4")]).unwrap().pairs, 4);
    let err = C::from_vars([("PAIRS", "3")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "PAIRS (field `pairs`): rejected: rejected by the validator"
    );
}

/// A crate that re-exports `health` points the derive at it.
mod facade {
    pub use ::health as reexported;
}

#[test]
fn the_crate_attribute_reaches_a_reexported_health() {
    #[derive(Debug, facade::reexported::ReadinessContract)]
    #[contract(crate = crate::facade::reexported)]
    struct C {
        name: String,
    }
    assert_eq!(C::from_vars([("NAME", "x")]).unwrap().name, "x");
}
