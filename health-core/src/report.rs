//! Readiness reports: one named check per variable (or dependency), with a status and a code.

use std::borrow::Cow;
use std::time::SystemTime;

#[cfg(feature = "json")]
use serde::ser::{SerializeMap, SerializeStruct};
#[cfg(feature = "json")]
use serde::{Serialize, Serializer};

use crate::outcome::Outcome;
use crate::source::Origin;
use crate::status::{Code, Status};

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

    /// The entry's name: for a variable, its full name.
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

    /// The `application/health+json` body.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        self.render(false)
    }

    /// The `application/health+json` body with each entry's raw error text as `detail`.
    /// For the opt-in detailed view only: raw text may hold hostnames or driver messages.
    #[cfg(feature = "json")]
    pub fn to_json_detailed(&self) -> String {
        self.render(true)
    }

    #[cfg(feature = "json")]
    fn render(&self, details: bool) -> String {
        let view = View {
            report: self,
            details,
        };
        serde_json::to_string(&view).unwrap_or_else(|_| r#"{"status":"fail"}"#.to_owned())
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

/// The media type of [`Report::to_json`]'s body.
#[cfg(feature = "json")]
pub const HEALTH_JSON: &str = "application/health+json";

#[cfg(feature = "json")]
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
#[cfg(feature = "json")]
struct View<'a> {
    report: &'a Report,
    details: bool,
}

#[cfg(feature = "json")]
impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let time = humantime::format_rfc3339_seconds(self.report.time).to_string();
        let mut report = serializer.serialize_struct("Report", 2)?;
        report.serialize_field("status", &self.report.status())?;
        report.serialize_field(
            "checks",
            &Grouped {
                entries: &self.report.entries,
                time: &time,
                details: self.details,
            },
        )?;
        report.end()
    }
}

/// `checks` keyed by name in first-seen order, each key an array (health+json's shape).
#[cfg(feature = "json")]
struct Grouped<'a> {
    entries: &'a [ReportEntry],
    time: &'a str,
    details: bool,
}

#[cfg(feature = "json")]
impl Serialize for Grouped<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut names: Vec<&str> = Vec::new();
        for entry in self.entries {
            if !names.contains(&&*entry.name) {
                names.push(&entry.name);
            }
        }
        let mut map = serializer.serialize_map(Some(names.len()))?;
        for name in names {
            let entries: Vec<Serialized> = self
                .entries
                .iter()
                .filter(|c| c.name == name)
                .map(|entry| Serialized {
                    entry,
                    time: self.time,
                    details: self.details,
                })
                .collect();
            map.serialize_entry(name, &entries)?;
        }
        map.end()
    }
}

/// One entry as serialized, with the report's time.
#[cfg(feature = "json")]
struct Serialized<'a> {
    entry: &'a ReportEntry,
    time: &'a str,
    details: bool,
}

#[cfg(feature = "json")]
impl Serialize for Serialized<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entry = self.entry;
        let outcome = &entry.outcome;
        let mut out = serializer.serialize_struct("ReportEntry", 12)?;
        out.serialize_field("status", &outcome.status())?;
        if let Some(code) = outcome.code() {
            out.serialize_field("code", code)?;
        }
        if let Some(operation) = outcome.operation() {
            out.serialize_field("operation", operation)?;
        }
        if let Some(message) = outcome.message() {
            out.serialize_field("output", message)?;
        }
        if let Some(observed) = outcome.observed() {
            out.serialize_field("observedValue", &observed.value)?;
            out.serialize_field("observedUnit", observed.unit)?;
        }
        #[cfg(feature = "runtime")]
        if let Some(circuit) = outcome.circuit() {
            out.serialize_field("circuit", circuit)?;
        }
        if let Some(field) = &entry.field {
            out.serialize_field("field", field)?;
        }
        if let Some(origin) = &entry.origin {
            out.serialize_field("origin", origin)?;
        }
        if !entry.tags.is_empty() {
            out.serialize_field("tags", &entry.tags)?;
        }
        if let (true, Some(detail)) = (self.details, outcome.detail()) {
            out.serialize_field("detail", detail)?;
        }
        out.serialize_field("time", self.time)?;
        out.end()
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

    #[test]
    #[cfg(feature = "json")]
    fn serializes_as_health_json_in_order() {
        let report = Report::new(vec![
            ReportEntry::new("B_FIRST", Outcome::pass()).with_field("b"),
            ReportEntry::new("A_SECOND", Outcome::fail(Code::INVALID, "bad")).with_field("a"),
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

    #[test]
    #[cfg(feature = "json")]
    fn tags_are_listed_only_when_there_are_some() {
        let report = Report::new(vec![
            ReportEntry::new("db", Outcome::pass()).with_tags(["orders", "payments"]),
            ReportEntry::new("cache", Outcome::pass()),
        ]);
        assert_eq!(report.entries()[0].tags(), ["orders", "payments"]);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(
            json["checks"]["db"][0]["tags"],
            serde_json::json!(["orders", "payments"])
        );
        assert!(json["checks"]["cache"][0].get("tags").is_none());
        // After the entry's own keys, before `time`.
        let text = report.to_json();
        assert!(
            text.contains(r#""status":"pass","tags":["orders","payments"],"time":"#),
            "{text}"
        );
    }
}
