//! State changes, as they happen: one [`Event`] per change of a check's status and per
//! change of a probe's answer, for an app that publishes them to its own systems (a
//! webhook, a chat channel, a log index).
//!
//! Every subscriber has a bounded queue: a slow one never blocks the runtime; it skips the
//! oldest events and is told how many it missed. The hub that numbers and sends them is in
//! `hub`; a subscriber reads them from its `subscription`.

use super::probe::Probe;
use crate::outcome::Outcome;
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
///
/// The `startup` and `shutdown` entries count as passing while they are absent: startup
/// ending is `startup` from `fail` to `pass`, shutting down is `shutdown` from `pass` to
/// `fail`. So does a live config's entry that a reload leaves out (a `.env` file that reads
/// again, a stray variable unset): it ends with a change to `pass`.
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

impl CheckChange {
    /// The change of `name` to `outcome` (whose status is replaced by `to`, criticality
    /// applied); numbered when sent. Takes the outcome's code, operation and safe message,
    /// never its detail.
    pub(crate) fn new(
        name: &str,
        probe: Probe,
        from: Option<Status>,
        to: Status,
        outcome: &Outcome,
    ) -> CheckChange {
        CheckChange {
            seq: 0,
            name: name.to_owned(),
            probe,
            from,
            to,
            code: outcome.code().cloned(),
            operation: outcome.operation().map(str::to_owned),
            message: outcome.message().map(str::to_owned),
        }
    }
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
