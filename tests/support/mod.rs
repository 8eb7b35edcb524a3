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
//!
//! When a binary is absent, `start()` prints a line starting with `SKIP:` and returns
//! `None`, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it panics instead.
//!
//! | file | holds |
//! | --- | --- |
//! | `postgres.rs` | [`Postgres`]: `initdb`, `pg_ctl`, pause, kill; the `SSL_REQUEST` probe |
//! | `redis.rs` | [`Redis`]: `redis-server` as a child process; `redis_ping` |
//! | `server.rs` | what both share: their directory and log, the start-on-a-free-port loop |
//! | `net.rs` | loopback: free ports, connecting, waiting, reading replies |
//! | `os.rs` | processes: finding binaries, root, signals, process trees |
#![allow(dead_code)]

pub mod net;
mod os;
pub mod postgres;
pub mod redis;
mod server;

use std::time::Duration;

pub use postgres::Postgres;
pub use redis::Redis;

/// How long a server may take to become ready before the harness panics.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

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
