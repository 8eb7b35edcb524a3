//! `.env.example`, the Markdown table and the JSON Schema of the docs test service.

use super::*;

#[test]
fn env_example_documents_every_variable_and_reads_back() {
    let example = docs::env_example(Config::contract());
    for name in &NAMES[..17] {
        assert!(example.contains(&format!("\n{name}=")), "{name}: {example}");
    }
    assert!(!example.contains(SECRET_DEFAULT), "{example}");
    assert!(example.starts_with("# Environment of `Config`, generated from its contract.\n# Settings of the docs test service.\n#\n# Read once at start.\n"), "{example}");
    for block in [
        "# Public base URL.\n# Twilio calls back here.\n# type: Option<url::Url>, optional\nDOCS_PUBLIC_URL=\n",
        "# TCP port | the one to listen on.\n# type: u16, default: 8000\nDOCS_PORT=8000\n",
        "# type: i32, default: -5\nDOCS_OFFSET=-5\n",
        "# type: Duration, default: 2s\nDOCS_PROBE_TIMEOUT=2s\n",
        // A typed `Duration::from_millis` default is shown in humantime form.
        "# type: Duration, default: 1500ms\nDOCS_GRACE=1500ms\n",
        "# type: bool, default: false\nDOCS_RECORD=false\n",
        "# type: Option<bool>, optional\nDOCS_VERBOSE=\n",
        "# Maximum concurrent calls.\n# type: u32, required\nDOCS_MAX_CALLS=\n",
        // A list names its separator.
        "# type: Vec<String>, required\n# a list separated by \",\"\nDOCS_ALLOWED_ORIGINS=\n",
        "# type: f64, default: 0.5\nDOCS_RATIO=0.5\n",
        "# type: String, default: hello world # not a comment\nDOCS_GREETING='hello world # not a comment'\n",
        "# Ultravox API key.\n# type: String, required, secret (or set DOCS_API_KEY_FILE to a file holding it)\nDOCS_API_KEY=\n",
        // An expression default has no text form: blank, so the default applies.
        "# type: std::net::Ipv4Addr, default: std::net::Ipv4Addr::LOCALHOST (leave blank to use it)\nDOCS_BIND=\n",
        "# type: String, required, may be empty\nDOCS_LABEL=\n",
        "# --- db ---\n# Database settings.\n\n# Host of the primary.\n# type: String, required\nDOCS_DB_HOST=\n",
        "# type: u16, default: 5432\nDOCS_DB_PORT=5432\n",
        "# Password of the app user | rotated monthly.\n# type: String, default: (hidden), secret (or set DOCS_DB_PASSWORD_FILE to a file holding it)\nDOCS_DB_PASSWORD=\n",
    ] {
        assert!(example.contains(block), "missing:\n{block}\nin:\n{example}");
    }

    // Read back by the loader: as it is, exactly the required variables fail (blank).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env.example");
    std::fs::write(&path, &example).unwrap();
    let env = LayeredEnv::new().dotenv(&path).unwrap();
    let report = Config::check_source(&env);
    let failing: Vec<_> = report
        .failures()
        .map(|c| (c.name(), c.code().unwrap().as_str()))
        .collect();
    assert_eq!(
        failing,
        [
            ("DOCS_MAX_CALLS", "empty"),
            ("DOCS_ALLOWED_ORIGINS", "empty"),
            ("DOCS_API_KEY", "empty"),
            ("DOCS_DB_HOST", "empty"),
        ]
    );
    // Filled in, it loads, and every written default means what the contract says.
    let filled = example
        .replace("\nDOCS_MAX_CALLS=\n", "\nDOCS_MAX_CALLS=8\n")
        .replace(
            "\nDOCS_ALLOWED_ORIGINS=\n",
            "\nDOCS_ALLOWED_ORIGINS=a.example,b.example\n",
        )
        .replace("\nDOCS_API_KEY=\n", "\nDOCS_API_KEY=k\n")
        .replace("\nDOCS_DB_HOST=\n", "\nDOCS_DB_HOST=db\n");
    std::fs::write(&path, filled).unwrap();
    let config = Config::from_source(&LayeredEnv::new().dotenv(&path).unwrap()).unwrap();
    assert_eq!(config.greeting, "hello world # not a comment");
    assert_eq!(config.grace, Duration::from_millis(1500));
    assert_eq!(config.bind, std::net::Ipv4Addr::LOCALHOST);
    assert_eq!(config.db.password, SECRET_DEFAULT);
    assert_eq!(
        (config.offset, config.port, config.db.port),
        (-5, 8000, 5432)
    );
    dir.close().unwrap();
}

#[test]
fn markdown_table_has_one_escaped_row_per_variable() {
    let table = docs::markdown_table(Config::contract());
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "| Variable | Type | Required | Default | Secret | Description |",
            "|---|---|---|---|---|---|"
        ]
    );
    assert_eq!(lines.len(), 2 + 17, "{table}");
    for line in &lines {
        // Seven unescaped pipes: six cells, none broken by a `|` in a doc.
        let unescaped = line
            .match_indices('|')
            .filter(|(i, _)| !line[..*i].ends_with('\\'));
        assert_eq!(unescaped.count(), 7, "{line}");
    }
    for row in [
        "| `DOCS_PUBLIC_URL` | `Option<url::Url>` | no |  |  | Public base URL. Twilio calls back here. |",
        "| `DOCS_PORT` | `u16` | no | `8000` |  | TCP port \\| the one to listen on. |",
        "| `DOCS_GRACE` | `Duration` | no | `1500ms` |  | Time to drain on shutdown. |",
        "| `DOCS_MAX_CALLS` | `u32` | yes |  |  | Maximum concurrent calls. |",
        "| `DOCS_API_KEY` | `String` | yes |  | yes | Ultravox API key. Or `DOCS_API_KEY_FILE`: a file holding it. |",
        "| `DOCS_BIND` | `std::net::Ipv4Addr` | no | `std::net::Ipv4Addr::LOCALHOST` |  | Address to bind. |",
        "| `DOCS_DB_PASSWORD` | `String` | no | (hidden) | yes | Password of the app user \\| rotated monthly. Or `DOCS_DB_PASSWORD_FILE`: a file holding it. |",
    ] {
        assert!(lines.contains(&row), "missing:\n{row}\nin:\n{table}");
    }
    assert!(!table.contains(SECRET_DEFAULT));
}

#[test]
fn json_schema_describes_every_variable() {
    let schema = docs::json_schema(Config::contract());
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], true);
    assert_eq!(
        schema["required"],
        json!([
            "DOCS_MAX_CALLS",
            "DOCS_ALLOWED_ORIGINS",
            "DOCS_API_KEY",
            "DOCS_LABEL",
            "DOCS_DB_HOST"
        ])
    );
    let properties = schema["properties"].as_object().unwrap();
    assert_eq!(properties.len(), 17);
    for (name, property) in properties {
        assert_eq!(property["type"], "string", "{name}");
        assert!(property["description"].is_string(), "{name}");
    }
    // An integer's pattern holds the type's bounds (`70000` fails a `u16`); they are written
    // as `minimum`/`maximum` too, annotations on a string. Empty is allowed where it means
    // the default.
    let port = &properties["DOCS_PORT"];
    assert_eq!(port["default"], "8000");
    assert_eq!(
        port["pattern"],
        r"^(?:|\+?0*(?:[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6(?:[0-4][0-9]{3}|5(?:[0-4][0-9]{2}|5(?:[0-2][0-9]|3[0-5])))))$(?!\n)"
    );
    assert_eq!(
        (&port["minimum"], &port["maximum"]),
        (&json!(0), &json!(65535))
    );
    assert_eq!(port["description"], "TCP port | the one to listen on.");
    let max_calls = properties["DOCS_MAX_CALLS"]["pattern"].as_str().unwrap();
    assert!(max_calls.starts_with(r"^(?:\+?0*(?:[0-9]|"), "{max_calls}");
    assert_eq!(properties["DOCS_MAX_CALLS"]["maximum"], json!(u32::MAX));
    // A long pattern (an `i32`'s) is kept once in `$defs`, and the empty value that means
    // the default is accepted beside it.
    assert_eq!(
        properties["DOCS_OFFSET"]["anyOf"],
        json!([{"maxLength": 0}, {"$ref": "#/$defs/i32"}])
    );
    let offset = schema["$defs"]["i32"]["pattern"].as_str().unwrap();
    assert!(
        offset.starts_with(r"^(?:\+?0*(?:") && offset.contains("|-0*(?:"),
        "{offset}"
    );
    assert_eq!(properties["DOCS_OFFSET"]["minimum"], json!(i32::MIN));
    assert_eq!(properties["DOCS_GRACE"]["default"], "1500ms");
    assert_eq!(properties["DOCS_DB_HOST"]["minLength"], 1);
    assert!(properties["DOCS_LABEL"].get("minLength").is_none());
    assert!(properties["DOCS_BIND"].get("default").is_none());
    for secret in ["DOCS_API_KEY", "DOCS_DB_PASSWORD"] {
        assert_eq!(properties[secret]["writeOnly"], true, "{secret}");
        assert!(properties[secret].get("default").is_none(), "{secret}");
    }
    assert!(!schema.to_string().contains(SECRET_DEFAULT));
}

/// A complete environment the loader accepts.
fn good_env() -> Vars {
    vec![
        ("DOCS_MAX_CALLS", "8"),
        ("DOCS_ALLOWED_ORIGINS", "a.example, b.example"),
        ("DOCS_API_KEY", "k"),
        ("DOCS_LABEL", ""),
        ("DOCS_DB_HOST", "db"),
    ]
}

/// Named sample environments, each the good one with some changes, and whether it should
/// pass. The loader must agree with the expectation too.
fn cases() -> Vec<(&'static str, Vars, bool)> {
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut env = good_env();
        for (name, value) in changes {
            env.retain(|(n, _)| n != name);
            env.push((*name, *value));
        }
        env
    };
    let without = |name: &str| {
        let mut env = good_env();
        env.retain(|(n, _)| *n != name);
        env
    };
    vec![
        ("good", good_env(), true),
        (
            "good_variants",
            with(&[
                ("DOCS_PORT", "+8080"),
                ("DOCS_OFFSET", "-3"),
                ("DOCS_RECORD", "YES"),
                ("DOCS_VERBOSE", " off "),
                ("DOCS_PROBE_TIMEOUT", "1m 30s"),
                ("DOCS_GRACE", "0"),
                ("DOCS_RATIO", "1e-3"),
                ("DOCS_PUBLIC_URL", "https://x.example"),
                ("OTHER_VARIABLE", "anything"),
            ]),
            true,
        ),
        (
            "empty_means_default",
            with(&[("DOCS_PORT", ""), ("DOCS_RECORD", "")]),
            true,
        ),
        ("port_not_a_number", with(&[("DOCS_PORT", "abc")]), false),
        ("missing_required", without("DOCS_MAX_CALLS"), false),
        ("missing_secret", without("DOCS_API_KEY"), false),
        ("empty_required", with(&[("DOCS_DB_HOST", "")]), false),
        (
            "negative_unsigned",
            with(&[("DOCS_MAX_CALLS", "-1")]),
            false,
        ),
        ("bool_word", with(&[("DOCS_RECORD", "maybe")]), false),
        (
            "duration_without_unit",
            with(&[("DOCS_PROBE_TIMEOUT", "5")]),
            false,
        ),
        ("float_word", with(&[("DOCS_RATIO", "half")]), false),
    ]
}

#[test]
fn json_schema_validates_with_jsonschema_and_agrees_with_the_loader() {
    let cases = cases();
    // The loader's verdict matches each case's expectation, so the schema is held to the
    // real parsing rules.
    for (name, env, valid) in &cases {
        let report = Config::check_vars(env.iter().copied());
        assert_eq!(report.is_ready(), *valid, "loader on {name}: {report:?}");
    }

    let schema = docs::json_schema(Config::contract());
    let cases: Vec<_> = cases
        .iter()
        .map(|(name, env, valid)| (*name, &env[..], *valid))
        .collect();
    let Some(result) = validate_schema(&schema, &cases) else {
        return;
    };
    println!("validated with jsonschema {}", result["jsonschema"]);
    // The failures name the right variables.
    let errors = |case: &str| result["cases"][case].to_string();
    assert!(
        errors("port_not_a_number").contains("'abc' does not match"),
        "{result}"
    );
    assert!(
        errors("missing_required").contains("'DOCS_MAX_CALLS' is a required property"),
        "{result}"
    );
    assert!(
        errors("empty_required").contains("should be non-empty"),
        "{result}"
    );
}

#[test]
fn json_schema_titles_descriptions_and_patterns_follow_its_doc() {
    let schema = docs::json_schema(Config::contract());
    assert_eq!(schema["title"], "Config");
    assert_eq!(
        schema["description"],
        "Settings of the docs test service.\n\nRead once at start."
    );
    let properties = &schema["properties"];
    assert_eq!(properties["DOCS_PORT"]["title"], "port");
    assert_eq!(properties["DOCS_DB_HOST"]["title"], "db.host");
    assert_eq!(
        properties["DOCS_BIND"]["description"],
        "Address to bind.\n\nDefault: `std::net::Ipv4Addr::LOCALHOST` (a Rust expression)."
    );
    assert_eq!(
        properties["DOCS_API_KEY"]["description"],
        "Ultravox API key.\n\nSecret: or set `DOCS_API_KEY_FILE` to the path of a file holding it."
    );
    // Patterns for integers, floats, `bool` and `Duration`, empty allowed when it means
    // absent; none for text, a `FromStr` type, or a list of text without constraints. A
    // duration's pattern is long: kept once in `$defs`, described in words.
    for name in ["DOCS_RECORD", "DOCS_VERBOSE", "DOCS_RATIO"] {
        let pattern = properties[name]["pattern"].as_str().unwrap_or_default();
        assert!(
            pattern.starts_with("^(?:|") && pattern.ends_with(r")$(?!\n)"),
            "{name}: {pattern}"
        );
    }
    for name in ["DOCS_PROBE_TIMEOUT", "DOCS_GRACE"] {
        assert_eq!(
            properties[name]["anyOf"],
            json!([{"maxLength": 0}, {"$ref": "#/$defs/duration"}]),
            "{name}"
        );
        assert!(properties[name].get("pattern").is_none(), "{name}");
    }
    let duration = &schema["$defs"]["duration"];
    assert!(duration["pattern"].as_str().unwrap().ends_with(r")$(?!\n)"));
    assert!(
        duration["description"]
            .as_str()
            .unwrap()
            .starts_with("A duration as humantime reads it, like `250ms`"),
        "{duration}"
    );
    for name in [
        "DOCS_PUBLIC_URL",
        "DOCS_GREETING",
        "DOCS_API_KEY",
        "DOCS_BIND",
        "DOCS_LABEL",
        "DOCS_ALLOWED_ORIGINS",
    ] {
        assert!(properties[name].get("pattern").is_none(), "{name}");
    }
    assert_eq!(properties["DOCS_ALLOWED_ORIGINS"]["minLength"], 1);
    assert_eq!(
        properties["DOCS_ALLOWED_ORIGINS"]["description"],
        "Origins allowed to call, comma separated.\n\nA list separated by `\",\"`."
    );
    // `NAME_FILE` is not modelled.
    assert!(properties.get("DOCS_API_KEY_FILE").is_none());
}
