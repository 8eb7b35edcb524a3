//! The loader's side of rules between variables and optional groups: what the generated code
//! passes in (presence, a `required_if` comparison, a `check`'s verdict) and how each rule
//! becomes one named entry of the report, blaming variables.

use std::borrow::Cow;
use std::ffi::OsStr;

use super::Refusal;
use super::loader::{Loader, Parse};
use super::message::{truncate, withheld};
use super::parse::Nested;
use crate::contract::{Contract, Field, FieldKind};
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::rule::{RuleKind, RuleSpec, and, rule_name};
use crate::status::Code;

/// Whether a field counts as set for the rules: set and non-empty (its `NAME_FILE` or an old
/// name counts), `true` for a `bool`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Not set (or a `bool` that is `false`).
    Unset,
    /// Set.
    Set,
    /// A `bool` whose value did not parse: the rules that read it are skipped.
    Failed,
}

/// What a rule reads beyond its members' presence.
#[doc(hidden)]
pub enum RuleInput {
    /// Nothing: a presence rule.
    Presence,
    /// `required_if`: whether the field equals the value.
    Condition(Condition),
    /// `check`: the function's verdict, or `None` when a field it reads did not load.
    Check(Option<Result<(), Refusal>>),
}

/// A `required_if` comparison.
#[doc(hidden)]
pub enum Condition {
    /// The field equals the value.
    Holds,
    /// It does not (or is an absent `Option`).
    DoesNotHold,
    /// The field did not load.
    Failed,
    /// The value's text does not parse as the field's type: the parser's message.
    BadValue(String),
}

/// A `bool` field (or `Option<bool>`) as a rule member or a group's switch.
#[doc(hidden)]
pub trait Toggle {
    /// Whether it is on.
    fn is_on(&self) -> bool;
}

impl Toggle for bool {
    fn is_on(&self) -> bool {
        *self
    }
}

impl Toggle for Option<bool> {
    fn is_on(&self) -> bool {
        *self == Some(true)
    }
}

/// The presence of a loaded `bool` field: `Failed` when it did not load.
#[doc(hidden)]
pub fn toggle<T: Toggle>(value: &Option<T>) -> Presence {
    match value {
        Some(value) if value.is_on() => Presence::Set,
        Some(_) => Presence::Unset,
        None => Presence::Failed,
    }
}

/// Compares a loaded field (`None`: it failed; `Some(None)`: an absent `Option`) with the
/// value `text` parsed by the field's own parser.
#[doc(hidden)]
pub fn condition<T: PartialEq>(
    value: Option<Option<&T>>,
    text: &str,
    parse: Parse<T>,
) -> Condition {
    match value {
        None => Condition::Failed,
        Some(None) => Condition::DoesNotHold,
        Some(Some(value)) => match parse(Cow::Borrowed(OsStr::new(text))) {
            Ok(expected) if *value == expected => Condition::Holds,
            Ok(_) => Condition::DoesNotHold,
            Err(error) => Condition::BadValue(error.message().to_owned()),
        },
    }
}

impl Loader<'_> {
    /// The presence of `spec`'s variable in the source: set and non-empty (unless empty is
    /// allowed), directly, through `NAME_FILE`, or under an old name.
    pub fn presence(&mut self, spec: &'static crate::contract::VarSpec) -> Presence {
        let allow_empty = spec.allows_empty();
        let names = std::iter::once(spec.name()).chain(spec.aliases().iter().copied());
        let prefix = self.prefix_of(spec).to_owned();
        for name in names {
            if self.is_set(&[prefix.as_str(), name].concat(), allow_empty) {
                return Presence::Set;
            }
        }
        Presence::Unset
    }

    /// The full names of the variables of `contract`, a struct nested under `prefix` in the
    /// one being read, that are set (directly, through `NAME_FILE`, or under an old name):
    /// what switches an optional group on and configures a variant.
    pub(super) fn set_variables(&self, contract: &Contract, prefix: &str) -> Vec<String> {
        contract
            .variables_under(&[self.prefix(), prefix].concat())
            .iter()
            .flat_map(|v| {
                let allow_empty = v.spec().allows_empty();
                std::iter::once(v.name().to_owned())
                    .chain(v.old_names())
                    .map(move |name| (name, allow_empty))
            })
            .filter(|(name, allow_empty)| self.is_set(name, *allow_empty))
            .map(|(name, _)| name)
            .collect()
    }

    /// Checks `rule` (of `contract`, the struct being read) and records its entry; `false`
    /// when it failed.
    pub fn rule(
        &mut self,
        contract: &'static Contract,
        rule: &'static RuleSpec,
        presence: &[Presence],
        input: RuleInput,
    ) -> bool {
        let names: Vec<String> = rule
            .members()
            .iter()
            .map(|&i| self.variable_name(&contract.fields()[i]))
            .collect();
        let condition = rule
            .condition()
            .map(|(i, text)| (self.variable_name(&contract.fields()[i]), text));
        let secret = rule
            .members()
            .iter()
            .any(|&i| is_secret(&contract.fields()[i]));
        let of = |index: usize| presence[rule.members()[index]];
        let set: Vec<usize> = (0..names.len())
            .filter(|&i| of(i) == Presence::Set)
            .collect();
        let unset: Vec<usize> = (0..names.len())
            .filter(|&i| of(i) == Presence::Unset)
            .collect();
        let pick = |indexes: &[usize]| -> Vec<String> {
            indexes.iter().map(|&i| names[i].clone()).collect()
        };
        let skipped_by = (0..names.len()).find(|&i| of(i) == Presence::Failed);
        // A `check` may accept with a warning: a `warn` entry, and the rule holds.
        let mut warning = false;
        let outcome: Result<(), (Code, String, Vec<String>)> =
            match (skipped_by, rule.kind(), input) {
                (_, RuleKind::RequiredIf, RuleInput::Condition(Condition::Failed)) => {
                    let (field, _) = condition.clone().unwrap_or_default();
                    Err(skipped(&field))
                }
                (_, RuleKind::RequiredIf, RuleInput::Condition(Condition::BadValue(message))) => {
                    let (field, text) = condition.clone().unwrap_or_default();
                    Err((
                        Code::INVALID_RULE,
                        format!(
                            "the rule's value `{text}` for `{field}` does not parse: {message}"
                        ),
                        vec![field],
                    ))
                }
                (_, RuleKind::Check, RuleInput::Check(None)) => {
                    let failed = self.first_failed(&names);
                    Err(skipped(&failed.unwrap_or_else(|| names.join("`, `"))))
                }
                (Some(i), _, _) => Err(skipped(&names[i])),
                (None, RuleKind::Requires, _) => {
                    let missing: Vec<usize> = unset.iter().copied().filter(|&i| i > 0).collect();
                    if of(0) == Presence::Set && !missing.is_empty() {
                        let blamed = pick(&missing);
                        Err((
                            Code::MISSING,
                            format!(
                                "`{}` is set, so {} must be set too",
                                names[0],
                                and(&quoted(&blamed))
                            ),
                            blamed,
                        ))
                    } else {
                        Ok(())
                    }
                }
                (None, RuleKind::Conflicts, _) => {
                    let others: Vec<usize> = set.iter().copied().filter(|&i| i > 0).collect();
                    if of(0) == Presence::Set && !others.is_empty() {
                        let blamed = pick(&set);
                        Err((
                            Code::CONFLICT,
                            format!(
                                "`{}` excludes {}, but both are set: unset one",
                                names[0],
                                and(&quoted(&pick(&others)))
                            ),
                            blamed,
                        ))
                    } else {
                        Ok(())
                    }
                }
                (None, RuleKind::ExactlyOneOf | RuleKind::AtLeastOneOf, _) if set.is_empty() => {
                    let how = if rule.kind() == RuleKind::ExactlyOneOf {
                        "exactly one"
                    } else {
                        "at least one"
                    };
                    Err((
                        Code::MISSING,
                        format!(
                            "none of {} is set: set {how}",
                            crate::rule::or(&quoted(&names))
                        ),
                        names.clone(),
                    ))
                }
                (None, RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf, _) if set.len() > 1 => {
                    let blamed = pick(&set);
                    let how = if rule.kind() == RuleKind::ExactlyOneOf {
                        "exactly one"
                    } else {
                        "at most one"
                    };
                    Err((
                        Code::CONFLICT,
                        format!(
                            "{} are all set: set {how} of {}",
                            and(&quoted(&blamed)),
                            crate::rule::or(&quoted(&names))
                        ),
                        blamed,
                    ))
                }
                (None, RuleKind::RequiredIf, RuleInput::Condition(Condition::Holds))
                    if !unset.is_empty() =>
                {
                    let (field, text) = condition.clone().unwrap_or_default();
                    let blamed = pick(&unset);
                    Err((
                        Code::MISSING,
                        format!(
                            "`{field}` is `{text}`, so {} must be set",
                            and(&quoted(&blamed))
                        ),
                        blamed,
                    ))
                }
                (None, RuleKind::Check, RuleInput::Check(Some(Err(refusal)))) => {
                    warning = matches!(refusal, Refusal::Warn(_));
                    let (code, message) = match refusal {
                        Refusal::Reject(message) => (Code::REJECTED, message),
                        Refusal::Warn(warning) => {
                            (warning.code().clone(), warning.message().to_owned())
                        }
                    };
                    let message = if secret { withheld(&code) } else { message };
                    Err((code, message, names.clone()))
                }
                _ => Ok(()),
            };
        let name = rule_name(
            rule,
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
            condition.as_ref().map(|(f, t)| (f.as_str(), *t)),
        );
        match outcome {
            Ok(()) => {
                if self.records_passes() {
                    let mut all = condition.map(|(f, _)| vec![f]).unwrap_or_default();
                    all.extend(names);
                    self.push(ReportEntry::rule(name, Outcome::pass(), all));
                }
                true
            }
            Err((code, message, blamed)) => {
                let failed = code != Code::SKIPPED && !warning;
                let outcome = if failed {
                    Outcome::fail(code, truncate(message))
                } else {
                    Outcome::warn(code, truncate(message))
                };
                if failed || self.records_passes() {
                    self.push(ReportEntry::rule(name, outcome, blamed));
                }
                !failed
            }
        }
    }

    /// Loads an optional group (`Option<Nested>`): `Some(None)` when it is off, the struct
    /// when it is on, `None` when it failed. `switch` is the switching `bool` field's
    /// variable and presence; without one, the group is on once any of its variables is set.
    pub fn optional_nested<C: Nested>(
        &mut self,
        ident: &'static str,
        prefix: &'static str,
        switch: Option<(&'static crate::contract::VarSpec, Presence)>,
    ) -> Option<Option<C>> {
        let set = self.set_variables(C::NESTED, prefix);
        let trigger = match switch {
            Some((_, Presence::Failed)) => return None,
            Some((spec, Presence::Unset)) => {
                let switch = [self.prefix_of(spec), spec.name()].concat();
                if self.records_passes() {
                    for name in set {
                        let message = format!(
                            "not read: `{switch}` is off, so the `{ident}` group is ignored (set `{switch}=true` to use it)"
                        );
                        let entry = ReportEntry::new(name, Outcome::warn(Code::IGNORED, message))
                            .with_field(self.field_path(ident));
                        self.push(entry);
                    }
                }
                return Some(None);
            }
            Some((spec, Presence::Set)) => {
                format!("`{}{}` is true", self.prefix_of(spec), spec.name())
            }
            None => match set.first() {
                None => return Some(None),
                Some(first) => format!("`{first}` is set"),
            },
        };
        let outer = self.enter_group(format!(
            "the `{ident}` group is on because {trigger}: set all of its required variables, or none"
        ));
        let config = C::load_nested(self, ident, prefix);
        self.leave_group(outer);
        config.map(Some)
    }

    /// The full name of a field's variable in the struct being read.
    fn variable_name(&self, field: &Field) -> String {
        match field.kind() {
            FieldKind::Var(spec) => [self.prefix_of(spec), spec.name()].concat(),
            FieldKind::Nested { .. } => field.ident().to_owned(),
        }
    }

    /// The first of `names` with a failing entry already recorded.
    fn first_failed(&self, names: &[String]) -> Option<String> {
        names.iter().find(|name| self.has_failure(name)).cloned()
    }
}

fn is_secret(field: &Field) -> bool {
    matches!(field.kind(), FieldKind::Var(spec) if spec.is_secret())
}

fn quoted(names: &[String]) -> Vec<String> {
    names.iter().map(|n| format!("`{n}`")).collect()
}

fn skipped(name: &str) -> (Code, String, Vec<String>) {
    (
        Code::SKIPPED,
        format!("not checked: `{name}` did not load"),
        vec![name.to_owned()],
    )
}
