//! The [`HealthCheck`] trait: what the runtime runs, once per run, for an [`Outcome`].

use std::future::Future;
use std::pin::Pin;

use crate::outcome::Outcome;

/// A boxed, sendable future of an [`Outcome`].
pub type BoxFuture = Pin<Box<dyn Future<Output = Outcome> + Send + 'static>>;

/// A dependency check: one call per run, an [`Outcome`] back.
///
/// Implemented for every `Fn() -> impl Future<Output = Outcome>` that is `Send + Sync`, so an
/// `async` closure over a clone of the app's own pool is a check:
///
/// ```
/// # use health_core as health;
/// # use health::{Outcome, HealthCheck};
/// let check = || async { Outcome::pass() };
/// fn takes(_: impl HealthCheck) {}
/// takes(check);
/// ```
///
/// The runtime spawns each run as its own task under a hard timeout, so a check that hangs
/// or panics becomes a failed check (`timeout`, `panicked`), never a stuck probe.
pub trait HealthCheck: Send + Sync + 'static {
    /// Runs the check once.
    fn run(&self) -> BoxFuture;
}

impl<F, Fut> HealthCheck for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    fn run(&self) -> BoxFuture {
        Box::pin(self())
    }
}
