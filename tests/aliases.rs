//! `#[contract(alias = "OLD")]`: an old name still works as a `warn` naming the new one, both
//! set is an `alias_conflict`, `OLD_FILE` works, prefixes apply; recorded in the contract.

#![allow(dead_code)] // fields exist to be loaded, not read

mod common;

use common::statuses;
use health::{Origin, ReadinessContract, Status};

/// Database settings.
#[derive(Debug, ReadinessContract)]
struct Db {
    #[contract(alias = "HOSTNAME")]
    host: String,
    #[contract(secret, alias = "PASS", alias = "PWD")]
    password: String,
}

/// Settings.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
struct Config {
    #[contract(env = "API_KEY", alias = "APIKEY", secret)]
    key: String,
    #[contract(alias = "HTTP_PORT", default = 8000, range = 1..=65535)]
    port: u16,
    #[contract(alias = "VERBOSITY")]
    level: Option<String>,
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("APP_API_KEY", "k"),
        ("APP_DB_HOST", "db"),
        ("APP_DB_PASSWORD", "pw"),
    ]
}

fn with(
    extra: &[(&'static str, &'static str)],
    drop: &[&str],
) -> Vec<(&'static str, &'static str)> {
    let mut vars = base();
    vars.retain(|(name, _)| !drop.contains(name));
    vars.extend_from_slice(extra);
    vars
}

#[test]
fn the_new_names_pass_as_before() {
    let report = Config::check_vars(base());
    assert!(
        report
            .entries()
            .iter()
            .all(|entry| entry.status() == Status::Pass),
        "{report:?}"
    );
}

#[test]
fn an_old_name_loads_and_is_a_warn_naming_the_new_one() {
    let vars = with(
        &[("APP_HTTP_PORT", "9000"), ("APP_DB_HOSTNAME", "old-db")],
        &["APP_DB_HOST"],
    );
    let config = Config::from_vars(vars.clone()).unwrap();
    assert_eq!(config.port, 9000);
    assert_eq!(config.db.host, "old-db");

    let report = Config::check_vars(vars);
    assert!(report.is_ready());
    assert_eq!(report.status(), Status::Warn);
    let port = report.get("APP_PORT").unwrap();
    assert_eq!(port.status(), Status::Warn);
    assert_eq!(port.code().unwrap(), "renamed");
    assert_eq!(
        port.message(),
        Some("set as `APP_HTTP_PORT` (an old name): rename it to `APP_PORT`")
    );
    assert_eq!(port.origin(), Some(&Origin::Provided));
    // The struct's prefix and the nested prefix apply to the alias as to the name.
    assert_eq!(
        report.get("APP_DB_HOST").unwrap().message(),
        Some("set as `APP_DB_HOSTNAME` (an old name): rename it to `APP_DB_HOST`")
    );
    assert_eq!(
        statuses(&report),
        [
            ("APP_API_KEY", Status::Pass, None),
            ("APP_PORT", Status::Warn, Some("renamed")),
            ("APP_LEVEL", Status::Pass, None),
            ("APP_DB_HOST", Status::Warn, Some("renamed")),
            ("APP_DB_PASSWORD", Status::Pass, None),
        ]
    );
    let loaded = health::load_from::<Config>(
        &with(&[("APP_HTTP_PORT", "9000")], &[])
            .into_iter()
            .collect::<health::Vars>(),
    );
    assert!(loaded.is_ready());
    assert_eq!(loaded.config().unwrap().port, 9000);
}

#[test]
fn an_unprefixed_old_name_is_not_read() {
    let report = Config::check_vars(with(&[("HTTP_PORT", "9000")], &[]));
    assert_eq!(report.get("APP_PORT").unwrap().status(), Status::Pass);
    let config = Config::from_vars(with(&[("HTTP_PORT", "9000")], &[])).unwrap();
    assert_eq!(config.port, 8000);
}

#[test]
fn the_name_and_an_old_name_both_set_is_a_conflict_naming_both_never_the_values() {
    let vars = with(
        &[
            ("APP_PORT", "8001"),
            ("APP_HTTP_PORT", "8002"),
            ("APP_APIKEY", "old-secret-value"),
        ],
        &[],
    );
    let err = Config::from_vars(vars).unwrap_err();
    let port = err.report().get("APP_PORT").unwrap();
    assert_eq!(port.code().unwrap(), "alias_conflict");
    assert_eq!(
        port.message(),
        Some("set as both `APP_PORT` and its old name `APP_HTTP_PORT`: remove the old one")
    );
    let key = err.report().get("APP_API_KEY").unwrap();
    assert_eq!(key.code().unwrap(), "alias_conflict");
    let text = format!("{err}\n{}", common::json_bodies(err.report()));
    for value in ["8001", "8002", "old-secret-value"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
}

#[test]
fn two_old_names_set_is_a_conflict_too() {
    let vars = with(
        &[("APP_DB_PASS", "a"), ("APP_DB_PWD", "b")],
        &["APP_DB_PASSWORD"],
    );
    let report = Config::check_vars(vars);
    let password = report.get("APP_DB_PASSWORD").unwrap();
    assert_eq!(password.code().unwrap(), "alias_conflict");
    assert_eq!(
        password.message(),
        Some(
            "set under several old names, `APP_DB_PASS` and `APP_DB_PWD`: keep one, renamed to `APP_DB_PASSWORD`"
        )
    );
    let vars = with(
        &[
            ("APP_DB_PASSWORD", "new"),
            ("APP_DB_PASS", "a"),
            ("APP_DB_PWD", "b"),
        ],
        &[],
    );
    assert_eq!(
        Config::check_vars(vars)
            .get("APP_DB_PASSWORD")
            .unwrap()
            .message(),
        Some(
            "set as both `APP_DB_PASSWORD` and its old names `APP_DB_PASS` and `APP_DB_PWD`: remove the old one"
        )
    );
}

#[test]
fn an_empty_name_gives_way_to_a_set_old_name() {
    let report = Config::check_vars(with(&[("APP_PORT", ""), ("APP_HTTP_PORT", "9")], &[]));
    let port = report.get("APP_PORT").unwrap();
    assert_eq!(port.code().unwrap(), "renamed");
    assert!(report.is_ready());
}

#[test]
fn an_old_name_file_is_read_and_its_failures_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("pass");
    std::fs::write(&secret, "from-file\n").unwrap();
    let path = secret.to_str().unwrap().to_owned();
    let vars: health::Vars = [
        ("APP_API_KEY", "k"),
        ("APP_DB_HOST", "db"),
        ("APP_DB_PASS_FILE", path.as_str()),
    ]
    .into_iter()
    .collect();
    let config = Config::from_source(&vars).unwrap();
    assert_eq!(config.db.password, "from-file");
    let report = Config::check_source(&vars);
    let password = report.get("APP_DB_PASSWORD").unwrap();
    assert_eq!(password.code().unwrap(), "renamed");
    assert_eq!(password.origin(), Some(&Origin::SecretFile(secret.clone())));

    // The new name's `_FILE` and an old name set: a conflict, with no file read.
    let vars: health::Vars = [
        ("APP_API_KEY", "k"),
        ("APP_DB_HOST", "db"),
        ("APP_DB_PASSWORD_FILE", path.as_str()),
        ("APP_DB_PWD", "x"),
    ]
    .into_iter()
    .collect();
    let report = Config::check_source(&vars);
    assert_eq!(
        report.get("APP_DB_PASSWORD").unwrap().code().unwrap(),
        "alias_conflict"
    );

    let missing = dir.path().join("missing");
    let vars: health::Vars = [
        ("APP_API_KEY", "k"),
        ("APP_DB_HOST", "db"),
        ("APP_DB_PWD_FILE", missing.to_str().unwrap()),
    ]
    .into_iter()
    .collect();
    let report = Config::check_source(&vars);
    let password = report.get("APP_DB_PASSWORD").unwrap();
    assert_eq!(password.code().unwrap(), "unreadable_file");
    assert!(
        password
            .message()
            .unwrap()
            .starts_with("cannot read APP_DB_PWD_FILE "),
        "{password:?}"
    );
}

#[test]
fn a_value_read_under_an_old_name_is_checked_as_any_other() {
    let report = Config::check_vars(with(&[("APP_HTTP_PORT", "0")], &[]));
    let port = report.get("APP_PORT").unwrap();
    assert_eq!(port.code().unwrap(), "rejected");
    assert_eq!(
        port.message(),
        Some("must be in 1..=65535 (set as `APP_HTTP_PORT`, an old name)")
    );
    let report = Config::check_vars(with(&[("APP_VERBOSITY", "loud")], &[]));
    assert_eq!(report.get("APP_LEVEL").unwrap().code().unwrap(), "renamed");
}

#[test]
fn the_contract_records_the_aliases_without_prefixes() {
    let vars = Config::contract().variables();
    assert_eq!(vars[0].spec().aliases(), ["APIKEY"]);
    assert_eq!(vars[1].spec().aliases(), ["HTTP_PORT"]);
    assert_eq!(vars[4].name(), "APP_DB_PASSWORD");
    assert_eq!(vars[4].spec().aliases(), ["PASS", "PWD"]);
    assert!(Db::contract().variables()[0].spec().aliases() == ["HOSTNAME"]);
}

#[test]
fn deny_unknown_is_recorded_on_the_contract() {
    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "STRICT_", deny_unknown)]
    struct Strict {
        host: String,
    }
    assert!(Strict::contract().denies_unknown());
    assert!(!Config::contract().denies_unknown());
}
