//! Runs an example as a real process on a free loopback port and talks HTTP/1.1 to it.

#![allow(dead_code)]

/// The loopback helpers of the server harness, included by path: `tests/support/net.rs`.
/// A test that also declares `mod support` compiles the file twice, on purpose: `voxflow`
/// and `grpc` use this module alone.
#[allow(clippy::duplicate_mod)]
#[path = "../support/net.rs"]
mod net;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use net::{free_port, wait_until};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// The variables of voxflow's config (the grpc example shares it), `PORT` aside.
pub const VOXFLOW_VARIABLES: [&str; 5] = [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "ULTRAVOX_API_KEY",
    "N8N_WEBHOOK_URL",
    "PUBLIC_URL",
];

/// A complete voxflow config whose two secrets are `token` and `key`.
pub fn voxflow_config(token: &'static str, key: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("TWILIO_ACCOUNT_SID", "AC0123456789"),
        ("TWILIO_AUTH_TOKEN", token),
        ("ULTRAVOX_API_KEY", key),
        ("N8N_WEBHOOK_URL", "https://n8n.example/webhook/calls"),
        ("PUBLIC_URL", "https://voxflow.example"),
    ]
}

/// `cargo test` builds the examples next to the test binaries; voxflow is a package of its
/// own, whose binary cargo builds for its tests and names in `CARGO_BIN_EXE_voxflow`.
pub fn example_binary(name: &str) -> PathBuf {
    if let ("voxflow", Some(bin)) = (name, option_env!("CARGO_BIN_EXE_voxflow")) {
        return bin.into();
    }
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let bin = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the suite with the README's `cargo test` command, which builds examples",
        bin.display()
    );
    bin
}

/// One HTTP response: status, content type, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    /// (status, content type, body).
    pub fn parts(self) -> (u16, String, String) {
        (self.status, self.content_type, self.body)
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A running example.
pub struct Service {
    child: Option<Child>,
    port: u16,
}

impl Service {
    /// Starts example `name` with `PORT` and `NO_COLOR=1` set and `vars` added; `unset`
    /// removed from the inherited environment (`NO_COLOR` included, when a test wants the
    /// example's own choice of colour). Returns once it accepts connections.
    pub fn start(name: &str, vars: &[(&str, &str)], unset: &[&str]) -> Service {
        let port = free_port();
        let mut cmd = Command::new(example_binary(name));
        // The examples listen on loopback unless `HOST` says otherwise.
        cmd.env("NO_COLOR", "1").env_remove("HOST");
        for var in unset {
            cmd.env_remove(var);
        }
        cmd.env("PORT", port.to_string())
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let service = Service {
            child: Some(cmd.spawn().unwrap()),
            port,
        };
        let listening = wait_until(Duration::from_secs(30), || {
            TcpStream::connect(service.addr()).is_ok()
        });
        assert!(listening, "{name} did not start listening");
        service
    }

    /// Sends SIGTERM, as Kubernetes does before stopping a pod.
    pub fn terminate(&self) {
        self.signal(Signal::SIGTERM);
    }

    /// Sends SIGHUP: read the config files again.
    pub fn hangup(&self) {
        self.signal(Signal::SIGHUP);
    }

    fn signal(&self, signal: Signal) {
        let pid = self.child.as_ref().unwrap().id();
        let pid = Pid::from_raw(i32::try_from(pid).unwrap());
        kill(pid, signal).unwrap_or_else(|e| panic!("{signal} to {pid}: {e}"));
    }

    /// `127.0.0.1:PORT`, where it listens.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// One HTTP/1.1 request with `Connection: close`.
    pub fn request(&self, method: &str, path: &str, headers: &str, body: &str) -> Reply {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// [`request`](Self::request), with a connection error returned instead of a panic.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &str,
        body: &str,
    ) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(self.addr())?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let Some((head, body)) = response.split_once("\r\n\r\n") else {
            return Err(std::io::Error::other(format!("no HTTP head: {response:?}")));
        };
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("no status: {head:?}")))?;
        let content_type = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-type: ")
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        Ok(Reply {
            status,
            content_type,
            body: body.to_owned(),
        })
    }

    /// `GET path`, no headers, no body.
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, "", "")
    }

    /// Polls `path` until `accept` holds or `within` passes; returns the last reply and how
    /// long it took.
    pub fn wait_for(
        &self,
        path: &str,
        within: Duration,
        accept: impl Fn(&Reply) -> bool,
    ) -> (Reply, Duration) {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if accept(&reply) || started.elapsed() > within {
                return (reply, started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits up to `within` for the process to exit on its own (after [`terminate`]): its
    /// exit status and everything it wrote. Kills it and fails if it is still running.
    ///
    /// [`terminate`]: Service::terminate
    pub fn wait_exit(mut self, within: Duration) -> (ExitStatus, String) {
        let mut child = self.child.take().unwrap();
        let exited = wait_until(within, || child.try_wait().unwrap().is_some());
        if !exited {
            let _ = child.kill();
        }
        let out = child.wait_with_output().unwrap();
        let logs = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(exited, "still running {within:?} after SIGTERM:\n{logs}");
        (out.status, logs)
    }

    /// Stops the service (SIGKILL) and returns everything it wrote.
    pub fn stop(mut self) -> String {
        let mut child = self.child.take().unwrap();
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
