//! The test-support servers themselves: real PostgreSQL and Redis on loopback that start,
//! stop (refused), restart (same port), pause (a hang, not a refusal) and resume.
//!
//! Timings go to stderr as `TIMING:` lines; see them with `-- --nocapture`.

mod support;

use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use support::net::{connect, read_byte, read_line};
use support::postgres::SSL_REQUEST;
use support::redis::redis_ping;
use support::{Postgres, Redis};

/// How long connecting to a server may take here.
const CONNECT: Duration = Duration::from_secs(2);
/// How long a server may take to answer when it runs.
const ANSWER: Duration = Duration::from_secs(5);

/// Connecting to `port` is refused right now.
fn assert_refused(port: u16) {
    match connect(port, CONNECT) {
        Err(e) => assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused, "{e}"),
        Ok(_) => panic!("port {port} still accepts connections"),
    }
}

/// A full protocol round trip: `SSLRequest` answered with `N`.
fn assert_pg_answers(port: u16) {
    let mut stream = connect(port, CONNECT).expect("PostgreSQL accepts a TCP connection");
    stream.write_all(&SSL_REQUEST).unwrap();
    assert_eq!(read_byte(&mut stream, ANSWER).unwrap(), Some(b'N'));
}

fn find_psql() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("psql"))
        .chain(
            std::fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path().join("bin/psql")),
        )
        .find(|p| p.is_file())
}

/// `psql -c 'select 1'`: Some(stdout) when it succeeds, None when still running after
/// `timeout` (then killed). Panics when it fails.
fn psql_select_1(psql: &PathBuf, port: u16, timeout: Duration) -> Option<String> {
    let mut child = Command::new(psql)
        .args(["-X", "-w", "-A", "-t", "-h", "127.0.0.1", "-U", "postgres"])
        .args(["-p", &port.to_string(), "-d", "postgres", "-c", "select 1"])
        .env_remove("PGCONNECT_TIMEOUT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning psql");
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "psql failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return Some(String::from_utf8(out.stdout).unwrap().trim().to_owned());
        }
        thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[test]
fn postgres_accepts_refuses_after_stop_and_accepts_after_restart() {
    let started = Instant::now();
    let Some(mut pg) = Postgres::start() else {
        return;
    };
    eprintln!("TIMING: Postgres::start {:?}", started.elapsed());
    let port = pg.port();
    assert_eq!(
        pg.url(),
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    );
    assert_pg_answers(port);
    let psql = find_psql();
    if let Some(psql) = &psql {
        assert_eq!(
            psql_select_1(psql, port, Duration::from_secs(10)).as_deref(),
            Some("1")
        );
    }

    let stopping = Instant::now();
    pg.stop();
    eprintln!("TIMING: Postgres::stop {:?}", stopping.elapsed());
    assert_refused(port);
    pg.stop(); // idempotent

    let restarting = Instant::now();
    pg.restart();
    eprintln!(
        "TIMING: Postgres::restart (after stop) {:?}",
        restarting.elapsed()
    );
    assert_eq!(pg.port(), port, "same port after restart");
    assert_pg_answers(port);
    if let Some(psql) = &psql {
        assert_eq!(
            psql_select_1(psql, port, Duration::from_secs(10)).as_deref(),
            Some("1")
        );
    }

    // restart() on a running server stops it first.
    let restarting = Instant::now();
    pg.restart();
    eprintln!(
        "TIMING: Postgres::restart (while running) {:?}",
        restarting.elapsed()
    );
    assert_pg_answers(port);

    let dropping = Instant::now();
    drop(pg);
    eprintln!("TIMING: Postgres drop {:?}", dropping.elapsed());
    assert_refused(port);
}

#[test]
fn postgres_pause_hangs_and_resume_answers() {
    let Some(pg) = Postgres::start() else {
        return;
    };
    let port = pg.port();
    pg.pause();
    pg.pause(); // idempotent

    // A hang, not a refusal: the kernel completes the handshake into the listen backlog,
    // but nobody answers the protocol.
    let mut hung =
        connect(port, CONNECT).expect("a paused server's port still accepts into the backlog");
    hung.write_all(&SSL_REQUEST).unwrap();
    assert_eq!(
        read_byte(&mut hung, Duration::from_secs(1)).unwrap(),
        None,
        "paused server answered"
    );
    let psql = find_psql();
    if let Some(psql) = &psql {
        assert_eq!(
            psql_select_1(psql, port, Duration::from_secs(2)),
            None,
            "psql finished against a paused server"
        );
    }

    pg.resume();
    // The connection made while paused is served once the server runs again.
    assert_eq!(
        read_byte(&mut hung, Duration::from_secs(10)).unwrap(),
        Some(b'N')
    );
    assert_pg_answers(port);
    if let Some(psql) = &psql {
        assert_eq!(
            psql_select_1(psql, port, Duration::from_secs(10)).as_deref(),
            Some("1")
        );
    }
    pg.resume(); // idempotent

    // Dropping a paused server resumes, stops and cleans it up without hanging.
    pg.pause();
    let dropping = Instant::now();
    drop(pg);
    eprintln!(
        "TIMING: Postgres drop while paused {:?}",
        dropping.elapsed()
    );
    assert_refused(port);
}

#[test]
fn redis_answers_refuses_after_stop_and_answers_after_restart() {
    let started = Instant::now();
    let Some(mut redis) = Redis::start() else {
        return;
    };
    eprintln!("TIMING: Redis::start {:?}", started.elapsed());
    let port = redis.port();
    assert_eq!(redis.url(), format!("redis://127.0.0.1:{port}/"));
    assert_eq!(redis_ping(port, ANSWER).as_deref(), Some("+PONG"));

    let stopping = Instant::now();
    redis.stop();
    eprintln!("TIMING: Redis::stop {:?}", stopping.elapsed());
    assert_refused(port);
    redis.stop(); // idempotent

    let restarting = Instant::now();
    redis.restart();
    eprintln!(
        "TIMING: Redis::restart (after stop) {:?}",
        restarting.elapsed()
    );
    assert_eq!(redis.port(), port, "same port after restart");
    assert_eq!(redis_ping(port, ANSWER).as_deref(), Some("+PONG"));

    let restarting = Instant::now();
    redis.restart();
    eprintln!(
        "TIMING: Redis::restart (while running) {:?}",
        restarting.elapsed()
    );
    assert_eq!(redis_ping(port, ANSWER).as_deref(), Some("+PONG"));

    drop(redis);
    assert_refused(port);
}

#[test]
fn redis_pause_hangs_and_resume_answers() {
    let Some(redis) = Redis::start() else {
        return;
    };
    let port = redis.port();
    redis.pause();

    let mut hung =
        connect(port, CONNECT).expect("a paused server's port still accepts into the backlog");
    hung.write_all(b"PING\r\n").unwrap();
    assert_eq!(
        read_line(&mut hung, Duration::from_secs(1)).unwrap(),
        None,
        "paused server answered"
    );

    redis.resume();
    assert_eq!(
        read_line(&mut hung, Duration::from_secs(10))
            .unwrap()
            .as_deref(),
        Some("+PONG")
    );
    assert_eq!(redis_ping(port, ANSWER).as_deref(), Some("+PONG"));

    // stop() while paused still works (SIGKILL), and so does a restart afterwards.
    let mut redis = redis;
    redis.pause();
    redis.stop();
    assert_refused(port);
    redis.restart();
    assert_eq!(redis_ping(port, ANSWER).as_deref(), Some("+PONG"));

    redis.pause();
    drop(redis);
    assert_refused(port);
}

#[test]
fn two_postgres_servers_are_independent() {
    let Some(mut first) = Postgres::start() else {
        return;
    };
    let Some(second) = Postgres::start() else {
        return;
    };
    assert_ne!(first.port(), second.port());
    first.stop();
    assert_refused(first.port());
    assert_pg_answers(second.port());
    // stop() on a paused server resumes it first instead of hanging.
    second.pause();
    let mut second = second;
    second.stop();
    assert_refused(second.port());
}

/// The message of the panic `f` raises.
fn panic_message(f: impl FnOnce()) -> String {
    let payload =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn postgres_restart_on_a_taken_port_panics_with_the_log_then_recovers() {
    let Some(mut pg) = Postgres::start() else {
        return;
    };
    let port = pg.port();
    pg.stop();
    let squatter = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
    let message = panic_message(|| pg.restart());
    assert!(message.contains("did not restart"), "{message}");
    assert!(message.contains("--- PostgreSQL log"), "{message}");
    assert!(message.contains("Address already in use"), "{message}");
    drop(squatter);
    pg.restart();
    assert_pg_answers(port);
}

#[test]
fn redis_restart_on_a_taken_port_panics_with_the_log_then_recovers() {
    let Some(mut redis) = Redis::start() else {
        return;
    };
    let port = redis.port();
    redis.stop();
    let squatter = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
    let message = panic_message(|| redis.restart());
    assert!(message.contains("did not restart"), "{message}");
    assert!(message.contains("--- redis-server log"), "{message}");
    assert!(message.contains("Address already in use"), "{message}");
    drop(squatter);
    redis.restart();
    assert_eq!(redis_ping(port, ANSWER).as_deref(), Some("+PONG"));
}
