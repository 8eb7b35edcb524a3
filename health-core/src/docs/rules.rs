//! What the generators share about rules between variables and optional groups: which rules
//! name a variable, which optional group holds it, what a group requires once it is on, and
//! which rule a variable is a commented-out alternative in.

use std::collections::BTreeMap;
use std::ffi::OsStr;

use super::default_text::default_value;
use crate::contract::{Contract, Requirement, Variable};
use crate::rule::{OptionalGroup, Rule, RuleKind};

/// The rules and optional groups of a contract, with full variable names.
pub(super) struct Rules {
    /// Every rule, in declaration order.
    pub(super) rules: Vec<Rule>,
    /// Every optional group, an outer group before the groups inside it.
    pub(super) groups: Vec<OptionalGroup>,
}

impl Rules {
    /// The rules and groups of `contract`.
    pub(super) fn of(contract: &Contract) -> Rules {
        Rules {
            rules: contract.rules(),
            groups: contract.optional_groups(),
        }
    }

    /// The rules naming the variable `name`, as a member or as the variable compared.
    pub(super) fn naming<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |rule| names(rule, name))
    }

    /// The innermost optional group holding the variable `name`.
    pub(super) fn group_of(&self, name: &str) -> Option<&OptionalGroup> {
        self.groups
            .iter()
            .rev()
            .find(|group| group.variables().iter().any(|v| v.name() == name))
    }

    /// The innermost optional group holding every variable `rule` names: the rule is checked
    /// only while that group is on (it belongs to a struct inside it).
    pub(super) fn scope_of(&self, rule: &Rule) -> Option<&OptionalGroup> {
        let mut names = rule
            .members()
            .iter()
            .map(Variable::name)
            .chain(rule.condition().map(|(v, _)| v.name()));
        let first = names.next()?;
        let group = self.group_of(first)?;
        let holds = |name: &str| group.variables().iter().any(|v| v.name() == name);
        names.all(holds).then_some(group)
    }

    /// The variables `group` requires once it is on: its required variables, except those of
    /// an optional group inside it.
    pub(super) fn required_in<'a>(
        &'a self,
        group: &'a OptionalGroup,
    ) -> impl Iterator<Item = &'a Variable> + 'a {
        group.variables().iter().filter(move |var| {
            var.spec().requirement() == Requirement::Required
                && self
                    .group_of(var.name())
                    .is_some_and(|inner| inner.field() == group.field())
        })
    }

    /// The alternatives left out of a `.env.example` so that it passes its own rules: each
    /// variable to comment out, with the rule that says why. For `exactly_one_of` and
    /// `at_most_one_of` the first member not already left out stays and the others are left
    /// out; for `conflicts`, the members after the trigger are left out, unless one of them
    /// is required (then the trigger is).
    pub(super) fn left_out(&self) -> BTreeMap<String, &Rule> {
        let mut out: BTreeMap<String, &Rule> = BTreeMap::new();
        for rule in &self.rules {
            let names: Vec<&str> = rule.members().iter().map(Variable::name).collect();
            let kept = match rule.kind() {
                RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf => names
                    .iter()
                    .copied()
                    .find(|n| !out.contains_key(*n))
                    .or(names.first().copied()),
                RuleKind::Conflicts => {
                    let required = rule.members()[1..]
                        .iter()
                        .any(|v| v.spec().requirement() == Requirement::Required);
                    if required {
                        out.entry(names[0].to_owned()).or_insert(rule);
                    }
                    if required || out.contains_key(names[0]) {
                        continue;
                    }
                    names.first().copied()
                }
                _ => continue,
            };
            for name in names.iter().filter(|n| Some(**n) != kept) {
                out.entry((*name).to_owned()).or_insert(rule);
            }
        }
        out
    }

    /// The variables a `.env.example` asks to fill in beyond the required ones: the first
    /// member not left out of each `exactly_one_of` and `at_least_one_of` (unless one is
    /// required or has a default that is set), the dependents of a `requires` whose trigger
    /// is filled in or set by default, and the members of a `required_if` whose condition
    /// holds by default; with the rule that asks.
    pub(super) fn to_fill(&self, left_out: &BTreeMap<String, &Rule>) -> BTreeMap<String, &Rule> {
        let mut out: BTreeMap<String, &Rule> = BTreeMap::new();
        let set_anyway = |v: &Variable, out: &BTreeMap<String, &Rule>| {
            out.contains_key(v.name())
                || v.spec().requirement() == Requirement::Required
                || set_by_default(v)
        };
        // A `requires` may need what another rule filled in: repeat until nothing changes.
        loop {
            let before = out.len();
            for rule in &self.rules {
                let members = rule.members();
                let wanted: Vec<&Variable> = match rule.kind() {
                    RuleKind::ExactlyOneOf | RuleKind::AtLeastOneOf => {
                        if members.iter().any(|v| set_anyway(v, &out)) {
                            continue;
                        }
                        members
                            .iter()
                            .find(|v| !left_out.contains_key(v.name()))
                            .into_iter()
                            .collect()
                    }
                    RuleKind::Requires if set_anyway(&members[0], &out) => {
                        members[1..].iter().collect()
                    }
                    RuleKind::RequiredIf
                        if rule
                            .condition()
                            .is_some_and(|(v, text)| holds_by_default(v, text)) =>
                    {
                        members.iter().collect()
                    }
                    _ => continue,
                };
                for var in wanted {
                    if !set_anyway(var, &out) {
                        out.insert(var.name().to_owned(), rule);
                    }
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }
}

/// Whether `rule` names the variable `name`.
fn names(rule: &Rule, name: &str) -> bool {
    rule.members().iter().any(|v| v.name() == name)
        || rule.condition().is_some_and(|(v, _)| v.name() == name)
}

/// Whether an unset variable counts as set for the rules: a toggle whose default is true.
pub(super) fn set_by_default(var: &Variable) -> bool {
    var.spec().is_toggle()
        && var.spec().requirement() == Requirement::Default
        && default_value(var)
            .is_some_and(|d| matches!(crate::value::bool(OsStr::new(d.as_ref())), Ok(true)))
}

/// Whether a `required_if` comparing `var` with `text` holds while `var` is unset: its
/// default reads as the same value (a `bool` by its words, anything else by its text).
pub(super) fn holds_by_default(var: &Variable, text: &str) -> bool {
    if var.spec().requirement() != Requirement::Default {
        return false;
    }
    let Some(default) = default_value(var) else {
        return false;
    };
    if var.spec().is_toggle() {
        let read = |t: &str| crate::value::bool(OsStr::new(t)).ok();
        read(&default).is_some() && read(&default) == read(text)
    } else {
        default == text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Field, ValueRule, VarSpec};
    use crate::rule::RuleSpec;

    const fn text(name: &'static str, requirement: Requirement) -> VarSpec {
        VarSpec::__new(name, "String", "", requirement, None, false, false)
            .__rule(ValueRule::Text, None)
    }

    /// `a` conflicts with the required `b`; `c` and `d` are alternatives, one of which `a`
    /// needs; `on` defaults to true and needs `e`.
    static CONTRACT: Contract = Contract::__new(
        "Alternatives",
        "",
        "",
        &[
            Field::__var("a", &text("A", Requirement::Optional)),
            Field::__var("b", &text("B", Requirement::Required)),
            Field::__var("c", &text("C", Requirement::Optional)),
            Field::__var("d", &text("D", Requirement::Optional)),
            Field::__var(
                "on",
                &VarSpec::__new(
                    "ON",
                    "bool",
                    "",
                    Requirement::Default,
                    Some("true"),
                    false,
                    false,
                )
                .__rule(ValueRule::Bool, None)
                .__toggle(),
            ),
            Field::__var("e", &text("E", Requirement::Optional)),
        ],
    )
    .__rules(&[
        RuleSpec::__new(RuleKind::Conflicts, &[0, 1]),
        RuleSpec::__new(RuleKind::AtMostOneOf, &[2, 3]),
        RuleSpec::__new(RuleKind::ExactlyOneOf, &[3, 2]),
        RuleSpec::__new(RuleKind::Requires, &[4, 5]),
    ]);

    #[test]
    fn one_alternative_stays_and_what_rules_ask_is_filled_in() {
        let rules = Rules::of(&CONTRACT);
        let left_out = rules.left_out();
        let why = |map: &BTreeMap<String, &Rule>| -> Vec<(String, String)> {
            map.iter().map(|(k, r)| (k.clone(), r.name())).collect()
        };
        // The required `B` stays, so its conflict leaves `A` out; `D` is left out by the
        // first rule that has a choice, and the `exactly_one_of` keeps `C` with it.
        assert_eq!(
            why(&left_out),
            [
                ("A".to_owned(), "conflicts:A,B".to_owned()),
                ("D".to_owned(), "at_most_one_of:C,D".to_owned()),
            ]
        );
        assert_eq!(
            why(&rules.to_fill(&left_out)),
            [
                ("C".to_owned(), "exactly_one_of:D,C".to_owned()),
                ("E".to_owned(), "requires:ON,E".to_owned()),
            ]
        );
    }
}
