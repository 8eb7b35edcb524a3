//! PostgreSQL checks on the app's sqlx pool.

use std::collections::{BTreeSet, HashSet};
use std::future::Future;
use std::io;

use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{ConnectOptions, Connection, PgPool, Postgres};

use super::health_check::HealthCheck;
use crate::outcome::Outcome;
use crate::status::Code;

/// The table sqlx records applied migrations in (sqlx's default).
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// SQLSTATE `undefined_table`.
const UNDEFINED_TABLE: &str = "42P01";

/// Checks that PostgreSQL answers `SELECT 1` through the app's pool.
///
/// The check uses an idle connection of the pool when there is one, or waits for one like any
/// query of the app would. When the pool holds no connection at all (the server was down, or
/// the pool is lazy and unused), it first makes one direct connection attempt with the pool's
/// own options: sqlx's pool silently retries a refused connection until its acquire timeout,
/// so this attempt is what tells a refused connection or bad credentials from a slow server.
///
/// Codes: `connection_refused`, `auth_failed` (SQLSTATE `28P01` or `28000`), `timeout` (the
/// pool's acquire timeout, or an I/O timeout), `error` for anything else. The message is short
/// and fixed; the driver's error is the private detail.
///
/// Operations ([`Outcome::operation`]), from where the failure happened and sqlx's error:
///
/// - `auth`: the server rejected the credentials (SQLSTATE class `28`: wrong password, unknown
///   role, no `pg_hba.conf` entry);
/// - `connect`: any other failure while getting a connection: refused, TLS, invalid options,
///   the pool closed or timed out, a server error during the handshake (such as `3D000`, the
///   database does not exist, or `57P03`, the server is starting up);
/// - `query`: `SELECT 1` failed on a connection the check had.
///
/// ```no_run
/// # use health_core as health;
/// use health::checks;
/// # fn register(_: impl health::HealthCheck) {}
/// # async fn run() -> Result<(), sqlx::Error> {
/// let pool = sqlx::postgres::PgPoolOptions::new()
///     .connect_lazy("postgres://app@db.internal/app")?; // the app's pool, shared
/// register(checks::postgres(&pool));
/// # Ok(()) }
/// ```
pub fn postgres(pool: &PgPool) -> impl HealthCheck {
    with_connection(pool, |mut conn| async move {
        match sqlx::query("SELECT 1").execute(&mut *conn).await {
            Ok(_) => Outcome::pass(),
            Err(e) => map_error(&e, Step::Query),
        }
    })
}

/// A check that acquires a connection of `pool` (see [`acquire`]) and runs `body` on it; a
/// connection that cannot be had is the outcome.
fn with_connection<F, Fut>(pool: &PgPool, body: F) -> impl HealthCheck
where
    F: Fn(PoolConnection<Postgres>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let pool = pool.clone();
    let body = std::sync::Arc::new(body);
    move || {
        let (pool, body) = (pool.clone(), body.clone());
        async move {
            match acquire(&pool).await {
                Ok(conn) => body(conn).await,
                Err(outcome) => outcome,
            }
        }
    }
}

/// Checks that every migration of `migrator` is applied: fails with code `migration_pending`
/// when one or more are not recorded as successfully applied in the database's
/// `_sqlx_migrations` table (a database without that table has them all pending).
///
/// Only the number of pending migrations is in the public message (`2 database migrations
/// are pending`); their versions are in the private detail. Migrations applied in the
/// database but unknown to `migrator` (a newer release already migrated) are not an error.
/// Connection failures give the same codes as [`postgres`].
///
/// Operations ([`Outcome::operation`]): `connect` and `auth` as for [`postgres`]; `query` when
/// reading `_sqlx_migrations` fails (say the app's role may not read it); `migrate` for
/// `migration_pending`. The check itself never migrates: `migrate` names the operation that
/// has not happened yet, the one the failure asks for (`sqlx migrate run`, or the release's
/// migration job).
///
/// The table name is sqlx's default: a migrator whose table was renamed with
/// `Migrator::dangerous_set_table_name` is not supported.
///
/// ```no_run
/// # use health_core as health;
/// use health::checks;
/// use sqlx::migrate::Migrator;
/// # fn register(_: impl health::HealthCheck) {}
/// // Usually `static MIGRATOR: Migrator = sqlx::migrate!();` (sqlx's `macros` feature).
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let migrator = Migrator::new(std::path::Path::new("./migrations")).await?;
/// let migrator: &'static Migrator = Box::leak(Box::new(migrator));
/// let pool = sqlx::PgPool::connect_lazy("postgres://app@db.internal/app")?;
/// register(checks::postgres_migrations(&pool, migrator));
/// # Ok(()) }
/// ```
pub fn postgres_migrations(pool: &PgPool, migrator: &'static Migrator) -> impl HealthCheck {
    with_connection(pool, move |mut conn| async move {
        let sql = "SELECT version FROM _sqlx_migrations WHERE success";
        let applied: HashSet<i64> = match sqlx::query_scalar::<_, i64>(sql)
            .fetch_all(&mut *conn)
            .await
        {
            Ok(versions) => versions.into_iter().collect(),
            Err(e) if is_undefined_table(&e) => HashSet::new(),
            Err(e) => return map_error(&e, Step::Query),
        };
        migrations_outcome(&pending(migrator, &applied))
    })
}

/// The versions of the up (or simple) migrations of `migrator` not in `applied`.
fn pending(migrator: &Migrator, applied: &HashSet<i64>) -> BTreeSet<i64> {
    migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .filter(|version| !applied.contains(version))
        .collect()
}

/// `migration_pending` (operation `migrate`) when `pending` is not empty.
fn migrations_outcome(pending: &BTreeSet<i64>) -> Outcome {
    let message = match pending.len() {
        0 => return Outcome::pass(),
        1 => "1 database migration is pending".to_owned(),
        n => format!("{n} database migrations are pending"),
    };
    let versions: Vec<String> = pending.iter().map(i64::to_string).collect();
    Outcome::fail(Code::MIGRATION_PENDING, message)
        .with_operation("migrate")
        .with_detail(format_args!(
            "not applied in {MIGRATIONS_TABLE}: {}",
            versions.join(", ")
        ))
}

fn is_undefined_table(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| code == UNDEFINED_TABLE)
}

/// A connection of the pool, or the outcome explaining why there is none.
async fn acquire(pool: &PgPool) -> Result<PoolConnection<Postgres>, Outcome> {
    if pool.is_closed() {
        return Err(map_error(&sqlx::Error::PoolClosed, Step::Connect));
    }
    // A healthy idle connection answers for the pool. `try_acquire` does not test it, so
    // ping it: a connection the server dropped must not hide the server's state.
    if let Some(mut conn) = pool.try_acquire() {
        match conn.ping().await {
            Ok(()) => return Ok(conn),
            Err(_) => conn.close_on_drop(),
        }
    }
    // Otherwise `pool.acquire()` would retry a refused connect quietly until its acquire
    // timeout and then only say "timed out": one direct attempt first tells a refusal, bad
    // credentials or a hang apart.
    match pool.connect_options().connect().await {
        Ok(conn) => {
            let _ = conn.close().await;
        }
        Err(e) => return Err(map_error(&e, Step::Connect)),
    }
    pool.acquire()
        .await
        .map_err(|e| map_error(&e, Step::Connect))
}

/// Where a check was when sqlx returned an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Getting a connection: pinging the pool's idle one, connecting, `pool.acquire()`.
    Connect,
    /// Running the check's query on a connection it has.
    Query,
}

/// Whether the server rejected the credentials: SQLSTATE `28P01` (invalid password) or `28000`
/// (invalid authorization: unknown role, no `pg_hba.conf` entry).
fn is_auth_error(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| matches!(&*code, "28P01" | "28000"))
}

/// The operation a sqlx error names: `auth` for rejected credentials; `connect` for the errors
/// only connecting can give (refused, TLS, invalid options, the pool), whatever the step;
/// otherwise the step's own (`connect` or `query`).
fn operation(e: &sqlx::Error, step: Step) -> &'static str {
    let connecting = matches!(
        e,
        sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_)
            | sqlx::Error::Configuration(_)
    ) || matches!(e, sqlx::Error::Io(io) if io.kind() == io::ErrorKind::ConnectionRefused);
    if is_auth_error(e) {
        "auth"
    } else if connecting || step == Step::Connect {
        "connect"
    } else {
        "query"
    }
}

/// The outcome of a sqlx error met at `step`: a stable code, a short safe message, the
/// operation, the raw text as detail.
fn map_error(e: &sqlx::Error, step: Step) -> Outcome {
    let outcome = match e {
        sqlx::Error::Io(io) => match io.kind() {
            io::ErrorKind::ConnectionRefused => Outcome::fail(
                Code::CONNECTION_REFUSED,
                "the database refused the connection",
            ),
            io::ErrorKind::TimedOut => {
                Outcome::fail(Code::TIMEOUT, "the connection to the database timed out")
            }
            _ => Outcome::fail(Code::ERROR, "could not communicate with the database"),
        },
        sqlx::Error::Database(_) if is_auth_error(e) => {
            Outcome::fail(Code::AUTH_FAILED, "the database rejected the credentials")
        }
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // A SQLSTATE is five characters from a fixed list: safe to show.
            Some(code) if code.len() == 5 && code.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                Outcome::fail(
                    Code::ERROR,
                    format!("the database returned an error (SQLSTATE {code})"),
                )
            }
            _ => Outcome::fail(Code::ERROR, "the database returned an error"),
        },
        sqlx::Error::PoolTimedOut => Outcome::fail(
            Code::TIMEOUT,
            "timed out waiting for a database connection from the pool",
        ),
        sqlx::Error::PoolClosed => Outcome::fail(Code::ERROR, "the database pool is closed"),
        sqlx::Error::Tls(_) => {
            Outcome::fail(Code::ERROR, "the TLS handshake with the database failed")
        }
        sqlx::Error::Configuration(_) => {
            Outcome::fail(Code::ERROR, "the database connection options are invalid")
        }
        _ => Outcome::fail(Code::ERROR, "the database check failed"),
    };
    outcome.with_operation(operation(e, step)).with_detail(e)
}

#[cfg(test)]
mod tests;
