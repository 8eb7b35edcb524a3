//! Optional groups: an `Option<Nested>` is `None` until one of its variables is set, then
//! all or nothing; a switched group is read only while its `bool` switch is true.

#![allow(dead_code)]

use health::{Activation, Code, FieldKind, ReadinessContract, Status};

#[derive(Debug, PartialEq, ReadinessContract)]
struct Smtp {
    host: String,
    #[contract(default = 587)]
    port: u16,
    user: String,
    #[contract(secret)]
    password: String,
}

#[derive(Debug, PartialEq, ReadinessContract)]
struct Webhook {
    url: String,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
struct Config {
    name: String,
    #[contract(nested, prefix = "SMTP_")]
    smtp: Option<Smtp>,
    #[contract(default = false)]
    webhook_enabled: bool,
    #[contract(nested, prefix = "WEBHOOK_", switch = webhook_enabled)]
    webhook: Option<Webhook>,
}

const FULL_SMTP: [(&str, &str); 3] = [
    ("APP_SMTP_HOST", "mail.example.com"),
    ("APP_SMTP_USER", "app"),
    ("APP_SMTP_PASSWORD", "s3cret-pass"),
];

#[test]
fn a_group_with_no_variable_set_is_none_and_reports_nothing() {
    let config = Config::from_vars([("APP_NAME", "orders")]).unwrap();
    assert_eq!(config.smtp, None);
    let report = Config::check_vars([("APP_NAME", "orders")]);
    let names: Vec<&str> = report.entries().iter().map(|e| e.name()).collect();
    assert_eq!(names, ["APP_NAME", "APP_WEBHOOK_ENABLED"]);
}

#[test]
fn a_complete_group_loads() {
    let vars = [("APP_NAME", "orders")].into_iter().chain(FULL_SMTP);
    let config = Config::from_vars(vars).unwrap();
    let smtp = config.smtp.unwrap();
    assert_eq!(smtp.host, "mail.example.com");
    assert_eq!(smtp.port, 587);
}

#[test]
fn one_variable_set_requires_the_others_naming_the_trigger() {
    let report = Config::check_vars([("APP_NAME", "orders"), ("APP_SMTP_HOST", "mail")]);
    let failed: Vec<&str> = report.failures().map(|e| e.name()).collect();
    assert_eq!(failed, ["APP_SMTP_USER", "APP_SMTP_PASSWORD"]);
    let user = report.get("APP_SMTP_USER").unwrap();
    assert_eq!(user.code(), Some(&Code::MISSING));
    assert_eq!(
        user.message(),
        Some(
            "required variable is not set: the `smtp` group is on because `APP_SMTP_HOST` is set: set all of its required variables, or none"
        )
    );
    assert_eq!(user.field(), Some("smtp.user"));
    assert!(Config::from_vars([("APP_NAME", "o"), ("APP_SMTP_HOST", "mail")]).is_err());
}

#[test]
fn a_defaulted_variable_or_a_file_switches_a_group_on() {
    let report = Config::check_vars([("APP_NAME", "orders"), ("APP_SMTP_PORT", "25")]);
    let failed: Vec<&str> = report.failures().map(|e| e.name()).collect();
    assert_eq!(
        failed,
        ["APP_SMTP_HOST", "APP_SMTP_USER", "APP_SMTP_PASSWORD"]
    );
    let report = Config::check_vars([("APP_NAME", "o"), ("APP_SMTP_PASSWORD_FILE", "/nope")]);
    assert_eq!(report.failures().count(), 3, "{report:?}");
    // An empty value is not set.
    let report = Config::check_vars([("APP_NAME", "o"), ("APP_SMTP_HOST", "")]);
    assert!(report.is_ready());
}

#[test]
fn a_switched_group_is_read_only_while_on() {
    let config = Config::from_vars([
        ("APP_NAME", "o"),
        ("APP_WEBHOOK_ENABLED", "true"),
        ("APP_WEBHOOK_URL", "https://hooks.example.com"),
    ])
    .unwrap();
    assert_eq!(
        config.webhook,
        Some(Webhook {
            url: "https://hooks.example.com".into()
        })
    );
    // On without its variables: each missing one is named, with the switch.
    let report = Config::check_vars([("APP_NAME", "o"), ("APP_WEBHOOK_ENABLED", "yes")]);
    let url = report.get("APP_WEBHOOK_URL").unwrap();
    assert_eq!(url.code(), Some(&Code::MISSING));
    assert!(
        url.message()
            .unwrap()
            .contains("the `webhook` group is on because `APP_WEBHOOK_ENABLED` is true"),
        "{url:?}"
    );
}

#[test]
fn a_switched_off_group_ignores_its_variables_with_a_warning() {
    let vars = [
        ("APP_NAME", "o"),
        ("APP_WEBHOOK_ENABLED", "false"),
        ("APP_WEBHOOK_URL", "not parsed"),
    ];
    let config = Config::from_vars(vars).unwrap();
    assert_eq!(config.webhook, None);
    let report = Config::check_vars(vars);
    assert!(report.is_ready());
    let url = report.get("APP_WEBHOOK_URL").unwrap();
    assert_eq!(url.status(), Status::Warn);
    assert_eq!(url.code(), Some(&Code::IGNORED));
    assert_eq!(
        url.message(),
        Some(
            "not read: `APP_WEBHOOK_ENABLED` is off, so the `webhook` group is ignored (set `APP_WEBHOOK_ENABLED=true` to use it)"
        )
    );
    // A switch that does not parse leaves the group unread; the switch is the failure.
    let report = Config::check_vars([("APP_NAME", "o"), ("APP_WEBHOOK_ENABLED", "maybe")]);
    let failed: Vec<&str> = report.failures().map(|e| e.name()).collect();
    assert_eq!(failed, ["APP_WEBHOOK_ENABLED"]);
}

#[test]
fn a_groups_secret_never_shows() {
    let report = Config::check_vars([("APP_NAME", "o"), ("APP_SMTP_PASSWORD", "s3cret-pass")]);
    assert!(!format!("{report:?}").contains("s3cret-pass"));
    assert_eq!(report.failures().count(), 2);
}

#[test]
fn the_contract_records_each_group_and_how_it_is_switched() {
    let contract = Config::contract();
    let activations: Vec<Activation> = contract.fields().iter().map(|f| f.activation()).collect();
    assert_eq!(
        activations,
        [
            Activation::Always,
            Activation::AnySet,
            Activation::Always,
            Activation::Switch(2)
        ]
    );
    assert!(matches!(
        contract.fields()[1].kind(),
        FieldKind::Nested {
            prefix: "SMTP_",
            ..
        }
    ));
    let groups = contract.optional_groups();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].name(), "group:smtp");
    assert_eq!(groups[0].switch().map(|v| v.name()), None);
    let names: Vec<&str> = groups[0].variables().iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        [
            "APP_SMTP_HOST",
            "APP_SMTP_PORT",
            "APP_SMTP_USER",
            "APP_SMTP_PASSWORD"
        ]
    );
    assert_eq!(
        groups[0].sentence(),
        "Set all or none: once any variable of the group is set, `APP_SMTP_HOST`, `APP_SMTP_USER` and `APP_SMTP_PASSWORD` must be set."
    );
    assert_eq!(
        groups[1].switch().map(|v| v.name()),
        Some("APP_WEBHOOK_ENABLED")
    );
    assert_eq!(
        groups[1].sentence(),
        "While `APP_WEBHOOK_ENABLED` is true, `APP_WEBHOOK_URL` must be set; while it is false, the group's variables are ignored."
    );
}

mod redacted {
    use health::ReadinessContract;

    #[derive(ReadinessContract)]
    #[contract(debug)]
    struct Mail {
        host: String,
        #[contract(secret)]
        password: String,
    }

    #[derive(ReadinessContract)]
    #[contract(debug)]
    struct Config {
        #[contract(nested, prefix = "MAIL_")]
        mail: Option<Mail>,
    }

    #[test]
    fn an_optional_groups_secret_is_redacted_by_the_debug_of_its_config() {
        let config =
            Config::from_vars([("MAIL_HOST", "smtp"), ("MAIL_PASSWORD", "pw-9931")]).unwrap();
        let shown = format!("{config:?}");
        assert_eq!(
            shown,
            r#"Config { mail: Some(Mail { host: "smtp", password: *** }) }"#
        );
        let none = Config::from_vars(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(format!("{none:?}"), "Config { mail: None }");
    }
}
