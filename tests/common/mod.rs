//! Small helpers shared by the integration tests: ask a [`Health`] for a URL as an adapter
//! would, and read a report's or an outcome's codes as plain strings for `assert_eq!`.
//!
//! ```ignore
//! mod common;
//!
//! let response = common::respond(&health, "/ready?verbose").await;
//! assert_eq!(common::statuses(&report), [("PORT", Status::Fail, Some("invalid"))]);
//! ```
//!
//! A scratch directory is `tempfile::tempdir()`: removed with its contents on drop.
//! Everything here builds with any features: what needs one (`respond`: `runtime`) is gated.
//! The real servers (PostgreSQL, Redis) are in `tests/support`, examples run as processes
//! in `tests/process`, captured logs in `tests/capture`; the JSON Schema parity harness
//! (seeded environments, validated by Python's `jsonschema`) in [`schema`].
#![allow(dead_code)]

pub mod command;
pub mod python;
pub mod schema;
pub mod upstream;
pub mod volume;

#[cfg(feature = "runtime")]
use bytes::Bytes;
#[cfg(feature = "runtime")]
use health::Health;
use health::{Outcome, Report, Status};

/// `health.respond` for a target such as `/ready?verbose`: split into path and query (the
/// part after the first `?`, if any) as an adapter does.
#[cfg(feature = "runtime")]
pub async fn respond(health: &Health, target: &str) -> http::Response<Bytes> {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    health.respond(path, query).await
}

/// The outcome's code as a string; `None` when it passes.
pub fn code(outcome: &Outcome) -> Option<&str> {
    outcome.code().map(|c| c.as_str())
}

/// The code of the report's entry `name`; `None` when it passes or is not in the report.
pub fn code_of<'a>(report: &'a Report, name: &str) -> Option<&'a str> {
    report.get(name).and_then(|entry| code(entry.outcome()))
}

/// The report's `application/health+json` bodies, plain and detailed, for the checks that
/// no output holds a value; empty without the `json` feature, where nothing renders them.
pub fn json_bodies(report: &Report) -> String {
    #[cfg(feature = "json")]
    return format!("{}\n{}", report.to_json(), report.to_json_detailed());
    #[cfg(not(feature = "json"))]
    {
        let _ = report;
        String::new()
    }
}

/// `(name, status, code)` of every entry, in the report's order.
pub fn statuses(report: &Report) -> Vec<(&str, Status, Option<&str>)> {
    report
        .entries()
        .iter()
        .map(|entry| (entry.name(), entry.status(), code(entry.outcome())))
        .collect()
}

/// `(name, code)` of every failing entry, in the report's order; the code is `""` for an
/// entry without one.
pub fn failing(report: &Report) -> Vec<(&str, &str)> {
    report
        .failures()
        .map(|e| (e.name(), e.code().map_or("", |c| c.as_str())))
        .collect()
}

/// `(name, field, code)` of every entry, in the report's order; panics on an entry without
/// a field (one that is not a config variable).
pub fn fields(report: &Report) -> Vec<(&str, &str, Option<&str>)> {
    report
        .entries()
        .iter()
        .map(|entry| {
            let field = entry
                .field()
                .unwrap_or_else(|| panic!("{} has no field", entry.name()));
            (entry.name(), field, code(entry.outcome()))
        })
        .collect()
}

/// Reads `8k` as 8000: a `parse_with` function that takes more than the integer pattern of
/// its type allows (what the schema tests pin).
pub fn kilo(text: &str) -> Result<u16, String> {
    match text.strip_suffix('k') {
        Some(thousands) => thousands
            .parse::<u16>()
            .ok()
            .and_then(|n| n.checked_mul(1000))
            .ok_or_else(|| "expected a number, or thousands ending in `k`".to_owned()),
        None => text.parse().map_err(|e| format!("{e}")),
    }
}
