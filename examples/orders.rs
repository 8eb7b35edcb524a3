//! orders: a web service that takes orders into PostgreSQL and hands them to a worker through
//! a Redis queue, with probes that catch the failures users feel.
//!
//! - Readiness (`/ready`): the config holds, the app's own pool runs `SELECT 1`, the schema
//!   migrations are applied, and a `PUBLISH` on the queue's Redis goes through. A database
//!   or queue outage takes the instance out of rotation; it does not restart it.
//! - Passive checks, also in `/ready`: the outcomes of the service's own calls, recorded in a
//!   [`CircuitBreaker`] per kind of call. `postgres_calls` (operation `query`) holds the order
//!   insert and the status read of the handlers and the worker's update; `queue_push_calls`
//!   (`push`) the handler's `LPUSH` and the worker's put-back; `queue_pop_calls` (`consume`)
//!   the worker's `BRPOP`, where an empty queue (no order within the pop's 1 s) is an answer,
//!   not a failure. Errors are classified into `connection_refused`, `timeout`, `auth_failed`
//!   and `error`. They are non-critical, a `warn` that keeps `/ready` at 200: the active checks
//!   already take the instance out of rotation within one refresh of an outage, traffic or
//!   not, so the passive ones add what real traffic saw (which calls failed, with which code)
//!   without a second say in routing. Critical, they would hold readiness at 503 for their
//!   open time after the dependency came back, and would only repeat the active checks.
//! - Handlers ask the breakers before calling: while a circuit is open, an order is refused
//!   at once (503) instead of waiting out the pool's 2 s acquire timeout. The open time,
//!   `CIRCUIT_OPEN_FOR` (default 5 s), is also the longest calls stay refused once the
//!   dependency is back, before the trial calls that close the circuit: so a few seconds,
//!   not the breaker's default 30 s; the tests run with it as it is.
//! - Liveness (`/health`, `/livez`): the worker's heartbeat, ticked on every loop, and the
//!   request-progress watchdog `requests`, which fails when requests are in flight and none
//!   has completed for 15 s. Every wait in a request has a timeout of its own: the body
//!   within 2 s (408), a connection from the pool within 2 s, a PostgreSQL call within 3 s in
//!   all (sqlx has no statement timeout and a hung server never answers), a Redis connect
//!   and its answer within 300 ms each. So a request ends within 5.6 s whatever PostgreSQL,
//!   Redis or the client do, with a 503 during an outage: a database outage never looks like
//!   a stall, and readiness, not a restart, deals with it. A handler wedged for good (a
//!   deadlock, a future nobody wakes) stops completing: liveness fails after the 15 s and
//!   the platform restarts the pod, the cure for a stuck process. There is no timeout around
//!   whole requests, on purpose: it would answer a wedged handler's requests too, and the
//!   watchdog would take those answers for progress. A worker wedged on a hung connection
//!   fails its heartbeat.
//!
//! - The config carries its own rules: in production `PUBLIC_URL` is required (it starts
//!   every new order's `Location`; by default it follows `PORT`), and confirmed orders are
//!   announced, if at all, to a webhook (`NOTIFY_URL`, `NOTIFY_TOKEN`) or a Redis stream
//!   (`NOTIFY_STREAM`): each set whole, and only one. Each is a named check of readiness and
//!   of `config verify`.
//! - The config is live: `DATABASE_URL_FILE` and `REDIS_URL_FILE` (secrets mounted as files)
//!   are read again every 5 s and on SIGHUP. Started without a whole config, orders serves
//!   its probes (readiness 503 naming each failing variable) and starts its real work as
//!   soon as the config loads, without a restart. The pool and the queue client are built
//!   from the first good config: a later change of a URL is logged and takes a restart.
//!
//! ```sh
//! cargo run --example orders --features postgres,redis,axum,verify -- config verify examples/orders-deploy/*.yaml
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/ \
//! cargo run --example orders --features postgres,redis,axum
//! curl -i localhost:8001/ready?verbose
//! curl -i -X POST localhost:8001/orders -H 'content-type: application/json' -d '{"item":"book"}'
//! ```

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use health::live::LiveConfig;
use health::{CircuitBreaker, Code, Health, Heartbeat, ReadinessContract, RequestWatchdog, checks};
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sqlx::PgPool;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::PgPoolOptions;

/// Settings of the orders service.
#[derive(Debug, ReadinessContract)]
struct Config {
    /// PostgreSQL connection string (holds the password).
    #[contract(secret)]
    database_url: String,
    /// Redis connection string of the order queue.
    #[contract(secret)]
    redis_url: String,
    /// Listening settings.
    #[contract(nested)]
    server: Server,
    /// Longest the worker may go without finishing a loop before liveness fails.
    #[contract(default = "30s")]
    worker_max_silence: Duration,
    /// How long a passive check stays open, its calls refused, before trial calls.
    #[contract(default = "5s")]
    circuit_open_for: Duration,
    /// Where confirmed orders are announced, if anywhere: a webhook or a Redis stream, each
    /// set all or none, and only one of them.
    #[contract(nested, prefix = "NOTIFY_")]
    notify: Option<Notify>,
}

/// Where the service listens, and the address its clients use.
#[derive(Debug, ReadinessContract)]
#[contract(required_if(environment == "production", public_url))]
struct Server {
    /// TCP port on 127.0.0.1.
    #[contract(default = 8001)]
    port: u16,
    /// `development` or `production`: in production the public address must be given.
    #[contract(default = "development", one_of = ["development", "production"])]
    environment: String,
    /// The service's address as its clients see it: the `Location` of a new order starts
    /// with it. By default, this machine's port.
    #[contract(default_from(local_url(port)))]
    public_url: url::Url,
}

/// `PORT` alone, for a config that does not load: the probes still listen where told.
#[derive(Debug, ReadinessContract)]
struct Listen {
    #[contract(default = 8001)]
    port: u16,
}

/// `http://127.0.0.1:PORT/`: the service's own address, for development.
fn local_url(port: &u16) -> url::Url {
    let text = format!("http://127.0.0.1:{port}/");
    url::Url::parse(&text).expect("a loopback address and a port make a URL")
}

/// The announcement of confirmed orders: the variant whose variables are set (setting both
/// is a failure naming both).
#[derive(Debug, ReadinessContract)]
#[contract(exactly_one)]
enum Notify {
    /// A webhook: `NOTIFY_URL`, `NOTIFY_TOKEN` and `NOTIFY_TIMEOUT`.
    Webhook(Webhook),
    /// A Redis stream on the queue's server: `NOTIFY_STREAM`.
    Stream(Stream),
}

/// A Redis stream every confirmed order is appended to (`XADD`).
#[derive(Debug, ReadinessContract)]
struct Stream {
    /// The stream's key.
    stream: String,
}

/// A webhook told of every confirmed order: a JSON `POST` with a bearer token.
#[derive(Debug, ReadinessContract)]
struct Webhook {
    /// The webhook's address.
    url: url::Url,
    /// Its bearer token.
    #[contract(secret)]
    token: String,
    /// The longest one notification may take; a late or failed one is logged, not retried.
    #[contract(default = "2s", range = "100ms"..="10s")]
    timeout: Duration,
}

/// Probe timeouts and refresh interval; the Kubernetes YAML in the README matches them.
const CHECK_TIMEOUT: Duration = Duration::from_millis(300);
const REFRESH: Duration = Duration::from_secs(2);
const QUEUE: &str = "orders:queue";

/// The longest a request may take to send its body: a client that stops halfway must not
/// hold a request in flight, where the watchdog would count it as a stall.
const BODY_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest a request waits for a connection of the pool.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest one PostgreSQL call may take, the wait for a connection included.
const QUERY_TIMEOUT: Duration = ACQUIRE_TIMEOUT.saturating_add(Duration::from_secs(1));
/// Redis: the longest a connect, then a command's answer, may take (the probe's timeout).
const REDIS_TIMEOUT: Duration = CHECK_TIMEOUT;
/// The longest request: its body, an insert, then a push that may have to connect first.
const LONGEST_REQUEST: Duration = BODY_TIMEOUT
    .saturating_add(QUERY_TIMEOUT)
    .saturating_add(REDIS_TIMEOUT.saturating_mul(2));
/// Liveness fails when requests are in flight and none completed for this long. More than
/// twice [`LONGEST_REQUEST`] (checked when compiling): requests that time out on an outage
/// are progress, not a stall, even on a machine busy enough to slow them down.
const STALL_LIMIT: Duration = Duration::from_secs(15);
const _: () = assert!(STALL_LIMIT.as_millis() > 2 * LONGEST_REQUEST.as_millis());

/// What the handlers share.
#[derive(Clone)]
struct App {
    pool: PgPool,
    redis: ConnectionManager,
    calls: Calls,
    /// The start of a new order's `Location`.
    public_url: url::Url,
}

/// The breakers of the passive checks, one per kind of real call.
#[derive(Clone)]
struct Calls {
    /// Every statement: the handlers' insert and read, the worker's update.
    postgres: CircuitBreaker,
    /// Pushes onto the queue: the handler's, and the worker's put-back.
    queue_push: CircuitBreaker,
    /// The worker's blocking pops.
    queue_pop: CircuitBreaker,
}

impl Calls {
    /// Three breakers with the default rules (open after 5 failures in a row, or half of
    /// at least 10 calls of the last minute failing), open for `open_for`.
    fn new(open_for: Duration) -> Calls {
        let breaker = |operation| {
            CircuitBreaker::builder()
                .operation(operation)
                .open_for(open_for)
                .build()
        };
        Calls {
            postgres: breaker("query"),
            queue_push: breaker("push"),
            queue_pop: breaker("consume"),
        }
    }
}

fn migrator() -> &'static Migrator {
    static MIGRATOR: OnceLock<Migrator> = OnceLock::new();
    MIGRATOR.get_or_init(|| {
        use sqlx::SqlSafeStr;
        Migrator::with_migrations(vec![Migration::new(
            1,
            "orders".into(),
            MigrationType::Simple,
            include_str!("orders.sql").into_sql_str(),
            false,
        )])
    })
}

#[tokio::main]
async fn main() -> std::io::Result<ExitCode> {
    // `orders config example|markdown|schema|check|verify`: the contract's commands, answered
    // before any log line (`config verify examples/orders-deploy/*.yaml` checks the deploy).
    if let Some(code) = health::cli::config_command_before_load::<Config>(std::env::args_os()) {
        return Ok(code);
    }
    tracing_subscriber::fmt().with_target(false).init();
    let live = health::live::<Config>();
    let port = match live.current() {
        Some(config) => config.server.port,
        // PORT may be fine even when something else is not.
        None => Listen::from_env().map_or(8001, |l| l.port),
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    // Bound once: the probes served while waiting for the config and the service after it
    // share the socket, so no probe finds the port closed in between (one caught in the
    // handover may be closed, as in any server's graceful stop).
    let socket = std::net::TcpListener::bind(addr)?;
    socket.set_nonblocking(true)?;
    let Some(config) = wait_for_config(&live, &socket).await? else {
        return Ok(ExitCode::SUCCESS);
    };
    tokio::spawn(log_later_changes(live.clone(), config.clone()));
    let mut builder = Health::builder()
        .config(&live)
        .timeout(CHECK_TIMEOUT)
        .refresh_every(REFRESH);
    let mut app = None;
    {
        let pool = PgPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy(&config.database_url);
        let client = redis::Client::open(config.redis_url.as_str());
        match (pool, client) {
            (Ok(pool), Ok(client)) => {
                let redis = ConnectionManager::new_lazy_with_config(
                    client.clone(),
                    // Fail fast and reconnect on the next command: a request or a probe
                    // never waits through a retry loop.
                    ConnectionManagerConfig::new()
                        .set_number_of_retries(0)
                        .set_connection_timeout(Some(REDIS_TIMEOUT))
                        .set_response_timeout(Some(REDIS_TIMEOUT)),
                )
                .map_err(std::io::Error::other)?;
                let calls = Calls::new(config.circuit_open_for);
                let watchdog = RequestWatchdog::new(STALL_LIMIT);
                builder = builder
                    .readiness("postgres", checks::postgres(&pool))
                    .readiness("migrations", checks::postgres_migrations(&pool, migrator()))
                    .readiness("queue", checks::redis_publish(&redis, "health"))
                    .passive("postgres_calls", &calls.postgres)
                    .passive("queue_push_calls", &calls.queue_push)
                    .passive("queue_pop_calls", &calls.queue_pop)
                    .liveness_heartbeat("worker", config.worker_max_silence)
                    .request_watchdog("requests", &watchdog);
                let public_url = config.server.public_url.clone();
                let app_state = App {
                    pool,
                    redis,
                    calls,
                    public_url,
                };
                app = Some((app_state, client, watchdog));
            }
            // The URLs parsed as strings but not as connection strings: no value in the log.
            (pool, client) => tracing::error!(
                database_url_ok = pool.is_ok(),
                redis_url_ok = client.is_ok(),
                "a connection string is malformed; readiness stays 503"
            ),
        }
    }
    let health = builder.build();

    let mut router: Router = Router::new();
    if let Some((app, worker_client, watchdog)) = app {
        tokio::spawn(migrate(app.pool.clone()));
        if let Some(heartbeat) = health.heartbeat("worker") {
            let notifier = config.notify.as_ref().map(Notifier::new);
            tokio::spawn(worker(
                app.pool.clone(),
                worker_client,
                heartbeat,
                app.calls.clone(),
                notifier,
            ));
        }
        let routes = Router::new()
            .route("/orders", post(create_order))
            .route("/orders/{id}", get(order_status))
            .with_state(app);
        router = router.merge(watched(routes, &watchdog));
    }
    let probes = health.clone();
    let router = router.fallback(move |uri: Uri| {
        let health = probes.clone();
        async move {
            health
                .respond(uri.path(), uri.query())
                .await
                .map(Body::from)
        }
    });

    let listener = tokio::net::TcpListener::from_std(socket)?;
    tracing::info!(%addr, environment = %config.server.environment, "orders listening");
    axum::serve(listener, router)
        .with_graceful_shutdown(health.shutdown_on_signal(Duration::from_secs(5)))
        .await?;
    Ok(ExitCode::SUCCESS)
}

/// The config, once it loads. Until then only the probes are served, from a `Health` of the
/// config alone: readiness 503 naming every failing variable, liveness 200. `None` when the
/// service is told to stop first (after the drain, as below).
async fn wait_for_config(
    live: &LiveConfig<Config>,
    socket: &std::net::TcpListener,
) -> std::io::Result<Option<Arc<Config>>> {
    if let Some(config) = live.current() {
        return Ok(Some(config));
    }
    tracing::warn!("config is incomplete: serving the probes until it loads");
    // Never ready while waiting: once the config loads, readiness is the full service's
    // business (its pool, migrations and queue), not this server's.
    let waiting = Health::builder()
        .config(live)
        .startup_grace(Duration::MAX)
        .build();
    // A second handle on the socket: connections that arrive after this server stops wait in
    // the backlog for the next one.
    let listener = tokio::net::TcpListener::from_std(socket.try_clone()?)?;
    let (loaded, config) = tokio::sync::oneshot::channel();
    let until = {
        let live = live.clone();
        let waiting = waiting.clone();
        async move {
            let config = tokio::select! {
                config = live.ready() => Some(config),
                () = waiting.shutdown_on_signal(Duration::from_secs(5)) => None,
            };
            let _ = loaded.send(config);
        }
    };
    axum::serve(listener, health::axum::router(waiting))
        .with_graceful_shutdown(until)
        .await?;
    Ok(config.await.ok().flatten())
}

/// Logs a change of a connection string after the start: the pool and the queue client keep
/// the first ones until a restart.
async fn log_later_changes(live: LiveConfig<Config>, first: Arc<Config>) {
    let mut changes = live.changes();
    while changes.changed().await.is_ok() {
        let Some(config) = changes.borrow_and_update().clone() else {
            continue;
        };
        if config.database_url != first.database_url || config.redis_url != first.redis_url {
            tracing::warn!("a connection string changed: restart orders to use it");
        }
    }
}

/// `routes` with every request counted by `watchdog`: in flight until its response is ready,
/// abandoned if the client goes away first. The probes (the fallback, added later) are not
/// behind it.
fn watched(routes: Router, watchdog: &RequestWatchdog) -> Router {
    routes.layer(health::axum::RequestWatchdogLayer::new(watchdog))
}

/// Applies the schema, retrying while the database is away; readiness reports
/// `migration_pending` until it is done.
async fn migrate(pool: PgPool) {
    loop {
        match migrator().run(&pool).await {
            Ok(()) => return tracing::info!("migrations applied"),
            Err(error) => {
                tracing::warn!(%error, "migrations not applied yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Runs one PostgreSQL call under [`QUERY_TIMEOUT`] and records its outcome in `calls`;
/// the error is its code.
async fn query<T>(
    calls: &CircuitBreaker,
    call: impl Future<Output = Result<T, sqlx::Error>>,
) -> Result<T, Code> {
    let call = async {
        match tokio::time::timeout(QUERY_TIMEOUT, call).await {
            Ok(result) => result.map_err(|e| postgres_code(&e)),
            Err(_) => Err(Code::TIMEOUT),
        }
    };
    calls.observe_with(call, Code::clone).await
}

/// The code of a failed PostgreSQL call. sqlx's pool retries a refused connection until its
/// acquire timeout, so a stopped server shows as `timeout` here (the active `postgres` check
/// tells it apart with a direct connection attempt).
fn postgres_code(error: &sqlx::Error) -> Code {
    use std::io::ErrorKind;
    match error {
        sqlx::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            Code::CONNECTION_REFUSED
        }
        sqlx::Error::Io(io) if io.kind() == ErrorKind::TimedOut => Code::TIMEOUT,
        sqlx::Error::PoolTimedOut => Code::TIMEOUT,
        // SQLSTATE class 28: wrong password, unknown role, no `pg_hba.conf` entry.
        sqlx::Error::Database(db) if db.code().is_some_and(|c| c.starts_with("28")) => {
            Code::AUTH_FAILED
        }
        _ => Code::ERROR,
    }
}

/// The code of a failed Redis call; the connections' own timeouts show as `timeout`.
fn redis_code(error: &redis::RedisError) -> Code {
    if error.is_connection_refusal() {
        Code::CONNECTION_REFUSED
    } else if error.is_timeout() {
        Code::TIMEOUT
    } else if error.kind() == redis::ErrorKind::AuthenticationFailed
        || matches!(error.code(), Some("NOAUTH" | "WRONGPASS" | "NOPERM"))
    {
        Code::AUTH_FAILED
    } else {
        Code::ERROR
    }
}

fn database_unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
}

fn queue_unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "queue unavailable").into_response()
}

#[derive(serde::Deserialize)]
struct NewOrder {
    item: String,
}

/// Inserts the order and queues its id for the worker: 202 with the id, or 503 naming the
/// dependency that failed. While either circuit is open, 503 at once, and no row is written
/// for an order the queue would not take. A body that does not arrive within
/// [`BODY_TIMEOUT`] is a 408.
async fn create_order(State(app): State<App>, request: Request) -> Response {
    let body = tokio::time::timeout(BODY_TIMEOUT, Json::<NewOrder>::from_request(request, &()));
    let order = match body.await {
        Ok(Ok(Json(order))) => order,
        Ok(Err(rejection)) => return rejection.into_response(),
        Err(_) => return (StatusCode::REQUEST_TIMEOUT, "the body did not arrive").into_response(),
    };
    if !app.calls.queue_push.allow_call() {
        return queue_unavailable();
    }
    if !app.calls.postgres.allow_call() {
        return database_unavailable();
    }
    let insert = sqlx::query_scalar::<_, i64>("INSERT INTO orders (item) VALUES ($1) RETURNING id")
        .bind(&order.item)
        .fetch_one(&app.pool);
    let Ok(id) = query(&app.calls.postgres, insert).await else {
        return database_unavailable();
    };
    let mut redis = app.redis.clone();
    let pushed: redis::RedisResult<i64> = app
        .calls
        .queue_push
        .observe_with(redis.lpush(QUEUE, id), redis_code)
        .await;
    if pushed.is_err() {
        return queue_unavailable();
    }
    let location = app
        .public_url
        .join(&format!("orders/{id}"))
        .map(String::from)
        .unwrap_or_default();
    let headers = [(axum::http::header::LOCATION, location)];
    (
        StatusCode::ACCEPTED,
        headers,
        Json(serde_json::json!({ "id": id })),
    )
        .into_response()
}

/// The order's status, 404 for an unknown id, 503 when the database cannot say.
async fn order_status(State(app): State<App>, Path(id): Path<i64>) -> Response {
    if !app.calls.postgres.allow_call() {
        return database_unavailable();
    }
    let read = sqlx::query_scalar::<_, String>("SELECT status FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(&app.pool);
    match query(&app.calls.postgres, read).await {
        Ok(Some(status)) => Json(serde_json::json!({ "id": id, "status": status })).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => database_unavailable(),
    }
}

/// Confirms queued orders. Ticks its heartbeat on every loop, idle or not, and retries on
/// errors; only a hang (a dependency that stops answering mid-command) stalls it.
///
/// It records its calls in `calls` but never asks them for permission: it backs off 1 s
/// after a failure already, and a trial permit taken for a pop that finds the queue empty
/// would be one the handlers' trial calls cannot have.
async fn worker(
    pool: PgPool,
    client: redis::Client,
    heartbeat: Heartbeat,
    calls: Calls,
    notifier: Option<Notifier>,
) {
    // No response timeout: a blocking pop waits up to 1 s by design. No reconnect retries:
    // a refused reconnect returns at once and the loop ticks on.
    let config = ConnectionManagerConfig::new()
        .set_response_timeout(None)
        .set_number_of_retries(0)
        .set_connection_timeout(Some(Duration::from_secs(1)));
    let mut redis = None;
    loop {
        heartbeat.tick();
        if redis.is_none() {
            redis = ConnectionManager::new_lazy_with_config(client.clone(), config.clone()).ok();
        }
        let Some(conn) = redis.as_mut() else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        // `Ok(None)`: the queue stayed empty for the pop's 1 s. Redis answered: a success.
        let popped: redis::RedisResult<Option<(String, i64)>> = calls
            .queue_pop
            .observe_with(conn.brpop(QUEUE, 1.0), redis_code)
            .await;
        match popped {
            Ok(Some((_, id))) => {
                let update = sqlx::query("UPDATE orders SET status = 'confirmed' WHERE id = $1")
                    .bind(id)
                    .execute(&pool);
                if query(&calls.postgres, update).await.is_err() {
                    // Put it back for the next loop.
                    let _: redis::RedisResult<i64> = calls
                        .queue_push
                        .observe_with(conn.rpush(QUEUE, id), redis_code)
                        .await;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                } else if let Some(notifier) = &notifier {
                    notifier.confirmed(id, conn).await;
                }
            }
            Ok(None) => {}
            Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}

/// Announces confirmed orders as [`Notify`] says, each within its timeout: the worker's
/// loop, and so its heartbeat, never waits longer.
enum Notifier {
    Webhook {
        client: reqwest::Client,
        url: url::Url,
        token: String,
        timeout: Duration,
    },
    Stream {
        key: String,
    },
}

impl Notifier {
    fn new(notify: &Notify) -> Notifier {
        match notify {
            Notify::Webhook(webhook) => Notifier::Webhook {
                client: reqwest::Client::new(),
                url: webhook.url.clone(),
                token: webhook.token.clone(),
                timeout: webhook.timeout,
            },
            Notify::Stream(stream) => Notifier::Stream {
                key: stream.stream.clone(),
            },
        }
    }

    /// `POST {"id": .., "status": "confirmed"}` to the webhook, or `XADD` the same fields to
    /// the stream; a failure is logged (without the token).
    async fn confirmed(&self, id: i64, redis: &mut ConnectionManager) {
        match self {
            Notifier::Webhook {
                client,
                url,
                token,
                timeout,
            } => {
                let sent = client
                    .post(url.clone())
                    .bearer_auth(token)
                    .timeout(*timeout)
                    .json(&serde_json::json!({ "id": id, "status": "confirmed" }))
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status);
                if let Err(error) = sent {
                    tracing::warn!(id, status = ?error.status(), timeout = error.is_timeout(), "the order's notification failed");
                }
            }
            Notifier::Stream { key } => {
                let mut add = redis::cmd("XADD");
                add.arg(key)
                    .arg("*")
                    .arg("id")
                    .arg(id)
                    .arg("status")
                    .arg("confirmed");
                match tokio::time::timeout(REDIS_TIMEOUT, add.query_async::<String>(redis)).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => tracing::warn!(id, %error, "the order's notification failed"),
                    Err(_) => tracing::warn!(id, "the order's notification timed out"),
                }
            }
        }
    }
}
