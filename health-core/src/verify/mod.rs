//! The deploy's files checked against the contract, before anything starts (feature
//! `verify`): Kubernetes manifests, Docker Compose files and `.env` files.
//!
//! ```no_run
//! # use health_core as health;
//! # struct Config;
//! # impl health::ReadinessContract for Config {
//! #     const CONTRACT: &'static health::Contract = &health::Contract::__new("Config", "", "", &[]);
//! #     fn __load(_: &mut health::load::Loader<'_>) -> Option<Self> { Some(Config) }
//! # }
//! // In the app's own tests: the deploy provides every variable, with a valid value.
//! let verification = health::verify::<Config>(["deploy/deployment.yaml", "deploy/configmap.yaml"])?;
//! assert!(verification.is_ok(), "{}", verification.summary());
//!
//! // With options: which container, run-time references failing, text from memory.
//! let verification = health::verify::Verifier::new()
//!     .file("deploy/deployment.yaml")
//!     .text("secret.yaml", "kind: Secret\nmetadata: {name: app}\nstringData: {TOKEN: x}\n")
//!     .container("app")
//!     .strict(true)
//!     .run::<Config>()?;
//! # Ok::<(), health::verify::VerifyError>(())
//! ```
//!
//! What is read:
//!
//! - Kubernetes YAML, several documents per file: the containers (and init containers) of
//!   Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs and Pods; their `env`
//!   (`value`, `valueFrom` with `secretKeyRef`, `configMapKeyRef`, `fieldRef`,
//!   `resourceFieldRef`, `optional`) and `envFrom` (`secretRef`, `configMapRef`, `prefix`,
//!   `optional`), with the kubelet's precedence and its `$(VAR)` expansion; their
//!   `volumeMounts` (`mountPath`, `subPath`) of the pod's `secret`, `configMap` and
//!   `projected` volumes (`items`, `optional`), through which a `NAME_FILE` names a file
//!   holding a Secret's or ConfigMap's key; and the ConfigMaps (`data`, `binaryData`) and
//!   Secrets (base64 `data`, `stringData`) in the same files. A reference to one outside the
//!   files fails `unverified`: its file was left out, or the object is created elsewhere
//!   ([`Verifier::allow_unverified`] makes it a `warn`). Other values only known at run time
//!   (the downward API, the shell) are a `warn`, `unverified`; [`Verifier::strict`] fails
//!   every one. Other kinds are left alone.
//! - Docker Compose files: `environment` (a map or a list), `env_file`, `${VAR}`.
//! - `.env` files (named `.env`, `.env.*` or `*.env`): alone, the environment itself; with a
//!   Compose file, the shell's variables for its `${VAR}`.
//!
//! Each value is checked by the loader's own rules (`C::check_source`): `PORT: "eighty"`
//! fails `invalid` here, in CI, rather than in production. A secret field written as a
//! literal fails `secret_in_manifest`. No value is ever printed: messages about a value from
//! a Secret are withheld, whatever the field, and no type here holds a value once verified.
//!
//! The rules between variables and the optional groups apply too, under the names the running
//! service gives them (`requires:APP_TLS_CERT,APP_TLS_KEY`), blaming the same variables
//! ([`Entry::variables`]): one entry per rule, after the variables. A value the files give is
//! known (`"false"` written for a `bool` keeps a rule off); a `valueFrom` of an object outside
//! the files, the downward API or a `NAME_FILE` sets its variable, to a value only known at
//! run time; an `envFrom` object or an env file outside the files, or the shell of `docker
//! compose`, may set a variable or not. A rule, or a member of an optional group, is decided
//! when every case these leave open gives the same verdict, and is `unverified` otherwise (a
//! `warn`, a failure with [`Verifier::strict`]), naming the variables it waits on: never a
//! guess. A `check` function runs on the values the files give, as at start (its message
//! withheld when a value it reads comes from a Secret), and is `unverified` when a value it
//! reads is only known at run time.
//!
//! A selected variant's required variables are required only when the files choose it; a
//! tag (or, by presence, a variant's variable) set by an object outside the files leaves the
//! choice open, and then each variable of its variants whose verdict depends on the choice
//! is `unverified`.
//!
//! A one-way pipeline: each module imports only modules of its own row or the rows above it.
//! `health-core/tests/module_cycles.rs` fails on any import circle; the order of the rows
//! is kept by hand.
//!
//! | module | concept |
//! |---|---|
//! | `scalar`, `yaml` | YAML with a line on every node, bounded nesting and aliases; YAML 1.1 scalar types; names on one line |
//! | `error`, `provenance`, `env` | what every stage speaks: errors, where a value comes from, an environment as the files give it |
//! | `objects` | ConfigMaps and Secrets |
//! | `workload` | workload kinds, their pod templates and containers |
//! | `dotenv`, `interpolate`, `compose` | `.env` files with lines; `${VAR}`; a Compose service's environment |
//! | `files` | the inputs read and sorted into objects, containers, services, env files |
//! | `volumes`, `mounts` | the file a `NAME_FILE` names: which volume it is in, what it holds |
//! | `expand`, `podenv` | `$(VAR)`; a container's environment as the kubelet builds it |
//! | `target` | which container is verified, and its environment |
//! | `report` | what is returned |
//! | `unknown` | what the files leave open, and the worlds they allow |
//! | `rules`, `groups`, `variants` | rules between variables, optional groups and selected variants, decided over those worlds |
//! | `verdict` | the loader's rules, and where each value comes from |

mod compose;
mod dotenv;
mod env;
mod error;
mod expand;
mod files;
mod groups;
mod interpolate;
mod mounts;
mod objects;
mod podenv;
mod provenance;
mod report;
mod rules;
mod scalar;
mod target;
mod unknown;
mod variants;
mod verdict;
mod volumes;
mod workload;
mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

pub use self::error::VerifyError;
use self::files::Input;
pub use self::provenance::{Location, Provenance};
use self::report::Policy;
pub use self::report::{Entry, Verification};
pub use self::target::Target;
use crate::load::ReadinessContract;

/// Verifies the files at `paths` against `C`'s contract (`-` is standard input).
///
/// Errors (exit 2 for `config verify`): a file that cannot be read or parsed, a manifest the
/// API server would refuse, several containers and no way to tell which is meant (use
/// [`Verifier::container`]).
pub fn verify<C: ReadinessContract>(
    paths: impl IntoIterator<Item = impl AsRef<Path>>,
) -> Result<Verification, VerifyError> {
    Verifier::new().files(paths).run::<C>()
}

/// Options of a verification: the inputs, the container, strictness.
#[derive(Clone)]
pub struct Verifier {
    inputs: Vec<Input>,
    container: Option<String>,
    policy: Policy,
    read_env_files: bool,
}

impl Default for Verifier {
    fn default() -> Verifier {
        Verifier {
            inputs: Vec::new(),
            container: None,
            policy: Policy::default(),
            read_env_files: true,
        }
    }
}

impl Verifier {
    /// No input yet, no container named, not strict, no object allowed outside the files,
    /// Compose `env_file`s read.
    pub fn new() -> Verifier {
        Verifier::default()
    }

    /// Whether a Compose file's `env_file`s are read from disk (the default), or taken as
    /// provided at deploy time, unread (files that only exist where the deploy runs).
    pub fn read_env_files(mut self, read: bool) -> Verifier {
        self.read_env_files = read;
        self
    }

    /// Adds a file; `-` is standard input.
    pub fn file(mut self, path: impl AsRef<Path>) -> Verifier {
        let path = path.as_ref();
        self.inputs.push(if path == Path::new("-") {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(path))
        });
        self
    }

    /// Adds files, in order; `-` is standard input.
    pub fn files(self, paths: impl IntoIterator<Item = impl AsRef<Path>>) -> Verifier {
        paths.into_iter().fold(self, Verifier::file)
    }

    /// Adds standard input (what `helm template ... |` or `kubectl kustomize ... |` print).
    pub fn stdin(mut self) -> Verifier {
        self.inputs.push(Input::Stdin);
        self
    }

    /// Adds text held in memory under `name`, which messages show and which says what it is
    /// (`.env`, `*.env`, `.env.*`: an env file; anything else: YAML). A Compose file's
    /// `env_file` paths are relative to `name`'s folder.
    pub fn text(mut self, name: impl Into<String>, text: impl Into<Vec<u8>>) -> Verifier {
        self.inputs.push(Input::Text {
            name: name.into(),
            bytes: text.into(),
        });
        self
    }

    /// The container (or Compose service) to verify: `NAME`, or `WORKLOAD/NAME`. Needed when
    /// the files have several; init containers are only verified when named.
    pub fn container(mut self, name: impl Into<String>) -> Verifier {
        self.container = Some(name.into());
        self
    }

    /// Whether a value only known at run time (a Secret or ConfigMap outside the files, the
    /// downward API, the shell) fails rather than warns.
    pub fn strict(mut self, strict: bool) -> Verifier {
        self.policy.strict = strict;
        self
    }

    /// Whether a Secret or ConfigMap the workload names that is not among the files is taken
    /// as created elsewhere (a `warn`, `unverified`) rather than failing (the default): the
    /// file may have been left out of the verification by mistake. [`strict`](Self::strict)
    /// fails it either way.
    pub fn allow_unverified(mut self, allow: bool) -> Verifier {
        self.policy.allow_unverified = allow;
        self
    }

    /// Reads the inputs and verifies `C`'s contract against the chosen container.
    pub fn run<C: ReadinessContract>(&self) -> Result<Verification, VerifyError> {
        if self.inputs.is_empty() {
            return Err(VerifyError::Usage("no file to verify".to_owned()));
        }
        let set = files::read(&self.inputs)?;
        let (target, env) =
            target::environment(&set, self.container.as_deref(), self.read_env_files)?;
        let entries = verdict::judge::<C>(&env, self.policy);
        Ok(Verification::new(
            C::contract().type_name(),
            target,
            self.policy,
            entries,
        ))
    }
}

/// The inputs by name only: text held in memory may be a Secret.
impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inputs: Vec<String> = self.inputs.iter().map(Input::name).collect();
        f.debug_struct("Verifier")
            .field("inputs", &inputs)
            .field("container", &self.container)
            .field("strict", &self.policy.strict)
            .field("allow_unverified", &self.policy.allow_unverified)
            .field("read_env_files", &self.read_env_files)
            .finish()
    }
}

#[cfg(test)]
mod mount_tests;
#[cfg(test)]
mod tests;
