//! Turn a configuration struct into a readiness contract.
//!
//! `#[derive(ReadinessContract)]` on a config struct gives typed environment loading that
//! names *every* failing variable at once, a readiness [`Report`] with one check per
//! variable, and a static [`Contract`] describing them all.
//!
//! ```
//! use health::ReadinessContract;
//!
//! /// Settings of the voice agent.
//! #[derive(ReadinessContract)]
//! #[contract(debug)] // a `Debug` that prints secrets as `***`
//! struct Config {
//!     /// Twilio account that places the calls.
//!     twilio_account_sid: String,
//!     #[contract(secret)]
//!     twilio_auth_token: String,
//!     #[contract(default = 8000)]
//!     port: u16,
//!     #[contract(default = "2s")]
//!     probe_timeout: std::time::Duration,
//! }
//!
//! let config = Config::from_vars([
//!     ("TWILIO_ACCOUNT_SID", "AC123"),
//!     ("TWILIO_AUTH_TOKEN", "s3cr3t"),
//! ])?;
//! assert_eq!(config.port, 8000);
//! assert_eq!(config.probe_timeout, std::time::Duration::from_secs(2));
//! assert!(format!("{config:?}").contains("twilio_auth_token: ***"));
//!
//! // Every failure at once, each named, never a secret's value.
//! let err = Config::from_vars([("PORT", "eighty"), ("TWILIO_AUTH_TOKEN", "")]).unwrap_err();
//! let codes: Vec<_> = err.iter().map(|c| (c.name(), c.code().unwrap().as_str())).collect();
//! assert_eq!(codes, [
//!     ("TWILIO_ACCOUNT_SID", "missing"),
//!     ("TWILIO_AUTH_TOKEN", "empty"),
//!     ("PORT", "invalid"),
//! ]);
//! assert_eq!(err.to_string().lines().count(), 3);
//! # Ok::<(), health::ContractError>(())
//! ```
//!
//! A service that must not crash-loop on a broken config starts anyway and serves the
//! report from `/ready`:
//!
//! ```
//! # use health::ReadinessContract;
//! # #[derive(ReadinessContract)]
//! # struct Config { database_url: String, #[contract(default = 8000)] port: u16 }
//! let loaded = health::load::<Config>(); // logs one event per failing variable
//! if !loaded.is_ready() {
//!     eprintln!("{loaded}"); // a summary, then one line per variable: status, name, code, reason
//! }
//! // A variable that passed, even when others failed: where to serve the probes.
//! let port = loaded.value::<u16>(&health::ProcessEnv, "PORT").unwrap_or(8000);
//! # assert!(port > 0);
//! let status = loaded.report().http_status(); // 200 when ready, 503 otherwise
//! # #[cfg(feature = "json")] {
//! let body = loaded.report().to_json(); // application/health+json (feature `json`)
//! # assert!(body.contains("DATABASE_URL") || status == 200);
//! # }
//! ```
//!
//! [`load()`](fn@load)'s events go through [`tracing`](https://docs.rs/tracing) (feature
//! `tracing`, on by default), which drops them unless the app installs a subscriber: call
//! `tracing_subscriber::fmt::init()` (crate `tracing-subscriber`) at the top of `main`, or
//! print the [`Loaded`] as above.
//!
//! # Five minutes to a service
//!
//! [`Health`] serves the report as probes, next to the app's own routes: `/health` (liveness,
//! 200 while the process serves) and `/ready` (readiness, 503 naming each failing variable
//! until the config holds, then 200), in axum with the `axum` feature:
//!
#![cfg_attr(feature = "axum", doc = "```no_run")]
#![cfg_attr(not(feature = "axum"), doc = "```ignore")]
//! use std::time::Duration;
//! use health::{Health, ReadinessContract};
//!
//! #[derive(ReadinessContract)]
//! struct Config {
//!     #[contract(secret)]
//!     database_url: String,
//!     #[contract(default = 8000)]
//!     port: u16,
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     let loaded = health::load::<Config>(); // never fails: the config and its report
//!     let port = loaded.config().map_or(8000, |config| config.port);
//!     let health = Health::builder().config(&loaded).build(); // one check per variable
//!     let app = axum::Router::new()
//!         .route("/", axum::routing::get(|| async { "hello" }))
//!         .merge(health::axum::router(health.clone())); // /health, /ready, /ready/<name>, ...
//!     let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
//!     axum::serve(listener, app)
//!         .with_graceful_shutdown(health.shutdown_on_signal(Duration::from_secs(5)))
//!         .await
//! }
//! ```
//!
//! Dependency checks (PostgreSQL, Redis, HTTP, any async function), passive checks on the
//! app's own calls, a request watchdog, live config, events, gRPC and metrics are in the
//! [guide]. The main example, voxflow, runs with `cargo run -p voxflow` from the repository.
//!
//! # The guide
//!
//! One chapter per capability, every example a test: [attributes](guide::attributes),
//! [loading and reports](guide/loading/index.html),
//! [probes and the runtime](guide/probes/index.html),
//! [built-in and passive checks](guide/checks/index.html),
//! [request-progress watchdog](guide/watchdog/index.html),
//! [live config](guide/live_config/index.html), [events and groups](guide/events/index.html),
//! [gRPC](guide/grpc/index.html), [metrics](guide/metrics/index.html),
//! [docs and the CLI](guide/cli/index.html), [verify](guide/verify/index.html),
//! [rules between variables](guide/rules/index.html), [measurements](guide::measurements).
//!
//! # Features
//!
//! The default features, `runtime` and `cli`, are the common path: [`Health`] and the probes,
//! and the `config ...` commands. With `default-features = false` the build is config-only:
//! the derive, the loader, [`Report`], [`Contract`] and `NAME_FILE` secrets, with no tokio, no
//! HTTP types and no JSON serializer.
//!
//! | feature | adds |
//! |---|---|
//! | `dotenv` | `.env` layers under the process environment ([`LayeredEnv`]) |
//! | `tracing` | [`load()`](fn@load)'s log events, one per failing variable (printed by the app's `tracing` subscriber) |
//! | `json` | [`Report::to_json`], `HEALTH_JSON`, the serde `Serialize` impls |
//! | `serde` | `#[contract(deserialize)]` |
//! | `docs` | [`docs`]: `.env.example`, Markdown, JSON Schema (implies `json`) |
//! | `cli` | [`cli`]: `config ...` commands (implies `docs`, `dotenv`) |
//! | `runtime` | [`Health`], checks, passive checks, watchdog, [`http`], [`live`] (implies `json`, `dotenv`, `tracing`) |
//! | `axum`, `actix`, `tower`, `grpc` | the probes in each framework (imply `runtime`) |
//! | `postgres`, `redis`, `http-client` | built-in dependency checks (imply `runtime`) |
//! | `prometheus` | metrics per check and `/metrics` (implies `runtime`) |
//! | `verify` | [`verify()`] and `config verify` (implies `cli`) |
//!

// Links to items behind a feature: the item when the feature is on, docs.rs otherwise.
#![cfg_attr(feature = "dotenv", doc = "[`LayeredEnv`]: LayeredEnv")]
#![cfg_attr(
    not(feature = "dotenv"),
    doc = "[`LayeredEnv`]: https://docs.rs/health-contract/latest/health/struct.LayeredEnv.html"
)]
#![cfg_attr(feature = "json", doc = "[`Report::to_json`]: Report::to_json")]
#![cfg_attr(
    not(feature = "json"),
    doc = "[`Report::to_json`]: https://docs.rs/health-contract/latest/health/struct.Report.html#method.to_json"
)]
#![cfg_attr(feature = "docs", doc = "[`docs`]: mod@docs")]
#![cfg_attr(
    not(feature = "docs"),
    doc = "[`docs`]: https://docs.rs/health-contract/latest/health/docs/index.html"
)]
#![cfg_attr(feature = "cli", doc = "[`cli`]: mod@cli")]
#![cfg_attr(
    not(feature = "cli"),
    doc = "[`cli`]: https://docs.rs/health-contract/latest/health/cli/index.html"
)]
#![cfg_attr(feature = "runtime", doc = "[`Health`]: Health")]
#![cfg_attr(
    not(feature = "runtime"),
    doc = "[`Health`]: https://docs.rs/health-contract/latest/health/struct.Health.html"
)]
#![cfg_attr(feature = "runtime", doc = "[`http`]: mod@http")]
#![cfg_attr(
    not(feature = "runtime"),
    doc = "[`http`]: https://docs.rs/health-contract/latest/health/http/index.html"
)]
#![cfg_attr(feature = "runtime", doc = "[`live`]: mod@live")]
#![cfg_attr(
    not(feature = "runtime"),
    doc = "[`live`]: https://docs.rs/health-contract/latest/health/live/index.html"
)]
#![cfg_attr(feature = "verify", doc = "[`verify()`]: fn@verify")]
#![cfg_attr(
    not(feature = "verify"),
    doc = "[`verify()`]: https://docs.rs/health-contract/latest/health/fn.verify.html"
)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use health_core::{
    Activation, Bounds, Choice, ChoiceMode, ChoiceSpec, Code, Constraints, Contract, ContractError,
    Data, DataValue, Failures, Field, FieldKind, LenBounds, Loaded, Observed, OptionalGroup,
    Origin, Outcome, ProcessEnv, ReadinessContract, RedactedDebug, Report, ReportEntry,
    Requirement, Rule, RuleKind, Setting, Source, Status, ValueError, ValueRule, VarSpec, Variable,
    Variant, VariantSpec, Vars, Warning, load, load_from,
};
#[cfg(feature = "dotenv")]
pub use health_core::{DotEnvError, LayeredEnv};
pub use health_derive::ReadinessContract;

#[cfg(feature = "json")]
pub use health_core::HEALTH_JSON;
#[cfg(feature = "cli")]
pub use health_core::cli;
#[cfg(feature = "docs")]
pub use health_core::docs;
#[cfg(feature = "runtime")]
pub use health_core::{
    BoxFuture, CheckChange, CheckSettings, CircuitBreaker, CircuitBreakerBuilder, CircuitState,
    CircuitSummary, ConfigReport, EVENT_QUEUE, Event, Health, HealthBuilder, HealthCheck,
    Heartbeat, InFlightRequest, Probe, ProbeChange, Refresh, RequestWatchdog, Signal, Subscription,
    shutdown_signal,
};
#[cfg(feature = "runtime")]
pub use health_core::{checks, live::live};

#[cfg(feature = "actix")]
pub use health_core::adapters::actix;
#[cfg(feature = "axum")]
pub use health_core::adapters::axum;
#[cfg(feature = "tower")]
pub use health_core::adapters::tower;
#[cfg(feature = "grpc")]
pub use health_core::grpc;
/// `health::verify::<Config>(files)`, and the module with its options and report (feature
/// `verify`): a deploy's Kubernetes manifests, Compose files and `.env` files checked against
/// the contract.
#[cfg(feature = "verify")]
pub use health_core::verify;

/// A config that follows its files: `NAME_FILE` secrets that appear after the start or
/// rotate, and `.env` layers, read again on an interval and on SIGHUP.
///
/// ```
/// use std::time::Duration;
/// use health::{Health, ReadinessContract, Vars};
/// use health::live::{LiveConfig, Reload};
///
/// #[derive(Debug, ReadinessContract)]
/// struct Config {
///     #[contract(secret)]
///     api_key: String,
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let dir = tempfile::tempdir().unwrap();
/// let key = dir.path().join("api_key");
/// let vars: Vars = [("API_KEY_FILE", &key)].into_iter().collect();
/// let config = LiveConfig::<Config>::builder()
///     .vars(vars) // the process environment, in a real service
///     .reload_every(Duration::from_secs(5))
///     .load();
/// let health = Health::builder().config(&config).build();
/// assert!(!health.is_ready().await); // the mounted Secret is not there yet
///
/// std::fs::write(&key, "k-123").unwrap(); // it appears
/// assert_eq!(config.reload(), Reload::Updated); // what the interval or SIGHUP does
/// assert!(health.is_ready().await);
/// assert_eq!(config.ready().await.api_key, "k-123");
/// # }
/// ```
#[cfg(feature = "runtime")]
pub mod live {
    pub use health_core::live::*;
}

/// The framework-agnostic HTTP entry and its routes.
#[cfg(feature = "runtime")]
pub mod http {
    pub use health_core::http::*;
}

/// How raw values become typed values; reusable from a `parse_with` function.
pub mod value {
    pub use health_core::value::*;
}

pub mod guide;

/// The README's examples, compiled and run as doctests (with the features its examples use).
#[cfg(all(doctest, feature = "axum", feature = "cli"))]
#[doc = include_str!("../README.md")]
mod readme {}

/// Helpers for the code `#[derive(ReadinessContract)]` writes. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use core::option::Option;
    pub use core::result::Result;
    pub use health_core::constraint::range;
    pub use health_core::contract::{
        Activation, Bounds, Constraints, Contract, Field, LenBounds, Requirement, ValueRule,
        VarSpec,
    };
    pub use health_core::load::parse::{
        Nested, bool, deserialize, duration, from_str, from_string, integer, os_string, string,
    };
    pub use health_core::load::{IfAbsent, Loader, ReadinessContract, Refusal, verdict};
    pub use health_core::load::{Presence, RuleInput, condition, toggle};
    pub use health_core::redact::{Redacted, nested as nested_debug};
    pub use health_core::rule::{RuleKind, RuleSpec};
    pub use health_core::setting::Setting;
    pub use health_core::value::parse_with;
    pub use health_core::variant::{ChoiceMode, ChoiceSpec, VariantSpec};
    pub use std::borrow::Cow;
    pub use std::ffi::OsStr;
    pub use std::string::String;
}
