//! Framework adapters: thin layers over [`Health::respond`](crate::Health::respond), each
//! behind a Cargo feature.
//!
//! | feature | entry | mount |
//! |---|---|---|
//! | `axum` | `health::axum::router` | `Router::nest("/internal", router(health))` or `merge` at the root |
//! | `actix` | `health::actix::scope` | `App::service(scope("/internal", health))` |
//! | `tower` | `health::tower::HealthService`, `health::tower::HealthLayer` | hyper 1 directly, or a layer in front of an app |
//! | `axum` or `tower` | `health::axum::RequestWatchdogLayer` (also `health::tower::RequestWatchdogLayer`) | `Router::layer`, or any tower stack: the [`RequestWatchdog`](crate::RequestWatchdog) counts the app's requests |
//! | `actix` | `health::actix::RequestWatchdogMiddleware` | `App::wrap`: the same for actix-web |
//!
//! Each probe adapter forwards every path under its mount point, with its query, to
//! `respond`, so the routes (`/health`, `/livez`, `/ready`, `/readyz`, `/startup`,
//! `/startupz`, `/ready/<check>`, and whatever `respond` learns to answer) are decided in one
//! place; the exception is `HealthLayer`, which shares its paths with an app and so takes only
//! the probe paths and `/metrics`. `GET` and `HEAD` are answered; any other method gets
//! `405 Method Not Allowed`.

#[cfg(feature = "actix")]
pub mod actix;
#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "tower")]
pub mod tower;
mod watchdog;

/// The `Allow` header of a `405` answer.
#[cfg(any(feature = "actix", feature = "tower"))]
const ALLOW: &str = "GET,HEAD";
