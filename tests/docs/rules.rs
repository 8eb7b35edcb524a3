//! How the docs show a field's rule, constraints, list separators and old names, in
//! declaration order, with Markdown cells escaped.

use super::*;

/// A field read with `parse_with`, and an undocumented one read by its type's rule.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "KILO_")]
#[allow(dead_code)]
struct Kilo {
    /// Buffer size; `8k` reads as 8000.
    #[contract(parse_with = kilo)]
    buffer: u16,
    #[contract(default = 8000)]
    port: u16,
}

/// The contract records how a value is read, so the schema follows the rule, not the type:
/// a `parse_with` field of type `u16` gets no pattern (its function may read `8k`), and a
/// `u16` read by its built-in rule gets its bounds.
#[test]
fn json_schema_follows_the_recorded_rule_not_the_type() {
    let schema = docs::json_schema(Kilo::contract());
    let buffer = &schema["properties"]["KILO_BUFFER"];
    assert!(buffer.get("pattern").is_none(), "{schema:#}");
    // Required and not allowed empty: at least one character.
    assert_eq!(buffer["minLength"], 1, "{schema:#}");
    // Without a doc, the description names the field and its type.
    assert_eq!(
        schema["properties"]["KILO_PORT"]["description"],
        "`port` (u16)"
    );

    // (name, environment, whether the loader and the schema accept it)
    let cases: [(&str, Vars, bool); 4] = [
        ("plain", vec![("KILO_BUFFER", "8000")], true),
        (
            "suffix_read_by_parse_with",
            vec![("KILO_BUFFER", "8k")],
            true,
        ),
        ("empty_required", vec![("KILO_BUFFER", "")], false),
        (
            "out_of_range",
            vec![("KILO_BUFFER", "1"), ("KILO_PORT", "70000")],
            false,
        ),
    ];
    for (name, env, loads) in &cases {
        let report = Kilo::check_vars(env.iter().copied());
        assert_eq!(report.is_ready(), *loads, "loader on {name}: {report:?}");
    }
    let config = Kilo::from_vars([("KILO_BUFFER", "8k")]).unwrap();
    assert_eq!(config.buffer, 8000);

    let cases: Vec<_> = cases
        .iter()
        .map(|(name, env, valid)| (*name, &env[..], *valid))
        .collect();
    // The script fails when the schema's verdict differs from the case's.
    let Some(result) = validate_schema(&schema, &cases) else {
        return;
    };
    assert!(
        result["cases"]["out_of_range"]
            .to_string()
            .contains("'70000' does not match"),
        "{result}"
    );
}

/// Limits of the docs test service: constraints, separators and old names.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "LIM_")]
#[allow(dead_code)]
struct Limits {
    /// Port to listen on.
    #[contract(default = 8080, range = 1..=65535, alias = "LISTEN_PORT")]
    port: u16,
    /// Log level.
    #[contract(default = "info", one_of = ["debug", "info"])]
    level: String,
    /// Service name.
    #[contract(len = 1..=64)]
    name: String,
    /// Upstream hosts.
    #[contract(split = ";", len = 1..=8)]
    hosts: Vec<String>,
    /// Ports of the peers.
    #[contract(split = " ", range = 1024.., default = "8001 8002")]
    peers: Vec<u16>,
    /// Share of calls sampled.
    #[contract(default = 0.5, range = 0.0..=1.0)]
    ratio: f64,
    /// How long a call may take.
    #[contract(default = "5s", range = "1s"..="1m")]
    timeout: Duration,
}

/// A name one character over `len = 1..=64`.
const NAME_65: &str = "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn";

#[test]
fn docs_show_constraints_separators_and_old_names() {
    let example = docs::env_example(Limits::contract());
    for block in [
        "# Port to listen on.\n# type: u16, default: 8080\n# must be in 1..=65535\n# old name: LIM_LISTEN_PORT (still read, with a warning; set only one name)\nLIM_PORT=8080\n",
        "# type: String, default: info\n# must be one of `debug`, `info`\nLIM_LEVEL=info\n",
        "# type: String, required\n# must be 1 to 64 characters long\nLIM_NAME=\n",
        "# type: Vec<String>, required\n# a list separated by \";\"\n# must have 1 to 8 items\nLIM_HOSTS=\n",
        "# type: Vec<u16>, default: 8001 8002\n# a list separated by \" \"\n# each item must be at least 1024\nLIM_PEERS='8001 8002'\n",
        "# type: f64, default: 0.5\n# must be in 0.0..=1.0\nLIM_RATIO=0.5\n",
        "# type: Duration, default: 5s\n# must be in 1s..=1m\nLIM_TIMEOUT=5s\n",
    ] {
        assert!(example.contains(block), "missing:\n{block}\nin:\n{example}");
    }
    // Filled in, it loads: the written defaults keep their constraints.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let filled = example
        .replace("\nLIM_NAME=\n", "\nLIM_NAME=voxflow\n")
        .replace("\nLIM_HOSTS=\n", "\nLIM_HOSTS=a;b\n");
    std::fs::write(&path, filled).unwrap();
    let config = Limits::from_source(&LayeredEnv::new().dotenv(&path).unwrap()).unwrap();
    assert_eq!((config.port, config.peers), (8080, vec![8001, 8002]));
    dir.close().unwrap();

    let table = docs::markdown_table(Limits::contract());
    for row in [
        "| `LIM_PORT` | `u16` | no | `8080` |  | Port to listen on. Must be in 1..=65535. Old name: `LIM_LISTEN_PORT` (still read, with a warning; set only one name). |",
        "| `LIM_LEVEL` | `String` | no | `info` |  | Log level. Must be one of `debug`, `info`. |",
        "| `LIM_HOSTS` | `Vec<String>` | yes |  |  | Upstream hosts. A list separated by `\";\"`. Must have 1 to 8 items. |",
        "| `LIM_PEERS` | `Vec<u16>` | no | `8001 8002` |  | Ports of the peers. A list separated by `\" \"`. Each item must be at least 1024. |",
    ] {
        assert!(
            table.lines().any(|line| line == row),
            "missing:\n{row}\nin:\n{table}"
        );
    }

    let schema = docs::json_schema(Limits::contract());
    let p = &schema["properties"];
    assert_eq!(
        (&p["LIM_PORT"]["minimum"], &p["LIM_PORT"]["maximum"]),
        (&json!(1), &json!(65535))
    );
    assert_eq!(p["LIM_LISTEN_PORT"]["deprecated"], true);
    assert_eq!(p["LIM_LISTEN_PORT"]["pattern"], p["LIM_PORT"]["pattern"]);
    // `enum` lists the values; the empty value (the default) is accepted beside it.
    assert_eq!(
        p["LIM_LEVEL"]["anyOf"],
        json!([{"maxLength": 0}, {"enum": ["debug", "info"]}])
    );
    assert_eq!(
        (&p["LIM_NAME"]["minLength"], &p["LIM_NAME"]["maxLength"]),
        (&json!(1), &json!(64))
    );
    assert_eq!(
        (&p["LIM_RATIO"]["minimum"], &p["LIM_RATIO"]["maximum"]),
        (&json!(0.0), &json!(1.0))
    );
    assert!(
        p["LIM_TIMEOUT"]["description"]
            .as_str()
            .unwrap()
            .ends_with("\n\nMust be in 1s..=1m."),
        "{}",
        p["LIM_TIMEOUT"]["description"]
    );
    assert_eq!(schema["required"], json!(["LIM_NAME", "LIM_HOSTS"]));

    let base = [("LIM_NAME", "voxflow"), ("LIM_HOSTS", "a;b")];
    let with = |more: &[(&'static str, &'static str)]| {
        let mut env: Vars = base.to_vec();
        env.extend_from_slice(more);
        env
    };
    let cases: Vec<(&str, Vars, bool)> = vec![
        ("base", with(&[]), true),
        ("port_zero", with(&[("LIM_PORT", "0")]), false),
        ("old_port", with(&[("LIM_LISTEN_PORT", "9000")]), true),
        (
            "both_ports",
            with(&[("LIM_PORT", "1"), ("LIM_LISTEN_PORT", "2")]),
            false,
        ),
        ("level_loud", with(&[("LIM_LEVEL", "loud")]), false),
        (
            "no_hosts",
            vec![("LIM_NAME", "x"), ("LIM_HOSTS", " ; ")],
            false,
        ),
        (
            "nine_hosts",
            with(&[("LIM_HOSTS", "a;b;c;d;e;f;g;h;i")]),
            false,
        ),
        ("low_peer", with(&[("LIM_PEERS", "8001  80")]), false),
        ("peers", with(&[("LIM_PEERS", " 1024 65535 ")]), true),
        (
            "name_too_long",
            vec![("LIM_NAME", NAME_65), ("LIM_HOSTS", "a")],
            false,
        ),
    ];
    for (name, env, loads) in &cases {
        let report = Limits::check_vars(env.iter().copied());
        assert_eq!(report.is_ready(), *loads, "loader on {name}: {report:?}");
    }
    let cases: Vec<_> = cases
        .iter()
        .map(|(name, env, valid)| (*name, &env[..], *valid))
        .collect();
    validate_schema(&schema, &cases);
}

/// Cells a Markdown table must escape.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "CELL_")]
#[allow(dead_code)]
struct Cells {
    /// First paragraph,
    /// still the first.
    ///
    /// Second | paragraph.
    #[contract(default = "a|b")]
    separator: String,
    /// Quoted `x`.
    #[contract(default = "`x`")]
    tick: String,
}

#[test]
fn docs_list_variables_in_declaration_order_and_escape_cells() {
    let example = docs::env_example(Config::contract());
    let table = docs::markdown_table(Config::contract());
    let position = |text: &str, needle: String| {
        text.find(&needle)
            .unwrap_or_else(|| panic!("{needle} missing from:\n{text}"))
    };
    let in_example: Vec<usize> = NAMES[..17]
        .iter()
        .map(|name| position(&example, format!("\n{name}=")))
        .collect();
    let in_table: Vec<usize> = NAMES[..17]
        .iter()
        .map(|name| position(&table, format!("| `{name}` |")))
        .collect();
    assert!(in_example.is_sorted(), "{example}");
    assert!(in_table.is_sorted(), "{table}");

    let table = docs::markdown_table(Cells::contract());
    for row in [
        "| `CELL_SEPARATOR` | `String` | no | `a\\|b` |  | First paragraph, still the first.<br>Second \\| paragraph. |",
        "| `CELL_TICK` | `String` | no | `` `x` `` |  | Quoted `x`. |",
    ] {
        assert!(
            table.lines().any(|line| line == row),
            "missing:\n{row}\nin:\n{table}"
        );
    }
}
