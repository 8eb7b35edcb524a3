//! Lists: items split on a separator and trimmed, empty ones skipped, their count bounded;
//! and any trimmed, non-empty item.

use super::re::{Re, WHITESPACE};
use crate::contract::LenBounds;

/// A list: parts split on `separator` (a literal pattern), each trimmed; a part of
/// whitespace only is skipped, any other part is an item and must match `core`, and `len`
/// bounds the number of items.
pub(crate) fn list(re: &Re, separator: &str, core: &str, len: Option<LenBounds>) -> String {
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
pub(crate) fn any_item(re: &Re) -> String {
    let solid = re.ch(&format!("[^{WHITESPACE}]"));
    format!("{solid}(?:{}*{solid})?", re.ch(r"[\s\S]"))
}
