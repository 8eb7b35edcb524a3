//! `config check`: the process environment over `./.env`, checked against the contract and
//! printed as a table.

use std::fmt::Write as _;

use super::{EXIT_NOT_READY, Io};
use crate::load::ReadinessContract;
use crate::report::{Report, ReportEntry};
use crate::source::{DotEnvError, LayeredEnv};

/// `config check`: loads the contract from the process environment over `./.env` and prints
/// one aligned line per variable, then a summary.
pub(super) fn check<C: ReadinessContract>(
    env: &dyn Fn() -> Result<LayeredEnv, DotEnvError>,
    io: &mut Io<'_>,
) -> u8 {
    let env = match env() {
        Ok(env) => env,
        Err(e) => {
            io.complain(&format!(
                "error: {e}\nnot ready: the .env file cannot be read\n"
            ));
            return EXIT_NOT_READY;
        }
    };
    let report = C::check_source(&env);
    let ready = report.is_ready();
    let code = io.print(&check_table(C::contract().type_name(), &report));
    if ready { code } else { EXIT_NOT_READY }
}

/// The aligned table of `config check` and `config verify`: a header NAME, STATUS, CODE,
/// ORIGIN, REASON, then one line per row (REASON on one line, as long as it is).
pub(super) fn table(rows: impl IntoIterator<Item = [String; 5]>) -> String {
    let header = ["NAME", "STATUS", "CODE", "ORIGIN", "REASON"].map(str::to_owned);
    let mut rows: Vec<[String; 5]> = std::iter::once(header).chain(rows).collect();
    for row in &mut rows {
        row[4] = row[4].replace(['\n', '\r'], " ");
    }
    let mut widths = [0usize; 4];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        line.push_str(&row[4]);
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// The table `config check` prints: NAME, STATUS, CODE, ORIGIN, REASON, then a summary line.
/// No column holds a value. REASON is the report's message, which never quotes a secret's
/// value (its parser's and validator's messages are withheld); another variable's parser or
/// validator message may quote its value. A rule between variables is a row named as in
/// reports (`requires:APP_TLS_CERT,APP_TLS_KEY`) whose REASON ends with the variables it
/// blames.
fn check_table(type_name: &str, report: &Report) -> String {
    let rows = report.entries().iter().map(|check| {
        [
            check.name().to_owned(),
            check.status().to_string(),
            check
                .code()
                .map_or("-".to_owned(), |c| c.as_str().to_owned()),
            check.origin().map_or("-".to_owned(), ToString::to_string),
            reason(check),
        ]
    });
    let mut out = table(rows);
    let total = report.entries().len();
    let failing: Vec<&str> = report.failures().map(|c| c.name()).collect();
    let _ = if failing.is_empty() {
        writeln!(out, "\n{type_name}: ready: all {total} variables pass")
    } else {
        writeln!(
            out,
            "\n{type_name}: not ready: {} of {total} variables fail ({})",
            failing.len(),
            failing.join(", ")
        )
    };
    out
}

/// The REASON of a row: the message, then, for a rule, the variables it blames.
fn reason(check: &ReportEntry) -> String {
    let message = check.message().unwrap_or_default();
    match check.variables() {
        [] => message.to_owned(),
        blamed if message.is_empty() => format!("variables: {}", blamed.join(", ")),
        blamed => format!("{message} (variables: {})", blamed.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::tests::{Conf, run};
    use crate::source::Source;

    #[test]
    fn check_prints_a_table_and_exits_by_readiness() {
        let source: crate::source::Vars = [("HEALTH_CLI_HOST", "db"), ("PORT", "x")]
            .into_iter()
            .collect();
        let report = Conf::check_source(&source);
        let table = check_table("Conf", &report);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0],
            "NAME              STATUS  CODE     ORIGIN    REASON"
        );
        assert_eq!(lines[1], "HEALTH_CLI_HOST   pass    -        provided");
        assert!(
            lines[2].starts_with("HEALTH_CLI_TOKEN  fail    missing  -         required"),
            "{table}"
        );
        assert!(
            lines[3].starts_with("PORT              fail    invalid  provided  "),
            "{table}"
        );
        assert_eq!(
            lines.last().copied(),
            Some("Conf: not ready: 2 of 3 variables fail (HEALTH_CLI_TOKEN, PORT)")
        );
        assert!(source.get("HEALTH_CLI_TOKEN").is_none());

        let (code, out, _) = run(&["app", "config", "check"], None);
        assert_eq!(code, Some(EXIT_NOT_READY));
        assert!(out.contains("HEALTH_CLI_HOST   fail    missing"), "{out}");
    }

    #[test]
    fn a_rule_row_names_the_rule_and_the_variables_it_blames() {
        use crate::outcome::Outcome;
        use crate::status::Code;
        let report = Report::new(vec![
            ReportEntry::new("APP_TLS_CERT", Outcome::pass()).with_field("tls_cert"),
            ReportEntry::rule(
                "requires:APP_TLS_CERT,APP_TLS_KEY".to_owned(),
                Outcome::fail(
                    Code::MISSING,
                    "`APP_TLS_CERT` is set, so `APP_TLS_KEY` must be set too",
                ),
                vec!["APP_TLS_KEY".to_owned()],
            ),
            ReportEntry::rule(
                "at_most_one_of:APP_A,APP_B".to_owned(),
                Outcome::pass(),
                vec!["APP_A".to_owned(), "APP_B".to_owned()],
            ),
        ]);
        let table = check_table("Tls", &report);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[2],
            "requires:APP_TLS_CERT,APP_TLS_KEY  fail    missing  -       \
             `APP_TLS_CERT` is set, so `APP_TLS_KEY` must be set too (variables: APP_TLS_KEY)",
            "{table}"
        );
        assert_eq!(
            lines[3],
            "at_most_one_of:APP_A,APP_B         pass    -        -       variables: APP_A, APP_B",
            "{table}"
        );
        assert!(
            table.ends_with("(requires:APP_TLS_CERT,APP_TLS_KEY)\n"),
            "{table}"
        );
    }

    use crate::contract::{Contract, Field, Requirement, VarSpec};
    use crate::load::{IfAbsent, Loader};
    use crate::value::ValueError;

    const PIN: VarSpec = VarSpec::__new(
        "HEALTH_CLI_PIN",
        "u16",
        "",
        Requirement::Required,
        None,
        true,
        false,
    );
    const LEVEL: VarSpec = VarSpec::__new(
        "HEALTH_CLI_LEVEL",
        "u16",
        "",
        Requirement::Required,
        None,
        false,
        false,
    );

    /// A parser whose message quotes the value, as some do (`unknown variant `loud``).
    fn quoting(raw: std::borrow::Cow<'_, std::ffi::OsStr>) -> Result<u16, ValueError> {
        Err(ValueError::invalid(format!(
            "`{}` is not a number",
            raw.to_string_lossy()
        )))
    }

    struct Quoted;

    impl ReadinessContract for Quoted {
        const CONTRACT: &'static Contract = &Contract::__new(
            "Quoted",
            "",
            "",
            &[Field::__var("pin", &PIN), Field::__var("level", &LEVEL)],
        );

        fn __load(loader: &mut Loader<'_>) -> Option<Self> {
            let pin = loader.scalar(&PIN, "pin", quoting, IfAbsent::Fail, None, None);
            let level = loader.scalar(&LEVEL, "level", quoting, IfAbsent::Fail, None, None);
            (pin.is_some() && level.is_some()).then_some(Quoted)
        }
    }

    #[test]
    fn reasons_never_quote_a_secret_value() {
        let report = Quoted::check_vars([
            ("HEALTH_CLI_PIN", "SECRET-PIN-4711"),
            ("HEALTH_CLI_LEVEL", "loud"),
        ]);
        let table = check_table("Quoted", &report);
        assert!(!table.contains("SECRET-PIN-4711"), "{table}");
        let pin = table
            .lines()
            .find(|l| l.starts_with("HEALTH_CLI_PIN"))
            .unwrap();
        assert!(
            pin.ends_with("invalid (details withheld: secret)"),
            "{table}"
        );
        // Another variable's parser message is shown as it is, quoting its value.
        assert!(
            table.contains("HEALTH_CLI_LEVEL  fail    invalid  provided  `loud` is not a number"),
            "{table}"
        );
    }
}
