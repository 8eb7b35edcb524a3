//! The error of a failed load: every failing variable, not just the first.

use std::fmt;

use crate::report::display::EntryLine;
use crate::report::{Failures, Report, ReportEntry};

/// Every variable that failed to load, with the full report of the attempt.
///
/// `Display` prints one line per failing variable: its name, the field, the code and a short
/// reason. No line ever holds a secret's value. Iterate it for the failures.
#[derive(Clone, PartialEq)]
pub struct ContractError {
    report: Report,
}

impl ContractError {
    pub(crate) fn new(report: Report) -> ContractError {
        ContractError { report }
    }

    /// The failing entries, in declaration order.
    pub fn iter(&self) -> Failures<'_> {
        self.report.failures()
    }

    /// How many variables failed.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Always false: an error holds at least one failure.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole report: passing variables too.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Takes the whole report.
    pub fn into_report(self) -> Report {
        self.report
    }
}

impl<'a> IntoIterator for &'a ContractError {
    type Item = &'a ReportEntry;
    type IntoIter = Failures<'a>;

    fn into_iter(self) -> Failures<'a> {
        self.iter()
    }
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, entry) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}", EntryLine(entry))?;
        }
        Ok(())
    }
}

impl std::error::Error for ContractError {}

/// A line counting the failures, then the same lines as `Display`, so
/// `fn main() -> Result<..>` prints something readable.
impl fmt::Debug for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "ContractError: {} failing variable(s)", self.len())?;
        fmt::Display::fmt(self, f)
    }
}
