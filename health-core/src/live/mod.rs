//! A config that follows its files: secrets mounted as `NAME_FILE` files that appear after
//! the start or rotate in place, and `.env` layers, read again on an interval and on SIGHUP.
//!
//! [`LiveConfig::builder`] sets it up; the facade's `health::live` shows it in use.
//!
//! - A new version is published only when the whole config loads. A bad rotation keeps the
//!   last good config in use; its variables fail readiness (or warn, with
//!   [`BadReload::Warn`]) naming the variable, and it is logged once.
//! - Reads are never torn: a file replaced while the config is read (a symlink swap, a
//!   rename) makes the whole read start again, so a version never mixes old and new files.
//!   A file that vanishes is `missing`/`unreadable_file` with its path.
//! - Only what can change is read again: `NAME_FILE` files and `.env` files. The process
//!   environment of a running process cannot be changed from outside it.
//!
//! | file | concept |
//! |---|---|
//! | `read` | one consistent read of the files |
//! | `fingerprint` | whether a file changed during a read |
//! | `follow` | the reload task: interval and SIGHUP |

mod fingerprint;
mod follow;
mod read;

use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;

use self::fingerprint::Fingerprint;
use self::read::{Recipe, read_from};
use crate::load::{ReadinessContract, log_report};
use crate::outcome::Outcome;
use crate::report::Report;
use crate::runtime::{ConfigReport, ReportFeed, first_start};
use crate::source::Vars;
use crate::status::Status;

/// How often a live config reads its files again by default.
pub const DEFAULT_RELOAD: Duration = Duration::from_secs(5);

/// A live config from the process environment and `NAME_FILE` files, with the defaults:
/// [`LiveConfig::builder`]`().load()`.
pub fn live<C: ReadinessContract + Send + Sync + 'static>() -> LiveConfig<C> {
    LiveConfig::builder().load()
}

/// What readiness says while a bad reload keeps the last good config in use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BadReload {
    /// The failing variables fail readiness (the default): the pod leaves the load balancer
    /// until its files are fixed.
    #[default]
    Fail,
    /// The failing variables warn: the service keeps serving on the last good config.
    Warn,
}

/// What one reload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reload {
    /// A new version of the config was published.
    Updated,
    /// Nothing changed.
    Unchanged,
    /// The config does not load: the last good one (if any) stays in use, and the report
    /// names the failing variables.
    Rejected,
    /// The files kept changing during every attempt to read them; nothing was published.
    Unsettled,
}

/// The options of a [`LiveConfig`].
#[must_use = "call `.load()` to get a `LiveConfig`"]
pub struct LiveConfigBuilder<C> {
    recipe: Recipe,
    every: Duration,
    sighup: bool,
    on_bad: BadReload,
    config: PhantomData<fn() -> C>,
}

impl<C: ReadinessContract + Send + Sync + 'static> LiveConfigBuilder<C> {
    /// Layers a `.env` file under the process environment; read again at each reload.
    pub fn dotenv(mut self, path: impl Into<PathBuf>) -> Self {
        self.recipe.files.push((path.into(), false));
        self
    }

    /// [`dotenv`](Self::dotenv), but the file may be missing (and may appear later).
    pub fn dotenv_if_present(mut self, path: impl Into<PathBuf>) -> Self {
        self.recipe.files.push((path.into(), true));
        self
    }

    /// Reads `vars` in place of the process environment (for tests, or variables that
    /// come from elsewhere); `NAME_FILE` files they name are still read from disk.
    pub fn vars(mut self, vars: Vars) -> Self {
        self.recipe.over = Some(vars);
        self
    }

    /// How often the files are read again (default 5 s, at least 1 ms).
    pub fn reload_every(mut self, interval: Duration) -> Self {
        self.every = interval.max(Duration::from_millis(1));
        self
    }

    /// Whether SIGHUP reloads at once (default `true`, Unix only). Listening replaces
    /// SIGHUP's default action, ending the process, for the rest of its life.
    pub fn reload_on_sighup(mut self, reload: bool) -> Self {
        self.sighup = reload;
        self
    }

    /// What readiness says while a bad reload keeps the last good config (default
    /// [`BadReload::Fail`]).
    pub fn on_bad_reload(mut self, on_bad: BadReload) -> Self {
        self.on_bad = on_bad;
        self
    }

    /// Reads the config now (logging each failing variable, as [`load`](crate::load())
    /// does) and starts reloading in the background: at once inside a tokio runtime,
    /// otherwise on the first [`changes`](LiveConfig::changes) or
    /// [`ready`](LiveConfig::ready).
    pub fn load(self) -> LiveConfig<C> {
        let shared = Arc::new(Shared {
            recipe: self.recipe,
            every: self.every,
            sighup: self.sighup,
            on_bad: self.on_bad,
            config: watch::channel(None).0,
            feed: Arc::new(ReportFeed::new(Report::new(Vec::new()))),
            state: Mutex::new(State::default()),
            started: AtomicBool::new(false),
            task: Mutex::new(None),
        });
        shared.reload();
        let live = LiveConfig { shared };
        live.start();
        live
    }
}

/// A config that follows its files: the newest good version, a receiver of new versions,
/// and a report that [`Health`](crate::Health) follows when built with
/// [`config(&live)`](crate::HealthBuilder::config). Cheap to clone; the reloads stop when
/// the last clone is dropped.
pub struct LiveConfig<C> {
    shared: Arc<Shared<C>>,
}

impl<C> Clone for LiveConfig<C> {
    fn clone(&self) -> Self {
        LiveConfig {
            shared: self.shared.clone(),
        }
    }
}

struct Shared<C> {
    recipe: Recipe,
    every: Duration,
    sighup: bool,
    on_bad: BadReload,
    /// The newest good version; `None` until the config first loads.
    config: watch::Sender<Option<Arc<C>>>,
    feed: Arc<ReportFeed>,
    /// Held during a reload: reloads never overlap.
    state: Mutex<State>,
    started: AtomicBool,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// What the last reloads found.
#[derive(Default)]
struct State {
    /// The files as the newest good version read them.
    files: Fingerprint,
    /// Whether a read has been made (the first one logs like `load`).
    read_once: bool,
}

impl<C> Drop for Shared<C> {
    fn drop(&mut self) {
        if let Some(task) = self.task.get_mut().ok().and_then(Option::take) {
            task.abort();
        }
    }
}

impl<C: ReadinessContract + Send + Sync + 'static> LiveConfig<C> {
    /// The options: `.env` files, reload interval, SIGHUP, what a bad reload does.
    pub fn builder() -> LiveConfigBuilder<C> {
        LiveConfigBuilder {
            recipe: Recipe::default(),
            every: DEFAULT_RELOAD,
            sighup: true,
            on_bad: BadReload::default(),
            config: PhantomData,
        }
    }

    /// The newest good version; `None` while the config has never loaded.
    pub fn current(&self) -> Option<Arc<C>> {
        self.shared.config.borrow().clone()
    }

    /// A receiver of every new version (`tokio::sync::watch`: it sees the newest one).
    pub fn changes(&self) -> watch::Receiver<Option<Arc<C>>> {
        self.start();
        self.shared.config.subscribe()
    }

    /// The current version, or the first good one: waits while the config does not load
    /// (a Secret fixed after a bad deploy), serving probes meanwhile.
    pub async fn ready(&self) -> Arc<C> {
        let mut changes = self.changes();
        loop {
            if let Some(config) = changes.borrow_and_update().clone() {
                return config;
            }
            if changes.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }

    /// The report now: one entry per variable, from the newest read.
    pub fn report(&self) -> Arc<Report> {
        self.shared.feed.current()
    }

    /// Reads the files again now (what the interval and SIGHUP do).
    pub fn reload(&self) -> Reload {
        self.shared.reload()
    }

    /// Starts the reload task once, inside a tokio runtime.
    fn start(&self) {
        let Some(runtime) = first_start(&self.shared.started) else {
            return;
        };
        let hangups = {
            let _inside = runtime.enter();
            follow::Hangups::new(self.shared.sighup)
        };
        let task = runtime.spawn(follow::follow(
            Arc::downgrade(&self.shared),
            self.shared.every,
            hangups,
        ));
        *self
            .shared
            .task
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(task);
    }
}

impl<C: ReadinessContract + Send + Sync + 'static> Shared<C> {
    fn reload(&self) -> Reload {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(read) = self.recipe.read::<C>() else {
            tracing::debug!("config files kept changing during the read; trying again later");
            return Reload::Unsettled;
        };
        let first = !std::mem::replace(&mut state.read_once, true);
        let had_config = self.config.borrow().is_some();
        let (report, outcome) = match read.config {
            Some(config) => {
                let changed = read.files.changed(&state.files);
                let updated = !had_config || !changed.is_empty();
                if updated {
                    if had_config {
                        let variables = read_from(&read.report, &changed).join(", ");
                        tracing::info!(variables, "config reloaded: a new version is in use");
                    }
                    self.config.send_replace(Some(Arc::new(config)));
                    state.files = read.files;
                }
                let outcome = if updated {
                    Reload::Updated
                } else {
                    Reload::Unchanged
                };
                (read.report, outcome)
            }
            None if had_config => (
                keeping_last_good(read.report, self.on_bad),
                Reload::Rejected,
            ),
            None => (read.report, Reload::Rejected),
        };
        if first || self.feed.current().entries() != report.entries() {
            log_report(&report);
            if outcome == Reload::Rejected && had_config {
                tracing::error!("config reload failed: the last good config stays in use");
            }
            self.feed.publish(report);
        }
        outcome
    }
}

/// The report of a bad reload while the last good config stays in use: each failure says
/// so, and warns instead with [`BadReload::Warn`].
fn keeping_last_good(report: Report, on_bad: BadReload) -> Report {
    let entries = report
        .entries()
        .iter()
        .cloned()
        .map(|mut entry| {
            if entry.status() == Status::Fail {
                let code = entry.code().cloned().unwrap_or(crate::status::Code::ERROR);
                let message = format!(
                    "{}; the last good config stays in use",
                    entry.message().unwrap_or("failed")
                );
                entry.set_outcome(match on_bad {
                    BadReload::Fail => Outcome::fail(code, message),
                    BadReload::Warn => Outcome::warn(code, message),
                });
            }
            entry
        })
        .collect();
    Report::new(entries)
}

impl<C> ConfigReport for LiveConfig<C> {
    fn config_report(&self) -> Report {
        (*self.shared.feed.current()).clone()
    }

    fn __feed(&self) -> Option<Arc<ReportFeed>> {
        Some(self.shared.feed.clone())
    }
}

#[cfg(test)]
mod tests;
