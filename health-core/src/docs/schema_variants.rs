//! Selected variants as JSON Schema: when each variant is chosen (its tag, or which variants
//! are configured), what it requires then (its required variables, and the value checks of
//! all of its variables, which the loader reads only for the chosen one), and the `x-rules`
//! entry of each choice.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::deferred::{Deferred, deferred_key};
use super::schema_conditions::{all, any, set};
use crate::contract::Variable;
use crate::variant::{Choice, ChoiceMode, Variant};

/// When each variant of every choice is chosen, by variable: what the rules and groups
/// inside a variant are scoped by.
pub(super) struct Variants {
    /// Each variant with variables: their names, and the condition under which it is chosen.
    chosen: Vec<(Vec<String>, Value)>,
}

impl Variants {
    /// The condition under which the innermost variant holding every one of `names` is
    /// chosen; `None` when they are not all in one variant.
    pub(super) fn scope<'a>(&self, mut names: impl Iterator<Item = &'a str>) -> Option<&Value> {
        let first = names.next()?;
        let (members, chosen) = self
            .chosen
            .iter()
            .rev()
            .find(|(members, _)| members.iter().any(|m| m == first))?;
        names
            .all(|name| members.iter().any(|m| m == name))
            .then_some(chosen)
    }
}

/// The schema's share of the choices: `allOf` entries, `x-rules` entries, and when each
/// variant is chosen.
pub(super) struct VariantsSchema {
    /// `allOf` entries.
    pub(super) all_of: Vec<Value>,
    /// `x-rules` entries, one per choice.
    pub(super) listed: Vec<Value>,
    /// When each variant is chosen.
    pub(super) variants: Variants,
}

/// The keywords of every choice; `deferred` holds the value checks of the variants'
/// variables, under [`deferred_key`], and `required` says which variables a chosen variant
/// requires (its required ones outside any optional group inside it).
pub(super) fn variants_schema(
    choices: &[Choice],
    deferred: &mut BTreeMap<String, Deferred>,
    required: impl Fn(&Variable) -> bool,
) -> VariantsSchema {
    let mut out = VariantsSchema {
        all_of: Vec::new(),
        listed: Vec::new(),
        variants: Variants { chosen: Vec::new() },
    };
    for choice in choices {
        let configured: Vec<Option<Value>> = choice.variants().iter().map(configured).collect();
        let none_configured = any_of(configured.iter().flatten().cloned())
            .map_or_else(|| json!({}), |some| json!({ "not": some }));
        if choice.mode() == ChoiceMode::ExactlyOne {
            let each: Vec<&Value> = configured.iter().flatten().collect();
            for (i, a) in each.iter().enumerate() {
                for b in &each[i + 1..] {
                    let both = all(vec![(*a).clone(), (*b).clone()]);
                    out.all_of.push(json!({ "not": both }));
                }
            }
        }
        if choice.tag().is_none()
            && choice.default().is_none()
            && let Some(some) = any_of(configured.iter().flatten().cloned())
        {
            out.all_of.push(some);
        }
        let default = choice.default().map(Variant::tag);
        for (i, variant) in choice.variants().iter().enumerate() {
            let is_default = default == Some(variant.tag());
            let chosen = match (choice.tag(), choice.mode()) {
                (Some(tag), _) => {
                    let named = json!({
                        "required": [tag.name()],
                        "properties": { tag.name(): { "const": variant.tag() } }
                    });
                    if is_default {
                        json!({ "anyOf": [named, { "not": set(tag) }] })
                    } else {
                        named
                    }
                }
                (None, mode) => {
                    let earlier = configured[..i].iter().flatten().cloned();
                    let first = match (&configured[i], mode) {
                        (None, _) => None,
                        (Some(own), ChoiceMode::FirstSet) => {
                            Some(all(std::iter::once(own.clone())
                                .chain(earlier.map(|e| json!({ "not": e })))
                                .collect()))
                        }
                        (Some(own), _) => Some(own.clone()),
                    };
                    match (first, is_default) {
                        (Some(first), true) => json!({ "anyOf": [first, none_configured] }),
                        (Some(first), false) => first,
                        (None, true) => none_configured.clone(),
                        (None, false) => continue,
                    }
                }
            };
            let mut then: Vec<Value> = variant
                .variables()
                .iter()
                .filter(|v| required(v))
                .map(set)
                .collect();
            if let Some(more) = deferred.remove(&deferred_key(variant)) {
                then.extend(more.into_parts());
            }
            if !then.is_empty() {
                out.all_of
                    .push(json!({ "if": chosen.clone(), "then": all(then) }));
            }
            if !variant.variables().is_empty() {
                let names = variant
                    .variables()
                    .iter()
                    .map(|v| v.name().to_owned())
                    .collect();
                out.variants.chosen.push((names, chosen));
            }
        }
        out.listed.push(listed(choice));
    }
    out
}

/// The `x-rules` entry of a choice: its name, mode, variables (the tag first) and sentence,
/// and the one thing the schema cannot see, when a variant has a secret: a `NAME_FILE`.
fn listed(choice: &Choice) -> Value {
    let variables: Vec<&str> = choice
        .tag()
        .into_iter()
        .chain(choice.variants().iter().flat_map(|v| v.variables()))
        .map(Variable::name)
        .collect();
    let mut entry = json!({
        "name": choice.name(),
        "kind": "variant",
        "mode": choice.mode().as_str(),
        "variables": variables,
        "sentence": choice.sentence(),
        "inSchema": true,
    });
    let secrets = choice
        .variants()
        .iter()
        .flat_map(|v| v.variables())
        .any(|v| v.spec().is_secret());
    if choice.tag().is_none() && secrets {
        entry["notInSchema"] = json!(
            "A secret set only through its `NAME_FILE` configures its variant for the loader; \
             the schema sees variable names only, so it counts that variant as not configured."
        );
    }
    entry
}

/// The variant is configured: any of its variables set. `None` for one with no variables.
fn configured(variant: &Variant) -> Option<Value> {
    any_of(variant.variables().iter().map(set))
}

/// Any of `parts` holds; `None` when there are none.
fn any_of(parts: impl Iterator<Item = Value>) -> Option<Value> {
    let parts: Vec<Value> = parts.collect();
    (!parts.is_empty()).then(|| any(parts))
}
