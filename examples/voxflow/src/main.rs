//! voxflow: the web side of a voice agent (Twilio calls in, Ultravox talks, n8n gets the
//! call events), with a readiness contract from its config and the probes of a `Health` built
//! from it, served next to its Twilio webhooks.
//!
//! It always starts, even with a broken config: it logs one line per failing variable,
//! liveness answers 200 while the process serves, and readiness answers 503 naming every
//! missing or bad variable until the config holds (the webhooks answer 503 too), so a bad
//! deploy stalls at "0/3 ready" instead of dropping calls.
//!
//! The config is live: secrets mounted as files (`TWILIO_AUTH_TOKEN_FILE`,
//! `ULTRAVOX_API_KEY_FILE`, as `deploy/deployment.yaml` does) are read again every 5 s and on
//! SIGHUP. A Secret created or fixed after a bad deploy makes the running pods ready without a
//! restart, and a rotated auth token is used by the next webhook. A rotation that breaks the
//! config keeps the last good one in use, with readiness failing on the variable. The
//! address, the drain and the n8n circuit's open time are read when they are first needed.
//!
//! Routes, from `health::axum::router` merged next to the webhooks:
//!
//! | path | answers |
//! |---|---|
//! | `POST /twilio/voice` | Twilio's voice webhook: TwiML connecting the call to the media stream |
//! | `POST /twilio/stream-status` | the media stream's status events, delivered to n8n |
//! | `/health`, `/livez` | liveness: the request-progress watchdog `requests` |
//! | `/ready`, `/readyz` | readiness: one entry per config variable, keyed by its name, and `n8n` |
//! | `/startup`, `/startupz` | startup: over at once (the config is read before the port opens) |
//! | `/ready/<VARIABLE>` | one check, e.g. `/ready/PUBLIC_URL` or `/ready/n8n` (404 for an unknown name) |
//! | `?verbose`, `?exclude=NAME` | Kubernetes' text (`[-]PUBLIC_URL ...`), a check left out |
//!
//! Both webhooks check that the request is Twilio's (its `X-Twilio-Signature` over the URL
//! Twilio called and the form, and the account) with the same function, and refuse any other
//! with 403.
//!
//! # Call events reach n8n through voxflow
//!
//! The TwiML's `<Stream statusCallback>` points at voxflow's own
//! `{PUBLIC_URL}/twilio/stream-status`, not at n8n: voxflow POSTs each event to
//! `N8N_WEBHOOK_URL` as a JSON object of Twilio's parameters (`StreamEvent`, `CallSid`,
//! `StreamSid`, ...), with its HTTP client and a 5 s timeout, and answers Twilio with what
//! came of it:
//!
//! | n8n | Twilio gets |
//! |---|---|
//! | answered 2xx | 204 |
//! | answered another status, refused the connection, failed | 502 |
//! | did not answer within 5 s | 504 |
//! | the `n8n` circuit is open: not called at all | 503 with `Retry-After` (the open time) |
//!
//! Each delivery is a real call whose outcome a `CircuitBreaker` records (operation
//! `deliver`; `unexpected_status`, `connection_refused`, `timeout` or `error`). After 5
//! failures in a row (or half of at least 10 in a minute) the circuit opens for
//! `N8N_CIRCUIT_OPEN_FOR` (default 30s): voxflow stops calling n8n and answers 503, the code
//! for "unavailable for now, try again later", with `Retry-After` saying when. Not 502 or
//! 504, which say an upstream was tried and failed: here nothing was tried. Not a 2xx, which
//! would tell Twilio the event was delivered, nor a 4xx, which blames the request. Twilio
//! retries a callback as its connection overrides (`#rc=..&rp=..` on the URL) say; either way
//! the failure is on record in its debugger. Then 3 trial deliveries close the circuit or
//! open it again.
//!
//! The circuit is the `n8n` readiness entry, registered with `.passive("n8n", ..)`:
//! non-critical, as the voice-agent article advises for third parties. n8n down is a `warn`
//! (`circuit_open`, with the circuit's counts and last failure), readiness stays 200 and calls
//! still connect; only their events, hence transcripts, are late. No probe ever calls n8n.
//!
//! # Timeouts and the request-progress watchdog
//!
//! Every webhook request ends within about 10 s: its body must arrive within 5 s (408 otherwise)
//! and the n8n delivery has its own 5 s, which keeps both under Twilio's 15 s wait for an
//! answer. Liveness is the request-progress watchdog `requests`
//! (`health::axum::RequestWatchdogLayer` on the webhooks): it fails with `stalled` when
//! webhook requests are in flight and none has completed for 30 s. 30 s is three times the
//! longest a request may take, so an n8n outage, whose requests all end by their timeouts,
//! never looks like a stuck process and never restarts the pod: it is readiness's business
//! (a `warn`). A runtime wedged so that nothing completes does restart it. Probes are not
//! behind the layer, and the layer would leave them out anyway.
//!
//! What the probes do not do, on purpose:
//!
//! - No probe ever calls Twilio, Ultravox or n8n. Pinging them costs money per call, and a
//!   two-minute blip at Ultravox would fail every replica's readiness at once, dropping traffic
//!   that calls in flight would have survived. n8n's health is gauged from voxflow's real
//!   deliveries, as above.
//! - Liveness has no heartbeat: voxflow has no loop of its own that could wedge (the webhooks
//!   run per request, the media bridge per call), and a heartbeat ticked by a loop invented
//!   for it would prove nothing more than `/health` answering does. The watchdog watches
//!   the work voxflow does have: its requests.
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
//! cargo run -p voxflow
//! curl -i localhost:8000/ready
//! curl -i 'localhost:8000/readyz?verbose'
//! cargo run -p voxflow -- config check   # or: probes, example, help
//! ```

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Form;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use health::axum::RequestWatchdogLayer;
use health::live::LiveConfig;
use health::{CircuitBreaker, Code, Health, ReadinessContract, RequestWatchdog};
use url::Url;

/// Twilio's voice webhook.
const VOICE_PATH: &str = "/twilio/voice";
/// Where Twilio sends the media stream's status events (the TwiML's `statusCallback`).
const STREAM_STATUS_PATH: &str = "/twilio/stream-status";
/// How long a webhook request's body may take to arrive (408 after that).
const BODY_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest webhook body read: Twilio's forms are well under 1 KiB.
const BODY_LIMIT: usize = 64 * 1024;
/// How long one delivery to n8n may take, connecting included (504 after that).
const N8N_TIMEOUT: Duration = Duration::from_secs(5);
/// The request-progress watchdog's limit: liveness fails when webhook requests are in
/// flight and none has completed for this long.
const WATCHDOG_LIMIT: Duration = Duration::from_secs(30);

// The watchdog must never mistake requests that end by their own timeouts for a stall.
const _: () = assert!(
    BODY_TIMEOUT.as_millis() + N8N_TIMEOUT.as_millis() < WATCHDOG_LIMIT.as_millis(),
    "WATCHDOG_LIMIT must exceed the longest a webhook request may take"
);

/// Where the service listens and how it stops.
#[derive(Debug, ReadinessContract)]
struct Server {
    /// Address to listen on: loopback for local work, `0.0.0.0` in a container (the
    /// kubelet's probes and the Service connect to the pod's IP).
    #[contract(default = "127.0.0.1")]
    host: IpAddr,
    /// TCP port.
    #[contract(default = 8000, range = 1..=65535)]
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
    /// n8n webhook that receives the call events (voxflow posts them there as JSON).
    n8n_webhook_url: Url,
    /// How long voxflow stops calling n8n after it failed (5 times in a row, or half of at
    /// least 10 calls in a minute) before trial calls; events are refused meanwhile with 503
    /// and Retry-After.
    #[contract(default = "30s")]
    n8n_circuit_open_for: Duration,
    /// Public base URL of this service, so Twilio can reach the media stream and the
    /// stream's status callback.
    public_url: Url,
    /// Listening and stopping settings.
    #[contract(nested)]
    server: Server,
}

/// What the webhooks read.
struct App {
    /// The config: its newest good version, `None` until it first loads.
    config: LiveConfig<Config>,
    /// The app's HTTP client, for its deliveries to n8n (timeout [`N8N_TIMEOUT`]).
    client: reqwest::Client,
    /// The outcomes of those deliveries: the `n8n` readiness entry.
    n8n: CircuitBreaker,
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

    // One log line per failing variable; never exits on a broken config. The secret files
    // are read again every 5 s and on SIGHUP.
    let config = health::live::<Config>();
    let current = config.current();
    let n8n = n8n_circuit(current.as_ref().map(|config| config.n8n_circuit_open_for));
    let watchdog = RequestWatchdog::new(WATCHDOG_LIMIT);
    let health = probes(&config, &n8n, &watchdog);

    // `voxflow config check|probes|example|markdown|schema|help`: print, check, and exit.
    if let Some(code) = health::cli::config_command::<Config>(std::env::args_os(), Some(&health)) {
        return Ok(code);
    }

    let addr = match &current {
        Some(config) => SocketAddr::new(config.server.host, config.server.port),
        None => address_alone(),
    };
    if current.is_none() {
        tracing::warn!(
            failing = config.report().failures().count(),
            "config is incomplete: serving liveness, readiness stays 503 until it loads"
        );
    }
    let client = reqwest::Client::builder()
        .timeout(N8N_TIMEOUT)
        .build()
        .map_err(std::io::Error::other)?;

    let router = Router::new()
        .route(VOICE_PATH, post(incoming_call))
        .route(STREAM_STATUS_PATH, post(stream_status))
        .with_state(Arc::new(App {
            config: config.clone(),
            client,
            n8n,
        }))
        // Layers wrap the routes above only: the probes merged below are outside them.
        .layer(middleware::from_fn(body_in_time))
        .layer(RequestWatchdogLayer::new(&watchdog))
        // /health, /livez, /ready, /readyz, /startupz, /ready/<VARIABLE>: every other path.
        .merge(health::axum::router(health.clone()));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "voxflow listening");
    axum::serve(listener, router)
        .with_graceful_shutdown(drain_on_signal(health, config))
        .await
        .map(|()| ExitCode::SUCCESS)
}

/// Waits for SIGTERM or Ctrl-C, then answers readiness 503 for `SHUTDOWN_DRAIN` of the
/// config in use then. Without a config there is nothing to drain: never ready, never sent
/// traffic.
async fn drain_on_signal(health: Health, config: LiveConfig<Config>) {
    health::shutdown_signal().await;
    health.shutdown();
    let drain = config
        .current()
        .map_or(Duration::ZERO, |config| config.server.shutdown_drain);
    tracing::info!(?drain, "draining");
    tokio::time::sleep(drain).await;
}

/// The circuit breaker over voxflow's deliveries to n8n: the library's rules (5 failures in
/// a row, or 50 % of at least 10 calls in 60 s), open for `open_for` (the library's 30 s
/// without a config, when nothing is ever delivered anyway).
fn n8n_circuit(open_for: Option<Duration>) -> CircuitBreaker {
    let builder = CircuitBreaker::builder().operation("deliver");
    match open_for {
        Some(open_for) => builder.open_for(open_for),
        None => builder,
    }
    .build()
}

/// voxflow's probes. Readiness: the config, one entry per variable, and `n8n`, the circuit
/// over the real deliveries (non-critical: a `warn` when open). Liveness: the watchdog over
/// the webhook requests.
///
/// No check calls a downstream (Twilio, Ultravox, n8n): their health shows in real call
/// outcomes, not in synthetic probes. No liveness heartbeat: nothing of voxflow's loops on
/// its own (see the module docs). No startup grace: the config is read before the port opens.
fn probes(config: &LiveConfig<Config>, n8n: &CircuitBreaker, watchdog: &RequestWatchdog) -> Health {
    Health::builder()
        .config(config)
        .passive("n8n", n8n)
        .request_watchdog("requests", watchdog)
        .build()
}

/// The address when the config as a whole is broken: `HOST` and `PORT` read on their own, so
/// a bad variable elsewhere (`SHUTDOWN_DRAIN` included) does not move the service off the
/// address its probes use; the defaults for whichever of the two is itself bad.
fn address_alone() -> SocketAddr {
    let read = |name: &'static str| std::env::var_os(name).map(|value| (name, value));
    let default = Server::from_vars(None::<(&str, &str)>)
        .expect("Server's defaults are literals the derive checked at compile time");
    let host = Server::from_vars(read("HOST")).map_or(default.host, |server| server.host);
    let port = Server::from_vars(read("PORT")).map_or(default.port, |server| server.port);
    SocketAddr::new(host, port)
}

/// Reads a webhook request's whole body within [`BODY_TIMEOUT`] before its handler runs, so
/// a client that sends its body slowly, or never, cannot hold a request open past voxflow's
/// own timeouts (and look like a stall to the watchdog): 408 when it is late, 413 when it
/// is over [`BODY_LIMIT`], 400 when it breaks off.
async fn body_in_time(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(e)) => {
            let too_large = e
                .into_inner()
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            if too_large {
                (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response()
            } else {
                (StatusCode::BAD_REQUEST, "request body broke off").into_response()
            }
        }
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            "request body not received in time",
        )
            .into_response(),
    }
}

/// Twilio's voice webhook: check that the request is Twilio's, then connect the caller's
/// audio to our media stream, with the stream's events coming back to us for n8n.
async fn incoming_call(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(params): Form<Vec<(String, String)>>,
) -> Response {
    let config = match from_twilio(&app, VOICE_PATH, &headers, &params) {
        Ok(config) => config,
        Err(refused) => return refused.into_response(),
    };
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
    let Ok(events) = config.public_url.join(STREAM_STATUS_PATH) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "PUBLIC_URL cannot carry the status callback",
        )
            .into_response();
    };
    let twiml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{stream}" statusCallback="{events}"/></Connect></Response>"#
    );
    ([(header::CONTENT_TYPE, "text/xml")], twiml).into_response()
}

/// The media stream's status callback: check that the request is Twilio's, then deliver the
/// event to n8n as a JSON object of Twilio's parameters, unless the `n8n` circuit is open.
/// 204 once n8n took it; 502 or 504 when it failed (see the module docs); 503 with
/// `Retry-After` while the circuit is open, without calling n8n.
async fn stream_status(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(params): Form<Vec<(String, String)>>,
) -> Response {
    let config = match from_twilio(&app, STREAM_STATUS_PATH, &headers, &params) {
        Ok(config) => config,
        Err(refused) => return refused.into_response(),
    };
    if !app.n8n.allow_call() {
        let retry_after = config.n8n_circuit_open_for.as_secs_f64().ceil().max(1.0);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, retry_after.to_string())],
            "n8n is failing: the event was not delivered, try again later",
        )
            .into_response();
    }
    let event: serde_json::Map<String, serde_json::Value> = params
        .into_iter()
        .map(|(name, value)| (name, serde_json::Value::String(value)))
        .collect();
    let delivery = async {
        app.client
            .post(config.n8n_webhook_url.clone())
            .json(&event)
            .send()
            .await?
            .error_for_status()
    };
    match app.n8n.observe_with(delivery, delivery_failure).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            let code = delivery_failure(&e);
            // Without the URL: an n8n webhook's path is often its only credential.
            tracing::warn!(%code, error = %e.without_url(), "call event not delivered to n8n");
            let status = if code == Code::TIMEOUT {
                StatusCode::GATEWAY_TIMEOUT
            } else {
                StatusCode::BAD_GATEWAY
            };
            (status, "n8n did not take the event").into_response()
        }
    }
}

/// The code of a failed delivery: `unexpected_status` (n8n answered, but not 2xx),
/// `timeout` (no answer within [`N8N_TIMEOUT`]), `connection_refused`, or `error`.
fn delivery_failure(e: &reqwest::Error) -> Code {
    if e.is_status() {
        Code::UNEXPECTED_STATUS
    } else if e.is_timeout() {
        Code::TIMEOUT
    } else if refused(e) {
        Code::CONNECTION_REFUSED
    } else {
        Code::ERROR
    }
}

/// Whether an `io::Error` of kind `ConnectionRefused` is in the error's source chain
/// (reqwest, then hyper-util's connect error, then the socket's).
fn refused(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        {
            return true;
        }
        source = err.source();
    }
    false
}

/// The config, if the request is Twilio's for our account: signed by Twilio for
/// `PUBLIC_URL` + `path` (the URL Twilio was given) and carrying our `AccountSid`. The
/// answer to send otherwise: 503 while the config is broken, 403 for anyone else. Every
/// webhook goes through here, so all check the same way.
fn from_twilio(
    app: &App,
    path: &str,
    headers: &HeaderMap,
    params: &[(String, String)],
) -> Result<Arc<Config>, (StatusCode, &'static str)> {
    let Some(config) = app.config.current() else {
        return Err((StatusCode::SERVICE_UNAVAILABLE, "not configured"));
    };
    let account = params
        .iter()
        .find(|(k, _)| k == "AccountSid")
        .map(|(_, v)| v);
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok());
    let url = config.public_url.join(path).map(String::from);
    let genuine = match (account, signature, url) {
        (Some(account), Some(signature), Ok(url)) => {
            *account == config.twilio_account_sid
                && signed_by_twilio(&config.twilio_auth_token, &url, params, signature)
        }
        _ => false,
    };
    if genuine {
        Ok(config)
    } else {
        Err((
            StatusCode::FORBIDDEN,
            "not a Twilio request for this account",
        ))
    }
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
