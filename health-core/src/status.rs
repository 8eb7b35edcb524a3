//! Status levels and stable reason codes.

use std::borrow::Cow;
use std::fmt;

#[cfg(feature = "json")]
use serde::{Serialize, Serializer};

/// The status of one check or of a whole report, ordered from best to worst.
///
/// `Pass` and `Warn` (degraded) are served as HTTP 200, `Fail` as 503.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The check holds.
    Pass,
    /// Degraded: something is wrong but the service can still take traffic.
    Warn,
    /// The check fails: not ready.
    Fail,
}

impl Status {
    /// The lowercase name used in every output format: `pass`, `warn` or `fail`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }

    /// The HTTP status code a probe answers with: 200 for pass and warn, 503 for fail.
    pub const fn http_status(self) -> u16 {
        match self {
            Status::Pass | Status::Warn => 200,
            Status::Fail => 503,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable snake_case reason code, such as `missing` or `timeout`.
///
/// Codes are meant to be searched, graphed and alerted on, so they never carry a value.
/// The built-in ones are associated constants; [`Code::new`] makes your own.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Code(Cow<'static, str>);

impl Code {
    /// The variable is not set.
    pub const MISSING: Code = Code::from_static("missing");
    /// The variable is set but empty, and the field is required without `allow_empty` (an
    /// empty optional or defaulted variable reads as absent).
    pub const EMPTY: Code = Code::from_static("empty");
    /// The value did not parse into the field's type.
    pub const INVALID: Code = Code::from_static("invalid");
    /// A string `default` did not parse into the field's type, or a default breaks the
    /// field's `range`, `one_of` or `len` (only ones the macro cannot check at compile time).
    pub const INVALID_DEFAULT: Code = Code::from_static("invalid_default");
    /// A constraint (`range`, `one_of`, `len`) or a validator refused the value.
    pub const REJECTED: Code = Code::from_static("rejected");
    /// The value is not valid UTF-8 and the field's type needs text.
    pub const NOT_UNICODE: Code = Code::from_static("not_unicode");
    /// A variable is set under an old name (`#[contract(alias = "..")]`): a `warn` naming the
    /// new one.
    pub const RENAMED: Code = Code::from_static("renamed");
    /// A deprecated variable is set (`#[contract(deprecated = "..")]`): a `warn` saying why it
    /// is going away.
    pub const DEPRECATED: Code = Code::from_static("deprecated");
    /// A variable is set under both its name and an old name (an alias): which one is meant?
    pub const ALIAS_CONFLICT: Code = Code::from_static("alias_conflict");
    /// A variable carries the contract's prefix but belongs to no field: a `warn`, or a
    /// failure with `#[contract(deny_unknown)]`.
    pub const UNKNOWN_VARIABLE: Code = Code::from_static("unknown_variable");
    /// `config verify`: a secret field is given as a literal `value:` in a manifest (a
    /// credential in git).
    pub const SECRET_IN_MANIFEST: Code = Code::from_static("secret_in_manifest");
    /// `config verify`: the value comes from something only known at run time (a Secret or
    /// ConfigMap outside the files, a `fieldRef`): provided, not verified.
    pub const UNVERIFIED: Code = Code::from_static("unverified");

    /// A rule between variables found variables set together that exclude each other
    /// (`conflicts`, `at_most_one_of`, `exactly_one_of`), or a variable set both directly and
    /// through its `NAME_FILE`.
    pub const CONFLICT: Code = Code::from_static("conflict");
    /// A rule between variables was not checked because a variable it reads did not load (a
    /// `warn`: that variable's own entry is the failure).
    pub const SKIPPED: Code = Code::from_static("skipped");
    /// A variable of an optional group that is switched off is set (a `warn`): it is not read.
    pub const IGNORED: Code = Code::from_static("ignored");
    /// A `required_if` value that does not parse as its field's type: the rule cannot be
    /// checked.
    pub const INVALID_RULE: Code = Code::from_static("invalid_rule");

    /// The file named by `NAME_FILE` cannot be read.
    pub const UNREADABLE_FILE: Code = Code::from_static("unreadable_file");
    /// A check did not answer within its timeout.
    pub const TIMEOUT: Code = Code::from_static("timeout");
    /// A dependency refused the connection.
    pub const CONNECTION_REFUSED: Code = Code::from_static("connection_refused");
    /// A dependency refused our credentials.
    pub const AUTH_FAILED: Code = Code::from_static("auth_failed");
    /// Database migrations are not all applied.
    pub const MIGRATION_PENDING: Code = Code::from_static("migration_pending");
    /// An HTTP dependency answered with a status we did not expect.
    pub const UNEXPECTED_STATUS: Code = Code::from_static("unexpected_status");
    /// A check panicked.
    pub const PANICKED: Code = Code::from_static("panicked");
    /// The service is still starting (grace period or startup checks).
    pub const STARTING: Code = Code::from_static("starting");
    /// The service is shutting down: readiness fails so traffic drains.
    pub const SHUTTING_DOWN: Code = Code::from_static("shutting_down");
    /// A liveness heartbeat has been silent for longer than allowed.
    pub const STALLED: Code = Code::from_static("stalled");
    /// A queue's backlog is older than its threshold.
    pub const QUEUE_LAG: Code = Code::from_static("queue_lag");
    /// A passive check's circuit is open: the dependency's real calls failed (consecutive
    /// failures, a failure rate, or a failed trial call), so calls are short-circuited until
    /// the open time is over.
    pub const CIRCUIT_OPEN: Code = Code::from_static("circuit_open");
    /// A passive check's circuit is half-open (a `warn`): the open time is over and the next
    /// few real calls decide whether it closes or opens again.
    pub const CIRCUIT_HALF_OPEN: Code = Code::from_static("circuit_half_open");
    /// Calls to a dependency kept being made but none succeeded for the configured time (a
    /// passive check's circuit opened for it).
    pub const NO_SUCCESS: Code = Code::from_static("no_success");
    /// A call succeeded but slower than its slow-call threshold: counted as a failure.
    pub const SLOW_CALL: Code = Code::from_static("slow_call");
    /// A check has not produced a result yet.
    pub const UNKNOWN: Code = Code::from_static("unknown");
    /// A check failed without a more precise code.
    pub const ERROR: Code = Code::from_static("error");

    /// A code from a static snake_case string, taken as it is (not normalised: use
    /// [`Code::new`] for text that may not be snake_case).
    pub const fn from_static(code: &'static str) -> Code {
        Code(Cow::Borrowed(code))
    }

    /// A code of your own. It is normalised to snake_case (`DB Timeout` becomes `db_timeout`)
    /// so that every code in every output has the same shape.
    pub fn new(code: impl Into<Cow<'static, str>>) -> Code {
        let code = code.into();
        let is_snake = !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if is_snake {
            return Code(code);
        }
        let mut out = String::with_capacity(code.len());
        for c in code.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
        while out.ends_with('_') {
            out.pop();
        }
        if out.is_empty() {
            out.push_str("unknown");
        }
        Code(Cow::Owned(out))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// `pass`, `warn` or `fail`.
#[cfg(feature = "json")]
impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "json")]
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_become_snake_case() {
        assert_eq!(Code::new("db_timeout"), "db_timeout");
        assert_eq!(Code::new("DB Timeout!"), "db_timeout");
        assert_eq!(Code::new("QUEUE-AUTH-FAILED"), "queue_auth_failed");
        assert_eq!(Code::new("--"), "unknown");
    }

    #[test]
    fn fail_is_worst_and_maps_to_503() {
        assert!(Status::Fail > Status::Warn && Status::Warn > Status::Pass);
        assert_eq!(Status::Warn.http_status(), 200);
        assert_eq!(Status::Fail.http_status(), 503);
    }
}
