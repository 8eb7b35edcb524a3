//! Property tests over value parsing and `from_vars` with arbitrary bytes: non-UTF-8, huge
//! values, control characters, NUL in names and values. Nothing panics and every failure is
//! a named variable with a known code.
//!
//! CI runs the default number of cases; a longer run:
//! `PROPTEST_CASES=100000 cargo test --release --all-features --test fuzz`.

mod common;

use std::collections::HashSet;
use std::ffi::OsString;
use std::time::Duration;

use health::{ReadinessContract, Status, value};
use proptest::prelude::*;

#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Nested {
    host: String,
    #[contract(default = 5432)]
    port: u16,
}

fn short(s: &str) -> Result<(), String> {
    if s.len() < 64 {
        Ok(())
    } else {
        Err(format!("too long: {s}"))
    }
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "F_")]
#[allow(dead_code)]
struct Everything {
    name: String,
    #[contract(secret, validate = short)]
    token: String,
    count: i64,
    ratio: f64,
    flag: bool,
    #[contract(default = "2s")]
    timeout: Duration,
    path: std::path::PathBuf,
    raw: OsString,
    url: Option<url::Url>,
    #[contract(split = ",")]
    ports: Vec<u16>,
    #[contract(allow_empty)]
    suffix: String,
    #[contract(nested, prefix = "DB_")]
    db: Nested,
}

const CODES: [&str; 8] = [
    "missing",
    "empty",
    "invalid",
    "invalid_default",
    "rejected",
    "not_unicode",
    "unreadable_file",
    "conflict",
];

#[cfg(unix)]
fn os(bytes: Vec<u8>) -> OsString {
    std::os::unix::ffi::OsStringExt::from_vec(bytes)
}

#[cfg(not(unix))]
fn os(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// Bytes biased towards the interesting: text, control characters, invalid UTF-8, and
/// sometimes a lot of them.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[ -~]{0,40}".prop_map(String::into_bytes),
        "[0-9, -]{0,20}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..64),
        prop::collection::vec(any::<u8>(), 0..100_000),
    ]
}

fn names() -> Vec<String> {
    Everything::contract()
        .variables()
        .iter()
        .map(|v| v.name().to_owned())
        .collect()
}

proptest! {
    // Cases from PROPTEST_CASES (256 by default); failures are printed, not stored.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(raw in bytes()) {
        let raw = os(raw);
        let _ = value::from_str::<u16>(&raw);
        let _ = value::from_str::<f64>(&raw);
        let _ = value::from_str::<url::Url>(&raw);
        let _ = value::bool(&raw);
        let _ = value::duration(&raw);
        let _ = value::os_string::<std::path::PathBuf>(&raw);
        let _ = value::list::<u16>(&raw, ",", |item| value::from_str(&item));
        #[cfg(feature = "serde")]
        let _ = value::deserialize::<Vec<u8>>(&raw);
    }

    #[test]
    fn from_vars_names_every_failure(
        picks in prop::collection::vec((0usize..20, bytes()), 0..16),
        junk in prop::collection::vec((bytes(), bytes()), 0..4),
    ) {
        let names = names();
        let mut vars: Vec<(OsString, OsString)> = picks
            .into_iter()
            .map(|(i, v)| {
                // Mostly real names, sometimes a `_FILE` twin or a near miss.
                let name = match names.get(i) {
                    Some(name) => name.clone(),
                    None => format!("{}_FILE", names[i % names.len()]),
                };
                (OsString::from(name), os(v))
            })
            .collect();
        vars.extend(junk.into_iter().map(|(k, v)| (os(k), os(v))));
        let report = Everything::check_vars(vars.clone());
        prop_assert_eq!(report.entries().len(), names.len());
        let known: HashSet<&str> = names.iter().map(String::as_str).collect();
        for check in report.entries() {
            prop_assert!(known.contains(check.name()), "unknown check {}", check.name());
            if check.status() == Status::Fail {
                let code = common::code(check.outcome()).unwrap_or_default();
                prop_assert!(CODES.contains(&code), "unexpected code {}", code);
                prop_assert!(check.message().is_some_and(|m| m.len() <= 210));
            }
        }
        // The error and the report agree.
        match Everything::from_vars(vars) {
            Ok(_) => prop_assert!(report.is_ready()),
            Err(err) => prop_assert_eq!(err.len(), report.failures().count()),
        }
    }
}
