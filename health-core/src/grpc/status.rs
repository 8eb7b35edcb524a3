//! How readiness maps to a `ServingStatus` per service name: `""` for the server as a whole,
//! one name per readiness check, every name `NOT_SERVING` while shutting down.

use std::collections::BTreeMap;

use super::ServingStatus;
use super::proto::HealthCheckResponse;
use crate::report::Report;
use crate::status::Status;

/// Every service name with its status at one moment; `""` is the whole server.
pub(super) type Statuses = BTreeMap<String, ServingStatus>;

/// The statuses a readiness report gives.
pub(super) fn statuses(report: &Report, shutting_down: bool) -> Statuses {
    let serving = |up: bool| {
        if up && !shutting_down {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        }
    };
    // A name given twice (a variable and a check) takes its worst status.
    let mut worst: BTreeMap<&str, Status> = BTreeMap::new();
    for check in report.entries() {
        let status = worst.entry(check.name()).or_insert(check.status());
        *status = (*status).max(check.status());
    }
    let mut statuses: Statuses = worst
        .into_iter()
        .map(|(name, status)| (name.to_owned(), serving(status != Status::Fail)))
        .collect();
    statuses.insert(String::new(), serving(report.is_ready()));
    statuses
}

/// The response carrying `status`.
pub(super) fn response(status: ServingStatus) -> HealthCheckResponse {
    HealthCheckResponse {
        status: status.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;
    use crate::report::ReportEntry;
    use crate::status::Code;

    #[test]
    fn statuses_follow_readiness() {
        let report = Report::new(vec![
            ReportEntry::new("TWILIO_ACCOUNT_SID", Outcome::pass()),
            ReportEntry::new(
                "PUBLIC_URL",
                Outcome::fail(Code::MISSING, "PUBLIC_URL is not set"),
            ),
            ReportEntry::new("payments", Outcome::warn(Code::TIMEOUT, "slow")),
        ]);
        let statuses = statuses(&report, false);
        assert_eq!(statuses[""], ServingStatus::NotServing);
        assert_eq!(statuses["PUBLIC_URL"], ServingStatus::NotServing);
        assert_eq!(statuses["TWILIO_ACCOUNT_SID"], ServingStatus::Serving);
        assert_eq!(statuses["payments"], ServingStatus::Serving);
        assert_eq!(statuses.len(), 4);

        let ready = Report::new(vec![
            ReportEntry::new("A", Outcome::pass()),
            ReportEntry::new("B", Outcome::warn(Code::TIMEOUT, "slow")),
        ]);
        assert_eq!(
            statuses_of(&ready, false),
            ["=SERVING", "A=SERVING", "B=SERVING"]
        );
        // Draining: every name stops serving.
        assert_eq!(
            statuses_of(&ready, true),
            ["=NOT_SERVING", "A=NOT_SERVING", "B=NOT_SERVING"]
        );
        // A name given twice takes its worst status.
        let twice = Report::new(vec![
            ReportEntry::new("db", Outcome::pass()),
            ReportEntry::new("db", Outcome::fail(Code::TIMEOUT, "slow")),
        ]);
        assert_eq!(
            statuses_of(&twice, false),
            ["=NOT_SERVING", "db=NOT_SERVING"]
        );
    }

    fn statuses_of(report: &Report, shutting_down: bool) -> Vec<String> {
        statuses(report, shutting_down)
            .into_iter()
            .map(|(name, status)| format!("{name}={}", status.as_str_name()))
            .collect()
    }
}
