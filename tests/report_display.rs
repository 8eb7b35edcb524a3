//! `Display` of a `Report` and of a `Loaded`: a summary line, then one line per entry with
//! its status, name, field, code and safe message; never a secret's value.

use health::{Code, Outcome, ReadinessContract, Report, ReportEntry, Vars};

#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Config {
    database_url: String,
    #[contract(secret)]
    api_key: u32,
    #[contract(default = 8000)]
    port: u16,
    #[contract(alias = "TIMEOUT", default = "2s")]
    request_timeout: std::time::Duration,
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs.iter().copied().collect()
}

#[test]
fn a_broken_config_prints_one_line_per_variable() {
    let loaded = health::load_from::<Config>(&vars(&[
        ("API_KEY", "hunter2-secret"),
        ("PORT", "70000"),
        ("TIMEOUT", "5s"),
    ]));
    let text = loaded.to_string();
    assert_eq!(
        text,
        "fail: 3 of 4 entries fail, 1 warn\n\
         fail  DATABASE_URL (field `database_url`): missing: required variable is not set\n\
         fail  API_KEY (field `api_key`): invalid: invalid (details withheld: secret)\n\
         fail  PORT (field `port`): invalid: must be an integer from 0 to 65535\n\
         warn  REQUEST_TIMEOUT (field `request_timeout`): renamed: set as `TIMEOUT` (an old name): rename it to `REQUEST_TIMEOUT`"
    );
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(text, loaded.report().to_string());
}

#[test]
fn a_whole_config_says_every_entry_passes() {
    let loaded = health::load_from::<Config>(&vars(&[
        ("DATABASE_URL", "postgres://db/app"),
        ("API_KEY", "7"),
    ]));
    assert_eq!(
        loaded.to_string(),
        "pass: all 4 entries pass\n\
         pass  DATABASE_URL (field `database_url`)\n\
         pass  API_KEY (field `api_key`)\n\
         pass  PORT (field `port`)\n\
         pass  REQUEST_TIMEOUT (field `request_timeout`)"
    );
}

#[test]
fn dependency_entries_and_empty_reports_read_the_same_way() {
    let report = Report::new(vec![
        ReportEntry::new("cache", Outcome::pass()),
        ReportEntry::new(
            "billing",
            Outcome::warn(Code::TIMEOUT, "no answer within 1s"),
        ),
    ]);
    assert_eq!(
        report.to_string(),
        "warn: 1 of 2 entries warn\npass  cache\nwarn  billing: timeout: no answer within 1s"
    );
    assert_eq!(Report::new(vec![]).to_string(), "pass: no entries");
}
