//! The hub on its own: a live config's changes, and the poller's life.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::sweep::POLL_EVERY;
use super::*;
use crate::outcome::Outcome;
use crate::report::Report;
use crate::runtime::{CheckChange, ConfigReport, Health, ProbeChange, ReportFeed, Subscription};

/// A live config as the runtime sees one: a report and the feed it is published on.
struct Live(Arc<ReportFeed>);

impl ConfigReport for Live {
    fn config_report(&self) -> Report {
        (*self.0.current()).clone()
    }

    fn __feed(&self) -> Option<Arc<ReportFeed>> {
        Some(self.0.clone())
    }
}

const SECRET: &str = "s3cr3t-value-7f2e";

fn config(token: Outcome, url: Outcome) -> Report {
    Report::new(vec![
        ReportEntry::new("API_TOKEN", token),
        ReportEntry::new("PUBLIC_URL", url),
    ])
}

/// Every event queued now.
fn queued(subscription: &mut Subscription) -> Vec<Event> {
    std::iter::from_fn(|| subscription.try_next()).collect()
}

#[test]
fn a_live_config_sends_each_variable_that_changed_then_the_probe_and_never_a_value() {
    // The parser's raw text can hold the value: it is a detail, never in an event.
    let rejected = || {
        Outcome::fail(Code::INVALID, "invalid value (withheld: secret)")
            .with_detail(format!("invalid digit in `{SECRET}`"))
    };
    let feed = Arc::new(ReportFeed::new(config(Outcome::pass(), Outcome::pass())));
    let health = Health::builder().config(&Live(feed.clone())).build();
    let mut events = health.subscribe();

    feed.publish(config(rejected(), Outcome::pass()));
    // A new message with the same status and code is no change.
    feed.publish(config(
        rejected().with_detail(format!("still `{SECRET}`")),
        Outcome::pass(),
    ));
    feed.publish(config(
        Outcome::pass(),
        Outcome::fail(Code::MISSING, "required variable is not set"),
    ));
    let seen = queued(&mut events);
    let text = format!("{seen:?}");
    assert!(
        !text.contains(SECRET),
        "a secret's value in an event: {text}"
    );
    let expected = vec![
        Event::Check(CheckChange {
            seq: 1,
            name: "API_TOKEN".into(),
            probe: Probe::Readiness,
            from: Some(Status::Pass),
            to: Status::Fail,
            code: Some(Code::INVALID),
            operation: None,
            message: Some("invalid value (withheld: secret)".into()),
        }),
        Event::Probe(ProbeChange {
            seq: 2,
            probe: Probe::Readiness,
            from: Status::Pass,
            to: Status::Fail,
        }),
        Event::Check(CheckChange {
            seq: 3,
            name: "API_TOKEN".into(),
            probe: Probe::Readiness,
            from: Some(Status::Fail),
            to: Status::Pass,
            code: None,
            operation: None,
            message: None,
        }),
        Event::Check(CheckChange {
            seq: 4,
            name: "PUBLIC_URL".into(),
            probe: Probe::Readiness,
            from: Some(Status::Pass),
            to: Status::Fail,
            code: Some(Code::MISSING),
            operation: None,
            message: Some("required variable is not set".into()),
        }),
    ];
    assert_eq!(seen, expected);

    // Nobody subscribing: nothing is computed, no number is used.
    drop(events);
    feed.publish(config(Outcome::pass(), Outcome::pass()));
    health.shutdown();
    let mut events = health.subscribe();
    feed.publish(config(
        Outcome::pass(),
        Outcome::fail(Code::MISSING, "required variable is not set"),
    ));
    let seen = queued(&mut events);
    assert!(
        matches!(&seen[..], [Event::Check(c)] if c.seq == 5 && c.name == "PUBLIC_URL"),
        "{seen:?}"
    );

    // The listener holds the runtime weakly: no cycle keeps the runtime (which holds the
    // feed) alive, and a publish after it is gone is no error.
    drop((events, health));
    assert_eq!(Arc::strong_count(&feed), 1, "the runtime is gone");
    feed.publish(config(Outcome::pass(), Outcome::pass()));
}

#[tokio::test(start_paused = true)]
async fn the_poller_runs_only_while_somebody_subscribes() {
    let health = Health::builder()
        .liveness_heartbeat("worker", Duration::from_secs(60))
        .build();
    assert_eq!(health.inner.hub.pollers(), 0, "none before a subscription");
    let first = health.subscribe();
    let second = health.subscribe();
    assert_eq!(health.inner.hub.pollers(), 1, "one for every subscriber");
    drop(first);
    tokio::time::sleep(POLL_EVERY * 3).await;
    assert_eq!(health.inner.hub.pollers(), 1, "a subscriber is left");
    drop(second);
    tokio::time::sleep(POLL_EVERY * 3).await;
    assert_eq!(
        health.inner.hub.pollers(),
        0,
        "the poller ended with the last one"
    );

    // Subscribing again starts it again; dropping the runtime ends it too.
    let _events = health.subscribe();
    assert_eq!(health.inner.hub.pollers(), 1);
    let pollers = health.inner.hub.pollers.clone();
    drop(health);
    tokio::time::sleep(POLL_EVERY * 3).await;
    assert_eq!(pollers.load(Ordering::Acquire), 0, "the runtime is gone");

    // Nothing changes with the clock: no poller at all.
    let quiet = Health::builder().build();
    let _events = quiet.subscribe();
    assert_eq!(quiet.inner.hub.pollers(), 0);
}

#[test]
fn outside_a_runtime_the_poller_starts_at_the_first_next() {
    let health = Health::builder()
        .liveness_heartbeat("worker", Duration::from_millis(100))
        .build();
    let mut events = health.subscribe();
    assert!(!events.polled);
    assert_eq!(health.inner.hub.pollers(), 0);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let event = runtime.block_on(events.next());
    assert_eq!(health.inner.hub.pollers(), 1);
    assert!(
        matches!(&event, Some(Event::Check(c)) if c.name == "worker" && c.to == Status::Fail),
        "{event:?}"
    );
}
