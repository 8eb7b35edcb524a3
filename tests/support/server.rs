//! What PostgreSQL and Redis share: a directory and a log of their own, the one routine
//! that starts a server on a free port (another one when that port is taken meanwhile),
//! waiting until a stopped server's port refuses, and panics that quote the log.

use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tempfile::TempDir;

use super::net::{free_port, wait_refused};

/// How many fresh ports a start tries when another process grabs the one it picked.
const PORT_ATTEMPTS: usize = 5;
/// How long a stopped server's port may keep accepting before the harness panics.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a server log goes into a panic message.
const LOG_TAIL: usize = 6000;

/// Where one server lives: a fresh directory of its own (removed with everything in it when
/// this drops), its log file there, and its port on `127.0.0.1` (0 until it first starts).
pub struct Home {
    dir: TempDir,
    /// `log` in the directory: the server's stdout and stderr.
    pub log: PathBuf,
    /// The TCP port on `127.0.0.1`.
    pub port: u16,
}

impl Home {
    /// A fresh, empty `health-{kind}-*` directory under the system temp dir.
    pub fn new(kind: &str) -> Home {
        let dir = tempfile::Builder::new()
            .prefix(&format!("health-{kind}-"))
            .tempdir()
            .unwrap_or_else(|e| panic!("creating a directory for {kind}: {e}"));
        Home {
            log: dir.path().join("log"),
            dir,
            port: 0,
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Why one attempt to start failed.
pub struct StartError {
    /// The server log says another process holds the port: a start tries a fresh one.
    pub port_in_use: bool,
    /// What went wrong, for the panic message.
    pub message: String,
}

/// A server the harness starts, stops and restarts: [`Postgres`](super::Postgres) and
/// [`Redis`](super::Redis) give its name, its [`Home`], how to launch and how to shut it
/// down; the provided methods do the rest, the same way for both.
pub trait Server {
    /// Its name in messages (`PostgreSQL`, `redis-server`), also in the log's heading.
    const NAME: &'static str;
    /// Log text that means another process holds the port.
    const PORT_IN_USE: &'static [&'static str];

    /// Its directory, log and port.
    fn home(&self) -> &Home;

    /// The same, to set the port.
    fn home_mut(&mut self) -> &mut Home;

    /// Starts the server on `home().port` and waits until it answers; the reason otherwise,
    /// after which [`shutdown`](Self::shutdown) is called.
    fn launch(&mut self) -> Result<(), String>;

    /// Stops whatever of the server runs, by force when needed; never panics.
    fn shutdown(&mut self) -> Result<(), String>;

    /// Starts on a free port, and on a fresh one when the log says another process took
    /// it meanwhile (up to `PORT_ATTEMPTS` times); panics with the log's tail otherwise.
    fn start_on_free_port(mut self) -> Self
    where
        Self: Sized,
    {
        for attempt in 1..=PORT_ATTEMPTS {
            self.home_mut().port = free_port();
            match self.try_start() {
                Ok(()) => return self,
                Err(e) if e.port_in_use && attempt < PORT_ATTEMPTS => continue,
                Err(e) => self.fail(&format!("{} did not start: {}", Self::NAME, e.message)),
            }
        }
        unreachable!("the last attempt either returns or panics")
    }

    /// Starts again on the same port; panics with the log's tail when it does not answer.
    fn start_on_same_port(&mut self) {
        if let Err(e) = self.try_start() {
            self.fail(&format!(
                "{} did not restart on port {}: {}",
                Self::NAME,
                self.home().port,
                e.message
            ));
        }
    }

    /// One [`launch`](Self::launch); on failure, [`shutdown`](Self::shutdown) and whether
    /// what the log gained meanwhile says the port was taken.
    fn try_start(&mut self) -> Result<(), StartError> {
        let log_offset = file_len(&self.home().log);
        let Err(message) = self.launch() else {
            return Ok(());
        };
        let _ = self.shutdown();
        let new_log = read_from(&self.home().log, log_offset);
        Err(StartError {
            port_in_use: Self::PORT_IN_USE.iter().any(|text| new_log.contains(text)),
            message,
        })
    }

    /// Waits until the port refuses connections; panics with `{NAME} {done} but ...` and
    /// the log's tail otherwise (`done`: `stopped`, `killed`).
    fn expect_refused(&self, done: &str) {
        if let Err(message) = wait_refused(self.home().port, STOP_TIMEOUT) {
            self.fail(&format!("{} {done} but {message}", Self::NAME));
        }
    }

    /// Panics with `message` followed by the tail of the server's log.
    fn fail(&self, message: &str) -> ! {
        let log = &self.home().log;
        panic!(
            "{message}\n--- {} log {} (tail) ---\n{}",
            Self::NAME,
            log.display(),
            log_tail(log)
        )
    }
}

/// Locks without ever panicking on poison (the paused pids, also locked from Drop).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// The file's size in bytes (0 when absent).
fn file_len(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The file's text from byte `offset` on (empty when unreadable).
fn read_from(path: &Path, offset: u64) -> String {
    let mut text = Vec::new();
    if let Ok(mut file) = File::open(path)
        && file.seek(SeekFrom::Start(offset)).is_ok()
    {
        let _ = file.read_to_end(&mut text);
    }
    String::from_utf8_lossy(&text).into_owned()
}

/// The last `LOG_TAIL` bytes of the log, or a note that there are none.
fn log_tail(path: &Path) -> String {
    let len = file_len(path);
    let text = read_from(path, len.saturating_sub(LOG_TAIL as u64));
    if text.is_empty() {
        "(empty or unreadable)".to_owned()
    } else {
        text
    }
}
