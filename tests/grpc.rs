//! Runs the grpc example as a process and asks it with a real gRPC health client (Python's
//! grpcio and grpcio-health-checking, `tests/grpc_client.py`): Check, Watch and List follow
//! readiness, per variable too, and SIGTERM turns them NOT_SERVING before the server stops.
//!
//! Without `python3` or those packages, each of those tests prints a line starting with
//! `SKIP:` and passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.
//!
//! In process, over a real tonic server and client on loopback: how long a state change
//! takes to reach a watching client (`-- --nocapture` prints the figures), and the service's
//! descriptor served to tonic-reflection's client.

mod process;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use health::grpc::proto::HealthCheckRequest;
use health::grpc::proto::health_client::HealthClient;
use health::grpc::{FILE_DESCRIPTOR_SET, HealthServer, ServingStatus};
use health::{Code, Health, Outcome};
use process::{Service, VOXFLOW_VARIABLES, voxflow_config};
use prost::Message;
use serde_json::{Value, json};
use tonic::transport::{Channel, Endpoint};

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

/// A tonic server on a free loopback port with the health service and a reflection service
/// over [`FILE_DESCRIPTOR_SET`], and a channel to it.
async fn serve(health: Health) -> (SocketAddr, Channel) {
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .build_v1()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // TCP_NODELAY, as `Server::serve` sets by default (`serve_with_incoming` does not):
    // without it, Nagle's algorithm holds a small message up to ~40 ms for the client's
    // delayed ACK.
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(HealthServer::new(health))
            .add_service(reflection)
            .serve_with_incoming(incoming),
    );
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (addr, channel)
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// From a check's new result (the moment its run returns it) to the watching client's
/// message, over HTTP/2 on loopback: pushed from the runtime's events, not polled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_hears_a_change_within_milliseconds() {
    const CHANGES: usize = 40;
    let up = Arc::new(AtomicBool::new(true));
    // When the check first returned its current result.
    let changed_at: Arc<Mutex<(bool, Instant)>> = Arc::new(Mutex::new((true, Instant::now())));
    let (flag, stamp) = (up.clone(), changed_at.clone());
    let health = Health::builder()
        .readiness("db", move || {
            let up = flag.load(Ordering::SeqCst);
            let mut last = stamp.lock().unwrap();
            if last.0 != up {
                *last = (up, Instant::now());
            }
            async move {
                if up {
                    Outcome::pass()
                } else {
                    Outcome::fail(Code::CONNECTION_REFUSED, "connection refused")
                }
            }
        })
        .refresh_every(Duration::from_millis(1))
        .build();
    while !health.is_ready().await {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let (_, channel) = serve(health).await;
    let mut client = HealthClient::new(channel);
    let mut stream = client
        .watch(HealthCheckRequest {
            service: "db".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut status = async || {
        let response = tokio::time::timeout(Duration::from_secs(5), stream.message())
            .await
            .expect("a message within 5 s")
            .unwrap()
            .expect("the stream stays open");
        ServingStatus::try_from(response.status).unwrap()
    };
    assert_eq!(status().await, ServingStatus::Serving);

    let mut delays = Vec::new();
    let mut from_flip = Vec::new();
    for change in 0..CHANGES {
        let serving = change % 2 == 1;
        let flipped = Instant::now();
        up.store(serving, Ordering::SeqCst);
        let expected = if serving {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        assert_eq!(status().await, expected, "change {change}");
        let heard = Instant::now();
        let (result, at) = *changed_at.lock().unwrap();
        assert_eq!(result, serving);
        delays.push(heard - at);
        from_flip.push(heard - flipped);
    }
    delays.sort();
    from_flip.sort();
    let median = delays[CHANGES / 2];
    let p90 = delays[CHANGES * 9 / 10];
    let max = delays[CHANGES - 1];
    eprintln!(
        "gRPC Watch, {CHANGES} changes: from the check's new result to the client's message \
         median {:.2} ms, p90 {:.2} ms, max {:.2} ms; from the flag's flip (with the 1 ms \
         refresh) median {:.2} ms, max {:.2} ms",
        millis(median),
        millis(p90),
        millis(max),
        millis(from_flip[CHANGES / 2]),
        millis(from_flip[CHANGES - 1]),
    );
    // Polling every 250 ms would take 125 ms at the median.
    assert!(p90 < Duration::from_millis(100), "p90 {p90:?}: {delays:?}");
}

/// Names and methods of the `grpc.health.v1.Health` service in an encoded file descriptor.
fn health_service(file: &prost_types::FileDescriptorProto) -> Option<Vec<String>> {
    if file.package() != "grpc.health.v1" {
        return None;
    }
    let service = file.service.iter().find(|s| s.name() == "Health")?;
    Some(service.method.iter().map(|m| m.name().to_owned()).collect())
}

#[test]
fn the_descriptor_set_names_the_service_and_its_three_methods() {
    let set = prost_types::FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).unwrap();
    let files: Vec<_> = set.file.iter().map(|f| f.name()).collect();
    assert_eq!(files, ["grpc/health/v1/health.proto"]);
    assert_eq!(
        health_service(&set.file[0]).unwrap(),
        ["Check", "List", "Watch"]
    );
    let watch = &set.file[0].service[0].method[2];
    assert!(watch.server_streaming() && !watch.client_streaming());
}

/// What tonic-reflection's client learns from the server behind `channel`: the services
/// listed, and the methods of `grpc.health.v1.Health` from the file that defines it.
async fn reflect(channel: Channel) -> (Vec<String>, Vec<String>) {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::{ServerReflectionRequest, ServerReflectionResponse};

    let mut client = ServerReflectionClient::new(channel);
    let ask = |request| ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    };
    let requests = vec![
        ask(MessageRequest::ListServices(String::new())),
        ask(MessageRequest::FileContainingSymbol(
            "grpc.health.v1.Health".into(),
        )),
    ];
    let mut responses = client
        .server_reflection_info(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut answer = async || -> MessageResponse {
        let response: ServerReflectionResponse = responses.message().await.unwrap().unwrap();
        response.message_response.unwrap()
    };

    let MessageResponse::ListServicesResponse(list) = answer().await else {
        panic!("expected the list of services");
    };
    let services = list.service.into_iter().map(|s| s.name).collect();
    let MessageResponse::FileDescriptorResponse(files) = answer().await else {
        panic!("expected the file that defines the service");
    };
    let methods = files
        .file_descriptor_proto
        .iter()
        .map(|bytes| prost_types::FileDescriptorProto::decode(bytes.as_slice()).unwrap())
        .find_map(|file| health_service(&file))
        .expect("a file defines grpc.health.v1.Health");
    (services, methods)
}

#[tokio::test]
async fn a_reflection_client_sees_the_service_and_its_methods() {
    let (_, channel) = serve(Health::builder().build()).await;
    let (services, methods) = reflect(channel).await;
    assert!(
        services.iter().any(|s| s == "grpc.health.v1.Health"),
        "listed: {services:?}"
    );
    assert_eq!(methods, ["Check", "List", "Watch"]);
}

/// The example's reflection, as `grpcurl` would use it.
#[test]
fn the_example_serves_reflection() {
    let service = Service::start("grpc", &complete(), &VOXFLOW_VARIABLES);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (services, methods) = runtime.block_on(async {
        let channel = Endpoint::from_shared(format!("http://{}", service.addr()))
            .unwrap()
            .connect()
            .await
            .unwrap();
        reflect(channel).await
    });
    assert!(
        services.iter().any(|s| s == "grpc.health.v1.Health"),
        "listed: {services:?}"
    );
    assert_eq!(methods, ["Check", "List", "Watch"]);
    service.stop();
}
