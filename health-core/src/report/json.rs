//! A report as `application/health+json` (feature `json`): `checks` keyed by name in
//! first-seen order, each key an array, every entry with the report's time.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Report, ReportEntry};

impl Report {
    /// The `application/health+json` body.
    pub fn to_json(&self) -> String {
        self.render(false)
    }

    /// The `application/health+json` body with each entry's raw error text as `detail`.
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
                entries: &self.report.entries,
                time: &time,
                details: self.details,
            },
        )?;
        report.end()
    }
}

/// `checks` keyed by name in first-seen order, each key an array (health+json's shape).
struct Grouped<'a> {
    entries: &'a [ReportEntry],
    time: &'a str,
    details: bool,
}

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
struct Serialized<'a> {
    entry: &'a ReportEntry,
    time: &'a str,
    details: bool,
}

/// The members an entry's own fields use: an outcome's data under one of these names is left
/// out of the body.
const MEMBERS: [&str; 12] = [
    "status",
    "code",
    "operation",
    "output",
    "observedValue",
    "observedUnit",
    "field",
    "origin",
    "tags",
    "variables",
    "detail",
    "time",
];

impl Serialize for Serialized<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entry = self.entry;
        let outcome = &entry.outcome;
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("status", &outcome.status())?;
        if let Some(code) = outcome.code() {
            out.serialize_entry("code", code)?;
        }
        if let Some(operation) = outcome.operation() {
            out.serialize_entry("operation", operation)?;
        }
        if let Some(message) = outcome.message() {
            out.serialize_entry("output", message)?;
        }
        if let Some(observed) = outcome.observed() {
            out.serialize_entry("observedValue", &observed.value)?;
            out.serialize_entry("observedUnit", observed.unit)?;
        }
        for (name, value) in outcome.data().iter() {
            if !MEMBERS.contains(&name) {
                out.serialize_entry(name, value)?;
            }
        }
        if let Some(field) = &entry.field {
            out.serialize_entry("field", field)?;
        }
        if let Some(origin) = &entry.origin {
            out.serialize_entry("origin", origin)?;
        }
        if !entry.tags.is_empty() {
            out.serialize_entry("tags", &entry.tags)?;
        }
        if !entry.variables.is_empty() {
            out.serialize_entry("variables", &entry.variables)?;
        }
        if let (true, Some(detail)) = (self.details, outcome.detail()) {
            out.serialize_entry("detail", detail)?;
        }
        out.serialize_entry("time", self.time)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::outcome::Outcome;
    use crate::report::{Report, ReportEntry};
    use crate::status::Code;

    #[test]
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

    #[test]
    fn data_are_members_after_the_outcome_s_own_and_never_replace_them() {
        let nested = crate::outcome::Data::new()
            .with("state", "open")
            .with("calls", 2u64);
        let outcome = Outcome::fail(Code::TIMEOUT, "slow")
            .with_observed(1.5, "s")
            .with_data("circuit", nested)
            .with_data("status", "hijacked")
            .with_data("time", 0u64)
            .with_data("trial", true);
        let report = Report::new(vec![ReportEntry::new("db", outcome).with_tags(["core"])]);
        let text = report.to_json();
        assert!(
            text.contains(
                r#""observedUnit":"s","circuit":{"state":"open","calls":2},"trial":true,"tags":["core"],"time":""#
            ),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["checks"]["db"][0]["status"], "fail");
        assert!(json["checks"]["db"][0]["time"].is_string(), "{text}");
    }
}
