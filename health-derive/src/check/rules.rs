//! The rules between variables and the optional groups' switches: every name resolves to a
//! field of the struct, every rule can fire and can fail, every comparison has the field's
//! type. Each mistake is an error on its token.

use std::collections::HashSet;

use syn::{Ident, Lit};

use crate::ctxt::Ctxt;
use crate::model::{Container, Field};
use crate::rule::{RuleAttr, RuleKind};
use crate::ty::Builtin;

/// Checks every rule of the struct and every field's `switch`.
pub fn check_rules(cx: &mut Ctxt, cont: &Container) {
    let mut written = HashSet::new();
    for rule in &cont.attrs.rules {
        check_rule(cx, cont, rule);
        if !written.insert(rule_text(rule)) {
            cx.error_spanned_by(&rule.key, "the same rule is written twice");
        }
    }
    for (index, field) in cont.fields.iter().enumerate() {
        check_switch(cx, cont, index, field);
        check_default_from(cx, cont, index, field);
    }
}

/// `default_from(path(a, ..))` reads variables of the struct declared before the field (so
/// they load first), never the field itself nor one derived from it (a cycle), and replaces
/// `default`.
fn check_default_from(cx: &mut Ctxt, cont: &Container, index: usize, field: &Field) {
    let (Some(key), Some((_, sources))) = (
        field.attrs.default_from.key(),
        field.attrs.default_from.get(),
    ) else {
        return;
    };
    if let Some(default) = field.attrs.default.key() {
        cx.error_spanned_by(
            default,
            "`default` cannot be combined with `default_from`: choose a fixed or a derived default",
        );
    }
    if field.shape.option.is_some() {
        cx.error_spanned_by(
            key,
            "`default_from` on an `Option`: an absent optional is `None`; make the field a plain type",
        );
    }
    for source in sources {
        let Some((at, target)) = resolve(cx, cont, source) else {
            continue;
        };
        if target.attrs.nested.is_set() {
            cx.error_spanned_by(
                source,
                format!("`{source}` is a nested struct: a default is derived from variables"),
            );
        } else if at == index {
            cx.error_spanned_by(source, format!("`{source}` cannot be derived from itself"));
        } else if at > index {
            let cycle = derives_from(cont, at, index, &mut vec![at]);
            let message = match cycle {
                Some(path) => format!(
                    "a cycle of derived defaults: {}",
                    path.iter()
                        .chain([&index, &at])
                        .map(|&i| format!("`{}`", cont.fields[i].ident_str()))
                        .collect::<Vec<_>>()
                        .join(" derives from ")
                ),
                None => format!(
                    "declare `{source}` before `{}`: a default is derived from fields loaded before it",
                    field.ident_str()
                ),
            };
            cx.error_spanned_by(source, message);
        }
    }
}

/// Whether field `from` derives its default (directly or through others) from field `to`:
/// the chain, `from` first, when it does.
fn derives_from(
    cont: &Container,
    from: usize,
    to: usize,
    chain: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    let (_, sources) = cont.fields[from].attrs.default_from.get()?;
    for source in sources {
        let Some(next) = cont.fields.iter().position(|f| f.ident == source) else {
            continue;
        };
        if next == to {
            return Some(chain.clone());
        }
        if !chain.contains(&next) {
            chain.push(next);
            if let Some(found) = derives_from(cont, next, to, chain) {
                return Some(found);
            }
            chain.pop();
        }
    }
    None
}

/// The field `ident` names, or an error at it with a "did you mean".
fn resolve<'c, 'a>(
    cx: &mut Ctxt,
    cont: &'c Container<'a>,
    ident: &Ident,
) -> Option<(usize, &'c Field<'a>)> {
    if let Some(found) = cont
        .fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.ident == ident)
    {
        return Some(found);
    }
    let name = ident.to_string();
    let closest = crate::attr::closest(&name, cont.fields.iter().map(Field::ident_str));
    let message = match closest {
        Some(best) => format!(
            "no field `{name}` in `{}`; did you mean `{best}`?",
            cont.ident
        ),
        None => format!(
            "no field `{name}` in `{}`; its fields are: {}",
            cont.ident,
            cont.fields
                .iter()
                .map(|f| format!("`{}`", f.ident_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    cx.error_spanned_by(ident, message);
    None
}

/// A `bool` field (or `Option<bool>`): present only while `true`.
pub fn is_toggle(field: &Field) -> bool {
    !field.attrs.nested.is_set()
        && field.shape.list.is_none()
        && Builtin::of(field.shape.scalar) == Builtin::Bool
}

/// A variable that must always be set (no `Option`, no default, not a `bool` that can be
/// `false`): a rule about its presence is decided before it runs.
fn always_set(field: &Field) -> bool {
    !field.attrs.nested.is_set()
        && field.shape.option.is_none()
        && !field.attrs.default.is_set()
        && !field.attrs.default_from.is_set()
        && !is_toggle(field)
}

/// One rule: members resolve to variables, appear once, and the rule can both hold and fail.
fn check_rule(cx: &mut Ctxt, cont: &Container, rule: &RuleAttr) {
    let key = rule.key.to_string();
    let mut seen: Vec<&Ident> = Vec::new();
    let mut fields = Vec::new();
    for member in &rule.members {
        if seen.contains(&member) {
            cx.error_spanned_by(member, format!("`{member}` is named twice in `{key}`"));
            continue;
        }
        seen.push(member);
        let Some((_, field)) = resolve(cx, cont, member) else {
            continue;
        };
        if field.attrs.nested.is_set() {
            cx.error_spanned_by(
                member,
                format!("`{member}` is a nested struct: a rule names variables, so write it on `{}`'s own struct", member),
            );
            continue;
        }
        fields.push((member, field));
    }
    if rule.kind.is_one_of() && rule.members.len() < 2 {
        cx.error_spanned_by(
            &rule.key,
            format!("`{key}` of one field: a group of alternatives needs two fields or more"),
        );
    }
    for (position, (member, field)) in fields.iter().enumerate() {
        if !always_set(field) {
            continue;
        }
        let why = format!("`{member}` is always set (required: no `Option`, no default)");
        let message = match rule.kind {
            RuleKind::Requires if position == 0 => format!(
                "{why}, so this rule always applies: make the fields it needs required instead"
            ),
            RuleKind::Requires | RuleKind::RequiredIf => {
                format!(
                    "{why}, so requiring it can never fail: make it an `Option` or remove it from `{key}`"
                )
            }
            RuleKind::Conflicts => format!(
                "{why}, so the fields it conflicts with could never be set: make it an `Option`"
            ),
            RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf | RuleKind::AtLeastOneOf => {
                format!("{why}, so `{key}` is decided before it runs: make it an `Option`")
            }
            RuleKind::Check => continue,
        };
        cx.error_spanned_by(member, message);
    }
    if let Some((ident, value)) = &rule.condition {
        check_condition(cx, cont, rule, ident, value);
    }
}

/// `required_if(field == value, ..)`: the field is a single variable outside the rule's
/// members, and the value is a literal of its type.
fn check_condition(cx: &mut Ctxt, cont: &Container, rule: &RuleAttr, ident: &Ident, value: &Lit) {
    let Some((_, field)) = resolve(cx, cont, ident) else {
        return;
    };
    if field.attrs.nested.is_set() || field.shape.list.is_some() {
        cx.error_spanned_by(
            ident,
            format!("`{ident}` is not a single value: `required_if` compares one variable's value"),
        );
        return;
    }
    if rule.members.iter().any(|m| m == ident) {
        cx.error_spanned_by(
            ident,
            format!("`{ident}` is both compared and required by this rule"),
        );
    }
    let builtin = if field.attrs.parse_with.is_set() || field.attrs.deserialize.is_set() {
        Builtin::FromStr
    } else {
        Builtin::of(field.shape.scalar)
    };
    let expected = match (builtin, value) {
        (Builtin::Bool, Lit::Bool(_))
        | (Builtin::Integer, Lit::Int(_))
        | (Builtin::Float, Lit::Int(_) | Lit::Float(_)) => None,
        (Builtin::Bool, _) => Some("`true` or `false`"),
        (Builtin::Integer, _) => Some("an integer literal"),
        (Builtin::Float, _) => Some("a number literal"),
        (_, Lit::Str(_)) => None,
        _ => Some("a string literal, read by the field's own rule (`\"tls\"`)"),
    };
    if let Some(expected) = expected {
        cx.error_spanned_by(
            value,
            format!(
                "`{ident}` is a `{}`: compare it with {expected}",
                crate::ty::display(field.ty)
            ),
        );
        return;
    }
    if let (Some(one_of), Lit::Str(text)) = (field.attrs.one_of.get(), value)
        && !one_of.items.iter().any(|item| item.value() == text.value())
    {
        cx.error_spanned_by(
            value,
            format!(
                "`{ident}` is never {:?}: its `one_of` allows {}",
                text.value(),
                one_of
                    .items
                    .iter()
                    .map(|i| format!("{:?}", i.value()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// `switch = field` turns an optional group on: it sits on a `nested` `Option<Struct>` and
/// names a `bool` field declared before the group.
fn check_switch(cx: &mut Ctxt, cont: &Container, index: usize, field: &Field) {
    let (Some(key), Some(switch)) = (field.attrs.switch.key(), field.attrs.switch.get()) else {
        return;
    };
    if !field.attrs.nested.is_set() || field.shape.option.is_none() {
        cx.error_spanned_by(
            key,
            "`switch` turns an optional group on: use it with `nested` on an `Option<Struct>` field",
        );
        return;
    }
    let Some((at, target)) = resolve(cx, cont, switch) else {
        return;
    };
    if !is_toggle(target) {
        cx.error_spanned_by(
            switch,
            format!(
                "`{switch}` is a `{}`; a switch is a `bool` field (`false` turns the group off)",
                crate::ty::display(target.ty)
            ),
        );
    } else if at >= index {
        cx.error_spanned_by(
            switch,
            format!(
                "declare `{switch}` before `{}`: the switch is read before its group",
                field.ident_str()
            ),
        );
    }
}

/// The rule as written, to find one written twice.
fn rule_text(rule: &RuleAttr) -> String {
    let members: Vec<String> = rule.members.iter().map(ToString::to_string).collect();
    let condition = rule
        .condition
        .as_ref()
        .map(|(f, v)| format!("{f}=={}", quote::ToTokens::to_token_stream(v)));
    let function = rule
        .function
        .as_ref()
        .map(|f| quote::ToTokens::to_token_stream(f).to_string());
    match rule.kind {
        // A check's entry is named after its function.
        RuleKind::Check => format!("Check{function:?}"),
        _ => format!("{}{condition:?}{members:?}", rule.kind.variant()),
    }
}
