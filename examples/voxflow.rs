//! voxflow: the web side of a voice agent (Twilio calls in, Ultravox talks, n8n gets the
//! transcript), with a readiness contract from its config.
//!
//! It always starts, even with a broken config: `/health` answers 200 while the process
//! runs, and `/ready` answers 503 naming every missing or bad variable until the config
//! holds, so a bad deploy stalls at "0/3 ready" instead of dropping calls.
//!
//! ```sh
//! TWILIO_ACCOUNT_SID=AC123 TWILIO_AUTH_TOKEN=... ULTRAVOX_API_KEY=... \
//! N8N_WEBHOOK_URL=https://n8n.example/webhook/calls PUBLIC_URL=https://voxflow.example \
//! cargo run --example voxflow
//! curl -i localhost:8000/ready
//! cargo run --example voxflow -- config check     # or: example, markdown, schema, help
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use health::{HEALTH_JSON, ReadinessContract, Report};
use url::Url;

/// Where the service listens.
#[derive(Debug, ReadinessContract)]
struct Server {
    /// TCP port on 127.0.0.1.
    #[contract(default = 8000)]
    port: u16,
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
    /// Listening settings.
    #[contract(nested)]
    server: Server,
}

struct App {
    config: Option<Config>,
    /// The config report never changes after start: render it once.
    ready_status: StatusCode,
    ready_body: String,
}

#[tokio::main]
async fn main() -> std::io::Result<ExitCode> {
    // `voxflow config example|markdown|schema|check|help`: print, check, and exit.
    if let Some(code) = health::cli::config_command::<Config>(std::env::args_os(), None) {
        return Ok(code);
    }
    tracing_subscriber::fmt().with_target(false).init();

    // One log line per failing variable; never exits on a broken config.
    let loaded = health::load::<Config>();
    let port = match loaded.config() {
        Some(config) => config.server.port,
        // PORT may be fine even when something else is not.
        None => Server::from_env().map_or(8000, |s| s.port),
    };
    let (config, report) = loaded.into_parts();
    let app = Arc::new(App {
        ready_status: status_of(&report),
        ready_body: report.to_json(),
        config,
    });
    if app.config.is_none() {
        tracing::warn!(
            failing = report.failures().count(),
            "config is incomplete: serving liveness, readiness stays 503"
        );
    }

    let router = Router::new()
        .route("/health", get(liveness))
        .route("/ready", get(readiness))
        .route("/twilio/voice", post(incoming_call))
        .with_state(app);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "voxflow listening");
    axum::serve(listener, router)
        .with_graceful_shutdown(health::shutdown_signal())
        .await
        .map(|()| ExitCode::SUCCESS)
}

fn status_of(report: &Report) -> StatusCode {
    StatusCode::from_u16(report.http_status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
}

/// Liveness: the process runs and serves requests. It never looks at the config.
async fn liveness() -> Response {
    (
        [(header::CONTENT_TYPE, HEALTH_JSON)],
        r#"{"status":"pass"}"#,
    )
        .into_response()
}

/// Readiness: 200 when every variable holds, 503 naming each failing one otherwise.
async fn readiness(State(app): State<Arc<App>>) -> Response {
    (
        app.ready_status,
        [(header::CONTENT_TYPE, HEALTH_JSON)],
        app.ready_body.clone(),
    )
        .into_response()
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
