//! Millisecond timestamps for lock-free state: heartbeats, the request watchdog and circuit
//! breakers keep times as whole milliseconds since an epoch on tokio's clock (paused in
//! tests), so that an atomic `u64` holds them.

use std::time::Duration;

use tokio::time::Instant;

/// `duration` in whole milliseconds, saturating at `u64::MAX`.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Whole milliseconds from `epoch` to now; 0 while the clock is behind it.
pub(crate) fn millis_since(epoch: Instant) -> u64 {
    millis(Instant::now().saturating_duration_since(epoch))
}
