//! One registered check and what it has found so far: the result probes see (after
//! thresholds and criticality), the streak of runs, and when it last ran and succeeded.

use std::borrow::Cow;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::events::CheckChange;
use super::options::Options;
use super::probe::Probe;
use super::threshold::{Shown, Streak, shows_new_result};
use crate::checks::HealthCheck;
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::status::{Code, Status};

/// A check as registered on the builder, with its state.
pub(crate) struct RegisteredCheck {
    pub(crate) name: Cow<'static, str>,
    /// `Readiness` or `Startup`.
    pub(crate) probe: Probe,
    pub(crate) check: Arc<dyn HealthCheck>,
    pub(crate) options: Options,
    /// The groups it is in.
    pub(crate) tags: Vec<String>,
    state: Mutex<State>,
    /// Held while a run is in flight: single-flight for probe-driven refreshes.
    pub(crate) run_lock: tokio::sync::Mutex<()>,
    /// Set while a background refresh started by a probe is under way.
    pub(crate) refreshing: AtomicBool,
}

/// What one recorded run changed.
pub(crate) struct Recorded {
    /// Whether what probes see changed at all, a message or a measured value included: the
    /// rendered body is stale.
    pub(crate) rerender: bool,
    /// The change of status, code or operation as probes see it, when one was asked for
    /// (somebody subscribes) and there is one.
    pub(crate) change: Option<CheckChange>,
}

#[derive(Default)]
struct State {
    /// The result probes see, after thresholds; `None` until the first result is shown.
    shown: Option<Outcome>,
    streak: Streak,
    last_success: Option<Instant>,
    last_run: Option<Instant>,
    runs: u64,
}

impl RegisteredCheck {
    pub(crate) fn new(
        name: String,
        probe: Probe,
        check: Arc<dyn HealthCheck>,
        options: Options,
        tags: Vec<String>,
    ) -> RegisteredCheck {
        RegisteredCheck {
            name: Cow::Owned(name),
            probe,
            check,
            options,
            tags,
            state: Mutex::new(State::default()),
            run_lock: tokio::sync::Mutex::new(()),
            refreshing: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many runs have finished since the start.
    pub(crate) fn runs(&self) -> u64 {
        self.lock().runs
    }

    /// When the last run finished; `None` before the first.
    pub(crate) fn last_run(&self) -> Option<Instant> {
        self.lock().last_run
    }

    /// Whether the last run is at least `ttl` old (or there was none).
    pub(crate) fn is_stale(&self, ttl: Duration) -> bool {
        self.last_run().is_none_or(|at| at.elapsed() >= ttl)
    }

    /// Whether a run has ever succeeded.
    pub(crate) fn passed_once(&self) -> bool {
        self.lock().last_success.is_some()
    }

    /// Records one run's outcome through the thresholds; returns what changed for probes
    /// (and logs a change of status, code or operation once, with the raw detail). The
    /// change's event is built only when `describe` (somebody subscribes).
    pub(crate) fn record(&self, outcome: Outcome, describe: bool) -> Recorded {
        let mut state = self.lock();
        let now = Instant::now();
        state.runs += 1;
        state.last_run = Some(now);
        let succeeded = outcome.status() != Status::Fail;
        let shown = match &state.shown {
            None => Shown::Unknown,
            Some(o) if o.status() == Status::Fail => Shown::Failing,
            Some(_) => Shown::Passing,
        };
        let since_last_success = state.last_success.map(|at| now.duration_since(at));
        state.streak = state.streak.after(succeeded);
        if succeeded {
            state.last_success = Some(now);
        }
        let show = shows_new_result(
            self.options.thresholds,
            shown,
            succeeded,
            state.streak,
            since_last_success,
        );
        if !show {
            return Recorded {
                rerender: false,
                change: None,
            };
        }
        let old = state.shown.replace(outcome);
        let new = state.shown.as_ref();
        if old.as_ref().map(change_key) != new.map(change_key) {
            log_change(&self.name, old.as_ref(), new);
        }
        let change = match new {
            Some(new) if describe => self.change(old.as_ref(), new),
            _ => None,
        };
        Recorded {
            // Messages and observed values can change without a status change; re-render
            // then too.
            rerender: old.as_ref() != new,
            change,
        }
    }

    /// The status probes see for `outcome`: a non-critical failure is a `warn`.
    fn shown_status(&self, outcome: &Outcome) -> Status {
        if outcome.status() == Status::Fail && !self.options.critical {
            Status::Warn
        } else {
            outcome.status()
        }
    }

    /// The event of a change from `old` to `new` as probes see them, when their status, code
    /// or operation differ.
    fn change(&self, old: Option<&Outcome>, new: &Outcome) -> Option<CheckChange> {
        fn seen<'a>(
            check: &RegisteredCheck,
            o: &'a Outcome,
        ) -> (Status, Option<&'a Code>, Option<&'a str>) {
            (check.shown_status(o), o.code(), o.operation())
        }
        let from = old.map(|o| seen(self, o));
        if from == Some(seen(self, new)) {
            return None;
        }
        Some(CheckChange::new(
            &self.name,
            self.probe,
            from.map(|(status, _, _)| status),
            self.shown_status(new),
            new,
        ))
    }

    /// The check as probes see it, criticality applied: a non-critical failure is a `warn`,
    /// a check with no result yet fails as `unknown`.
    pub(crate) fn report_entry(&self) -> ReportEntry {
        let state = self.lock();
        let outcome = match &state.shown {
            None => Outcome::fail(Code::UNKNOWN, "no result yet"),
            Some(outcome) => {
                let status = self.shown_status(outcome);
                if status == outcome.status() {
                    outcome.clone()
                } else {
                    outcome.clone().with_status(status)
                }
            }
        };
        ReportEntry::new(self.name.clone(), outcome)
    }
}

/// The `tracing` event of a state change: `info` on recovery, `warn` otherwise with the code,
/// the operation that failed (the field is left out when the outcome names none) and the raw
/// detail.
/// What a state change is logged for: status, code and operation (not the message).
fn change_key(outcome: &Outcome) -> (Status, Option<&Code>, Option<&str>) {
    (outcome.status(), outcome.code(), outcome.operation())
}

fn log_change(name: &str, old: Option<&Outcome>, new: Option<&Outcome>) {
    let from = old.map_or("unknown", |o| o.status().as_str());
    let Some(new) = new else { return };
    let to = new.status().as_str();
    let code = new.code().map_or("", Code::as_str);
    // `Option<&str>` as a field value records nothing for `None`.
    let operation = new.operation();
    let detail = new.detail().unwrap_or_default();
    if new.status() == Status::Pass {
        tracing::info!(check = name, from, to, "health check recovered");
    } else {
        tracing::warn!(
            check = name,
            from,
            to,
            code,
            operation,
            detail,
            "health check changed state"
        );
    }
}
