//! The log events of a load (feature `tracing`): what `load` and a live config's reload say
//! about a report.

use crate::report::Report;
use crate::status::{Code, Status};

/// One `tracing` error per failing variable or rule and one warning per variable or rule
/// that needs attention.
pub(crate) fn log_report(report: &Report) {
    for check in report.failures() {
        if check.variables().is_empty() {
            tracing::error!(
                variable = check.name(),
                field = check.field().unwrap_or_default(),
                code = %check.code().map(Code::as_str).unwrap_or_default(),
                reason = check.message().unwrap_or_default(),
                "config variable failed its check"
            );
        } else {
            tracing::error!(
                rule = check.name(),
                variables = %check.variables().join(","),
                code = %check.code().map(Code::as_str).unwrap_or_default(),
                reason = check.message().unwrap_or_default(),
                "config rule failed"
            );
        }
    }
    for check in report
        .entries()
        .iter()
        .filter(|e| e.status() == Status::Warn)
    {
        tracing::warn!(
            variable = check.name(),
            code = %check.code().map(Code::as_str).unwrap_or_default(),
            reason = check.message().unwrap_or_default(),
            "config variable needs attention"
        );
    }
}
