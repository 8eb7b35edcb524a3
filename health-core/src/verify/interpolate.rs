//! Compose's `${VAR}` interpolation, applied when `docker compose` reads the file: `$$` is a
//! `$`; `$VAR` and `${VAR}` take the shell's value (or its `.env`'s); `${VAR:-default}` and
//! `${VAR-default}` fall back to a default (which may interpolate again), `${VAR:?message}`
//! and `${VAR?message}` require the variable, `${VAR:+other}` and `${VAR+other}` replace a
//! set one. Any other `$` is refused by Compose ("invalid interpolation format").
//!
//! `verify` knows the shell's variables only through the `.env` files it is given; any other
//! variable is unknown, so a value that needs one is provided at deploy time, unless a
//! default stands in for it.

/// What interpolating one value gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Interpolated {
    /// The text, known.
    Text(String),
    /// Needs this variable of the shell, unknown here.
    Shell(String),
}

/// Why Compose would refuse the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Invalid(pub(crate) String);

/// Interpolates `input`; `lookup` gives the shell's value of a variable, `None` when unknown.
pub(crate) fn interpolate(
    input: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Interpolated, Invalid> {
    interpolate_at(input, lookup, 0)
}

/// Nested `${A:-${B:-...}}` deeper than this is refused (Compose has no such limit, but no
/// file needs more).
const MAX_NESTING: usize = 16;

fn interpolate_at(
    input: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<Interpolated, Invalid> {
    if depth > MAX_NESTING {
        return Err(Invalid("interpolation nested too deeply".to_owned()));
    }
    let mut out = String::new();
    let mut rest = input;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            let Some(close) = closing(inner) else {
                return Err(Invalid("a `${` is never closed".to_owned()));
            };
            match braced(&inner[..close], lookup, depth)? {
                Interpolated::Text(text) => out.push_str(&text),
                shell => return Ok(shell),
            }
            rest = &inner[close + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                return Err(Invalid(
                    "a `$` starts no variable (write `$$` for a `$`)".to_owned(),
                ));
            }
            match lookup(&after[..len]) {
                Some(value) => out.push_str(&value),
                None => return Ok(Interpolated::Shell(after[..len].to_owned())),
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(Interpolated::Text(out))
}

/// The length of the variable name at the start of `text`: `[_A-Za-z][_A-Za-z0-9]*`.
fn name_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return 0;
    }
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count()
}

/// The index of the `}` closing a `${`, nested `${...}` skipped.
fn closing(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// `NAME`, `NAME:-x`, `NAME-x`, `NAME:?x`, `NAME?x`, `NAME:+x`, `NAME+x`.
fn braced(
    body: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<Interpolated, Invalid> {
    let len = name_len(body);
    if len == 0 {
        return Err(Invalid("a `${...}` holds no variable name".to_owned()));
    }
    let (name, op) = body.split_at(len);
    let value = lookup(name);
    let (colon, op) = match op.strip_prefix(':') {
        Some(op) => (true, op),
        None => (false, op),
    };
    // `:` means "set and not empty"; without it, "set".
    let set = value.as_deref().map(|v| !colon || !v.is_empty());
    let Some(operator) = op.chars().next() else {
        return match (value, colon) {
            (_, true) => Err(Invalid("`${NAME:}` is not an interpolation".to_owned())),
            (Some(value), false) => Ok(Interpolated::Text(value)),
            (None, false) => Ok(Interpolated::Shell(name.to_owned())),
        };
    };
    let argument = &op[1..];
    match (operator, set) {
        ('-', Some(true)) | ('?', Some(true)) => Ok(Interpolated::Text(value.unwrap_or_default())),
        ('-', _) => interpolate_at(argument, lookup, depth + 1),
        ('?', Some(false)) => Err(Invalid(format!(
            "`{name}` is required, and is empty or unset"
        ))),
        ('?', None) | ('+', None) => Ok(Interpolated::Shell(name.to_owned())),
        ('+', Some(true)) => interpolate_at(argument, lookup, depth + 1),
        ('+', Some(false)) => Ok(Interpolated::Text(String::new())),
        _ => Err(Invalid(format!(
            "`${{{name}...}}` has an operator Compose does not know"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Result<Interpolated, Invalid> {
        let lookup = |name: &str| match name {
            "SET" => Some("value".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        interpolate(input, &lookup)
    }

    fn text(input: &str) -> String {
        match run(input) {
            Ok(Interpolated::Text(text)) => text,
            other => panic!("{input}: {other:?}"),
        }
    }

    fn shell(input: &str) -> String {
        match run(input) {
            Ok(Interpolated::Shell(name)) => name,
            other => panic!("{input}: {other:?}"),
        }
    }

    #[test]
    fn compose_interpolation() {
        assert_eq!(text("plain"), "plain");
        assert_eq!(text("a$$b"), "a$b");
        assert_eq!(text("$$(NOT_K8S)"), "$(NOT_K8S)");
        assert_eq!(text("x-${SET}-$SET."), "x-value-value.");
        assert_eq!(text("${UNSET:-fallback}"), "fallback");
        assert_eq!(text("${EMPTY:-fallback}"), "fallback");
        assert_eq!(text("${EMPTY-fallback}"), "");
        assert_eq!(text("${UNSET-fallback}"), "fallback");
        assert_eq!(text("${UNSET:-${SET}}"), "value");
        assert_eq!(text("${UNSET:-a-${OTHER:-b}-c}"), "a-b-c");
        assert_eq!(text("${SET:+other}"), "other");
        assert_eq!(text("${EMPTY:+other}"), "");
        assert_eq!(text("${SET:?needed}"), "value");
        assert_eq!(shell("${UNSET}"), "UNSET");
        assert_eq!(shell("pre-$UNSET"), "UNSET");
        assert_eq!(shell("${UNSET:?needed}"), "UNSET");
        assert_eq!(shell("${UNSET:-${DEEP}}"), "DEEP");
        assert!(run("${EMPTY:?needed}").is_err());
        assert!(run("abc$1").is_err());
        assert!(run("$(VAR)").is_err());
        assert!(run("${open").is_err());
        assert!(run("${}").is_err());
        assert!(run("${SET!x}").is_err());
        assert!(run("trailing$").is_err());
        let deep = "${A:-".repeat(40) + &"}".repeat(40);
        assert!(run(&deep).is_err());
    }
}
