//! State-change subscriptions through the facade: every change of a check and of a probe, in
//! order and numbered; a slow subscriber skips the oldest and is told how many; heartbeats,
//! shutdown, the end of startup and a live config's reloads are events; no raw detail or
//! secret value is ever in one.
//!
//! Tests of clock-driven changes run on tokio's paused clock; the flapping ones on real time,
//! where every wait is bounded by a timeout and never asserts a duration.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::Duration;

use health::live::LiveConfig;
use health::{
    CheckChange, Code, EVENT_QUEUE, Event, Health, HealthCheck, Outcome, Probe, ProbeChange,
    ReadinessContract, Signal, Status, Subscription, Vars,
};

/// The next event, or a panic after 10 s (of the paused clock, in paused tests).
async fn next(events: &mut Subscription) -> Event {
    tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an event within 10 s")
        .expect("the runtime is alive")
}

async fn next_check(events: &mut Subscription) -> CheckChange {
    match next(events).await {
        Event::Check(change) => change,
        other => panic!("expected a check's change, got {other:?}"),
    }
}

async fn next_probe(events: &mut Subscription) -> ProbeChange {
    match next(events).await {
        Event::Probe(change) => change,
        other => panic!("expected a probe's change, got {other:?}"),
    }
}

fn seq(event: &Event) -> u64 {
    match event {
        Event::Check(change) => change.seq,
        Event::Probe(change) => change.seq,
        other => panic!("no number: {other:?}"),
    }
}

/// A check that passes until `go`, then alternates fail and pass for `flips` runs (forever
/// when `flips` is `u32::MAX`), then passes once `stop` is set.
#[derive(Clone, Default)]
struct Flapping {
    go: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    runs: Arc<AtomicU32>,
}

impl Flapping {
    fn check(&self, flips: u32) -> impl HealthCheck {
        let this = self.clone();
        move || {
            let fail = this.go.load(Ordering::SeqCst) && !this.stop.load(Ordering::SeqCst) && {
                let run = this.runs.fetch_add(1, Ordering::SeqCst);
                run < flips && run.is_multiple_of(2)
            };
            async move {
                if fail {
                    Outcome::fail(Code::CONNECTION_REFUSED, "connection refused")
                } else {
                    Outcome::pass()
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_check_gives_every_change_in_order() {
    const FLIPS: u32 = 50;
    let flapping = Flapping::default();
    let health = Health::builder()
        .readiness("flappy", flapping.check(FLIPS))
        .refresh_every(Duration::from_millis(1))
        .build();
    // The first result (none to pass) comes before the subscription.
    while !health.is_ready().await {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut events = health.subscribe();
    flapping.go.store(true, Ordering::SeqCst);

    let mut last_seq = 0;
    let mut last_status = Status::Pass;
    for flip in 0..FLIPS {
        let change = next_check(&mut events).await;
        assert!(
            change.seq > last_seq,
            "seq goes up: {change:?} after {last_seq}"
        );
        assert_eq!(change.name, "flappy");
        assert_eq!(change.probe, Probe::Readiness);
        assert_eq!(change.from, Some(last_status), "flip {flip}: {change:?}");
        assert_ne!(change.to, last_status, "two equal statuses in a row");
        let expected = if flip % 2 == 0 {
            Status::Fail
        } else {
            Status::Pass
        };
        assert_eq!(change.to, expected, "flip {flip}: {change:?}");
        if change.to == Status::Fail {
            assert_eq!(change.code, Some(Code::CONNECTION_REFUSED));
            assert_eq!(change.message.as_deref(), Some("connection refused"));
        } else {
            assert_eq!((change.code, change.message), (None, None));
        }
        // Readiness follows right after the change that moved it.
        let probe = next_probe(&mut events).await;
        assert_eq!(probe.seq, change.seq + 1);
        assert_eq!(
            (probe.probe, probe.from, probe.to),
            (Probe::Readiness, last_status, change.to)
        );
        last_seq = probe.seq;
        last_status = change.to;
    }
    // Settled: it passes from now on, and nothing else is sent.
    let quiet = tokio::time::timeout(Duration::from_millis(50), events.next()).await;
    assert!(quiet.is_err(), "no change after the last flip: {quiet:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_subscriber_skips_the_oldest_and_goes_on_while_others_and_probes_are_not_held() {
    let flapping = Flapping::default();
    let mut builder = Health::builder();
    for i in 0..4 {
        builder = builder
            .readiness(format!("flappy_{i}"), flapping.check(u32::MAX))
            .refresh_every(Duration::from_millis(1));
    }
    let health = builder.build();
    while !health.is_ready().await {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut slow = health.subscribe();
    let mut fast = health.subscribe();
    // The fast subscriber reads everything as it comes, until the shutdown's change.
    let read = Arc::new(AtomicUsize::new(0));
    let count = read.clone();
    let reader = tokio::spawn(async move {
        let mut seen = Vec::new();
        loop {
            let event = next(&mut fast).await;
            count.fetch_add(1, Ordering::SeqCst);
            let done = matches!(&event, Event::Check(c) if c.name == "shutdown");
            seen.push(event);
            if done {
                return seen;
            }
        }
    });
    flapping.go.store(true, Ordering::SeqCst);

    // The slow one reads nothing while well over a queue's worth of changes happen, and
    // probes answer all along.
    let mut probes = 0;
    while read.load(Ordering::SeqCst) < 2 * EVENT_QUEUE {
        let report = tokio::time::timeout(Duration::from_secs(1), health.report(Probe::Readiness))
            .await
            .expect("a probe answers while a subscriber lags");
        assert_eq!(report.entries().len(), 4);
        probes += 1;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(probes > 0);
    flapping.stop.store(true, Ordering::SeqCst);
    while !health.is_ready().await {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    health.shutdown();

    let fast = reader.await.unwrap();
    assert!(
        fast.len() > EVENT_QUEUE,
        "the fast subscriber got every change: {}",
        fast.len()
    );
    let first = seq(&fast[0]);
    for (i, event) in fast.iter().enumerate() {
        assert_eq!(
            seq(event),
            first + i as u64,
            "in order, none missed: {event:?}"
        );
    }

    let missed = match next(&mut slow).await {
        Event::Missed(missed) => missed,
        other => panic!("the slow subscriber is told it fell behind first, got {other:?}"),
    };
    assert!(missed > 0);
    // Then it goes on where its queue starts, in order, to the same last change.
    let mut expected = first + missed;
    loop {
        let event = next(&mut slow).await;
        assert_eq!(seq(&event), expected, "{event:?}");
        if matches!(&event, Event::Check(c) if c.name == "shutdown") {
            break;
        }
        expected += 1;
    }
    assert_eq!(expected, seq(fast.last().unwrap()));
    eprintln!(
        "{} changes while the slow subscriber read nothing: it missed {missed}, \
         {probes} probes answered meanwhile",
        fast.len()
    );
}

#[tokio::test(start_paused = true)]
async fn a_stalled_heartbeat_fails_liveness_then_recovers() {
    let health = Health::builder()
        .liveness_heartbeat("worker", Duration::from_secs(5))
        .build();
    let worker = health.heartbeat("worker").unwrap();
    let mut events = health.subscribe();
    worker.tick();

    let stalled = next_check(&mut events).await;
    assert_eq!(stalled.name, "worker");
    assert_eq!(stalled.probe, Probe::Liveness);
    assert_eq!(
        (stalled.from, stalled.to),
        (Some(Status::Pass), Status::Fail)
    );
    assert_eq!(stalled.code, Some(Code::STALLED));
    let liveness = next_probe(&mut events).await;
    assert_eq!(
        (liveness.seq, liveness.probe, liveness.from, liveness.to),
        (stalled.seq + 1, Probe::Liveness, Status::Pass, Status::Fail)
    );

    worker.tick();
    let recovered = next_check(&mut events).await;
    assert_eq!(
        (recovered.name.as_str(), recovered.from, recovered.to),
        ("worker", Some(Status::Fail), Status::Pass)
    );
    let liveness = next_probe(&mut events).await;
    assert_eq!((liveness.from, liveness.to), (Status::Fail, Status::Pass));
}

#[tokio::test(start_paused = true)]
async fn shutting_down_fails_readiness_once() {
    let health = Health::builder()
        .readiness("db", || async { Outcome::pass() })
        .build();
    while !health.is_ready().await {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut events = health.subscribe();
    health.shutdown();
    health.shutdown();

    let shutdown = next_check(&mut events).await;
    assert_eq!(shutdown.name, "shutdown");
    assert_eq!(shutdown.probe, Probe::Readiness);
    assert_eq!(
        (shutdown.from, shutdown.to),
        (Some(Status::Pass), Status::Fail)
    );
    assert_eq!(shutdown.code, Some(Code::SHUTTING_DOWN));
    let readiness = next_probe(&mut events).await;
    assert_eq!(
        (readiness.probe, readiness.from, readiness.to),
        (Probe::Readiness, Status::Pass, Status::Fail)
    );
    // Liveness and startup are untouched, and a second call sends nothing.
    let quiet = tokio::time::timeout(Duration::from_millis(50), events.next()).await;
    assert!(quiet.is_err(), "nothing more: {quiet:?}");
}

#[tokio::test(start_paused = true)]
async fn the_end_of_the_startup_grace_is_an_event() {
    let health = Health::builder()
        .startup_grace(Duration::from_secs(5))
        .build();
    let mut events = health.subscribe();
    let started = tokio::time::Instant::now();

    let startup = next_check(&mut events).await;
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "not before the grace"
    );
    assert_eq!(startup.name, "startup");
    assert_eq!(startup.probe, Probe::Startup);
    assert_eq!(
        (startup.from, startup.to),
        (Some(Status::Fail), Status::Pass)
    );
    assert_eq!((startup.code, startup.message), (None, None));
    let readiness = next_probe(&mut events).await;
    let startup_probe = next_probe(&mut events).await;
    assert_eq!(
        [
            (readiness.seq, readiness.probe, readiness.from, readiness.to),
            (
                startup_probe.seq,
                startup_probe.probe,
                startup_probe.from,
                startup_probe.to
            )
        ],
        [
            (
                startup.seq + 1,
                Probe::Readiness,
                Status::Fail,
                Status::Pass
            ),
            (startup.seq + 2, Probe::Startup, Status::Fail, Status::Pass)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn startup_checks_passing_end_startup() {
    let done = Arc::new(AtomicBool::new(false));
    let ready = done.clone();
    let health = Health::builder()
        .startup("migrations", move || {
            let ready = ready.load(Ordering::SeqCst);
            async move {
                if ready {
                    Outcome::pass()
                } else {
                    Outcome::fail(Code::new("pending"), "migrations pending")
                }
            }
        })
        .refresh_every(Duration::from_secs(1))
        .startup_grace(Duration::from_secs(3600))
        .build();
    let mut events = health.subscribe();
    let pending = next_check(&mut events).await;
    assert_eq!(
        (
            pending.name.as_str(),
            pending.probe,
            pending.from,
            pending.to
        ),
        ("migrations", Probe::Startup, None, Status::Fail)
    );
    done.store(true, Ordering::SeqCst);

    let passed = next_check(&mut events).await;
    assert_eq!(
        (passed.name.as_str(), passed.from, passed.to),
        ("migrations", Some(Status::Fail), Status::Pass)
    );
    let startup = next_check(&mut events).await;
    assert_eq!(
        (startup.name.as_str(), startup.seq, startup.to),
        ("startup", passed.seq + 1, Status::Pass)
    );
    let readiness = next_probe(&mut events).await;
    let startup_probe = next_probe(&mut events).await;
    assert_eq!(
        [
            (readiness.probe, readiness.to),
            (startup_probe.probe, startup_probe.to)
        ],
        [
            (Probe::Readiness, Status::Pass),
            (Probe::Startup, Status::Pass)
        ]
    );
}

/// A signal the test sets: a passive check's view of a payment API.
#[derive(Clone, Default)]
struct Payments {
    failing: Arc<AtomicBool>,
    version: Arc<AtomicU32>,
}

impl Payments {
    fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
        self.version.fetch_add(1, Ordering::SeqCst);
    }
}

const SECRET: &str = "sk_live_51HxQ9";

impl Signal for Payments {
    fn outcome(&self) -> Outcome {
        if self.failing.load(Ordering::SeqCst) {
            Outcome::fail(Code::new("rejected"), "the API rejected the key")
                .with_detail(format!("401 for key {SECRET}"))
                .with_operation("charge")
        } else {
            Outcome::pass()
        }
    }

    fn version(&self) -> u64 {
        u64::from(self.version.load(Ordering::SeqCst))
    }
}

#[tokio::test(start_paused = true)]
async fn events_carry_safe_messages_criticality_and_operations_never_details() {
    let down = Arc::new(AtomicU32::new(0));
    let state = down.clone();
    let payments = Payments::default();
    let health = Health::builder()
        .readiness("db", move || {
            let state = state.load(Ordering::SeqCst);
            async move {
                match state {
                    0 => Outcome::pass(),
                    1 => Outcome::fail(Code::CONNECTION_REFUSED, "connection refused")
                        .with_detail(format!("postgres://app:{SECRET}@db:5432"))
                        .with_operation("connect"),
                    // Still failing, at another step: a change too.
                    _ => Outcome::fail(Code::CONNECTION_REFUSED, "connection refused")
                        .with_detail(format!("postgres://app:{SECRET}@db:5432"))
                        .with_operation("query"),
                }
            }
        })
        .non_critical()
        .refresh_every(Duration::from_secs(1))
        .signal("payments", Probe::Readiness, payments.clone())
        .build();
    while health.runs("db") == Some(0) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut events = health.subscribe();
    let mut seen = Vec::new();

    down.store(1, Ordering::SeqCst);
    let connect = next_check(&mut events).await;
    // Non-critical: probes see a warning, and so do subscribers; readiness still passes.
    assert_eq!(
        (connect.name.as_str(), connect.from, connect.to),
        ("db", Some(Status::Pass), Status::Warn)
    );
    assert_eq!(connect.operation.as_deref(), Some("connect"));
    assert_eq!(connect.message.as_deref(), Some("connection refused"));
    seen.push(Event::Check(connect));
    // A warning is the worst entry now: readiness warns (still ready).
    let warns = next_probe(&mut events).await;
    assert_eq!(
        (warns.probe, warns.from, warns.to),
        (Probe::Readiness, Status::Pass, Status::Warn)
    );
    down.store(2, Ordering::SeqCst);
    let query = next_check(&mut events).await;
    assert_eq!((query.from, query.to), (Some(Status::Warn), Status::Warn));
    assert_eq!(query.operation.as_deref(), Some("query"));
    seen.push(Event::Check(query));

    payments.set_failing(true);
    let rejected = next_check(&mut events).await;
    assert_eq!(
        (rejected.name.as_str(), rejected.from, rejected.to),
        ("payments", Some(Status::Pass), Status::Fail)
    );
    assert_eq!(rejected.operation.as_deref(), Some("charge"));
    seen.push(Event::Check(rejected));
    let readiness = next_probe(&mut events).await;
    assert_eq!((readiness.from, readiness.to), (Status::Warn, Status::Fail));

    let text = format!("{seen:?}");
    assert!(!text.contains(SECRET), "a secret in an event: {text}");
    assert!(
        !text.contains("postgres://"),
        "a raw detail in an event: {text}"
    );
}

/// A secret read from a mounted file, as a live config follows it.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "EVENTS_")]
#[allow(dead_code)] // only its readiness matters here
struct Keys {
    #[contract(secret)]
    pin: u32,
}

/// A live config reloaded by hand only, a ready `Health` on it (kept alive by the caller) and
/// a subscription.
async fn followed<C: ReadinessContract + Send + Sync + 'static>(
    builder: health::live::LiveConfigBuilder<C>,
) -> (LiveConfig<C>, Health, Subscription) {
    let config = builder
        .reload_every(Duration::from_secs(3600))
        .reload_on_sighup(false)
        .load();
    let health = Health::builder().config(&config).build();
    assert!(health.is_ready().await);
    let events = health.subscribe();
    (config, health, events)
}

#[tokio::test]
async fn a_live_config_secret_that_breaks_is_an_event_without_its_value() {
    const VALUE: &str = "hunter2-9f3c";
    let dir = tempfile::tempdir().unwrap();
    let pin = dir.path().join("pin");
    std::fs::write(&pin, "1234").unwrap();
    let vars: Vars = [("EVENTS_PIN_FILE", &pin)].into_iter().collect();
    let config = LiveConfig::<Keys>::builder().vars(vars);
    let (config, _health, mut events) = followed(config).await;

    // The rotated file holds a value that does not parse.
    std::fs::write(&pin, VALUE).unwrap();
    config.reload();
    let broken = next_check(&mut events).await;
    assert_eq!(
        (broken.name.as_str(), broken.probe, broken.from, broken.to),
        (
            "EVENTS_PIN",
            Probe::Readiness,
            Some(Status::Pass),
            Status::Fail
        )
    );
    assert!(
        broken.code.is_some() && broken.message.is_some(),
        "{broken:?}"
    );
    let readiness = next_probe(&mut events).await;
    assert_eq!(
        (readiness.seq, readiness.from, readiness.to),
        (broken.seq + 1, Status::Pass, Status::Fail)
    );

    // Reading the same broken file again changes nothing.
    config.reload();
    std::fs::write(&pin, "5678").unwrap();
    config.reload();
    let fixed = next_check(&mut events).await;
    assert_eq!(
        (fixed.name.as_str(), fixed.seq, fixed.from, fixed.to),
        (
            "EVENTS_PIN",
            readiness.seq + 1,
            Some(Status::Fail),
            Status::Pass
        )
    );
    let recovered = next_probe(&mut events).await;
    assert_eq!((recovered.from, recovered.to), (Status::Fail, Status::Pass));

    let text = format!("{broken:?} {readiness:?} {fixed:?} {recovered:?}");
    assert!(
        !text.contains(VALUE),
        "a secret's value in an event: {text}"
    );
    assert!(
        !text.contains("hunter2"),
        "part of a secret in an event: {text}"
    );
}

/// A config read from a `.env` file, as a live config follows it.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "EVENTS_DOTENV_")]
#[allow(dead_code)] // only its readiness matters here
struct Workers {
    count: u8,
}

#[tokio::test]
async fn a_dotenv_file_that_reads_again_ends_its_failure_with_an_event() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".env");
    std::fs::write(&file, "EVENTS_DOTENV_COUNT=4\n").unwrap();
    let config = LiveConfig::<Workers>::builder().dotenv(&file);
    let (config, _health, mut events) = followed(config).await;
    let path = file.display().to_string();

    // A line that is not `NAME=value`: the file itself is the failing entry.
    std::fs::write(&file, "EVENTS_DOTENV_COUNT=4\nnot a line\n").unwrap();
    config.reload();
    let broken = next_check(&mut events).await;
    assert_eq!(
        (broken.name.as_str(), broken.from, broken.to),
        (path.as_str(), None, Status::Fail)
    );
    let readiness = next_probe(&mut events).await;
    assert_eq!((readiness.from, readiness.to), (Status::Pass, Status::Fail));

    // Fixed: the variable is back (it had no entry while the file failed) and the file's
    // entry, gone from the report, ends as passing.
    std::fs::write(&file, "EVENTS_DOTENV_COUNT=5\n").unwrap();
    config.reload();
    let mut changes = [next_check(&mut events).await, next_check(&mut events).await];
    changes.sort_by(|a, b| a.name.cmp(&b.name));
    let seen: Vec<_> = changes
        .iter()
        .map(|c| (c.name.as_str(), c.from, c.to, c.code.is_none()))
        .collect();
    let mut expected = vec![
        ("EVENTS_DOTENV_COUNT", None, Status::Pass, true),
        (path.as_str(), Some(Status::Fail), Status::Pass, true),
    ];
    expected.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(seen, expected);
    let recovered = next_probe(&mut events).await;
    assert_eq!((recovered.from, recovered.to), (Status::Fail, Status::Pass));
}
