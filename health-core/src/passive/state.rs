//! The circuit's state and its half-open trials, each packed in one `u64` so that a
//! transition is a single compare-and-swap: no lock, and no reader ever sees half a change.
//!
//! ```text
//! state:  since_ms (40 bits) | seq (14) | level (5) | reason (3) | phase (2)
//! trials: seq (14) | round (8) | permits (20) | successes (20)
//! ```
//!
//! `seq` counts transitions (modulo 2^14): trials carry the `seq` of the half-open period they
//! belong to, so a new period starts from zero without a separate reset.

use std::time::Duration;

/// Closed, open or half-open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}

/// Why the circuit opened (kept while open and half-open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    None = 0,
    Consecutive = 1,
    Rate = 2,
    NoSuccess = 3,
    TrialFailed = 4,
}

impl Reason {
    /// The reason as logged: `consecutive_failures`, `failure_rate`, `no_success`,
    /// `trial_failed`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Reason::None => "",
            Reason::Consecutive => "consecutive_failures",
            Reason::Rate => "failure_rate",
            Reason::NoSuccess => "no_success",
            Reason::TrialFailed => "trial_failed",
        }
    }
}

const SINCE_BITS: u32 = 40;
const SEQ_BITS: u32 = 14;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;
const SINCE_MASK: u64 = (1 << SINCE_BITS) - 1;

/// The largest backoff level: the open time doubles at most this many times.
pub(crate) const MAX_LEVEL: u32 = 31;

/// The longest open time accepted (30 days): keeps every instant in the state word's range.
pub(super) const MAX_OPEN: Duration = Duration::from_secs(30 * 24 * 3600);

/// The packed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word(pub(crate) u64);

impl Word {
    /// A state entered at `since_ms`.
    pub(crate) fn new(phase: Phase, reason: Reason, level: u32, seq: u64, since_ms: u64) -> Word {
        Word(
            (phase as u64)
                | (reason as u64) << 2
                | u64::from(level.min(MAX_LEVEL)) << 5
                | (seq & SEQ_MASK) << 10
                | (since_ms & SINCE_MASK) << 24,
        )
    }

    pub(crate) fn phase(self) -> Phase {
        match self.0 & 0b11 {
            0 => Phase::Closed,
            1 => Phase::Open,
            _ => Phase::HalfOpen,
        }
    }

    pub(crate) fn reason(self) -> Reason {
        match (self.0 >> 2) & 0b111 {
            1 => Reason::Consecutive,
            2 => Reason::Rate,
            3 => Reason::NoSuccess,
            4 => Reason::TrialFailed,
            _ => Reason::None,
        }
    }

    /// How many trials failed in a row since the circuit last closed: the backoff exponent.
    pub(crate) fn level(self) -> u32 {
        ((self.0 >> 5) & 0b1_1111) as u32
    }

    pub(crate) fn seq(self) -> u64 {
        (self.0 >> 10) & SEQ_MASK
    }

    /// When this state began, in milliseconds since the breaker's epoch (34 years of range).
    pub(crate) fn since_ms(self) -> u64 {
        self.0 >> 24
    }

    /// The next state, entered at `since_ms`.
    pub(crate) fn next(self, phase: Phase, reason: Reason, level: u32, since_ms: u64) -> Word {
        Word::new(phase, reason, level, self.seq() + 1, since_ms)
    }
}

/// How long the circuit stays open at backoff `level`: `open × 2^level`, at most `max`.
pub(crate) fn open_time(open: Duration, max: Duration, level: u32) -> Duration {
    open.saturating_mul(1u32 << level.min(MAX_LEVEL)).min(max)
}

const COUNT_BITS: u32 = 20;
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;

/// The most trial calls a half-open period can ask for.
pub(crate) const MAX_TRIALS: u32 = COUNT_MASK as u32;

/// The packed trials of one half-open period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Trials(pub(crate) u64);

impl Trials {
    pub(crate) fn new(seq: u64, round: u64, permits: u64, successes: u64) -> Trials {
        Trials(
            successes.min(COUNT_MASK)
                | permits.min(COUNT_MASK) << COUNT_BITS
                | (round & 0xff) << 40
                | (seq & SEQ_MASK) << 48,
        )
    }

    fn seq(self) -> u64 {
        (self.0 >> 48) & SEQ_MASK
    }

    fn round(self) -> u64 {
        (self.0 >> 40) & 0xff
    }

    /// `(permits, successes)` as seen by the half-open period `state` in permit `round`:
    /// zero for a period's first look, and fresh permits (successes kept) in a new round.
    pub(crate) fn view(self, state: Word, round: u64) -> (u64, u64) {
        if self.seq() != state.seq() {
            return (0, 0);
        }
        let successes = self.0 & COUNT_MASK;
        let permits = if self.round() == round & 0xff {
            (self.0 >> COUNT_BITS) & COUNT_MASK
        } else {
            0
        };
        (permits, successes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        let word = Word::new(Phase::HalfOpen, Reason::NoSuccess, 3, 9, 123_456_789);
        assert_eq!(word.phase(), Phase::HalfOpen);
        assert_eq!(word.reason(), Reason::NoSuccess);
        assert_eq!(word.level(), 3);
        assert_eq!(word.seq(), 9);
        assert_eq!(word.since_ms(), 123_456_789);
        let next = word.next(Phase::Closed, Reason::None, 0, 5);
        assert_eq!(
            (next.phase(), next.seq(), next.since_ms()),
            (Phase::Closed, 10, 5)
        );
        // seq wraps without touching its neighbours.
        let wrapped = Word::new(Phase::Open, Reason::Rate, 31, SEQ_MASK, 7).next(
            Phase::Open,
            Reason::Rate,
            31,
            7,
        );
        assert_eq!(
            (wrapped.seq(), wrapped.level(), wrapped.since_ms()),
            (0, 31, 7)
        );
    }

    #[test]
    fn open_time_doubles_up_to_its_cap() {
        let open = Duration::from_secs(30);
        let max = Duration::from_secs(300);
        let times: Vec<u64> = (0..6).map(|l| open_time(open, max, l).as_secs()).collect();
        assert_eq!(times, [30, 60, 120, 240, 300, 300]);
        assert_eq!(open_time(open, open, 5), open);
        assert_eq!(open_time(open, Duration::MAX, 31), open * (1 << 31));
    }

    #[test]
    fn trials_belong_to_one_period_and_round() {
        let period = Word::new(Phase::HalfOpen, Reason::Consecutive, 0, 4, 0);
        let trials = Trials::new(4, 0, 3, 2);
        assert_eq!(trials.view(period, 0), (3, 2));
        assert_eq!(trials.view(period, 1), (0, 2), "new round: fresh permits");
        let later = period.next(Phase::HalfOpen, Reason::TrialFailed, 1, 0);
        assert_eq!(trials.view(later, 0), (0, 0), "new period: nothing carried");
    }
}
