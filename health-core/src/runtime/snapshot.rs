//! The report of a probe from the current state, without running anything, and the default
//! readiness body rendered from it once per state.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::handle::Health;
use super::probe::Probe;
use super::rendered::{RenderKey, Rendered};
use crate::outcome::Outcome;
use crate::report::{Report, ReportEntry};
use crate::status::Code;

impl Health {
    /// The report from the current state, without running anything.
    pub(crate) fn snapshot(&self, probe: Probe) -> Report {
        self.snapshot_where(probe, |_| true)
    }

    /// The report from the current state restricted to the entries whose tags `keep` takes,
    /// plus the entries that gate the whole probe (`shutdown`, `startup`): a draining or
    /// starting process is ready for nothing. Each entry carries its tags.
    pub(super) fn snapshot_where(&self, probe: Probe, keep: impl Fn(&[String]) -> bool) -> Report {
        let inner = &self.inner;
        let mut entries = Vec::new();
        match probe {
            Probe::Liveness => {}
            Probe::Readiness | Probe::Startup => {
                if probe == Probe::Readiness && self.is_shutting_down() {
                    entries.push(ReportEntry::new(
                        "shutdown",
                        Outcome::fail(Code::SHUTTING_DOWN, "the service is shutting down"),
                    ));
                }
                if !inner.startup_over() {
                    entries.push(ReportEntry::new(
                        "startup",
                        Outcome::fail(Code::STARTING, "the service is starting"),
                    ));
                }
                if probe == Probe::Readiness {
                    for part in inner.setup.config.iter().filter(|p| keep(&p.tags)) {
                        let start = entries.len();
                        part.extend_into(&mut entries);
                        if !part.tags.is_empty() {
                            for entry in &mut entries[start..] {
                                entry.set_tags(&part.tags);
                            }
                        }
                    }
                }
                let checks = inner.setup.checks.iter();
                entries.extend(
                    checks
                        .filter(|c| probe == Probe::Readiness || c.probe == Probe::Startup)
                        .filter(|c| keep(&c.tags))
                        .map(|c| tagged(c.report_entry(), &c.tags)),
                );
            }
        }
        // Readiness includes the startup signals, as it includes the startup checks.
        let signals = inner.setup.signals.iter().filter(|s| {
            s.probe == probe || (probe == Probe::Readiness && s.probe == Probe::Startup)
        });
        entries.extend(
            signals
                .filter(|s| keep(&s.tags))
                .map(|s| tagged(s.report_entry(), &s.tags)),
        );
        Report::new(entries)
    }

    /// The rendered default readiness body, cached until any state changes.
    pub(crate) fn rendered_readiness(&self) -> Arc<Rendered> {
        let inner = &self.inner;
        let key = RenderKey {
            generation: inner.generation.load(Ordering::Acquire),
            startup_over: inner.startup_over(),
            shutting_down: self.is_shutting_down(),
            signals: inner
                .setup
                .signals
                .iter()
                .filter(|s| s.probe != Probe::Liveness)
                .fold(0, |sum, s| sum.wrapping_add(s.signal.version())),
            config: inner
                .setup
                .config
                .iter()
                .fold(0, |sum, part| sum.wrapping_add(part.version())),
        };
        if let Some(cached) = inner.rendered.load_full().filter(|c| c.key == key) {
            return cached;
        }
        let report = self.snapshot(Probe::Readiness);
        let rendered = Arc::new(Rendered {
            key,
            status: report.status(),
            body: bytes::Bytes::from(report.to_json()),
        });
        inner.rendered.store(Some(rendered.clone()));
        rendered
    }
}

/// `entry` with `tags`, when there are any (no allocation otherwise).
fn tagged(mut entry: ReportEntry, tags: &[String]) -> ReportEntry {
    if !tags.is_empty() {
        entry.set_tags(tags);
    }
    entry
}
