//! What one variable's value must be, as JSON Schema keywords (`pattern`, `enum`, lengths and
//! number annotations), from the rule the loader reads it with, its list separator and its
//! constraints; and how the empty value is read. A `Reading` is a rule with its `range` as
//! the loader applies them to one value: whether it takes a text, the pattern of what it
//! takes, and that in words. A pattern too long to read in a property is kept once in `Defs`,
//! the schema's `$defs`.

use std::cmp::Ordering;
use std::ffi::OsStr;

use serde_json::{Map, Value, json};

use super::notes::sentences;
use super::pattern::{END, Int, Re, any_item, duration, float, integer, integer_bounds, list};
use crate::constraint::{describe_len, describe_one_of};
use crate::contract::{Bounds, LenBounds, ValueRule, Variable};

/// The longest anchored pattern written in a property; a longer one is kept in `$defs`.
pub(super) const INLINE_PATTERN: usize = 240;

/// The schema's `$defs`: each pattern too long to read in a property, kept once under a name
/// for what it reads (`duration`, `u64`, or a list's variable), with a description in words.
#[derive(Debug, Default)]
pub(super) struct Defs {
    defs: Map<String, Value>,
}

impl Defs {
    /// `{"$ref": "#/$defs/NAME"}` for a string matching `pattern`, described by `words`: kept
    /// under `name` (its characters other than ASCII letters, digits, `_` and `-` made `_`),
    /// or `name_2`, ... when another holds that name; the same schema is kept once.
    fn refer(&mut self, name: &str, pattern: String, words: &str) -> Map<String, Value> {
        let schema = json!({ "type": "string", "pattern": pattern, "description": words });
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let held = self
            .defs
            .iter()
            .find(|(_, held)| **held == schema)
            .map(|(key, _)| key.clone());
        let key = held.unwrap_or_else(|| {
            let mut key = name.clone();
            let mut n = 1;
            while self.defs.contains_key(&key) {
                n += 1;
                key = format!("{name}_{n}");
            }
            self.defs.insert(key.clone(), schema);
            key
        });
        let mut out = Map::new();
        out.insert("$ref".into(), json!(format!("#/$defs/{key}")));
        out
    }

    /// The `$defs` object, `None` when no pattern was kept.
    pub(super) fn into_value(self) -> Option<Value> {
        (!self.defs.is_empty()).then_some(Value::Object(self.defs))
    }
}

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
    /// What `pattern` reads, in words: the description of its entry in `$defs`.
    words: String,
    /// The name `pattern` is kept under in `$defs` when it is long.
    name: String,
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
    /// The JSON Schema keywords for a value read as `empty` says. Where the empty value means
    /// absent, it is accepted beside what refuses it: in the pattern (`^(?:|...)`) when that
    /// is written in the property, else as `"anyOf": [{"maxLength": 0}, {...}]`, so that an
    /// `enum` lists only the values read and a pattern kept in `$defs` is the value's alone.
    pub(super) fn keywords(&self, empty: Empty, defs: &mut Defs) -> Map<String, Value> {
        let mut out = Map::new();
        let absent = empty == Empty::Absent;
        if let Some(texts) = &self.one_of {
            let mut texts = texts.clone();
            if empty != Empty::Parsed {
                texts.retain(|t| !t.is_empty());
            }
            if absent {
                out.insert(
                    "anyOf".into(),
                    json!([{ "maxLength": 0 }, { "enum": texts }]),
                );
            } else {
                out.insert("enum".into(), json!(texts));
            }
            out.extend(self.annotations.clone());
            return out;
        }
        let takes_empty = self.pattern.is_none() || self.pattern_takes_empty;
        // What refuses the empty value, bypassed by it where it means absent.
        let mut refusing = Map::new();
        if let Some(pattern) = &self.pattern {
            let whole = format!("^(?:{pattern}){END}");
            if whole.len() > INLINE_PATTERN {
                let reference = defs.refer(&self.name, whole, &self.words);
                if takes_empty {
                    out.extend(reference);
                } else {
                    refusing.extend(reference);
                }
            } else if absent && !takes_empty {
                out.insert("pattern".into(), json!(format!("^(?:|{pattern}){END}")));
            } else {
                out.insert("pattern".into(), json!(whole));
            }
        }
        let (min, max) = match self.len {
            Some(len) => (len.min, len.max),
            None => (0, None),
        };
        match empty {
            Empty::Absent if min > 0 => {
                refusing.insert("minLength".into(), json!(min));
            }
            Empty::Fails if takes_empty => {
                out.insert("minLength".into(), json!(min.max(1)));
            }
            _ if min > 0 => {
                out.insert("minLength".into(), json!(min));
            }
            _ => {}
        }
        if absent && !refusing.is_empty() {
            out.insert(
                "anyOf".into(),
                json!([{ "maxLength": 0 }, Value::Object(refusing)]),
            );
        } else {
            out.extend(refusing);
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
                let item = match &one_of {
                    Some(texts) => describe_one_of(texts),
                    None => format!(
                        "is {}",
                        read.words().unwrap_or_else(|| "any text".to_owned())
                    ),
                };
                let mut words = format!(
                    "A list separated by `{separator}` (each item trimmed, empty items \
                     skipped): each item {item}"
                );
                if let Some(len) = &len {
                    words = format!("{words}; it {}", describe_len(len, true));
                }
                out.words = format!("{words}.");
                out.name = var.name().to_owned();
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
            out.words = read
                .words()
                .map(|words| single_words(&words, read.trimmed()))
                .unwrap_or_default();
            out.name = read.name();
            out.len = constraints.len().copied();
            out.annotations = read.annotations();
        }
    }
    out
}

/// A single value's description from what it reads: a sentence, whitespace around it ignored
/// where the loader trims it.
fn single_words(words: &str, trimmed: bool) -> String {
    let around = if trimmed {
        "; whitespace around it is ignored"
    } else {
        ""
    };
    sentences(&[format!("{words}{around}")])
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

    /// What `core` reads, in words (of a trimmed value), `None` for any text.
    fn words(&self) -> Option<String> {
        Some(match self.rule {
            ValueRule::Bool => "`true`, `false`, `yes`, `no`, `on`, `off`, `1` or `0`, in any case",
            ValueRule::Duration => {
                "a duration as humantime reads it, like `250ms`, `2s`, `1h 30m` or `1.5h`: \
                 numbers each followed by a unit (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`, \
                 `M`, `y`, or a longer name such as `sec` or `minutes`), a fraction no finer \
                 than its unit's precision, or `0`"
            }
            ValueRule::Integer { .. } => match self.ints {
                Some((lo, hi)) => {
                    return Some(format!(
                        "an integer from {lo} to {hi} (`+` and leading zeros allowed, no spaces)"
                    ));
                }
                None => "nothing: the `range` leaves no value",
            },
            ValueRule::Float if self.range.is_some() => {
                "a number as `f64` parses it (`1.5`, `-2e3`, `.5`), not `NaN`, nor an \
                 infinity beyond the range"
            }
            ValueRule::Float => "a number as `f64` parses it (`1.5`, `-2e3`, `.5`, `inf`, `NaN`)",
            ValueRule::Text
            | ValueRule::OsText
            | ValueRule::FromStr
            | ValueRule::ParseWith(_)
            | ValueRule::Deserialize => return None,
        }
        .to_owned())
    }

    /// The name of this reading's pattern in `$defs`: `duration`, `bool`, `float`, an integer
    /// type (`u64`) or its values within a `range` (`i64_0_to_9223372036854775807`).
    fn name(&self) -> String {
        match (self.rule, self.ints) {
            (ValueRule::Integer { min, max }, Some((lo, hi))) => {
                let ty = integer_type(min, max).unwrap_or_else(|| "integer".to_owned());
                if integer_bounds(min, max, None) == Some((lo, hi)) {
                    ty
                } else {
                    format!("{ty}_{lo}_to_{hi}")
                }
            }
            (ValueRule::Integer { .. }, None) => "no_integer".to_owned(),
            (ValueRule::Bool, _) => "bool".to_owned(),
            (ValueRule::Duration, _) => "duration".to_owned(),
            (ValueRule::Float, _) => "float".to_owned(),
            _ => "text".to_owned(),
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

    /// Whether the loader trims a single value before reading it (`single` allows whitespace
    /// around it).
    fn trimmed(&self) -> bool {
        matches!(self.rule, ValueRule::Bool | ValueRule::Duration)
    }

    /// The pattern of a whole single value, `None` for any text.
    fn single(&self) -> Option<String> {
        let re = Re::plain();
        let ws = format!("{}*", re.ws());
        if self.trimmed() {
            Some(format!("{ws}(?:{}){ws}", self.core(&re)?))
        } else {
            self.core(&re)
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

/// The primitive integer type with these bounds (`u16`, `i64`), if one has them.
fn integer_type(min: i128, max: u128) -> Option<String> {
    [8u32, 16, 32, 64, 128].into_iter().find_map(|bits| {
        if min == 0 && max == u128::MAX >> (128 - bits) {
            Some(format!("u{bits}"))
        } else if min == i128::MIN >> (128 - bits) && max == u128::MAX >> (129 - bits) {
            Some(format!("i{bits}"))
        } else {
            None
        }
    })
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
