//! The `.env.example` and the Markdown table of a config with rules between variables and
//! optional groups: the example, filled in where it says so, passes its own rules when read
//! back through `LayeredEnv`; each commented-out alternative, once set, breaks the rule its
//! comment names; an optional group is one block, used whole or not at all. The table gives
//! each rule's sentence next to its variables.

mod common;

use common::failing;
use health::{LayeredEnv, ReadinessContract, Report, docs};

/// Mail, when it is configured.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Mail {
    host: String,
    #[contract(default = 587)]
    port: u16,
    user: Option<String>,
}

/// Text messages, switched on by `X_SMS_ENABLED`.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Sms {
    token: String,
    #[contract(default = 10)]
    rate: u16,
}

/// A service with rules.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "X_")]
#[contract(exactly_one_of(url, host))]
#[contract(conflicts(url => host))]
#[contract(at_most_one_of(cache_url, cache_socket))]
#[contract(at_least_one_of(email, webhook))]
#[contract(requires(tls_cert => tls_key))]
#[contract(required_if(mode == "tls", tls_cert))]
#[contract(requires(audit => audit_dir))]
#[contract(required_if(level == "info", info_sink))]
#[allow(dead_code)]
struct Service {
    url: Option<String>,
    host: Option<String>,
    name: String,
    #[contract(default = false)]
    sms_enabled: bool,
    tls_cert: Option<String>,
    cache_url: Option<String>,
    cache_socket: Option<String>,
    email: Option<String>,
    webhook: Option<String>,
    #[contract(default = "plain", one_of = ["plain", "tls"])]
    mode: String,
    tls_key: Option<String>,
    #[contract(default = true)]
    audit: bool,
    audit_dir: Option<String>,
    #[contract(default = "info")]
    level: String,
    info_sink: Option<String>,
    #[contract(nested, prefix = "MAIL_")]
    mail: Option<Mail>,
    #[contract(nested, prefix = "SMS_", switch = sms_enabled)]
    sms: Option<Sms>,
}

/// A value each variable parses.
fn placeholder(name: &str) -> String {
    if name.ends_with("PORT") || name.ends_with("RATE") {
        "2525".to_owned()
    } else {
        format!("/p/{name}")
    }
}

/// The example with every blank line that says `required` or `fill in` above it filled in.
fn filled(example: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<&str> = Vec::new();
    for line in example.lines() {
        let asks = block
            .iter()
            .any(|l| l.contains(", required") || l.starts_with("# fill in: "));
        match line.strip_suffix('=') {
            Some(name) if !line.starts_with('#') && asks => {
                out.push_str(&format!("{name}={}\n", placeholder(name)));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
        if line.is_empty() {
            block.clear();
        } else {
            block.push(line);
        }
    }
    out
}

/// The example's text read back by the loader: its report.
fn load(example: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env.example");
    std::fs::write(&path, example).unwrap();
    let report = Service::check_source(&LayeredEnv::new().dotenv(&path).unwrap());
    dir.close().unwrap();
    report
}

#[test]
fn the_example_passes_its_own_rules_once_filled_in() {
    let example = docs::env_example(Service::contract());
    for block in [
        "# Fill in the lines marked `fill in` too; a commented-out line says why above it.\n",
        "# type: Option<String>, optional\n\
         # rule: Exactly one of `X_URL` or `X_HOST` must be set.\n\
         # rule: When `X_URL` is set, `X_HOST` must not be.\n\
         # fill in: Exactly one of `X_URL` or `X_HOST` must be set.\nX_URL=\n",
        "# type: Option<String>, optional\n\
         # commented out: Exactly one of `X_URL` or `X_HOST` must be set.\n# X_HOST=\n",
        "# commented out: At most one of `X_CACHE_URL` or `X_CACHE_SOCKET` may be set.\n\
         # X_CACHE_SOCKET=\n",
        "# fill in: At least one of `X_EMAIL` or `X_WEBHOOK` must be set.\nX_EMAIL=\n",
        // A dependent follows its trigger, declared later as it is.
        "# rule: When `X_TLS_CERT` is set, `X_TLS_KEY` must be set too.\n\
         # rule: When `X_MODE` is `tls`, `X_TLS_CERT` must be set.\nX_TLS_CERT=\n\n\
         # type: Option<String>, optional\nX_TLS_KEY=\n",
        // `audit` is on by default, so its dependent is asked for.
        "# fill in: When `X_AUDIT` is set, `X_AUDIT_DIR` must be set too.\nX_AUDIT_DIR=\n",
        // So is the member of a `required_if` that holds by default.
        "# fill in: When `X_LEVEL` is `info`, `X_INFO_SINK` must be set.\nX_INFO_SINK=\n",
        "# --- mail (optional group) ---\n# Mail, when it is configured.\n\
         # Set all or none: once any variable of the group is set, `X_MAIL_HOST` must be set.\n\
         # To use it, uncomment the whole block.\n\n\
         # type: String, required\n# X_MAIL_HOST=\n\n# type: u16, default: 587\n# X_MAIL_PORT=587\n",
        // The switch comes right before its group, declared earlier as it is.
        "# type: bool, default: false\nX_SMS_ENABLED=false\n\n\
         # --- sms (optional group) ---\n# Text messages, switched on by `X_SMS_ENABLED`.\n\
         # While `X_SMS_ENABLED` is true, `X_SMS_TOKEN` must be set; while it is false, the group's variables are ignored.\n\
         # To use it, set `X_SMS_ENABLED=true` and uncomment the whole block.\n",
    ] {
        assert!(example.contains(block), "missing:\n{block}\nin:\n{example}");
    }

    // As it is: the required variable and the rules that ask for a line to be filled in.
    assert_eq!(
        failing(&load(&example)),
        [
            ("X_NAME", "empty"),
            ("exactly_one_of:X_URL,X_HOST", "missing"),
            ("at_least_one_of:X_EMAIL,X_WEBHOOK", "missing"),
            ("requires:X_AUDIT,X_AUDIT_DIR", "missing"),
            ("required_if:X_LEVEL=info,X_INFO_SINK", "missing"),
        ]
    );
    // Filled in where it says so: every rule holds, every group is off.
    let filled = filled(&example);
    let report = load(&filled);
    assert!(report.is_ready(), "{:?}\n{filled}", failing(&report));
    assert_eq!(
        report
            .entries()
            .iter()
            .filter(|e| e.name().contains(':'))
            .count(),
        8
    );
}

#[test]
fn each_commented_out_alternative_breaks_the_rule_its_comment_names() {
    let example = filled(&docs::env_example(Service::contract()));
    let mut lines = example.lines().peekable();
    let mut seen = 0;
    while let Some(line) = lines.next() {
        let Some(sentence) = line.strip_prefix("# commented out: ") else {
            continue;
        };
        let name = lines
            .peek()
            .unwrap()
            .trim_start_matches("# ")
            .trim_end_matches('=');
        let rule = Service::contract()
            .rules()
            .into_iter()
            .find(|r| r.sentence() == sentence)
            .unwrap();
        // The rule's other members set too: it still holds.
        let mut others = example.clone();
        for member in rule
            .members()
            .iter()
            .map(|v| v.name())
            .filter(|m| *m != name)
        {
            let line = format!("\n{member}={}\n", placeholder(member));
            others = others.replace(&format!("\n{member}=\n"), &line);
        }
        assert!(
            load(&others).is_ready(),
            "{name}: {:?}",
            failing(&load(&others))
        );
        // And the one commented out: it breaks.
        let line = format!("\n{name}={}\n", placeholder(name));
        let report = load(&others.replace(&format!("\n# {name}=\n"), &line));
        let broken: Vec<&health::ReportEntry> = report.failures().collect();
        assert!(
            !broken.is_empty()
                && broken
                    .iter()
                    .all(|e| e.variables().iter().any(|v| v == name)),
            "{name} ({sentence}): {:?}",
            failing(&report)
        );
        assert!(broken.iter().any(|e| e.name() == rule.name()), "{sentence}");
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[test]
fn an_optional_group_is_used_whole_or_not_at_all() {
    let example = filled(&docs::env_example(Service::contract()));
    let uncomment = |text: &str, prefix: &str| {
        let from = format!("\n# {prefix}");
        text.replace(&from, &format!("\n{prefix}"))
    };
    // The whole mail block, filled in: the group is on.
    let mail = filled(&uncomment(&example, "X_MAIL_"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    std::fs::write(&path, &mail).unwrap();
    let service = Service::from_source(&LayeredEnv::new().dotenv(&path).unwrap()).unwrap();
    let mail_config = service.mail.expect("the group is on");
    assert_eq!(
        (mail_config.host.as_str(), mail_config.port),
        ("/p/X_MAIL_HOST", 587)
    );
    // Only its port: the group is on and its host is missing.
    let port_only = example.replace("\n# X_MAIL_PORT=587\n", "\nX_MAIL_PORT=587\n");
    assert_eq!(failing(&load(&port_only)), [("X_MAIL_HOST", "missing")]);

    // The switched group: its switch on and its block uncommented and filled in.
    let sms =
        filled(&uncomment(&example, "X_SMS_").replace("X_SMS_ENABLED=false", "X_SMS_ENABLED=true"));
    std::fs::write(&path, &sms).unwrap();
    let service = Service::from_source(&LayeredEnv::new().dotenv(&path).unwrap()).unwrap();
    assert_eq!(service.sms.expect("switched on").rate, 10);
    // The switch on alone: the token is missing.
    let switch_only = example.replace("X_SMS_ENABLED=false", "X_SMS_ENABLED=true");
    assert_eq!(failing(&load(&switch_only)), [("X_SMS_TOKEN", "missing")]);
    dir.close().unwrap();
}

#[test]
fn the_table_gives_each_rules_sentence_next_to_its_variables() {
    let table = docs::markdown_table(Service::contract());
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("{name} in:\n{table}"))
    };
    assert!(
        row("X_URL").ends_with(
            "| Exactly one of `X_URL` or `X_HOST` must be set. When `X_URL` is set, `X_HOST` must not be. |"
        ),
        "{table}"
    );
    assert!(
        row("X_TLS_CERT").ends_with(
            "When `X_TLS_CERT` is set, `X_TLS_KEY` must be set too. When `X_MODE` is `tls`, `X_TLS_CERT` must be set. |"
        ),
        "{table}"
    );
    // The variable compared by a `required_if` carries its sentence too.
    assert!(row("X_MODE").contains("When `X_MODE` is `tls`"), "{table}");
    assert!(
        row("X_MAIL_PORT").ends_with("In the optional group `mail`: set all of it or none. |"),
        "{table}"
    );
    assert!(
        row("X_SMS_TOKEN")
            .ends_with("In the optional group `sms`, read only while `X_SMS_ENABLED` is true. |"),
        "{table}"
    );
    assert!(
        row("X_SMS_ENABLED").ends_with("Switches the optional group `sms` on while true. |"),
        "{table}"
    );
    // Then the rules by name and the groups, each with its sentence.
    let rules = &table[table
        .find("**Rules between variables**")
        .expect("a rules table")..];
    assert!(rules.contains(
        "| `requires:X_AUDIT,X_AUDIT_DIR` | When `X_AUDIT` is set, `X_AUDIT_DIR` must be set too. |"
    ));
    assert_eq!(
        rules.lines().filter(|l| l.starts_with("| `")).count(),
        8 + 2,
        "{rules}"
    );
    assert!(table.contains(
        "| `group:mail` | `X_MAIL_HOST`, `X_MAIL_PORT`, `X_MAIL_USER` | Set all or none: once any variable of the group is set, `X_MAIL_HOST` must be set. |"
    ), "{table}");
}
