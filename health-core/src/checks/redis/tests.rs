//! The redis checks against fake servers: every failure's code and operation.

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
