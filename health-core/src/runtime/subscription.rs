//! A subscriber's queue of [`Event`]s: [`Health::subscribe`] and the [`Subscription`] it
//! returns.

use std::sync::{Arc, Weak};

use tokio::sync::broadcast;

use super::events::Event;
use super::handle::{Health, Inner};

/// A subscriber's queue of [`Event`]s, from [`Health::subscribe`].
/// Dropping it unsubscribes; once nobody subscribes, nothing is computed for events.
pub struct Subscription {
    receiver: broadcast::Receiver<Event>,
    /// The runtime, to start the poller of signals and the startup grace from `next` when
    /// `subscribe` was called outside a tokio runtime.
    health: Weak<Inner>,
    /// Whether that poller is known to run (or not to be needed).
    pub(super) polled: bool,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("queued", &self.receiver.len())
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// The next event; [`Event::Missed`] when this subscriber fell behind; `None` once the
    /// `Health` is gone.
    pub async fn next(&mut self) -> Option<Event> {
        if !self.polled {
            // Dropped before waiting, so that a pending `next` never keeps the runtime alive.
            if let Some(inner) = self.health.upgrade() {
                self.polled = inner.hub.ensure_poller(&inner);
            }
        }
        match self.receiver.recv().await {
            Ok(event) => Some(event),
            Err(broadcast::error::RecvError::Lagged(missed)) => Some(Event::Missed(missed)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }

    /// The next event if one is queued, without waiting: how a follower drains a burst
    /// before it acts once on all of it.
    #[cfg(any(test, feature = "grpc"))]
    pub(crate) fn try_next(&mut self) -> Option<Event> {
        match self.receiver.try_recv() {
            Ok(event) => Some(event),
            Err(broadcast::error::TryRecvError::Lagged(missed)) => Some(Event::Missed(missed)),
            Err(broadcast::error::TryRecvError::Empty | broadcast::error::TryRecvError::Closed) => {
                None
            }
        }
    }
}

impl Health {
    /// Every later state change, in order: each check's status, code or operation as probes
    /// see it (dependency checks, signals, config variables, `startup` and `shutdown`), and
    /// each probe's status right after the change that moved it.
    ///
    /// Nothing is computed for events while nobody subscribes. Signals (heartbeats, passive
    /// checks, the request watchdog) and the startup grace change with the clock: while
    /// somebody subscribes, one task reads them every 50 ms (started here inside a tokio
    /// runtime, else at the first [`Subscription::next`]).
    pub fn subscribe(&self) -> Subscription {
        let receiver = self.inner.hub.subscribe(self);
        let polled = self.inner.hub.ensure_poller(&self.inner);
        Subscription {
            receiver,
            health: Arc::downgrade(&self.inner),
            polled,
        }
    }
}
