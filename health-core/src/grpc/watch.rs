//! `Watch`: the feed of statuses that every watcher shares, re-read by one poller while
//! somebody watches, and the stream each call gets from it.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::watch;
use tokio_stream::Stream;

use super::ServingStatus;
use super::proto::HealthCheckResponse;
use super::status::{Statuses, response, statuses};
use crate::runtime::{Health, Probe};

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
    pub(super) interval: Duration,
    /// The statuses every watcher follows; `Some` while a poller runs.
    pub(super) feed: Mutex<Option<watch::Sender<Arc<Snapshot>>>>,
}

impl Shared {
    /// The statuses now, from a fresh readiness report.
    pub(super) async fn snapshot(&self) -> Snapshot {
        let report = self.health.report(Probe::Readiness).await;
        let shutting_down = self.health.is_shutting_down();
        Snapshot {
            statuses: statuses(&report, shutting_down),
            shutting_down,
        }
    }

    /// Follows the feed, starting its poller if none runs; `current` seeds a new feed.
    pub(super) fn subscribe(
        self: &Arc<Self>,
        current: &Arc<Snapshot>,
    ) -> Result<watch::Receiver<Arc<Snapshot>>, tonic::Status> {
        let mut feed = self.feed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = feed.as_ref() {
            return Ok(sender.subscribe());
        }
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| tonic::Status::unavailable("no tokio runtime to watch from"))?;
        let (sender, receiver) = watch::channel(current.clone());
        runtime.spawn(poll_feed(self.clone(), sender.clone()));
        *feed = Some(sender);
        Ok(receiver)
    }
}

/// Re-reads the statuses every interval while somebody watches and publishes changes.
async fn poll_feed(shared: Arc<Shared>, sender: watch::Sender<Arc<Snapshot>>) {
    let mut ticker = tokio::time::interval(shared.interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            () = sender.closed() => {}
        }
        {
            // Decided under the lock that subscribing takes: a new watcher either finds this
            // poller still running or starts the next one.
            let mut feed = shared.feed.lock().unwrap_or_else(PoisonError::into_inner);
            if sender.receiver_count() == 0 {
                *feed = None;
                return;
            }
        }
        let next = shared.snapshot().await;
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

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
    async fn watch_sends_the_status_then_each_change_and_stops_polling_without_watchers() {
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
        let responder = responder(health.clone(), Duration::from_millis(10));

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

        // Clients gone: the poller ends and the feed is cleared.
        drop((db, overall, unknown));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while responder.shared.feed.lock().unwrap().is_some() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the poller kept running"
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
