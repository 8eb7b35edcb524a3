//! The regular expressions of the JSON Schema, which accept exactly what the loader accepts.
//!
//! They are written in the part of the syntax ECMA-262 (the dialect JSON Schema names) and
//! Python's `re` (the `jsonschema` package's) read alike. Here: `Re`, which writes characters,
//! literals and words, guarded inside the items of a list; escaping, alternatives, and lists.
//! The values themselves are in `duration` (humantime durations) and `number` (integers
//! within their bounds, floats).

mod duration;
mod number;

use crate::contract::LenBounds;

pub(super) use self::duration::duration;
pub(super) use self::number::{Int, float, integer, integer_bounds};

/// Whitespace as `str::trim` and humantime see it (Unicode `White_Space`), for a class.
const WHITESPACE: &str = r"\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The end of the text, in ECMA-262 and in Python (where `$` alone also matches before a
/// final `\n`).
pub(super) const END: &str = r"$(?!\n)";

/// Writes regular expressions that ECMA-262 and Python's `re` read alike. Inside the items of
/// a list whose separator an item could contain, every character an item consumes is guarded
/// by a lookahead refusing the separator, so that an item never runs over one.
pub(super) struct Re {
    /// `(?!SEP)`, or empty.
    guard: String,
}

impl Re {
    /// No guard.
    pub(super) fn plain() -> Re {
        Re {
            guard: String::new(),
        }
    }

    /// Guarded against `separator`.
    pub(super) fn item_of(separator: &str) -> Re {
        Re {
            guard: format!("(?!{})", Re::plain().literal(separator)),
        }
    }

    /// One character: a class (`[0-9]`) or an escaped literal, guarded.
    fn ch(&self, class: &str) -> String {
        if self.guard.is_empty() {
            class.to_owned()
        } else {
            format!("(?:{}{class})", self.guard)
        }
    }

    /// One whitespace character.
    pub(super) fn ws(&self) -> String {
        self.ch(&format!("[{WHITESPACE}]"))
    }

    /// One ASCII digit.
    fn digit(&self) -> String {
        self.ch("[0-9]")
    }

    /// `text`, exactly.
    pub(super) fn literal(&self, text: &str) -> String {
        text.chars().map(|c| self.ch(&escape(c))).collect()
    }

    /// An ASCII word in any case: `[Tt][Rr][Uu][Ee]`.
    pub(super) fn word(&self, word: &str) -> String {
        word.chars()
            .map(|c| {
                let (lower, upper) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
                if lower == upper {
                    self.ch(&escape(c))
                } else {
                    self.ch(&format!("[{upper}{lower}]"))
                }
            })
            .collect()
    }

    /// Digits from a set (`[05]`, `[0-4]`, `7`), guarded.
    fn digits(&self, set: &[u8]) -> String {
        let mut set = set.to_vec();
        set.sort_unstable();
        set.dedup();
        if let [one] = set.as_slice() {
            return self.ch(&char::from(*one).to_string());
        }
        let mut class = String::from("[");
        let mut i = 0;
        while i < set.len() {
            let mut j = i;
            while j + 1 < set.len() && set[j + 1] == set[j] + 1 {
                j += 1;
            }
            class.push(char::from(set[i]));
            if j >= i + 2 {
                class.push('-');
            }
            if j > i {
                class.push(char::from(set[j]));
            }
            i = j + 1;
        }
        class.push(']');
        self.ch(&class)
    }

    /// `n` digits: `[0-9]{n}`.
    fn any_digits(&self, n: usize) -> String {
        match n {
            0 => String::new(),
            1 => self.digit(),
            n => format!("{}{{{n}}}", self.digit()),
        }
    }
}

/// A character as a literal in a pattern.
fn escape(c: char) -> String {
    match c {
        '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|'
        | '/' => format!("\\{c}"),
        c if c.is_control() || (c.is_whitespace() && c != ' ') => {
            format!("\\u{:04X}", u32::from(c))
        }
        c => c.to_string(),
    }
}

/// Alternatives as one group.
fn any_of(alternatives: &[String]) -> String {
    match alternatives {
        [] => "(?!)".to_owned(),
        [one] => one.clone(),
        many => format!("(?:{})", many.join("|")),
    }
}

/// A list: parts split on `separator` (a literal pattern), each trimmed; a part of
/// whitespace only is skipped, any other part is an item and must match `core`, and `len`
/// bounds the number of items.
pub(super) fn list(re: &Re, separator: &str, core: &str, len: Option<LenBounds>) -> String {
    let ws = format!("{}*", re.ws());
    let item = format!("{ws}(?:{core}){ws}");
    let Some(len) = len else {
        return format!("{ws}(?:(?:{core}){ws})?(?:{separator}{ws}(?:(?:{core}){ws})?)*");
    };
    let skipped_before = format!("(?:{ws}{separator})*");
    let skipped_after = format!("(?:{separator}{ws})*");
    let none = format!("{ws}{skipped_after}");
    let more = |min: usize, max: Option<usize>| {
        let count = match max {
            Some(max) if max == min => format!("{{{min}}}"),
            Some(max) => format!("{{{min},{max}}}"),
            None => format!("{{{min},}}"),
        };
        format!("(?:{separator}{skipped_before}{item}){count}")
    };
    let some = |min: usize| {
        let max = len.max.map(|max| max - 1);
        if max == Some(0) {
            format!("{skipped_before}{item}{skipped_after}")
        } else {
            format!(
                "{skipped_before}{item}{}{skipped_after}",
                more(min.saturating_sub(1), max)
            )
        }
    };
    match (len.min, len.max) {
        (_, Some(max)) if max < len.min => "(?!)".to_owned(),
        (0, Some(0)) => none,
        (0, _) => format!("{none}|{}", some(1)),
        (min, _) => some(min),
    }
}

/// Any trimmed, non-empty item.
pub(super) fn any_item(re: &Re) -> String {
    let solid = re.ch(&format!("[^{WHITESPACE}]"));
    format!("{solid}(?:{}*{solid})?", re.ch(r"[\s\S]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_patterns_never_run_over_the_separator() {
        let re = Re::item_of("::");
        assert_eq!(re.literal("1"), "(?:(?!::)1)");
        assert_eq!(escape('.'), r"\.");
        assert_eq!(escape('\t'), r"\u0009");
        assert_eq!(escape(','), ",");
    }
}
