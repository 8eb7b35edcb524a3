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
#[contract(prefix = "LINT_", deny_unknown)]
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
    /// Ranged, with an old name.
    #[contract(range = 1..=65535, alias = "OLD_WORKERS", default = 4)]
    pub workers: u32,
    /// Ranged list.
    #[contract(range = "1ms".."1m")]
    pub delays: Option<Vec<Duration>>,
    /// Listed texts, counted.
    #[contract(one_of = ["a", "b"], len = 1..=2, default = "a")]
    pub modes: Vec<String>,
    /// Nested.
    #[contract(nested, prefix = "IN_")]
    pub inner: Inner,
}

#[test]
fn strict_lints_accept_generated_code() {
    let report = Strict::check_vars([("LINT_NAME", "n")]);
    assert_eq!(report.entries().len(), 15);
    assert_eq!(report.entries()[14].name(), "LINT_IN_HOST");
}

/// A backend chosen by a tag.
#[derive(Debug, ReadinessContract)]
#[contract(tag = "KIND")]
pub enum Backend {
    /// On disk.
    #[contract(default)]
    Disk(Inner),
    /// Nowhere.
    Memory,
}

/// A backend chosen by which one is configured.
#[derive(Debug, ReadinessContract)]
#[contract(exactly_one)]
pub enum Found {
    /// The first.
    #[contract(prefix = "A_")]
    First(Inner),
    /// The second.
    #[contract(prefix = "B_")]
    Second(Inner),
}

/// Selected variants, required and optional.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "LINT_")]
pub struct Choices {
    /// By tag.
    #[contract(nested, prefix = "BACKEND_")]
    pub backend: Backend,
    /// By presence, optional.
    #[contract(nested, prefix = "FOUND_")]
    pub found: Option<Found>,
}

#[test]
fn strict_lints_accept_generated_variants() {
    let report = Choices::check_vars([("LINT_BACKEND_KIND", "memory")]);
    assert!(report.is_ready(), "{report:?}");
    assert_eq!(report.entries()[0].name(), "LINT_BACKEND_KIND");
}

/// Nested settings printed by a redacting `Debug`.
#[derive(ReadinessContract)]
#[contract(debug)]
pub struct RedactedInner {
    /// A secret.
    #[contract(secret)]
    pub password: String,
}

/// A redacting `Debug` over every shape.
#[derive(ReadinessContract)]
#[contract(debug)]
pub struct Redacted {
    /// A secret.
    #[contract(secret)]
    pub token: String,
    /// An optional secret.
    #[contract(secret)]
    pub key: Option<String>,
    /// Plain.
    pub r#type: u8,
    /// Nested.
    #[contract(nested)]
    pub inner: RedactedInner,
}

#[test]
fn strict_lints_accept_the_redacting_debug() {
    let config = Redacted::from_vars([("TOKEN", "t"), ("TYPE", "1"), ("PASSWORD", "p")]).unwrap();
    assert_eq!(
        format!("{config:?}"),
        "Redacted { token: ***, key: None, type: 1, inner: RedactedInner { password: *** } }"
    );
}
