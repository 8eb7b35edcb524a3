//! Redis checks on the app's shared async connection.

use redis::aio::ConnectionLike;
use redis::{Cmd, ErrorKind, RedisError, Value};

use super::HealthCheck;
use crate::outcome::Outcome;
use crate::status::Code;

/// The message [`redis_publish`] publishes.
const PUBLISH_PAYLOAD: &str = "health-check";

/// Checks that Redis answers `PING` with `PONG`.
///
/// `conn` is the app's own shared async connection, cloned for each run. The check is
/// generic over [`redis::aio::ConnectionLike`] + `Clone` so that it takes whichever handle the
/// app already shares:
///
/// - [`redis::aio::MultiplexedConnection`], from `Client::get_multiplexed_async_connection`:
///   the connection redis-rs recommends sharing between tasks, available with the `tokio-comp`
///   feature alone (the only Redis feature this crate enables). Cloning it is cheap and every
///   clone uses the same socket, so the check costs no connection of its own. It does not
///   reconnect: once the server has dropped it, every run fails until the app replaces it,
///   which is what a readiness check should report.
/// - `redis::aio::ConnectionManager` (the app enables redis' `connection-manager` feature):
///   the same, plus automatic reconnection, so the check reports the server's state as the
///   manager sees it while reconnecting.
///
/// Codes: `connection_refused`, `auth_failed` (`NOAUTH`, `WRONGPASS`, `NOPERM`, failed
/// authentication), `timeout` (the connection's response timeout), `error` for anything else,
/// including a reply other than `PONG`.
///
/// Operations ([`Outcome::operation`]):
///
/// - `connect`: the connection was refused, lost, or failed with another I/O error;
/// - `auth`: authenticating failed (`WRONGPASS`, redis-rs' failed authentication), or the
///   server requires it and the connection never did (`NOAUTH`);
/// - `ping`: the command itself failed: no answer within the response timeout, an error reply
///   (`LOADING`, `NOPERM` when the user's ACL forbids `PING`), or a reply other than `PONG`.
///
/// ```no_run
/// use health_core::checks;
/// # fn register(_: impl health_core::HealthCheck) {}
/// # async fn run() -> redis::RedisResult<()> {
/// let client = redis::Client::open("redis://cache.internal/")?;
/// let conn = client.get_multiplexed_async_connection().await?; // the app's connection
/// register(checks::redis_ping(&conn));
/// # Ok(()) }
/// ```
pub fn redis_ping<C>(conn: &C) -> impl HealthCheck
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    command_check(
        conn,
        redis::cmd("PING"),
        "PING",
        "ping",
        |reply| match reply {
            Value::SimpleString(reply) => reply == "PONG",
            Value::BulkString(reply) => reply == b"PONG",
            _ => false,
        },
    )
}

/// Checks that Redis accepts a `PUBLISH` on `channel`: proves that the path a queue or
/// pub/sub producer writes through accepts writes (the server is up, the credentials and
/// their ACL allow publishing on that channel).
///
/// Each run publishes the small text `health-check` on `channel`; any number of receivers,
/// including none, passes. Subscribers of that channel receive it, so use a channel of its
/// own (such as `health`) or make sure they ignore that payload.
///
/// `conn` is the app's shared connection, as for [`redis_ping`]. Codes and operations: the
/// same as [`redis_ping`], with `publish` in place of `ping`; so `NOPERM` (the user's ACL does
/// not allow publishing on `channel`) is `auth_failed` with operation `publish`, while wrong
/// credentials are `auth_failed` with operation `auth`.
///
/// ```no_run
/// use health_core::checks;
/// # fn register(_: impl health_core::HealthCheck) {}
/// # async fn run() -> redis::RedisResult<()> {
/// let client = redis::Client::open("redis://queue.internal/")?;
/// let conn = client.get_multiplexed_async_connection().await?;
/// register(checks::redis_publish(&conn, "health"));
/// # Ok(()) }
/// ```
pub fn redis_publish<C>(conn: &C, channel: impl Into<String>) -> impl HealthCheck
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    let mut publish = redis::cmd("PUBLISH");
    publish.arg(channel.into()).arg(PUBLISH_PAYLOAD);
    // The reply is the number of receivers.
    command_check(conn, publish, "PUBLISH", "publish", |reply| {
        matches!(reply, Value::Int(_))
    })
}

/// Runs `command` on a clone of `conn` each time; `accept` says which replies pass.
/// `operation` is what a failure of the command itself names (`ping`, `publish`).
///
/// A connection found dropped is tried once more: a reconnecting connection (such as a
/// `ConnectionManager`) then reports what the server does now (refused, or fine again)
/// instead of the stale fact that the old connection died.
fn command_check<C>(
    conn: &C,
    command: Cmd,
    name: &'static str,
    operation: &'static str,
    accept: fn(&Value) -> bool,
) -> impl HealthCheck
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    let conn = conn.clone();
    move || {
        let mut conn = conn.clone();
        let command = command.clone();
        async move {
            let mut reply = command.query_async::<Value>(&mut conn).await;
            if reply.as_ref().is_err_and(RedisError::is_connection_dropped) {
                reply = command.query_async::<Value>(&mut conn).await;
            }
            match reply {
                Ok(reply) if accept(&reply) => Outcome::pass(),
                Ok(other) => unexpected_reply(name, &other).with_operation(operation),
                Err(e) => map_error(&e, operation),
            }
        }
    }
}

fn unexpected_reply(command: &str, reply: &Value) -> Outcome {
    let mut shown = format!("{reply:?}");
    if shown.len() > 200 {
        let mut end = 200;
        while !shown.is_char_boundary(end) {
            end -= 1;
        }
        shown.truncate(end);
        shown.push('…');
    }
    Outcome::fail(
        Code::ERROR,
        format!("redis answered {command} with an unexpected reply"),
    )
    .with_detail(format_args!("{command} answered {shown}"))
}

/// The outcome of a redis error: a stable code, a short safe message, the operation (`connect`,
/// `auth`, or `command`'s own: `ping`, `publish`), the raw text as detail.
fn map_error(e: &RedisError, command: &'static str) -> Outcome {
    let server_code = e.code();
    let (outcome, operation) = if e.is_connection_refusal() {
        (
            Outcome::fail(Code::CONNECTION_REFUSED, "redis refused the connection"),
            "connect",
        )
    } else if e.kind() == ErrorKind::AuthenticationFailed
        || matches!(server_code, Some("NOAUTH" | "WRONGPASS"))
    {
        (
            Outcome::fail(Code::AUTH_FAILED, "redis rejected the credentials"),
            "auth",
        )
    } else if server_code == Some("NOPERM") {
        // Authenticated, but the user's ACL forbids the command: the command failed.
        (
            Outcome::fail(
                Code::AUTH_FAILED,
                "redis does not allow this command for the user",
            ),
            command,
        )
    } else if e.is_timeout() {
        // The connection's response timeout: the command got no answer.
        (
            Outcome::fail(Code::TIMEOUT, "redis did not answer in time"),
            command,
        )
    } else if e.is_connection_dropped() {
        (
            Outcome::fail(Code::ERROR, "the connection to redis was lost"),
            "connect",
        )
    } else if e.is_io_error() {
        (
            Outcome::fail(Code::ERROR, "could not communicate with redis"),
            "connect",
        )
    } else if let Some(code) = server_code.filter(|code| is_safe_server_code(code)) {
        // An error code such as `LOADING` or `READONLY`: a fixed word, safe to show.
        (
            Outcome::fail(Code::ERROR, format!("redis returned an error ({code})")),
            command,
        )
    } else {
        (
            Outcome::fail(Code::ERROR, "redis returned an error"),
            command,
        )
    };
    outcome.with_operation(operation).with_detail(e)
}

/// Redis error codes are short upper-case words.
fn is_safe_server_code(code: &str) -> bool {
    (1..=24).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::{read_some, write_all};
    use crate::status::Status;
    use std::io;
    use tokio::net::{TcpListener, TcpStream};

    #[test]
    fn errors_map_to_codes() {
        let code = |e: RedisError| map_error(&e, "ping").code().cloned().unwrap();
        let io = |kind| RedisError::from(io::Error::from(kind));
        let server = |code: &str, detail: &str| {
            redis::make_extension_error(code.to_owned(), Some(detail.to_owned()))
        };
        assert_eq!(
            code(io(io::ErrorKind::ConnectionRefused)),
            Code::CONNECTION_REFUSED
        );
        assert_eq!(code(io(io::ErrorKind::TimedOut)), Code::TIMEOUT);
        assert_eq!(code(io(io::ErrorKind::BrokenPipe)), Code::ERROR);
        assert_eq!(code(io(io::ErrorKind::PermissionDenied)), Code::ERROR);
        assert_eq!(
            code(
                (
                    ErrorKind::AuthenticationFailed,
                    "Password authentication failed"
                )
                    .into()
            ),
            Code::AUTH_FAILED
        );
        assert_eq!(
            code(server("NOAUTH", "Authentication required.")),
            Code::AUTH_FAILED
        );
        assert_eq!(
            code(server("WRONGPASS", "invalid username-password pair")),
            Code::AUTH_FAILED
        );
        assert_eq!(code(server("WEIRD", "something")), Code::ERROR);
    }

    #[test]
    fn errors_name_connect_auth_or_the_command() {
        let operation = |e: RedisError| map_error(&e, "publish").operation().unwrap().to_owned();
        let io = |kind| RedisError::from(io::Error::from(kind));
        let server = |code: &str| redis::make_extension_error(code.to_owned(), None);
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::BrokenPipe,
            io::ErrorKind::UnexpectedEof,
            io::ErrorKind::PermissionDenied,
        ] {
            assert_eq!(operation(io(kind)), "connect", "{kind:?}");
        }
        assert_eq!(
            operation(
                (
                    ErrorKind::AuthenticationFailed,
                    "Password authentication failed"
                )
                    .into()
            ),
            "auth"
        );
        assert_eq!(operation(server("NOAUTH")), "auth");
        assert_eq!(operation(server("WRONGPASS")), "auth");
        // Authenticated, but not allowed to publish: the publish failed.
        assert_eq!(operation(server("NOPERM")), "publish");
        assert_eq!(operation(io(io::ErrorKind::TimedOut)), "publish");
        assert_eq!(operation(server("LOADING")), "publish");
        assert_eq!(operation(server("token=s3cr3t")), "publish");
        assert_eq!(
            map_error(&server("LOADING"), "ping").operation(),
            Some("ping")
        );
    }

    #[test]
    fn messages_are_safe_and_detail_is_raw() {
        let e = redis::make_extension_error(
            "WRONGPASS".to_owned(),
            Some("invalid username-password pair or user is disabled.".to_owned()),
        );
        let outcome = map_error(&e, "ping");
        assert_eq!(outcome.message(), Some("redis rejected the credentials"));
        assert!(
            outcome
                .detail()
                .unwrap()
                .contains("invalid username-password pair")
        );

        let e = redis::make_extension_error("BUSYGROUP".to_owned(), None);
        assert_eq!(
            map_error(&e, "ping").message(),
            Some("redis returned an error (BUSYGROUP)")
        );
        let e = redis::make_extension_error("token=s3cr3t".to_owned(), None);
        assert_eq!(
            map_error(&e, "ping").message(),
            Some("redis returned an error")
        );
    }

    /// A fake Redis server (RESP2) answering `PING` and `PUBLISH` with the given replies and
    /// the connection setup's `CLIENT SETINFO` with `+OK`.
    async fn fake_redis(ping: &'static str, publish: &'static str) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, ping, publish));
            }
        });
        port
    }

    async fn serve(stream: TcpStream, ping: &'static str, publish: &'static str) {
        let mut buf = Vec::new();
        loop {
            while let Some((command, used)) = parse_command(&buf) {
                buf.drain(..used);
                let reply = match command.to_ascii_uppercase().as_str() {
                    "PING" => ping,
                    "PUBLISH" => publish,
                    _ => "+OK\r\n",
                };
                if write_all(&stream, reply.as_bytes()).await.is_err() {
                    return;
                }
            }
            match read_some(&stream, &mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    }

    /// The name of the first complete command in `buf` (an array of bulk strings) and the
    /// number of bytes it takes.
    fn parse_command(buf: &[u8]) -> Option<(String, usize)> {
        fn line(buf: &[u8], at: usize) -> Option<(&[u8], usize)> {
            let end = buf.get(at..)?.windows(2).position(|w| w == b"\r\n")?;
            Some((&buf[at..at + end], at + end + 2))
        }
        let (head, mut at) = line(buf, 0)?;
        let count: usize = std::str::from_utf8(head.strip_prefix(b"*")?)
            .ok()?
            .parse()
            .ok()?;
        let mut name = None;
        for _ in 0..count {
            let (len, next) = line(buf, at)?;
            let len: usize = std::str::from_utf8(len.strip_prefix(b"$")?)
                .ok()?
                .parse()
                .ok()?;
            let arg = buf.get(next..next + len)?;
            name.get_or_insert_with(|| String::from_utf8_lossy(arg).into_owned());
            at = next + len + 2;
            if buf.len() < at {
                return None;
            }
        }
        Some((name?, at))
    }

    async fn connect(port: u16) -> redis::aio::MultiplexedConnection {
        redis::Client::open(format!("redis://127.0.0.1:{port}/"))
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn ping_and_publish_pass() {
        let port = fake_redis("+PONG\r\n", ":0\r\n").await;
        let conn = connect(port).await;
        assert_eq!(redis_ping(&conn).run().await, Outcome::pass());
        let check = redis_publish(&conn, "health");
        assert_eq!(check.run().await, Outcome::pass());
        assert_eq!(check.run().await, Outcome::pass());
    }

    #[tokio::test]
    async fn noauth_is_auth_failed() {
        let port = fake_redis(
            "-NOAUTH Authentication required.\r\n",
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
        )
        .await;
        let conn = connect(port).await;
        let outcome = redis_ping(&conn).run().await;
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.code(), Some(&Code::AUTH_FAILED));
        assert_eq!(outcome.message(), Some("redis rejected the credentials"));
        assert_eq!(outcome.operation(), Some("auth"));
        let outcome = redis_publish(&conn, "health").run().await;
        assert_eq!(outcome.code(), Some(&Code::AUTH_FAILED));
        assert_eq!(outcome.operation(), Some("auth"));
    }

    #[tokio::test]
    async fn noperm_and_other_errors() {
        let port = fake_redis(
            "-LOADING Redis is loading the dataset in memory\r\n",
            "-NOPERM User app has no permissions to access the 'health' channel\r\n",
        )
        .await;
        let conn = connect(port).await;
        let outcome = redis_ping(&conn).run().await;
        assert_eq!(outcome.code(), Some(&Code::ERROR));
        assert_eq!(outcome.message(), Some("redis returned an error (LOADING)"));
        assert_eq!(outcome.operation(), Some("ping"));
        let outcome = redis_publish(&conn, "health").run().await;
        assert_eq!(outcome.code(), Some(&Code::AUTH_FAILED));
        assert_eq!(
            outcome.message(),
            Some("redis does not allow this command for the user")
        );
        assert_eq!(outcome.operation(), Some("publish"));
    }

    #[tokio::test]
    async fn unexpected_replies_are_errors() {
        let port = fake_redis("+PANG\r\n", "+OK\r\n").await;
        let conn = connect(port).await;
        let outcome = redis_ping(&conn).run().await;
        assert_eq!(outcome.code(), Some(&Code::ERROR));
        assert_eq!(
            outcome.message(),
            Some("redis answered PING with an unexpected reply")
        );
        assert_eq!(outcome.operation(), Some("ping"));
        let outcome = redis_publish(&conn, "health").run().await;
        assert_eq!(
            outcome.message(),
            Some("redis answered PUBLISH with an unexpected reply")
        );
        assert_eq!(outcome.operation(), Some("publish"));
    }

    #[tokio::test]
    async fn dropped_connection_fails() {
        // Answers the setup, then closes the socket on the first PING.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            loop {
                while let Some((command, used)) = parse_command(&buf) {
                    buf.drain(..used);
                    if command.eq_ignore_ascii_case("PING") {
                        return; // drops the stream
                    }
                    let _ = write_all(&stream, b"+OK\r\n").await;
                }
                if !matches!(read_some(&stream, &mut buf).await, Ok(n) if n > 0) {
                    return;
                }
            }
        });
        let conn = connect(port).await;
        let outcome = redis_ping(&conn).run().await;
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.code(), Some(&Code::ERROR));
        assert_eq!(outcome.operation(), Some("connect"));
    }

    #[tokio::test]
    async fn refused_connection_is_connect() {
        let port = crate::checks::test_support::closed_port().await;
        let client = redis::Client::open(format!("redis://127.0.0.1:{port}/")).unwrap();
        let e = client
            .get_multiplexed_async_connection()
            .await
            .map(drop)
            .unwrap_err();
        let outcome = map_error(&e, "ping");
        assert_eq!(outcome.code(), Some(&Code::CONNECTION_REFUSED));
        assert_eq!(outcome.operation(), Some("connect"));
    }
}
