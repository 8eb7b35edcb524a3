//! What `verify` found: one [`Entry`] per variable of the contract, one per rule between
//! variables, then one per name of the files worth a word (a near miss, an unknown name under
//! the prefix, a reference that would stop the container). Serializes as the JSON of `config verify --format json`; no entry
//! ever holds a value.

use serde::Serialize;

use super::provenance::{Location, Provenance};
use super::target::Target;
use crate::status::{Code, Status};

/// How a value only known at run time is judged.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Policy {
    /// Every such value fails (`--strict`).
    pub(crate) strict: bool,
    /// A Secret or ConfigMap the workload names that is not among the files warns, as created
    /// elsewhere, rather than fails (`--allow-unverified`).
    pub(crate) allow_unverified: bool,
}

/// One line of a verification: a variable of the contract, a rule between variables (named
/// as in the running service's report, `requires:APP_TLS_CERT,APP_TLS_KEY`), or a name of the
/// files.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub(crate) name: String,
    pub(crate) field: Option<String>,
    pub(crate) status: Status,
    pub(crate) code: Option<Code>,
    pub(crate) message: Option<String>,
    pub(crate) origin: Provenance,
    pub(crate) at: Option<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) variables: Vec<String>,
}

impl Entry {
    /// The full variable name (`APP_DB_HOST`), the rule's name, or the name as the files
    /// spell it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Rust field path (`db.host`); `None` for a name of the files that is no variable.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// `pass`, `warn` (`unverified`, `renamed`, `unknown_variable`) or `fail`.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The reason code: the loader's (`missing`, `invalid`, ...), `secret_in_manifest`,
    /// `unverified`, `renamed`, `alias_conflict`, `unknown_variable`; `None` when it passes.
    pub fn code(&self) -> Option<&Code> {
        self.code.as_ref()
    }

    /// A short reason, safe to print: never a Secret's data nor a secret field's value.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Where the value comes from.
    pub fn origin(&self) -> &Provenance {
        &self.origin
    }

    /// Where the workload sets it (the `env` entry, the `envFrom` entry, the `environment`
    /// line), when it does.
    pub fn at(&self) -> Option<&Location> {
        self.at.as_ref()
    }

    /// A rule's variables, as in the running service's report: the ones it blames when it
    /// fails (the open ones when `unverified`), all of its members otherwise; empty for a
    /// variable.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }
}

/// The result of [`verify`](super::verify): for every variable of the contract, whether the
/// deploy's files provide it and with a valid value, and where from.
///
/// [`is_ok`](Self::is_ok) when no entry fails: every required variable is provided and valid
/// (a value provided at run time is a `warn`, or a failure under
/// [`strict`](super::Verifier::strict); one from a Secret or ConfigMap outside the files
/// fails unless [`allow_unverified`](super::Verifier::allow_unverified)).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verification {
    #[serde(rename = "type")]
    type_name: &'static str,
    target: Target,
    strict: bool,
    allow_unverified: bool,
    ok: bool,
    status: Status,
    entries: Vec<Entry>,
}

impl Verification {
    pub(crate) fn new(
        type_name: &'static str,
        target: Target,
        policy: Policy,
        entries: Vec<Entry>,
    ) -> Verification {
        let status = entries
            .iter()
            .map(|e| e.status)
            .max()
            .unwrap_or(Status::Pass);
        Verification {
            type_name,
            target,
            strict: policy.strict,
            allow_unverified: policy.allow_unverified,
            ok: status != Status::Fail,
            status,
            entries,
        }
    }

    /// Whether no entry fails: `config verify` exits 0.
    pub fn is_ok(&self) -> bool {
        self.ok
    }

    /// The worst status of any entry.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The Rust name of the config type.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The container, Compose service or env files verified.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Whether values provided at run time fail (`--strict`).
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Whether Secrets and ConfigMaps outside the files were allowed, as created elsewhere
    /// (`--allow-unverified`).
    pub fn allows_unverified(&self) -> bool {
        self.allow_unverified
    }

    /// Every entry: the contract's variables in declaration order, its rules, then names of
    /// the files.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry named `name`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The failing entries, in order.
    pub fn failures(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status == Status::Fail)
    }

    /// The JSON of `config verify --format json`, pretty.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| r#"{"ok":false}"#.to_owned())
    }

    /// The summary line under the table: "Config: verified ..." or "Config: not verified ...".
    pub fn summary(&self) -> String {
        let variables = self.entries.iter().filter(|e| e.field.is_some()).count();
        let failing: Vec<&str> = self.failures().map(|e| e.name.as_str()).collect();
        let unverified = |rules: bool| {
            let open = self.entries.iter();
            open.filter(|e| e.code.as_ref() == Some(&Code::UNVERIFIED))
                .filter(|e| e.variables.is_empty() != rules)
                .count()
        };
        if failing.is_empty() {
            let rules = |r: usize| {
                if r == 1 {
                    "1 rule".to_owned()
                } else {
                    format!("{r} rules")
                }
            };
            let runtime = match (unverified(false), unverified(true)) {
                (0, 0) => String::new(),
                (n, 0) => format!(" ({n} provided at run time, not verified)"),
                (0, r) => format!(" ({} waiting on run time, not verified)", rules(r)),
                (n, r) => format!(
                    " ({n} provided at run time, {} waiting on it, not verified)",
                    rules(r)
                ),
            };
            format!(
                "{}: verified for {}: all {variables} variables provided and valid{runtime}",
                self.type_name, self.target
            )
        } else {
            format!(
                "{}: not verified for {}: {} failing ({})",
                self.type_name,
                self.target,
                failing.len(),
                failing.join(", ")
            )
        }
    }
}
