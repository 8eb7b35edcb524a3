//! Every adapter serving one `Health` over real HTTP on loopback, and a minimal client, for
//! tests that check an answer through all of them (features `axum`, `actix`, `tower`).
//!
//! Not a module of `common` (whose users need no adapter feature): include it with
//! `#[path = "common/servers.rs"] mod servers;`.
//!
//! ```ignore
//! let servers = servers::Servers::start(&health).await;
//! for server in servers.all() {
//!     let reply = servers::get(server.addr, &format!("{}/ready", server.prefix)).await;
//! }
//! servers.stop().await;
//! ```
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;

use bytes::Bytes;
use health::Health;
use health::tower::{HealthLayer, HealthService};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower_layer::Layer;
use tower_service::Service;

/// What a client sees of one answer: status, content type and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

impl Reply {
    /// The reply `respond` gives, in the client's terms.
    pub fn of(response: &http::Response<Bytes>) -> Reply {
        Reply {
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
            body: String::from_utf8(response.body().to_vec()).unwrap(),
        }
    }

    /// The reply with each `"time":"..."` value blanked: reports are stamped when taken.
    pub fn without_time(mut self) -> Reply {
        self.body = without_time(&self.body);
        self
    }
}

/// The body with each `"time":"..."` value blanked: reports are stamped when taken.
pub fn without_time(body: &str) -> String {
    const KEY: &str = r#""time":""#;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(KEY) {
        out.push_str(&rest[..at + KEY.len()]);
        rest = &rest[at + KEY.len()..];
        let end = rest.find('"').expect("closing quote of time");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Everything a client sees of one answer: status, every header (names lowercased) and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawReply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// One adapter serving the health: where, and under which prefix.
#[derive(Clone, Copy, Debug)]
pub struct Server {
    pub name: &'static str,
    pub addr: SocketAddr,
    pub prefix: &'static str,
    /// Whether only probe paths reach health (the layer): other paths get the app's answer.
    pub probe_paths_only: bool,
}

/// The adapters: axum (nested and merged at the root), tower `HealthService` on hyper and
/// nested in axum, `HealthLayer` in front of an axum app, and an actix-web scope.
pub struct Servers {
    servers: Vec<Server>,
    actix: Actix,
}

impl Servers {
    /// Starts every adapter on its own loopback port.
    pub async fn start(health: &Health) -> Servers {
        let axum_nested =
            serve_axum(app().nest("/internal", health::axum::router(health.clone()))).await;
        let axum_root = serve_axum(app().merge(health::axum::router(health.clone()))).await;
        let tower = serve_hyper(HealthService::new(health.clone())).await;
        let tower_nested =
            serve_axum(app().nest_service("/internal", HealthService::new(health.clone()))).await;
        let layer = serve_hyper(HealthLayer::new(health.clone()).layer(app())).await;
        let actix = Actix::start("/internal", health.clone());
        let server = |name, addr, prefix| Server {
            name,
            addr,
            prefix,
            probe_paths_only: false,
        };
        let servers = vec![
            server("axum nested", axum_nested, "/internal"),
            server("axum at the root", axum_root, ""),
            server("tower HealthService on hyper", tower, ""),
            server(
                "tower HealthService nested in axum",
                tower_nested,
                "/internal",
            ),
            Server {
                probe_paths_only: true,
                ..server("tower HealthLayer in front of an app", layer, "")
            },
            server("actix scope", actix.addr, "/internal"),
        ];
        Servers { servers, actix }
    }

    /// Every adapter.
    pub fn all(&self) -> &[Server] {
        &self.servers
    }

    /// Stops the actix server (the others end with the test's runtime).
    pub async fn stop(self) {
        self.actix.stop().await;
    }
}

/// `GET target` on a fresh connection.
pub async fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target).await
}

/// One request on a fresh connection, read until the server closes it.
pub async fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut raw = request_raw(addr, method, target).await;
    Reply {
        status: raw.status,
        content_type: raw.headers.remove("content-type"),
        body: raw.body,
    }
}

/// [`request`], keeping every header.
pub async fn request_raw(addr: SocketAddr, method: &str, target: &str) -> RawReply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    parse(&raw, method == "HEAD")
}

fn parse(raw: &[u8], head_request: bool) -> RawReply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("utf-8 head");
    let mut rest = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let mut headers = BTreeMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').expect("header line");
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let body = if head_request {
        Vec::new()
    } else if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        let mut body = Vec::new();
        loop {
            let end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size");
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap(), 16)
                .expect("hex chunk size");
            rest = &rest[end + 2..];
            if size == 0 {
                break;
            }
            body.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body
    } else {
        let length: usize = headers
            .get("content-length")
            .map_or(rest.len(), |l| l.parse().expect("content-length"));
        rest[..length].to_vec()
    };
    RawReply {
        status,
        headers,
        body: String::from_utf8(body).expect("utf-8 body"),
    }
}

/// An app for the adapters to sit next to.
pub fn app() -> Router {
    Router::new().route("/app", axum::routing::get(|| async { "app\n" }))
}

async fn loopback() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    (listener, addr)
}

pub async fn serve_axum(app: Router) -> SocketAddr {
    let (listener, addr) = loopback().await;
    tokio::spawn(async move { axum::serve(listener, app).await.expect("axum serve") });
    addr
}

/// Serves a tower service with hyper 1's HTTP/1.1 server, one task per connection.
pub async fn serve_hyper<S, B>(service: S) -> SocketAddr
where
    S: Service<hyper::Request<Incoming>, Response = hyper::Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (listener, addr) = loopback().await;
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.expect("accept");
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

/// An actix-web server in its own thread and system, stopped by [`Actix::stop`].
struct Actix {
    addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl Actix {
    fn start(prefix: &'static str, health: Health) -> Actix {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = actix_web::HttpServer::new(move || {
                    actix_web::App::new()
                        .route(
                            "/app",
                            actix_web::web::get().to(actix_web::HttpResponse::Ok),
                        )
                        .service(health::actix::scope(prefix, health.clone()))
                })
                .workers(1)
                .disable_signals()
                .listen(listener)?
                .run();
                tx.send(server.handle()).expect("send handle");
                server.await
            })
        });
        let handle = rx.recv().expect("actix server started");
        Actix {
            addr,
            handle,
            thread,
        }
    }

    async fn stop(self) {
        self.handle.stop(true).await;
        self.thread
            .join()
            .expect("actix thread")
            .expect("actix server");
    }
}
