//! Rules between variables: each one its own named entry of the report, blaming variables,
//! checked even when other variables failed, skipped (never passed) when its input failed.

#![allow(dead_code)]

use health::{Code, ReadinessContract, Report, RuleKind, Status};

fn tls_pair(cert: &Option<String>, key: &Option<String>) -> Result<(), String> {
    match (cert, key) {
        (Some(cert), Some(key)) if cert.len() == key.len() => {
            Err("the certificate and the key are the same file".to_owned())
        }
        _ => Ok(()),
    }
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
#[contract(requires(tls_cert => tls_key))]
#[contract(conflicts(database_url => database_host))]
#[contract(exactly_one_of(database_url, database_host))]
#[contract(at_most_one_of(cache_url, cache_socket))]
#[contract(at_least_one_of(admin_email, admin_webhook))]
#[contract(required_if(mode == "tls", tls_cert, tls_key))]
#[contract(requires(metrics => metrics_port))]
#[contract(check(tls_pair, reads(tls_cert, tls_key)))]
struct Config {
    tls_cert: Option<String>,
    tls_key: Option<String>,
    database_url: Option<String>,
    database_host: Option<String>,
    cache_url: Option<String>,
    cache_socket: Option<String>,
    admin_email: Option<String>,
    admin_webhook: Option<String>,
    #[contract(default = "plain", one_of = ["plain", "tls"])]
    mode: String,
    #[contract(default = false)]
    metrics: bool,
    metrics_port: Option<u16>,
}

const BASE: [(&str, &str); 2] = [
    ("APP_DATABASE_URL", "postgres://db/app"),
    ("APP_ADMIN_EMAIL", "ops@example.com"),
];

fn report(extra: &[(&str, &str)]) -> Report {
    Config::check_vars(BASE.iter().chain(extra).copied())
}

fn entry<'r>(report: &'r Report, name: &str) -> &'r health::ReportEntry {
    report.get(name).unwrap_or_else(|| {
        let names: Vec<&str> = report.entries().iter().map(|e| e.name()).collect();
        panic!("no entry {name} in {names:?}")
    })
}

#[test]
fn every_rule_is_a_named_passing_entry_after_the_variables() {
    let report = report(&[]);
    assert!(
        report.is_ready(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    let names: Vec<&str> = report.entries().iter().map(|e| e.name()).collect();
    assert_eq!(
        &names[11..],
        [
            "requires:APP_TLS_CERT,APP_TLS_KEY",
            "conflicts:APP_DATABASE_URL,APP_DATABASE_HOST",
            "exactly_one_of:APP_DATABASE_URL,APP_DATABASE_HOST",
            "at_most_one_of:APP_CACHE_URL,APP_CACHE_SOCKET",
            "at_least_one_of:APP_ADMIN_EMAIL,APP_ADMIN_WEBHOOK",
            "required_if:APP_MODE=tls,APP_TLS_CERT,APP_TLS_KEY",
            "requires:APP_METRICS,APP_METRICS_PORT",
            "check:tls_pair",
        ]
    );
    let rule = entry(&report, "requires:APP_TLS_CERT,APP_TLS_KEY");
    assert_eq!(rule.status(), Status::Pass);
    assert_eq!(rule.variables(), ["APP_TLS_CERT", "APP_TLS_KEY"]);
    assert_eq!(rule.field(), None);
}

#[test]
fn requires_blames_the_missing_dependent() {
    let report = report(&[("APP_TLS_CERT", "/tls/cert.pem")]);
    let rule = entry(&report, "requires:APP_TLS_CERT,APP_TLS_KEY");
    assert_eq!(rule.status(), Status::Fail);
    assert_eq!(rule.code(), Some(&Code::MISSING));
    assert_eq!(rule.variables(), ["APP_TLS_KEY"]);
    assert_eq!(
        rule.message(),
        Some("`APP_TLS_CERT` is set, so `APP_TLS_KEY` must be set too")
    );
    // Both set: it holds.
    let report = self::report(&[("APP_TLS_CERT", "/c.pem"), ("APP_TLS_KEY", "/key.pem")]);
    assert!(report.is_ready());
}

#[test]
fn a_conflict_blames_every_member_set() {
    let report = report(&[("APP_DATABASE_HOST", "db")]);
    let conflict = entry(&report, "conflicts:APP_DATABASE_URL,APP_DATABASE_HOST");
    assert_eq!(conflict.code(), Some(&Code::CONFLICT));
    assert_eq!(
        conflict.variables(),
        ["APP_DATABASE_URL", "APP_DATABASE_HOST"]
    );
    let exactly = entry(&report, "exactly_one_of:APP_DATABASE_URL,APP_DATABASE_HOST");
    assert_eq!(exactly.code(), Some(&Code::CONFLICT));
    assert_eq!(
        exactly.message(),
        Some(
            "`APP_DATABASE_URL` and `APP_DATABASE_HOST` are all set: set exactly one of `APP_DATABASE_URL` or `APP_DATABASE_HOST`"
        )
    );
}

#[test]
fn none_of_a_one_of_blames_every_member() {
    let report = Config::check_vars([("APP_ADMIN_WEBHOOK", "https://hooks.example.com/x")]);
    let exactly = entry(&report, "exactly_one_of:APP_DATABASE_URL,APP_DATABASE_HOST");
    assert_eq!(exactly.code(), Some(&Code::MISSING));
    assert_eq!(
        exactly.variables(),
        ["APP_DATABASE_URL", "APP_DATABASE_HOST"]
    );
    assert_eq!(
        exactly.message(),
        Some("none of `APP_DATABASE_URL` or `APP_DATABASE_HOST` is set: set exactly one")
    );
    let report = Config::check_vars([("APP_DATABASE_URL", "x")]);
    let least = entry(&report, "at_least_one_of:APP_ADMIN_EMAIL,APP_ADMIN_WEBHOOK");
    assert_eq!(least.code(), Some(&Code::MISSING));
    assert_eq!(least.variables(), ["APP_ADMIN_EMAIL", "APP_ADMIN_WEBHOOK"]);
}

#[test]
fn at_most_one_allows_none_and_refuses_two() {
    assert!(report(&[("APP_CACHE_URL", "redis://c")]).is_ready());
    let report = report(&[
        ("APP_CACHE_URL", "redis://c"),
        ("APP_CACHE_SOCKET", "/run/c.sock"),
    ]);
    let rule = entry(&report, "at_most_one_of:APP_CACHE_URL,APP_CACHE_SOCKET");
    assert_eq!(rule.code(), Some(&Code::CONFLICT));
    assert_eq!(rule.variables(), ["APP_CACHE_URL", "APP_CACHE_SOCKET"]);
}

#[test]
fn required_if_applies_only_while_the_value_matches() {
    let report = report(&[("APP_MODE", "tls"), ("APP_TLS_KEY", "/k.pem")]);
    let rule = entry(&report, "required_if:APP_MODE=tls,APP_TLS_CERT,APP_TLS_KEY");
    assert_eq!(rule.code(), Some(&Code::MISSING));
    assert_eq!(rule.variables(), ["APP_TLS_CERT"]);
    assert_eq!(
        rule.message(),
        Some("`APP_MODE` is `tls`, so `APP_TLS_CERT` must be set")
    );
    assert!(self::report(&[("APP_MODE", "plain")]).is_ready());
}

#[test]
fn a_false_toggle_is_not_on() {
    assert!(report(&[("APP_METRICS", "false")]).is_ready());
    assert!(report(&[("APP_METRICS", "0")]).is_ready());
    let report = report(&[("APP_METRICS", "yes")]);
    let rule = entry(&report, "requires:APP_METRICS,APP_METRICS_PORT");
    assert_eq!(rule.code(), Some(&Code::MISSING));
    assert_eq!(rule.variables(), ["APP_METRICS_PORT"]);
}

#[test]
fn a_rule_whose_input_failed_is_skipped_never_passed_nor_failed_twice() {
    let report = report(&[("APP_METRICS", "maybe")]);
    assert_eq!(entry(&report, "APP_METRICS").code(), Some(&Code::INVALID));
    let rule = entry(&report, "requires:APP_METRICS,APP_METRICS_PORT");
    assert_eq!(rule.status(), Status::Warn);
    assert_eq!(rule.code(), Some(&Code::SKIPPED));
    assert_eq!(
        rule.message(),
        Some("not checked: `APP_METRICS` did not load")
    );
    assert_eq!(report.failures().count(), 1);
    // A `required_if` whose compared field failed is skipped too.
    let report = self::report(&[("APP_MODE", "mtls")]);
    let rule = entry(&report, "required_if:APP_MODE=tls,APP_TLS_CERT,APP_TLS_KEY");
    assert_eq!(rule.code(), Some(&Code::SKIPPED));
    assert_eq!(report.failures().count(), 1);
}

#[test]
fn every_rule_runs_when_other_variables_failed() {
    let report = Config::check_vars([
        ("APP_METRICS_PORT", "99999"),
        ("APP_TLS_CERT", "/c.pem"),
        ("APP_DATABASE_URL", "u"),
        ("APP_DATABASE_HOST", "h"),
    ]);
    let failed: Vec<&str> = report.failures().map(|e| e.name()).collect();
    assert_eq!(
        failed,
        [
            "APP_METRICS_PORT",
            "requires:APP_TLS_CERT,APP_TLS_KEY",
            "conflicts:APP_DATABASE_URL,APP_DATABASE_HOST",
            "exactly_one_of:APP_DATABASE_URL,APP_DATABASE_HOST",
            "at_least_one_of:APP_ADMIN_EMAIL,APP_ADMIN_WEBHOOK",
        ]
    );
}

#[test]
fn a_custom_check_blames_the_fields_it_reads() {
    let report = report(&[("APP_TLS_CERT", "/a.pem"), ("APP_TLS_KEY", "/b.pem")]);
    let rule = entry(&report, "check:tls_pair");
    assert_eq!(rule.code(), Some(&Code::REJECTED));
    assert_eq!(rule.variables(), ["APP_TLS_CERT", "APP_TLS_KEY"]);
    assert_eq!(
        rule.message(),
        Some("the certificate and the key are the same file")
    );
}

#[test]
fn a_failed_rule_fails_the_load_with_the_full_report() {
    let error =
        Config::from_vars(BASE.iter().copied().chain([("APP_TLS_CERT", "/c.pem")])).unwrap_err();
    let failed: Vec<&str> = error.report().failures().map(|e| e.name()).collect();
    assert_eq!(failed, ["requires:APP_TLS_CERT,APP_TLS_KEY"]);
    assert!(Config::from_vars(BASE).is_ok());
}

#[test]
fn presence_means_set_and_non_empty_or_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, "k").unwrap();
    let key = key.to_str().unwrap();
    assert!(report(&[("APP_TLS_CERT", "/c.pem"), ("APP_TLS_KEY_FILE", key)]).is_ready());
    assert!(report(&[("APP_TLS_CERT", ""), ("APP_CACHE_URL", "")]).is_ready());
}

#[test]
fn the_contract_records_every_rule_with_a_sentence() {
    let rules = Config::contract().rules();
    let described: Vec<(RuleKind, String, String)> = rules
        .iter()
        .map(|r| (r.kind(), r.name(), r.sentence()))
        .collect();
    assert_eq!(
        described[0],
        (
            RuleKind::Requires,
            "requires:APP_TLS_CERT,APP_TLS_KEY".to_owned(),
            "When `APP_TLS_CERT` is set, `APP_TLS_KEY` must be set too.".to_owned()
        )
    );
    assert_eq!(
        described[2].2,
        "Exactly one of `APP_DATABASE_URL` or `APP_DATABASE_HOST` must be set."
    );
    assert_eq!(
        described[5].2,
        "When `APP_MODE` is `tls`, `APP_TLS_CERT` and `APP_TLS_KEY` must be set."
    );
    assert_eq!(
        rules[5].condition().map(|(v, t)| (v.name(), t)),
        Some(("APP_MODE", "tls"))
    );
    assert_eq!(rules[7].function(), Some("tls_pair"));
    // The report's entries carry the contract's names.
    let report = report(&[]);
    for rule in &rules {
        assert!(report.get(&rule.name()).is_some(), "{}", rule.name());
    }
}

mod nested {
    use super::*;

    #[derive(Debug, ReadinessContract)]
    #[contract(at_most_one_of(password, password_file))]
    struct Db {
        password: Option<String>,
        password_file: Option<String>,
    }

    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "SVC_")]
    struct Service {
        #[contract(nested, prefix = "DB_")]
        db: Db,
    }

    #[test]
    fn a_nested_structs_rules_name_full_variables() {
        let report =
            Service::check_vars([("SVC_DB_PASSWORD", "p"), ("SVC_DB_PASSWORD_FILE", "/p")]);
        let rule = entry(
            &report,
            "at_most_one_of:SVC_DB_PASSWORD,SVC_DB_PASSWORD_FILE",
        );
        assert_eq!(rule.code(), Some(&Code::CONFLICT));
        assert!(Service::from_vars([("SVC_DB_PASSWORD", "p")]).is_ok());
        assert_eq!(
            Service::contract().rules()[0].name(),
            "at_most_one_of:SVC_DB_PASSWORD,SVC_DB_PASSWORD_FILE"
        );
    }
}

mod secrets {
    use super::*;

    fn strong(token: &String, user: &Option<String>) -> Result<(), String> {
        Err(format!("token {token} is weak for {user:?}"))
    }

    #[derive(Debug, ReadinessContract)]
    #[contract(check(strong, reads(token, user)))]
    struct Auth {
        #[contract(secret)]
        token: String,
        user: Option<String>,
    }

    #[test]
    fn a_check_over_a_secret_withholds_its_message() {
        let report = Auth::check_vars([("TOKEN", "hunter2-secret"), ("USER", "ann")]);
        let rule = entry(&report, "check:strong");
        assert_eq!(rule.code(), Some(&Code::REJECTED));
        assert!(!format!("{report:?}").contains("hunter2"));
        assert!(!rule.message().unwrap().contains("hunter2"));
    }
}
