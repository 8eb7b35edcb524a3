//! The postgres checks against fake servers: every failure's code and operation.

use super::*;
use crate::checks::test_support::closed_port;
use crate::status::Status;
use sqlx::SqlSafeStr;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::migrate::{Migration, MigrationType};
use sqlx::postgres::PgPoolOptions;
use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// A database error with a SQLSTATE, as the server sends it.
#[derive(Debug)]
struct ServerError(&'static str);

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "password authentication failed for user \"app\" ({})",
            self.0
        )
    }
}

impl StdError for ServerError {}

impl DatabaseError for ServerError {
    fn message(&self) -> &str {
        "password authentication failed"
    }
    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self.0))
    }
    fn as_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn StdError + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn StdError + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

fn db(e: ServerError) -> sqlx::Error {
    sqlx::Error::Database(Box::new(e))
}

fn code(e: sqlx::Error) -> Code {
    map_error(&e, Step::Query).code().cloned().unwrap()
}

/// The operation of `e` met while connecting, and while querying.
fn operations(e: sqlx::Error) -> (&'static str, &'static str) {
    let op = |step| match map_error(&e, step).operation() {
        Some("connect") => "connect",
        Some("auth") => "auth",
        Some("query") => "query",
        other => panic!("unexpected operation {other:?} for {e:?}"),
    };
    (op(Step::Connect), op(Step::Query))
}

#[test]
fn errors_map_to_codes() {
    let io = |kind| sqlx::Error::Io(io::Error::from(kind));
    assert_eq!(
        code(io(io::ErrorKind::ConnectionRefused)),
        Code::CONNECTION_REFUSED
    );
    assert_eq!(code(io(io::ErrorKind::TimedOut)), Code::TIMEOUT);
    assert_eq!(code(io(io::ErrorKind::ConnectionReset)), Code::ERROR);
    assert_eq!(code(sqlx::Error::PoolTimedOut), Code::TIMEOUT);
    assert_eq!(code(sqlx::Error::PoolClosed), Code::ERROR);
    assert_eq!(code(sqlx::Error::RowNotFound), Code::ERROR);
    assert_eq!(code(db(ServerError("28P01"))), Code::AUTH_FAILED);
    assert_eq!(code(db(ServerError("28000"))), Code::AUTH_FAILED);
    assert_eq!(code(db(ServerError("3D000"))), Code::ERROR);
}

#[test]
fn errors_name_the_operation_from_their_kind_and_step() {
    let io = |kind| sqlx::Error::Io(io::Error::from(kind));
    // Only connecting gives these: `connect` whatever the step.
    for e in [
        io(io::ErrorKind::ConnectionRefused),
        sqlx::Error::PoolTimedOut,
        sqlx::Error::PoolClosed,
        sqlx::Error::Tls("handshake failure".into()),
        sqlx::Error::Configuration("bad url".into()),
    ] {
        assert_eq!(operations(e), ("connect", "connect"));
    }
    // Rejected credentials: `auth` whatever the step.
    assert_eq!(operations(db(ServerError("28P01"))), ("auth", "auth"));
    assert_eq!(operations(db(ServerError("28000"))), ("auth", "auth"));
    // Anything else: where it happened.
    for e in [
        io(io::ErrorKind::TimedOut),
        io(io::ErrorKind::ConnectionReset),
        db(ServerError("3D000")),
        db(ServerError("42501")),
        sqlx::Error::RowNotFound,
    ] {
        assert_eq!(operations(e), ("connect", "query"));
    }
}

#[test]
fn messages_are_safe_and_detail_is_raw() {
    let outcome = map_error(&db(ServerError("28P01")), Step::Connect);
    assert_eq!(
        outcome.message(),
        Some("the database rejected the credentials")
    );
    assert!(outcome.detail().unwrap().contains("user \"app\""));
    let outcome = map_error(&db(ServerError("3D000")), Step::Connect);
    assert_eq!(
        outcome.message(),
        Some("the database returned an error (SQLSTATE 3D000)")
    );
    let outcome = map_error(
        &sqlx::Error::Configuration("bad url postgres://app:hunter2@db/app".into()),
        Step::Connect,
    );
    assert!(!outcome.message().unwrap().contains("hunter2"));
    assert!(outcome.detail().unwrap().contains("hunter2"));
}

fn lazy_pool(port: u16) -> PgPool {
    PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(30))
        .connect_lazy(&format!("postgres://app:hunter2@127.0.0.1:{port}/app"))
        .unwrap()
}

#[tokio::test]
async fn refused_connection_is_reported_without_waiting_for_the_pool() {
    let pool = lazy_pool(closed_port().await);
    let started = std::time::Instant::now();
    let outcome = postgres(&pool).run().await;
    // Far below the pool's 30 s acquire timeout.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(outcome.status(), Status::Fail);
    assert_eq!(outcome.code(), Some(&Code::CONNECTION_REFUSED));
    assert_eq!(outcome.operation(), Some("connect"));
    assert_eq!(
        outcome.message(),
        Some("the database refused the connection")
    );
    assert!(!outcome.detail().unwrap().contains("hunter2"));

    let migrator: &'static Migrator = Box::leak(Box::new(Migrator::with_migrations(vec![])));
    let outcome = postgres_migrations(&pool, migrator).run().await;
    assert_eq!(outcome.code(), Some(&Code::CONNECTION_REFUSED));
    assert_eq!(outcome.operation(), Some("connect"));
}

#[tokio::test]
async fn closed_pool_is_an_error() {
    let pool = lazy_pool(closed_port().await);
    pool.close().await;
    let outcome = postgres(&pool).run().await;
    assert_eq!(outcome.code(), Some(&Code::ERROR));
    assert_eq!(outcome.message(), Some("the database pool is closed"));
    assert_eq!(outcome.operation(), Some("connect"));
}

fn migration(version: i64, kind: MigrationType) -> Migration {
    Migration::new(
        version,
        "secret_table".into(),
        kind,
        "SELECT 1".into_sql_str(),
        false,
    )
}

#[test]
fn pending_counts_up_migrations_not_applied() {
    let migrator = Migrator::with_migrations(vec![
        migration(1, MigrationType::Simple),
        migration(2, MigrationType::ReversibleUp),
        migration(2, MigrationType::ReversibleDown),
        migration(3, MigrationType::ReversibleUp),
        migration(3, MigrationType::ReversibleDown),
    ]);
    let applied = |v: &[i64]| v.iter().copied().collect::<HashSet<i64>>();

    assert_eq!(
        migrations_outcome(&pending(&migrator, &applied(&[1, 2, 3]))),
        Outcome::pass()
    );
    // Applied in the database but unknown to this release: fine.
    assert_eq!(
        migrations_outcome(&pending(&migrator, &applied(&[1, 2, 3, 4]))),
        Outcome::pass()
    );

    let outcome = migrations_outcome(&pending(&migrator, &applied(&[1, 2])));
    assert_eq!(outcome.status(), Status::Fail);
    assert_eq!(outcome.code(), Some(&Code::MIGRATION_PENDING));
    assert_eq!(outcome.operation(), Some("migrate"));
    assert_eq!(outcome.message(), Some("1 database migration is pending"));
    assert_eq!(outcome.detail(), Some("not applied in _sqlx_migrations: 3"));

    // No table (or nothing applied): all pending, each version counted once.
    let outcome = migrations_outcome(&pending(&migrator, &applied(&[])));
    assert_eq!(outcome.message(), Some("3 database migrations are pending"));
    assert_eq!(outcome.operation(), Some("migrate"));
    assert!(!outcome.message().unwrap().contains("secret_table"));
    assert_eq!(
        outcome.detail(),
        Some("not applied in _sqlx_migrations: 1, 2, 3")
    );
}

#[test]
fn missing_table_is_recognised() {
    assert!(is_undefined_table(&db(ServerError("42P01"))));
    assert!(!is_undefined_table(&db(ServerError("28P01"))));
    assert!(!is_undefined_table(&sqlx::Error::PoolTimedOut));
}

/// How the fake server below answers.
#[derive(Clone, Copy)]
enum Fake {
    /// Rejects the startup message with this SQLSTATE.
    RejectStartup(&'static str),
    /// Accepts any startup, then answers every `Sync` or simple query with an error of
    /// this SQLSTATE.
    FailQueries(&'static str),
}

/// A fake PostgreSQL server (protocol 3) on loopback answering as `fake` says; declines
/// TLS.
async fn fake_postgres(fake: Fake) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_postgres(stream, fake));
        }
    });
    port
}

/// `ErrorResponse` with `sqlstate`.
fn error_response(sqlstate: &str) -> Vec<u8> {
    let mut fields = Vec::new();
    for (tag, value) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', sqlstate),
        (b'M', "refused by the fake server"),
    ] {
        fields.push(tag);
        fields.extend_from_slice(value.as_bytes());
        fields.push(0);
    }
    fields.push(0);
    message(b'E', &fields)
}

fn message(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
    out.extend_from_slice(body);
    out
}

async fn serve_postgres(stream: tokio::net::TcpStream, fake: Fake) {
    use crate::checks::test_support::{read_some, write_all};
    let mut buf = Vec::new();
    // Untyped messages first: an optional SSLRequest, then the startup message.
    let mut started = false;
    while !started {
        while buf.len() < 4 {
            if !matches!(read_some(&stream, &mut buf).await, Ok(n) if n > 0) {
                return;
            }
        }
        let len = u32::from_be_bytes(buf[..4].try_into().unwrap()) as usize;
        while buf.len() < len {
            if !matches!(read_some(&stream, &mut buf).await, Ok(n) if n > 0) {
                return;
            }
        }
        let ssl_request = len == 8 && buf[4..8] == [0x04, 0xd2, 0x16, 0x2f];
        buf.drain(..len);
        let reply = if ssl_request {
            b"N".to_vec()
        } else {
            started = true;
            match fake {
                Fake::RejectStartup(sqlstate) => error_response(sqlstate),
                Fake::FailQueries(_) => [
                    message(b'R', &0u32.to_be_bytes()),
                    message(b'K', &[0, 0, 0, 1, 0, 0, 0, 2]),
                    message(b'Z', b"I"),
                ]
                .concat(),
            }
        };
        if write_all(&stream, &reply).await.is_err() {
            return;
        }
    }
    let Fake::FailQueries(sqlstate) = fake else {
        return;
    };
    // Typed messages: answer each Sync (extended protocol) or Query with the error.
    loop {
        while buf.len() >= 5 {
            let len = u32::from_be_bytes(buf[1..5].try_into().unwrap()) as usize;
            if buf.len() < len + 1 {
                break;
            }
            let tag = buf[0];
            buf.drain(..len + 1);
            match tag {
                b'S' | b'Q' => {
                    let reply = [error_response(sqlstate), message(b'Z', b"I")].concat();
                    if write_all(&stream, &reply).await.is_err() {
                        return;
                    }
                }
                b'X' => return,
                _ => {}
            }
        }
        if !matches!(read_some(&stream, &mut buf).await, Ok(n) if n > 0) {
            return;
        }
    }
}

#[tokio::test]
async fn rejected_credentials_while_connecting_are_auth() {
    for sqlstate in ["28P01", "28000"] {
        let pool = lazy_pool(fake_postgres(Fake::RejectStartup(sqlstate)).await);
        let outcome = postgres(&pool).run().await;
        assert_eq!(outcome.code(), Some(&Code::AUTH_FAILED), "{outcome:?}");
        assert_eq!(outcome.operation(), Some("auth"), "{outcome:?}");
    }
}

#[tokio::test]
async fn other_server_errors_while_connecting_are_connect() {
    // The database does not exist; the server is starting up.
    for sqlstate in ["3D000", "57P03"] {
        let pool = lazy_pool(fake_postgres(Fake::RejectStartup(sqlstate)).await);
        let outcome = postgres(&pool).run().await;
        assert_eq!(outcome.code(), Some(&Code::ERROR), "{outcome:?}");
        assert_eq!(
            outcome.message(),
            Some(format!("the database returned an error (SQLSTATE {sqlstate})").as_str())
        );
        assert_eq!(outcome.operation(), Some("connect"), "{outcome:?}");
    }
}

#[tokio::test]
async fn a_failing_select_1_is_query() {
    // `insufficient_privilege` on a connection that was established fine.
    let pool = lazy_pool(fake_postgres(Fake::FailQueries("42501")).await);
    let outcome = postgres(&pool).run().await;
    assert_eq!(outcome.code(), Some(&Code::ERROR), "{outcome:?}");
    assert_eq!(
        outcome.message(),
        Some("the database returned an error (SQLSTATE 42501)")
    );
    assert_eq!(outcome.operation(), Some("query"), "{outcome:?}");

    // Reading `_sqlx_migrations` is a query too.
    let migrator: &'static Migrator =
        Box::leak(Box::new(Migrator::with_migrations(vec![migration(
            1,
            MigrationType::Simple,
        )])));
    let outcome = postgres_migrations(&pool, migrator).run().await;
    assert_eq!(outcome.code(), Some(&Code::ERROR), "{outcome:?}");
    assert_eq!(outcome.operation(), Some("query"), "{outcome:?}");
}

#[tokio::test]
async fn a_missing_migrations_table_is_migrate() {
    // `undefined_table`: nothing was ever migrated.
    let pool = lazy_pool(fake_postgres(Fake::FailQueries("42P01")).await);
    let migrator: &'static Migrator =
        Box::leak(Box::new(Migrator::with_migrations(vec![migration(
            1,
            MigrationType::Simple,
        )])));
    let outcome = postgres_migrations(&pool, migrator).run().await;
    assert_eq!(
        outcome.code(),
        Some(&Code::MIGRATION_PENDING),
        "{outcome:?}"
    );
    assert_eq!(outcome.operation(), Some("migrate"), "{outcome:?}");
}
