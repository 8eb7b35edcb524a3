//! `config probes [--port N | --port-from VARIABLE]`: Kubernetes probes for the service's
//! `Health`, on the port the contract says the service listens on.

use super::io::{EXIT_USAGE, Io};
use crate::contract::{Contract, Variable};
#[cfg(feature = "runtime")]
use crate::docs;
#[cfg(feature = "runtime")]
use crate::runtime::Health;

/// Stands in for the service's `Health` when the crate is built without the `runtime`
/// feature: there is no value of it, so the `health` argument of [`config_command`](super::config_command) is
/// `None`, and `config probes` says what it needs. With `runtime` the argument is an
/// `Option<&health::Health>`, so a call passing `None` builds either way.
#[cfg(not(feature = "runtime"))]
#[derive(Debug)]
pub enum Health {}

/// Port the probes use when neither `--port` nor the contract says one: the contract has no
/// variable marked `#[contract(probe_port)]` and none named [`PORT_VARIABLE`] after its
/// prefix (`config probes` notes it on stderr).
pub const DEFAULT_PROBE_PORT: u16 = 8080;

/// The name, after the config type's own prefix, of the variable the service listens on:
/// a top-level field `port` (`BILLING_PORT` under `prefix = "BILLING_"`), or a nested struct's
/// `port` read without a prefix of its own.
pub const PORT_VARIABLE: &str = "PORT";

/// Where the probes' port comes from.
#[derive(Debug, PartialEq)]
enum PortFrom<'a> {
    /// `--port N`.
    Given(u16),
    /// `--port-from VARIABLE`: a variable name or field path.
    Variable(&'a str),
    /// Neither: the contract's `probe_port` variable, or its [`PORT_VARIABLE`].
    Contract,
}

/// The options of `config probes`, or the usage error they make.
fn parse_options<'a>(options: &[&'a str]) -> Result<PortFrom<'a>, String> {
    let mut from = PortFrom::Contract;
    let mut words = options.iter().copied();
    while let Some(word) = words.next() {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) => (option, Some(value)),
            None => (word, None),
        };
        if !matches!(option, "--port" | "--port-from") {
            return Err(format!("`config probes` has no option `{word}`"));
        }
        if from != PortFrom::Contract {
            return Err(
                "`config probes` takes one of `--port N` and `--port-from VARIABLE`".into(),
            );
        }
        let Some(value) = inline.or_else(|| words.next()) else {
            return Err(format!("`{option}` needs a value"));
        };
        from = if option == "--port" {
            let port = value.parse().map_err(|_| {
                format!("`config probes` takes `--port N` with N from 0 to 65535, not `{value}`")
            })?;
            PortFrom::Given(port)
        } else {
            PortFrom::Variable(value)
        };
    }
    Ok(from)
}

/// The port the probes go to, or the error that says why it is not known.
#[derive(Debug, PartialEq)]
enum Port {
    /// From `--port` or a variable's default.
    Known(u16),
    /// The contract has no [`PORT_VARIABLE`]: [`DEFAULT_PROBE_PORT`], with a note.
    Fallback,
}

/// The port of `from` in `contract`.
fn port(contract: &Contract, from: &PortFrom<'_>) -> Result<Port, String> {
    let variables = contract.variables();
    let variable = match from {
        PortFrom::Given(port) => return Ok(Port::Known(*port)),
        PortFrom::Variable(wanted) => variables
            .iter()
            .find(|v| v.name() == *wanted || v.field() == *wanted)
            .ok_or_else(|| {
                format!(
                    "`--port-from {wanted}`: {} has no variable or field `{wanted}`",
                    contract.type_name()
                )
            })?,
        PortFrom::Contract => match port_variable(contract, &variables) {
            Some(variable) => variable,
            None => return Ok(Port::Fallback),
        },
    };
    let name = variable.name();
    let Some(default) = variable.spec().default() else {
        return Err(format!(
            "`{name}` (field `{}`) has no default, so the port is only known when the service \
             starts: say it with `--port N`",
            variable.field()
        ));
    };
    default.parse().map(Port::Known).map_err(|_| {
        format!(
            "`{name}`'s default `{default}` is not a port from 0 to 65535: say it with `--port N`"
        )
    })
}

/// The contract's variable marked `#[contract(probe_port)]` (the first, in declaration
/// order), or else its variable named [`PORT_VARIABLE`] after the type's own prefix.
fn port_variable<'a>(contract: &Contract, variables: &'a [Variable]) -> Option<&'a Variable> {
    let mut variables = variables.iter();
    variables
        .clone()
        .find(|v| v.spec().is_probe_port())
        .or_else(|| {
            variables.find(|v| v.name().strip_prefix(contract.prefix()) == Some(PORT_VARIABLE))
        })
}

/// `config probes [--port N | --port-from VARIABLE]`.
pub(super) fn probes(
    contract: &Contract,
    program: &str,
    options: &[&str],
    health: Option<&Health>,
    io: &mut Io<'_>,
) -> u8 {
    let port = parse_options(options).and_then(|from| port(contract, &from));
    let port = match port {
        Ok(port) => port,
        Err(message) => return io.usage_error(program, &message),
    };
    let Some(health) = health else {
        #[cfg(feature = "runtime")]
        io.complain(&format!(
            "error: `config probes` needs the service's checks, and {program} mounted the \
             config command without them: call `health::cli::config_command` with \
             `Some(&health)` once the Health is built\n"
        ));
        #[cfg(not(feature = "runtime"))]
        io.complain(&format!(
            "error: `config probes` needs the service's checks, and {program} was built \
             without them: they come with the `runtime` feature of the `health` crate\n"
        ));
        return EXIT_USAGE;
    };
    let port = match port {
        Port::Known(port) => port,
        Port::Fallback => {
            io.complain(&format!(
                "note: {} has no variable `{}{PORT_VARIABLE}` and no field marked \
                 `#[contract(probe_port)]`, so the probes use port {DEFAULT_PROBE_PORT}: say \
                 the port with `--port N` or `--port-from VARIABLE`\n",
                contract.type_name(),
                contract.prefix()
            ));
            DEFAULT_PROBE_PORT
        }
    };
    #[cfg(feature = "runtime")]
    return io.print(&docs::kubernetes_probes(health, port));
    #[cfg(not(feature = "runtime"))]
    {
        let _ = port;
        match *health {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Field, Requirement, VarSpec};

    const fn var(name: &'static str, default: Option<&'static str>) -> VarSpec {
        let requirement = match default {
            Some(_) => Requirement::Default,
            None => Requirement::Required,
        };
        VarSpec::__new(name, "u16", "", requirement, default, false, false)
    }

    const PORT: VarSpec = var("PORT", Some("9100"));
    const DB_PORT: VarSpec = var("PORT", Some("5432"));
    const ADMIN: VarSpec = var("ADMIN_PORT", Some("9200"));
    const BARE_PORT: VarSpec = var("PORT", None);
    const WORD: VarSpec = var("PORT", Some("http"));
    const DB: Contract = Contract::__new("Db", "", "DB_", &[Field::__var("port", &DB_PORT)]);
    const HTTP: Contract = Contract::__new("Http", "", "", &[Field::__var("port", &PORT)]);

    /// `prefix = "BILLING_"`: a nested database port, an admin port, and the service's port.
    const BILLING: Contract = Contract::__new(
        "Billing",
        "",
        "BILLING_",
        &[
            Field::__nested("db", "", &DB),
            Field::__var("admin_port", &ADMIN),
            Field::__var("port", &PORT),
        ],
    );

    fn port_of(contract: &Contract, options: &[&str]) -> Result<Port, String> {
        parse_options(options).and_then(|from| port(contract, &from))
    }

    #[test]
    fn the_port_is_the_variable_named_port_after_the_prefix() {
        assert_eq!(port_of(&BILLING, &[]), Ok(Port::Known(9100)));
        // A nested struct read without a prefix of its own is the service's too.
        const SERVED: Contract =
            Contract::__new("Served", "", "APP_", &[Field::__nested("http", "", &HTTP)]);
        assert_eq!(port_of(&SERVED, &[]), Ok(Port::Known(9100)));
        // `BILLING_DB_PORT` is the database's, not the service's.
        const ONLY_DB: Contract =
            Contract::__new("OnlyDb", "", "BILLING_", &[Field::__nested("db", "", &DB)]);
        assert_eq!(port_of(&ONLY_DB, &[]), Ok(Port::Fallback));
    }

    #[test]
    fn a_variable_marked_probe_port_comes_before_the_name() {
        const LISTEN: VarSpec = var("LISTEN", Some("7070")).__probe_port();
        const MARKED: Contract = Contract::__new(
            "Marked",
            "",
            "BILLING_",
            &[
                Field::__var("port", &PORT),
                Field::__nested("db", "", &DB),
                Field::__var("listen", &LISTEN),
            ],
        );
        assert_eq!(port_of(&MARKED, &[]), Ok(Port::Known(7070)));
        // The options still win.
        assert_eq!(
            port_of(&MARKED, &["--port-from", "port"]),
            Ok(Port::Known(9100))
        );
        assert_eq!(port_of(&MARKED, &["--port", "80"]), Ok(Port::Known(80)));
        // Marked in a nested struct, under that struct's prefix.
        const MARKED_DB_PORT: VarSpec = var("PORT", Some("6543")).__probe_port();
        const MARKED_DB: Contract =
            Contract::__new("Db", "", "DB_", &[Field::__var("port", &MARKED_DB_PORT)]);
        const OUTER: Contract = Contract::__new(
            "Outer",
            "",
            "APP_",
            &[Field::__nested("db", "", &MARKED_DB)],
        );
        assert_eq!(port_of(&OUTER, &[]), Ok(Port::Known(6543)));
    }

    #[test]
    fn another_variable_is_chosen_by_name_or_field() {
        for options in [
            &["--port-from", "BILLING_ADMIN_PORT"][..],
            &["--port-from=admin_port"],
        ] {
            assert_eq!(
                port_of(&BILLING, options),
                Ok(Port::Known(9200)),
                "{options:?}"
            );
        }
        assert_eq!(
            port_of(&BILLING, &["--port-from", "db.port"]),
            Ok(Port::Known(5432))
        );
        assert_eq!(port_of(&BILLING, &["--port=7000"]), Ok(Port::Known(7000)));
        let error = port_of(&BILLING, &["--port-from", "PORT"]).unwrap_err();
        assert_eq!(
            error,
            "`--port-from PORT`: Billing has no variable or field `PORT`"
        );
    }

    #[test]
    fn a_port_variable_without_a_usable_default_is_an_error() {
        const REQUIRED: Contract =
            Contract::__new("Req", "", "", &[Field::__var("port", &BARE_PORT)]);
        let error = port_of(&REQUIRED, &[]).unwrap_err();
        assert!(
            error.starts_with("`PORT` (field `port`) has no default"),
            "{error}"
        );
        assert_eq!(port_of(&REQUIRED, &["--port", "80"]), Ok(Port::Known(80)));
        const WORD_PORT: Contract = Contract::__new("Word", "", "", &[Field::__var("port", &WORD)]);
        let error = port_of(&WORD_PORT, &[]).unwrap_err();
        assert!(error.contains("default `http` is not a port"), "{error}");
    }

    #[test]
    fn bad_options_are_named() {
        for (options, says) in [
            (&["--port", "99999"][..], "not `99999`"),
            (&["--port"], "`--port` needs a value"),
            (&["--verbose"], "no option `--verbose`"),
            (&["--port", "1", "--port-from", "X"], "one of `--port N`"),
        ] {
            let error = port_of(&BILLING, options).unwrap_err();
            assert!(error.contains(says), "{options:?}: {error}");
        }
    }
}
