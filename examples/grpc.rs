//! voxflow's readiness over gRPC: the standard `grpc.health.v1.Health` service on tonic,
//! for Kubernetes' `grpc:` probes, `grpc_health_probe`, Envoy or a gRPC client's own health
//! checking.
//!
//! It always starts, even with a broken config: the overall status (service `""`) is
//! `NOT_SERVING` until every variable holds, each variable is a service of its own
//! (`grpc_health_probe -service=PUBLIC_URL` says which one is wrong), and SIGTERM turns
//! everything `NOT_SERVING` for a short drain before the server stops. `Watch` streams are
//! pushed from the runtime's state changes: a change reaches a watcher at once.
//!
//! It also serves gRPC reflection from `health::grpc::FILE_DESCRIPTOR_SET`, so that
//! `grpcurl` finds the service without a `.proto`.
//!
//! ```sh
//! TWILIO_ACCOUNT_SID=AC123 TWILIO_AUTH_TOKEN=... ULTRAVOX_API_KEY=... \
//! N8N_WEBHOOK_URL=https://n8n.example/webhook/calls PUBLIC_URL=https://voxflow.example \
//! cargo run --example grpc --features grpc
//! grpc_health_probe -addr=127.0.0.1:8000
//! grpc_health_probe -addr=127.0.0.1:8000 -service=PUBLIC_URL
//! grpcurl -plaintext 127.0.0.1:8000 describe grpc.health.v1.Health
//! grpcurl -plaintext -d '{"service":"PUBLIC_URL"}' 127.0.0.1:8000 grpc.health.v1.Health/Watch
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use health::grpc::{FILE_DESCRIPTOR_SET, HealthServer};
use health::{Health, ReadinessContract};
use url::Url;

/// How long readiness reports `NOT_SERVING` after SIGTERM before the server stops. Short
/// for the example; in Kubernetes, give the endpoints a few seconds to drop the pod.
const DRAIN: Duration = Duration::from_secs(1);

/// Where the service listens.
#[derive(Debug, ReadinessContract)]
struct Server {
    /// TCP port on 127.0.0.1.
    #[contract(default = 8000)]
    port: u16,
}

/// Everything voxflow needs to take a call.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)] // read by voxflow's call handlers, which this example leaves out
struct Config {
    /// Twilio account that receives the calls.
    twilio_account_sid: String,
    /// Twilio auth token, to verify webhook signatures.
    #[contract(secret)]
    twilio_auth_token: String,
    /// Ultravox API key, to start the voice session.
    #[contract(secret)]
    ultravox_api_key: String,
    /// n8n webhook that receives call transcripts.
    n8n_webhook_url: Url,
    /// Public base URL of this service, so Twilio can reach the media stream.
    public_url: Url,
    /// Listening settings.
    #[contract(nested)]
    server: Server,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_target(false).init();

    // One log line per failing variable; never exits on a broken config.
    let loaded = health::load::<Config>();
    let port = match loaded.config() {
        Some(config) => config.server.port,
        // PORT may be fine even when something else is not.
        None => Server::from_env().map_or(8000, |s| s.port),
    };
    let health = Health::builder().config(&loaded).build();
    if !loaded.report().is_ready() {
        tracing::warn!(
            failing = loaded.report().failures().count(),
            "config is incomplete: the gRPC health service answers NOT_SERVING"
        );
    }

    // Reflection (tonic-reflection), for clients that discover services: grpcurl, Postman.
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .build_v1()?;

    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    tracing::info!(%addr, "gRPC health service listening");
    tonic::transport::Server::builder()
        .add_service(HealthServer::new(health.clone()))
        .add_service(reflection)
        .serve_with_shutdown(addr, health.shutdown_on_signal(DRAIN))
        .await?;
    tracing::info!("stopped");
    Ok(())
}
