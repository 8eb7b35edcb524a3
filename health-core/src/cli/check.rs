//! `config check`: the process environment over `./.env`, checked against the contract and
//! printed as a table.

use std::fmt::Write as _;

use super::io::{EXIT_NOT_READY, Io};
use crate::load::ReadinessContract;
use crate::report::{Report, ReportEntry};
use crate::source::{DotEnvError, LayeredEnv};
use crate::status::Status;

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
    let _ = writeln!(out, "\n{}", summary(type_name, report));
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

/// What a row of the report is about, for the summary's counts.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A field's variable (its entry names the field).
    Variable,
    /// A rule between variables (its entry names no field, and lists the variables).
    Rule,
    /// A variable under the prefix that no field reads.
    Unknown,
}

impl Kind {
    fn of(entry: &ReportEntry) -> Kind {
        if entry.field().is_some() {
            Kind::Variable
        } else if entry.variables().is_empty() {
            Kind::Unknown
        } else {
            Kind::Rule
        }
    }

    /// The noun for `count` rows of this kind.
    fn noun(self, count: usize) -> &'static str {
        match (self, count) {
            (Kind::Variable, 1) => "variable",
            (Kind::Variable, _) => "variables",
            (Kind::Rule, 1) => "rule",
            (Kind::Rule, _) => "rules",
            (Kind::Unknown, 1) => "unknown variable",
            (Kind::Unknown, _) => "unknown variables",
        }
    }
}

/// The summary line: ready or not, then each kind of row counted on its own, with the names
/// of those that fail or warn: `Conf: ready: all 9 variables pass; 1 unknown variable warns
/// (APP_PROT)`.
fn summary(type_name: &str, report: &Report) -> String {
    let verdict = if report.is_ready() {
        "ready"
    } else {
        "not ready"
    };
    let parts: Vec<String> = [Kind::Variable, Kind::Rule, Kind::Unknown]
        .into_iter()
        .filter_map(|kind| {
            let rows: Vec<&ReportEntry> = report
                .entries()
                .iter()
                .filter(|e| Kind::of(e) == kind)
                .collect();
            tally(kind, &rows)
        })
        .collect();
    let counts = if parts.is_empty() {
        "no variables".to_owned()
    } else {
        parts.join("; ")
    };
    format!("{type_name}: {verdict}: {counts}")
}

/// The count of `rows` (all of one kind) by status, `None` when there are none.
fn tally(kind: Kind, rows: &[&ReportEntry]) -> Option<String> {
    let total = rows.len();
    if total == 0 {
        return None;
    }
    let mut parts = Vec::new();
    for (status, one, many) in [
        (Status::Fail, "fails", "fail"),
        (Status::Warn, "warns", "warn"),
    ] {
        let names: Vec<&str> = rows
            .iter()
            .filter(|e| e.status() == status)
            .map(|e| e.name())
            .collect();
        let count = names.len();
        if count == 0 {
            continue;
        }
        let names = names.join(", ");
        parts.push(if count == total {
            let verb = if count == 1 { one } else { many };
            format!("{count} {} {verb} ({names})", kind.noun(count))
        } else {
            format!("{count} of {total} {} {many} ({names})", kind.noun(total))
        });
    }
    if parts.is_empty() {
        let all = if total == 1 { "the" } else { "all" };
        let verb = if total == 1 { "passes" } else { "pass" };
        return Some(format!("{all} {total} {} {verb}", kind.noun(total)));
    }
    Some(parts.join(", "))
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
    use crate::outcome::Outcome;
    use crate::status::Code;
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

    const ONE: VarSpec = VarSpec::__new(
        "ONE",
        "u16",
        "",
        Requirement::Default,
        Some("1"),
        false,
        false,
    );

    /// `prefix = "HEALTH_CLI_"`, one variable with a default.
    struct Prefixed;

    impl ReadinessContract for Prefixed {
        const CONTRACT: &'static Contract =
            &Contract::__new("Prefixed", "", "HEALTH_CLI_", &[Field::__var("one", &ONE)]);

        fn __load(loader: &mut Loader<'_>) -> Option<Self> {
            let parse = crate::load::parse::from_str::<u16>;
            let one = loader.scalar(&ONE, "one", parse, IfAbsent::Parse("1"), None, None);
            one.map(|_| Prefixed)
        }
    }

    #[test]
    fn the_summary_counts_variables_and_strays_apart() {
        let report = Prefixed::check_vars([("HEALTH_CLI_ONE", "2"), ("HEALTH_CLI_ONEE", "3")]);
        let table = check_table("Prefixed", &report);
        assert!(
            table.contains("\nHEALTH_CLI_ONEE  warn    unknown_variable  "),
            "{table}"
        );
        assert_eq!(
            table.lines().last(),
            Some(
                "Prefixed: ready: the 1 variable passes; 1 unknown variable warns \
                 (HEALTH_CLI_ONEE)"
            )
        );
    }

    fn entry(name: &str, outcome: Outcome) -> ReportEntry {
        ReportEntry::new(name.to_owned(), outcome).with_field(name.to_lowercase())
    }

    #[test]
    fn the_summary_labels_rules_and_each_status() {
        let fail = || Outcome::fail(Code::MISSING, "required variable is not set");
        let warn = || Outcome::warn(Code::UNKNOWN_VARIABLE, "set, but no field reads it");
        let rule = |name: &str, outcome| {
            ReportEntry::rule(name.to_owned(), outcome, vec!["A".into(), "B".into()])
        };
        let report = Report::new(vec![
            entry("A", Outcome::pass()),
            entry("B", fail()),
            entry("C", Outcome::warn(Code::IGNORED, "not read")),
            rule("requires:A,B", fail()),
            rule("conflicts:A,C", Outcome::pass()),
            ReportEntry::new("APP_X", warn()),
            ReportEntry::new("APP_Y", warn()),
        ]);
        assert_eq!(
            summary("Conf", &report),
            "Conf: not ready: 1 of 3 variables fail (B), 1 of 3 variables warn (C); \
             1 of 2 rules fail (requires:A,B); 2 unknown variables warn (APP_X, APP_Y)"
        );
        let passing = Report::new(vec![
            entry("A", Outcome::pass()),
            entry("B", Outcome::pass()),
            rule("requires:A,B", Outcome::pass()),
        ]);
        assert_eq!(
            summary("Conf", &passing),
            "Conf: ready: all 2 variables pass; the 1 rule passes"
        );
        assert_eq!(
            summary("Empty", &Report::new(Vec::new())),
            "Empty: ready: no variables"
        );
    }
}
