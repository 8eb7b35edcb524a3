//! The guide: one chapter per capability, each opening with something that runs.
//!
//! This module holds no API, only documentation. Every example in it is a test, compiled and
//! run by `cargo test --workspace --all-features`, so the guide cannot drift from the code.
//! Chapters that need a feature say so; the crate's own docs have the five-minute path.
//!
//! | chapter | what it covers |
//! |---|---|
//! | [Attributes](attributes/index.html) | every `#[contract(...)]` key, how each type is read, the compile errors |
//! | [Loading and reports](loading/index.html) | `from_env`, `health::load` and `Loaded`, the codes, `ContractError`, `.env` layers, `NAME_FILE` secrets, origins |
//! | [Probes and the runtime](probes/index.html) | `Health`: timeouts, refresh, thresholds, startup, shutdown, routes, the framework adapters |
//! | [Built-in and passive checks](checks/index.html) | PostgreSQL, Redis, HTTP, TCP, queue lag; circuit breakers on the app's own calls |
//! | [Request-progress watchdog](watchdog/index.html) | liveness that fails when requests stop completing |
//! | [Live config](live_config/index.html) | secrets that appear or rotate after the start |
//! | [Events and groups](events/index.html) | every state change in order; `/ready/group/<name>` |
//! | [gRPC](grpc/index.html) | the standard `grpc.health.v1` service |
//! | [Metrics](metrics/index.html) | Prometheus status, latency and failures per check |
//! | [Docs and the CLI](cli/index.html) | `.env.example`, Markdown, JSON Schema, Kubernetes probes; `config check` |
//! | [Verify](verify/index.html) | a deploy's manifests, Secrets and Compose files checked in CI |
//! | [Rules between variables](rules/index.html) | rules on the struct, optional groups, selected variants, derived defaults, warnings and deprecations |
//! | [Measurements](measurements/index.html) | what was measured and how; comparisons with envy, envconfig, confique |

#[doc = include_str!("attributes.md")]
pub mod attributes {}

#[cfg(feature = "dotenv")]
#[doc = include_str!("loading.md")]
pub mod loading {}

#[cfg(all(feature = "axum", feature = "actix", feature = "tower"))]
#[doc = include_str!("probes.md")]
pub mod probes {}

#[cfg(all(feature = "postgres", feature = "redis", feature = "http-client"))]
#[doc = include_str!("checks.md")]
pub mod checks {}

#[cfg(feature = "axum")]
#[doc = include_str!("watchdog.md")]
pub mod watchdog {}

#[cfg(feature = "runtime")]
#[doc = include_str!("live_config.md")]
pub mod live_config {}

#[cfg(feature = "runtime")]
#[doc = include_str!("events.md")]
pub mod events {}

#[cfg(feature = "grpc")]
#[doc = include_str!("grpc.md")]
pub mod grpc {}

#[cfg(feature = "prometheus")]
#[doc = include_str!("metrics.md")]
pub mod metrics {}

#[cfg(all(feature = "cli", feature = "runtime"))]
#[doc = include_str!("cli.md")]
pub mod cli {}

#[cfg(feature = "verify")]
#[doc = include_str!("verify.md")]
pub mod verify {}

#[doc = include_str!("rules.md")]
pub mod rules {}

#[doc = include_str!("measurements.md")]
pub mod measurements {}
