//! `Watch`: the feed of statuses that every watcher shares, recomputed by one follower of
//! the runtime's state changes while somebody watches, and the stream each call gets from it.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::sync::watch;
use tokio_stream::Stream;

use super::ServingStatus;
use super::proto::HealthCheckResponse;
use super::status::{Statuses, response, statuses};
use crate::report::Report;
use crate::runtime::{Event, Health, Probe, Subscription};

/// The statuses at one moment, and whether the service was shutting down then.
#[derive(Debug, PartialEq)]
pub(super) struct Snapshot {
    pub(super) statuses: Statuses,
    pub(super) shutting_down: bool,
}

/// The stream of one `Watch` call: the status of `service` in each snapshot, when it changed.
/// It ends after the first snapshot taken while shutting down: tonic's graceful shutdown
/// waits for open streams, so a watch that never ended would hold the process after its
/// drain (the client sees `NOT_SERVING`, then the end, and retries as the protocol says).
pub(super) struct Watcher {
    pub(super) snapshots: Pin<Box<dyn Stream<Item = Arc<Snapshot>> + Send>>,
    pub(super) service: String,
    pub(super) last: Option<ServingStatus>,
    pub(super) done: bool,
}

impl Stream for Watcher {
    type Item = Result<HealthCheckResponse, tonic::Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        while !this.done {
            let Some(snapshot) = std::task::ready!(this.snapshots.as_mut().poll_next(cx)) else {
                break;
            };
            this.done = snapshot.shutting_down;
            let status = snapshot
                .statuses
                .get(&this.service)
                .copied()
                .unwrap_or(ServingStatus::ServiceUnknown);
            if this.last != Some(status) {
                this.last = Some(status);
                return Poll::Ready(Some(Ok(response(status))));
            }
        }
        this.done = true;
        Poll::Ready(None)
    }
}

/// What every call of one service shares: the readiness it answers from, and the feed.
pub(super) struct Shared {
    pub(super) health: Health,
    /// The statuses every watcher follows; `Some` while a follower runs.
    pub(super) feed: Mutex<Option<watch::Sender<Arc<Snapshot>>>>,
}

impl Shared {
    /// The statuses now, from a fresh readiness report (a check that never ran is waited
    /// for).
    pub(super) async fn snapshot(&self) -> Snapshot {
        let report = self.health.report(Probe::Readiness).await;
        self.snapshot_of(&report)
    }

    /// The statuses now, from the cached results: nothing runs.
    fn cached(&self) -> Snapshot {
        self.snapshot_of(&self.health.snapshot(Probe::Readiness))
    }

    fn snapshot_of(&self, report: &Report) -> Snapshot {
        let shutting_down = self.health.is_shutting_down();
        Snapshot {
            statuses: statuses(report, shutting_down),
            shutting_down,
        }
    }

    /// Follows the feed, starting its follower if none runs.
    pub(super) fn follow(
        self: &Arc<Self>,
    ) -> Result<watch::Receiver<Arc<Snapshot>>, tonic::Status> {
        let mut feed = self.feed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = feed.as_ref() {
            return Ok(sender.subscribe());
        }
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| tonic::Status::unavailable("no tokio runtime to watch from"))?;
        // Subscribed before the first snapshot: a change in between is heard.
        let events = self.health.subscribe();
        let (sender, receiver) = watch::channel(Arc::new(self.cached()));
        runtime.spawn(follow_feed(self.clone(), sender.clone(), events));
        *feed = Some(sender);
        Ok(receiver)
    }
}

/// Recomputes the statuses at each state change (or missed changes) while somebody watches
/// and publishes them when they differ; ends, dropping its subscription, when nobody does.
async fn follow_feed(
    shared: Arc<Shared>,
    sender: watch::Sender<Arc<Snapshot>>,
    mut events: Subscription,
) {
    loop {
        let gone = tokio::select! {
            event = events.next() => match event {
                None => true,
                Some(event) => {
                    // A burst is recomputed once, after its last queued event.
                    let mut moved = readiness_may_have_moved(&event);
                    while let Some(event) = events.try_next() {
                        moved |= readiness_may_have_moved(&event);
                    }
                    if !moved {
                        continue;
                    }
                    false
                }
            },
            () = sender.closed() => false,
        };
        {
            // Decided under the lock that following takes: a new watcher either finds this
            // follower still running or starts the next one.
            let mut feed = shared.feed.lock().unwrap_or_else(PoisonError::into_inner);
            if gone || sender.receiver_count() == 0 {
                *feed = None;
                return;
            }
        }
        let next = shared.cached();
        sender.send_if_modified(|current| {
            if **current == next {
                false
            } else {
                *current = Arc::new(next);
                true
            }
        });
    }
}

/// Whether `event` may change a readiness status: everything but liveness (and a gap, which
/// may hide anything).
fn readiness_may_have_moved(event: &Event) -> bool {
    match event {
        Event::Check(change) => change.probe != Probe::Liveness,
        Event::Probe(change) => change.probe != Probe::Liveness,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use tokio_stream::StreamExt;

    use super::*;
    use crate::grpc::proto::health_server::Health as _;
    use crate::grpc::responder::tests::{request, responder, status_of};
    use crate::outcome::Outcome;
    use crate::status::Code;

    async fn next(stream: &mut Watcher, what: &str) -> ServingStatus {
        let item = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .unwrap_or_else(|_| panic!("no status for {what} within 5 s"))
            .expect("the stream stays open")
            .unwrap();
        status_of(&item)
    }

    #[tokio::test]
    async fn watch_sends_the_status_then_each_change_and_stops_following_without_watchers() {
        let up = Arc::new(AtomicBool::new(true));
        let flag = up.clone();
        let health = Health::builder()
            .readiness("db", move || {
                let up = flag.load(Ordering::SeqCst);
                async move {
                    if up {
                        Outcome::pass()
                    } else {
                        Outcome::fail(Code::CONNECTION_REFUSED, "refused")
                    }
                }
            })
            .refresh_every(Duration::from_millis(10))
            .build();
        // The first run happens right away; wait for it.
        while !health.is_ready().await {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let responder = responder(health.clone());

        let mut db = responder.watch(request("db")).await.unwrap().into_inner();
        let mut overall = responder.watch(request("")).await.unwrap().into_inner();
        let mut unknown = responder.watch(request("nope")).await.unwrap().into_inner();
        assert_eq!(next(&mut db, "db").await, ServingStatus::Serving);
        assert_eq!(next(&mut overall, "overall").await, ServingStatus::Serving);
        assert_eq!(
            next(&mut unknown, "unknown").await,
            ServingStatus::ServiceUnknown
        );

        up.store(false, Ordering::SeqCst);
        assert_eq!(next(&mut db, "db").await, ServingStatus::NotServing);
        assert_eq!(
            next(&mut overall, "overall").await,
            ServingStatus::NotServing
        );
        up.store(true, Ordering::SeqCst);
        assert_eq!(next(&mut db, "db").await, ServingStatus::Serving);
        assert_eq!(next(&mut overall, "overall").await, ServingStatus::Serving);

        // An unchanged status sends nothing.
        let quiet = tokio::time::timeout(Duration::from_millis(100), unknown.next()).await;
        assert!(quiet.is_err(), "no message for an unchanged status");

        // Shutting down: every name stops serving and the streams end, so that the
        // server's graceful shutdown is not held by them.
        health.shutdown();
        assert_eq!(next(&mut db, "db").await, ServingStatus::NotServing);
        assert_eq!(
            next(&mut overall, "overall").await,
            ServingStatus::NotServing
        );
        for stream in [&mut db, &mut overall, &mut unknown] {
            let end = tokio::time::timeout(Duration::from_secs(5), stream.next()).await;
            assert!(matches!(end, Ok(None)), "the stream ends: {end:?}");
        }

        // Clients gone: the follower ends and the feed is cleared.
        drop((db, overall, unknown));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while responder.shared.feed.lock().unwrap().is_some() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the follower kept running"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // A watch while shutting down gets the status, then the end.
        let mut late = responder.watch(request("")).await.unwrap().into_inner();
        assert!(responder.shared.feed.lock().unwrap().is_some());
        assert_eq!(next(&mut late, "late").await, ServingStatus::NotServing);
        assert!(late.next().await.is_none());
    }
}
