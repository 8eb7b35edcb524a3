//! `.env` files: read with dotenvy, as the loader's `LayeredEnv` reads them, with the line
//! that sets each variable. An error names the file and the line, never the line's text.

use super::error::VerifyError;

/// One variable of an env file: name, value, and the line that sets it (the last one, for
/// a name set twice: the later setting wins).
pub(crate) struct Line {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) line: usize,
}

/// The variables of the env file `file` whose content is `bytes`, in order.
pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Line>, VerifyError> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for item in dotenvy::from_read_iter(bytes) {
        let (name, value) = item.map_err(|e| error(file, &text, e))?;
        let line = line_of(&text, &name).unwrap_or(1);
        out.push(Line { name, value, line });
    }
    Ok(out)
}

/// The last line that sets `name` (`NAME=`, `export NAME=`, spaces allowed around `=`).
fn line_of(text: &str, name: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            let line = line.strip_prefix("export ").map_or(line, str::trim_start);
            line.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(index, _)| index + 1)
        .last()
}

/// A dotenvy error as a [`VerifyError`], with the line found again but never quoted.
fn error(file: &str, text: &str, error: dotenvy::Error) -> VerifyError {
    match error {
        dotenvy::Error::LineParse(logical, index) => {
            let first = logical.lines().next().unwrap_or_default();
            let line = text
                .lines()
                .position(|l| !first.is_empty() && l == first)
                .map_or(1, |at| at + 1);
            VerifyError::Syntax {
                file: file.to_owned(),
                line,
                column: index + 1,
                reason: "this line does not parse as an env file".to_owned(),
            }
        }
        dotenvy::Error::Io(io) => VerifyError::Read {
            file: file.to_owned(),
            reason: io.kind().to_string(),
        },
        dotenvy::Error::EnvVar(_) => VerifyError::Read {
            file: file.to_owned(),
            reason: "a substitution refers to a variable that is not UTF-8".to_owned(),
        },
        _ => VerifyError::Read {
            file: file.to_owned(),
            reason: "it does not parse as an env file".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_values_and_lines() {
        let text = "# comment\nA=1\n\nexport B = 'two words'\nA=3\nC=\"multi\nline\"\nD=4\n";
        let lines = parse(".env", text.as_bytes()).unwrap();
        let seen: Vec<_> = lines
            .iter()
            .map(|l| (l.name.as_str(), l.value.as_str(), l.line))
            .collect();
        assert_eq!(
            seen,
            [
                ("A", "1", 5),
                ("B", "two words", 4),
                ("A", "3", 5),
                ("C", "multi\nline", 6),
                ("D", "4", 8)
            ]
        );
    }

    #[test]
    fn errors_name_the_line_and_never_quote_it() {
        let err = parse("prod.env", b"GOOD=1\nTOKEN 'SECRET-hunter2\n")
            .err()
            .unwrap();
        assert_eq!(err.file(), Some("prod.env"));
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(err.to_string().starts_with("prod.env:"), "{err}");
    }
}
