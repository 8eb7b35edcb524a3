//! Readiness reports: one named check per variable (or dependency), with a status and a code.

use std::borrow::Cow;
use std::time::SystemTime;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::outcome::{Observed, Outcome};
use crate::source::Origin;
use crate::status::{Code, Status};

/// The outcome of one named check.
///
/// For a config variable the name is the full variable name (`APP_DB_HOST`) and the field is
/// the Rust path (`db.host`). The message is short and safe: it never holds a secret's value.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    name: Cow<'static, str>,
    field: Option<Cow<'static, str>>,
    status: Status,
    code: Option<Code>,
    message: Option<String>,
    observed: Option<Observed>,
    /// Raw error text: only in the opt-in detailed view.
    detail: Option<String>,
    origin: Option<Origin>,
}

impl Check {
    /// A passing check.
    pub fn pass(name: impl Into<Cow<'static, str>>) -> Check {
        Check {
            name: name.into(),
            field: None,
            status: Status::Pass,
            code: None,
            message: None,
            observed: None,
            detail: None,
            origin: None,
        }
    }

    /// A failing check with its code and a short safe message.
    pub fn fail(
        name: impl Into<Cow<'static, str>>,
        code: Code,
        message: impl Into<String>,
    ) -> Check {
        Check {
            status: Status::Fail,
            code: Some(code),
            message: Some(message.into()),
            ..Check::pass(name)
        }
    }

    /// A config variable's check, built in one go (the loader's hot path).
    pub(crate) fn variable(
        name: Cow<'static, str>,
        field: Cow<'static, str>,
        failure: Option<(Code, String)>,
        origin: Option<Origin>,
    ) -> Check {
        let (status, code, message) = match failure {
            Some((code, message)) => (Status::Fail, Some(code), Some(message)),
            None => (Status::Pass, None, None),
        };
        Check {
            name,
            field: Some(field),
            status,
            code,
            message,
            observed: None,
            detail: None,
            origin,
        }
    }

    /// The check a dependency's outcome gives, under `name`.
    pub fn from_outcome(name: impl Into<Cow<'static, str>>, outcome: &Outcome) -> Check {
        Check {
            status: outcome.status(),
            code: outcome.code().cloned(),
            message: outcome.message().map(str::to_owned),
            observed: outcome.observed().cloned(),
            detail: outcome.detail().map(str::to_owned),
            ..Check::pass(name)
        }
    }

    /// Names the Rust field this check is about.
    pub fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> Check {
        self.field = Some(field.into());
        self
    }

    /// Records where a variable's value came from.
    pub fn with_origin(mut self, origin: Origin) -> Check {
        self.origin = Some(origin);
        self
    }

    /// Where a variable's value came from (process env, `.env`, secret file, default).
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// The check's name: for a variable, its full name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Rust field path (`db.host`), for config checks.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// `pass`, `warn` or `fail`.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The stable reason code; `None` for a passing check.
    pub fn code(&self) -> Option<&Code> {
        self.code.as_ref()
    }

    /// The short safe reason; `None` for a passing check.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The measured value, if the check reports one.
    pub fn observed(&self) -> Option<&Observed> {
        self.observed.as_ref()
    }

    /// The raw error text (private: shown only in the opt-in detailed view).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// Whether the check passes.
    pub fn is_pass(&self) -> bool {
        self.status == Status::Pass
    }
}

/// A set of named checks taken at one moment.
///
/// Serializes as `application/health+json` (draft-inadarei-api-health-check): a top-level
/// `status` and `checks` keyed by name, each an array of objects with `status`, `time`, and
/// for a failure our `code` and a safe `output`.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    checks: Vec<Check>,
    time: SystemTime,
}

impl Report {
    /// A report of these checks, stamped now.
    pub fn new(checks: Vec<Check>) -> Report {
        Report {
            checks,
            time: SystemTime::now(),
        }
    }

    /// The worst status of any check; `pass` for an empty report.
    pub fn status(&self) -> Status {
        self.checks
            .iter()
            .map(Check::status)
            .max()
            .unwrap_or(Status::Pass)
    }

    /// Whether no check fails (`warn` is still ready).
    pub fn is_ready(&self) -> bool {
        self.status() != Status::Fail
    }

    /// Every check in order (declaration order for a config).
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The failing checks, in order.
    pub fn failures(&self) -> Failures<'_> {
        Failures(self.checks.iter())
    }

    /// The check with this name.
    pub fn get(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// When the report was taken.
    pub fn time(&self) -> SystemTime {
        self.time
    }

    /// The HTTP status a readiness probe answers with: 200 when ready, 503 otherwise.
    pub fn http_status(&self) -> u16 {
        self.status().http_status()
    }

    /// The `application/health+json` body.
    pub fn to_json(&self) -> String {
        self.render(false)
    }

    /// The `application/health+json` body with each check's raw error text as `detail`.
    /// For the opt-in detailed view only: raw text may hold hostnames or driver messages.
    pub fn to_json_detailed(&self) -> String {
        self.render(true)
    }

    fn render(&self, details: bool) -> String {
        let view = View {
            report: self,
            details,
        };
        serde_json::to_string(&view).unwrap_or_else(|_| r#"{"status":"fail"}"#.to_owned())
    }
}

/// The failing checks of a [`Report`] or a [`ContractError`](crate::ContractError), in order.
#[derive(Clone, Debug)]
pub struct Failures<'a>(std::slice::Iter<'a, Check>);

impl<'a> Iterator for Failures<'a> {
    type Item = &'a Check;

    fn next(&mut self) -> Option<&'a Check> {
        self.0.by_ref().find(|c| c.status == Status::Fail)
    }
}

/// The media type of [`Report::to_json`]'s body.
pub const HEALTH_JSON: &str = "application/health+json";

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        View {
            report: self,
            details: false,
        }
        .serialize(serializer)
    }
}

/// A report as serialized, with or without raw details.
struct View<'a> {
    report: &'a Report,
    details: bool,
}

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let time = humantime::format_rfc3339_seconds(self.report.time).to_string();
        let mut report = serializer.serialize_struct("Report", 2)?;
        report.serialize_field("status", &self.report.status())?;
        report.serialize_field(
            "checks",
            &Grouped {
                checks: &self.report.checks,
                time: &time,
                details: self.details,
            },
        )?;
        report.end()
    }
}

/// `checks` keyed by name in first-seen order, each key an array (health+json's shape).
struct Grouped<'a> {
    checks: &'a [Check],
    time: &'a str,
    details: bool,
}

impl Serialize for Grouped<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut names: Vec<&str> = Vec::new();
        for check in self.checks {
            if !names.contains(&&*check.name) {
                names.push(&check.name);
            }
        }
        let mut map = serializer.serialize_map(Some(names.len()))?;
        for name in names {
            let entries: Vec<Entry> = self
                .checks
                .iter()
                .filter(|c| c.name == name)
                .map(|check| Entry {
                    check,
                    time: self.time,
                    details: self.details,
                })
                .collect();
            map.serialize_entry(name, &entries)?;
        }
        map.end()
    }
}

struct Entry<'a> {
    check: &'a Check,
    time: &'a str,
    details: bool,
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let check = self.check;
        let mut entry = serializer.serialize_struct("Check", 9)?;
        entry.serialize_field("status", &check.status)?;
        if let Some(code) = &check.code {
            entry.serialize_field("code", code)?;
        }
        if let Some(message) = &check.message {
            entry.serialize_field("output", message)?;
        }
        if let Some(observed) = &check.observed {
            entry.serialize_field("observedValue", &observed.value)?;
            entry.serialize_field("observedUnit", observed.unit)?;
        }
        if let Some(field) = &check.field {
            entry.serialize_field("field", field)?;
        }
        if let Some(origin) = &check.origin {
            entry.serialize_field("origin", origin)?;
        }
        if let (true, Some(detail)) = (self.details, &check.detail) {
            entry.serialize_field("detail", detail)?;
        }
        entry.serialize_field("time", self.time)?;
        entry.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_the_worst_check() {
        let report = Report::new(vec![
            Check::pass("A"),
            Check::fail("B", Code::MISSING, "required variable is not set"),
        ]);
        assert_eq!(report.status(), Status::Fail);
        assert!(!report.is_ready());
        assert_eq!(report.http_status(), 503);
        assert_eq!(report.failures().count(), 1);
        assert!(Report::new(vec![]).is_ready());
    }

    #[test]
    fn serializes_as_health_json_in_order() {
        let report = Report::new(vec![
            Check::pass("B_FIRST").with_field("b"),
            Check::fail("A_SECOND", Code::INVALID, "bad").with_field("a"),
        ]);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["status"], "fail");
        assert_eq!(json["checks"]["A_SECOND"][0]["code"], "invalid");
        assert_eq!(json["checks"]["A_SECOND"][0]["output"], "bad");
        assert_eq!(json["checks"]["B_FIRST"][0]["status"], "pass");
        assert!(json["checks"]["B_FIRST"][0].get("code").is_none());
        let text = report.to_json();
        assert!(text.find("B_FIRST") < text.find("A_SECOND"), "{text}");
        let time = json["checks"]["B_FIRST"][0]["time"].as_str().unwrap();
        assert!(humantime::parse_rfc3339(time).is_ok(), "{time}");
    }
}
