//! The probes in an axum 0.8 app, through `health::axum::router`: nested under `/internal`
//! and merged at the root, next to the app's own routes.
//!
//! ```sh
//! DEPENDENCY_ADDR=127.0.0.1:5432 cargo run --example axum --features axum
//! curl -i localhost:8002/internal/readyz?verbose
//! curl -i localhost:8002/ready
//! ```
//!
//! Without `DEPENDENCY_ADDR` the readiness check is a plain async closure that passes. On
//! SIGTERM or Ctrl-C readiness turns 503 (`shutting_down`) for two seconds, then the server
//! stops.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
mod common;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let settings = common::settings()?;
    let port = settings.port.unwrap_or(8002);
    let health = common::probes(&settings);
    common::tick(&health);

    let app = Router::new()
        .route("/", get(|| async { "hello from axum\n" }))
        // /internal/health, /internal/ready, /internal/ready/dependency, ...
        .nest("/internal", health::axum::router(health.clone()))
        // /health, /ready, ... at the root too: the app's own routes win over its catch-all.
        .merge(health::axum::router(health.clone()));

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    tracing::info!("listening on http://127.0.0.1:{port} (probes at / and /internal)");
    axum::serve(listener, app)
        .with_graceful_shutdown(health.shutdown_on_signal(Duration::from_secs(2)))
        .await
}
