//! `Display` for [`Report`]: a summary line, then one line per entry with its status, name,
//! field, code and safe message (never a value).

use std::fmt;

use super::{Report, ReportEntry};
use crate::status::Status;

/// A summary line (`fail: 2 of 5 entries fail, 1 warns`), then one line per entry in order:
///
/// ```text
/// pass  PORT (field `port`)
/// fail  DATABASE_URL (field `database_url`): missing: required variable is not set
/// ```
///
/// The lines hold what the JSON body holds (names, statuses, codes, safe messages), so a
/// secret's value is never in them.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |status| self.entries.iter().filter(|e| e.status() == status).count();
        let (fail, warn) = (count(Status::Fail), count(Status::Warn));
        let total = self.entries.len();
        write!(f, "{}: ", self.status())?;
        match (fail, warn) {
            _ if total == 0 => f.write_str("no entries")?,
            (0, 0) => write!(f, "all {total} entries pass")?,
            (0, warn) => write!(f, "{warn} of {total} entries warn")?,
            (fail, 0) => write!(f, "{fail} of {total} entries fail")?,
            (fail, warn) => write!(f, "{fail} of {total} entries fail, {warn} warn")?,
        }
        for entry in &self.entries {
            write!(f, "\n{}  {}", entry.status(), EntryLine(entry))?;
        }
        Ok(())
    }
}

/// One entry as a line: `NAME (field `path`): code: message`; the field, code and message
/// when there are some.
pub(crate) struct EntryLine<'a>(pub(crate) &'a ReportEntry);

impl fmt::Display for EntryLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = self.0;
        f.write_str(entry.name())?;
        if let Some(field) = entry.field() {
            write!(f, " (field `{field}`)")?;
        }
        if let Some(code) = entry.code() {
            write!(f, ": {code}")?;
        }
        if let Some(message) = entry.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}
