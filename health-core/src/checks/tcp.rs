//! TCP connect check.

use std::fmt;
use std::io;

use tokio::net::{TcpStream, ToSocketAddrs};

use super::health_check::HealthCheck;
use crate::outcome::Outcome;
use crate::status::Code;

/// Checks that a TCP endpoint accepts connections: each run opens a connection and closes it.
///
/// `addr` is anything tokio can connect to: `"db.internal:5432"`, `("db.internal", 5432)`, a
/// `SocketAddr`, a `String`. A host name is resolved again on every run.
///
/// Codes: `connection_refused` when the port is closed, `timeout` when the operating system
/// gives up connecting, `error` for any other failure (unresolvable name, unreachable network);
/// the raw error is in the private detail. Every failure names the operation `connect`
/// ([`Outcome::operation`]): resolving the name and connecting are all the check does.
///
/// ```
/// # use health_core as health;
/// use health::checks;
/// # fn register(_: impl health::HealthCheck) {}
/// register(checks::tcp("127.0.0.1:5432"));
/// register(checks::tcp(("localhost", 6379)));
/// ```
pub fn tcp<A>(addr: A) -> impl HealthCheck
where
    A: ToSocketAddrs + fmt::Debug + Clone + Send + Sync + 'static,
{
    move || {
        let addr = addr.clone();
        async move {
            match TcpStream::connect(addr.clone()).await {
                Ok(stream) => {
                    drop(stream);
                    Outcome::pass()
                }
                Err(e) => map_io_error(&e).with_detail(format_args!("connect to {addr:?}: {e}")),
            }
        }
    }
}

/// The outcome of a failed connect (operation `connect`), without detail.
fn map_io_error(e: &io::Error) -> Outcome {
    let outcome = match e.kind() {
        io::ErrorKind::ConnectionRefused => Outcome::fail(
            Code::CONNECTION_REFUSED,
            "the endpoint refused the connection",
        ),
        io::ErrorKind::TimedOut => {
            Outcome::fail(Code::TIMEOUT, "connecting to the endpoint timed out")
        }
        _ => Outcome::fail(Code::ERROR, "could not connect to the endpoint"),
    };
    outcome.with_operation("connect")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    #[tokio::test]
    async fn passes_against_a_listener() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let outcome = tcp(addr).run().await;
        assert_eq!(outcome, Outcome::pass());
        // A host and port as text works too.
        let outcome = tcp(addr.to_string()).run().await;
        assert_eq!(outcome.status(), Status::Pass);
    }

    #[tokio::test]
    async fn closed_port_is_connection_refused() {
        // Bind then drop: the port is free and nothing listens on it.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let outcome = tcp(addr).run().await;
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.code(), Some(&Code::CONNECTION_REFUSED));
        assert_eq!(
            outcome.message(),
            Some("the endpoint refused the connection")
        );
        assert_eq!(outcome.operation(), Some("connect"));
        assert!(outcome.detail().unwrap().contains(&addr.to_string()));
    }

    #[test]
    fn io_errors_map_to_codes_and_every_one_is_connect() {
        let code = |kind: io::ErrorKind| map_io_error(&io::Error::from(kind)).code().cloned();
        assert_eq!(
            code(io::ErrorKind::ConnectionRefused),
            Some(Code::CONNECTION_REFUSED)
        );
        assert_eq!(code(io::ErrorKind::TimedOut), Some(Code::TIMEOUT));
        assert_eq!(code(io::ErrorKind::HostUnreachable), Some(Code::ERROR));
        assert_eq!(code(io::ErrorKind::Other), Some(Code::ERROR));
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::TimedOut,
            io::ErrorKind::HostUnreachable,
            io::ErrorKind::Other,
        ] {
            let outcome = map_io_error(&io::Error::from(kind));
            assert_eq!(outcome.operation(), Some("connect"), "{kind:?}");
        }
    }
}
