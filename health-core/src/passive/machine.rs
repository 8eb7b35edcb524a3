//! The state machine behind a circuit breaker: the window, the failure streak and the state
//! word, and every transition between closed, open and half-open.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::aligned::CacheAligned;
use super::codes::{self, Codes};
use super::settings::Settings;
use super::state::{Phase, Reason, Trials, Word, open_time};
use super::summary::{CircuitState, CircuitSummary};
use super::window::Window;
use crate::clock::{millis, millis_since};
use crate::outcome::Outcome;
use crate::status::Code;

/// "No failure streak" in [`Streak::started_ms`].
pub(super) const NO_STREAK: u64 = u64::MAX;

/// The current failure streak. Written by failures (and by the first success after them).
pub(super) struct Streak {
    pub(super) consecutive: AtomicU64,
    /// When the streak's first failure was recorded (ms since the epoch), or [`NO_STREAK`].
    pub(super) started_ms: AtomicU64,
    /// The last failure's code, an index into [`Inner::codes`].
    pub(super) last_code: AtomicU8,
}

pub(super) struct Inner {
    /// Written by every call.
    pub(super) window: Window,
    pub(super) streak: CacheAligned<Streak>,
    /// Read by every call, written on transitions only (and by half-open trials).
    pub(super) state: CacheAligned<(AtomicU64, AtomicU64)>,
    pub(super) settings: Settings,
    pub(super) epoch: Instant,
    pub(super) codes: Codes,
    /// The name it was registered under, for the transition logs.
    pub(super) name: OnceLock<String>,
}

pub(super) fn phase_state(phase: Phase) -> CircuitState {
    match phase {
        Phase::Closed => CircuitState::Closed,
        Phase::Open => CircuitState::Open,
        Phase::HalfOpen => CircuitState::HalfOpen,
    }
}

impl Inner {
    /// A closed breaker with these rules, its clock starting now.
    pub(super) fn new(settings: Settings) -> Inner {
        Inner {
            window: Window::new(millis(settings.window)),
            streak: CacheAligned(Streak {
                consecutive: AtomicU64::new(0),
                started_ms: AtomicU64::new(NO_STREAK),
                last_code: AtomicU8::new(codes::NONE),
            }),
            state: CacheAligned((
                AtomicU64::new(Word::new(Phase::Closed, Reason::None, 0, 0, 0).0),
                AtomicU64::new(0),
            )),
            settings,
            epoch: Instant::now(),
            codes: Codes::new(),
            name: OnceLock::new(),
        }
    }

    /// Milliseconds since the breaker was built, on tokio's clock (paused in tests).
    pub(super) fn now_ms(&self) -> u64 {
        millis_since(self.epoch)
    }

    pub(super) fn open_ms(&self, level: u32) -> u64 {
        let open = self.settings.open_for;
        let max = self.settings.open_backoff.map_or(open, |max| max.max(open));
        millis(open_time(open, max, level)).max(1)
    }

    pub(super) fn succeeded(&self, now: u64) {
        self.window.record(now, false);
        let streak = &self.streak.0;
        // Read first: while calls succeed the line stays shared instead of being written.
        if streak.consecutive.load(Ordering::Relaxed) != 0 {
            streak.consecutive.store(0, Ordering::Relaxed);
            streak.started_ms.store(NO_STREAK, Ordering::Relaxed);
        }
        let state = self.state_at(now);
        if state.phase() == Phase::HalfOpen {
            self.trial_succeeded(state, now);
        }
    }

    pub(super) fn failed(&self, now: u64, code: &Code) {
        self.window.record(now, true);
        let streak = &self.streak.0;
        let code = self.codes.index(code);
        if streak.last_code.load(Ordering::Relaxed) != code {
            streak.last_code.store(code, Ordering::Relaxed);
        }
        let consecutive = streak.consecutive.fetch_add(1, Ordering::Relaxed) + 1;
        let started = if consecutive == 1 {
            streak.started_ms.store(now, Ordering::Relaxed);
            now
        } else {
            match streak.started_ms.load(Ordering::Relaxed) {
                // A success raced with this streak's first failure: start it here (late, so
                // `no_success` can only fire later, never early).
                NO_STREAK => {
                    let _ = streak.started_ms.compare_exchange(
                        NO_STREAK,
                        now,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
                    now
                }
                started => started,
            }
        };
        let state = self.state_at(now);
        match state.phase() {
            Phase::Closed => {
                if let Some(reason) = self.trips(consecutive, started, now) {
                    self.transition(state, state.next(Phase::Open, reason, 0, now), now);
                }
            }
            Phase::HalfOpen => {
                let reopen = state.next(Phase::Open, Reason::TrialFailed, state.level() + 1, now);
                self.transition(state, reopen, now);
            }
            Phase::Open => {}
        }
    }

    /// Whether a failure at `now` opens a closed circuit, and why.
    pub(super) fn trips(&self, consecutive: u64, started: u64, now: u64) -> Option<Reason> {
        let settings = &self.settings;
        if settings.consecutive_failures > 0
            && consecutive >= u64::from(settings.consecutive_failures)
        {
            return Some(Reason::Consecutive);
        }
        let no_success = millis(settings.no_success_within);
        if no_success > 0 && started != NO_STREAK && now.saturating_sub(started) >= no_success {
            return Some(Reason::NoSuccess);
        }
        if settings.failure_rate_percent > 0 {
            let counts = self.window.counts(now);
            let rate = u64::from(settings.failure_rate_percent);
            if counts.calls >= u64::from(settings.minimum_calls)
                && counts.failures * 100 >= rate * counts.calls
            {
                return Some(Reason::Rate);
            }
        }
        None
    }

    /// The state at `now`: an open circuit whose time is over becomes half-open here (on
    /// whichever call, probe or `allow_call` reads it first), so no timer task is needed.
    pub(super) fn state_at(&self, now: u64) -> Word {
        let mut word = Word(self.state.0.0.load(Ordering::Acquire));
        loop {
            if word.phase() != Phase::Open {
                return word;
            }
            let until = word.since_ms().saturating_add(self.open_ms(word.level()));
            if now < until {
                return word;
            }
            let half_open = word.next(Phase::HalfOpen, word.reason(), word.level(), until);
            match self.state.0.0.compare_exchange(
                word.0,
                half_open.0,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    self.log(word, half_open);
                    return half_open;
                }
                Err(actual) => word = Word(actual),
            }
        }
    }

    /// Moves from `from` to `to` unless another call moved first (then that call's
    /// transition stands). Closing empties the window and ends the failure streak.
    pub(super) fn transition(&self, from: Word, to: Word, now: u64) {
        let state = &self.state.0.0;
        if state
            .compare_exchange(from.0, to.0, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        if to.phase() == Phase::Closed {
            self.window.clear(now);
            let streak = &self.streak.0;
            streak.consecutive.store(0, Ordering::Relaxed);
            streak.started_ms.store(NO_STREAK, Ordering::Relaxed);
        }
        self.log(from, to);
    }

    /// Which permit round of a half-open period `now` is in: one per open time.
    pub(super) fn round(&self, state: Word, now: u64) -> u64 {
        now.saturating_sub(state.since_ms()) / self.open_ms(state.level())
    }

    pub(super) fn take_permit(&self, state: Word, now: u64) -> bool {
        let round = self.round(state, now);
        let trials = &self.state.0.1;
        let mut current = trials.load(Ordering::Acquire);
        loop {
            let (permits, successes) = Trials(current).view(state, round);
            if permits >= u64::from(self.settings.trial_calls) {
                return false;
            }
            let next = Trials::new(state.seq(), round, permits + 1, successes);
            match trials.compare_exchange_weak(current, next.0, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return true,
                Err(actual) => current = actual,
            }
        }
    }

    pub(super) fn trial_succeeded(&self, state: Word, now: u64) {
        let round = self.round(state, now);
        let trials = &self.state.0.1;
        let mut current = trials.load(Ordering::Acquire);
        loop {
            let (permits, successes) = Trials(current).view(state, round);
            let next = Trials::new(state.seq(), round, permits, successes + 1);
            match trials.compare_exchange_weak(current, next.0, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => {
                    if successes + 1 >= u64::from(self.settings.trial_calls) {
                        self.transition(
                            state,
                            state.next(Phase::Closed, Reason::None, 0, now),
                            now,
                        );
                    }
                    return;
                }
                Err(actual) => current = actual,
            }
        }
    }

    pub(super) fn summary_at(&self, now: u64) -> (Word, CircuitSummary) {
        let word = self.state_at(now);
        let counts = self.window.counts(now);
        let streak = &self.streak.0;
        let summary = CircuitSummary {
            state: phase_state(word.phase()),
            calls: counts.calls,
            failures: counts.failures,
            consecutive_failures: streak.consecutive.load(Ordering::Relaxed),
            last_failure: self.codes.get(streak.last_code.load(Ordering::Relaxed)),
        };
        (word, summary)
    }

    /// The health entry: every text here is fixed by the state word and the settings, so
    /// the version's fingerprint covers it.
    pub(super) fn outcome(&self, word: Word, summary: CircuitSummary) -> Outcome {
        let settings = &self.settings;
        let outcome = match word.phase() {
            // Like every check, an operation only with a failure (it is a metric label).
            Phase::Closed => return Outcome::pass().with_data("circuit", summary.to_data()),
            Phase::Open => {
                let (code, why) = match word.reason() {
                    Reason::NoSuccess => (
                        Code::NO_SUCCESS,
                        format!(
                            "calls kept failing and none succeeded for {}",
                            humantime::format_duration(settings.no_success_within)
                        ),
                    ),
                    Reason::Rate => (
                        Code::CIRCUIT_OPEN,
                        format!(
                            "{}% or more of at least {} calls failed within {}",
                            settings.failure_rate_percent,
                            settings.minimum_calls,
                            humantime::format_duration(settings.window)
                        ),
                    ),
                    Reason::TrialFailed => (Code::CIRCUIT_OPEN, "a trial call failed".to_owned()),
                    Reason::Consecutive | Reason::None => (
                        Code::CIRCUIT_OPEN,
                        format!("{} consecutive failures", settings.consecutive_failures),
                    ),
                };
                let open = Duration::from_millis(self.open_ms(word.level()));
                let open = humantime::format_duration(open);
                Outcome::fail(code, format!("circuit open for {open}: {why}"))
            }
            Phase::HalfOpen => Outcome::warn(
                Code::CIRCUIT_HALF_OPEN,
                format!(
                    "circuit half-open: the next {} calls decide whether it closes",
                    settings.trial_calls
                ),
            ),
        };
        outcome
            .with_operation(settings.operation.clone())
            .with_data("circuit", summary.to_data())
    }

    /// One event per transition, from the call that made it.
    pub(super) fn log(&self, from: Word, to: Word) {
        let check = self.name.get().map_or("", String::as_str);
        let from = phase_state(from.phase()).as_str();
        let state = phase_state(to.phase()).as_str();
        let operation = &*self.settings.operation;
        match to.phase() {
            Phase::Open => {
                let last = self
                    .codes
                    .get(self.streak.0.last_code.load(Ordering::Relaxed));
                let last_failure = last.as_ref().map_or("", Code::as_str);
                let reason = to.reason().as_str();
                let open_ms = self.open_ms(to.level());
                tracing::warn!(
                    check,
                    from,
                    to = state,
                    operation,
                    reason,
                    last_failure,
                    open_ms,
                    "circuit opened: calls to the dependency failed"
                );
            }
            Phase::HalfOpen | Phase::Closed => {
                tracing::info!(check, from, to = state, operation, "circuit state changed");
            }
        }
    }
}
