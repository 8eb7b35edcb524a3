//! The built-in checks against real PostgreSQL and Redis servers: pass, refused, hung,
//! bad credentials, pending migrations; and the operation each failure names (`connect`,
//! `auth`, `query`, `migrate`, `publish`), in the outcome, the health+json body and the
//! state-change log.

mod capture;
mod common;
mod support;

use std::time::Duration;

use capture::Logs;
use common::code;
use health::{Health, HealthCheck, Outcome, checks};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool, SqlSafeStr};
use support::{Postgres, Redis};

async fn run(check: &impl HealthCheck) -> Outcome {
    check.run().await
}

/// The readiness code of one check through the runtime (so its timeout applies). The check
/// refreshes on probe: the first probe starts a run, the second, a timeout later, sees it.
async fn ready_code(health: &Health, name: &str) -> Option<String> {
    code(&ready_outcome(health, name).await).map(str::to_owned)
}

/// The readiness outcome of one check through the runtime, as [`ready_code`] reads it.
async fn ready_outcome(health: &Health, name: &str) -> Outcome {
    health.report(health::Probe::Readiness).await;
    tokio::time::sleep(Duration::from_millis(350)).await;
    let report = health.report(health::Probe::Readiness).await;
    report.get(name).unwrap().outcome().clone()
}

/// The operation `outcome` names, for `assert_eq!`.
fn op(outcome: &Outcome) -> Option<&str> {
    outcome.operation()
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
    assert_eq!(op(&outcome), Some("connect"), "{outcome:?}");
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
    let outcome = ready_outcome(&health, "postgres").await;
    assert_eq!(code(&outcome), Some("timeout"), "{outcome:?}");
    // The runtime's timeout cannot tell what the check was doing: no operation.
    assert_eq!(op(&outcome), None, "{outcome:?}");
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
    assert_eq!(op(&outcome), Some("auth"), "{outcome:?}");
    assert!(
        !outcome.message().unwrap().contains("nobody_here"),
        "{outcome:?}"
    );
}

/// Makes the server ask `role` for its password over TCP. The harness' server trusts every
/// connection (`initdb -A trust`) and has no password option, so this creates the role with
/// `password` and puts a `scram-sha-256` line for it first in the server's own `pg_hba.conf`
/// (the file `SHOW hba_file` names), then reloads the configuration.
async fn require_password(pg: &Postgres, role: &str, password: &str) {
    let mut admin = sqlx::PgConnection::connect(&pg.url()).await.unwrap();
    // Test-owned names, no user input.
    let create = format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'");
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await
        .unwrap();
    let hba: String = sqlx::query_scalar("SHOW hba_file")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    let rules = std::fs::read_to_string(&hba).unwrap();
    let line = format!("host all {role} 127.0.0.1/32 scram-sha-256\n");
    std::fs::write(&hba, line + &rules).unwrap();
    let reloaded: bool = sqlx::query_scalar("SELECT pg_reload_conf()")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert!(reloaded);
    // The postmaster rereads the file asynchronously: wait until a wrong password is refused.
    let wrong = pg
        .url()
        .replace("postgres@", &format!("{role}:not-{password}@"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sqlx::PgConnection::connect(&wrong).await.is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "pg_hba.conf reload not in effect"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn postgres_wrong_password_is_auth() {
    let Some(pg) = Postgres::start() else { return };
    require_password(&pg, "app", "right-pass").await;
    let url = |password: &str| pg.url().replace("postgres@", &format!("app:{password}@"));

    let pool = PgPoolOptions::new()
        .connect_lazy(&url("wrong-pass"))
        .unwrap();
    let outcome = run(&checks::postgres(&pool)).await;
    assert_eq!(code(&outcome), Some("auth_failed"), "{outcome:?}");
    assert_eq!(op(&outcome), Some("auth"), "{outcome:?}");
    assert_eq!(
        outcome.message(),
        Some("the database rejected the credentials")
    );
    assert!(
        outcome
            .detail()
            .unwrap()
            .contains("password authentication failed"),
        "{outcome:?}"
    );
    assert!(
        !format!("{outcome:?}").contains("wrong-pass"),
        "{outcome:?}"
    );

    let pool = PgPoolOptions::new()
        .connect_lazy(&url("right-pass"))
        .unwrap();
    assert_eq!(run(&checks::postgres(&pool)).await, Outcome::pass());
}

#[tokio::test]
async fn postgres_a_query_the_role_may_not_run_is_query() {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let Some(pg) = Postgres::start() else { return };
    let admin = PgPoolOptions::new().connect_lazy(&pg.url()).unwrap();
    let migrator: &'static Migrator =
        Box::leak(Box::new(Migrator::with_migrations(vec![Migration::new(
            1,
            "m".into(),
            MigrationType::Simple,
            "CREATE TABLE a (id int)".into_sql_str(),
            false,
        )])));
    migrator.run(&admin).await.unwrap();
    assert_eq!(
        run(&checks::postgres_migrations(&admin, migrator)).await,
        Outcome::pass()
    );

    // A role that connects fine but may not read `_sqlx_migrations`: the connection works,
    // the query fails (SQLSTATE 42501, insufficient_privilege).
    sqlx::raw_sql("CREATE ROLE reader LOGIN".into_sql_str())
        .execute(&admin)
        .await
        .unwrap();
    let reader: PgPool = PgPoolOptions::new()
        .connect_lazy(&pg.url().replace("postgres@", "reader@"))
        .unwrap();
    assert_eq!(run(&checks::postgres(&reader)).await, Outcome::pass());
    let outcome = run(&checks::postgres_migrations(&reader, migrator)).await;
    assert_eq!(code(&outcome), Some("error"), "{outcome:?}");
    assert_eq!(
        outcome.message(),
        Some("the database returned an error (SQLSTATE 42501)")
    );
    assert_eq!(op(&outcome), Some("query"), "{outcome:?}");
}

#[tokio::test]
async fn pending_migrations_fail_until_applied() {
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
    assert_eq!(op(&outcome), Some("migrate"), "{outcome:?}");
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
    let outcome = ready_outcome(&health, "queue").await;
    assert_eq!(code(&outcome), Some("timeout"), "{outcome:?}");
    assert_eq!(op(&outcome), None, "{outcome:?}");
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
    assert_eq!(op(&outcome), Some("connect"), "{outcome:?}");
    let outcome = run(&checks::redis_publish(&fresh, "health")).await;
    assert_eq!(code(&outcome), Some("connection_refused"), "{outcome:?}");
    assert_eq!(op(&outcome), Some("connect"), "{outcome:?}");
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
    // NOAUTH: the connection never authenticated.
    assert_eq!(op(&outcome), Some("auth"), "{outcome:?}");
    let outcome = run(&checks::redis_ping(&conn)).await;
    assert_eq!(op(&outcome), Some("auth"), "{outcome:?}");

    // A wrong password: refused while connecting (WRONGPASS).
    let wrong = redis::Client::open(redis.url().replace("//", "//:wrong-pass@")).unwrap();
    let lazy = redis::aio::ConnectionManager::new_lazy_with_config(
        wrong,
        redis::aio::ConnectionManagerConfig::new().set_number_of_retries(0),
    )
    .unwrap();
    for outcome in [
        run(&checks::redis_ping(&lazy)).await,
        run(&checks::redis_publish(&lazy, "health")).await,
    ] {
        assert_eq!(code(&outcome), Some("auth_failed"), "{outcome:?}");
        assert_eq!(op(&outcome), Some("auth"), "{outcome:?}");
        assert!(
            !format!("{outcome:?}").contains("wrong-pass"),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn redis_acl_without_publish_is_auth_failed_on_publish() {
    let Some(redis) = Redis::start() else { return };
    let client = redis::Client::open(redis.url()).unwrap();
    let mut admin = client.get_multiplexed_async_connection().await.unwrap();
    // Logs in fine; may do anything but publish.
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("worker")
        .arg("on")
        .arg(">worker-pass")
        .arg("~*")
        .arg("&*")
        .arg("+@all")
        .arg("-publish")
        .query_async(&mut admin)
        .await
        .unwrap();
    let url = redis.url().replace("//", "//worker:worker-pass@");
    let conn = redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    assert_eq!(run(&checks::redis_ping(&conn)).await, Outcome::pass());
    let outcome = run(&checks::redis_publish(&conn, "health")).await;
    assert_eq!(code(&outcome), Some("auth_failed"), "{outcome:?}");
    assert_eq!(
        outcome.message(),
        Some("redis does not allow this command for the user")
    );
    // The login worked; the publish is what was refused.
    assert_eq!(op(&outcome), Some("publish"), "{outcome:?}");
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
    assert_eq!(op(&outcome), Some("connect"), "{outcome:?}");
}

/// Whether a `tracing` line has `field` with `value` (quoted or not, as the formatter writes).
fn has_field(line: &str, field: &str, value: &str) -> bool {
    line.contains(&format!("{field}=\"{value}\"")) || line.contains(&format!("{field}={value} "))
}

// The default test runtime is current-thread: the log capture (per thread) sees the runs.
#[tokio::test]
async fn a_stopped_database_names_connect_in_the_body_and_the_log() {
    let Some(mut pg) = Postgres::start() else {
        return;
    };
    let logs = Logs::capture();
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy(&pg.url())
        .unwrap();
    let health = Health::builder()
        .readiness("postgres", checks::postgres(&pool))
        .timeout(Duration::from_millis(300))
        .cache_for(Duration::ZERO)
        .build();
    assert_eq!(ready_code(&health, "postgres").await, None);
    pg.stop();
    assert_eq!(
        ready_code(&health, "postgres").await.as_deref(),
        Some("connection_refused")
    );

    let response = common::respond(&health, "/ready").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    let entry = &body["checks"]["postgres"][0];
    assert_eq!(entry["code"], "connection_refused", "{body}");
    assert_eq!(entry["operation"], "connect", "{body}");

    let text = logs.text();
    let changes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("check=\"postgres\"") && l.contains("changed state"))
        .collect();
    assert_eq!(changes.len(), 1, "pass->fail once:\n{text}");
    assert!(
        has_field(changes[0], "operation", "connect"),
        "{}",
        changes[0]
    );
    assert!(
        has_field(changes[0], "code", "connection_refused"),
        "{}",
        changes[0]
    );
}
