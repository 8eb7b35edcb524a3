//! A container's environment as the files give it: for each name, its value when the files
//! know it (or why they do not), where it comes from and where the workload sets it; and the
//! sources whose names are unknown (an `envFrom` Secret outside the files, an `env_file` that
//! is not there), which may provide any variable at run time; and, for a Kubernetes
//! container, what the file each `NAME_FILE` names holds, from the volumes it mounts.
//!
//! Values stay here, inside the crate: no type here implements `Debug`, and nothing here is
//! ever printed. The verdict reads them through the loader and keeps only the outcome.

use std::ffi::OsString;

use super::provenance::{Location, Provenance};
use crate::status::Code;

/// What sets one variable.
#[derive(Clone)]
pub(crate) struct Binding {
    pub(crate) value: Value,
    pub(crate) origin: Provenance,
    /// Where the workload sets it: the `env` or `envFrom` entry, the `environment` line.
    pub(crate) at: Option<Location>,
}

/// A variable's value, as far as the files tell.
#[derive(Clone)]
pub(crate) enum Value {
    /// Known from the files.
    Known {
        text: OsString,
        /// Comes, at least partly, from a Secret's data: never quoted in any message.
        secret: bool,
        /// Written whole in the manifest (a `value:`, a Compose `environment` entry, or
        /// references only to such values): a secret field set this way is a credential in
        /// git.
        literal: bool,
    },
    /// Only known at run time; why, in a few words. `quotes` when the reason quotes text
    /// of a literal (a `$(NAME)` reference): not shown for a secret field.
    Runtime { why: String, quotes: bool },
    /// A reference the kubelet cannot resolve: the container would not start.
    Broken { code: Code, message: String },
}

impl Binding {
    /// A value known from the files.
    pub(crate) fn known(
        text: impl Into<OsString>,
        secret: bool,
        literal: bool,
        origin: Provenance,
        at: Option<Location>,
    ) -> Binding {
        Binding {
            value: Value::Known {
                text: text.into(),
                secret,
                literal,
            },
            origin,
            at,
        }
    }

    /// A value only known at run time.
    pub(crate) fn runtime(
        why: impl Into<String>,
        origin: Provenance,
        at: Option<Location>,
    ) -> Binding {
        Binding {
            value: Value::Runtime {
                why: why.into(),
                quotes: false,
            },
            origin,
            at,
        }
    }
}

/// A source of many names: an `envFrom` ConfigMap or Secret, or an env file.
pub(crate) struct Bulk {
    /// Added before each of its keys (`envFrom.prefix`).
    pub(crate) prefix: String,
    /// How a message names it: "Secret `app` (secret.yaml:4)".
    pub(crate) name: String,
    /// Whether it holds keys (a ConfigMap, a Secret) rather than lines (an env file).
    pub(crate) keyed: bool,
    /// Where the workload reads it.
    pub(crate) at: Option<Location>,
    /// Where its values come from (an object's key left empty).
    pub(crate) origin: Provenance,
}

impl Bulk {
    /// The key of `name` in it, when its prefix allows `name`.
    pub(crate) fn key<'n>(&self, name: &'n str) -> Option<&'n str> {
        name.strip_prefix(self.prefix.as_str())
    }

    /// Its provenance for the variable `name`: an object's key filled in.
    pub(crate) fn origin_of(&self, name: &str) -> Provenance {
        let key = self.key(name).unwrap_or(name).to_owned();
        match self.origin.clone() {
            Provenance::Secret { name, at, .. } => Provenance::Secret { name, key, at },
            Provenance::ConfigMap { name, at, .. } => Provenance::ConfigMap { name, key, at },
            other => other,
        }
    }
}

/// Every variable the files set for one container, in the order first set; later settings
/// replace earlier ones, as in the kubelet and in Compose.
#[derive(Default)]
pub(crate) struct Env {
    vars: Vec<(String, Binding)>,
    /// Sources of many names read from the files: where a missing variable was looked for.
    pub(crate) searched: Vec<Bulk>,
    /// Sources of many names outside the files (an `envFrom` object not in them, an env file
    /// not there), which may set any name at run time, in order (the last one wins).
    pub(crate) unknown: Vec<Bulk>,
    /// What the file named by a `NAME_FILE` holds in the container, by the name `NAME_FILE`:
    /// resolved through a Kubernetes container's mounted volumes (see `volumes`).
    pub(crate) files: Vec<(String, Binding)>,
}

impl Env {
    /// Sets `name`, replacing an earlier setting.
    pub(crate) fn set(&mut self, name: &str, binding: Binding) {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some((_, old)) => *old = binding,
            None => self.vars.push((name.to_owned(), binding)),
        }
    }

    /// What sets `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Binding> {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, b)| b)
    }

    /// Every name set, with its binding, in the order first set.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Binding)> {
        self.vars.iter().map(|(n, b)| (n.as_str(), b))
    }

    /// What the file named by the variable `name_file` (a `NAME_FILE`) holds, when the
    /// container's volumes tell.
    pub(crate) fn file(&self, name_file: &str) -> Option<&Binding> {
        self.files
            .iter()
            .find(|(n, _)| n == name_file)
            .map(|(_, b)| b)
    }

    /// The last source outside the files that may set `name`.
    pub(crate) fn unknown_for(&self, name: &str) -> Option<&Bulk> {
        self.unknown.iter().rev().find(|b| b.key(name).is_some())
    }
}

/// Bytes as a value of the environment.
#[cfg(unix)]
pub(crate) fn os(bytes: &[u8]) -> OsString {
    <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes).to_os_string()
}

/// Bytes as a value of the environment.
#[cfg(not(unix))]
pub(crate) fn os(bytes: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(bytes).into_owned())
}
