//! Redis checks on the app's shared async connection.

use redis::aio::ConnectionLike;
use redis::{Cmd, ErrorKind, RedisError, Value};

use super::health_check::HealthCheck;
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
/// # use health_core as health;
/// use health::checks;
/// # fn register(_: impl health::HealthCheck) {}
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
/// # use health_core as health;
/// use health::checks;
/// # fn register(_: impl health::HealthCheck) {}
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
mod tests;
