//! Where a variable's value comes from in the deploy's files: a literal, a Secret's or a
//! ConfigMap's key, an env file, something only known at run time, a default, or nothing.
//! Shown as the ORIGIN column of `config verify` and as `origin` in its JSON; never a value.

use std::fmt;

use serde::Serialize;

/// A place in one of the files: `deploy/voxflow.yaml:42`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as it was named (`<stdin>` for standard input).
    pub file: String,
    /// The line, from 1.
    pub line: usize,
}

impl Location {
    pub(crate) fn new(file: &str, line: usize) -> Location {
        Location {
            file: file.to_owned(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Where a variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Provenance {
    /// Written in the manifest: a Kubernetes `value:`, a Compose `environment` entry.
    Literal {
        /// Where.
        at: Location,
    },
    /// A Secret's key (`secretKeyRef`, or `envFrom` `secretRef`).
    Secret {
        /// The Secret's name.
        name: String,
        /// The key in it.
        key: String,
        /// Where the key is set, when the Secret is in the files (the Secret's own line when
        /// the key is not there); `None` when it is not in the files.
        at: Option<Location>,
    },
    /// A ConfigMap's key (`configMapKeyRef`, or `envFrom` `configMapRef`).
    ConfigMap {
        /// The ConfigMap's name.
        name: String,
        /// The key in it.
        key: String,
        /// Where the key is set, when the ConfigMap is in the files; `None` when it is not.
        at: Option<Location>,
    },
    /// An env file: a `.env` given to `verify`, or a Compose `env_file`.
    EnvFile {
        /// The file (relative to the Compose file's folder for an `env_file`).
        path: String,
        /// The line that sets it, when the file was read.
        line: Option<usize>,
    },
    /// The downward API: `valueFrom.fieldRef`.
    FieldRef {
        /// `metadata.name`, `status.podIP`, ...
        field_path: String,
    },
    /// The downward API: `valueFrom.resourceFieldRef`.
    ResourceFieldRef {
        /// `limits.memory`, `requests.cpu`, ...
        resource: String,
    },
    /// Another `valueFrom` source the kubelet resolves (`fileKeyRef`, or one this version
    /// does not know).
    ValueFrom {
        /// The source's field name.
        source: String,
    },
    /// Compose: a bare `KEY` (or `KEY:` with no value), taken from the shell that runs
    /// `docker compose`.
    Shell {
        /// Where.
        at: Location,
    },
    /// Compose: `${VAR}` interpolated from the shell (or its `.env`) when the file is read.
    Interpolation {
        /// The variable interpolated.
        variable: String,
        /// Where.
        at: Location,
    },
    /// A Secret's key as a file of a volume the container mounts (a `secret` or `projected`
    /// volume), read through the `NAME_FILE` that names it.
    SecretFile {
        /// The Secret's name.
        name: String,
        /// The key in it.
        key: String,
        /// The file's path in the container (the value of `NAME_FILE`).
        path: String,
        /// Where the key is set, when the Secret is in the files (the Secret's own line when
        /// the key is not there); `None` when it is not in the files.
        at: Option<Location>,
    },
    /// A ConfigMap's key as a file of a volume the container mounts (a `configMap` or
    /// `projected` volume), read through the `NAME_FILE` that names it.
    ConfigMapFile {
        /// The ConfigMap's name.
        name: String,
        /// The key in it.
        key: String,
        /// The file's path in the container (the value of `NAME_FILE`).
        path: String,
        /// Where the key is set, when the ConfigMap is in the files (its own line when the
        /// key is not there); `None` when it is not in the files.
        at: Option<Location>,
    },
    /// The file named by `NAME_FILE`, read in the container at start, when the files do not
    /// say what it holds.
    File {
        /// The path, when it is written in the files.
        path: Option<String>,
    },
    /// The field's default: nothing in the files sets it.
    Default,
    /// Nothing sets it.
    Nothing,
}

impl Provenance {
    /// Whether the value is only known at run time (a Secret or ConfigMap outside the files,
    /// the downward API, the shell, a mounted file).
    pub fn is_runtime(&self) -> bool {
        match self {
            Provenance::Secret { at, .. }
            | Provenance::ConfigMap { at, .. }
            | Provenance::SecretFile { at, .. }
            | Provenance::ConfigMapFile { at, .. } => at.is_none(),
            Provenance::EnvFile { line, .. } => line.is_none(),
            Provenance::FieldRef { .. }
            | Provenance::ResourceFieldRef { .. }
            | Provenance::ValueFrom { .. }
            | Provenance::Shell { .. }
            | Provenance::Interpolation { .. }
            | Provenance::File { .. } => true,
            Provenance::Literal { .. } | Provenance::Default | Provenance::Nothing => false,
        }
    }

    /// Whether the value comes from a Secret or ConfigMap that is not among the files (a
    /// key of it, or a file of a volume of it).
    pub(crate) fn is_object_outside_the_files(&self) -> bool {
        match self {
            Provenance::Secret { at, .. }
            | Provenance::ConfigMap { at, .. }
            | Provenance::SecretFile { at, .. }
            | Provenance::ConfigMapFile { at, .. } => at.is_none(),
            _ => false,
        }
    }

    /// How a message names the source: "Secret `voxflow` (secret.yaml:5)".
    pub(crate) fn describe(&self) -> String {
        match self {
            Provenance::Literal { at } => format!("a literal at {at}"),
            Provenance::Secret { name, at, .. } => object("Secret", name, at.as_ref()),
            Provenance::ConfigMap { name, at, .. } => object("ConfigMap", name, at.as_ref()),
            Provenance::SecretFile { name, path, at, .. } => {
                format!(
                    "{}, as the file {path}",
                    object("Secret", name, at.as_ref())
                )
            }
            Provenance::ConfigMapFile { name, path, at, .. } => {
                format!(
                    "{}, as the file {path}",
                    object("ConfigMap", name, at.as_ref())
                )
            }
            Provenance::EnvFile { path, line } => match line {
                Some(line) => format!("env file {path}:{line}"),
                None => format!("env file {path}"),
            },
            Provenance::FieldRef { field_path } => format!("fieldRef {field_path}"),
            Provenance::ResourceFieldRef { resource } => format!("resourceFieldRef {resource}"),
            Provenance::ValueFrom { source } => format!("valueFrom.{source}"),
            Provenance::Shell { at } => format!("the shell of docker compose ({at})"),
            Provenance::Interpolation { variable, at } => format!("${{{variable}}} ({at})"),
            Provenance::File { path: Some(path) } => format!("the file {path}"),
            Provenance::File { path: None } => "a file".to_owned(),
            Provenance::Default => "the default".to_owned(),
            Provenance::Nothing => "nothing".to_owned(),
        }
    }
}

fn object(kind: &str, name: &str, at: Option<&Location>) -> String {
    match at {
        Some(at) => format!("{kind} `{name}` ({at})"),
        None => format!("{kind} `{name}` (not in the files)"),
    }
}

/// The ORIGIN column: `literal deploy.yaml:42`, `secret voxflow/API_KEY secret.yaml:9`,
/// `configmap voxflow/PORT (not in the files)`, `secret-file voxflow/API_KEY secret.yaml:9`
/// (that key, mounted as a file), `env-file .env:3`, `fieldRef metadata.name`, `shell`,
/// `${VAR}`, `file /run/secrets/x`, `default`, `-`.
impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |at: &Option<Location>| match at {
            Some(at) => at.to_string(),
            None => "(not in the files)".to_owned(),
        };
        match self {
            Provenance::Literal { at } => write!(f, "literal {at}"),
            Provenance::Secret { name, key, at } => write!(f, "secret {name}/{key} {}", place(at)),
            Provenance::ConfigMap { name, key, at } => {
                write!(f, "configmap {name}/{key} {}", place(at))
            }
            Provenance::SecretFile { name, key, at, .. } => {
                write!(f, "secret-file {name}/{key} {}", place(at))
            }
            Provenance::ConfigMapFile { name, key, at, .. } => {
                write!(f, "configmap-file {name}/{key} {}", place(at))
            }
            Provenance::EnvFile {
                path,
                line: Some(line),
            } => write!(f, "env-file {path}:{line}"),
            Provenance::EnvFile { path, line: None } => {
                write!(f, "env-file {path} (not found)")
            }
            Provenance::FieldRef { field_path } => write!(f, "fieldRef {field_path}"),
            Provenance::ResourceFieldRef { resource } => write!(f, "resourceFieldRef {resource}"),
            Provenance::ValueFrom { source } => write!(f, "valueFrom.{source}"),
            Provenance::Shell { at } => write!(f, "shell {at}"),
            Provenance::Interpolation { variable, at } => write!(f, "${{{variable}}} {at}"),
            Provenance::File { path: Some(path) } => write!(f, "file {path}"),
            Provenance::File { path: None } => f.write_str("file"),
            Provenance::Default => f.write_str("default"),
            Provenance::Nothing => f.write_str("-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_read_as_a_column_and_as_json() {
        let secret = Provenance::Secret {
            name: "voxflow".into(),
            key: "API_KEY".into(),
            at: Some(Location::new("secret.yaml", 9)),
        };
        assert_eq!(secret.to_string(), "secret voxflow/API_KEY secret.yaml:9");
        assert!(!secret.is_runtime());
        assert_eq!(
            serde_json::to_value(&secret).unwrap(),
            serde_json::json!({"kind": "secret", "name": "voxflow", "key": "API_KEY",
                "at": {"file": "secret.yaml", "line": 9}})
        );
        let outside = Provenance::ConfigMap {
            name: "app".into(),
            key: "PORT".into(),
            at: None,
        };
        assert_eq!(outside.to_string(), "configmap app/PORT (not in the files)");
        assert!(outside.is_runtime());
        assert_eq!(outside.describe(), "ConfigMap `app` (not in the files)");
        let mounted = Provenance::SecretFile {
            name: "voxflow".into(),
            key: "API_KEY".into(),
            path: "/run/voxflow/API_KEY".into(),
            at: Some(Location::new("secret.yaml", 9)),
        };
        assert_eq!(
            mounted.to_string(),
            "secret-file voxflow/API_KEY secret.yaml:9"
        );
        assert_eq!(
            mounted.describe(),
            "Secret `voxflow` (secret.yaml:9), as the file /run/voxflow/API_KEY"
        );
        assert!(!mounted.is_runtime());
        assert_eq!(
            serde_json::to_value(&mounted).unwrap()["kind"],
            serde_json::json!("secret_file")
        );
        let outside = Provenance::ConfigMapFile {
            name: "app".into(),
            key: "ca.pem".into(),
            path: "/etc/app/ca.pem".into(),
            at: None,
        };
        assert_eq!(
            outside.to_string(),
            "configmap-file app/ca.pem (not in the files)"
        );
        assert!(outside.is_runtime());
        assert_eq!(Provenance::Nothing.to_string(), "-");
        assert_eq!(
            serde_json::to_value(Provenance::Default).unwrap(),
            serde_json::json!({"kind": "default"})
        );
    }
}
