//! Passive dependency checks: a dependency's health gauged from the outcomes of the app's
//! own calls to it, never from a synthetic call.
//!
//! A [`CircuitBreaker`] is a cheap handle the app keeps next to its client. The app records
//! each real call (`record_success`, `record_failure`, or `observe` around the call), and may
//! ask [`allow_call`](CircuitBreaker::allow_call) before calling to short-circuit while the
//! dependency is known to be down. Registered with
//! [`HealthBuilder::passive`](crate::HealthBuilder::passive), it is a readiness entry read at
//! each probe: it never calls anything.
//!
//! ```text
//!            N consecutive failures, or failure rate >= R% over W
//!            (at least M calls), or no success for T while calls fail
//!   CLOSED ─────────────────────────────────────────────────────────> OPEN
//!     ^                                                                │  ^
//!     │ K trial calls succeed                      open time is over   │  │ a trial
//!     │                                                                v  │ call fails
//!     └───────────────────────────────────────────────────────────── HALF_OPEN
//! ```
//!
//! | state | health entry | `allow_call()` |
//! |---|---|---|
//! | closed | `pass` | `true` |
//! | open | `fail` with `circuit_open` (or `no_success`); `warn` unless `.critical()` | `false` |
//! | half-open | `warn` with `circuit_half_open`, even when critical (it passes readiness) | `true` for K calls, then again after each open time |

// Modules: `breaker` (the breaker and its builder), `summary` (the state and counts it
// shows), `settings` (the rules), `machine` (the transitions), `window` (the lock-free
// sliding window), `state` (the packed state and trials), `codes` (failure codes interned
// once), `aligned` (padding against false sharing).

mod aligned;
mod breaker;
mod codes;
mod machine;
mod settings;
mod state;
mod summary;
mod window;

pub use self::breaker::{CircuitBreaker, CircuitBreakerBuilder};
pub use self::summary::{CircuitState, CircuitSummary};

#[cfg(test)]
mod tests;
