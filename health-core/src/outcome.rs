//! What one check found: a run of a dependency check, or a config variable's check.

use std::borrow::Cow;
use std::fmt::Display;

#[cfg(feature = "runtime")]
use crate::passive::CircuitSummary;
use crate::status::{Code, Status};

/// The result of one check (a run of a dependency check, or a config variable's check): a
/// status, a stable code, a short safe message, and optionally the raw error text and a
/// measured value.
///
/// The message is public (it goes into HTTP bodies); the detail is private (it goes to logs,
/// once per state change, and to the opt-in detailed view), so a driver's error holding a
/// connection string never reaches a probe's body.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    status: Status,
    code: Option<Code>,
    message: Option<Cow<'static, str>>,
    detail: Option<String>,
    observed: Option<Observed>,
    operation: Option<Cow<'static, str>>,
    /// Boxed: only passive checks have one, and it keeps every other outcome small.
    #[cfg(feature = "runtime")]
    circuit: Option<Box<CircuitSummary>>,
}

/// A measured value, shown as health+json's `observedValue` and `observedUnit`.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The value, e.g. a backlog age.
    pub value: f64,
    /// Its unit, e.g. `s` or `ms`.
    pub unit: &'static str,
}

impl Outcome {
    /// The dependency works.
    pub fn pass() -> Outcome {
        Outcome {
            status: Status::Pass,
            code: None,
            message: None,
            detail: None,
            observed: None,
            operation: None,
            #[cfg(feature = "runtime")]
            circuit: None,
        }
    }

    /// Degraded: the service still takes traffic.
    pub fn warn(code: Code, message: impl Into<Cow<'static, str>>) -> Outcome {
        Outcome {
            status: Status::Warn,
            code: Some(code),
            message: Some(message.into()),
            ..Outcome::pass()
        }
    }

    /// The dependency does not work.
    pub fn fail(code: Code, message: impl Into<Cow<'static, str>>) -> Outcome {
        Outcome {
            status: Status::Fail,
            code: Some(code),
            message: Some(message.into()),
            ..Outcome::pass()
        }
    }

    /// Attaches the raw error text: logged once per state change, and in a body only through
    /// the opt-in detailed view ([`HealthBuilder::expose_details`] and `?detail`).
    ///
    /// [`HealthBuilder::expose_details`]: crate::HealthBuilder::expose_details
    pub fn with_detail(mut self, detail: impl Display) -> Outcome {
        self.detail = Some(detail.to_string());
        self
    }

    /// Attaches a measured value (`observedValue`, `observedUnit`).
    pub fn with_observed(mut self, value: f64, unit: &'static str) -> Outcome {
        self.observed = Some(Observed { value, unit });
        self
    }

    /// Names the operation on the dependency that this outcome is about: `connect`, `auth`,
    /// `query`, `publish`, `consume`, `request`... so a failure says what failed, not only why
    /// (the code). Use a stable lowercase word from a small fixed set: it is a metric label.
    /// The built-in checks name theirs on every failure (see [`checks`](crate::checks)) and
    /// none when passing; do the same.
    ///
    /// Shown as `"operation"` in the `application/health+json` body, as the `operation` field
    /// of the state-change `tracing` event, and (feature `prometheus`) as the `operation`
    /// label of `health_check_failures_total`. Not in the Kubernetes `?verbose` text, which
    /// withholds every reason.
    ///
    /// ```
    /// # use health_core as health;
    /// use health::{Code, Outcome};
    ///
    /// // A check that enqueues a job: the broker took the connection, refused the message.
    /// let outcome = Outcome::fail(Code::new("queue_rejected"), "the broker rejected the job")
    ///     .with_operation("publish");
    /// assert_eq!(outcome.operation(), Some("publish"));
    /// assert_eq!(Outcome::pass().operation(), None);
    /// ```
    pub fn with_operation(mut self, operation: impl Into<Cow<'static, str>>) -> Outcome {
        self.operation = Some(operation.into());
        self
    }

    /// Attaches a circuit breaker's state and counts, shown as the `circuit` object in the
    /// JSON body (what a passive check reports).
    #[cfg(feature = "runtime")]
    pub fn with_circuit(mut self, circuit: CircuitSummary) -> Outcome {
        self.circuit = Some(Box::new(circuit));
        self
    }

    /// The circuit breaker's state and counts, for a passive check.
    #[cfg(feature = "runtime")]
    pub fn circuit(&self) -> Option<&CircuitSummary> {
        self.circuit.as_deref()
    }

    /// The operation this outcome is about, if the check named one.
    pub fn operation(&self) -> Option<&str> {
        self.operation.as_deref()
    }

    /// `pass`, `warn` or `fail`.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The stable code; `None` when passing.
    pub fn code(&self) -> Option<&Code> {
        self.code.as_ref()
    }

    /// The short safe message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The raw error text, if any (private).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The measured value, if any.
    pub fn observed(&self) -> Option<&Observed> {
        self.observed.as_ref()
    }

    /// The same outcome with another status (used for criticality and thresholds).
    #[cfg(feature = "runtime")]
    pub(crate) fn with_status(mut self, status: Status) -> Outcome {
        self.status = status;
        self
    }
}

/// `Ok(())` passes; `Err(e)` fails with code `error`, a generic message, and `e` as the
/// private detail.
impl<E: Display> From<Result<(), E>> for Outcome {
    fn from(result: Result<(), E>) -> Outcome {
        match result {
            Ok(()) => Outcome::pass(),
            Err(e) => Outcome::fail(Code::ERROR, "the check returned an error").with_detail(e),
        }
    }
}
