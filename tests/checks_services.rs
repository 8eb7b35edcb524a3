//! The built-in checks against real PostgreSQL and Redis servers: pass, refused, hung,
//! bad credentials, pending migrations.

mod common;
mod support;

use std::time::Duration;

use common::code;
use health::{Health, HealthCheck, Outcome, checks};
use sqlx::postgres::PgPoolOptions;
use support::{Postgres, Redis};

async fn run(check: &impl HealthCheck) -> Outcome {
    check.run().await
}

/// The readiness code of one check through the runtime (so its timeout applies). The check
/// refreshes on probe: the first probe starts a run, the second, a timeout later, sees it.
async fn ready_code(health: &Health, name: &str) -> Option<String> {
    health.report(health::Probe::Readiness).await;
    tokio::time::sleep(Duration::from_millis(350)).await;
    let report = health.report(health::Probe::Readiness).await;
    common::code_of(&report, name).map(str::to_owned)
}

#[tokio::test]
async fn postgres_pass_refused_hung_and_back() {
    let Some(mut pg) = Postgres::start() else {
        return;
    };
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy(&pg.url())
        .unwrap();
    let check = checks::postgres(&pool);
    assert_eq!(run(&check).await, Outcome::pass());

    pg.stop();
    let outcome = run(&check).await;
    assert_eq!(code(&outcome), Some("connection_refused"), "{outcome:?}");
    assert!(
        !outcome.message().unwrap().contains(&pg.port().to_string()),
        "{outcome:?}"
    );

    pg.restart();
    assert_eq!(run(&check).await, Outcome::pass());

    // A hang, not a refusal: the runtime's timeout turns it into `timeout`.
    let health = Health::builder()
        .readiness("postgres", checks::postgres(&pool))
        .timeout(Duration::from_millis(300))
        .cache_for(Duration::ZERO)
        .build();
    assert_eq!(ready_code(&health, "postgres").await, None);
    pg.pause();
    let started = std::time::Instant::now();
    assert_eq!(
        ready_code(&health, "postgres").await.as_deref(),
        Some("timeout")
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    pg.resume();
    assert_eq!(ready_code(&health, "postgres").await, None);
}

#[tokio::test]
async fn postgres_unknown_role_is_auth_failed() {
    let Some(pg) = Postgres::start() else { return };
    let url = pg.url().replace("postgres@", "nobody_here@");
    let pool = PgPoolOptions::new().connect_lazy(&url).unwrap();
    let outcome = run(&checks::postgres(&pool)).await;
    assert_eq!(code(&outcome), Some("auth_failed"), "{outcome:?}");
    assert!(
        !outcome.message().unwrap().contains("nobody_here"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn pending_migrations_fail_until_applied() {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let Some(pg) = Postgres::start() else { return };
    let pool = PgPoolOptions::new().connect_lazy(&pg.url()).unwrap();
    let migration = |version, sql: &'static str| {
        Migration::new(
            version,
            "m".into(),
            MigrationType::Simple,
            sql.into_sql_str(),
            false,
        )
    };
    let migrator: &'static Migrator = Box::leak(Box::new(Migrator::with_migrations(vec![
        migration(1, "CREATE TABLE a (id int)"),
        migration(2, "CREATE TABLE b (id int)"),
    ])));
    let check = checks::postgres_migrations(&pool, migrator);
    let outcome = run(&check).await;
    assert_eq!(code(&outcome), Some("migration_pending"), "{outcome:?}");
    assert_eq!(outcome.message(), Some("2 database migrations are pending"));
    migrator.run(&pool).await.unwrap();
    assert_eq!(run(&check).await, Outcome::pass());
}

#[tokio::test]
async fn redis_ping_and_publish_pass_refused_hung_and_back() {
    let Some(mut redis) = Redis::start() else {
        return;
    };
    let client = redis::Client::open(redis.url()).unwrap();
    let conn = client.get_multiplexed_async_connection().await.unwrap();
    let ping = checks::redis_ping(&conn);
    let publish = checks::redis_publish(&conn, "health");
    assert_eq!(run(&ping).await, Outcome::pass());
    assert_eq!(run(&publish).await, Outcome::pass());

    let health = Health::builder()
        .readiness("queue", checks::redis_publish(&conn, "health"))
        .timeout(Duration::from_millis(300))
        .cache_for(Duration::ZERO)
        .build();
    redis.pause();
    assert_eq!(
        ready_code(&health, "queue").await.as_deref(),
        Some("timeout")
    );
    redis.resume();
    assert_eq!(ready_code(&health, "queue").await, None);

    redis.stop();
    let fresh = redis::aio::ConnectionManager::new_lazy_with_config(
        client.clone(),
        redis::aio::ConnectionManagerConfig::new().set_number_of_retries(0),
    )
    .unwrap();
    let outcome = run(&checks::redis_ping(&fresh)).await;
    assert_eq!(code(&outcome), Some("connection_refused"), "{outcome:?}");
    redis.restart();
    let fresh = client.get_multiplexed_async_connection().await.unwrap();
    assert_eq!(run(&checks::redis_ping(&fresh)).await, Outcome::pass());
}

#[tokio::test]
async fn redis_without_credentials_is_auth_failed() {
    let Some(redis) = Redis::start() else { return };
    let client = redis::Client::open(redis.url()).unwrap();
    let mut admin = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("requirepass")
        .arg("s3cret-pass")
        .query_async(&mut admin)
        .await
        .unwrap();
    let conn = client.get_multiplexed_async_connection().await.unwrap();
    let outcome = run(&checks::redis_publish(&conn, "health")).await;
    assert_eq!(code(&outcome), Some("auth_failed"), "{outcome:?}");
}

#[tokio::test]
async fn tcp_reaches_a_live_server_and_names_a_refusal() {
    let Some(mut redis) = Redis::start() else {
        return;
    };
    let addr = format!("127.0.0.1:{}", redis.port());
    assert_eq!(run(&checks::tcp(addr.clone())).await, Outcome::pass());
    redis.stop();
    let outcome = run(&checks::tcp(addr)).await;
    assert_eq!(code(&outcome), Some("connection_refused"), "{outcome:?}");
}
