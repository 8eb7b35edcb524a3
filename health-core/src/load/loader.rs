//! The loader the derive drives: one call per field reads, parses and checks one variable and
//! records its entry.
//!
//! Only `Loader::field` is generic, over the field's type (not over the field): a call
//! passes plain functions (`from_str::<u16>`, `string`), never a closure of its own, so a
//! 100-field config of `u32` and `String` instantiates it twice. Reading, messages and
//! recording are not generic at all.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use super::message::{default_breaks, quoted, truncate, withheld};
use super::snapshot::Reader;
use super::{ReadinessContract, Refusal};
use crate::constraint;
use crate::contract::{Contract, Requirement, VarSpec, join_path};
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::source::Origin;
use crate::status::Code;
use crate::value::{self, ValueError};

/// How a field's raw value becomes its type: one of the `value` rules as a plain function.
#[doc(hidden)]
pub type Parse<T> = for<'a> fn(Cow<'a, OsStr>) -> Result<T, ValueError>;

/// A check of a field's typed value (its `range`): `Err` is the message.
#[doc(hidden)]
pub type Check<T> = fn(&T) -> Result<(), String>;

/// A field's `validate`: `Err` rejects the value or accepts it with a warning.
#[doc(hidden)]
pub type Validate<T> = fn(&T) -> Result<(), Refusal>;

/// What a variable's value is when the variable is absent (or empty and not allowed to be).
#[doc(hidden)]
pub enum IfAbsent<'d, T> {
    /// None: fail with `missing` or `empty`.
    Fail,
    /// This value (a typed `default = expr`).
    Value(fn() -> T),
    /// This text parsed like a value (`default = "2s"`); failing is `invalid_default`.
    Parse(&'static str),
    /// Computed from other fields (`default_from`); `None` when one of them did not load.
    Derived(&'d dyn Fn() -> Option<T>),
}

/// A failure's code and message, before it becomes an entry.
type Failure = (Code, String);

/// Walks a config's fields for the generated code, collecting one entry per variable (only
/// the failing ones for a load).
#[doc(hidden)]
pub struct Loader<'s> {
    /// Where the values come from.
    reader: Reader<'s>,
    /// The prefix of the variables being read (the config's, then each nested struct's).
    prefix: Cow<'static, str>,
    /// The field path of the struct being read (`db` for `Config.db`), empty at the top.
    path: Cow<'static, str>,
    pub(super) entries: Vec<ReportEntry>,
    /// Whether passing variables get an entry too (reports), or only failures (loads).
    record_passes: bool,
    /// Whether a plain variable may take the quick way: a load (not a report) that need not
    /// look for `NAME_FILE` beside each set `NAME`.
    quick: bool,
    /// The full name of the variable being read, when a prefix makes it differ from its
    /// spec's name (a reused buffer: a passing variable of a load allocates nothing).
    name: String,
    /// Where the variable being read was found.
    via: Via,
    /// The full old name it was read under, when it was an alias.
    alias: Option<String>,
    /// When an old value read under an old name was mapped to its new one: what the
    /// `renamed` message adds.
    mapped: Option<String>,
    /// Inside an optional group that is on: why, for the message of a missing variable.
    group: Option<String>,
    /// Whether to look for `NAME_FILE` beside each set `NAME` (both set is a conflict): not
    /// where the source says no name ends in `_FILE`, and not in the quick load of a small
    /// config from the process environment, where each lookup scans the whole environment
    /// (it would double the load's cost; `health::load` and the reports look).
    file_twins: bool,
}

/// Where the variable being read was found: turned into an [`Origin`] only when recorded.
enum Via {
    /// Nowhere: an absent `Option`.
    Nothing,
    /// The source, under the name or the alias.
    Source,
    /// The file its `NAME_FILE` names.
    File(PathBuf),
    /// The field's default.
    Default,
}

/// What reading a variable found.
enum Read<'s> {
    Value(Cow<'s, OsStr>),
    Absent(Absence),
    Failed(Failure),
}

#[derive(Clone, Copy)]
enum Absence {
    Missing,
    Empty,
}

impl<'s> Loader<'s> {
    pub(super) fn new(reader: Reader<'s>, contract: &Contract, record_passes: bool) -> Loader<'s> {
        let file_twins = match reader {
            Reader::Process => false,
            Reader::Source(source) => source.has_file_names(),
        };
        Loader {
            reader,
            prefix: Cow::Borrowed(contract.prefix()),
            path: Cow::Borrowed(""),
            entries: if record_passes {
                Vec::with_capacity(contract.variable_count())
            } else {
                Vec::new()
            },
            record_passes,
            quick: !record_passes && !file_twins,
            name: String::new(),
            via: Via::Nothing,
            alias: None,
            mapped: None,
            group: None,
            file_twins,
        }
    }

    /// Reads under `prefix` (every prefix of the variables' struct) rather than the
    /// contract's: one nested variable alone, for [`Loaded::value`](super::Loaded::value).
    pub(super) fn under(mut self, prefix: &str) -> Loader<'s> {
        self.prefix = Cow::Owned(prefix.to_owned());
        self
    }

    /// The prefix of the struct being read.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether passing entries are recorded (a report) or only failures (a load).
    pub(super) fn records_passes(&self) -> bool {
        self.record_passes
    }

    /// Records an entry.
    pub(super) fn push(&mut self, entry: ReportEntry) {
        self.entries.push(entry);
    }

    /// Whether a failing entry named `name` was recorded.
    pub(super) fn has_failure(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.name() == name && e.status() == crate::status::Status::Fail)
    }

    /// The field path of the struct being read (`storage`), empty at the top.
    pub(super) fn path(&self) -> &str {
        &self.path
    }

    /// The field path of `ident` in the struct being read.
    pub(super) fn field_path(&self, ident: &'static str) -> String {
        join_path(&self.path, ident)
    }

    /// Enters an optional group that is on (`why` says so in a missing variable's message);
    /// returns the outer group's, for [`leave_group`](Self::leave_group).
    pub(super) fn enter_group(&mut self, why: String) -> Option<String> {
        self.group.replace(why)
    }

    /// Leaves the optional group entered last.
    pub(super) fn leave_group(&mut self, outer: Option<String>) {
        self.group = outer;
    }

    /// A field of type `T`: reads, parses (`parse`), applies `range`, the text rules and
    /// `validate`, and records the entry (a load records failures only).
    #[inline]
    pub fn scalar<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: Parse<T>,
        if_absent: IfAbsent<'_, T>,
        range: Option<Check<T>>,
        validate: Option<Validate<T>>,
    ) -> Option<T> {
        self.field(spec, ident, parse, if_absent, range, validate)
    }

    /// An `Option<T>` field: `None` when the variable is absent.
    #[inline]
    pub fn optional<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: Parse<T>,
        range: Option<Check<Option<T>>>,
        validate: Option<Validate<Option<T>>>,
    ) -> Option<Option<T>> {
        self.or_none(spec, ident, parse, range, validate)
    }

    /// A `Vec<T>` field: the value split on the spec's separator, each item parsed.
    #[inline]
    pub fn list<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: Parse<T>,
        if_absent: IfAbsent<'_, Vec<T>>,
        range: Option<Check<Vec<T>>>,
        validate: Option<Validate<Vec<T>>>,
    ) -> Option<Vec<T>> {
        self.field(spec, ident, items(spec, parse), if_absent, range, validate)
    }

    /// An `Option<Vec<T>>` field.
    #[inline]
    pub fn optional_list<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: Parse<T>,
        range: Option<Check<Option<Vec<T>>>>,
        validate: Option<Validate<Option<Vec<T>>>>,
    ) -> Option<Option<Vec<T>>> {
        self.or_none(spec, ident, items(spec, parse), range, validate)
    }

    /// Loads a nested config struct under `prefix` (and its own prefix), chaining prefixes.
    pub fn nested<C: ReadinessContract>(
        &mut self,
        ident: &'static str,
        prefix: &'static str,
    ) -> Option<C> {
        let inner_prefix = chained(self.prefix.clone(), "", prefix);
        let inner_prefix = chained(inner_prefix, "", C::CONTRACT.prefix());
        let inner_path = chained(self.path.clone(), ".", ident);
        let outer_prefix = std::mem::replace(&mut self.prefix, inner_prefix);
        let outer_path = std::mem::replace(&mut self.path, inner_path);
        let config = C::__load(self);
        self.prefix = outer_prefix;
        self.path = outer_path;
        config
    }

    /// [`field`](Self::field) of an `Option`: `Some` of what `parse` gives, `None` when absent.
    #[inline]
    fn or_none<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: impl Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
        range: Option<Check<Option<T>>>,
        validate: Option<Validate<Option<T>>>,
    ) -> Option<Option<T>> {
        let parse = |raw: Cow<'_, OsStr>| parse(raw).map(Some);
        self.field(
            spec,
            ident,
            parse,
            IfAbsent::Value(|| None),
            range,
            validate,
        )
    }

    /// The one generic step: read, parse, check, record. A variable that passes a load the
    /// plain way (set under its name, no old names, no text rules, no `NAME_FILE` to look
    /// for beside it) takes the quick path: a
    /// lookup and the parser, as hand-written code does. Anything else, a failure included,
    /// goes the full way, which reads it again and records what it finds.
    #[inline(always)]
    fn field<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: impl Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
        if_absent: IfAbsent<'_, T>,
        range: Option<Check<T>>,
        validate: Option<Validate<T>>,
    ) -> Option<T> {
        if let Some(raw) = self.quick_read(spec)
            && let Ok(value) = parse(raw)
            && range.is_none_or(|check| check(&value).is_ok())
            && validate.is_none_or(|check| check(&value).is_ok())
        {
            return Some(value);
        }
        // A copy for the full way: the quick way's `parse` never has its address taken, so
        // the compiler calls the parser directly rather than through memory.
        let full = parse;
        self.full_field(spec, ident, &full, if_absent, range, validate)
    }

    /// The raw value of a variable a load can take the quick way: set (and non-empty unless
    /// allowed) under its own name, with no old names and no text rules, from a source that
    /// holds no `NAME_FILE` (or is the process environment, read once per variable).
    #[inline(always)]
    fn quick_read(&mut self, spec: &'static VarSpec) -> Option<Cow<'s, OsStr>> {
        if !self.quick || !spec.is_plain() {
            return None;
        }
        self.name_variable(spec);
        self.reader
            .get(self.full_name(spec))
            .filter(|value| !value.is_empty() || spec.allows_empty())
    }

    /// [`field`](Self::field) the full way: cold, so the compiler keeps its calls out of the
    /// quick way's instructions.
    #[cold]
    #[inline(never)]
    pub(super) fn full_field<T>(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        parse: &dyn Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
        if_absent: IfAbsent<'_, T>,
        range: Option<Check<T>>,
        validate: Option<Validate<T>>,
    ) -> Option<T> {
        let value = match self.read(spec) {
            Read::Value(raw) => {
                // The text rules read the text before the parser takes it, and are reported
                // after it: parse, then constraints.
                let text = text_rules(spec, &raw);
                match parse(raw) {
                    Ok(value) => checked(value, range, text).map_err(rejected),
                    Err(error) => Err(unparsed(spec, error)),
                }
            }
            Read::Absent(absence) => match if_absent {
                IfAbsent::Fail => Err(self.in_group(absent(absence))),
                IfAbsent::Value(default) => {
                    // An absent optional has no origin: nothing was used.
                    if spec.requirement() == Requirement::Default {
                        self.via = Via::Default;
                    }
                    // `one_of` and `len` of a literal default are checked at compile time.
                    checked(default(), range, None).map_err(|rule| default_breaks(spec, &rule))
                }
                IfAbsent::Derived(compute) => match compute() {
                    Some(value) => {
                        self.via = Via::Default;
                        checked(value, range, None).map_err(|rule| default_breaks(spec, &rule))
                    }
                    None => Err(self.not_derived(spec)),
                },
                IfAbsent::Parse(text) => {
                    self.via = Via::Default;
                    let raw = OsStr::new(text);
                    let rules = text_rules(spec, raw);
                    match parse(Cow::Borrowed(raw)) {
                        Ok(value) => {
                            checked(value, range, rules).map_err(|rule| default_breaks(spec, &rule))
                        }
                        Err(error) => Err(unparsed_default(spec, &error)),
                    }
                }
            },
            Read::Failed(failure) => Err(failure),
        };
        let (value, warning) = match (value, validate) {
            (Ok(value), Some(validate)) => match validate(&value) {
                Ok(()) => (Ok(value), None),
                Err(Refusal::Reject(message)) => (Err(invalid_by_validator(spec, message)), None),
                Err(Refusal::Warn(warning)) => (Ok(value), Some(warned(spec, warning))),
            },
            (value, _) => (value, None),
        };
        match value {
            Ok(value) => {
                if self.record_passes {
                    self.record(spec, ident, Ok(warning));
                }
                Some(value)
            }
            Err(failure) => {
                self.record(spec, ident, Err(failure));
                None
            }
        }
    }

    /// Writes the full name of `spec`'s variable in the name buffer when a prefix makes it
    /// differ from its spec's name (no allocation once the buffer has grown).
    #[inline(always)]
    fn name_variable(&mut self, spec: &'static VarSpec) {
        if self.is_prefixed(spec) {
            self.name.clear();
            self.name.push_str(&self.prefix);
            self.name.push_str(spec.name());
        }
    }

    /// The full name of the variable being read (after [`name_variable`](Self::name_variable)).
    fn full_name(&self, spec: &'static VarSpec) -> &str {
        if self.is_prefixed(spec) {
            &self.name
        } else {
            spec.name()
        }
    }

    /// Whether `spec`'s full name differs from its name: a prefix applies and the variable
    /// takes prefixes (`no_prefix` does not).
    #[inline(always)]
    fn is_prefixed(&self, spec: &'static VarSpec) -> bool {
        !self.prefix.is_empty() && !spec.is_unprefixed()
    }

    /// The prefix of `spec`'s variable: the struct's, or none for a `no_prefix` variable.
    pub(super) fn prefix_of(&self, spec: &'static VarSpec) -> &str {
        spec.prefix_in(&self.prefix)
    }

    /// Reads the raw value of `spec`'s variable or, when it is absent, of one of its old
    /// names (aliases, prefixed like the name); notes where it was found. The name and an
    /// alias both set, or two aliases, is a conflict.
    fn read(&mut self, spec: &'static VarSpec) -> Read<'s> {
        self.via = Via::Nothing;
        self.alias = None;
        self.mapped = None;
        self.name_variable(spec);
        let allow_empty = spec.allows_empty();
        let name = self.full_name(spec);
        let (read, via) = self.lookup(name, allow_empty);
        if spec.aliases().is_empty() {
            self.via = via;
            return read;
        }
        let set: Vec<String> = spec
            .aliases()
            .iter()
            .map(|alias| [self.prefix_of(spec), alias].concat())
            .filter(|alias| self.is_set(alias, allow_empty))
            .collect();
        let given = matches!(read, Read::Value(_) | Read::Failed(_));
        let conflict = match (given, set.as_slice()) {
            (_, []) => None,
            (true, old) => Some(format!(
                "set as both `{name}` and its old {} {}: remove the old one",
                if old.len() == 1 { "name" } else { "names" },
                quoted(old)
            )),
            (false, [old]) => {
                match self.lookup(old, allow_empty) {
                    (Read::Value(raw), via) => {
                        self.via = via;
                        self.alias = Some(old.clone());
                        return Read::Value(self.map_old_value(spec, raw));
                    }
                    (found @ Read::Failed(_), via) => {
                        self.via = via;
                        self.alias = Some(old.clone());
                        return found;
                    }
                    // A `_FILE` naming an empty file: the name's own absence is the answer.
                    (Read::Absent(_), _) => None,
                }
            }
            (false, old) => Some(format!(
                "set under several old names, {}: keep one, renamed to `{name}`",
                quoted(old)
            )),
        };
        match conflict {
            Some(message) => Read::Failed((Code::ALIAS_CONFLICT, message)),
            None => {
                self.via = via;
                read
            }
        }
    }

    /// The new value of an old one read under an old name (`old_values`), noting the change
    /// for the `renamed` message (without the values of a secret).
    fn map_old_value(&mut self, spec: &'static VarSpec, raw: Cow<'s, OsStr>) -> Cow<'s, OsStr> {
        let Some((old, new)) = spec
            .old_values()
            .iter()
            .find(|(old, _)| &*raw == OsStr::new(old))
        else {
            return raw;
        };
        self.mapped = Some(if spec.is_secret() {
            ", and write its value the new way".to_owned()
        } else {
            format!(", and write `{old}` as `{new}`")
        });
        Cow::Borrowed(OsStr::new(new))
    }

    /// The entry of a derived default that could not be computed: a field it is derived from
    /// did not load.
    fn not_derived(&self, spec: &'static VarSpec) -> Failure {
        let from: Vec<String> = spec
            .derived_from()
            .iter()
            .map(|source| format!("`{}{}`", self.prefix_of(source), source.name()))
            .collect();
        (
            Code::SKIPPED,
            format!(
                "not computed: its default is derived from {}, which did not load",
                crate::rule::and(&from)
            ),
        )
    }

    /// A missing variable's failure, saying why it is required inside an optional group.
    fn in_group(&self, (code, message): Failure) -> Failure {
        match &self.group {
            Some(why) => (code, format!("{message}: {why}")),
            None => (code, message),
        }
    }

    /// Whether `name` or `name_FILE` is set (non-empty, unless empty values are allowed),
    /// without reading the file.
    pub(super) fn is_set(&self, name: &str, allow_empty: bool) -> bool {
        self.reader
            .get(name)
            .is_some_and(|v| allow_empty || !v.is_empty())
            || self
                .reader
                .get(&format!("{name}_FILE"))
                .is_some_and(|p| !p.is_empty())
    }

    /// Whether `name_FILE` is set too (non-empty), when the loader looks: with `name` set,
    /// which one holds is ambiguous.
    fn file_twin_set(&self, name: &str) -> bool {
        self.file_twins
            && self
                .reader
                .get(&format!("{name}_FILE"))
                .is_some_and(|path| !path.is_empty())
    }

    /// The raw value of `name`, from the source or, when it is unset (or empty and not
    /// allowed to be), from the file `NAME_FILE` names: how Docker and Kubernetes mount
    /// secrets. Every trailing line break (`\n`, `\r`) of the file is trimmed.
    fn lookup(&self, name: &str, allow_empty: bool) -> (Read<'s>, Via) {
        let reader = self.reader;
        let direct = reader.get(name);
        let empty = direct.as_ref().is_some_and(|v| v.is_empty());
        if let Some(value) = direct.filter(|v| !v.is_empty() || allow_empty) {
            if self.file_twin_set(name) {
                let message = format!("set as both `{name}` and `{name}_FILE`: keep one");
                return (Read::Failed((Code::CONFLICT, message)), Via::Source);
            }
            return (Read::Value(value), Via::Source);
        }
        let absent = if empty {
            Absence::Empty
        } else {
            Absence::Missing
        };
        let Some(path) = reader
            .get(&format!("{name}_FILE"))
            .filter(|p| !p.is_empty())
        else {
            return (Read::Absent(absent), Via::Nothing);
        };
        let path = PathBuf::from(path.into_owned());
        match std::fs::read(&path) {
            Ok(mut bytes) => {
                while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    bytes.pop();
                }
                if bytes.is_empty() && !allow_empty {
                    return (Read::Absent(Absence::Empty), Via::Nothing);
                }
                (Read::Value(Cow::Owned(os_string(bytes))), Via::File(path))
            }
            Err(e) => {
                let message = format!("cannot read {name}_FILE {}: {}", path.display(), e.kind());
                (
                    Read::Failed((Code::UNREADABLE_FILE, message)),
                    Via::File(path),
                )
            }
        }
    }

    /// Records the entry of the variable just read: passing (or renamed, warned, deprecated),
    /// or failing.
    fn record(
        &mut self,
        spec: &'static VarSpec,
        ident: &'static str,
        verdict: Result<Option<Failure>, Failure>,
    ) {
        let via = std::mem::replace(&mut self.via, Via::Nothing);
        let mapped = self.mapped.take().unwrap_or_default();
        let name = self.full_name(spec);
        let set = matches!(via, Via::Source | Via::File(_));
        let outcome = match (verdict, &self.alias) {
            (Ok(_), Some(old)) => Outcome::warn(
                Code::RENAMED,
                format!("set as `{old}` (an old name): rename it to `{name}`{mapped}"),
            ),
            (Ok(Some((code, message))), None) => Outcome::warn(code, truncate(message)),
            (Ok(None), None) => match spec.deprecated() {
                Some(why) if set => {
                    Outcome::warn(Code::DEPRECATED, truncate(format!("deprecated: {why}")))
                }
                _ => Outcome::pass(),
            },
            // A derived default whose inputs did not load: their entries are the failures.
            (Err((code, message)), None) if code == Code::SKIPPED => Outcome::warn(code, message),
            (Err((code, message)), None) => Outcome::fail(code, truncate(message)),
            (Err((code, message)), Some(old)) => Outcome::fail(
                code,
                truncate(format!("{message} (set as `{old}`, an old name)")),
            ),
        };
        let origin = match via {
            Via::Nothing => None,
            Via::Source => Some(
                self.reader
                    .source()
                    .origin(self.alias.as_deref().unwrap_or(name)),
            ),
            Via::File(path) => Some(Origin::SecretFile(path)),
            Via::Default => Some(Origin::Default),
        };
        let name = if self.is_prefixed(spec) {
            Cow::Owned(self.name.clone())
        } else {
            Cow::Borrowed(spec.name())
        };
        let field = if self.path.is_empty() {
            Cow::Borrowed(ident)
        } else {
            Cow::Owned(join_path(&self.path, ident))
        };
        self.entries
            .push(ReportEntry::variable(name, field, outcome, origin));
    }
}

/// `outer`, `separator` and `inner` joined, or (without allocating) `inner` alone when
/// `outer` is empty, `outer` alone when `inner` is.
#[inline]
fn chained(outer: Cow<'static, str>, separator: &str, inner: &'static str) -> Cow<'static, str> {
    match (outer.is_empty(), inner.is_empty()) {
        (true, _) => Cow::Borrowed(inner),
        (false, true) => outer,
        (false, false) => Cow::Owned([&outer, separator, inner].concat()),
    }
}

/// A list's parser: the value split on `spec`'s separator (`,` by default), each item parsed
/// by `parse`.
fn items<T>(
    spec: &'static VarSpec,
    parse: Parse<T>,
) -> impl Fn(Cow<'_, OsStr>) -> Result<Vec<T>, ValueError> {
    let separator = spec.split().unwrap_or(",");
    move |raw: Cow<'_, OsStr>| value::list(&raw, separator, parse)
}

/// The verdict of `spec`'s text rules (`one_of`, `len`) on `raw`, when it has any.
fn text_rules(spec: &VarSpec, raw: &OsStr) -> Option<Result<(), String>> {
    constraint::has_text_rules(spec).then(|| constraint::check_text(spec, raw))
}

/// Applies the constraints after a value parsed: its `range`, then the verdict of its text
/// rules, read before the parser took the text. `Err` is the broken rule.
fn checked<T>(
    value: T,
    range: Option<Check<T>>,
    text: Option<Result<(), String>>,
) -> Result<T, String> {
    if let Some(check) = range {
        check(&value)?;
    }
    text.unwrap_or(Ok(())).map(|()| value)
}

fn rejected(rule: String) -> Failure {
    (Code::REJECTED, rule)
}

fn absent(absence: Absence) -> Failure {
    match absence {
        Absence::Empty => (Code::EMPTY, "variable is set but empty".to_owned()),
        Absence::Missing => (Code::MISSING, "required variable is not set".to_owned()),
    }
}

/// A value that does not parse: the parser's message, withheld for a secret (it may quote
/// the value).
fn unparsed(spec: &VarSpec, error: ValueError) -> Failure {
    let message = if spec.is_secret() {
        withheld(error.code())
    } else {
        error.message().to_owned()
    };
    (error.code().clone(), message)
}

fn unparsed_default(spec: &VarSpec, error: &ValueError) -> Failure {
    let message = match spec.default() {
        Some(shown) if !spec.is_secret() => {
            format!("default `{shown}` does not parse: {}", error.message())
        }
        _ => withheld(&Code::INVALID_DEFAULT),
    };
    (Code::INVALID_DEFAULT, message)
}

/// A validator's warning: its code and message, withheld for a secret (it may quote the
/// value).
fn warned(spec: &VarSpec, warning: super::Warning) -> Failure {
    let message = if spec.is_secret() {
        withheld(warning.code())
    } else {
        warning.message().to_owned()
    };
    (warning.code().clone(), message)
}

fn invalid_by_validator(spec: &VarSpec, message: String) -> Failure {
    if spec.is_secret() {
        (Code::REJECTED, withheld(&Code::REJECTED))
    } else {
        (Code::REJECTED, message)
    }
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> OsString {
    std::os::unix::ffi::OsStringExt::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}
