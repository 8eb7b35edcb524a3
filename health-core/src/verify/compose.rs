//! Docker Compose services and the environment `docker compose` gives each: its `env_file`s
//! in order (a later file winning), then its `environment` (a map, or a list of `KEY=VALUE`)
//! over them, values interpolated (`${VAR}`, see [`super::interpolate`]). A bare `KEY` (or
//! `KEY:` with no value) comes from the shell; an `env_file` that is not there is read at
//! deploy time, unless `required: false` says it may be absent.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use super::dotenv;
use super::env::{Binding, Bulk, Env};
use super::error::VerifyError;
use super::interpolate::{Interpolated, interpolate};
use super::provenance::{Location, Provenance};
use super::yaml::{Node, Text, short};

/// One service of a Compose file.
pub(crate) struct Service {
    pub(crate) name: String,
    /// The line of its name.
    pub(crate) at: Location,
    /// The folder `env_file` paths are relative to: the Compose file's.
    dir: PathBuf,
    environment: Option<Node>,
    env_file: Option<Node>,
}

/// Whether a document is a Compose file: a `services` mapping and no `kind`.
pub(crate) fn is_compose(doc: &Node) -> bool {
    doc.get("kind").is_none() && doc.get("services").and_then(Node::entries).is_some()
}

/// The services of a Compose document read from `file` (in folder `dir`).
pub(crate) fn services(doc: &Node, file: &str, dir: &Path) -> Result<Vec<Service>, VerifyError> {
    let mut out = Vec::new();
    for (key, service) in doc
        .get("services")
        .and_then(Node::entries)
        .unwrap_or_default()
    {
        let Text::Str(name) = key.text() else {
            return Err(VerifyError::manifest(
                file,
                key.line,
                "a service's name is not a string",
            ));
        };
        let field = |f: &str| service.get(f).filter(|n| !n.is_null()).cloned();
        out.push(Service {
            name: name.to_owned(),
            at: Location::new(file, key.line),
            dir: dir.to_owned(),
            environment: field("environment"),
            env_file: field("env_file"),
        });
    }
    Ok(out)
}

/// The environment of `service`; `shell` gives the shell's variables known to `verify` (from
/// the `.env` files it was given).
/// `read_env_files: false` takes every `env_file` as provided at deploy time, unread.
pub(crate) fn environment(
    service: &Service,
    shell: &dyn Fn(&str) -> Option<String>,
    read_env_files: bool,
) -> Result<Env, VerifyError> {
    let file = service.at.file.as_str();
    let mut env = Env::default();
    if let Some(node) = &service.env_file {
        let single = std::slice::from_ref(node);
        for entry in node.items().unwrap_or(single) {
            env_file(&mut env, entry, service, file, read_env_files)?;
        }
    }
    let Some(node) = &service.environment else {
        return Ok(env);
    };
    if let Some(entries) = node.entries() {
        for (key, value) in entries {
            let Text::Str(name) = key.text() else {
                return Err(VerifyError::manifest(
                    file,
                    key.line,
                    "an `environment` name is not a string",
                ));
            };
            let at = Location::new(file, key.line);
            let binding = match &value.kind {
                _ if value.is_null() => shell_binding(name, at),
                super::yaml::Kind::Scalar { text, .. } => literal(text, shell, at)?,
                _ => {
                    let reason = format!("the value of `{}` is not a string", short(name));
                    return Err(VerifyError::manifest(file, value.line, reason));
                }
            };
            env.set(name, binding);
        }
    } else if let Some(items) = node.items() {
        for item in items {
            let Some(text) = item.scalar() else {
                return Err(VerifyError::manifest(
                    file,
                    item.line,
                    "an `environment` item is not a string",
                ));
            };
            let at = Location::new(file, item.line);
            let (name, binding) = match text.split_once('=') {
                Some((name, value)) => (name, literal(value, shell, at)?),
                None => (text, shell_binding(text, at)),
            };
            env.set(name, binding);
        }
    } else {
        return Err(VerifyError::manifest(
            file,
            node.line,
            "`environment` is neither a map nor a list",
        ));
    }
    Ok(env)
}

/// A bare `KEY`: the shell's value when `docker compose` runs.
fn shell_binding(name: &str, at: Location) -> Binding {
    let why = format!(
        "`{}` is taken from the shell that runs docker compose",
        short(name)
    );
    Binding::runtime(why, Provenance::Shell { at: at.clone() }, Some(at))
}

/// A value written in the file, interpolated.
fn literal(
    text: &str,
    shell: &dyn Fn(&str) -> Option<String>,
    at: Location,
) -> Result<Binding, VerifyError> {
    let used: Cell<Option<String>> = Cell::new(None);
    let lookup = |name: &str| {
        let value = shell(name);
        if value.is_some() {
            let first = used.take().unwrap_or_else(|| name.to_owned());
            used.set(Some(first));
        }
        value
    };
    match interpolate(text, &lookup) {
        Ok(Interpolated::Text(value)) => {
            let origin = match used.take() {
                Some(variable) => Provenance::Interpolation {
                    variable,
                    at: at.clone(),
                },
                None => Provenance::Literal { at: at.clone() },
            };
            let literal = matches!(origin, Provenance::Literal { .. });
            Ok(Binding::known(value, false, literal, origin, Some(at)))
        }
        Ok(Interpolated::Shell(variable)) => {
            let why = format!(
                "`${{{variable}}}` is interpolated from the shell that runs docker compose"
            );
            let origin = Provenance::Interpolation {
                variable,
                at: at.clone(),
            };
            Ok(Binding::runtime(why, origin, Some(at)))
        }
        Err(invalid) => Err(VerifyError::manifest(
            &at.file,
            at.line,
            format!("docker compose refuses this value: {}", invalid.0),
        )),
    }
}

/// One `env_file` entry: a path, or `{path, required}`.
fn env_file(
    env: &mut Env,
    entry: &Node,
    service: &Service,
    file: &str,
    read: bool,
) -> Result<(), VerifyError> {
    let (path_node, required) = match entry.get("path") {
        Some(path) => (path, entry.get("required").is_none_or(Node::is_true)),
        None => (entry, true),
    };
    let Text::Str(path) = path_node.text() else {
        return Err(VerifyError::manifest(
            file,
            path_node.line,
            "an `env_file` path is not a string",
        ));
    };
    let at = Location::new(file, path_node.line);
    let full = service.dir.join(path);
    let unread = |env: &mut Env, why: &str| {
        env.unknown.push(Bulk {
            prefix: String::new(),
            name: format!("env file {path} ({why})"),
            keyed: false,
            at: Some(at.clone()),
            origin: Provenance::EnvFile {
                path: path.to_owned(),
                line: None,
            },
        });
    };
    if !read {
        unread(env, "not read: it is read at deploy time");
        return Ok(());
    }
    let bytes = match std::fs::read(&full) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                unread(env, "not there: it is read at deploy time");
            }
            return Ok(());
        }
        Err(e) => {
            return Err(VerifyError::Read {
                file: full.display().to_string(),
                reason: e.kind().to_string(),
            });
        }
    };
    env.searched.push(Bulk {
        prefix: String::new(),
        name: format!("env file {path}"),
        keyed: false,
        at: Some(at.clone()),
        origin: Provenance::EnvFile {
            path: path.to_owned(),
            line: None,
        },
    });
    for line in dotenv::parse(&full.display().to_string(), &bytes)? {
        let origin = Provenance::EnvFile {
            path: path.to_owned(),
            line: Some(line.line),
        };
        env.set(
            &line.name,
            Binding::known(line.value, false, false, origin, Some(at.clone())),
        );
    }
    Ok(())
}
