//! HTTP dependency check on the app's reqwest client.

use std::error::Error as _;
use std::fmt::{self, Write as _};
use std::io;

use reqwest::{Client, IntoUrl, StatusCode, Url};

use super::health_check::HealthCheck;
use crate::outcome::Outcome;
use crate::status::Code;

/// Which answers pass.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Exactly this status.
    Exactly(StatusCode),
    /// Any 2xx status.
    Success,
}

impl Expect {
    fn matches(self, status: StatusCode) -> bool {
        match self {
            Expect::Exactly(expected) => status == expected,
            Expect::Success => status.is_success(),
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Exactly(status) => write!(f, "{}", status.as_u16()),
            Expect::Success => f.write_str("a 2xx status"),
        }
    }
}

/// Checks an HTTP dependency: each run sends `GET url` with the app's own client and passes
/// when the answer's status is exactly `expected` (see [`http_2xx`] for any 2xx).
///
/// The client's own settings apply (timeouts, redirects, proxies, TLS, default headers); the
/// response body is not read.
///
/// Codes: `unexpected_status` with a message such as `expected 200, got 503`,
/// `connection_refused`, `timeout` (only when the client has a timeout of its own; otherwise
/// the runtime's timeout applies), `error` for anything else, including a URL that does not
/// parse. The URL never appears in the public message, as its query may hold a token; the
/// private detail names it without user info, query or fragment.
///
/// Operations ([`Outcome::operation`]): `connect` when no connection was made (refused, name
/// resolution, TLS handshake, the client's connect timeout), `request` for everything after:
/// an unexpected status, a timeout while waiting for the answer, a failed redirect, and a
/// URL that cannot make a request at all.
///
/// ```
/// # use health_core as health;
/// use health::checks;
/// use reqwest::StatusCode;
/// # fn register(_: impl health::HealthCheck) {}
/// let client = reqwest::Client::new(); // the app's client, shared
/// register(checks::http(&client, "http://billing.internal/healthz", StatusCode::OK));
/// ```
pub fn http(client: &Client, url: impl IntoUrl, expected: StatusCode) -> impl HealthCheck {
    check(client, url, Expect::Exactly(expected))
}

/// Like [`http()`], but any 2xx status passes.
///
/// ```
/// # use health_core as health;
/// use health::checks;
/// # fn register(_: impl health::HealthCheck) {}
/// let client = reqwest::Client::new();
/// register(checks::http_2xx(&client, "http://search.internal/ping"));
/// ```
pub fn http_2xx(client: &Client, url: impl IntoUrl) -> impl HealthCheck {
    check(client, url, Expect::Success)
}

fn check(client: &Client, url: impl IntoUrl, expect: Expect) -> impl HealthCheck {
    let client = client.clone();
    // Parsed once; an invalid URL becomes a check that always fails, never a panic.
    let invalid =
        || Outcome::fail(Code::ERROR, "the check's URL is invalid").with_operation("request");
    let target = match client.get(url).build() {
        Ok(request) if matches!(request.url().scheme(), "http" | "https") => {
            let url = request.url().clone();
            let shown = redact(&url);
            Ok((url, shown))
        }
        Ok(request) => Err(invalid().with_detail(format_args!(
            "unsupported URL scheme {:?} (http or https only)",
            request.url().scheme()
        ))),
        Err(e) => Err(invalid().with_detail(error_chain(e.without_url()))),
    };
    move || {
        let client = client.clone();
        let target = target.clone();
        async move {
            let (url, shown) = match target {
                Ok(target) => target,
                Err(outcome) => return outcome,
            };
            match client.get(url).send().await {
                Ok(response) => {
                    let status = response.status();
                    if expect.matches(status) {
                        Outcome::pass()
                    } else {
                        Outcome::fail(
                            Code::UNEXPECTED_STATUS,
                            format!("expected {expect}, got {}", status.as_u16()),
                        )
                        .with_operation("request")
                        .with_detail(format_args!("GET {shown} answered {status}"))
                    }
                }
                Err(e) => map_error(&e).with_detail(format_args!(
                    "GET {shown}: {}",
                    error_chain(e.without_url())
                )),
            }
        }
    }
}

/// The outcome of a failed request, without detail: `connect` when reqwest says the error
/// happened while connecting (its connect timeout included), `request` otherwise.
fn map_error(e: &reqwest::Error) -> Outcome {
    let operation = if e.is_connect() || is_refused(e) {
        "connect"
    } else {
        "request"
    };
    let outcome = if is_refused(e) {
        Outcome::fail(
            Code::CONNECTION_REFUSED,
            "the HTTP endpoint refused the connection",
        )
    } else if e.is_timeout() {
        Outcome::fail(Code::TIMEOUT, "the HTTP request timed out")
    } else if e.is_connect() {
        Outcome::fail(Code::ERROR, "could not connect to the HTTP endpoint")
    } else if e.is_redirect() {
        Outcome::fail(
            Code::ERROR,
            "following the HTTP endpoint's redirects failed",
        )
    } else {
        Outcome::fail(Code::ERROR, "the HTTP request failed")
    };
    outcome.with_operation(operation)
}

/// Whether an `io::Error` of kind `ConnectionRefused` is somewhere in the source chain
/// (reqwest -> hyper-util -> connect error -> io).
fn is_refused(e: &reqwest::Error) -> bool {
    let mut source = e.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::ConnectionRefused
        {
            return true;
        }
        source = err.source();
    }
    false
}

/// The error and its sources on one line. Nested reqwest errors are skipped, as their text
/// may hold a URL.
fn error_chain(e: reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(err) = source {
        if !err.is::<reqwest::Error>() {
            let _ = write!(text, ": {err}");
        }
        source = err.source();
    }
    text
}

/// The URL without user info, query or fragment, for the private detail.
fn redact(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::{closed_port, read_request_head, write_all};
    use crate::status::Status;
    use std::time::Duration;
    use tokio::net::TcpListener;
    use tokio::sync::mpsc;

    /// A server answering every request with `response`; the request heads come out of the
    /// receiver.
    async fn server(response: &'static str) -> (u16, mpsc::UnboundedReceiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let tx = tx.clone();
                tokio::spawn(async move {
                    let head = read_request_head(&stream).await.unwrap_or_default();
                    let _ = tx.send(head);
                    let _ = write_all(&stream, response.as_bytes()).await;
                });
            }
        });
        (port, rx)
    }

    fn client() -> Client {
        Client::builder().no_proxy().build().unwrap()
    }

    const OK: &str = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
    const NO_CONTENT: &str = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";
    const UNAVAILABLE: &str =
        "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

    #[tokio::test]
    async fn expected_status_passes() {
        let (port, mut requests) = server(OK).await;
        let url = format!("http://127.0.0.1:{port}/healthz?token=s3cr3t");
        let outcome = http(&client(), url.as_str(), StatusCode::OK).run().await;
        assert_eq!(outcome, Outcome::pass());
        let head = requests.recv().await.unwrap();
        assert!(
            head.starts_with("GET /healthz?token=s3cr3t HTTP/1.1\r\n"),
            "{head}"
        );
    }

    #[tokio::test]
    async fn other_status_is_unexpected_status_without_the_url() {
        let (port, _requests) = server(UNAVAILABLE).await;
        let url = format!("http://user:hunter2@127.0.0.1:{port}/healthz?token=s3cr3t#frag");
        let outcome = http(&client(), url, StatusCode::OK).run().await;
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.code(), Some(&Code::UNEXPECTED_STATUS));
        assert_eq!(outcome.message(), Some("expected 200, got 503"));
        assert_eq!(outcome.operation(), Some("request"));
        let detail = outcome.detail().unwrap();
        assert_eq!(
            detail,
            format!("GET http://127.0.0.1:{port}/healthz answered 503 Service Unavailable")
        );
    }

    #[tokio::test]
    async fn any_2xx() {
        let (port, _requests) = server(NO_CONTENT).await;
        let outcome = http_2xx(&client(), format!("http://127.0.0.1:{port}/"))
            .run()
            .await;
        assert_eq!(outcome, Outcome::pass());
        // 204 is not 200.
        let outcome = http(
            &client(),
            format!("http://127.0.0.1:{port}/"),
            StatusCode::OK,
        )
        .run()
        .await;
        assert_eq!(outcome.message(), Some("expected 200, got 204"));

        let (port, _requests) = server(UNAVAILABLE).await;
        let outcome = http_2xx(&client(), format!("http://127.0.0.1:{port}/"))
            .run()
            .await;
        assert_eq!(outcome.code(), Some(&Code::UNEXPECTED_STATUS));
        assert_eq!(outcome.message(), Some("expected a 2xx status, got 503"));
        assert_eq!(outcome.operation(), Some("request"));
    }

    #[tokio::test]
    async fn closed_port_is_connection_refused() {
        let port = closed_port().await;
        let url = format!("http://user:hunter2@127.0.0.1:{port}/healthz?token=s3cr3t");
        let outcome = http(&client(), url, StatusCode::OK).run().await;
        assert_eq!(outcome.status(), Status::Fail);
        assert_eq!(outcome.code(), Some(&Code::CONNECTION_REFUSED));
        assert_eq!(outcome.operation(), Some("connect"));
        assert_eq!(
            outcome.message(),
            Some("the HTTP endpoint refused the connection")
        );
        let detail = outcome.detail().unwrap();
        assert!(
            detail.starts_with(&format!("GET http://127.0.0.1:{port}/healthz: ")),
            "{detail}"
        );
        assert!(
            !detail.contains("hunter2") && !detail.contains("s3cr3t"),
            "{detail}"
        );
    }

    #[tokio::test]
    async fn client_timeout_is_timeout() {
        // Accepts, never answers.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let _server = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        let client = Client::builder()
            .no_proxy()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}/slow?token=s3cr3t");
        let outcome = http(&client, url, StatusCode::OK).run().await;
        assert_eq!(outcome.code(), Some(&Code::TIMEOUT));
        assert_eq!(outcome.message(), Some("the HTTP request timed out"));
        // Connected: the request is what got no answer.
        assert_eq!(outcome.operation(), Some("request"));
        assert!(!outcome.detail().unwrap().contains("s3cr3t"));
    }

    #[tokio::test]
    async fn a_connection_closed_without_an_answer_is_request() {
        // Accepts, reads the request, closes without a response.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = read_request_head(&stream).await;
            }
        });
        let outcome = http_2xx(&client(), format!("http://127.0.0.1:{port}/"))
            .run()
            .await;
        assert_eq!(outcome.code(), Some(&Code::ERROR), "{outcome:?}");
        assert_eq!(outcome.message(), Some("the HTTP request failed"));
        assert_eq!(outcome.operation(), Some("request"));
    }

    #[tokio::test]
    async fn invalid_url_fails_every_run() {
        let check = http(&client(), "not a url", StatusCode::OK);
        for _ in 0..2 {
            let outcome = check.run().await;
            assert_eq!(outcome.code(), Some(&Code::ERROR));
            assert_eq!(outcome.message(), Some("the check's URL is invalid"));
            assert_eq!(outcome.operation(), Some("request"));
        }
        let outcome = http(
            &client(),
            "ftp://user:hunter2@host/?token=s3cr3t",
            StatusCode::OK,
        )
        .run()
        .await;
        assert_eq!(outcome.message(), Some("the check's URL is invalid"));
        assert!(!outcome.detail().unwrap().contains("hunter2"));
    }

    #[test]
    fn redaction_keeps_scheme_host_port_path() {
        let url = Url::parse("https://u:p@example.com:8443/a/b?token=x#f").unwrap();
        assert_eq!(redact(&url), "https://example.com:8443/a/b");
    }
}
