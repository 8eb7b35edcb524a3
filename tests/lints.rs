//! Generated code compiles cleanly under strict lints.

#![deny(
    warnings,
    missing_docs,
    rust_2018_idioms,
    unused_qualifications,
    unreachable_pub
)]
#![deny(clippy::all, clippy::pedantic, clippy::nursery)]

use std::time::Duration;

use health::ReadinessContract;

/// Nested settings.
#[derive(Debug, ReadinessContract)]
pub struct Inner {
    /// A host.
    pub host: String,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // validators take `&T`
fn positive(v: &i32) -> Result<(), String> {
    if *v > 0 {
        Ok(())
    } else {
        Err("must be positive".to_owned())
    }
}

fn parse_level(s: &str) -> Result<u8, std::num::ParseIntError> {
    s.parse()
}

/// Every attribute at once.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "LINT_")]
pub struct Strict {
    /// Required text.
    pub name: String,
    /// Secret.
    #[contract(secret, env = "TOKEN")]
    pub token: String,
    /// Optional.
    pub url: Option<String>,
    /// Typed default.
    #[contract(default = 8000)]
    pub port: u16,
    /// String default.
    #[contract(default = "2s")]
    pub timeout: Duration,
    /// List.
    #[contract(split = ";")]
    pub tags: Vec<String>,
    /// Validated.
    #[contract(validate = positive)]
    pub count: i32,
    /// Custom parser.
    #[contract(parse_with = parse_level)]
    pub level: u8,
    /// Flag.
    pub debug: bool,
    /// Empty allowed.
    #[contract(allow_empty)]
    pub suffix: String,
    /// Raw identifier.
    pub r#type: Option<bool>,
    /// Nested.
    #[contract(nested, prefix = "IN_")]
    pub inner: Inner,
}

#[test]
fn strict_lints_accept_generated_code() {
    let report = Strict::check_vars([("LINT_NAME", "n")]);
    assert_eq!(report.entries().len(), 12);
    assert_eq!(report.entries()[11].name(), "LINT_IN_HOST");
}
