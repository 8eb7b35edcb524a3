//! Readiness reports: one named check per variable (or dependency), with a status and a code.

use std::borrow::Cow;
use std::time::SystemTime;

use crate::outcome::Outcome;
use crate::source::Origin;
use crate::status::{Code, Status};

pub(crate) mod display;
#[cfg(feature = "json")]
mod json;
#[cfg(feature = "json")]
pub use json::HEALTH_JSON;

/// One named entry of a [`Report`]: a config variable or a check, with its [`Outcome`].
///
/// For a config variable the name is the full variable name (`APP_DB_HOST`), the field is
/// the Rust path (`db.host`) and the origin says where the value came from. The outcome's
/// message is short and safe: it never holds a secret's value.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportEntry {
    name: Cow<'static, str>,
    field: Option<Cow<'static, str>>,
    origin: Option<Origin>,
    outcome: Outcome,
    /// The groups the entry is in (`HealthBuilder::tag`); empty for most.
    tags: Vec<String>,
    /// A rule's variables: the ones it blames when it fails, all of its members otherwise.
    variables: Vec<String>,
}

impl ReportEntry {
    /// A config variable's entry, built in one go (the loader's hot path).
    pub(crate) fn variable(
        name: Cow<'static, str>,
        field: Cow<'static, str>,
        outcome: Outcome,
        origin: Option<Origin>,
    ) -> ReportEntry {
        ReportEntry {
            name,
            field: Some(field),
            origin,
            outcome,
            tags: Vec::new(),
            variables: Vec::new(),
        }
    }

    /// A rule's entry (`requires:APP_TLS_CERT,APP_TLS_KEY`), with the variables it is about.
    pub(crate) fn rule(name: String, outcome: Outcome, variables: Vec<String>) -> ReportEntry {
        ReportEntry {
            name: Cow::Owned(name),
            field: None,
            origin: None,
            outcome,
            tags: Vec::new(),
            variables,
        }
    }

    /// Replaces the outcome (the loader's review adds a "did you mean" to a message).
    pub(crate) fn set_outcome(&mut self, outcome: Outcome) {
        self.outcome = outcome;
    }

    /// The entry of `outcome` under `name`.
    pub fn new(name: impl Into<Cow<'static, str>>, outcome: Outcome) -> ReportEntry {
        ReportEntry {
            name: name.into(),
            field: None,
            origin: None,
            outcome,
            tags: Vec::new(),
            variables: Vec::new(),
        }
    }

    /// Names the Rust field this entry is about.
    pub fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> ReportEntry {
        self.field = Some(field.into());
        self
    }

    /// Records where a variable's value came from.
    pub fn with_origin(mut self, origin: Origin) -> ReportEntry {
        self.origin = Some(origin);
        self
    }

    /// Puts the entry in these groups (shown as `"tags"` in the JSON body).
    pub fn with_tags(mut self, tags: impl IntoIterator<Item = impl Into<String>>) -> ReportEntry {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Puts the entry in these groups, replacing any it was in.
    #[cfg(feature = "runtime")]
    pub(crate) fn set_tags(&mut self, tags: &[String]) {
        self.tags = tags.to_vec();
    }

    /// The groups the entry is in, in the order they were tagged; empty when untagged.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// For a rule between variables, the variables it is about: the ones it blames when it
    /// fails (the missing dependents of a `requires`, every member set together in a
    /// conflict), all of its members otherwise. Empty for a variable's own entry.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// The entry's name: for a variable, its full name; for a rule, its kind and variables
    /// (`requires:APP_TLS_CERT,APP_TLS_KEY`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Rust field path (`db.host`), for config variables.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// Where a variable's value came from (process env, `.env`, secret file, default).
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// What the check found: status, code, safe message, private detail, measured value.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// `pass`, `warn` or `fail` (the outcome's).
    pub fn status(&self) -> Status {
        self.outcome.status()
    }

    /// The stable reason code (the outcome's); `None` for a passing entry.
    pub fn code(&self) -> Option<&Code> {
        self.outcome.code()
    }

    /// The short safe reason (the outcome's); `None` for a passing entry.
    pub fn message(&self) -> Option<&str> {
        self.outcome.message()
    }
}

/// A set of named entries taken at one moment: one per config variable and per check.
///
/// Serializes as `application/health+json` (draft-inadarei-api-health-check): a top-level
/// `status` and `checks` keyed by name, each an array of objects with `status`, `time`, and
/// for a failure our `code` and a safe `output`; an entry in groups lists them as `tags`.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    entries: Vec<ReportEntry>,
    time: SystemTime,
}

impl Report {
    /// A report of these entries, stamped now.
    pub fn new(entries: Vec<ReportEntry>) -> Report {
        Report {
            entries,
            time: SystemTime::now(),
        }
    }

    /// The worst status of any entry; `pass` for an empty report.
    pub fn status(&self) -> Status {
        self.entries
            .iter()
            .map(ReportEntry::status)
            .max()
            .unwrap_or(Status::Pass)
    }

    /// Whether no entry fails (`warn` is still ready).
    pub fn is_ready(&self) -> bool {
        self.status() != Status::Fail
    }

    /// Every entry in order (declaration order for a config).
    pub fn entries(&self) -> &[ReportEntry] {
        &self.entries
    }

    /// The failing entries, in order.
    pub fn failures(&self) -> Failures<'_> {
        Failures(self.entries.iter())
    }

    /// The entry with this name.
    pub fn get(&self, name: &str) -> Option<&ReportEntry> {
        self.entries.iter().find(|c| c.name == name)
    }

    /// When the report was taken.
    pub fn time(&self) -> SystemTime {
        self.time
    }

    /// The HTTP status a readiness probe answers with: 200 when ready, 503 otherwise.
    pub fn http_status(&self) -> u16 {
        self.status().http_status()
    }
}

/// The failing entries of a [`Report`] or a [`ContractError`](crate::ContractError), in order.
#[derive(Clone, Debug)]
pub struct Failures<'a>(std::slice::Iter<'a, ReportEntry>);

impl<'a> Iterator for Failures<'a> {
    type Item = &'a ReportEntry;

    fn next(&mut self) -> Option<&'a ReportEntry> {
        self.0.by_ref().find(|c| c.status() == Status::Fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_the_worst_check() {
        let report = Report::new(vec![
            ReportEntry::new("A", Outcome::pass()),
            ReportEntry::new(
                "B",
                Outcome::fail(Code::MISSING, "required variable is not set"),
            ),
        ]);
        assert_eq!(report.status(), Status::Fail);
        assert!(!report.is_ready());
        assert_eq!(report.http_status(), 503);
        assert_eq!(report.failures().count(), 1);
        assert!(Report::new(vec![]).is_ready());
    }
}
