//! What one variable's value must be, as JSON Schema keywords (`pattern`, `enum`, lengths and
//! number annotations), from the rule the loader reads it with, its list separator and its
//! constraints; and how the empty value is read. A `Reading` is a rule with its `range` as
//! the loader applies them to one value: whether it takes a text, and the pattern of what it
//! takes.

use std::cmp::Ordering;
use std::ffi::OsStr;

use serde_json::{Map, Value, json};

use super::pattern::{END, Int, Re, any_item, duration, float, integer, integer_bounds, list};
use crate::contract::{Bounds, LenBounds, ValueRule, Variable};

/// How the empty value is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Empty {
    /// It means absent: the default or `None`, always accepted.
    Absent,
    /// A required variable that may not be empty: it fails (`empty`).
    Fails,
    /// `allow_empty`: the parser and the constraints read it like any value.
    Parsed,
}

/// What a value (not yet accounting for the empty one) must be.
#[derive(Debug, Default)]
pub(super) struct ValueRules {
    /// A regular expression (without anchors) the whole value must match.
    pattern: Option<String>,
    /// Whether `pattern` matches the empty value.
    pattern_takes_empty: bool,
    /// The only texts allowed (`one_of` on a single value, already held to the rule).
    one_of: Option<Vec<String>>,
    /// `len` of a single value, in characters.
    len: Option<LenBounds>,
    /// Annotations: `minimum`, `maximum`, `exclusiveMaximum`.
    annotations: Map<String, Value>,
}

impl ValueRules {
    /// The JSON Schema keywords for a value read as `empty` says.
    pub(super) fn keywords(&self, empty: Empty) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(texts) = &self.one_of {
            let mut texts = texts.clone();
            match empty {
                Empty::Absent if !texts.iter().any(String::is_empty) => texts.push(String::new()),
                Empty::Fails => texts.retain(|t| !t.is_empty()),
                _ => {}
            }
            out.insert("enum".into(), json!(texts));
            out.extend(self.annotations.clone());
            return out;
        }
        if let Some(pattern) = &self.pattern {
            let pattern = match empty {
                Empty::Absent if !self.pattern_takes_empty => format!("^(?:|{pattern}){END}"),
                _ => format!("^(?:{pattern}){END}"),
            };
            out.insert("pattern".into(), json!(pattern));
        }
        let takes_empty = self.pattern.is_none() || self.pattern_takes_empty;
        let (min, max) = match self.len {
            Some(len) => (len.min, len.max),
            None => (0, None),
        };
        match empty {
            Empty::Absent if min > 0 => {
                out.insert(
                    "anyOf".into(),
                    json!([{ "maxLength": 0 }, { "minLength": min }]),
                );
            }
            Empty::Fails if takes_empty => {
                out.insert("minLength".into(), json!(min.max(1)));
            }
            _ if min > 0 => {
                out.insert("minLength".into(), json!(min));
            }
            _ => {}
        }
        if let Some(max) = max {
            out.insert("maxLength".into(), json!(max));
        }
        out.extend(self.annotations.clone());
        out
    }
}

/// The rules of a variable's value, from its recorded rule, separator and constraints.
pub(super) fn value_rules(var: &Variable) -> ValueRules {
    let spec = var.spec();
    let rule = spec.rule();
    let constraints = spec.constraints();
    let range = constraints.range();
    let mut out = ValueRules::default();
    let read = Reading::new(rule, range);
    let allowed = |text: &str| read.accepts(text) && len_fits(constraints.len(), text);
    match spec.split() {
        Some(separator) if !separator.is_empty() => {
            let one_of: Option<Vec<&str>> = (!constraints.one_of().is_empty()).then(|| {
                constraints
                    .one_of()
                    .iter()
                    .copied()
                    .filter(|t| !t.is_empty() && t.trim() == *t && read.accepts(t))
                    .collect()
            });
            let core_alphabet = |c: char| match &one_of {
                Some(texts) => texts.iter().any(|t| t.contains(c)),
                None => read.alphabet(c),
            };
            let first = separator.chars().next().unwrap_or(' ');
            let re = if first.is_whitespace() || core_alphabet(first) {
                Re::item_of(separator)
            } else {
                Re::plain()
            };
            let core = match &one_of {
                Some(texts) if texts.is_empty() => Some("(?!)".to_owned()),
                Some(texts) => Some(
                    texts
                        .iter()
                        .map(|t| re.literal(t))
                        .collect::<Vec<_>>()
                        .join("|"),
                ),
                None => read.core(&re),
            };
            let len = constraints.len().copied();
            if core.is_some() || len.is_some() {
                let core = core.unwrap_or_else(|| any_item(&re));
                out.pattern = Some(list(&re, &Re::plain().literal(separator), &core, len));
                out.pattern_takes_empty = len.is_none_or(|len| len.min == 0);
            }
        }
        _ => {
            if !constraints.one_of().is_empty() {
                out.one_of = Some(
                    constraints
                        .one_of()
                        .iter()
                        .filter(|t| allowed(t))
                        .map(|t| (*t).to_owned())
                        .collect(),
                );
            }
            out.pattern = read.single();
            out.len = constraints.len().copied();
            out.annotations = read.annotations();
        }
    }
    out
}

/// Whether a text's length in characters fits `len`.
fn len_fits(len: Option<&LenBounds>, text: &str) -> bool {
    len.is_none_or(|len| {
        let count = text.chars().count();
        count >= len.min && len.max.is_none_or(|max| count <= max)
    })
}

/// A rule with its `range`, as the loader applies them to one value (one item of a list).
struct Reading<'a> {
    rule: ValueRule,
    range: Option<&'a Bounds>,
    /// An integer rule's values: the type's bounds within the `range`, `None` when none is
    /// left (an empty range, or a bound that does not parse as the type, which the loader
    /// fails every value on).
    ints: Option<(Int, Int)>,
}

impl<'a> Reading<'a> {
    fn new(rule: ValueRule, range: Option<&'a Bounds>) -> Reading<'a> {
        let ints = match rule {
            ValueRule::Integer { min, max } => integer_bounds(min, max, range),
            _ => None,
        };
        Reading { rule, range, ints }
    }

    /// Whether the loader reads `text` (one value, or one trimmed item): parses and is in
    /// range. `true` where the parser is not known.
    fn accepts(&self, text: &str) -> bool {
        let raw = OsStr::new(text);
        match self.rule {
            ValueRule::Bool => crate::value::bool(raw).is_ok(),
            ValueRule::Duration => {
                let bound = |b: Option<&str>| b.map(|b| crate::value::duration(OsStr::new(b)));
                match crate::value::duration(raw) {
                    Ok(value) => self.range.is_none_or(|range| {
                        in_range(&value, bound(range.min), bound(range.max), range)
                    }),
                    Err(_) => false,
                }
            }
            ValueRule::Integer { min, max } => match (Int::parse(text, min, max), self.ints) {
                (Some(value), Some((lo, hi))) => lo <= value && value <= hi,
                _ => false,
            },
            ValueRule::Float => {
                let bound = |b: Option<&str>| b.map(str::parse::<f64>);
                match text.parse::<f64>() {
                    Ok(value) => self.range.is_none_or(|range| {
                        in_range(&value, bound(range.min), bound(range.max), range)
                    }),
                    Err(_) => false,
                }
            }
            ValueRule::Text => self.range.is_none_or(|range| {
                let bound = |b: Option<&'a str>| b.map(Ok::<_, ()>);
                in_range(&text, bound(range.min), bound(range.max), range)
            }),
            ValueRule::OsText
            | ValueRule::FromStr
            | ValueRule::ParseWith(_)
            | ValueRule::Deserialize => true,
        }
    }

    /// Whether a character can be part of an item this rule reads (not counting the
    /// whitespace around it), to tell whether an item's pattern could run over a separator.
    fn alphabet(&self, c: char) -> bool {
        match self.rule {
            ValueRule::Bool => c.is_ascii_alphanumeric(),
            ValueRule::Duration => {
                c.is_ascii_alphanumeric() || c.is_whitespace() || "µ.".contains(c)
            }
            ValueRule::Integer { .. } => c.is_ascii_digit() || "+-".contains(c),
            ValueRule::Float => c.is_ascii_alphanumeric() || "+-.".contains(c),
            ValueRule::Text
            | ValueRule::OsText
            | ValueRule::FromStr
            | ValueRule::ParseWith(_)
            | ValueRule::Deserialize => true,
        }
    }

    /// The pattern of a whole single value, `None` for any text.
    fn single(&self) -> Option<String> {
        let re = Re::plain();
        let ws = format!("{}*", re.ws());
        match self.rule {
            ValueRule::Bool | ValueRule::Duration => {
                Some(format!("{ws}(?:{}){ws}", self.core(&re)?))
            }
            _ => self.core(&re),
        }
    }

    /// The pattern of a trimmed value (no whitespace around it; a list's item), `None` for
    /// any text.
    fn core(&self, re: &Re) -> Option<String> {
        match self.rule {
            ValueRule::Bool => Some(
                ["true", "false", "yes", "no", "on", "off"]
                    .iter()
                    .map(|word| re.word(word))
                    .chain(["1", "0"].iter().map(|d| re.literal(d)))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            ValueRule::Duration => Some(duration(re)),
            ValueRule::Integer { min, .. } => Some(match self.ints {
                Some((lo, hi)) => integer(re, min < 0, lo, hi),
                None => "(?!)".to_owned(),
            }),
            ValueRule::Float => Some(float(re, self.range)),
            ValueRule::Text
            | ValueRule::OsText
            | ValueRule::FromStr
            | ValueRule::ParseWith(_)
            | ValueRule::Deserialize => None,
        }
    }

    /// `minimum`, `maximum` and `exclusiveMaximum` for an integer's bounds and a float's
    /// `range`, where JSON numbers hold them.
    fn annotations(&self) -> Map<String, Value> {
        let mut out = Map::new();
        match (self.rule, self.ints) {
            (ValueRule::Integer { .. }, Some((lo, hi))) => {
                if let Some(lo) = lo.to_json() {
                    out.insert("minimum".into(), lo);
                }
                if let Some(hi) = hi.to_json() {
                    out.insert("maximum".into(), hi);
                }
            }
            (ValueRule::Float, _) => {
                let Some(range) = self.range else { return out };
                let number = |text: Option<&str>| {
                    let value = text?.parse::<f64>().ok()?;
                    serde_json::Number::from_f64(value).map(Value::Number)
                };
                if let Some(min) = number(range.min) {
                    out.insert("minimum".into(), min);
                }
                if let Some(max) = number(range.max) {
                    let key = if range.max_inclusive {
                        "maximum"
                    } else {
                        "exclusiveMaximum"
                    };
                    out.insert(key.into(), max);
                }
            }
            _ => {}
        }
        out
    }
}

/// Whether `value` is within `range`, its bounds parsed (`Err`: a bound the loader cannot
/// parse, which it fails every value on); no order (NaN) is out of range, as in the loader.
fn in_range<T: PartialOrd, E>(
    value: &T,
    min: Option<Result<T, E>>,
    max: Option<Result<T, E>>,
    range: &Bounds,
) -> bool {
    let low = match min {
        Some(Ok(min)) => matches!(
            value.partial_cmp(&min),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        Some(Err(_)) => false,
        None => true,
    };
    let high = match max {
        Some(Ok(max)) => match value.partial_cmp(&max) {
            Some(Ordering::Less) => true,
            Some(Ordering::Equal) => range.max_inclusive,
            _ => false,
        },
        Some(Err(_)) => false,
        None => true,
    };
    low && high
}
