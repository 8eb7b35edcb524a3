//! The hub of state-change [`Event`]s: numbers them and sends them to every subscriber, and
//! keeps what subscribers were last told of the entries that have no run of their own
//! (signals, `startup`, `shutdown`) and of each probe, so that each change is sent once.
//!
//! Numbering and sending happen under one lock, so `seq` follows the order of sending across
//! tasks. Nothing here is computed while nobody subscribes: callers ask
//! [`Hub::emitter`], which is `None` then. What changed is found in `sweep`, which compares
//! the runtime's state with what was told, on a call or from a poller.

mod sweep;

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::broadcast;

use super::events::{EVENT_QUEUE, Event};
use super::probe::Probe;
use crate::report::ReportEntry;
use crate::status::{Code, Status};

/// The probes, in the order their changes are sent.
const PROBES: [Probe; 3] = [Probe::Liveness, Probe::Readiness, Probe::Startup];

/// What an event is sent for: a change of any of these (not of the message).
type Key = (Status, Option<Code>, Option<String>);

fn key(entry: &ReportEntry) -> Key {
    let outcome = entry.outcome();
    (
        outcome.status(),
        outcome.code().cloned(),
        outcome.operation().map(str::to_owned),
    )
}

/// The sender of a `Health`'s events and what its subscribers were last told.
pub(crate) struct Hub {
    sender: broadcast::Sender<Event>,
    told: Mutex<Told>,
    /// Poller tasks alive: 0 or 1 (shared with the task, which counts itself out on exit).
    pollers: Arc<AtomicUsize>,
}

/// What subscribers were last told, and the numbering.
struct Told {
    /// The last event's number.
    seq: u64,
    /// Whether a poller task runs.
    polling: bool,
    shutting_down: bool,
    startup_over: bool,
    /// Per signal, in registration order: its version and its entry's key then.
    signals: Vec<(u64, Key)>,
    /// `Inner::generation` then.
    generation: u64,
    /// Each config part's version then.
    config: Vec<u64>,
    /// Each probe's status then, in [`PROBES`] order.
    probes: [Status; 3],
}

/// The hub's lock, held while numbering and sending: taken only when somebody listens.
pub(crate) struct Emitter<'a> {
    sender: &'a broadcast::Sender<Event>,
    told: MutexGuard<'a, Told>,
}

impl Hub {
    pub(crate) fn new() -> Hub {
        Hub {
            sender: broadcast::channel(EVENT_QUEUE).0,
            told: Mutex::new(Told {
                seq: 0,
                polling: false,
                shutting_down: false,
                startup_over: false,
                signals: Vec::new(),
                generation: 0,
                config: Vec::new(),
                probes: [Status::Pass; 3],
            }),
            pollers: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Whether anybody subscribes: the one question the runtime asks when nobody does.
    pub(crate) fn listening(&self) -> bool {
        self.sender.receiver_count() > 0
    }

    fn lock(&self) -> Emitter<'_> {
        Emitter {
            sender: &self.sender,
            told: self.told.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// The lock to send under, when somebody listens.
    pub(crate) fn emitter(&self) -> Option<Emitter<'_>> {
        self.listening().then(|| self.lock())
    }

    /// Poller tasks alive.
    #[cfg(test)]
    pub(crate) fn pollers(&self) -> usize {
        self.pollers.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl Emitter<'_> {
    /// Numbers and sends one event. A receiver that went away meanwhile is no error.
    fn send(&mut self, mut event: Event) {
        self.told.seq += 1;
        let seq = self.told.seq;
        match &mut event {
            Event::Check(change) => change.seq = seq,
            Event::Probe(change) => change.seq = seq,
            Event::Missed(_) => {}
        }
        let _ = self.sender.send(event);
    }
}

#[cfg(test)]
mod tests;
