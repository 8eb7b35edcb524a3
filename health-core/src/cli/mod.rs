//! `config ...` subcommands an app mounts in `main`: docs generated from its contract,
//! Kubernetes probes, and a check of the environment it would start with.
//!
//! Two forms, one for each moment of `main`:
//! - [`config_command_before_load`] at the top, before the config loads: every command but
//!   `config probes`, which it leaves to the second form;
//! - [`config_command`] once the [`Health`] is built: every command, `probes` included
//!   (given `None`, `probes` exits 2 saying what it needs).
//!
//! ```no_run
//! use std::process::ExitCode;
//! # use health_core as health;
//! # struct Config;
//! # impl health::ReadinessContract for Config {
//! #     const CONTRACT: &'static health::Contract = &health::Contract::__new("Config", "", "", &[]);
//! #     fn __load(_: &mut health::load::Loader<'_>) -> Option<Self> { Some(Config) }
//! # }
//!
//! fn main() -> ExitCode {
//!     // `app config check`, `app config example`, ...: run it and exit, before any loading.
//!     if let Some(code) = health::cli::config_command_before_load::<Config>(std::env::args_os()) {
//!         return code;
//!     }
//!     let health = health::Health::builder().build();
//!     // `app config probes`: needs the service's checks.
//!     if let Some(code) = health::cli::config_command::<Config>(std::env::args_os(), Some(&health)) {
//!         return code;
//!     }
//!     // ... start the service as usual
//!     ExitCode::SUCCESS
//! }
//! ```
//!
//! | command | prints | exit |
//! |---|---|---|
//! | `config example` | a `.env.example` ([`docs::env_example`]) | 0 |
//! | `config markdown` | a Markdown table ([`docs::markdown_table`]) | 0 |
//! | `config schema` | a JSON Schema, pretty ([`docs::json_schema`]) | 0 |
//! | `config probes [--port N \| --port-from VARIABLE]` | Kubernetes probes ([`docs::kubernetes_probes`]), then each group's `/ready/group/<name>` and entries as comments; needs the `Health` (feature `runtime`). The port is `--port`, else the default of `--port-from`'s variable (a name or a field path), else the default of the variable marked `#[contract(probe_port)]`, else the default of the variable named [`PORT_VARIABLE`] after the type's prefix (`BILLING_PORT`), else [`DEFAULT_PROBE_PORT`] with a note on stderr | 0; 2 without a `Health`, or when the port variable has no default |
//! | `config check` | one line per variable, rule and stray of the process environment over `./.env`: name, status, code, origin, reason (never a secret's value); then a summary counting each kind | 0 ready, 1 not (or the `.env` cannot be read) |
//! | `config verify FILE... [--container NAME] [--strict \| --allow-unverified] [--format json]` | (feature `verify`) the same table for the deploy's Kubernetes manifests, Compose or `.env` files (`-`: standard input), ORIGIN saying where each value comes from (`health::verify`) | 0 verified, 1 not (or a Secret or ConfigMap the workload names is not among the files, unless `--allow-unverified`), 2 on a usage error or a file that cannot be read or parsed |
//! | `config help` | the commands | 0 |
//!
//! Anything else after `config` prints the usage to stderr and exits 2. A command whose
//! output cannot be written exits 1.

mod check;
mod io;
mod probes;
mod usage;
#[cfg(feature = "verify")]
mod verify;

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

use self::check::check;
use self::io::Io;
pub use self::io::{EXIT_NOT_READY, EXIT_OK, EXIT_USAGE};
#[cfg(not(feature = "runtime"))]
pub use self::probes::Health;
pub use self::probes::{DEFAULT_PROBE_PORT, PORT_VARIABLE};
use self::usage::usage;
use crate::docs;
use crate::load::ReadinessContract;
#[cfg(feature = "runtime")]
use crate::runtime::Health;
use crate::source::{DotEnvError, LayeredEnv};

/// Runs `config ...` when the arguments ask for it, or returns `None` so the app starts as
/// usual: the form for once the service's [`Health`] is built.
///
/// `args` are the whole command line, program name first (`std::env::args_os()`). When the
/// first argument after the program name is not `config`, nothing is printed and the result
/// is `None`. Otherwise the command runs, prints to stdout (errors and usage to stderr), and
/// the exit code is returned for `main` to return: see the [module docs](self) for the
/// commands. `health` is needed by `config probes` only; with `None` it exits 2. Before the
/// config loads, use [`config_command_before_load`], then this form for `probes`.
///
/// It returns an [`ExitCode`] rather than an `i32` so that `main` can return it as it is
/// (`fn main() -> ExitCode`, or `Result<ExitCode, E>`): destructors run and output is flushed,
/// which `std::process::exit` would skip. [`config_command_code`] gives the number instead.
pub fn config_command<C: ReadinessContract>(
    args: impl IntoIterator<Item = impl Into<OsString>>,
    health: Option<&Health>,
) -> Option<ExitCode> {
    config_command_code::<C>(args, health).map(ExitCode::from)
}

/// [`config_command`] with the exit code as a number: 0 done (or ready), 1 not ready, 2 usage
/// error.
pub fn config_command_code<C: ReadinessContract>(
    args: impl IntoIterator<Item = impl Into<OsString>>,
    health: Option<&Health>,
) -> Option<u8> {
    let probes = match health {
        Some(health) => Probes::With(health),
        None => Probes::Missing,
    };
    run_on_std::<C>(args, probes)
}

/// Runs the `config ...` commands that need only the contract, for the top of `main`,
/// before the config loads: `example`, `markdown`, `schema`, `check`, `verify`, `help` (and
/// usage errors). `None` for any other arguments, and for `config probes`, which needs the
/// service's checks: answer it with [`config_command`] once the `Health` is built (without
/// that call, `config probes` would start the service). Built without the `runtime` feature,
/// where no `Health` exists, `config probes` exits 2 here and says so.
pub fn config_command_before_load<C: ReadinessContract>(
    args: impl IntoIterator<Item = impl Into<OsString>>,
) -> Option<ExitCode> {
    run_on_std::<C>(args, Probes::before_load()).map(ExitCode::from)
}

/// What `config probes` can do with the form it was called through.
#[derive(Clone, Copy)]
enum Probes<'a> {
    /// Print them for this `Health`.
    With(&'a Health),
    /// Say that the command needs a `Health`, exit 2.
    Missing,
    /// Leave the command to a later call with the `Health`: not a command of this form.
    Later,
}

impl Probes<'_> {
    /// The before-load form's: later, or missing where no `Health` can exist.
    fn before_load() -> Probes<'static> {
        if cfg!(feature = "runtime") {
            Probes::Later
        } else {
            Probes::Missing
        }
    }
}

/// Dispatches on the process's standard output and error, with `config check` reading the
/// process environment over `./.env`.
fn run_on_std<C: ReadinessContract>(
    args: impl IntoIterator<Item = impl Into<OsString>>,
    probes: Probes<'_>,
) -> Option<u8> {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut io = Io {
        out: &mut stdout.lock(),
        err: &mut stderr.lock(),
    };
    dispatch::<C>(
        &args,
        probes,
        &|| LayeredEnv::new().dotenv_if_present(".env"),
        &mut io,
    )
}

/// The program's name as shown in the usage: the file name of the first argument.
fn program_name(args: &[OsString]) -> String {
    args.first()
        .map(|arg| {
            Path::new(arg)
                .file_name()
                .unwrap_or(arg.as_os_str())
                .to_string_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| "app".to_owned())
}

/// The command's code, or `None` when the arguments are not a `config` command.
fn dispatch<C: ReadinessContract>(
    args: &[OsString],
    mode: Probes<'_>,
    env: &dyn Fn() -> Result<LayeredEnv, DotEnvError>,
    io: &mut Io<'_>,
) -> Option<u8> {
    if args.get(1)?.as_os_str() != "config" {
        return None;
    }
    let program = program_name(args);
    let mut words = Vec::new();
    for arg in &args[2..] {
        match arg.to_str() {
            Some(word) => words.push(word),
            None => {
                let shown = arg.to_string_lossy();
                return Some(io.usage_error(&program, &format!("argument `{shown}` is not UTF-8")));
            }
        }
    }
    let contract = C::contract();
    let code = match words.as_slice() {
        ["example"] => io.print(&docs::env_example(contract)),
        ["markdown"] => io.print(&docs::markdown_table(contract)),
        ["schema"] => {
            let schema = docs::json_schema(contract);
            match serde_json::to_string_pretty(&schema) {
                Ok(text) => io.print(&(text + "\n")),
                Err(e) => {
                    io.complain(&format!("error: cannot render the schema: {e}\n"));
                    EXIT_NOT_READY
                }
            }
        }
        ["probes", ..] if matches!(mode, Probes::Later) => return None,
        ["probes", options @ ..] => {
            let health = match mode {
                Probes::With(health) => Some(health),
                Probes::Missing | Probes::Later => None,
            };
            probes::probes(contract, &program, options, health, io)
        }
        ["check"] => check::<C>(env, io),
        #[cfg(feature = "verify")]
        ["verify", options @ ..] => verify::verify::<C>(&program, options, io),
        #[cfg(not(feature = "verify"))]
        ["verify", ..] => verify_unavailable(&program, io),
        ["help" | "--help" | "-h"] => io.print(&usage(&program)),
        [] => io.usage_error(&program, "a command is needed after `config`"),
        [command, ..] if is_command(command) => io.usage_error(
            &program,
            &format!("unexpected arguments after `config {command}`"),
        ),
        [command, ..] => io.usage_error(&program, &format!("unknown command `config {command}`")),
    };
    Some(code)
}

fn is_command(word: &str) -> bool {
    matches!(
        word,
        "example" | "markdown" | "schema" | "probes" | "check" | "verify" | "help"
    )
}

/// `config verify ...` without the feature: says how to get it.
#[cfg(not(feature = "verify"))]
fn verify_unavailable(program: &str, io: &mut Io<'_>) -> u8 {
    io.complain(&format!(
        "error: `config verify` needs the `verify` feature of the `health` crate, which {program} \
         was built without: add `features = [\"verify\"]` to its `health` dependency\n"
    ));
    EXIT_USAGE
}

#[cfg(test)]
mod tests;
