//! Rules a config struct must follow, one function a rule, all run on every expansion; the
//! constraint rules (`range`, `one_of`, `len`) are in [`constraint`].

use std::collections::HashMap;

use syn::{Expr, ExprLit, Lit, LitStr};

use crate::attr::Slot;
use crate::ctxt::Ctxt;
use crate::model::{Container, Field};
use crate::ty::{self, Builtin};

mod constraint;
mod rules;
mod variant;

pub use constraint::len_bounds;
use constraint::{check_len, check_one_of, check_range};
pub use rules::is_toggle;
pub use variant::check_choice;

/// Runs every rule, recording each violation in source order.
pub fn check(cx: &mut Ctxt, cont: &Container) {
    check_name_literal(cx, cont.attrs.prefix.get());
    let mut seen = HashMap::new();
    for field in &cont.fields {
        check_name_literal(cx, field.attrs.prefix.get());
        check_env_name(cx, field);
        if field.attrs.nested.is_set() {
            check_nested_stands_alone(cx, field);
            continue;
        }
        check_unique_variable(cx, &mut seen, field);
        check_prefix_needs_nested(cx, field);
        check_default_not_on_option(cx, field);
        check_split_needs_vec(cx, field);
        check_one_parser(cx, field);
        check_default_literal_parses(cx, field);
        check_range(cx, field);
        check_one_of(cx, field);
        check_len(cx, field);
        check_deprecated_is_optional(cx, field);
        check_old_values(cx, field);
    }
    check_aliases(cx, cont);
    check_one_probe_port(cx, cont);
    rules::check_rules(cx, cont);
}

/// `probe_port` marks the one variable the service listens on.
fn check_one_probe_port(cx: &mut Ctxt, cont: &Container) {
    let mut marked = cont
        .fields
        .iter()
        .filter_map(|f| Some((f, f.attrs.probe_port.key()?)));
    let Some((first, _)) = marked.next() else {
        return;
    };
    for (_, key) in marked {
        cx.error_spanned_by(
            key,
            format!(
                "`probe_port` is already on field `{}`: the service listens on one port",
                first.ident_str()
            ),
        );
    }
}

/// An `env` name is not empty and can be set in an environment.
fn check_env_name(cx: &mut Ctxt, field: &Field) {
    let Some(env) = field.attrs.env.get() else {
        return;
    };
    if env.value().is_empty() {
        cx.error_spanned_by(
            env,
            "`env` name is empty: an environment variable needs a name",
        );
    }
    check_name_literal(cx, Some(env));
}

/// A variable name or prefix holds neither `=` nor NUL, which no environment can store.
fn check_name_literal(cx: &mut Ctxt, lit: Option<&LitStr>) {
    let Some(lit) = lit else {
        return;
    };
    let value = lit.value();
    if value.contains('=') {
        cx.error_spanned_by(
            lit,
            format!("{value:?} holds `=`, which cannot appear in an environment variable name"),
        );
    }
    if value.contains('\0') {
        cx.error_spanned_by(
            lit,
            format!(
                "{value:?} holds a NUL byte, which cannot appear in an environment variable name"
            ),
        );
    }
}

/// Two fields of one struct never read the same variable (after `env` renames; the struct's
/// prefix is the same for all of them).
fn check_unique_variable<'f>(
    cx: &mut Ctxt,
    seen: &mut HashMap<&'f str, &'f Field<'f>>,
    field: &'f Field<'f>,
) {
    if let Some(first) = seen.get(field.name.as_str()) {
        cx.syn_error(syn::Error::new(
            field.name_span(),
            format!(
                "variable `{}` is already read by field `{}`; give one of them another name with `#[contract(env = \"...\")]`",
                field.name,
                first.ident_str()
            ),
        ));
    } else {
        seen.insert(&field.name, field);
    }
}

/// `nested` reads a whole struct under a prefix: keys about one variable make no sense on it.
fn check_nested_stands_alone(cx: &mut Ctxt, field: &Field) {
    if !field.attrs.nested.is_set() {
        return;
    }
    let a = &field.attrs;
    for (key, name) in [
        (a.env.key(), a.env.name()),
        (a.default.key(), a.default.name()),
        (a.split.key(), a.split.name()),
        (a.secret.key(), a.secret.name()),
        (a.allow_empty.key(), a.allow_empty.name()),
        (a.parse_with.key(), a.parse_with.name()),
        (a.deserialize.key(), a.deserialize.name()),
        (a.validate.key(), a.validate.name()),
        (a.alias.key(), a.alias.name()),
        (a.range.key(), a.range.name()),
        (a.one_of.key(), a.one_of.name()),
        (a.len.key(), a.len.name()),
        (a.deprecated.key(), a.deprecated.name()),
        (a.no_prefix.key(), a.no_prefix.name()),
        (a.probe_port.key(), a.probe_port.name()),
        (a.default_from.key(), a.default_from.name()),
        (a.old_values.key(), a.old_values.name()),
    ] {
        if let Some(key) = key {
            cx.error_spanned_by(
                key,
                format!("`nested` cannot be combined with `{name}`: a nested struct's variables are configured on its own fields"),
            );
        }
    }
    if field.setting {
        cx.error_spanned_by(
            field.attrs.nested.key(),
            "`nested` cannot be used on a `Setting` field: a `Setting` tells whether one variable was set, and a nested struct reads many",
        );
    }
    if field.shape.list.is_some() {
        cx.error_spanned_by(
            field.ty,
            "a `nested` field must be a struct that derives ReadinessContract (or an `Option` of one, an optional group), not a `Vec`",
        );
    }
}

/// A field-level `prefix` only applies to a nested struct.
fn check_prefix_needs_nested(cx: &mut Ctxt, field: &Field) {
    if let (Some(key), false) = (field.attrs.prefix.key(), field.attrs.nested.is_set()) {
        cx.error_spanned_by(
            key,
            "`prefix` on a field needs `nested`: it is prepended to the nested struct's variables; use `env = \"...\"` to rename one variable",
        );
    }
}

/// An `Option` field is `None` when absent, so a default would never apply.
fn check_default_not_on_option(cx: &mut Ctxt, field: &Field) {
    if let (Some(key), Some(_)) = (field.attrs.default.key(), field.shape.option) {
        cx.error_spanned_by(
            key,
            "`default` cannot be used on an `Option` field: an absent variable is already `None`; drop the `Option` to use a default",
        );
    }
}

/// `split` cuts a value into the items of a `Vec`.
fn check_split_needs_vec(cx: &mut Ctxt, field: &Field) {
    if let Some(split) = field.attrs.split.get() {
        if field.shape.list.is_none() {
            cx.error_spanned_by(
                field.attrs.split.key(),
                "`split` needs a `Vec<T>` field (or `Option<Vec<T>>`)",
            );
        } else if split.value().is_empty() {
            cx.error_spanned_by(split, "`split` separator is empty");
        }
    }
}

/// A deprecated variable is going away, so the service cannot require it: it is an `Option`
/// or has a default.
fn check_deprecated_is_optional(cx: &mut Ctxt, field: &Field) {
    let Some(key) = field.attrs.deprecated.key() else {
        return;
    };
    if field.shape.option.is_none()
        && !field.attrs.default.is_set()
        && !field.attrs.default_from.is_set()
    {
        cx.error_spanned_by(
            key,
            "a deprecated variable must be optional (an `Option` or a default): it is going away, so the service cannot require it",
        );
    }
}

/// `old_values` maps values read under an old name: it needs an `alias`, and each new value is
/// one the field accepts (`one_of`).
fn check_old_values(cx: &mut Ctxt, field: &Field) {
    let (Some(key), Some(values)) = (field.attrs.old_values.key(), field.attrs.old_values.get())
    else {
        return;
    };
    if field.attrs.alias.key().is_none() {
        cx.error_spanned_by(
            key,
            "`old_values` maps values read under an old name: add the old name with `alias = \"..\"`",
        );
    }
    if let Some(one_of) = field.attrs.one_of.get() {
        for (_, new) in values {
            if !one_of.items.iter().any(|item| item.value() == new.value()) {
                cx.error_spanned_by(
                    new,
                    format!(
                        "{:?} is not one of the field's `one_of` values",
                        new.value()
                    ),
                );
            }
        }
    }
}

/// A value is parsed one way: `parse_with` or `deserialize`, not both.
fn check_one_parser(cx: &mut Ctxt, field: &Field) {
    if let (Some(_), Some(key)) = (field.attrs.parse_with.key(), field.attrs.deserialize.key()) {
        cx.error_spanned_by(
            key,
            "`deserialize` cannot be combined with `parse_with`: choose one way to parse the value",
        );
    }
}

/// A string `default` for a type the macro can parse (integers, floats, bools, durations) must
/// parse, so the mistake shows at compile time instead of as `invalid_default` at run time.
fn check_default_literal_parses(cx: &mut Ctxt, field: &Field) {
    let Some(lit) = string_default(&field.attrs.default) else {
        return;
    };
    if field.shape.list.is_some()
        || field.attrs.parse_with.is_set()
        || field.attrs.deserialize.is_set()
    {
        return;
    }
    let text = lit.value();
    let problem = literal_problem(field, &text);
    if let Some(problem) = problem {
        cx.error_spanned_by(
            lit,
            format!(
                "default {:?} does not parse as `{}`: {problem}",
                text,
                crate::ty::display(field.shape.scalar)
            ),
        );
    }
}

/// Why `text` does not parse with the field's built-in rule for integers, floats, bools and
/// durations; `None` when it parses or the rule is not one the macro can run.
fn literal_problem(field: &Field, text: &str) -> Option<String> {
    if field.attrs.parse_with.is_set() || field.attrs.deserialize.is_set() {
        return None;
    }
    match Builtin::of(field.shape.scalar) {
        Builtin::Integer => integer_problem(
            text,
            &ty::last_ident(field.shape.scalar).unwrap_or_default(),
        ),
        Builtin::Float => text.trim().parse::<f64>().err().map(|e| e.to_string()),
        Builtin::Bool => {
            let t = text.trim().to_ascii_lowercase();
            (!["true", "false", "1", "0", "yes", "no", "on", "off"].contains(&t.as_str()))
                .then(|| "expected true/false, 1/0, yes/no or on/off".to_owned())
        }
        Builtin::Duration => humantime::parse_duration(text.trim())
            .err()
            .map(|e| e.to_string()),
        Builtin::Os | Builtin::Secret | Builtin::String | Builtin::FromStr => None,
    }
}

/// An alias is an old name of its own variable only: not empty, not the variable's own name,
/// not given twice, neither another field's variable nor another field's alias.
fn check_aliases(cx: &mut Ctxt, cont: &Container) {
    let plain = || cont.fields.iter().filter(|f| !f.attrs.nested.is_set());
    let mut owners: HashMap<&str, &Field> = HashMap::new();
    for field in plain() {
        owners.entry(&field.name).or_insert(field);
    }
    let mut aliases: HashMap<String, &Field> = HashMap::new();
    for field in plain() {
        for alias in field.attrs.alias.values() {
            let text = alias.value();
            check_name_literal(cx, Some(alias));
            let problem = if text.is_empty() {
                "`alias` is empty: an old name is a variable name".to_owned()
            } else if text == field.name {
                format!("alias `{text}` is the variable's own name; an alias is an old name")
            } else if let Some(owner) = owners.get(text.as_str()) {
                format!(
                    "alias `{text}` is the variable of field `{}`: two fields cannot read one variable",
                    owner.ident_str()
                )
            } else if let Some(first) = aliases.get(&text) {
                if std::ptr::eq(*first, field) {
                    format!("alias `{text}` is given twice")
                } else {
                    format!(
                        "alias `{text}` is already an alias of field `{}`: two fields cannot read one variable",
                        first.ident_str()
                    )
                }
            } else {
                aliases.insert(text, field);
                continue;
            };
            cx.error_spanned_by(alias, problem);
        }
    }
}
/// The string literal of `default = "..."`, if that is what was written.
pub fn string_default(slot: &Slot<Expr>) -> Option<&LitStr> {
    match slot.get()? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit),
        _ => None,
    }
}

fn integer_problem(text: &str, ty: &str) -> Option<String> {
    let (min, max): (i128, u128) = match ty {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "u128" => (0, u128::MAX),
        "i8" => (i8::MIN.into(), i8::MAX as u128),
        "i16" => (i16::MIN.into(), i16::MAX as u128),
        "i32" => (i32::MIN.into(), i32::MAX as u128),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX as u128),
        _ => (i128::MIN, i128::MAX as u128),
    };
    if let Ok(n) = text.parse::<u128>() {
        return (n > max).then(|| format!("number too large to fit in `{ty}` (max {max})"));
    }
    match text.parse::<i128>() {
        Ok(n) if n < min => Some(format!("number too small to fit in `{ty}` (min {min})")),
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}
