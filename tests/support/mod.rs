//! Real PostgreSQL and Redis servers on loopback for integration tests.
//!
//! ```ignore
//! mod support;
//! use support::{Postgres, Redis};
//!
//! let Some(mut pg) = Postgres::start() else { return }; // prints "SKIP: ..." when absent
//! let url = pg.url(); // postgres://postgres@127.0.0.1:PORT/postgres
//! pg.pause(); // SIGSTOP: connects and queries hang
//! pg.resume(); // SIGCONT
//! pg.stop(); // immediate shutdown: connections are refused
//! pg.restart(); // same port, same data directory
//! ```
//!
//! Each server gets its own free port and its own directory under [`std::env::temp_dir`];
//! dropping the handle resumes, stops and removes it. PostgreSQL refuses to run as root, so
//! when the tests run as uid 0 its binaries run as the `postgres` user through `runuser`.
//! Signals go through the `kill` command and children are found through `/proc` (or
//! `pgrep -P`): no `unsafe`, no extra dependency.
//!
//! When a binary is absent, `start()` prints a line starting with `SKIP:` and returns
//! `None`, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it panics instead.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a server may take to become ready (or to go away) before the harness panics.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a stopped server's port may keep accepting before `stop` panics.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// How many fresh ports `start` tries when another process grabs the one it picked.
const PORT_ATTEMPTS: usize = 5;
/// How much of a server log goes into a panic message.
const LOG_TAIL: usize = 6000;

/// True when `HEALTH_REQUIRE_SERVICES=1` (CI): a missing binary must fail, not skip.
pub fn services_required() -> bool {
    std::env::var_os("HEALTH_REQUIRE_SERVICES").is_some_and(|v| v == "1")
}

/// `None` after a `SKIP:` line, or a panic when services are required.
#[track_caller]
fn skip<T>(what: &str) -> Option<T> {
    if services_required() {
        panic!("HEALTH_REQUIRE_SERVICES=1 but {what}");
    }
    eprintln!("SKIP: {what} (set HEALTH_REQUIRE_SERVICES=1 to make this a failure)");
    None
}

// ---------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------

/// A throwaway PostgreSQL server on `127.0.0.1`, trust authentication, user `postgres`.
pub struct Postgres {
    bin_dir: PathBuf,
    /// `runuser` when the tests run as root (PostgreSQL refuses uid 0).
    runuser: Option<PathBuf>,
    /// Owned by the server's user; holds `data/`, `log` and the Unix socket.
    base: PathBuf,
    data: PathBuf,
    log: PathBuf,
    port: u16,
    running: bool,
    /// Pids stopped by `pause` (postmaster first); empty when not paused.
    paused: Mutex<Vec<u32>>,
}

impl Postgres {
    /// Starts a fresh server; None (after printing a line starting with "SKIP:" naming the
    /// missing binary) when the binaries are absent, unless the env var
    /// HEALTH_REQUIRE_SERVICES=1 is set, in which case it panics with a clear message.
    #[track_caller]
    pub fn start() -> Option<Postgres> {
        let Some(bin_dir) = find_pg_bin_dir() else {
            return skip(
                "PostgreSQL server binaries `initdb`/`pg_ctl`/`postgres` not found \
                 on PATH nor in /usr/lib/postgresql/*/bin",
            );
        };
        let runuser = if running_as_root() {
            let Some(runuser) = find_program("runuser", &["/usr/sbin", "/sbin", "/usr/bin"]) else {
                return skip(
                    "running as root and `runuser` (to run PostgreSQL as `postgres`) not found",
                );
            };
            let user_exists = Command::new("id")
                .args(["-u", "postgres"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !user_exists {
                return skip(
                    "running as root and there is no `postgres` user to run PostgreSQL as",
                );
            }
            Some(runuser)
        } else {
            None
        };

        let base = make_temp_dir("pg");
        // From here on, a panic drops `pg`, which stops whatever started and removes `base`.
        let mut pg = Postgres {
            data: base.join("data"),
            log: base.join("log"),
            base,
            bin_dir,
            runuser,
            port: 0,
            running: false,
            paused: Mutex::new(Vec::new()),
        };
        if pg.runuser.is_some() {
            let out = Command::new("chown")
                .arg("postgres:")
                .arg(&pg.base)
                .output();
            check_output("chown postgres: on the PostgreSQL directory", out);
        }
        let initdb = pg.bin_dir.join("initdb");
        let out = pg.run_as_server_user(
            &initdb,
            [
                OsStr::new("-D"),
                pg.data.as_os_str(),
                OsStr::new("-A"),
                OsStr::new("trust"),
                OsStr::new("-U"),
                OsStr::new("postgres"),
                OsStr::new("--no-sync"),
                OsStr::new("--no-locale"),
                OsStr::new("-E"),
                OsStr::new("UTF8"),
            ],
        );
        check_output("initdb", out);

        for attempt in 1..=PORT_ATTEMPTS {
            pg.port = free_port();
            match pg.try_start() {
                Ok(()) => return Some(pg),
                Err(e) if e.port_in_use && attempt < PORT_ATTEMPTS => continue,
                Err(e) => pg.fail(&format!("PostgreSQL did not start: {}", e.message)),
            }
        }
        unreachable!("the last attempt either returns or panics")
    }

    /// The TCP port on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// postgres://postgres@127.0.0.1:PORT/postgres
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server (immediate shutdown); connections are refused afterwards.
    ///
    /// Resumes it first when paused. A no-op when already stopped.
    pub fn stop(&mut self) {
        self.resume();
        if let Err(message) = self.shutdown() {
            self.fail(&message);
        }
        if let Err(message) = wait_refused(self.port, STOP_TIMEOUT) {
            self.fail(&format!("PostgreSQL stopped but {message}"));
        }
    }

    /// Starts it again on the same port and data directory; returns once it accepts
    /// connections.
    ///
    /// Stops it first (immediate shutdown, so the start runs crash recovery) when it is
    /// still running, and resumes it first when paused.
    pub fn restart(&mut self) {
        if self.running {
            self.stop();
        }
        if let Err(e) = self.try_start() {
            self.fail(&format!(
                "PostgreSQL did not restart on port {}: {}",
                self.port, e.message
            ));
        }
    }

    /// Kills the postmaster and all its children outright (SIGKILL, as the OOM killer
    /// would); connections are refused afterwards and [`restart`](Self::restart) runs crash
    /// recovery. A no-op when already stopped.
    pub fn kill(&mut self) {
        self.resume();
        let Some(postmaster) = self.postmaster_pid().filter(|_| self.running) else {
            return;
        };
        let mut pids = vec![postmaster];
        pids.extend(descendants(postmaster));
        // A process that is already gone makes `kill` fail for its pid only.
        let _ = signal("KILL", &pids);
        self.running = false;
        if let Err(message) = wait_refused(self.port, STOP_TIMEOUT) {
            self.fail(&format!("PostgreSQL killed but {message}"));
        }
        // The killed postmaster can linger as a zombie when nothing reaps it (PID 1 in a
        // container), and PostgreSQL then takes its lock files for a live server: remove
        // them, as an operator would after checking the process is gone.
        let _ = fs::remove_file(self.data.join("postmaster.pid"));
        let socket = self.base.join(format!(".s.PGSQL.{}", self.port));
        let _ = fs::remove_file(&socket);
        let _ = fs::remove_file(socket.with_extension(format!("{}.lock", self.port)));
    }

    /// SIGSTOP to the postmaster and all its children (a hang, not a refusal): connects and
    /// queries hang.
    pub fn pause(&self) {
        let mut paused = lock(&self.paused);
        if !paused.is_empty() {
            return;
        }
        let Some(postmaster) = self.postmaster_pid() else {
            panic!(
                "Postgres::pause: no postmaster.pid in {} (is the server stopped?)",
                self.data.display()
            );
        };
        // The postmaster first, so that it forks nothing new while its children are stopped.
        if let Err(e) = signal("STOP", &[postmaster]) {
            panic!("Postgres::pause: kill -STOP {postmaster}: {e}");
        }
        let mut pids = vec![postmaster];
        pids.extend(descendants(postmaster));
        // A backend that exits meanwhile makes `kill` fail for its pid only; nothing to do.
        let _ = signal("STOP", &pids[1..]);
        *paused = pids;
    }

    /// SIGCONT to the same processes.
    pub fn resume(&self) {
        let mut paused = lock(&self.paused);
        if paused.is_empty() {
            return;
        }
        let _ = signal("CONT", &paused[1..]);
        let _ = signal("CONT", &paused[..1]);
        paused.clear();
    }

    fn postmaster_pid(&self) -> Option<u32> {
        let text = fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// `pg_ctl start` on `self.port`, waiting until the server answers the protocol.
    fn try_start(&mut self) -> Result<(), StartError> {
        let log_offset = file_len(&self.log);
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k '{}' -c fsync=off",
            self.port,
            self.base.display()
        );
        let timeout = READY_TIMEOUT.as_secs().to_string();
        let pg_ctl = self.bin_dir.join("pg_ctl");
        let out = self.run_as_server_user(
            &pg_ctl,
            [
                OsStr::new("-D"),
                self.data.as_os_str(),
                OsStr::new("-o"),
                OsStr::new(&options),
                OsStr::new("-w"),
                OsStr::new("-t"),
                OsStr::new(&timeout),
                OsStr::new("-l"),
                self.log.as_os_str(),
                OsStr::new("start"),
            ],
        );
        // Even a failed `pg_ctl start` may have left a postmaster behind (timeout): Drop
        // and `shutdown` look at postmaster.pid, not at this flag, for that case.
        self.running = true;
        let failure = match out {
            Ok(out) if out.status.success() => {
                match wait_until(READY_TIMEOUT, || pg_answers(self.port)) {
                    Ok(()) => return Ok(()),
                    Err(()) => format!(
                        "pg_ctl reported a start but port {} did not answer within {READY_TIMEOUT:?}",
                        self.port
                    ),
                }
            }
            Ok(out) => format!(
                "pg_ctl start failed ({}): {}",
                out.status,
                output_text(&out)
            ),
            Err(e) => format!("could not run {}: {e}", pg_ctl.display()),
        };
        let _ = self.shutdown();
        let new_log = read_from(&self.log, log_offset);
        Err(StartError {
            port_in_use: new_log.contains("Address already in use")
                || new_log.contains("could not bind IPv4 address"),
            message: failure,
        })
    }

    /// Immediate shutdown through `pg_ctl`, SIGKILL to the postmaster and its children when
    /// that fails. Never panics.
    fn shutdown(&mut self) -> Result<(), String> {
        self.running = false;
        let Some(postmaster) = self.postmaster_pid() else {
            return Ok(());
        };
        let pg_ctl = self.bin_dir.join("pg_ctl");
        let timeout = READY_TIMEOUT.as_secs().to_string();
        let out = self.run_as_server_user(
            &pg_ctl,
            [
                OsStr::new("-D"),
                self.data.as_os_str(),
                OsStr::new("-m"),
                OsStr::new("immediate"),
                OsStr::new("-w"),
                OsStr::new("-t"),
                OsStr::new(&timeout),
                OsStr::new("stop"),
            ],
        );
        match out {
            Ok(out) if out.status.success() => Ok(()),
            // pg_ctl stop fails when no server runs on a stale postmaster.pid: fine.
            Ok(_) if !process_alive(postmaster) => Ok(()),
            other => {
                let mut pids = vec![postmaster];
                pids.extend(descendants(postmaster));
                let _ = signal("KILL", &pids);
                let why = match other {
                    Ok(out) => output_text(&out),
                    Err(e) => e.to_string(),
                };
                Err(format!("pg_ctl stop failed, killed pids {pids:?}: {why}"))
            }
        }
    }

    /// Runs a PostgreSQL binary as the server's user (`runuser -u postgres --` under root).
    fn run_as_server_user<'a>(
        &self,
        program: &Path,
        args: impl IntoIterator<Item = &'a OsStr>,
    ) -> io::Result<Output> {
        let mut command = match &self.runuser {
            Some(runuser) => {
                let mut c = Command::new(runuser);
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        command
            .args(args)
            // The test's working directory may not be readable by `postgres`.
            .current_dir(&self.base)
            .env("LC_ALL", "C")
            .env_remove("PGDATA")
            .stdin(Stdio::null())
            .output()
    }

    fn fail(&self, message: &str) -> ! {
        panic!(
            "{message}\n--- PostgreSQL log {} (tail) ---\n{}",
            self.log.display(),
            log_tail(&self.log)
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.resume();
        let _ = self.shutdown();
        let _ = fs::remove_dir_all(&self.base);
    }
}

/// Sends a PostgreSQL `SSLRequest` and waits for the one-byte answer (`N` or `S`).
fn pg_answers(port: u16) -> bool {
    let Ok(mut stream) = connect(port, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    // Length 8, request code 80877103.
    if stream
        .write_all(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
        .is_err()
    {
        return false;
    }
    let mut reply = [0u8; 1];
    matches!(stream.read_exact(&mut reply), Ok(()) if matches!(reply[0], b'N' | b'S'))
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`: PATH first, then the newest
/// `/usr/lib/postgresql/*/bin`.
fn find_pg_bin_dir() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| is_executable(&dir.join(b)))
    };
    if let Some(pg_ctl) = find_in_path("pg_ctl") {
        // Resolve symlinks such as /usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin/pg_ctl.
        let real = fs::canonicalize(&pg_ctl).unwrap_or(pg_ctl);
        if let Some(dir) = real.parent().filter(|d| complete(d)) {
            return Some(dir.to_path_buf());
        }
    }
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version = name
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| complete(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

// ---------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------

/// A throwaway `redis-server` on `127.0.0.1`, no persistence, kept as a child process.
pub struct Redis {
    program: PathBuf,
    /// Working directory (`--dir`) and `log`.
    base: PathBuf,
    log: PathBuf,
    port: u16,
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
        let base = make_temp_dir("redis");
        let mut redis = Redis {
            log: base.join("log"),
            base,
            program,
            port: 0,
            child: None,
            paused: Mutex::new(None),
        };
        for attempt in 1..=PORT_ATTEMPTS {
            redis.port = free_port();
            match redis.try_start() {
                Ok(()) => return Some(redis),
                Err(e) if e.port_in_use && attempt < PORT_ATTEMPTS => continue,
                Err(e) => redis.fail(&format!("redis-server did not start: {}", e.message)),
            }
        }
        unreachable!("the last attempt either returns or panics")
    }

    /// The TCP port on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// redis://127.0.0.1:PORT/
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server (SIGKILL, even when paused); connections are refused afterwards.
    /// A no-op when already stopped.
    pub fn stop(&mut self) {
        self.shutdown();
        if let Err(message) = wait_refused(self.port, STOP_TIMEOUT) {
            self.fail(&format!("redis-server killed but {message}"));
        }
    }

    /// Starts it again on the same port; returns once it answers `PING`. Stops it first
    /// when it is still running.
    pub fn restart(&mut self) {
        if self.child.is_some() {
            self.stop();
        }
        if let Err(e) = self.try_start() {
            self.fail(&format!(
                "redis-server did not restart on port {}: {}",
                self.port, e.message
            ));
        }
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
        if let Err(e) = signal("STOP", &[pid]) {
            panic!("Redis::pause: kill -STOP {pid}: {e}");
        }
        *paused = Some(pid);
    }

    /// SIGCONT to the same process.
    pub fn resume(&self) {
        if let Some(pid) = lock(&self.paused).take() {
            let _ = signal("CONT", &[pid]);
        }
    }

    fn try_start(&mut self) -> Result<(), StartError> {
        let log_offset = file_len(&self.log);
        let spawned = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .and_then(|log| Ok((log.try_clone()?, log)))
            .and_then(|(out, err)| {
                Command::new(&self.program)
                    .arg("--port")
                    .arg(self.port.to_string())
                    .args(["--bind", "127.0.0.1"])
                    .args(["--save", ""])
                    .args(["--appendonly", "no"])
                    .args(["--daemonize", "no"])
                    .arg("--dir")
                    .arg(&self.base)
                    .current_dir(&self.base)
                    .stdin(Stdio::null())
                    .stdout(out)
                    .stderr(err)
                    .spawn()
            });
        let child = match spawned {
            Ok(child) => self.child.insert(child),
            Err(e) => {
                return Err(StartError {
                    port_in_use: false,
                    message: format!("could not spawn {}: {e}", self.program.display()),
                });
            }
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        let message = loop {
            match child.try_wait() {
                Ok(Some(status)) => break format!("redis-server exited early ({status})"),
                Ok(None) => {}
                Err(e) => break format!("waiting for redis-server: {e}"),
            }
            if redis_ping(self.port, Duration::from_millis(500)).is_ok_and(|r| r == "+PONG") {
                return Ok(());
            }
            if Instant::now() >= deadline {
                break format!("no +PONG on port {} within {READY_TIMEOUT:?}", self.port);
            }
            thread::sleep(Duration::from_millis(10));
        };
        self.shutdown();
        Err(StartError {
            port_in_use: read_from(&self.log, log_offset).contains("Address already in use"),
            message,
        })
    }

    /// SIGKILL and reap. Never panics.
    fn shutdown(&mut self) {
        lock(&self.paused).take();
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn fail(&self, message: &str) -> ! {
        panic!(
            "{message}\n--- redis-server log {} (tail) ---\n{}",
            self.log.display(),
            log_tail(&self.log)
        )
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.shutdown();
        let _ = fs::remove_dir_all(&self.base);
    }
}

/// Sends `PING` and returns the first reply line (without CRLF).
fn redis_ping(port: u16, timeout: Duration) -> io::Result<String> {
    let mut stream = connect(port, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(b"PING\r\n")?;
    let mut reply = Vec::new();
    let mut byte = [0u8; 1];
    while !reply.ends_with(b"\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        reply.push(byte[0]);
    }
    reply.truncate(reply.len() - 2);
    Ok(String::from_utf8_lossy(&reply).into_owned())
}

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

struct StartError {
    /// The server log says another process holds the port: `start` tries a fresh one.
    port_in_use: bool,
    message: String,
}

/// Locks without ever panicking on poison (used from Drop).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// A port the kernel just handed out on 127.0.0.1 (and is free once the listener drops).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|addr| addr.port())
        .expect("binding 127.0.0.1:0 to pick a free port")
}

fn connect(port: u16, timeout: Duration) -> io::Result<TcpStream> {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), timeout)
}

/// Polls `ready` every 10 ms until it holds or `timeout` passes.
fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> Result<(), ()> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(());
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until connecting to `port` is refused.
fn wait_refused(port: u16, timeout: Duration) -> Result<(), String> {
    wait_until(timeout, || {
        matches!(connect(port, Duration::from_millis(500)),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused)
    })
    .map_err(|()| format!("port {port} still accepts connections after {timeout:?}"))
}

/// A fresh, empty directory under the system temp dir.
fn make_temp_dir(kind: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "health-{kind}-{}-{n}-{nanos:x}",
            std::process::id()
        ));
        match fs::create_dir(&dir) {
            Ok(()) => return dir,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => panic!("creating {}: {e}", dir.display()),
        }
    }
}

/// Effective uid 0, read from `/proc/self/status` (falling back to `id -u`).
fn running_as_root() -> bool {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("Uid:"))
        && let Some(euid) = line.split_whitespace().nth(2)
    {
        return euid == "0";
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// `name` on PATH, else in one of `fallback_dirs`.
fn find_program(name: &str, fallback_dirs: &[&str]) -> Option<PathBuf> {
    find_in_path(name).or_else(|| {
        fallback_dirs
            .iter()
            .map(|dir| Path::new(dir).join(name))
            .find(|candidate| is_executable(candidate))
    })
}

/// `kill -SIG pid...` through the `kill` command (no unsafe signal calls).
fn signal(sig: &str, pids: &[u32]) -> Result<(), String> {
    if pids.is_empty() {
        return Ok(());
    }
    let out = Command::new("kill")
        .arg(format!("-{sig}"))
        .args(pids.iter().map(u32::to_string))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run `kill`: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(output_text(&out))
    }
}

/// Every live descendant of `pid`, via `/proc/*/stat` (or `pgrep -P` without `/proc`).
fn descendants(pid: u32) -> Vec<u32> {
    let parents = parent_table();
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        let children: Vec<u32> = match &parents {
            Some(table) => table
                .iter()
                .filter(|&&(_, ppid)| ppid == parent)
                .map(|&(child, _)| child)
                .collect(),
            None => pgrep_children(parent),
        };
        for child in children {
            if !found.contains(&child) && child != pid {
                found.push(child);
                frontier.push(child);
            }
        }
    }
    found
}

/// `(pid, ppid)` of every process, or None when `/proc` is unreadable.
fn parent_table() -> Option<Vec<(u32, u32)>> {
    let entries = fs::read_dir("/proc").ok()?;
    let table: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let after_comm = &stat[stat.rfind(')')? + 1..];
            let ppid = after_comm.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    (!table.is_empty()).then_some(table)
}

fn pgrep_children(pid: u32) -> Vec<u32> {
    Command::new("pgrep")
        .arg("-P")
        .arg(pid.to_string())
        .output()
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Alive and not a zombie.
fn process_alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn check_output(what: &str, out: io::Result<Output>) {
    match out {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!("{what} failed ({}):\n{}", out.status, output_text(&out)),
        Err(e) => panic!("{what}: could not run: {e}"),
    }
}

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

fn log_tail(path: &Path) -> String {
    let len = file_len(path);
    let text = read_from(path, len.saturating_sub(LOG_TAIL as u64));
    if text.is_empty() {
        "(empty or unreadable)".to_owned()
    } else {
        text
    }
}
