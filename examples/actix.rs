//! The probes in an actix-web 4 app, through `health::actix::scope`, mounted under
//! `/internal`.
//!
//! ```sh
//! DEPENDENCY_ADDR=127.0.0.1:5432 cargo run --example actix --features actix
//! curl -i localhost:8003/internal/readyz?verbose
//! ```
//!
//! Without `DEPENDENCY_ADDR` the readiness check is a plain async closure that passes. On
//! SIGTERM or Ctrl-C readiness turns 503 (`shutting_down`) for two seconds, then the server
//! stops gracefully.

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
mod common;

fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    // What `#[actix_web::main]` expands to, without actix's `macros` feature.
    let settings = common::settings()?;
    actix_web::rt::System::new().block_on(serve(settings))
}

async fn serve(settings: common::Settings) -> std::io::Result<()> {
    let port = settings.port.unwrap_or(8003);
    let health = common::probes(&settings);
    common::tick(&health);

    let probes = health.clone();
    let server = HttpServer::new(move || {
        App::new()
            .route(
                "/",
                web::get().to(|| async { HttpResponse::Ok().body("hello from actix\n") }),
            )
            // /internal/health, /internal/ready, /internal/ready/dependency, ...
            .service(health::actix::scope("/internal", probes.clone()))
    })
    // The drain below decides when to stop, not actix's own signal handling.
    .disable_signals()
    .bind(("127.0.0.1", port))?
    .run();
    tracing::info!("listening on http://127.0.0.1:{port} (probes at /internal)");

    let handle = server.handle();
    actix_web::rt::spawn(async move {
        health.shutdown_on_signal(Duration::from_secs(2)).await;
        handle.stop(true).await;
    });
    server.await
}
