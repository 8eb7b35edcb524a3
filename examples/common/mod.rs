//! What the adapter examples (axum, actix, tower_hyper) share: their settings, read with the
//! derive, and a `Health` with one readiness check and a worker heartbeat.

// Each example uses the parts it needs.
#![allow(dead_code)]

use std::time::Duration;

use health::{Health, Outcome, ReadinessContract, checks};

/// Settings of the adapter examples.
#[derive(Debug, ReadinessContract)]
pub struct Settings {
    /// TCP port on 127.0.0.1 (each example has its own default).
    pub port: Option<u16>,
    /// A dependency to check with a TCP connect; without it, a check that always passes.
    pub dependency_addr: Option<String>,
    /// tower_hyper only: a second port where `HealthService` alone serves the probes.
    pub admin_port: Option<u16>,
}

/// The settings from the environment, or an error naming every bad variable.
pub fn settings() -> std::io::Result<Settings> {
    Settings::from_env().map_err(std::io::Error::other)
}

/// A readiness check (a TCP connect to `DEPENDENCY_ADDR`, or a closure) and a heartbeat.
pub fn probes(settings: &Settings) -> Health {
    let builder = Health::builder().timeout(Duration::from_millis(300));
    let builder = match &settings.dependency_addr {
        Some(addr) => builder.readiness("dependency", checks::tcp(addr.clone())),
        None => builder.readiness("dependency", || async { Outcome::pass() }),
    };
    builder
        .refresh_every(Duration::from_secs(2))
        .liveness_heartbeat("worker", Duration::from_secs(10))
        .build()
}

/// The app's worker loop, ticking its heartbeat.
pub fn tick(health: &Health) {
    if let Some(worker) = health.heartbeat("worker") {
        tokio::spawn(async move {
            loop {
                worker.tick();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}
