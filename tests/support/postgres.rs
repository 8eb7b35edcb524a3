//! A throwaway PostgreSQL server: `initdb` into a fresh directory, `pg_ctl` to start and
//! stop it, signals to the postmaster and its children to pause or kill it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use nix::sys::signal::Signal;

use super::net::{connect, read_byte, wait_until};
use super::os::{
    check_output, descendants, find_in_path, find_program, is_executable, output_text,
    process_alive, running_as_root, signal,
};
use super::server::{Home, Server, lock};
use super::{READY_TIMEOUT, skip};

/// A PostgreSQL `SSLRequest` (length 8, request code 80877103): the server answers one
/// byte, `N` (no SSL) or `S`.
pub const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

/// A throwaway PostgreSQL server on `127.0.0.1`, trust authentication, user `postgres`.
pub struct Postgres {
    bin_dir: PathBuf,
    /// `runuser` when the tests run as root (PostgreSQL refuses uid 0).
    runuser: Option<PathBuf>,
    /// Owned by the server's user; holds `data/`, `log` and the Unix socket.
    home: Home,
    data: PathBuf,
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

        let home = Home::new("pg");
        // From here on, a panic drops `pg`, which stops whatever started and removes `home`.
        let pg = Postgres {
            data: home.path().join("data"),
            home,
            bin_dir,
            runuser,
            running: false,
            paused: Mutex::new(Vec::new()),
        };
        if pg.runuser.is_some() {
            // Root removes it all the same when `home` drops.
            let out = Command::new("chown")
                .arg("postgres:")
                .arg(pg.home.path())
                .output();
            check_output("chown postgres: on the PostgreSQL directory", out);
        }
        let out = pg
            .on_data("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "--no-locale"])
            .args(["-E", "UTF8"])
            .output();
        check_output("initdb", out);
        Some(pg.start_on_free_port())
    }

    /// The TCP port on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.home.port
    }

    /// postgres://postgres@127.0.0.1:PORT/postgres
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port())
    }

    /// Stops the server (immediate shutdown); connections are refused afterwards.
    ///
    /// Resumes it first when paused. A no-op when already stopped.
    pub fn stop(&mut self) {
        self.resume();
        if let Err(message) = self.shutdown() {
            self.fail(&message);
        }
        self.expect_refused("stopped");
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
        self.start_on_same_port();
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
        // A process that is already gone makes the signal fail for its pid only.
        let _ = signal(Signal::SIGKILL, &pids);
        self.running = false;
        self.expect_refused("killed");
        // The killed postmaster can linger as a zombie when nothing reaps it (PID 1 in a
        // container), and PostgreSQL then takes its lock files for a live server: remove
        // them, as an operator would after checking the process is gone.
        let _ = fs::remove_file(self.data.join("postmaster.pid"));
        let socket = self.home.path().join(format!(".s.PGSQL.{}", self.port()));
        let _ = fs::remove_file(&socket);
        let _ = fs::remove_file(socket.with_extension(format!("{}.lock", self.port())));
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
        if let Err(e) = signal(Signal::SIGSTOP, &[postmaster]) {
            panic!("Postgres::pause: {e}");
        }
        let mut pids = vec![postmaster];
        pids.extend(descendants(postmaster));
        // A backend that exits meanwhile makes the signal fail for its pid only; nothing to do.
        let _ = signal(Signal::SIGSTOP, &pids[1..]);
        *paused = pids;
    }

    /// SIGCONT to the same processes.
    pub fn resume(&self) {
        let mut paused = lock(&self.paused);
        if paused.is_empty() {
            return;
        }
        let _ = signal(Signal::SIGCONT, &paused[1..]);
        let _ = signal(Signal::SIGCONT, &paused[..1]);
        paused.clear();
    }

    /// The pid in `postmaster.pid`, when there is one.
    fn postmaster_pid(&self) -> Option<u32> {
        let text = fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// `program -D <data>` from the PostgreSQL binaries, to run as the server's user
    /// (`runuser -u postgres --` under root); add the other arguments.
    fn on_data(&self, program: &str) -> Command {
        let program = self.bin_dir.join(program);
        let mut command = match &self.runuser {
            Some(runuser) => {
                let mut c = Command::new(runuser);
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        command
            .arg("-D")
            .arg(&self.data)
            // The test's working directory may not be readable by `postgres`.
            .current_dir(self.home.path())
            .env("LC_ALL", "C")
            .env_remove("PGDATA")
            .stdin(Stdio::null());
        command
    }

    /// `pg_ctl -D <data> -w -t <READY_TIMEOUT>`: waits for its action; add the action.
    fn pg_ctl(&self) -> Command {
        let mut command = self.on_data("pg_ctl");
        command.args(["-w", "-t", &READY_TIMEOUT.as_secs().to_string()]);
        command
    }
}

impl Server for Postgres {
    const NAME: &'static str = "PostgreSQL";
    const PORT_IN_USE: &'static [&'static str] =
        &["Address already in use", "could not bind IPv4 address"];

    fn home(&self) -> &Home {
        &self.home
    }

    fn home_mut(&mut self) -> &mut Home {
        &mut self.home
    }

    /// `pg_ctl start` on the port, waiting until the server answers the protocol.
    fn launch(&mut self) -> Result<(), String> {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k '{}' -c fsync=off",
            self.port(),
            self.home.path().display()
        );
        let out = self
            .pg_ctl()
            .args(["-o", &options, "-l"])
            .arg(&self.home.log)
            .arg("start")
            .output();
        // Even a failed `pg_ctl start` may have left a postmaster behind (timeout): Drop
        // and `shutdown` look at postmaster.pid, not at this flag, for that case.
        self.running = true;
        match out {
            Ok(out) if out.status.success() => {
                if wait_until(READY_TIMEOUT, || pg_answers(self.port())) {
                    Ok(())
                } else {
                    Err(format!(
                        "pg_ctl reported a start but port {} did not answer within {READY_TIMEOUT:?}",
                        self.port()
                    ))
                }
            }
            Ok(out) => Err(format!(
                "pg_ctl start failed ({}): {}",
                out.status,
                output_text(&out)
            )),
            Err(e) => Err(format!(
                "could not run {}: {e}",
                self.bin_dir.join("pg_ctl").display()
            )),
        }
    }

    /// Immediate shutdown through `pg_ctl`, SIGKILL to the postmaster and its children when
    /// that fails. Never panics.
    fn shutdown(&mut self) -> Result<(), String> {
        self.running = false;
        let Some(postmaster) = self.postmaster_pid() else {
            return Ok(());
        };
        let out = self.pg_ctl().args(["-m", "immediate", "stop"]).output();
        match out {
            Ok(out) if out.status.success() => Ok(()),
            // pg_ctl stop fails when no server runs on a stale postmaster.pid: fine.
            Ok(_) if !process_alive(postmaster) => Ok(()),
            other => {
                let mut pids = vec![postmaster];
                pids.extend(descendants(postmaster));
                let _ = signal(Signal::SIGKILL, &pids);
                let why = match other {
                    Ok(out) => output_text(&out),
                    Err(e) => e.to_string(),
                };
                Err(format!("pg_ctl stop failed, killed pids {pids:?}: {why}"))
            }
        }
    }
}

impl Drop for Postgres {
    /// Resumes and stops the server; `home` then removes its directory.
    fn drop(&mut self) {
        self.resume();
        let _ = self.shutdown();
    }
}

/// Sends a PostgreSQL [`SSL_REQUEST`] and waits for the one-byte answer (`N` or `S`).
fn pg_answers(port: u16) -> bool {
    let Ok(mut stream) = connect(port, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(&SSL_REQUEST).is_err() {
        return false;
    }
    matches!(
        read_byte(&mut stream, Duration::from_secs(2)),
        Ok(Some(b'N' | b'S'))
    )
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
