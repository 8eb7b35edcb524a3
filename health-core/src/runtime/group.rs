//! Groups: the readiness of the entries tagged with one name
//! ([`HealthBuilder::tag`](super::HealthBuilder::tag)), served at `/ready/group/<name>`.
//!
//! A group's report is the readiness report restricted to the entries tagged with it (checks,
//! signals, and every variable of a tagged [`config`](super::HealthBuilder::config) call),
//! in the same order, plus the entries that gate the whole probe: `shutdown` while shutting
//! down and `startup` while starting, since a draining or starting process is ready for
//! nothing. A tagged startup check or startup signal is in its group, as it is in readiness.
//! Groups are readiness groups: a tag on a liveness signal makes no group.

use super::handle::Health;
use super::probe::Probe;
use crate::report::Report;

impl Health {
    /// Every group name, sorted and without duplicates: the tags of the readiness entries
    /// (checks, readiness and startup signals, config calls).
    pub fn groups(&self) -> Vec<String> {
        let mut names: Vec<String> = self.tag_lists().flatten().cloned().collect();
        names.sort();
        names.dedup();
        names
    }

    /// The readiness report of group `name`, from the cache (a probe-driven check is
    /// refreshed as by [`report`](Self::report)); `None` when no readiness entry is tagged
    /// `name`.
    pub async fn group_report(&self, name: &str) -> Option<Report> {
        if !self.has_group(name) {
            return None;
        }
        self.prepare(Probe::Readiness).await;
        Some(self.group_snapshot(name))
    }

    /// Whether some readiness entry is tagged `name`.
    pub(crate) fn has_group(&self, name: &str) -> bool {
        self.tag_lists().flatten().any(|tag| tag == name)
    }

    /// The group's report from the current state, without running anything (empty of
    /// members for a name that is no group).
    pub(crate) fn group_snapshot(&self, name: &str) -> Report {
        self.snapshot_where(Probe::Readiness, |tags| tags.iter().any(|t| t == name))
    }

    /// The names of the group's entries as registered (config variables as they are now),
    /// in report order, without the gates: what `config probes` lists.
    #[cfg(any(feature = "docs", test))]
    pub(crate) fn group_members(&self, name: &str) -> Vec<String> {
        let setup = &self.inner.setup;
        let member = |tags: &[String]| tags.iter().any(|t| t == name);
        let mut config = Vec::new();
        for part in setup.config.iter().filter(|p| member(&p.tags)) {
            part.extend_into(&mut config);
        }
        let config = config.iter().map(|e| e.name().to_owned());
        let checks = setup.checks.iter().filter(|c| member(&c.tags));
        let signals = setup.signals.iter().filter(|s| s.probe != Probe::Liveness);
        config
            .chain(checks.map(|c| c.name.to_string()))
            .chain(signals.filter(|s| member(&s.tags)).map(|s| s.name.clone()))
            .collect()
    }

    /// The tag lists of every readiness entry.
    fn tag_lists(&self) -> impl Iterator<Item = &Vec<String>> {
        let setup = &self.inner.setup;
        let signals = setup.signals.iter().filter(|s| s.probe != Probe::Liveness);
        setup
            .config
            .iter()
            .map(|p| &p.tags)
            .chain(setup.checks.iter().map(|c| &c.tags))
            .chain(signals.map(|s| &s.tags))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::outcome::Outcome;
    use crate::report::{Report, ReportEntry};
    use crate::runtime::{Health, Probe};
    use crate::status::{Code, Status};

    fn statuses(report: &Report) -> Vec<(&str, Status, Vec<&str>)> {
        report
            .entries()
            .iter()
            .map(|e| {
                let tags = e.tags().iter().map(String::as_str).collect();
                (e.name(), e.status(), tags)
            })
            .collect()
    }

    struct Fixed(Outcome);

    impl crate::runtime::Signal for Fixed {
        fn outcome(&self) -> Outcome {
            self.0.clone()
        }
        fn version(&self) -> u64 {
            0
        }
    }

    fn config() -> Report {
        Report::new(vec![
            ReportEntry::new("DB_URL", Outcome::fail(Code::MISSING, "not set")),
            ReportEntry::new("DB_POOL", Outcome::pass()),
        ])
    }

    fn service() -> Health {
        Health::builder()
            .cache_for(Duration::from_secs(3600))
            .config(&Report::new(vec![ReportEntry::new(
                "PORT",
                Outcome::pass(),
            )]))
            .config(&config())
            .tag("db")
            .readiness("postgres", || async { Outcome::pass() })
            .tag("db")
            .tag("orders")
            .readiness("payments", || async {
                Outcome::fail(Code::TIMEOUT, "no answer")
            })
            .tag("payments")
            .tag("db")
            .readiness("untagged", || async {
                Outcome::fail(Code::TIMEOUT, "no answer")
            })
            .startup("migrations", || async { Outcome::pass() })
            .tag("orders")
            .signal("ledger", Probe::Readiness, Fixed(Outcome::pass()))
            .tag("payments")
            .signal("loop", Probe::Liveness, Fixed(Outcome::pass()))
            .tag("liveness_only")
            .build()
    }

    #[tokio::test(start_paused = true)]
    async fn groups_are_the_readiness_tags_sorted_once() {
        let health = service();
        assert_eq!(health.groups(), ["db", "orders", "payments"]);
        assert!(health.has_group("orders") && !health.has_group("liveness_only"));
        assert!(health.group_report("nope").await.is_none());
        assert!(health.group_report("liveness_only").await.is_none());
        assert!(health.group_report("").await.is_none());
        assert!(Health::builder().build().groups().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_group_is_readiness_restricted_to_its_entries() {
        let health = service();
        let db = health.group_report("db").await.unwrap();
        assert_eq!(
            statuses(&db),
            [
                ("DB_URL", Status::Fail, vec!["db"]),
                ("DB_POOL", Status::Pass, vec!["db"]),
                ("postgres", Status::Pass, vec!["db", "orders"]),
                ("payments", Status::Fail, vec!["payments", "db"]),
            ]
        );
        // A startup check is in its group, as it is in readiness.
        let orders = health.group_report("orders").await.unwrap();
        assert_eq!(
            statuses(&orders),
            [
                ("postgres", Status::Pass, vec!["db", "orders"]),
                ("migrations", Status::Pass, vec!["orders"]),
            ]
        );
        assert!(orders.is_ready());
        let payments = health.group_report("payments").await.unwrap();
        assert_eq!(
            statuses(&payments),
            [
                ("payments", Status::Fail, vec!["payments", "db"]),
                ("ledger", Status::Pass, vec!["payments"]),
            ]
        );
        assert_eq!(
            health.group_members("db"),
            ["DB_URL", "DB_POOL", "postgres", "payments"]
        );
        assert!(health.group_members("liveness_only").is_empty());
        // The whole readiness report carries the same tags; untagged entries carry none.
        let all = health.report(Probe::Readiness).await;
        assert!(all.get("PORT").unwrap().tags().is_empty());
        assert!(all.get("untagged").unwrap().tags().is_empty());
        assert_eq!(all.get("ledger").unwrap().tags(), ["payments"]);
        assert!(all.get("loop").is_none());
        let live = health.report(Probe::Liveness).await;
        assert_eq!(live.get("loop").unwrap().tags(), ["liveness_only"]);
    }

    #[tokio::test(start_paused = true)]
    async fn shutdown_and_startup_gate_every_group() {
        let health = service();
        health.shutdown();
        for group in health.groups() {
            let report = health.group_report(&group).await.unwrap();
            assert_eq!(report.entries()[0].name(), "shutdown", "{group}");
            assert_eq!(report.status(), Status::Fail, "{group}");
        }

        let starting = Health::builder()
            .startup_grace(Duration::from_secs(10))
            .readiness("cache", || async { Outcome::pass() })
            .tag("cache")
            .cache_for(Duration::from_secs(3600))
            .build();
        let report = starting.group_report("cache").await.unwrap();
        assert_eq!(
            statuses(&report),
            [
                ("startup", Status::Fail, vec![]),
                ("cache", Status::Pass, vec!["cache"]),
            ]
        );
        tokio::time::sleep(Duration::from_secs(11)).await;
        assert!(starting.group_report("cache").await.unwrap().is_ready());
    }

    #[test]
    fn tags_set_before_anything_apply_to_everything_after() {
        let health = Health::builder()
            .tag("core")
            .config(&config())
            .readiness("a", || async { Outcome::pass() })
            .tag("extra")
            .build();
        assert_eq!(health.groups(), ["core", "extra"]);
        assert_eq!(health.group_members("core"), ["DB_URL", "DB_POOL", "a"]);
        assert_eq!(health.group_members("extra"), ["a"]);
    }
}
