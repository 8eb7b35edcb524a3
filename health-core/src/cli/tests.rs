//! The `config` dispatcher on contracts written by hand (the derive is not available inside
//! health-core): which arguments it takes, where each command prints and how it exits.
//! `run` and `Conf` serve the tests of `check` and `verify` too.

use std::io::Write;

use super::*;
use crate::contract::{Contract, Field, Requirement, VarSpec};
use crate::load::{IfAbsent, Loader};

const HOST: VarSpec = VarSpec::__new(
    "HEALTH_CLI_HOST",
    "String",
    "Host.",
    Requirement::Required,
    None,
    false,
    false,
);
const TOKEN: VarSpec = VarSpec::__new(
    "HEALTH_CLI_TOKEN",
    "String",
    "Token.",
    Requirement::Required,
    None,
    true,
    false,
);
const PORT: VarSpec = VarSpec::__new(
    "PORT",
    "u16",
    "",
    Requirement::Default,
    Some("9000"),
    false,
    false,
);

/// What the derive writes, by hand (the derive is not available inside health-core).
pub(super) struct Conf;

impl ReadinessContract for Conf {
    const CONTRACT: &'static Contract = &Contract::__new(
        "Conf",
        "",
        "",
        &[
            Field::__var("host", &HOST),
            Field::__var("token", &TOKEN),
            Field::__var("port", &PORT),
        ],
    );

    fn __load(loader: &mut Loader<'_>) -> Option<Self> {
        let text = crate::value::string;
        let host = loader.scalar(&HOST, "host", text, IfAbsent::Fail, None, None);
        let token = loader.scalar(&TOKEN, "token", text, IfAbsent::Fail, None, None);
        let port = loader.scalar(
            &PORT,
            "port",
            crate::load::parse::from_str::<u16>,
            IfAbsent::Parse("9000"),
            None,
            None,
        );
        (host.is_some() && token.is_some() && port.is_some()).then_some(Conf)
    }
}

pub(super) fn run(args: &[&str], health: Option<&Health>) -> (Option<u8>, String, String) {
    run_as::<Conf>(args, health)
}

/// Runs the command for `C`: its code, stdout and stderr.
pub(super) fn run_as<C: ReadinessContract>(
    args: &[&str],
    health: Option<&Health>,
) -> (Option<u8>, String, String) {
    run_in::<C>(args, health.map_or(Probes::Missing, Probes::With))
}

/// Runs the command for `C` through the form `mode` stands for: its code, stdout and stderr.
fn run_in<C: ReadinessContract>(args: &[&str], mode: Probes<'_>) -> (Option<u8>, String, String) {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut io = Io {
        out: &mut out,
        err: &mut err,
    };
    let code = dispatch::<C>(&args, mode, &|| Ok(LayeredEnv::new()), &mut io);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn other_arguments_are_left_to_the_app() {
    for args in [
        &["app"][..],
        &["app", "serve"],
        &["app", "--config", "x"],
        &[],
    ] {
        // Nothing printed either.
        assert_eq!(
            run(args, None),
            (None, String::new(), String::new()),
            "{args:?}"
        );
    }
}

#[test]
fn docs_commands_print_to_stdout() {
    let (code, out, err) = run(&["/usr/bin/app", "config", "example"], None);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(
        out.contains("HEALTH_CLI_HOST=\n") && out.contains("PORT=9000\n"),
        "{out}"
    );
    let (code, out, _) = run(&["app", "config", "markdown"], None);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("| Variable |"), "{out}");
    let (code, out, _) = run(&["app", "config", "schema"], None);
    assert_eq!(code, Some(0));
    // Pretty: one member per line, indented, and a final newline.
    assert!(out.starts_with("{\n  \"") && out.ends_with("}\n"), "{out}");
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        schema["required"],
        serde_json::json!(["HEALTH_CLI_HOST", "HEALTH_CLI_TOKEN"])
    );
    let (code, out, _) = run(&["app", "config", "help"], None);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("Usage: app config <command>"), "{out}");
}

#[test]
fn usage_errors_exit_2_on_stderr() {
    for args in [
        &["app", "config"][..],
        &["app", "config", "frobnicate"],
        &["app", "config", "example", "extra"],
        &["app", "config", "probes", "--port", "99999"],
        &["app", "config", "probes", "--verbose"],
    ] {
        let (code, out, err) = run(args, None);
        assert_eq!(code, Some(EXIT_USAGE), "{args:?}");
        assert_eq!(out, "", "{args:?}");
        assert!(
            err.contains("Usage: app config <command>"),
            "{args:?}: {err}"
        );
    }
    let (_, _, err) = run(&["app", "config", "frobnicate"], None);
    assert!(
        err.starts_with("error: unknown command `config frobnicate`"),
        "{err}"
    );
}

#[test]
fn probes_without_a_health_exit_2() {
    let (code, out, err) = run(&["app", "config", "probes"], None);
    assert_eq!((code, out.as_str()), (Some(EXIT_USAGE), ""));
    assert!(err.contains("needs the service's checks"), "{err}");
}

#[cfg(feature = "runtime")]
#[test]
fn probes_need_a_health_and_default_to_the_port_variable() {
    let health = Health::builder().build();
    let (code, out, _) = run(&["app", "config", "probes"], Some(&health));
    assert_eq!(code, Some(0));
    assert!(out.contains("port: 9000"), "{out}");
    let (_, out, _) = run(
        &["app", "config", "probes", "--port", "7000"],
        Some(&health),
    );
    assert!(
        out.contains("port: 7000") && !out.contains("port: 9000"),
        "{out}"
    );
    let (_, out, _) = run(&["app", "config", "probes", "--port=7001"], Some(&health));
    assert!(out.contains("port: 7001"), "{out}");
}

/// A contract with no variable, so no `PORT` default.
#[cfg(feature = "runtime")]
struct Bare;

#[cfg(feature = "runtime")]
impl ReadinessContract for Bare {
    const CONTRACT: &'static Contract = &Contract::__new("Bare", "", "", &[]);

    fn __load(_: &mut Loader<'_>) -> Option<Self> {
        Some(Bare)
    }
}

#[cfg(feature = "runtime")]
#[test]
fn probes_default_to_8080_without_a_port_variable_and_say_so() {
    let health = Health::builder().build();
    let (code, out, err) = run_as::<Bare>(&["app", "config", "probes"], Some(&health));
    assert_eq!(code, Some(EXIT_OK));
    assert!(
        out.contains(&format!("port: {DEFAULT_PROBE_PORT}\n")),
        "{out}"
    );
    assert_eq!(DEFAULT_PROBE_PORT, 8080);
    assert_eq!(
        err,
        "note: Bare has no variable `PORT` and no field marked `#[contract(probe_port)]`, so \
         the probes use port 8080: say the port with `--port N` or `--port-from VARIABLE`\n"
    );
    // Said, the port is no note.
    let (_, _, err) = run_as::<Bare>(&["app", "config", "probes", "--port", "80"], Some(&health));
    assert_eq!(err, "");
}

#[cfg(feature = "runtime")]
const BILLING_PORT: VarSpec = VarSpec::__new(
    "PORT",
    "u16",
    "",
    Requirement::Default,
    Some("9100"),
    false,
    false,
);
#[cfg(feature = "runtime")]
const BILLING_ADMIN_PORT: VarSpec = VarSpec::__new(
    "ADMIN_PORT",
    "u16",
    "",
    Requirement::Required,
    None,
    false,
    false,
);

#[cfg(feature = "runtime")]
/// `#[contract(prefix = "BILLING_")]` with a field `port` (`BILLING_PORT`, default 9100) and
/// a required `admin_port`.
struct Billing;

#[cfg(feature = "runtime")]
impl ReadinessContract for Billing {
    const CONTRACT: &'static Contract = &Contract::__new(
        "Billing",
        "",
        "BILLING_",
        &[
            Field::__var("admin_port", &BILLING_ADMIN_PORT),
            Field::__var("port", &BILLING_PORT),
        ],
    );

    fn __load(_: &mut Loader<'_>) -> Option<Self> {
        Some(Billing)
    }
}

#[cfg(feature = "runtime")]
#[test]
fn probes_take_the_port_of_a_prefixed_port_variable() {
    let health = Health::builder().build();
    let (code, out, err) = run_as::<Billing>(&["app", "config", "probes"], Some(&health));
    assert_eq!((code, err.as_str()), (Some(EXIT_OK), ""));
    assert!(
        out.contains("port: 9100\n") && !out.contains("port: 8080"),
        "{out}"
    );
    // Another variable, without a default: the port must be said.
    let (code, out, err) = run_as::<Billing>(
        &["app", "config", "probes", "--port-from", "admin_port"],
        Some(&health),
    );
    assert_eq!((code, out.as_str()), (Some(EXIT_USAGE), ""));
    assert!(
        err.starts_with(
            "error: `BILLING_ADMIN_PORT` (field `admin_port`) has no default, so the port is \
             only known when the service starts: say it with `--port N`"
        ),
        "{err}"
    );
}

/// Runs the before-load form of `C` on `args`: its code (`None`: left to the app or to the
/// form with the `Health`), stdout and stderr.
fn run_before_load<C: ReadinessContract>(args: &[&str]) -> (Option<u8>, String, String) {
    run_in::<C>(args, Probes::before_load())
}

#[test]
fn before_load_runs_the_contract_commands_and_leaves_probes_for_later() {
    let (code, out, err) = run_before_load::<Conf>(&["app", "config", "example"]);
    assert_eq!((code, err.as_str()), (Some(EXIT_OK), ""));
    assert!(out.contains("HEALTH_CLI_HOST=\n"), "{out}");
    let (code, out, _) = run_before_load::<Conf>(&["app", "config", "check"]);
    assert_eq!(code, Some(EXIT_NOT_READY));
    assert!(out.contains("HEALTH_CLI_HOST   fail    missing"), "{out}");
    assert_eq!(
        run_before_load::<Conf>(&["app", "serve"]),
        (None, String::new(), String::new())
    );
    let (code, out, _) = run_before_load::<Conf>(&["app", "config", "frobnicate"]);
    assert_eq!((code, out.as_str()), (Some(EXIT_USAGE), ""));

    let probes = run_before_load::<Conf>(&["app", "config", "probes", "--port", "1"]);
    #[cfg(feature = "runtime")]
    {
        // Nothing printed: the form with the `Health` answers it.
        assert_eq!(probes, (None, String::new(), String::new()));
        let health = Health::builder().build();
        let (code, out, _) = run(&["app", "config", "probes", "--port", "1"], Some(&health));
        assert_eq!(code, Some(EXIT_OK));
        assert!(out.contains("port: 1\n"), "{out}");
    }
    #[cfg(not(feature = "runtime"))]
    {
        assert_eq!(probes.0, Some(EXIT_USAGE));
        assert!(probes.2.contains("`runtime` feature"), "{}", probes.2);
    }
}

#[test]
fn before_load_is_the_same_dispatcher_on_the_process_streams() {
    // Not a `config` command: nothing run, nothing printed.
    assert!(config_command_before_load::<Conf>(["app", "serve"]).is_none());
    #[cfg(feature = "runtime")]
    assert!(config_command_before_load::<Conf>(["app", "config", "probes"]).is_none());
    assert_eq!(
        config_command_before_load::<Conf>(["app", "config", "help"]),
        Some(ExitCode::SUCCESS)
    );
}

/// A writer that always fails, like a closed pipe.
struct Closed;

impl Write for Closed {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[cfg(not(feature = "verify"))]
#[test]
fn verify_without_the_feature_says_so_and_exits_2() {
    let (code, out, err) = run(&["app", "config", "verify", "deploy.yaml"], None);
    assert_eq!((code, out.as_str()), (Some(EXIT_USAGE), ""));
    assert!(err.contains("needs the `verify` feature"), "{err}");
}

#[test]
fn output_that_cannot_be_written_exits_1() {
    #[cfg(feature = "runtime")]
    let (health, commands) = (
        Some(Health::builder().build()),
        ["example", "markdown", "schema", "probes", "help"],
    );
    #[cfg(not(feature = "runtime"))]
    let (health, commands) = (None::<Health>, ["example", "markdown", "schema", "help"]);
    for command in commands {
        let args: Vec<OsString> = ["app", "config", command].map(OsString::from).into();
        let mut err = Vec::new();
        let mut io = Io {
            out: &mut Closed,
            err: &mut err,
        };
        let mode = health.as_ref().map_or(Probes::Missing, Probes::With);
        let code = dispatch::<Conf>(&args, mode, &|| Ok(LayeredEnv::new()), &mut io);
        assert_eq!(code, Some(EXIT_NOT_READY), "{command}");
    }
}
