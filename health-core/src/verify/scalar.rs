//! What a YAML 1.1 reader makes of a scalar: Kubernetes reads manifests with
//! `sigs.k8s.io/yaml` (go-yaml v2), where a plain `yes`, `on`, `8080`, `0x1F` or `1e3` is
//! not a string, and the API server refuses it where a string goes (an env `value`, a
//! ConfigMap's `data`). Ported from go-yaml v2's `resolve`.

/// What a YAML 1.1 reader (Kubernetes' `sigs.k8s.io/yaml`) makes of a scalar meant as a
/// string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Text<'a> {
    /// A string.
    Str(&'a str),
    /// `null`, `~` or nothing: an empty string for a Kubernetes string field.
    Null,
    /// Anything else: "a number", "a boolean", "a list", "a mapping".
    Not(&'static str),
}

/// How a scalar reads: its text, whether it was plain (unquoted, not a block), and its
/// core-schema tag's suffix (`!!str` is `str`).
pub(crate) fn resolve<'a>(text: &'a str, plain: bool, tag: Option<&str>) -> Text<'a> {
    match tag {
        Some("str" | "binary") => Text::Str(text),
        Some("null") => Text::Null,
        Some("bool") => Text::Not("a boolean"),
        Some("int" | "float") => Text::Not("a number"),
        _ if !plain => Text::Str(text),
        _ => match plain_type(text) {
            Some(Plain::Null) => Text::Null,
            Some(Plain::Bool) => Text::Not("a boolean"),
            Some(Plain::Number) => Text::Not("a number"),
            None => Text::Str(text),
        },
    }
}

/// Whether a plain scalar is `true` as YAML 1.1 reads a boolean (`true`, `yes`, `on`, ...).
pub(crate) fn is_true(text: &str) -> bool {
    matches!(
        text,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "y" | "Y" | "on" | "On" | "ON"
    )
}

/// The type YAML 1.1 (go-yaml v2's `resolve`) gives a plain scalar, when not a string.
enum Plain {
    Null,
    Bool,
    Number,
}

fn plain_type(text: &str) -> Option<Plain> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Plain::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "true" | "True"
        | "TRUE" | "false" | "False" | "FALSE" | "on" | "On" | "ON" | "off" | "Off" | "OFF" => {
            return Some(Plain::Bool);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Some(Plain::Number),
        _ => {}
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let unsigned = plain.strip_prefix(['+', '-']).unwrap_or(plain.as_str());
    let radix = |prefix: &str, digit: fn(&char) -> bool| {
        unsigned
            .strip_prefix(prefix)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| digit(&c)))
    };
    let number = radix("0x", char::is_ascii_hexdigit)
        || radix("0o", |c| matches!(c, '0'..='7'))
        || radix("0b", |c| matches!(c, '0' | '1'))
        || is_float(unsigned);
    number.then_some(Plain::Number)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`: go-yaml v2's float (and decimal) form.
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::Text;
    use crate::verify::yaml::{Node, parse};

    fn one(text: &str) -> Node {
        parse(text)
            .ok()
            .and_then(|mut docs| docs.pop())
            .expect("one document")
    }

    #[test]
    fn plain_scalars_resolve_as_yaml_1_1_does() {
        let doc = one(
            "a: 8080\nb: \"8080\"\nc: yes\nd: 'on'\ne: ~\nf:\ng: 0x1F\nh: 1e3\ni: 1_000\nj: \
             .5\nk: 1.2.3\nl: !!str 42\nm: text\nn: -.inf\no: 0b102\np: [1]\nq: {}\nr: |\n  x\n",
        );
        let text = |key| doc.get(key).unwrap().text();
        assert_eq!(text("a"), Text::Not("a number"));
        assert_eq!(text("b"), Text::Str("8080"));
        assert_eq!(text("c"), Text::Not("a boolean"));
        assert_eq!(text("d"), Text::Str("on"));
        assert_eq!(text("e"), Text::Null);
        assert_eq!(text("f"), Text::Null);
        assert_eq!(text("g"), Text::Not("a number"));
        assert_eq!(text("h"), Text::Not("a number"));
        assert_eq!(text("i"), Text::Not("a number"));
        assert_eq!(text("j"), Text::Not("a number"));
        assert_eq!(text("k"), Text::Str("1.2.3"));
        assert_eq!(text("l"), Text::Str("42"));
        assert_eq!(text("m"), Text::Str("text"));
        assert_eq!(text("n"), Text::Not("a number"));
        assert_eq!(text("o"), Text::Str("0b102"));
        assert_eq!(text("p"), Text::Not("a list"));
        assert_eq!(text("q"), Text::Not("a mapping"));
        assert_eq!(text("r"), Text::Str("x\n"));
        assert!(doc.get("c").unwrap().is_true());
        assert!(!doc.get("d").unwrap().is_true());
    }
}
