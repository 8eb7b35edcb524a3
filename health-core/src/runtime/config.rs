//! What a `Health` takes its config checks from: a report fixed at build time, or the feed of
//! a live config that publishes a new report whenever its files change.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::ContractError;
use crate::load::Loaded;
use crate::report::Report;

/// Where a config report comes from: a [`Loaded`] config, a [`Report`], a
/// [`ContractError`], a `Result` of a load, or a live config (whose report the runtime
/// follows).
pub trait ConfigReport {
    /// One entry per variable, as it is now.
    fn config_report(&self) -> Report;

    /// The feed of a report that changes after the build (a live config): the runtime reads
    /// the newest report at each probe and hears of every change. `None` (the default): the
    /// report is taken once.
    #[doc(hidden)]
    fn __feed(&self) -> Option<Arc<ReportFeed>> {
        None
    }
}

impl ConfigReport for Report {
    fn config_report(&self) -> Report {
        self.clone()
    }
}

impl<C> ConfigReport for Loaded<C> {
    fn config_report(&self) -> Report {
        self.report().clone()
    }
}

impl ConfigReport for ContractError {
    fn config_report(&self) -> Report {
        self.report().clone()
    }
}

impl<C> ConfigReport for Result<C, ContractError> {
    fn config_report(&self) -> Report {
        match self {
            Ok(_) => Report::new(Vec::new()),
            Err(e) => e.config_report(),
        }
    }
}

/// Called with the old and the new report on every publish; returns `false` once it no
/// longer wants to hear (its `Health` is gone).
pub(crate) type Listener = Box<dyn Fn(&Report, &Report) -> bool + Send + Sync>;

/// The newest report of a live config, its version, and who listens to its changes.
#[doc(hidden)]
pub struct ReportFeed {
    current: arc_swap::ArcSwap<Report>,
    version: AtomicU64,
    /// Held while publishing, so listeners hear the reports in the order they were published.
    listeners: Mutex<Vec<Listener>>,
}

impl ReportFeed {
    /// A feed starting at `report`.
    pub(crate) fn new(report: Report) -> ReportFeed {
        ReportFeed {
            current: arc_swap::ArcSwap::from_pointee(report),
            version: AtomicU64::new(0),
            listeners: Mutex::new(Vec::new()),
        }
    }

    /// The newest report.
    pub(crate) fn current(&self) -> Arc<Report> {
        self.current.load_full()
    }

    /// Bumped on every publish.
    pub(crate) fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Replaces the report and tells every listener, in publish order.
    pub(crate) fn publish(&self, report: Report) {
        let mut listeners = self
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let old = self.current.swap(Arc::new(report));
        self.version.fetch_add(1, Ordering::AcqRel);
        let new = self.current.load();
        listeners.retain(|listen| listen(&old, &new));
    }

    /// Adds a listener of every later publish.
    pub(crate) fn listen(&self, listener: Listener) {
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(listener);
    }
}

/// The config entries registered by one [`HealthBuilder::config`](super::HealthBuilder::config)
/// call, with their tags.
pub(crate) struct ConfigPart {
    pub(crate) entries: ConfigEntries,
    pub(crate) tags: Vec<String>,
}

/// Fixed entries, or a live config's feed.
pub(crate) enum ConfigEntries {
    Fixed(Vec<crate::report::ReportEntry>),
    Live(Arc<ReportFeed>),
}

impl ConfigPart {
    /// The part of `report`: its feed when it has one, its entries now otherwise.
    pub(crate) fn of(report: &(impl ConfigReport + ?Sized)) -> ConfigPart {
        let entries = match report.__feed() {
            Some(feed) => ConfigEntries::Live(feed),
            None => ConfigEntries::Fixed(report.config_report().entries().to_vec()),
        };
        ConfigPart {
            entries,
            tags: Vec::new(),
        }
    }

    /// Appends the entries as they are now.
    pub(crate) fn extend_into(&self, entries: &mut Vec<crate::report::ReportEntry>) {
        match &self.entries {
            ConfigEntries::Fixed(fixed) => entries.extend(fixed.iter().cloned()),
            ConfigEntries::Live(feed) => entries.extend(feed.current().entries().iter().cloned()),
        }
    }

    /// Changes whenever the entries may have changed.
    pub(crate) fn version(&self) -> u64 {
        match &self.entries {
            ConfigEntries::Fixed(_) => 0,
            ConfigEntries::Live(feed) => feed.version(),
        }
    }
}
