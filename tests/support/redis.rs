//! A throwaway `redis-server`, kept as a child process: no persistence, killed to stop.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::net::{connect, read_line};
use super::os::{find_program, signal};
use super::server::{Home, Server, lock};
use super::{READY_TIMEOUT, skip};

/// A throwaway `redis-server` on `127.0.0.1`, no persistence, kept as a child process.
pub struct Redis {
    program: PathBuf,
    /// Working directory (`--dir`) and `log`.
    home: Home,
    child: Option<Child>,
    /// The pid stopped by `pause`.
    paused: Mutex<Option<u32>>,
}

impl Redis {
    /// Starts a fresh server; None (after printing a line starting with "SKIP:") when
    /// `redis-server` is absent, unless HEALTH_REQUIRE_SERVICES=1, in which case it panics.
    #[track_caller]
    pub fn start() -> Option<Redis> {
        let Some(program) = find_program("redis-server", &["/usr/bin", "/usr/local/bin"]) else {
            return skip("`redis-server` not found on PATH nor in /usr/bin, /usr/local/bin");
        };
        let redis = Redis {
            home: Home::new("redis"),
            program,
            child: None,
            paused: Mutex::new(None),
        };
        Some(redis.start_on_free_port())
    }

    /// The TCP port on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.home.port
    }

    /// redis://127.0.0.1:PORT/
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port())
    }

    /// Kills the server (SIGKILL, even when paused); connections are refused afterwards.
    /// A no-op when already stopped.
    pub fn stop(&mut self) {
        let _ = self.shutdown();
        self.expect_refused("killed");
    }

    /// Starts it again on the same port; returns once it answers `PING`. Stops it first
    /// when it is still running.
    pub fn restart(&mut self) {
        if self.child.is_some() {
            self.stop();
        }
        self.start_on_same_port();
    }

    /// SIGSTOP to the server: connects may succeed (kernel backlog) but commands hang.
    pub fn pause(&self) {
        let mut paused = lock(&self.paused);
        if paused.is_some() {
            return;
        }
        let Some(pid) = self.child.as_ref().map(Child::id) else {
            panic!("Redis::pause: the server is stopped");
        };
        if let Err(e) = signal(Signal::SIGSTOP, &[pid]) {
            panic!("Redis::pause: {e}");
        }
        *paused = Some(pid);
    }

    /// SIGCONT to the same process.
    pub fn resume(&self) {
        if let Some(pid) = lock(&self.paused).take() {
            let _ = signal(Signal::SIGCONT, &[pid]);
        }
    }
}

impl Server for Redis {
    const NAME: &'static str = "redis-server";
    const PORT_IN_USE: &'static [&'static str] = &["Address already in use"];

    fn home(&self) -> &Home {
        &self.home
    }

    fn home_mut(&mut self) -> &mut Home {
        &mut self.home
    }

    /// Spawns `redis-server` on the port, logging to `home.log`, and waits for `+PONG`.
    fn launch(&mut self) -> Result<(), String> {
        let port = self.home.port;
        let spawned = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.home.log)
            .and_then(|log| Ok((log.try_clone()?, log)))
            .and_then(|(out, err)| {
                Command::new(&self.program)
                    .arg("--port")
                    .arg(port.to_string())
                    .args(["--bind", "127.0.0.1"])
                    .args(["--save", ""])
                    .args(["--appendonly", "no"])
                    .args(["--daemonize", "no"])
                    .arg("--dir")
                    .arg(self.home.path())
                    .current_dir(self.home.path())
                    .stdin(Stdio::null())
                    .stdout(out)
                    .stderr(err)
                    .spawn()
            });
        let child = match spawned {
            Ok(child) => self.child.insert(child),
            Err(e) => return Err(format!("could not spawn {}: {e}", self.program.display())),
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Err(format!("redis-server exited early ({status})")),
                Ok(None) => {}
                Err(e) => return Err(format!("waiting for redis-server: {e}")),
            }
            if redis_ping(port, Duration::from_millis(500)).as_deref() == Some("+PONG") {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!("no +PONG on port {port} within {READY_TIMEOUT:?}"));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL and reap. Never panics.
    fn shutdown(&mut self) -> Result<(), String> {
        lock(&self.paused).take();
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        Ok(())
    }
}

impl Drop for Redis {
    /// Kills the server; `home` then removes its directory.
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Sends `PING` to `127.0.0.1:port` and returns the first reply line (without CRLF);
/// `None` when it cannot connect, the connection fails, or no line comes within `timeout`.
pub fn redis_ping(port: u16, timeout: Duration) -> Option<String> {
    let mut stream = connect(port, timeout).ok()?;
    stream.set_write_timeout(Some(timeout)).ok()?;
    stream.write_all(b"PING\r\n").ok()?;
    read_line(&mut stream, timeout).ok()?
}
