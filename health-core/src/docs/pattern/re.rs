//! `Re`, which writes regular expressions that ECMA-262 and Python's `re` read alike:
//! characters, literals and words, guarded inside the items of a list; escaping, and
//! alternatives as one group.

/// Whitespace as `str::trim` and humantime see it (Unicode `White_Space`), for a class.
pub(super) const WHITESPACE: &str =
    r"\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The end of the text, in ECMA-262 and in Python (where `$` alone also matches before a
/// final `\n`).
pub(crate) const END: &str = r"$(?!\n)";

/// Writes regular expressions that ECMA-262 and Python's `re` read alike. Inside the items of
/// a list whose separator an item could contain, every character an item consumes is guarded
/// by a lookahead refusing the separator, so that an item never runs over one.
pub(crate) struct Re {
    /// `(?!SEP)`, or empty.
    guard: String,
}

impl Re {
    /// No guard.
    pub(crate) fn plain() -> Re {
        Re {
            guard: String::new(),
        }
    }

    /// Guarded against `separator`.
    pub(crate) fn item_of(separator: &str) -> Re {
        Re {
            guard: format!("(?!{})", Re::plain().literal(separator)),
        }
    }

    /// One character: a class (`[0-9]`) or an escaped literal, guarded.
    pub(super) fn ch(&self, class: &str) -> String {
        if self.guard.is_empty() {
            class.to_owned()
        } else {
            format!("(?:{}{class})", self.guard)
        }
    }

    /// One whitespace character.
    pub(crate) fn ws(&self) -> String {
        self.ch(&format!("[{WHITESPACE}]"))
    }

    /// One ASCII digit.
    pub(super) fn digit(&self) -> String {
        self.ch("[0-9]")
    }

    /// `text`, exactly.
    pub(crate) fn literal(&self, text: &str) -> String {
        text.chars().map(|c| self.ch(&escape(c))).collect()
    }

    /// An ASCII word in any case: `[Tt][Rr][Uu][Ee]`.
    pub(crate) fn word(&self, word: &str) -> String {
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
    pub(super) fn digits(&self, set: &[u8]) -> String {
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
    pub(super) fn any_digits(&self, n: usize) -> String {
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
pub(super) fn any_of(alternatives: &[String]) -> String {
    match alternatives {
        [] => "(?!)".to_owned(),
        [one] => one.clone(),
        many => format!("(?:{})", many.join("|")),
    }
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
