//! The constraint rules: `range`, `one_of` and `len` apply to the field's type, their bounds
//! parse and hold a value, and a literal default keeps them; with the compile-time values
//! those rules compare.

use std::cmp::Ordering;
use std::time::Duration;

use syn::{Expr, ExprLit, Lit, LitStr};

use super::{literal_problem, string_default};
use crate::attr::{Bound, BoundKind, RangeAttr, Slot};
use crate::ctxt::Ctxt;
use crate::model::Field;
use crate::ty::{self, Builtin};

/// A `range` applies to an ordered value, each bound parses with the field's rule (a bound
/// of `u16` fits `u16`), the range holds a value, and a literal default lies in it.
pub(super) fn check_range(cx: &mut Ctxt, field: &Field) {
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
pub(super) fn check_one_of(cx: &mut Ctxt, field: &Field) {
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
pub(super) fn check_len(cx: &mut Ctxt, field: &Field) {
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
