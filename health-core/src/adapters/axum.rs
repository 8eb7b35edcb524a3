//! The probes as an axum 0.8 [`Router`], and the request watchdog as a layer
//! ([`RequestWatchdogLayer`], the same type as `health::tower::RequestWatchdogLayer`).

use ::axum::Router;
use ::axum::body::Body;
use ::axum::http::Uri;
use ::axum::response::Response;
use ::axum::routing::get;

use crate::runtime::Health;

pub use super::watchdog::{RequestWatchdogFuture, RequestWatchdogLayer, RequestWatchdogService};

/// A router that answers every path under its mount point with
/// [`Health::respond`](crate::Health::respond): `/health`, `/livez`, `/ready`, `/readyz`,
/// `/startup`, `/startupz`, `/ready/<check>` and their queries; `404` for any other path,
/// `405` for a method other than `GET` or `HEAD`.
///
/// Nest it under a prefix. It takes any router state, so it nests into a
/// `Router<AppState>` as it is. It can be merged at the root too, but it holds a catch-all
/// route (`/{*path}`): the app's own routes still win, every other path is claimed (a `GET`
/// answered by `respond`, with its `404` for a path that is not a probe, any other method a
/// `405`), so the app's fallback is no longer reached and the app cannot have a catch-all of
/// its own. To keep them, put `health::tower::HealthLayer` (feature `tower`)
/// in front of the app instead: it claims only the probe paths.
///
/// ```
/// # mod health { use health_core as inner; pub use inner::*; pub use inner::adapters::axum; }
/// use axum::{Router, routing::get};
/// use health::{Health, Outcome};
///
/// let health = Health::builder()
///     .readiness("cache", || async { Outcome::pass() })
///     .build();
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .nest("/internal", health::axum::router(health.clone())) // /internal/ready
///     .merge(health::axum::router(health)); // /ready
/// ```
pub fn router<S>(health: Health) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new().route(
        "/{*path}",
        get(move |uri: Uri| {
            let health = health.clone();
            async move { respond(&health, &uri).await }
        }),
    )
}

/// Answers one request; a nested router sees `uri` relative to its mount point.
async fn respond(health: &Health, uri: &Uri) -> Response {
    health
        .respond(uri.path(), uri.query())
        .await
        .map(Body::from)
}
