//! The loader the derive drives: one call per field, reading, parsing and checking one
//! variable, recording its entry.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};

use super::ReadinessContract;
use super::message::{constrain, default_breaks, quoted, truncate, withheld};
use crate::constraint;
use crate::contract::{Contract, Requirement, VarSpec, join_path};
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::source::{Origin, Source};
use crate::status::Code;
use crate::value::ValueError;

/// What a variable's value is when the variable is absent (or empty and not allowed to be).
#[doc(hidden)]
pub enum IfAbsent<T> {
    /// None: fail with `missing` or `empty`.
    Fail,
    /// This value (an `Option` field's `None`, or a typed `default = expr`).
    Value(fn() -> T),
    /// This text parsed like a value (`default = "2s"`); failing is `invalid_default`.
    Parse(&'static str),
}

/// A field's validator, wrapped by the generated code to return the message as a `String`.
#[doc(hidden)]
pub type Validator<T> = fn(&T) -> Result<(), String>;

/// A field's `range` check: [`constraint::range`] with the field's parser, on each value the
/// field holds; `Err` is the rule's message.
#[doc(hidden)]
pub type RangeCheck<T> = fn(&T) -> Result<(), String>;

/// Walks a config's fields for the generated code, collecting one entry per variable (only
/// the failing ones for a load).
#[doc(hidden)]
pub struct Loader<'s> {
    source: &'s dyn Source,
    prefix: String,
    path: String,
    pub(super) entries: Vec<ReportEntry>,
    /// Whether passing variables get an entry too (reports), or only failures (loads).
    record_passes: bool,
    /// Where full names are written (see `var`).
    name_buffer: String,
}

impl<'s> Loader<'s> {
    pub(super) fn new(
        source: &'s dyn Source,
        contract: &Contract,
        record_passes: bool,
    ) -> Loader<'s> {
        Loader {
            source,
            prefix: contract.prefix().to_owned(),
            path: String::new(),
            entries: if record_passes {
                Vec::with_capacity(contract.variable_count())
            } else {
                Vec::new()
            },
            record_passes,
            name_buffer: String::new(),
        }
    }

    /// Reads, parses and validates one variable; records its entry (a load records failures
    /// only).
    pub fn var<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: impl Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
        if_absent: IfAbsent<T>,
        validate: Option<Validator<T>>,
    ) -> Option<T> {
        self.var_in_range(spec, ident, parse, if_absent, None, validate)
    }

    /// [`var`](Self::var) for a field with a `range`: `range` checks the typed value after it
    /// parses, before `validate`.
    pub fn var_in_range<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: impl Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
        if_absent: IfAbsent<T>,
        range: Option<RangeCheck<T>>,
        validate: Option<Validator<T>>,
    ) -> Option<T> {
        // Borrowed when there is no prefix or path: no allocation for a flat config.
        // The full name is written into a reused buffer: a passing variable of a load costs
        // no allocation; only a recorded check owns a copy.
        let mut buffer = std::mem::take(&mut self.name_buffer);
        let name: &str = if self.prefix.is_empty() {
            spec.name()
        } else {
            buffer.clear();
            buffer.push_str(&self.prefix);
            buffer.push_str(spec.name());
            &buffer
        };
        let field: Cow<'static, str> = if self.path.is_empty() {
            Cow::Borrowed(ident)
        } else {
            Cow::Owned(join_path(&self.path, ident))
        };
        let mut origin = None;
        // The full old name the value was read under, when it was an alias.
        let mut alias = None;
        let value = match self.find(name, spec) {
            (Lookup::Found(raw, found), read_as) => {
                origin = Some(found);
                alias = read_as;
                // The text rules are read before the parser takes the text, and reported
                // after it: parse, then constraints.
                let text =
                    constraint::has_text_rules(spec).then(|| constraint::check_text(spec, &raw));
                parse(raw)
                    .map_err(|e| {
                        let message = if spec.is_secret() {
                            withheld(e.code())
                        } else {
                            e.message().to_owned()
                        };
                        (e.code().clone(), message)
                    })
                    .and_then(|value| {
                        constrain(value, range, text).map_err(|rule| (Code::REJECTED, rule))
                    })
            }
            (Lookup::Unreadable(path, reason), read_as) => Err((
                Code::UNREADABLE_FILE,
                format!(
                    "cannot read {}_FILE {}: {reason}",
                    read_as.as_deref().unwrap_or(name),
                    path.display()
                ),
            )),
            (Lookup::Conflict(message), _) => Err((Code::ALIAS_CONFLICT, message)),
            (absent @ (Lookup::Empty | Lookup::Missing), _) => match if_absent {
                IfAbsent::Fail if matches!(absent, Lookup::Empty) => {
                    Err((Code::EMPTY, "variable is set but empty".to_owned()))
                }
                IfAbsent::Fail => Err((Code::MISSING, "required variable is not set".to_owned())),
                IfAbsent::Value(default) => {
                    // An absent optional has no origin: nothing was used.
                    origin =
                        (spec.requirement() == Requirement::Default).then_some(Origin::Default);
                    // `one_of` and `len` of a literal default are checked at compile time.
                    constrain(default(), range, None).map_err(|rule| default_breaks(spec, &rule))
                }
                IfAbsent::Parse(text) => {
                    origin = Some(Origin::Default);
                    let raw = OsStr::new(text);
                    let rules =
                        constraint::has_text_rules(spec).then(|| constraint::check_text(spec, raw));
                    parse(Cow::Borrowed(raw))
                        .map_err(|e| {
                            let message = match spec.default() {
                                Some(shown) if !spec.is_secret() => {
                                    format!("default `{shown}` does not parse: {}", e.message())
                                }
                                _ => withheld(&Code::INVALID_DEFAULT),
                            };
                            (Code::INVALID_DEFAULT, message)
                        })
                        .and_then(|value| {
                            constrain(value, range, rules)
                                .map_err(|rule| default_breaks(spec, &rule))
                        })
                }
            },
        };
        let value = value.and_then(|value| match validate.map(|check| check(&value)) {
            Some(Err(_)) if spec.is_secret() => Err((Code::REJECTED, withheld(&Code::REJECTED))),
            Some(Err(message)) => Err((Code::REJECTED, message)),
            _ => Ok(value),
        });
        let (outcome, value) = match (value, &alias) {
            (Ok(value), None) => (Outcome::pass(), Some(value)),
            (Ok(value), Some(old)) => (
                Outcome::warn(
                    Code::RENAMED,
                    format!("set as `{old}` (an old name): rename it to `{name}`"),
                ),
                Some(value),
            ),
            (Err((code, message)), None) => (Outcome::fail(code, truncate(message)), None),
            (Err((code, message)), Some(old)) => (
                Outcome::fail(
                    code,
                    truncate(format!("{message} (set as `{old}`, an old name)")),
                ),
                None,
            ),
        };
        if self.record_passes || value.is_none() {
            let name = if self.prefix.is_empty() {
                Cow::Borrowed(spec.name())
            } else {
                Cow::Owned(name.to_owned())
            };
            self.entries
                .push(ReportEntry::variable(name, field, outcome, origin));
        }
        self.name_buffer = buffer;
        value
    }

    /// The raw value of the variable `name` or, when it is absent, of one of its old names
    /// (aliases, prefixed like the name), with the full old name it was read under. The name
    /// and an alias both set, or two aliases, is a conflict.
    fn find(&self, name: &str, spec: &VarSpec) -> (Lookup<'_>, Option<String>) {
        let allow_empty = spec.allows_empty();
        let direct = self.lookup(name, allow_empty);
        if spec.aliases().is_empty() {
            return (direct, None);
        }
        let set: Vec<String> = spec
            .aliases()
            .iter()
            .map(|alias| [self.prefix.as_str(), alias].concat())
            .filter(|alias| self.is_set(alias, allow_empty))
            .collect();
        let given = matches!(direct, Lookup::Found(..) | Lookup::Unreadable(..));
        match (given, set.as_slice()) {
            (_, []) => (direct, None),
            (true, old) => (
                Lookup::Conflict(format!(
                    "set as both `{name}` and its old {} {}: remove the old one",
                    if old.len() == 1 { "name" } else { "names" },
                    quoted(old)
                )),
                None,
            ),
            (false, [old]) => match self.lookup(old, allow_empty) {
                found @ (Lookup::Found(..) | Lookup::Unreadable(..)) => (found, Some(old.clone())),
                // A `_FILE` naming an empty file: the name's own absence is the answer.
                Lookup::Empty | Lookup::Missing | Lookup::Conflict(_) => (direct, None),
            },
            (false, old) => (
                Lookup::Conflict(format!(
                    "set under several old names, {}: keep one, renamed to `{name}`",
                    quoted(old)
                )),
                None,
            ),
        }
    }

    /// Whether `name` or `name_FILE` is set (non-empty, unless empty values are allowed),
    /// without reading the file.
    fn is_set(&self, name: &str, allow_empty: bool) -> bool {
        self.source
            .get(name)
            .is_some_and(|v| allow_empty || !v.is_empty())
            || self
                .source
                .get(&format!("{name}_FILE"))
                .is_some_and(|p| !p.is_empty())
    }

    /// The raw value of `name`, from the source or, when it is unset (or empty and not
    /// allowed to be), from the file `NAME_FILE` names: how Docker and Kubernetes mount
    /// secrets. Every trailing line break (`\n`, `\r`) of the file is trimmed.
    fn lookup(&self, name: &str, allow_empty: bool) -> Lookup<'_> {
        let direct = self.source.get(name);
        let empty = direct.as_ref().is_some_and(|v| v.is_empty());
        if let Some(value) = direct.filter(|v| !v.is_empty() || allow_empty) {
            return Lookup::Found(value, self.source.origin(name));
        }
        let Some(path) = self
            .source
            .get(&format!("{name}_FILE"))
            .filter(|p| !p.is_empty())
        else {
            return if empty {
                Lookup::Empty
            } else {
                Lookup::Missing
            };
        };
        let path = std::path::PathBuf::from(path.into_owned());
        match std::fs::read(&path) {
            Ok(mut bytes) => {
                while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    bytes.pop();
                }
                if bytes.is_empty() && !allow_empty {
                    return Lookup::Empty;
                }
                Lookup::Found(Cow::Owned(os_string(bytes)), Origin::SecretFile(path))
            }
            Err(e) => Lookup::Unreadable(path, e.kind().to_string()),
        }
    }

    /// Loads a nested config struct under `prefix` (and its own prefix), chaining prefixes.
    pub fn nested<C: ReadinessContract>(
        &mut self,
        ident: &'static str,
        prefix: &'static str,
    ) -> Option<C> {
        let (prefix_len, path_len) = (self.prefix.len(), self.path.len());
        self.prefix.push_str(prefix);
        self.prefix.push_str(C::CONTRACT.prefix());
        self.path = join_path(&self.path, ident);
        let config = C::__load(self);
        self.prefix.truncate(prefix_len);
        self.path.truncate(path_len);
        config
    }
}

/// What looking a variable up found.
enum Lookup<'s> {
    Found(Cow<'s, OsStr>, Origin),
    Empty,
    Missing,
    Unreadable(std::path::PathBuf, String),
    /// The name and an old name (or two old names) are both set: the message names them.
    Conflict(String),
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> OsString {
    std::os::unix::ffi::OsStringExt::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}
