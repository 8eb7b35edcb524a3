//! Runtime of the [`health-contract`](https://docs.rs/health-contract) crate (the library
//! `health`): variable sources, value parsing, static contracts, readiness reports, and the
//! probe runtime. Use it through the `health` facade.
//!
//! | module | concept |
//! |---|---|
//! | [`source`] | where variable values come from; `.env` layers with feature `dotenv` |
//! | [`value`] | how a raw value becomes a typed value |
//! | [`contract`] | the static description of a config type |
//! | [`rule`] | rules between variables and optional groups, as contract data |
//! | [`variant`] | selected variants: an enum of config structs, one chosen per load |
//! | [`setting`] | a field's value with whether it was set or defaulted |
//! | [`constraint`] | `range`, `one_of` and `len`: how the loader checks them, and their rules in words |
//! | [`load`](mod@load) | the loader the derive drives, and [`load()`](fn@load) |
//! | [`report`], [`outcome`], [`status`] | what was found: entries, outcomes, statuses and codes |
//! | [`checks`] | (feature `runtime`) the [`HealthCheck`] trait and built-in dependency checks |
//! | [`live`] | (feature `runtime`) [`LiveConfig`](live::LiveConfig): a config that follows its `NAME_FILE` and `.env` files |
//! | [`runtime`] | (feature `runtime`) [`Health`]: timeouts, caching, thresholds, startup, shutdown |
//! | [`passive`] | (feature `runtime`) [`CircuitBreaker`]: dependency health from the outcomes of real calls |
//! | [`http`] | (feature `runtime`) one framework-agnostic HTTP entry, and adapters behind features |
//! | [`watchdog`] | (feature `runtime`) [`RequestWatchdog`]: liveness from the progress of real requests |
//! | [`docs`], [`cli`] | (features `docs`, `cli`) docs, manifests and `config ...` commands from the contract |
//! | `verify` | (feature `verify`) a deploy's manifests, Compose and `.env` files against the contract |
//!
//! With no features (`default-features = false`) this is the config-only build: sources,
//! values, contracts, the loader and reports, with no tokio, no HTTP types and no JSON
//! serializer. `dotenv` adds `.env` layers ([`LayeredEnv`]), `tracing` the log events of
//! [`load()`](fn@load), `json` `Report::to_json` and the serde impls, `runtime` everything
//! async (and implies `dotenv`, `tracing` and `json`).

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(feature = "axum", feature = "actix", feature = "tower"))]
pub mod adapters;
#[cfg(feature = "runtime")]
pub mod checks;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "runtime")]
mod clock;
pub mod constraint;
pub mod contract;
#[cfg(feature = "docs")]
pub mod docs;
pub mod error;
#[cfg(feature = "grpc")]
pub mod grpc;
#[cfg(feature = "runtime")]
pub mod http;
#[cfg(feature = "runtime")]
pub mod live;
pub mod load;
#[cfg(feature = "runtime")]
mod metrics;
pub mod outcome;
#[cfg(feature = "runtime")]
pub mod passive;
#[doc(hidden)]
pub mod redact;
pub mod report;
pub mod rule;
#[cfg(feature = "runtime")]
pub mod runtime;
pub mod setting;
pub mod source;
pub mod status;
mod stray;
pub mod suggest;
pub mod value;
pub mod variant;
#[cfg(feature = "verify")]
pub mod verify;
#[cfg(feature = "runtime")]
pub mod watchdog;

#[cfg(feature = "runtime")]
pub use checks::{BoxFuture, HealthCheck};
pub use contract::{
    Activation, Bounds, Constraints, Contract, Field, FieldKind, LenBounds, Requirement, ValueRule,
    VarSpec, Variable,
};
pub use error::ContractError;
pub use load::{Loaded, ReadinessContract, Warning, load, load_from};
pub use outcome::{Data, DataValue, Observed, Outcome};
#[cfg(feature = "runtime")]
pub use passive::{CircuitBreaker, CircuitBreakerBuilder, CircuitState, CircuitSummary};
pub use redact::RedactedDebug;
#[cfg(feature = "json")]
pub use report::HEALTH_JSON;
pub use report::{Failures, Report, ReportEntry};
pub use rule::{OptionalGroup, Rule, RuleKind, RuleSpec};
#[cfg(feature = "runtime")]
pub use runtime::{
    CheckChange, CheckSettings, ConfigReport, EVENT_QUEUE, Event, Health, HealthBuilder, Heartbeat,
    Probe, ProbeChange, Refresh, Signal, Subscription, shutdown_signal,
};
pub use setting::Setting;
#[cfg(feature = "dotenv")]
pub use source::{DotEnvError, LayeredEnv};
pub use source::{Origin, ProcessEnv, Source, Vars};
pub use status::{Code, Status};
pub use value::ValueError;
pub use variant::{Choice, ChoiceMode, ChoiceSpec, Variant, VariantSpec};
#[cfg(feature = "verify")]
pub use verify::verify;
#[cfg(feature = "runtime")]
pub use watchdog::{InFlightRequest, RequestWatchdog};
