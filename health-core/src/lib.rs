//! Runtime of the [`health`](https://docs.rs/health) crate: variable sources, value parsing,
//! static contracts, readiness reports, and the probe runtime. Use it through the `health`
//! facade.
//!
//! | module | concept |
//! |---|---|
//! | [`source`] | where variable values come from |
//! | [`value`] | how a raw value becomes a typed value |
//! | [`contract`] | the static description of a config type |
//! | [`constraint`] | `range`, `one_of` and `len`: how the loader checks them, and their rules in words |
//! | [`load`](mod@load) | the loader the derive drives, and [`load()`](fn@load) |
//! | [`report`], [`outcome`], [`status`] | what was found: entries, outcomes, statuses and codes |
//! | [`checks`] | the [`HealthCheck`] trait and built-in dependency checks |
//! | [`live`] | [`LiveConfig`](live::LiveConfig): a config that follows its `NAME_FILE` and `.env` files |
//! | [`runtime`] | [`Health`]: timeouts, caching, thresholds, startup, shutdown |
//! | [`passive`] | [`CircuitBreaker`]: dependency health from the outcomes of real calls |
//! | [`http`] | one framework-agnostic HTTP entry, and adapters behind features |
//! | [`watchdog`] | [`RequestWatchdog`]: liveness from the progress of real requests |
//! | [`docs`], [`cli`] | docs, manifests and `config ...` commands from the contract |
//! | `verify` | (feature `verify`) a deploy's manifests, Compose and `.env` files against the contract |

#![forbid(unsafe_code)]

#[cfg(any(feature = "axum", feature = "actix", feature = "tower"))]
pub mod adapters;
pub mod checks;
pub mod cli;
mod clock;
pub mod constraint;
pub mod contract;
pub mod docs;
pub mod error;
#[cfg(feature = "grpc")]
pub mod grpc;
pub mod http;
pub mod live;
pub mod load;
mod metrics;
pub mod outcome;
pub mod passive;
pub mod report;
pub mod runtime;
pub mod source;
pub mod status;
mod stray;
pub mod suggest;
pub mod value;
#[cfg(feature = "verify")]
pub mod verify;
pub mod watchdog;

pub use checks::{BoxFuture, HealthCheck};
pub use contract::{
    Bounds, Constraints, Contract, Field, FieldKind, LenBounds, Requirement, Rule, VarSpec,
    Variable,
};
pub use error::ContractError;
pub use load::{Loaded, ReadinessContract, load, load_from};
pub use outcome::{Observed, Outcome};
pub use passive::{CircuitBreaker, CircuitBreakerBuilder, CircuitState, CircuitSummary};
pub use report::{Failures, HEALTH_JSON, Report, ReportEntry};
pub use runtime::{
    CheckChange, CheckSettings, ConfigReport, EVENT_QUEUE, Event, Health, HealthBuilder, Heartbeat,
    Probe, ProbeChange, Refresh, Signal, Subscription, shutdown_signal,
};
pub use source::{DotEnvError, LayeredEnv, Origin, ProcessEnv, Source, Vars};
pub use status::{Code, Status};
pub use value::ValueError;
#[cfg(feature = "verify")]
pub use verify::verify;
pub use watchdog::{InFlightRequest, RequestWatchdog};
