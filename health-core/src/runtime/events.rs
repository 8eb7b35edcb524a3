//! State changes, as they happen: one [`Event`] per change of a check's status and per
//! change of a probe's answer, for an app that publishes them to its own systems (a
//! webhook, a chat channel, a log index).
//!
//! Every subscriber has a bounded queue: a slow one never blocks the runtime; it skips the
//! oldest events and is told how many it missed.

use tokio::sync::broadcast;

use super::probe::Probe;
use crate::status::{Code, Status};

/// How many events a subscriber may fall behind before it skips the oldest.
pub const EVENT_QUEUE: usize = 1024;

/// One change, in the order it happened.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A check's status, code or operation changed (a dependency check, a signal, a config
    /// variable, or the `startup` and `shutdown` entries).
    Check(CheckChange),
    /// A probe's answer changed (ready or not).
    Probe(ProbeChange),
    /// This subscriber fell behind and skipped this many events.
    Missed(u64),
}

/// A check that changed, as probes see it (criticality applied). Never holds a raw error
/// detail or a secret's value: the message is the check's safe message.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CheckChange {
    /// Counts every event of this `Health`, from 1: the order they happened in.
    pub seq: u64,
    /// The check's name (a variable's full name for a config entry).
    pub name: String,
    /// The probe it belongs to.
    pub probe: Probe,
    /// The status before; `None` when it had none (a first result).
    pub from: Option<Status>,
    /// The status now.
    pub to: Status,
    /// The reason code now; `None` when it passes.
    pub code: Option<Code>,
    /// The operation that failed, when the outcome names one.
    pub operation: Option<String>,
    /// The safe message now.
    pub message: Option<String>,
}

/// A probe whose answer changed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ProbeChange {
    /// Counts every event of this `Health`, from 1.
    pub seq: u64,
    /// The probe.
    pub probe: Probe,
    /// Its status before (the worst of its entries).
    pub from: Status,
    /// Its status now.
    pub to: Status,
}

/// A subscriber's queue of [`Event`]s, from [`Health::subscribe`](super::Health::subscribe).
pub struct Subscription {
    pub(crate) receiver: broadcast::Receiver<Event>,
}

impl Subscription {
    /// The next event; [`Event::Missed`] when this subscriber fell behind; `None` once the
    /// `Health` is gone.
    pub async fn next(&mut self) -> Option<Event> {
        match self.receiver.recv().await {
            Ok(event) => Some(event),
            Err(broadcast::error::RecvError::Lagged(missed)) => Some(Event::Missed(missed)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}
