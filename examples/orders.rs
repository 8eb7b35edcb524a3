//! orders: a web service that takes orders into PostgreSQL and hands them to a worker through
//! a Redis queue, with probes that catch the failures users feel.
//!
//! - Readiness (`/ready`): the config holds, the app's own pool runs `SELECT 1`, the schema
//!   migrations are applied, and a `PUBLISH` on the queue's Redis goes through. A database
//!   or queue outage takes the instance out of rotation; it does not restart it.
//! - Liveness (`/health`): the worker's heartbeat, ticked on every loop. A worker wedged on a
//!   hung connection fails liveness, so the platform restarts it.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/ \
//! cargo run --example orders --features postgres,redis
//! curl -i localhost:8001/ready?verbose
//! curl -i -X POST localhost:8001/orders -H 'content-type: application/json' -d '{"item":"book"}'
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use health::{Health, Heartbeat, ReadinessContract, checks};
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
}

/// Where the service listens.
#[derive(Debug, ReadinessContract)]
struct Server {
    /// TCP port on 127.0.0.1.
    #[contract(default = 8001)]
    port: u16,
}

/// Probe timeouts and refresh interval; the Kubernetes YAML in the README matches them.
const CHECK_TIMEOUT: Duration = Duration::from_millis(300);
const REFRESH: Duration = Duration::from_secs(2);
const QUEUE: &str = "orders:queue";

#[derive(Clone)]
struct App {
    pool: PgPool,
    redis: ConnectionManager,
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
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_target(false).init();
    let loaded = health::load::<Config>();
    let mut builder = Health::builder()
        .config(&loaded)
        .timeout(CHECK_TIMEOUT)
        .refresh_every(REFRESH);
    let port = match loaded.config() {
        Some(config) => config.server.port,
        // PORT may be fine even when something else is not.
        None => Server::from_env().map_or(8001, |s| s.port),
    };
    let mut app = None;
    if let Some(config) = loaded.config() {
        let pool = PgPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(Duration::from_secs(2))
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
                        .set_connection_timeout(Some(CHECK_TIMEOUT))
                        .set_response_timeout(Some(CHECK_TIMEOUT)),
                )
                .map_err(std::io::Error::other)?;
                builder = builder
                    .readiness("postgres", checks::postgres(&pool))
                    .readiness("migrations", checks::postgres_migrations(&pool, migrator()))
                    .readiness("queue", checks::redis_publish(&redis, "health"))
                    .liveness_heartbeat("worker", config.worker_max_silence);
                app = Some((App { pool, redis }, client));
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
    if let Some((app, worker_client)) = app {
        tokio::spawn(migrate(app.pool.clone()));
        if let Some(heartbeat) = health.heartbeat("worker") {
            tokio::spawn(worker(app.pool.clone(), worker_client, heartbeat));
        }
        router = router.merge(
            Router::new()
                .route("/orders", post(create_order))
                .route("/orders/{id}", get(order_status))
                .with_state(app),
        );
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

    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "orders listening");
    axum::serve(listener, router)
        .with_graceful_shutdown(health.shutdown_on_signal(Duration::from_secs(5)))
        .await
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

#[derive(serde::Deserialize)]
struct NewOrder {
    item: String,
}

async fn create_order(State(app): State<App>, Json(order): Json<NewOrder>) -> Response {
    let id: Result<i64, _> =
        sqlx::query_scalar("INSERT INTO orders (item) VALUES ($1) RETURNING id")
            .bind(&order.item)
            .fetch_one(&app.pool)
            .await;
    let Ok(id) = id else {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
    };
    let mut redis = app.redis.clone();
    if redis.lpush::<_, _, i64>(QUEUE, id).await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "queue unavailable").into_response();
    }
    (StatusCode::ACCEPTED, Json(serde_json::json!({ "id": id }))).into_response()
}

async fn order_status(State(app): State<App>, Path(id): Path<i64>) -> Response {
    let status: Result<Option<String>, _> =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&app.pool)
            .await;
    match status {
        Ok(Some(status)) => Json(serde_json::json!({ "id": id, "status": status })).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

/// Confirms queued orders. Ticks its heartbeat on every loop, idle or not, and retries on
/// errors; only a hang (a dependency that stops answering mid-command) stalls it.
async fn worker(pool: PgPool, client: redis::Client, heartbeat: Heartbeat) {
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
        let popped: redis::RedisResult<Option<(String, i64)>> = conn.brpop(QUEUE, 1.0).await;
        match popped {
            Ok(Some((_, id))) => {
                let confirmed = sqlx::query("UPDATE orders SET status = 'confirmed' WHERE id = $1")
                    .bind(id)
                    .execute(&pool)
                    .await;
                if confirmed.is_err() {
                    // Put it back for the next loop.
                    let _: redis::RedisResult<i64> = conn.rpush(QUEUE, id).await;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            Ok(None) => {}
            Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}
