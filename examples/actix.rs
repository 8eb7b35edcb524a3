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
use health::{Health, Outcome, checks};

fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    // What `#[actix_web::main]` expands to, without actix's `macros` feature.
    actix_web::rt::System::new().block_on(serve(port(8003)))
}

async fn serve(port: u16) -> std::io::Result<()> {
    let health = probes();
    tick(&health);

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

/// `PORT`, or `default` when unset or not a port.
fn port(default: u16) -> u16 {
    std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(default)
}

/// A readiness check (a TCP connect to `DEPENDENCY_ADDR`, or a closure) and a heartbeat.
fn probes() -> Health {
    let builder = Health::builder().timeout(Duration::from_millis(300));
    let builder = match std::env::var("DEPENDENCY_ADDR") {
        Ok(addr) => builder.readiness("dependency", checks::tcp(addr)),
        Err(_) => builder.readiness("dependency", || async { Outcome::pass() }),
    };
    builder
        .refresh_every(Duration::from_secs(2))
        .liveness_heartbeat("worker", Duration::from_secs(10))
        .build()
}

/// The app's worker loop, ticking its heartbeat.
fn tick(health: &Health) {
    if let Some(worker) = health.heartbeat("worker") {
        actix_web::rt::spawn(async move {
            loop {
                worker.tick();
                actix_web::rt::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}
