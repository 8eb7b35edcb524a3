//! Kubernetes' verbose text (`handleRootHealth` in
//! `staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go`), and the Go `%q` quoting its
//! unknown-exclude warning uses. See the [module docs](super) for the format.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::go_print;
use crate::report::Report;
use crate::status::Status;

/// Kubernetes' verbose body (`handleRootHealth` in healthz.go): a line per entry of `report`
/// in order (`excluded` ones marked so), the unknown-exclude warning, the closing line.
pub(super) fn verbose(
    endpoint: &str,
    report: &Report,
    excluded: &BTreeSet<Vec<u8>>,
    unknown: &[&[u8]],
    passed: bool,
) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    for entry in report.entries() {
        let name = entry.name();
        let _ = if excluded.contains(name.as_bytes()) {
            writeln!(out, "[+]{name} excluded: ok")
        } else {
            match entry.status() {
                Status::Pass | Status::Warn => writeln!(out, "[+]{name} ok"),
                Status::Fail => writeln!(out, "[-]{name} failed: reason withheld"),
            }
        };
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "warn: some health checks cannot be excluded: no matches for {}",
            format_quoted(unknown)
        );
    }
    let verdict = if passed { "passed" } else { "failed" };
    let _ = writeln!(out, "{endpoint} check {verdict}");
    out
}

/// Kubernetes' `formatQuoted`: each name as Go's `%q`, joined with `,`.
pub(super) fn format_quoted(names: &[&[u8]]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| go_quote(name)).collect();
    quoted.join(",")
}

/// Go's `strconv.Quote`, which `fmt.Sprintf("%q", s)` prints for a string: `"` and `\`
/// backslashed; printable runes (Go's `strconv.IsPrint`: letters, marks, numbers, punctuation,
/// symbols and the ASCII space) kept; `\a \b \f \n \r \t \v`; other runes below U+0020 and
/// U+007F as `\xNN`, the rest as `\uNNNN` or `\UNNNNNNNN` (lowercase hex); and each byte of
/// invalid UTF-8 as `\xNN`.
fn go_quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_go_escaped(&mut out, c);
        }
        for byte in chunk.invalid() {
            // Go decodes an invalid sequence one byte at a time, each as `\xNN`.
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('"');
    out
}

/// One rune as Go's `strconv.Quote` writes it (its `appendEscapedRune`, for `"`).
fn push_go_escaped(out: &mut String, c: char) {
    let escaped = match c {
        '"' | '\\' => {
            out.push('\\');
            out.push(c);
            return;
        }
        c if go_is_print(c) => {
            out.push(c);
            return;
        }
        '\u{07}' => "\\a",
        '\u{08}' => "\\b",
        '\u{0c}' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\u{0b}' => "\\v",
        c if c < ' ' || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
            return;
        }
        c if u32::from(c) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
            return;
        }
        c => {
            let _ = write!(out, "\\U{:08x}", u32::from(c));
            return;
        }
    };
    out.push_str(escaped);
}

/// Go's `strconv.IsPrint`: Unicode letters, marks, numbers, punctuation and symbols, and the
/// ASCII space, looked up the way Go does in [`go_print`]'s tables.
fn go_is_print(c: char) -> bool {
    let r = u32::from(c);
    if r <= 0xff {
        return (0x20..=0x7e).contains(&r) || ((0xa1..=0xff).contains(&r) && r != 0xad);
    }
    if let Ok(r) = u16::try_from(r) {
        return in_ranges(&go_print::IS_PRINT16, r)
            && go_print::IS_NOT_PRINT16.binary_search(&r).is_err();
    }
    if !in_ranges(&go_print::IS_PRINT32, r) {
        return false;
    }
    // Exceptions above U+FFFF are stored as `rune - 0x10000`; there are none above U+1FFFF.
    match u16::try_from(r - 0x10000) {
        Ok(low) => go_print::IS_NOT_PRINT32.binary_search(&low).is_err(),
        Err(_) => true,
    }
}

/// Whether `x` is in one of the inclusive `[start, end]` pairs of a sorted flat table.
fn in_ranges<T: Ord + Copy>(pairs: &[T], x: T) -> bool {
    let i = pairs.partition_point(|&bound| bound < x);
    i < pairs.len() && pairs[i & !1] <= x && x <= pairs[i | 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::query::names;
    use crate::outcome::Outcome;
    use crate::report::ReportEntry;
    use crate::status::Code;

    #[test]
    fn go_quote_prints_what_go_percent_q_prints() {
        // Go's `quotetests` (src/strconv/quote_test.go), the `Quote` column.
        let go_tests: [(&[u8], &str); 8] = [
            (b"\x07\x08\x0c\r\n\t\x0b", r#""\a\b\f\r\n\t\v""#),
            (b"\\", r#""\\""#),
            (b"abc\xffdef", r#""abc\xffdef""#),
            ("\u{263a}".as_bytes(), "\"\u{263a}\""),
            ("\u{10ffff}".as_bytes(), r#""\U0010ffff""#),
            (b"\x04", r#""\x04""#),
            (
                "!\u{a0}!\u{2000}!\u{3000}!".as_bytes(),
                r#""!\u00a0!\u2000!\u3000!""#,
            ),
            (b"\x7f", r#""\x7f""#),
        ];
        for (input, quoted) in go_tests {
            assert_eq!(go_quote(input), quoted, "{input:?}");
        }
        // The same rules on the cases a check name can meet.
        let ours: [(&[u8], &str); 18] = [
            (b"", r#""""#),
            (b"dontexist", r#""dontexist""#),
            (b"a,b c", r#""a,b c""#),
            (b"say \"hi\"", r#""say \"hi\"""#),
            (b"\x00\x1b", r#""\x00\x1b""#),
            ("caf\u{e9} \u{1f600}".as_bytes(), "\"caf\u{e9} \u{1f600}\""),
            ("e\u{301}".as_bytes(), "\"e\u{301}\""), // a combining mark is printable
            ("\u{80}".as_bytes(), r#""\u0080""#),    // C1 control: `\u`, not `\x`
            ("\u{ad}".as_bytes(), r#""\u00ad""#),    // soft hyphen
            ("\u{200b}\u{2028}".as_bytes(), r#""\u200b\u2028""#),
            ("\u{feff}\u{e000}".as_bytes(), r#""\ufeff\ue000""#),
            ("\u{e0001}".as_bytes(), r#""\U000e0001""#),
            // Unicode 15.0 (Go 1.21 to 1.25): U+1FAE8 is assigned, U+1FAE9 (16.0) is not.
            ("\u{1fae8}".as_bytes(), "\"\u{1fae8}\""),
            ("\u{1fae9}".as_bytes(), r#""\U0001fae9""#),
            // Invalid UTF-8: one `\xNN` per byte, as Go decodes it.
            (b"\xed\xa0\x80", r#""\xed\xa0\x80""#),
            (b"\xe2\x82A", r#""\xe2\x82A""#),
            (b"\xc0\x80", r#""\xc0\x80""#),
            (b"\xf4\x90\x80\x80", r#""\xf4\x90\x80\x80""#),
        ];
        for (input, quoted) in ours {
            assert_eq!(go_quote(input), quoted, "{input:?}");
        }
    }

    #[test]
    fn go_print_tables_are_well_formed() {
        fn pairs<T: Ord + Copy + std::fmt::Debug>(table: &[T]) {
            assert_eq!(table.len() % 2, 0);
            assert!(table.windows(2).all(|w| w[0] <= w[1]), "sorted");
            assert!(table.chunks(2).all(|p| p[0] <= p[1]));
            assert!(
                table
                    .chunks(2)
                    .collect::<Vec<_>>()
                    .windows(2)
                    .all(|w| w[0][1] < w[1][0])
            );
        }
        pairs(&go_print::IS_PRINT16);
        pairs(&go_print::IS_PRINT32);
        for &r in &go_print::IS_NOT_PRINT16 {
            assert!(in_ranges(&go_print::IS_PRINT16, r), "{r:#x}");
        }
        for &r in &go_print::IS_NOT_PRINT32 {
            assert!(
                in_ranges(&go_print::IS_PRINT32, 0x10000 + u32::from(r)),
                "{r:#x}"
            );
        }
        assert!(go_print::IS_NOT_PRINT16.windows(2).all(|w| w[0] < w[1]));
        assert!(go_print::IS_NOT_PRINT32.windows(2).all(|w| w[0] < w[1]));
        // Every control character, and the surrogate-free rest of the planes' edges.
        assert!(
            (0..0x20)
                .chain(0x7f..0xa0)
                .all(|r| !go_is_print(char::from_u32(r).unwrap()))
        );
        assert!(go_is_print('\u{2f800}') && !go_is_print('\u{2fa1e}'));
        assert!(go_is_print('\u{e0100}') && !go_is_print('\u{10ffff}'));
    }

    #[test]
    fn verbose_is_kubernetes_text() {
        let report = Report::new(vec![
            ReportEntry::new("ping", Outcome::pass()),
            ReportEntry::new("payments", Outcome::warn(Code::TIMEOUT, "slow")),
            ReportEntry::new("queue", Outcome::fail(Code::TIMEOUT, "down")),
            ReportEntry::new("db", Outcome::fail(Code::TIMEOUT, "down")),
        ]);
        assert_eq!(
            verbose("readyz", &report, &names(["db"]), &[b"a\"b", b"zz"], false),
            "[+]ping ok\n[+]payments ok\n[-]queue failed: reason withheld\n\
             [+]db excluded: ok\n\
             warn: some health checks cannot be excluded: no matches for \"a\\\"b\",\"zz\"\n\
             readyz check failed\n"
        );
        assert_eq!(
            verbose("health", &Report::new(Vec::new()), &names([]), &[], true),
            "health check passed\n"
        );
    }
}
