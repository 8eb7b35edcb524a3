//! The probes as a tower service served by hyper 1: `health::tower::HealthService` on its
//! own, or `health::tower::HealthLayer` in front of an app service.
//!
//! ```sh
//! DEPENDENCY_ADDR=127.0.0.1:5432 cargo run --example tower_hyper --features tower
//! curl -i localhost:8004/readyz?verbose     # answered by health
//! curl -i localhost:8004/orders             # answered by the app
//! ```
//!
//! With `ADMIN_PORT` set, `HealthService` alone also serves the probes on that port.
//!
//! Without `DEPENDENCY_ADDR` the readiness check is a plain async closure that passes. On
//! SIGTERM or Ctrl-C readiness turns 503 (`shutting_down`) for two seconds, then the server
//! stops accepting connections and waits for the open ones.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::task::{Context, Poll};
use std::time::Duration;

mod common;

use bytes::Bytes;
use health::tower::{HealthLayer, HealthService};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_layer::Layer;
use tower_service::Service;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let settings = common::settings()?;
    let app_port = settings.port.unwrap_or(8004);
    let health = common::probes(&settings);
    common::tick(&health);
    let (stop, stopped) = watch::channel(false);
    let mut servers = JoinSet::new();

    // Probe paths go to `health`, everything else to the app.
    let app = HealthLayer::new(health.clone()).layer(App);
    let listener = TcpListener::bind(("127.0.0.1", app_port)).await?;
    tracing::info!("listening on http://127.0.0.1:{app_port} (probes and app)");
    servers.spawn(serve(listener, app, stopped.clone()));

    // The probes alone, on an admin port, when ADMIN_PORT is set.
    if let Some(admin_port) = settings.admin_port {
        let listener = TcpListener::bind(("127.0.0.1", admin_port)).await?;
        tracing::info!("listening on http://127.0.0.1:{admin_port} (probes only)");
        servers.spawn(serve(listener, HealthService::new(health.clone()), stopped));
    }

    // SIGTERM or Ctrl-C: readiness fails for the drain, then the servers stop.
    health.shutdown_on_signal(Duration::from_secs(2)).await;
    let _ = stop.send(true);
    for result in servers.join_all().await {
        result?;
    }
    Ok(())
}

/// Serves `service` over HTTP/1.1 until `stopped` turns true, then waits (up to 5 s) for the
/// open connections to finish.
async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<()>
where
    S: Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop_requested(&mut stopped) => break,
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                let service = TowerToHyperService::new(service.clone());
                let mut stopped = stopped.clone();
                connections.spawn(async move {
                    let connection = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(connection);
                    let served = tokio::select! {
                        served = connection.as_mut() => served,
                        () = stop_requested(&mut stopped) => {
                            // Finish the request in flight, then close the connection.
                            connection.as_mut().graceful_shutdown();
                            connection.await
                        }
                    };
                    if let Err(e) = served {
                        tracing::debug!("connection: {e}");
                    }
                });
            }
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), connections.join_all()).await;
    Ok(())
}

/// Resolves once the stop flag is set (or its sender is gone).
async fn stop_requested(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// The app: answers every path with a short text.
#[derive(Clone)]
struct App;

impl<B> Service<Request<B>> for App {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let body = format!("hello from the app at {}\n", request.uri().path());
        ready(Ok(Response::new(Full::new(Bytes::from(body)))))
    }
}
