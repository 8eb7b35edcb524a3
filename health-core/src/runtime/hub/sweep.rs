//! What changed since subscribers were last told: the runtime's state compared with the
//! hub's record, each difference sent once. Signals and the startup grace change with the
//! clock rather than on a call, so one poller task sweeps every [`POLL_EVERY`] while somebody
//! subscribes, and ends when nobody does.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::broadcast;

use super::{Emitter, Hub, PROBES, Told, key};
use crate::outcome::Outcome;
use crate::report::{Report, ReportEntry};
use crate::runtime::events::{CheckChange, Event, ProbeChange};
use crate::runtime::handle::{Health, Inner};
use crate::runtime::probe::Probe;
use crate::status::Status;

/// How often the poller reads signals' versions and the startup grace while somebody
/// subscribes: what bounds the delay of their events.
pub(super) const POLL_EVERY: Duration = Duration::from_millis(50);

impl Hub {
    /// A new receiver. The first one (after none) takes the state now as what it was told.
    pub(crate) fn subscribe(&self, health: &Health) -> broadcast::Receiver<Event> {
        let mut emitter = self.lock();
        if !self.listening() {
            emitter.told.reset(health);
        }
        self.sender.subscribe()
    }

    /// Starts the poller unless it runs or has nothing to watch; `false` outside a tokio
    /// runtime (the subscription asks again from `next`).
    pub(crate) fn ensure_poller(&self, inner: &Arc<Inner>) -> bool {
        let mut emitter = self.lock();
        if emitter.told.polling || !needs_poller(inner) {
            return true;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return false;
        };
        emitter.told.polling = true;
        self.pollers.fetch_add(1, Ordering::AcqRel);
        let alive = Alive(self.pollers.clone());
        runtime.spawn(poll(Arc::downgrade(inner), alive));
        true
    }

    /// Sends what changed in the entries without a run and in the probes, if anybody listens.
    pub(crate) fn changed(&self, health: &Health) {
        if let Some(mut emitter) = self.emitter() {
            emitter.sweep(health);
        }
    }

    /// A live config published `new` over `old`: one change per variable whose status, code
    /// or operation changed, then the probes'.
    pub(crate) fn config_changed(&self, health: &Health, old: &Report, new: &Report) {
        let Some(mut emitter) = self.emitter() else {
            return;
        };
        let before: HashMap<&str, &ReportEntry> =
            old.entries().iter().map(|e| (e.name(), e)).collect();
        for entry in new.entries() {
            let was = before.get(entry.name());
            if was.map(|e| key(e)) == Some(key(entry)) {
                continue;
            }
            let from = was.map(|e| e.status());
            let change = CheckChange::new(
                entry.name(),
                Probe::Readiness,
                from,
                entry.status(),
                entry.outcome(),
            );
            emitter.send(Event::Check(change));
        }
        // An entry that went away (a `.env` file that reads again, a stray variable unset)
        // counts as passing, as `startup` does while absent: one event if it did not pass.
        let now: HashSet<&str> = new.entries().iter().map(|e| e.name()).collect();
        let failing_then = old.entries().iter().filter(|e| e.status() != Status::Pass);
        for gone in failing_then.filter(|e| !now.contains(e.name())) {
            let change = CheckChange::new(
                gone.name(),
                Probe::Readiness,
                Some(gone.status()),
                Status::Pass,
                &Outcome::pass(),
            );
            emitter.send(Event::Check(change));
        }
        emitter.sweep(health);
    }
}

impl Emitter<'_> {
    /// Sends a dependency check's change, then whatever it changed further (startup, probes).
    pub(crate) fn check(&mut self, change: CheckChange, health: &Health) {
        self.send(Event::Check(change));
        self.sweep(health);
    }

    /// Compares the state now with what was told and sends the differences: `shutdown`,
    /// `startup`, each signal whose version moved, then each probe's status.
    fn sweep(&mut self, health: &Health) {
        let inner = &health.inner;
        let mut moved = false;
        let mut readiness = None;
        let shutting_down = health.is_shutting_down();
        if shutting_down != self.told.shutting_down {
            self.told.shutting_down = shutting_down;
            moved = true;
            let report = readiness.get_or_insert_with(|| health.snapshot(Probe::Readiness));
            self.send_presence("shutdown", Probe::Readiness, report.get("shutdown"));
        }
        let startup_over = inner.startup_over();
        if startup_over != self.told.startup_over {
            self.told.startup_over = startup_over;
            moved = true;
            let report = readiness.get_or_insert_with(|| health.snapshot(Probe::Readiness));
            self.send_presence("startup", Probe::Startup, report.get("startup"));
        }
        for (index, signal) in inner.setup.signals.iter().enumerate() {
            let version = signal.signal.version();
            if version == self.told.signals[index].0 {
                continue;
            }
            moved = true;
            let entry = signal.report_entry();
            let now = key(&entry);
            let (told_version, told_key) = &mut self.told.signals[index];
            *told_version = version;
            if now == *told_key {
                continue;
            }
            let from = told_key.0;
            *told_key = now;
            let change = CheckChange::new(
                &signal.name,
                signal.probe,
                Some(from),
                entry.status(),
                entry.outcome(),
            );
            self.send(Event::Check(change));
        }
        let generation = inner.generation.load(Ordering::Acquire);
        if generation != self.told.generation {
            self.told.generation = generation;
            moved = true;
        }
        for (index, part) in inner.setup.config.iter().enumerate() {
            let version = part.version();
            if version != self.told.config[index] {
                self.told.config[index] = version;
                moved = true;
            }
        }
        if !moved {
            return;
        }
        for (index, probe) in PROBES.into_iter().enumerate() {
            let status = match (&readiness, probe) {
                (Some(report), Probe::Readiness) => report.status(),
                _ => health.snapshot(probe).status(),
            };
            let from = self.told.probes[index];
            if status != from {
                self.told.probes[index] = status;
                self.send(Event::Probe(ProbeChange {
                    seq: 0,
                    probe,
                    from,
                    to: status,
                }));
            }
        }
    }

    /// The change of an entry that passes while absent (`startup`, `shutdown`): it
    /// appeared as `entry`, or left.
    fn send_presence(&mut self, name: &str, probe: Probe, entry: Option<&ReportEntry>) {
        let change = match entry {
            Some(entry) => CheckChange::new(
                name,
                probe,
                Some(Status::Pass),
                entry.status(),
                entry.outcome(),
            ),
            None => CheckChange::new(
                name,
                probe,
                Some(Status::Fail),
                Status::Pass,
                &Outcome::pass(),
            ),
        };
        self.send(Event::Check(change));
    }
}

impl Told {
    /// Takes the state now as what subscribers were told (the numbering goes on).
    fn reset(&mut self, health: &Health) {
        let inner = &health.inner;
        self.shutting_down = health.is_shutting_down();
        self.startup_over = inner.startup_over();
        self.signals = inner
            .setup
            .signals
            .iter()
            .map(|s| (s.signal.version(), key(&s.report_entry())))
            .collect();
        self.generation = inner.generation.load(Ordering::Acquire);
        self.config = inner.setup.config.iter().map(|p| p.version()).collect();
        self.probes = PROBES.map(|probe| health.snapshot(probe).status());
    }
}

/// Whether anything changes with the clock alone: signals, or a startup grace not over yet.
fn needs_poller(inner: &Inner) -> bool {
    !inner.setup.signals.is_empty() || !inner.startup_over()
}

/// Counts a poller task out when it ends, however it ends.
struct Alive(Arc<AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Reads what changes with the clock every [`POLL_EVERY`] while somebody subscribes. Holds
/// the runtime only weakly, and ends once nobody subscribes or nothing is left to watch.
async fn poll(weak: Weak<Inner>, _alive: Alive) {
    let mut ticker = tokio::time::interval(POLL_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let health = Health { inner };
        let mut emitter = health.inner.hub.lock();
        // Decided under the lock `subscribe` takes: a new subscriber either finds this
        // poller running or starts the next one.
        if health.inner.hub.listening() {
            emitter.sweep(&health);
            if needs_poller(&health.inner) {
                continue;
            }
        }
        emitter.told.polling = false;
        return;
    }
}
