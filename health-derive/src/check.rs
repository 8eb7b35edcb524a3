//! Rules a config struct must follow, one function a rule, all run on every expansion.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::Duration;

use syn::{Expr, ExprLit, Lit, LitStr};

use crate::attr::{Bound, BoundKind, RangeAttr, Slot};
use crate::ctxt::Ctxt;
use crate::model::{Container, Field};
use crate::ty::{self, Builtin};

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
    }
    check_aliases(cx, cont);
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
    ] {
        if let Some(key) = key {
            cx.error_spanned_by(
                key,
                format!("`nested` cannot be combined with `{name}`: a nested struct's variables are configured on its own fields"),
            );
        }
    }
    if field.shape.option.is_some() || field.shape.list.is_some() {
        cx.error_spanned_by(
            field.ty,
            "a `nested` field must be a struct that derives ReadinessContract, not an `Option` or a `Vec`",
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

/// A `range` applies to an ordered value, each bound parses with the field's rule (a bound
/// of `u16` fits `u16`), the range holds a value, and a literal default lies in it.
fn check_range(cx: &mut Ctxt, field: &Field) {
    let (Some(key), Some(range)) = (field.attrs.range.key(), field.attrs.range.get()) else {
        return;
    };
    if Builtin::of(field.shape.scalar) == Builtin::Bool {
        cx.error_spanned_by(
            key,
            "`range` cannot apply to `bool`: `false` and `true` have no useful order",
        );
        return;
    }
    let known = |cx: &mut Ctxt, bound: &Option<Bound>| {
        let bound = bound.as_ref()?;
        match known_value(field, &bound.text, bound.kind) {
            Ok(known) => known,
            Err(problem) => {
                cx.error_spanned_by(
                    &bound.expr,
                    format!(
                        "`range` bound {} does not parse as `{}`: {problem}",
                        shown(&bound.text, bound.kind),
                        ty::display(field.shape.scalar)
                    ),
                );
                None
            }
        }
    };
    let min = known(cx, &range.start);
    let max = known(cx, &range.end);
    if let (Some(min), Some(max)) = (&min, &max)
        && compare(min, max).is_some()
        && !holds(Some(min), Some(max), range.inclusive, min)
    {
        cx.error_spanned_by(
            &range.expr,
            format!("`range` is empty: no value lies in `{}`", range.display()),
        );
        return;
    }
    for (text, kind, expr) in default_items(field) {
        let Ok(Some(value)) = known_value(field, &text, kind) else {
            continue;
        };
        if !holds(min.as_ref(), max.as_ref(), range.inclusive, &value) {
            cx.error_spanned_by(
                expr,
                format!(
                    "default {} is outside `range = {}`",
                    shown(&text, kind),
                    range.display()
                ),
            );
            return;
        }
    }
}

/// `one_of` lists at least one text, none twice, each one the field's built-in rule can
/// read, and a default given as a literal is among them.
fn check_one_of(cx: &mut Ctxt, field: &Field) {
    let Some(one_of) = field.attrs.one_of.get() else {
        return;
    };
    if one_of.items.is_empty() {
        cx.error_spanned_by(
            &one_of.array,
            "`one_of` is empty: no value could pass; list the texts a value may have",
        );
        return;
    }
    let mut seen = Vec::new();
    for item in &one_of.items {
        let text = item.value();
        if seen.contains(&text) {
            cx.error_spanned_by(item, format!("`one_of` lists {text:?} twice"));
        } else if let Some(problem) = literal_problem(field, &text) {
            cx.error_spanned_by(
                item,
                format!(
                    "`one_of` item {text:?} does not parse as `{}`, so no value could match it: {problem}",
                    ty::display(field.shape.scalar)
                ),
            );
        }
        seen.push(text);
    }
    if let Some(expr) = field.attrs.default.get()
        && !is_literal(&field.attrs.default)
    {
        cx.error_spanned_by(
            expr,
            "`one_of` compares the value's text, so the default must be a literal: write it as text, e.g. `default = \"info\"`",
        );
    }
    for (text, _, expr) in default_items(field) {
        if !seen.contains(&text) {
            cx.error_spanned_by(
                expr,
                format!("default {text:?} is not one of {}", texts(&seen)),
            );
            return;
        }
    }
}

/// `len` counts the characters of a text or the items of a list (never a number's digits),
/// its bounds are whole numbers, it holds a length, and a string default has one in it.
fn check_len(cx: &mut Ctxt, field: &Field) {
    let (Some(key), Some(len)) = (field.attrs.len.key(), field.attrs.len.get()) else {
        return;
    };
    let builtin = !field.attrs.parse_with.is_set() && !field.attrs.deserialize.is_set();
    if field.shape.list.is_none()
        && builtin
        && matches!(
            Builtin::of(field.shape.scalar),
            Builtin::Integer | Builtin::Float | Builtin::Bool | Builtin::Duration
        )
    {
        cx.error_spanned_by(
            key,
            format!(
                "`len` cannot apply to `{}`: it counts the characters of a text or the items of a list; bound a number with `range`",
                ty::display(field.shape.scalar)
            ),
        );
        return;
    }
    let mut whole = true;
    for bound in [&len.start, &len.end].into_iter().flatten() {
        if bound.kind != BoundKind::Int || bound.text.parse::<usize>().is_err() {
            whole = false;
            cx.error_spanned_by(
                &bound.expr,
                "a `len` bound must be a whole number: a count of characters or of items",
            );
        }
    }
    if !whole {
        return;
    }
    let Some((min, max)) = len_bounds(len) else {
        cx.error_spanned_by(
            &len.expr,
            format!("`len` is empty: no length lies in `{}`", len.display()),
        );
        return;
    };
    let Some(expr) = field.attrs.default.get() else {
        return;
    };
    let Some(lit) = string_default(&field.attrs.default) else {
        cx.error_spanned_by(
            expr,
            "`len` counts the value's text, so the default must be a string literal, e.g. `default = \"info\"`",
        );
        return;
    };
    let (count, unit) = match field.shape.list {
        Some(_) => (default_items(field).len(), "item"),
        None => (lit.value().chars().count(), "character"),
    };
    if count < min || max.is_some_and(|max| count > max) {
        let plural = if count == 1 { "" } else { "s" };
        cx.error_spanned_by(
            lit,
            format!(
                "default {:?} has {count} {unit}{plural}, outside `len = {}`",
                lit.value(),
                len.display()
            ),
        );
    }
}

/// The least and greatest length (inclusive) of a `len` range; `None` when it is empty.
pub fn len_bounds(len: &RangeAttr) -> Option<(usize, Option<usize>)> {
    let number = |b: &Option<Bound>| b.as_ref().and_then(|b| b.text.parse::<usize>().ok());
    let min = number(&len.start).unwrap_or(0);
    let max = match number(&len.end) {
        Some(end) if len.inclusive => Some(end),
        Some(end) => Some(end.checked_sub(1)?),
        None => None,
    };
    match max {
        Some(max) if max < min => None,
        _ => Some((min, max)),
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

/// A value the macro can read from a literal, to compare bounds and defaults at compile
/// time.
enum Known {
    Int(i128),
    Float(f64),
    Duration(Duration),
    Text(String),
}

/// What `text` is as the field's value: `Ok(None)` when the macro cannot tell (a `FromStr`
/// type given a string), `Err` when the field's built-in rule rejects it.
fn known_value(field: &Field, text: &str, kind: BoundKind) -> Result<Option<Known>, String> {
    let builtin = !field.attrs.parse_with.is_set() && !field.attrs.deserialize.is_set();
    let literal = || match kind {
        BoundKind::Int => text.parse().ok().map(Known::Int),
        BoundKind::Float => text.parse().ok().map(Known::Float),
        BoundKind::Str => None,
    };
    if !builtin {
        return Ok(literal());
    }
    if let Some(problem) = literal_problem(field, text) {
        return Err(problem);
    }
    Ok(match Builtin::of(field.shape.scalar) {
        Builtin::Integer => text.trim().parse().ok().map(Known::Int),
        Builtin::Float => text.trim().parse().ok().map(Known::Float),
        Builtin::Duration => humantime::parse_duration(text.trim())
            .ok()
            .map(Known::Duration),
        Builtin::String | Builtin::Secret => Some(Known::Text(text.to_owned())),
        Builtin::Bool | Builtin::Os | Builtin::FromStr => literal(),
    })
}

fn compare(a: &Known, b: &Known) -> Option<Ordering> {
    match (a, b) {
        (Known::Int(a), Known::Int(b)) => Some(a.cmp(b)),
        (Known::Int(a), Known::Float(b)) => (*a as f64).partial_cmp(b),
        (Known::Float(a), Known::Int(b)) => a.partial_cmp(&(*b as f64)),
        (Known::Float(a), Known::Float(b)) => a.partial_cmp(b),
        (Known::Duration(a), Known::Duration(b)) => Some(a.cmp(b)),
        (Known::Text(a), Known::Text(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

/// Whether `value` lies in the range; a comparison the macro cannot make passes.
fn holds(min: Option<&Known>, max: Option<&Known>, inclusive: bool, value: &Known) -> bool {
    let low = min.is_none_or(|min| compare(value, min) != Some(Ordering::Less));
    let high = max.is_none_or(|max| match compare(value, max) {
        Some(Ordering::Greater) => false,
        Some(Ordering::Equal) => inclusive,
        _ => true,
    });
    low && high
}

/// The texts of a literal default, as the loader reads them: one for a value, each trimmed
/// non-empty item for a list (a string default split on the field's separator).
fn default_items<'a>(field: &'a Field<'_>) -> Vec<(String, BoundKind, &'a Expr)> {
    let Some(expr) = field.attrs.default.get() else {
        return Vec::new();
    };
    if let Some(lit) = string_default(&field.attrs.default) {
        let text = lit.value();
        return match field.shape.list {
            Some(_) => {
                let separator = field
                    .attrs
                    .split
                    .get()
                    .map_or_else(|| ",".to_owned(), LitStr::value);
                text.split(separator.as_str())
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| (item.to_owned(), BoundKind::Str, expr))
                    .collect()
            }
            None => vec![(text, BoundKind::Str, expr)],
        };
    }
    if field.shape.list.is_some() {
        return Vec::new();
    }
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => vec![(b.value.to_string(), BoundKind::Str, expr)],
        _ => Bound::from_expr(expr)
            .map(|b| vec![(b.text, b.kind, expr)])
            .unwrap_or_default(),
    }
}

/// Whether the default is a literal (`"info"`, `8000`, `-1`, `0.5`, `true`): its text is known.
fn is_literal(default: &Slot<Expr>) -> bool {
    match default.get() {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Bool(_), ..
        })) => true,
        Some(expr) => string_default(default).is_some() || Bound::from_expr(expr).is_some(),
        None => false,
    }
}

/// A bound or default as the user wrote it: a string quoted, a number bare.
fn shown(text: &str, kind: BoundKind) -> String {
    match kind {
        BoundKind::Str => format!("{text:?}"),
        BoundKind::Int | BoundKind::Float => format!("`{text}`"),
    }
}

/// `` `debug`, `info` ``.
fn texts(items: &[String]) -> String {
    items
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
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
