//! The orders example's optional notification group (a webhook or a Redis stream, exactly
//! one) and its rule between `ENVIRONMENT` and `PUBLIC_URL`: named checks of readiness when
//! half set or in conflict, and, set whole, a confirmed order announced to the webhook or
//! appended to the stream.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::order_goes_through;
use super::process::Service;
use super::support::{Postgres, Redis};

/// The config's optional notification (a webhook or a stream, exactly one) and its rule
/// between two variables are named checks of readiness, with no service to reach: a half-set
/// webhook names each missing variable and what chose it; production without its public
/// address names the rule; both notifications configured is a conflict naming both.
#[test]
fn a_half_set_notification_group_and_production_without_its_address_are_named() {
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", "postgres://127.0.0.1:1/orders"),
            ("REDIS_URL", "redis://127.0.0.1:1/"),
            ("ENVIRONMENT", "production"),
            ("NOTIFY_URL", "http://127.0.0.1:9/hooks/orders"),
        ],
        &["NOTIFY_TOKEN", "PUBLIC_URL"],
    );
    let ready = service.get("/ready");
    assert_eq!(ready.status, 503, "{}", ready.body);
    let json = ready.json();
    let token = &json["checks"]["NOTIFY_TOKEN"][0];
    assert_eq!(token["code"], "missing");
    assert!(
        token["output"]
            .as_str()
            .unwrap()
            .contains("the `webhook` variant of `notify` is used because `NOTIFY_URL` is set"),
        "{token}"
    );
    let rule = &json["checks"]["required_if:ENVIRONMENT=production,PUBLIC_URL"][0];
    assert_eq!(rule["code"], "missing", "{}", ready.body);
    assert_eq!(rule["variables"], serde_json::json!(["PUBLIC_URL"]));
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", "postgres://127.0.0.1:1/orders"),
            ("REDIS_URL", "redis://127.0.0.1:1/"),
            ("NOTIFY_URL", "http://127.0.0.1:9/hooks/orders"),
            ("NOTIFY_TOKEN", "tok"),
            ("NOTIFY_STREAM", "orders:confirmed"),
        ],
        &["ENVIRONMENT", "PUBLIC_URL"],
    );
    let ready = service.get("/ready");
    let choice = &ready.json()["checks"]["variant:notify"][0];
    assert_eq!(choice["code"], "conflict", "{}", ready.body);
    assert_eq!(
        choice["variables"],
        serde_json::json!(["NOTIFY_URL", "NOTIFY_TOKEN", "NOTIFY_STREAM"])
    );
    // Development needs no public address: its default follows the port.
    let service = Service::start(
        "orders",
        &[("DATABASE_URL", "postgres://127.0.0.1:1/orders")],
        &["REDIS_URL", "NOTIFY_URL", "PUBLIC_URL", "ENVIRONMENT"],
    );
    let ready = service.get("/ready");
    assert!(
        ready.json()["checks"]["required_if:ENVIRONMENT=production,PUBLIC_URL"][0]["status"]
            == "pass",
        "{}",
        ready.body
    );
}

/// A confirmed order is announced to the webhook of the notification group, with its bearer
/// token, and a new order's `Location` starts with `PUBLIC_URL`; the token never shows in
/// the logs.
#[test]
fn a_confirmed_order_is_announced_and_located_under_the_public_address() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let hook = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_url = format!("http://{}/hooks/orders", hook.local_addr().unwrap());
    let (sent, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = hook.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        std::io::Read::read_exact(&mut reader, &mut body).unwrap();
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            .unwrap();
        sent.send((head, String::from_utf8(body).unwrap())).unwrap();
    });
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", &pg.url()),
            ("REDIS_URL", &redis.url()),
            ("NOTIFY_URL", &hook_url),
            ("NOTIFY_TOKEN", "tok-secret-4417"),
            ("PUBLIC_URL", "https://orders.example.com/api/"),
            ("RUST_LOG", "info"),
        ],
        &["ENVIRONMENT"],
    );
    service.wait_for("/ready", Duration::from_secs(20), |r| r.status == 200);
    let mut stream = TcpStream::connect(service.addr()).unwrap();
    let body = r#"{"item":"lamp"}"#;
    write!(
        stream,
        "POST /orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    let id = answer
        .rsplit("\"id\":")
        .next()
        .and_then(|tail| tail.trim_end_matches('}').parse::<i64>().ok())
        .unwrap_or_else(|| panic!("no id in {answer}"));
    let location = format!("location: https://orders.example.com/api/orders/{id}\r\n");
    assert!(answer.to_ascii_lowercase().contains(&location), "{answer}");

    let (head, json) = received.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(
        head.starts_with("POST /hooks/orders HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer tok-secret-4417\r\n"),
        "{head}"
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json, serde_json::json!({ "id": id, "status": "confirmed" }));
    let logs = service.stop();
    assert!(!logs.contains("tok-secret-4417"), "{logs}");
}

/// With `NOTIFY_STREAM`, a confirmed order is appended to that Redis stream instead.
#[test]
fn a_confirmed_order_is_appended_to_the_notification_stream() {
    let (Some(pg), Some(redis)) = (Postgres::start(), Redis::start()) else {
        return;
    };
    let service = Service::start(
        "orders",
        &[
            ("DATABASE_URL", &pg.url()),
            ("REDIS_URL", &redis.url()),
            ("NOTIFY_STREAM", "orders:confirmed"),
        ],
        &["NOTIFY_URL", "NOTIFY_TOKEN", "ENVIRONMENT", "PUBLIC_URL"],
    );
    service.wait_for("/ready", Duration::from_secs(20), |r| r.status == 200);
    order_goes_through(&service);
    let client = ::redis::Client::open(redis.url()).unwrap();
    let mut conn = client.get_connection().unwrap();
    let started = Instant::now();
    loop {
        let entries: Vec<(String, Vec<(String, String)>)> = ::redis::cmd("XRANGE")
            .arg("orders:confirmed")
            .arg("-")
            .arg("+")
            .query(&mut conn)
            .unwrap();
        if let Some((_, fields)) = entries.first() {
            assert!(
                fields.contains(&("status".to_owned(), "confirmed".to_owned())),
                "{fields:?}"
            );
            assert!(fields.iter().any(|(k, _)| k == "id"), "{fields:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nothing in the stream"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
