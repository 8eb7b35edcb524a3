//! Loopback helpers: a free port, connecting with a timeout, polling, reading a reply.
//!
//! Shared by the server harness (`support`) and the example runner (`tests/process`), which
//! includes this file by path so that a test using only `process` needs no `mod support`.

use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// A port the kernel just handed out on 127.0.0.1 (and is free once the listener drops).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|addr| addr.port())
        .expect("binding 127.0.0.1:0 to pick a free port")
}

/// A TCP connection to `127.0.0.1:port`, given up after `timeout`.
pub fn connect(port: u16, timeout: Duration) -> io::Result<TcpStream> {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), timeout)
}

/// Polls `ready` every 10 ms until it holds (true) or `timeout` passes (false).
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until connecting to `port` is refused; the reason otherwise.
pub fn wait_refused(port: u16, timeout: Duration) -> Result<(), String> {
    let refused = wait_until(timeout, || {
        matches!(connect(port, Duration::from_millis(500)),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused)
    });
    if refused {
        Ok(())
    } else {
        Err(format!(
            "port {port} still accepts connections after {timeout:?}"
        ))
    }
}

/// Reads one byte: `Ok(None)` when nothing comes within `timeout`, an error when the
/// connection closes or fails.
///
/// `EINTR` is retried: on Linux a blocking socket read with a timeout fails with it when
/// this process is stopped and continued (job control, a cgroup freeze), signal or not.
pub fn read_byte(stream: &mut TcpStream, timeout: Duration) -> io::Result<Option<u8>> {
    let deadline = Instant::now() + timeout;
    let mut byte = [0u8; 1];
    loop {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return Ok(None);
        };
        stream.set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
        match stream.read(&mut byte) {
            Ok(1) => return Ok(Some(byte[0])),
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed without a reply",
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Reads one CRLF-terminated line, without the CRLF: `Ok(None)` when it does not complete
/// within `timeout`, an error when the connection closes or fails.
pub fn read_line(stream: &mut TcpStream, timeout: Duration) -> io::Result<Option<String>> {
    let deadline = Instant::now() + timeout;
    let mut line = Vec::new();
    while !line.ends_with(b"\r\n") {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return Ok(None);
        };
        let Some(byte) = read_byte(stream, left.max(Duration::from_millis(1)))? else {
            return Ok(None);
        };
        line.push(byte);
    }
    line.truncate(line.len() - 2);
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}
