//! What a circuit breaker shows: its state, its window's counts and its last failure.

use std::fmt;

use serde::Serialize;

use crate::outcome::Data;
use crate::status::Code;

/// The state of a [`CircuitBreaker`](crate::CircuitBreaker).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CircuitState {
    /// Calls flow; their outcomes are counted.
    Closed,
    /// Recent calls failed: calls are short-circuited until the open time is over.
    Open,
    /// The open time is over: a few trial calls decide between closed and open.
    HalfOpen,
}

impl CircuitState {
    /// `closed`, `open` or `half_open`, as in the JSON body.
    pub const fn as_str(self) -> &'static str {
        match self {
            CircuitState::Closed => "closed",
            CircuitState::Open => "open",
            CircuitState::HalfOpen => "half_open",
        }
    }
}

impl fmt::Display for CircuitState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a circuit breaker shows: its state, the counts of its window and the last failure's
/// code. Serialized in the JSON body as
/// `"circuit":{"state":"open","calls":12,"failures":7,"consecutive_failures":5,"last_failure":"timeout"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CircuitSummary {
    /// Closed, open or half-open.
    pub state: CircuitState,
    /// Calls recorded in the window since the circuit last closed.
    pub calls: u64,
    /// Of which failed (slow calls included).
    pub failures: u64,
    /// Failures in a row, up to now.
    pub consecutive_failures: u64,
    /// The code of the last failure ever recorded (kept after recovery); absent before any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<Code>,
}

impl CircuitSummary {
    /// The summary as an outcome's data, members named and ordered as its JSON.
    pub(crate) fn to_data(&self) -> Data {
        let data = Data::new()
            .with("state", self.state.as_str())
            .with("calls", self.calls)
            .with("failures", self.failures)
            .with("consecutive_failures", self.consecutive_failures);
        match &self.last_failure {
            Some(code) => data.with("last_failure", code.as_str().to_owned()),
            None => data,
        }
    }
}
