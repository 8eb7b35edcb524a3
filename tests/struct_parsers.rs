//! `#[contract(parse_with(Type = path))]` on a struct: one parser for every field of a type
//! (one spelling of booleans for every `bool`), unless a field says its own.

#![allow(dead_code)]

use std::time::Duration;

use health::{Code, ReadinessContract, ValueRule};

/// Only `enabled`/`disabled`, as the service has always spelled them.
fn enabled(text: &str) -> Result<bool, String> {
    match text {
        "enabled" => Ok(true),
        "disabled" => Ok(false),
        other => Err(format!("expected `enabled` or `disabled`, found `{other}`")),
    }
}

/// `yes`/`no`, for the one field that keeps the old spelling.
fn yes_no(text: &str) -> Result<bool, String> {
    match text {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(format!("expected `yes` or `no`, found `{other}`")),
    }
}

/// Whole minutes.
fn minutes(text: &str) -> Result<Duration, std::num::ParseIntError> {
    text.parse::<u64>().map(|m| Duration::from_secs(m * 60))
}

#[derive(Debug, ReadinessContract)]
#[contract(parse_with(bool = enabled, Duration = minutes))]
struct Config {
    cache: bool,
    #[contract(default = "disabled")]
    audit: bool,
    metrics: Option<bool>,
    #[contract(parse_with = yes_no)]
    debug: bool,
    ttl: std::time::Duration,
    windows: Vec<Duration>,
}

#[test]
fn every_field_of_the_type_reads_with_the_structs_parser() {
    let config = Config::from_vars([
        ("CACHE", "enabled"),
        ("METRICS", "disabled"),
        ("DEBUG", "yes"),
        ("TTL", "5"),
        ("WINDOWS", "1,2"),
    ])
    .unwrap();
    assert!(config.cache);
    assert!(!config.audit);
    assert_eq!(config.metrics, Some(false));
    assert!(config.debug, "a field's own parse_with wins");
    assert_eq!(config.ttl, Duration::from_secs(300));
    assert_eq!(
        config.windows,
        [Duration::from_secs(60), Duration::from_secs(120)]
    );
}

#[test]
fn the_structs_parser_names_its_failures_and_the_contract_records_it() {
    let report = Config::check_vars([("CACHE", "true"), ("TTL", "5"), ("WINDOWS", "1")]);
    let cache = report.get("CACHE").unwrap();
    assert_eq!(cache.code(), Some(&Code::INVALID));
    assert_eq!(
        cache.message(),
        Some("expected `enabled` or `disabled`, found `true`")
    );
    let rules: Vec<ValueRule> = Config::contract()
        .variables()
        .iter()
        .map(|v| v.spec().rule())
        .collect();
    assert_eq!(rules[0], ValueRule::ParseWith("enabled"));
    assert_eq!(rules[3], ValueRule::ParseWith("yes_no"));
    assert_eq!(rules[4], ValueRule::ParseWith("minutes"));
}
