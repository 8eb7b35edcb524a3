//! Runtime of the [`health`](https://docs.rs/health) crate: variable sources, value parsing,
//! static contracts and readiness reports. Use it through the `health` facade.

#![forbid(unsafe_code)]

#[cfg(any(feature = "axum", feature = "actix", feature = "tower"))]
pub mod adapters;
pub mod check;
pub mod checks;
pub mod cli;
pub mod contract;
pub mod docs;
pub mod error;
#[cfg(feature = "grpc")]
pub mod grpc;
pub mod health;
pub mod heartbeat;
pub mod http;
pub mod load;
mod metrics;
pub mod outcome;
pub mod report;
pub mod source;
pub mod status;
pub mod value;

pub use check::{BoxFuture, HealthCheck};
pub use contract::{Contract, Field, FieldKind, Requirement, VarSpec, Variable};
pub use error::ContractError;
pub use health::{
    CheckSettings, ConfigReport, Health, HealthBuilder, Probe, Refresh, shutdown_signal,
};
pub use heartbeat::Heartbeat;
pub use load::{Loaded, ReadinessContract, load, load_from};
pub use outcome::{Observed, Outcome};
pub use report::{Check, Failures, HEALTH_JSON, Report};
pub use source::{DotEnvError, Env, Origin, ProcessEnv, Source, Vars};
pub use status::{Code, Status};
pub use value::ValueError;
