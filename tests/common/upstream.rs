//! A fake dependency for tests of passive checks and the apps that record real calls.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A fake dependency: a real HTTP/1.1 server on 127.0.0.1 that records every request it
/// reads and answers each with the status it is set to (200, 500, or none: it holds the
/// connection open without answering), `Connection: close`. `close` shuts its port, so
/// connecting is refused; `reopen` listens on the same port again.
pub struct FakeUpstream {
    port: u16,
    shared: Arc<UpstreamState>,
    server: Option<JoinHandle<()>>,
}

/// What the server's thread and the test share.
struct UpstreamState {
    /// The status to answer with; 0: never answer.
    status: AtomicU16,
    /// Every request read: (request line, content type, body).
    received: Mutex<Vec<(String, String, String)>>,
    stop: AtomicBool,
}

impl FakeUpstream {
    pub fn start(status: u16) -> FakeUpstream {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(UpstreamState {
            status: AtomicU16::new(status),
            received: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let mut n8n = FakeUpstream {
            port,
            shared,
            server: None,
        };
        n8n.serve(listener);
        n8n
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn answer(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    /// How many requests reached it.
    pub fn count(&self) -> usize {
        self.shared.received.lock().unwrap().len()
    }

    pub fn received(&self) -> Vec<(String, String, String)> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Stops listening: connections to its port are refused.
    pub fn close(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(server) = self.server.take() {
            server.join().unwrap();
        }
    }

    /// Listens on the same port again, answering `status`.
    pub fn reopen(&mut self, status: u16) {
        self.close();
        self.shared.stop.store(false, Ordering::SeqCst);
        self.answer(status);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).unwrap();
        self.serve(listener);
    }

    fn serve(&mut self, listener: TcpListener) {
        let shared = Arc::clone(&self.shared);
        listener.set_nonblocking(true).unwrap();
        self.server = Some(std::thread::spawn(move || {
            // Connections it never answers stay open until it closes.
            let mut held = Vec::new();
            while !shared.stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(unanswered) = exchange(stream, &shared) {
                            held.push(unanswered);
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(e) => panic!("fake upstream: accept: {e}"),
                }
            }
        }));
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.close();
    }
}

/// Reads one request from `stream`, records it, and answers it with the current status; or,
/// set to answer nothing, returns the stream to hold open.
fn exchange(mut stream: TcpStream, shared: &UpstreamState) -> Option<TcpStream> {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let length: usize = header("content-length").parse().unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&data[head_end..]).into_owned();
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    shared
        .received
        .lock()
        .unwrap()
        .push((request_line, header("content-type"), body));
    match shared.status.load(Ordering::SeqCst) {
        0 => Some(stream),
        status => {
            let _ = write!(
                stream,
                "HTTP/1.1 {status} Fake\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            None
        }
    }
}
