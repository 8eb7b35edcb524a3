//! Dependency checks: the [`HealthCheck`] trait and the built-in checks.
//!
//! A check is any async function returning an [`Outcome`](crate::Outcome); the built-ins
//! below cover the dependencies most services have. The client checks (`postgres`,
//! `redis_*`, `http*`) take the app's own client or pool *by reference* and clone it (a cheap
//! handle clone: pools and multiplexed connections are reference-counted), so a probe uses
//! the same credentials, pool and network path as the app's requests; [`tcp`] takes an
//! address and opens its own connection, and [`queue_lag`] takes a function of the app's
//! that measures the backlog.
//!
//! A check never panics and never puts a connection string, a URL or a driver's raw text in
//! its public message: failures carry a stable [`Code`](crate::Code) and a short safe message,
//! and the raw error goes to the private detail
//! ([`Outcome::detail`](crate::Outcome::detail)).
//!
//! Each failure (and `queue_lag`'s warning) also names the operation on the dependency that
//! failed ([`Outcome::operation`](crate::Outcome::operation)), a stable lowercase word from
//! the table's last column: the code says why (`auth_failed`), the operation says what
//! (`auth` when logging in failed, `publish` when the login worked but the user's ACL forbids
//! publishing). A passing outcome names none, nor do the runtime's own failures (`timeout` of
//! a run, `panicked`): the runtime cannot tell what the check was doing. The operation shows
//! as `"operation"` in the `application/health+json` body, as the `operation` field of the
//! state-change log event, and as the `operation` label of the `health_check_failures_total`
//! counter; not in Kubernetes' `?verbose` text, which withholds reasons.
//!
//! The runtime runs every check under its own hard timeout, so none of these adds one.
//!
//! | Check | Feature | Takes | Codes on failure | Operations |
//! |---|---|---|---|---|
//! | [`tcp`] | always | an address | `connection_refused`, `timeout`, `error` | `connect` |
//! | [`queue_lag`] | always | a function measuring the oldest message's age | `queue_lag` (warn or fail), `error` | `consume` (the lag, and an error of the function) |
//! | `postgres` | `postgres` | `&PgPool` | `connection_refused`, `auth_failed`, `timeout`, `error` | `connect`, `auth` (SQLSTATE class `28`), `query` (`SELECT 1` on a connection it has) |
//! | `postgres_migrations` | `postgres` | `&PgPool`, `&Migrator` | `migration_pending` and the `postgres` codes | `connect`, `auth`, `query` (reading `_sqlx_migrations`), `migrate` (`migration_pending`: the migration that has not run) |
//! | `redis_ping` | `redis` | a `&` connection | `connection_refused`, `auth_failed`, `timeout`, `error` | `connect`, `auth`, `ping` |
//! | `redis_publish` | `redis` | a `&` connection, a channel | `connection_refused`, `auth_failed`, `timeout`, `error` | `connect`, `auth`, `publish` (`NOPERM` included) |
//! | `http`, `http_2xx` | `http-client` | `&reqwest::Client`, a URL | `connection_refused`, `timeout`, `unexpected_status`, `error` | `connect`, `request` (`unexpected_status` included) |

mod health_check;
#[cfg(feature = "http-client")]
mod http;
#[cfg(feature = "postgres")]
mod postgres;
mod queue_lag;
#[cfg(feature = "redis")]
mod redis;
mod tcp;

pub use self::health_check::{BoxFuture, HealthCheck};
#[cfg(feature = "http-client")]
pub use self::http::{http, http_2xx};
#[cfg(feature = "postgres")]
pub use self::postgres::{postgres, postgres_migrations};
pub use self::queue_lag::queue_lag;
#[cfg(feature = "redis")]
pub use self::redis::{redis_ping, redis_publish};
pub use self::tcp::tcp;

/// Small socket helpers for the tests' fake servers (tokio's `net` feature only, no
/// `io-util`).
#[cfg(test)]
#[allow(dead_code)]
pub(crate) mod test_support {
    use std::io;

    use tokio::net::TcpStream;

    /// Reads what is available (at least one byte, or 0 at end of stream) into `buf`.
    pub(crate) async fn read_some(stream: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
        let mut chunk = [0u8; 4096];
        loop {
            stream.readable().await?;
            match stream.try_read(&mut chunk) {
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads an HTTP/1.1 request head (up to the blank line) and returns it as text.
    pub(crate) async fn read_request_head(stream: &TcpStream) -> io::Result<String> {
        let mut buf = Vec::new();
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            if read_some(stream, &mut buf).await? == 0 {
                break;
            }
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Writes all of `bytes`.
    pub(crate) async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            stream.writable().await?;
            match stream.try_write(bytes) {
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// A local port on which nothing listens (bound, then released).
    pub(crate) async fn closed_port() -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    }
}
