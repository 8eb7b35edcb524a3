//! Runs the grpc example as a process and asks it with a real gRPC health client (Python's
//! grpcio and grpcio-health-checking, `tests/grpc_client.py`): Check, Watch and List follow
//! readiness, per variable too, and SIGTERM turns them NOT_SERVING before the server stops.
//!
//! Without `python3` or those packages, each test prints a line starting with `SKIP:` and
//! passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

mod process;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use process::{Service, VOXFLOW_VARIABLES, voxflow_config};
use serde_json::{Value, json};

const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/grpc_client.py");
const UNKNOWN: &str = "NO_SUCH_SERVICE";

/// voxflow's config, complete.
fn complete() -> Vec<(&'static str, &'static str)> {
    voxflow_config("token-5f3a9c", "key-81be2d")
}

/// Whether the Python client can run; `false` after a `SKIP:` line.
fn client_available() -> bool {
    let reason = match Command::new("python3").args([CLIENT, "probe"]).output() {
        Err(error) => format!("python3 cannot run: {error}"),
        Ok(out) if out.status.success() => return true,
        Ok(out) => format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    };
    if std::env::var_os("HEALTH_REQUIRE_SERVICES").is_some_and(|v| v == "1") {
        panic!(
            "HEALTH_REQUIRE_SERVICES=1 but the gRPC health client cannot run: {reason}; \
             install it with `python3 -m pip install grpcio grpcio-health-checking`"
        );
    }
    eprintln!(
        "SKIP: {reason} (python3 -m pip install grpcio grpcio-health-checking; set \
         HEALTH_REQUIRE_SERVICES=1 to make this a failure)"
    );
    false
}

/// Check and the first Watch message for each name, and List, as the client saw them.
fn query(service: &Service, names: &[&str]) -> Value {
    let port = service.addr().port().to_string();
    let out = Command::new("python3")
        .args([CLIENT, "query", &port])
        .args(names)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "client failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn all_variables(status: &str) -> Value {
    let mut map = serde_json::Map::new();
    for name in VOXFLOW_VARIABLES.iter().chain(&["PORT", ""]) {
        map.insert((*name).to_owned(), json!(status));
    }
    Value::Object(map)
}

#[test]
fn a_missing_variable_is_not_serving_by_name_and_the_rest_serves() {
    if !client_available() {
        return;
    }
    let vars: Vec<_> = complete()
        .into_iter()
        .filter(|(name, _)| *name != "PUBLIC_URL")
        .collect();
    let service = Service::start("grpc", &vars, &VOXFLOW_VARIABLES);
    let seen = query(
        &service,
        &["", "PUBLIC_URL", "TWILIO_ACCOUNT_SID", "PORT", UNKNOWN],
    );
    assert_eq!(
        seen["check"],
        json!({
            "": "NOT_SERVING",
            "PUBLIC_URL": "NOT_SERVING",
            "TWILIO_ACCOUNT_SID": "SERVING",
            "PORT": "SERVING",
            UNKNOWN: "NOT_FOUND",
        }),
        "{seen}"
    );
    assert_eq!(
        seen["watch"],
        json!({
            "": "NOT_SERVING",
            "PUBLIC_URL": "NOT_SERVING",
            "TWILIO_ACCOUNT_SID": "SERVING",
            "PORT": "SERVING",
            UNKNOWN: "SERVICE_UNKNOWN",
        }),
        "{seen}"
    );
    let mut expected = all_variables("SERVING");
    expected[""] = json!("NOT_SERVING");
    expected["PUBLIC_URL"] = json!("NOT_SERVING");
    assert_eq!(seen["list"], expected, "{seen}");
    let log = service.stop();
    assert!(
        log.contains("PUBLIC_URL"),
        "the missing variable is logged: {log}"
    );
}

#[test]
fn a_complete_config_serves_everywhere() {
    if !client_available() {
        return;
    }
    let service = Service::start("grpc", &complete(), &VOXFLOW_VARIABLES);
    let seen = query(&service, &["", "PUBLIC_URL", UNKNOWN]);
    assert_eq!(
        seen["check"],
        json!({ "": "SERVING", "PUBLIC_URL": "SERVING", UNKNOWN: "NOT_FOUND" }),
        "{seen}"
    );
    assert_eq!(
        seen["watch"],
        json!({ "": "SERVING", "PUBLIC_URL": "SERVING", UNKNOWN: "SERVICE_UNKNOWN" }),
        "{seen}"
    );
    assert_eq!(seen["list"], all_variables("SERVING"), "{seen}");
    let log = service.stop();
    for (_, secret) in &complete()[1..3] {
        assert!(!log.contains(secret), "a secret in the log: {log}");
    }
}

/// A running `grpc_client.py watch`, read line by line.
struct Watch {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Watch {
    fn start(service: &Service, name: &str) -> Watch {
        let port = service.addr().port().to_string();
        let mut child = Command::new("python3")
            .args([CLIENT, "watch", &port, name])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Watch { child, lines }
    }

    /// The next JSON line (the client's own call timeout bounds the wait).
    fn next(&mut self) -> Value {
        let line = self
            .lines
            .next()
            .expect("the client printed a line")
            .unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sigterm_turns_watchers_not_serving_then_the_server_stops() {
    if !client_available() {
        return;
    }
    let service = Service::start("grpc", &complete(), &VOXFLOW_VARIABLES);
    let mut overall = Watch::start(&service, "");
    let mut variable = Watch::start(&service, "PUBLIC_URL");
    assert_eq!(overall.next(), json!({ "status": "SERVING" }));
    assert_eq!(variable.next(), json!({ "status": "SERVING" }));

    let terminated = Instant::now();
    service.terminate();
    assert_eq!(overall.next(), json!({ "status": "NOT_SERVING" }));
    assert_eq!(variable.next(), json!({ "status": "NOT_SERVING" }));
    let seen = terminated.elapsed();
    assert!(seen < Duration::from_secs(3), "NOT_SERVING after {seen:?}");
    // The streams end (so they do not hold the graceful shutdown), then the server stops
    // after its 1 s drain.
    assert_eq!(overall.next(), json!({ "end": "OK" }));
    assert_eq!(variable.next(), json!({ "end": "OK" }));
    while TcpStream::connect(service.addr()).is_ok() {
        assert!(
            terminated.elapsed() < Duration::from_secs(10),
            "still listening 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let stopped = terminated.elapsed();
    assert!(
        stopped >= Duration::from_millis(900),
        "stopped before its drain: {stopped:?}"
    );
    let log = service.stop();
    assert!(log.contains("stopped"), "a graceful stop: {log}");
}
