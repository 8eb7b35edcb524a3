//! Liveness heartbeats: a handle the app ticks from its main loops.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::signal::Signal;
use crate::outcome::Outcome;
use crate::status::Code;

/// A handle a loop ticks to prove it is making progress.
///
/// Liveness fails with `stalled` when a heartbeat stays silent longer than its maximum
/// silence. Silence is counted from the service's start until the first tick. Cloning is
/// cheap; every clone ticks the same heartbeat.
#[derive(Clone, Debug)]
pub struct Heartbeat {
    epoch: Instant,
    /// Milliseconds since `epoch` of the last tick.
    last: Arc<AtomicU64>,
}

impl Heartbeat {
    pub(crate) fn new(epoch: Instant) -> Heartbeat {
        Heartbeat {
            epoch,
            last: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Records progress now.
    pub fn tick(&self) {
        let now = crate::clock::millis_since(self.epoch);
        self.last.store(now, Ordering::Relaxed);
    }

    /// How long since the last tick (or since the start, before the first one).
    pub fn silence(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.epoch.elapsed().saturating_sub(last)
    }
}

/// A heartbeat with the silence it may keep: the liveness signal a heartbeat registers.
pub(crate) struct HeartbeatSignal {
    pub(crate) beat: Heartbeat,
    pub(crate) max_silence: Duration,
}

impl Signal for HeartbeatSignal {
    fn outcome(&self) -> Outcome {
        let silence = self.beat.silence();
        if silence <= self.max_silence {
            return Outcome::pass();
        }
        Outcome::fail(
            Code::STALLED,
            format!(
                "no heartbeat for {}s (limit {}s)",
                silence.as_secs(),
                self.max_silence.as_secs()
            ),
        )
    }

    fn version(&self) -> u64 {
        u64::from(self.beat.silence() > self.max_silence)
    }

    fn silence_limit(&self) -> Option<Duration> {
        Some(self.max_silence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_restarts_at_every_tick() {
        let epoch = Instant::now() - Duration::from_secs(5);
        let beat = Heartbeat::new(epoch);
        assert!(beat.silence() >= Duration::from_secs(5));
        beat.clone().tick();
        assert!(beat.silence() < Duration::from_secs(1));
    }
}
