//! The reload task of a live config: a read on every interval and on SIGHUP, holding only a
//! weak reference so that it ends with the last `LiveConfig`.

use std::sync::Weak;
use std::time::Duration;

use super::Shared;
use crate::load::ReadinessContract;

/// Reloads on each tick of `every`, and on each of `hangups`.
pub(super) async fn follow<C: ReadinessContract + Send + Sync + 'static>(
    shared: Weak<Shared<C>>,
    every: Duration,
    mut hangups: Hangups,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is now: the config was just read.
    ticker.tick().await;
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            () = hangups.next() => {
                tracing::info!("SIGHUP: reading the config files again");
            }
        }
        let Some(shared) = shared.upgrade() else {
            return;
        };
        shared.reload();
    }
}

/// SIGHUPs, or nothing when not listening (or not on Unix).
pub(super) struct Hangups {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Hangups {
    /// Listens now (inside a tokio runtime), so that a SIGHUP sent as soon as the service
    /// is up never meets the default action, which ends the process.
    pub(super) fn new(listen: bool) -> Hangups {
        #[cfg(unix)]
        {
            let kind = tokio::signal::unix::SignalKind::hangup();
            let signal = listen
                .then(|| tokio::signal::unix::signal(kind))
                .and_then(|signal| {
                    signal
                        .inspect_err(|e| tracing::warn!(error = %e, "cannot listen to SIGHUP"))
                        .ok()
                });
            Hangups { signal }
        }
        #[cfg(not(unix))]
        {
            let _ = listen;
            Hangups {}
        }
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some(signal) = &mut self.signal {
            if signal.recv().await.is_some() {
                return;
            }
            self.signal = None;
        }
        std::future::pending::<()>().await;
    }
}
