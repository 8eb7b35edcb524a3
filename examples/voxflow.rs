//! voxflow: the web side of a voice agent (Twilio calls in, Ultravox talks, n8n gets the
//! transcript), with a readiness contract from its config and the probes of a `Health` built
//! from it, served next to its Twilio webhook.
//!
//! It always starts, even with a broken config: it logs one line per failing variable,
//! liveness answers 200 while the process serves, and readiness answers 503 naming every
//! missing or bad variable until the config holds (the webhook answers 503 too), so a bad
//! deploy stalls at "0/3 ready" instead of dropping calls.
//!
//! Routes, from `health::axum::router` merged next to `POST /twilio/voice`:
//!
//! | path | answers |
//! |---|---|
//! | `/health`, `/livez` | liveness: 200 while the process serves |
//! | `/ready`, `/readyz` | readiness: one entry per config variable, keyed by its name |
//! | `/startup`, `/startupz` | startup: over at once (the config is read before the port opens) |
//! | `/ready/<VARIABLE>` | one variable, e.g. `/ready/PUBLIC_URL` (404 for an unknown name) |
//! | `?verbose`, `?exclude=NAME` | Kubernetes' text (`[-]PUBLIC_URL ...`), a variable left out |
//!
//! What the probes do not do, on purpose:
//!
//! - No probe ever calls Twilio, Ultravox or n8n. Pinging them costs money per call, and a
//!   two-minute blip at Ultravox would fail every replica's readiness at once, dropping traffic
//!   that calls in flight would have survived. Gauge the downstreams from real call outcomes
//!   (metrics on the calls themselves), not from synthetic probes.
//! - Liveness has no heartbeat: voxflow has no loop of its own that could wedge (the webhook
//!   runs per request, the media bridge per call), and a heartbeat ticked by a loop invented
//!   for it would prove nothing more than `/health` answering does. Liveness is "the process
//!   serves HTTP"; a wedged runtime fails it by not answering within the probe's timeout.
//!
//! SIGTERM (or Ctrl-C) drains: readiness answers 503 with `shutting_down` for
//! `SHUTDOWN_DRAIN` (default 5s) while liveness stays 200 and calls already routed here still
//! connect, then the server stops and the process exits 0. With a broken config there is
//! nothing to drain (readiness never passed, so no load balancer sent it traffic): it stops
//! at once.
//!
//! ```sh
//! TWILIO_ACCOUNT_SID=AC123 TWILIO_AUTH_TOKEN=... ULTRAVOX_API_KEY=... \
//! N8N_WEBHOOK_URL=https://n8n.example/webhook/calls PUBLIC_URL=https://voxflow.example \
//! cargo run --example voxflow --features axum
//! curl -i localhost:8000/ready
//! curl -i 'localhost:8000/readyz?verbose'
//! cargo run --example voxflow --features axum -- config check   # or: probes, example, help
//! ```

use std::io::IsTerminal;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use health::{Health, Loaded, ReadinessContract};
use url::Url;

/// Where the service listens and how it stops.
#[derive(Debug, ReadinessContract)]
struct Server {
    /// TCP port on 127.0.0.1.
    #[contract(default = 8000)]
    port: u16,
    /// How long readiness answers 503 (`shutting_down`) after SIGTERM before the server
    /// stops: time for the load balancer to stop sending calls here. Keep it under the pod's
    /// terminationGracePeriodSeconds (30s by default).
    #[contract(default = "5s")]
    shutdown_drain: Duration,
}

/// Everything voxflow needs to take a call.
#[derive(Debug, ReadinessContract)]
struct Config {
    /// Twilio account that receives the calls.
    twilio_account_sid: String,
    /// Twilio auth token, to verify webhook signatures.
    #[contract(secret)]
    twilio_auth_token: String,
    /// Ultravox API key, to start the voice session.
    #[contract(secret)]
    #[allow(dead_code)] // read by the media-stream bridge, which this example leaves out
    ultravox_api_key: String,
    /// n8n webhook that receives call transcripts.
    n8n_webhook_url: Url,
    /// Public base URL of this service, so Twilio can reach the media stream.
    public_url: Url,
    /// Listening and stopping settings.
    #[contract(nested)]
    server: Server,
}

/// What the webhook reads: the config, when whole.
struct App {
    config: Option<Config>,
}

#[tokio::main]
async fn main() -> std::io::Result<ExitCode> {
    // A `config` command prints its answer on stdout and nothing else: no log lines.
    let config_command = std::env::args_os()
        .nth(1)
        .is_some_and(|arg| arg == "config");
    if !config_command {
        // Colour for a person at a terminal (unless NO_COLOR), never in a collected log.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        tracing_subscriber::fmt()
            .with_target(false)
            .with_ansi(std::io::stderr().is_terminal() && !no_color)
            .with_writer(std::io::stderr)
            .init();
    }

    // One log line per failing variable; never exits on a broken config.
    let loaded = health::load::<Config>();
    let health = probes(&loaded);

    // `voxflow config check|probes|example|markdown|schema|help`: print, check, and exit.
    if let Some(code) = health::cli::config_command::<Config>(std::env::args_os(), Some(&health)) {
        return Ok(code);
    }

    let (port, drain) = match loaded.config() {
        Some(config) => (config.server.port, config.server.shutdown_drain),
        // Never ready, so never sent traffic: nothing to drain.
        None => (port_alone(), Duration::ZERO),
    };
    let (config, report) = loaded.into_parts();
    if config.is_none() {
        tracing::warn!(
            failing = report.failures().count(),
            "config is incomplete: serving liveness, readiness stays 503"
        );
    }

    let router = Router::new()
        .route("/twilio/voice", post(incoming_call))
        .with_state(Arc::new(App { config }))
        // /health, /livez, /ready, /readyz, /startupz, /ready/<VARIABLE>: every other path.
        .merge(health::axum::router(health.clone()));
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, ?drain, "voxflow listening");
    axum::serve(listener, router)
        .with_graceful_shutdown(health.shutdown_on_signal(drain))
        .await
        .map(|()| ExitCode::SUCCESS)
}

/// voxflow's probes: readiness is the config, one entry per variable, and nothing else.
///
/// No check calls a downstream (Twilio, Ultravox, n8n): their health shows in real call
/// outcomes, not in synthetic probes. No liveness heartbeat: nothing of voxflow's loops on
/// its own (see the module docs). No startup grace: the config is read before the port opens.
fn probes(loaded: &Loaded<Config>) -> Health {
    Health::builder().config(loaded).build()
}

/// The port when the config as a whole is broken: `PORT` read on its own, so a bad variable
/// elsewhere (`SHUTDOWN_DRAIN` included) does not move the service off the port its probes
/// use; the default when `PORT` itself is bad.
fn port_alone() -> u16 {
    let port = std::env::var_os("PORT").map(|value| ("PORT", value));
    Server::from_vars(port).map_or(8000, |server| server.port)
}

/// Twilio's voice webhook: check that the request is Twilio's, then connect the caller's
/// audio to our media stream, with call events going to n8n.
async fn incoming_call(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(params): Form<Vec<(String, String)>>,
) -> Response {
    let Some(config) = &app.config else {
        return (StatusCode::SERVICE_UNAVAILABLE, "not configured").into_response();
    };
    let account = params
        .iter()
        .find(|(k, _)| k == "AccountSid")
        .map(|(_, v)| v);
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok());
    let url = config.public_url.join("/twilio/voice").map(String::from);
    let genuine = match (account, signature, url) {
        (Some(account), Some(signature), Ok(url)) => {
            *account == config.twilio_account_sid
                && signed_by_twilio(&config.twilio_auth_token, &url, &params, signature)
        }
        _ => false,
    };
    if !genuine {
        return (
            StatusCode::FORBIDDEN,
            "not a Twilio request for this account",
        )
            .into_response();
    }
    let mut stream = config.public_url.clone();
    let scheme = if stream.scheme() == "http" {
        "ws"
    } else {
        "wss"
    };
    if stream.set_scheme(scheme).is_err() {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "PUBLIC_URL cannot carry a websocket",
        )
            .into_response();
    }
    stream.set_path("/media-stream");
    let events = &config.n8n_webhook_url;
    let twiml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{stream}" statusCallback="{events}"/></Connect></Response>"#
    );
    ([(header::CONTENT_TYPE, "text/xml")], twiml).into_response()
}

/// Whether `signature` is Twilio's: base64(HMAC-SHA1(auth token, URL + sorted name/value
/// pairs)), compared in constant time.
fn signed_by_twilio(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> bool {
    use base64::Engine;
    use hmac::Mac;
    let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(signature) else {
        return false;
    };
    let Ok(mut mac) = hmac::Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()) else {
        return false;
    };
    let mut sorted: Vec<_> = params.iter().collect();
    sorted.sort();
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac.verify_slice(&expected).is_ok()
}
