//! The rules between variables and the optional groups as JSON Schema: what the loader's
//! presence means (set and non-empty, a toggle only when true), each rule kind as keywords,
//! each group as an `if`/`then`, and the `x-rules` list with every rule's name and sentence.

use std::collections::BTreeMap;
use std::ffi::OsStr;

use serde_json::{Map, Value, json};

use super::deferred::Deferred;
use super::pattern::{END, Re};
use super::rules::{Rules, holds_by_default, set_by_default};
use super::schema_conditions::{all, any, given, set};
use super::schema_variants::Variants;
use crate::contract::Variable;
use crate::rule::{OptionalGroup, Rule, RuleKind};

/// The schema's share of the rules and groups.
pub(super) struct RulesSchema {
    /// `allOf` entries.
    pub(super) all_of: Vec<Value>,
    /// `dependentRequired`, for a `requires` where required means set.
    pub(super) dependent_required: Map<String, Value>,
    /// `x-rules`: every rule and group by name, with its sentence and whether the schema
    /// holds it.
    pub(super) listed: Vec<Value>,
}

/// The keywords for every rule and group of `rules`; `deferred` holds the value checks of
/// switched groups' variables, by group name. A rule or group inside a selected variant holds
/// only while `variants` says the variant is chosen.
pub(super) fn rules_schema(
    rules: &Rules,
    mut deferred: BTreeMap<String, Deferred>,
    variants: &Variants,
) -> RulesSchema {
    let mut out = RulesSchema {
        all_of: Vec::new(),
        dependent_required: Map::new(),
        listed: Vec::new(),
    };
    // Holds only while the variant holding every one of `names` is chosen.
    let within = |names: Vec<&str>, schema: Value| match variants.scope(names.into_iter()) {
        Some(chosen) => json!({ "if": chosen, "then": schema }),
        None => schema,
    };
    for rule in &rules.rules {
        let scope = rules.scope_of(rule);
        let mut names: Vec<&str> = rule.members().iter().map(Variable::name).collect();
        names.extend(rule.condition().map(|(v, _)| v.name()));
        let in_variant = variants.scope(names.iter().copied()).is_some();
        if let (RuleKind::Requires, None, false) = (rule.kind(), scope, in_variant)
            && rule.members().iter().all(plain)
        {
            let names: Vec<&str> = rule.members()[1..].iter().map(Variable::name).collect();
            let trigger = rule.members()[0].name().to_owned();
            match out.dependent_required.get_mut(&trigger) {
                Some(Value::Array(existing)) => existing.extend(names.iter().map(|n| json!(n))),
                _ => {
                    out.dependent_required.insert(trigger, json!(names));
                }
            }
        } else {
            let parts = rule_parts(rule);
            match scope {
                _ if parts.is_empty() => {}
                Some(group) => out.all_of.push(within(
                    names,
                    json!({ "if": group_on(group), "then": { "allOf": parts } }),
                )),
                None if in_variant => out.all_of.push(within(names, json!({ "allOf": parts }))),
                None => out.all_of.extend(parts),
            }
        }
        out.listed.push(json!({
            "name": rule.name(),
            "kind": rule.kind().as_str(),
            "variables": rule.members().iter().map(Variable::name).collect::<Vec<_>>(),
            "sentence": rule.sentence(),
            "inSchema": rule.kind() != RuleKind::Check,
        }));
    }
    for group in &rules.groups {
        let required: Vec<Value> = rules.required_in(group).map(set).collect();
        let mut then = Vec::new();
        if !required.is_empty() {
            then.push(all(required));
        }
        if let Some(more) = deferred.remove(&group.name()) {
            then.extend(more.into_parts());
        }
        if !then.is_empty() {
            let then = match then.len() {
                1 => then.remove(0),
                _ => json!({ "allOf": then }),
            };
            let names = group.variables().iter().map(Variable::name).collect();
            out.all_of.push(within(
                names,
                json!({ "if": group_on(group), "then": then }),
            ));
        }
        out.listed.push(json!({
            "name": group.name(),
            "kind": "optional_group",
            "variables": group.variables().iter().map(Variable::name).collect::<Vec<_>>(),
            "sentence": group.sentence(),
            "inSchema": true,
        }));
    }
    out
}

/// The keywords of one rule (several for pairs), none for a `check`.
fn rule_parts(rule: &Rule) -> Vec<Value> {
    let members = rule.members();
    let not_both = |a: &Variable, b: &Variable| json!({ "not": all(vec![on(a), on(b)]) });
    match rule.kind() {
        RuleKind::Requires => vec![json!({
            "if": on(&members[0]),
            "then": all(members[1..].iter().map(on).collect())
        })],
        RuleKind::Conflicts => members[1..]
            .iter()
            .map(|other| not_both(&members[0], other))
            .collect(),
        RuleKind::ExactlyOneOf => {
            vec![json!({ "oneOf": members.iter().map(on).collect::<Vec<_>>() })]
        }
        RuleKind::AtLeastOneOf => {
            vec![json!({ "anyOf": members.iter().map(on).collect::<Vec<_>>() })]
        }
        RuleKind::AtMostOneOf => members
            .iter()
            .enumerate()
            .flat_map(|(i, a)| members[i + 1..].iter().map(move |b| not_both(a, b)))
            .collect(),
        RuleKind::RequiredIf => match rule.condition() {
            Some((var, text)) => vec![json!({
                "if": equals(var, text),
                "then": all(members.iter().map(on).collect())
            })],
            None => Vec::new(),
        },
        RuleKind::Check => Vec::new(),
    }
}

/// Whether a `requires` member is read the way `dependentRequired` says: set means given,
/// the empty value included, under one name, not a toggle.
fn plain(var: &Variable) -> bool {
    var.spec().allows_empty() && !var.spec().is_toggle() && var.spec().aliases().is_empty()
}

/// The variable counts as set for the rules: [`set`], and a toggle only while it is true (its
/// default included).
fn on(var: &Variable) -> Value {
    if !var.spec().is_toggle() {
        return set(var);
    }
    let truthy = given(var, Some(json!({ "pattern": words(true) })));
    if set_by_default(var) {
        json!({ "anyOf": [truthy, { "not": set(var) }] })
    } else {
        truthy
    }
}

/// The variable reads as `text` (a toggle by its words, any other value by its text), its
/// default included: the `if` of a `required_if`, which names the variable in `required` so
/// that it never holds by the variable's absence alone.
fn equals(var: &Variable, text: &str) -> Value {
    let value = if var.spec().is_toggle() {
        match crate::value::bool(OsStr::new(text)) {
            Ok(value) => json!({ "pattern": words(value) }),
            Err(_) => json!({ "not": {} }),
        }
    } else {
        json!({ "const": text })
    };
    let matched = given(var, Some(value));
    if holds_by_default(var, text) {
        json!({ "anyOf": [matched, { "not": set(var) }] })
    } else {
        matched
    }
}

/// The optional group is on: any of its variables set, or its switch on.
fn group_on(group: &OptionalGroup) -> Value {
    match group.switch() {
        Some(switch) => on(switch),
        None => any(group.variables().iter().map(set).collect()),
    }
}

/// The pattern of the `bool` words reading as `value`, in any case, whitespace around.
fn words(value: bool) -> String {
    let re = Re::plain();
    let ws = format!("{}*", re.ws());
    let (words, digit) = if value {
        (["true", "yes", "on"], "1")
    } else {
        (["false", "no", "off"], "0")
    };
    let alternatives: Vec<String> = words
        .iter()
        .map(|w| re.word(w))
        .chain([re.literal(digit)])
        .collect();
    format!("^{ws}(?:{}){ws}{END}", alternatives.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_a_toggle() {
        let on = words(true);
        assert!(
            on.contains("[Tt][Rr][Uu][Ee]") && on.contains("|1)"),
            "{on}"
        );
        assert!(!on.contains("[Ff]"), "{on}");
        assert!(words(false).contains("[Oo][Ff][Ff]"));
    }
}
