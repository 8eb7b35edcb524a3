//! Names the environment sets that the contract does not read: the near miss of a missing
//! variable (`ULTRAVOX_APIKEY` for `ULTRAVOX_API_KEY`), and strays under a struct's prefix.
//!
//! Only names are ever read here, never values.

use rustc_hash::FxHashSet;

use crate::contract::{Contract, FieldKind};
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::source::Source;
use crate::status::Code;
use crate::suggest::closest;

/// Every name the contract reads, and the prefixes (`#[contract(prefix = "..")]`, with the
/// prefixes before them) under which any other name is a stray.
pub(crate) struct Known {
    /// Variables and their aliases, full names.
    variables: Vec<String>,
    /// The same, plus each one's `NAME_FILE`.
    names: FxHashSet<String>,
    prefixes: Vec<String>,
}

impl Known {
    pub(crate) fn of(contract: &Contract) -> Known {
        let mut known = Known {
            variables: Vec::new(),
            names: FxHashSet::default(),
            prefixes: Vec::new(),
        };
        known.walk(contract, &mut String::new());
        for name in &known.variables {
            known.names.insert(name.clone());
            known.names.insert(format!("{name}_FILE"));
        }
        known
    }

    fn walk(&mut self, contract: &Contract, prefix: &mut String) {
        let outer = prefix.len();
        prefix.push_str(contract.prefix());
        if !contract.prefix().is_empty() {
            self.prefixes.push(prefix.clone());
        }
        for field in contract.fields() {
            match field.kind() {
                FieldKind::Var(spec) => {
                    let names = std::iter::once(spec.name()).chain(spec.aliases().iter().copied());
                    let prefix = spec.prefix_in(prefix);
                    self.variables
                        .extend(names.map(|name| format!("{prefix}{name}")));
                }
                FieldKind::Nested {
                    prefix: nested,
                    contract,
                } => {
                    let len = prefix.len();
                    prefix.push_str(nested);
                    self.walk(contract, prefix);
                    prefix.truncate(len);
                }
            }
        }
        prefix.truncate(outer);
    }

    /// Whether a field reads `name`: a variable, an old name, or either's `NAME_FILE`.
    pub(crate) fn reads(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Whether `name` is under a struct's prefix, where a name no field reads is a stray.
    pub(crate) fn under_a_prefix(&self, name: &str) -> bool {
        self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }

    /// Set names that no field reads.
    fn unread<'a>(&self, set: &'a [String]) -> impl Iterator<Item = &'a str> {
        set.iter()
            .map(String::as_str)
            .filter(|name| !self.reads(name))
    }

    /// Set names under a prefix that no field reads, sorted.
    fn strays<'a>(&self, set: &'a [String]) -> Vec<&'a str> {
        let mut strays: Vec<&str> = self
            .unread(set)
            .filter(|name| self.under_a_prefix(name))
            .collect();
        strays.sort_unstable();
        strays
    }
}

/// Adds "did you mean" to `missing` entries whose variable has a near miss that is set, and
/// one entry per stray under a prefix: a `warn`, or a failure when the contract
/// [denies unknown variables](Contract::denies_unknown).
pub(crate) fn review(contract: &Contract, source: &dyn Source, entries: &mut Vec<ReportEntry>) {
    let has_missing = entries.iter().any(|e| e.code() == Some(&Code::MISSING));
    let known = Known::of(contract);
    if !has_missing && known.prefixes.is_empty() {
        return;
    }
    let set = source.names();
    if has_missing {
        let unread: Vec<&str> = known.unread(&set).collect();
        for entry in entries.iter_mut() {
            if entry.code() != Some(&Code::MISSING) {
                continue;
            }
            if let Some(near) = closest(entry.name(), unread.iter().copied()) {
                let message = format!(
                    "{}; did you mean `{near}`? It is set, and no field reads it",
                    entry.message().unwrap_or("required variable is not set")
                );
                entry.set_outcome(Outcome::fail(Code::MISSING, message));
            }
        }
    }
    for stray in known.strays(&set) {
        // The entry is named after the stray; the message stays short however long it is.
        let mut message = format!("set, but no field of {} reads it", contract.type_name());
        if let Some(near) = closest(stray, known.variables.iter().map(String::as_str)) {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        let outcome = if contract.denies_unknown() {
            Outcome::fail(Code::UNKNOWN_VARIABLE, message)
        } else {
            Outcome::warn(Code::UNKNOWN_VARIABLE, message)
        };
        entries.push(ReportEntry::new(stray.to_owned(), outcome));
    }
}

/// Whether a contract that denies unknown variables finds one in `source` (the fast check a
/// passing load makes).
pub(crate) fn denies_a_stray(contract: &Contract, source: &dyn Source) -> bool {
    if !contract.denies_unknown() {
        return false;
    }
    let known = Known::of(contract);
    !known.prefixes.is_empty() && !known.strays(&source.names()).is_empty()
}
