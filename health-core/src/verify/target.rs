//! Which container is verified, and its environment: the one container (or Compose service)
//! of the files, the one `--container` names (`NAME`, or `WORKLOAD/NAME` when several
//! workloads have a container of that name), or the `.env` files alone. Init containers are
//! chosen only by name.

use serde::Serialize;

use super::compose;
use super::env::{Binding, Env};
use super::error::VerifyError;
use super::files::Set;
use super::podenv;
use super::provenance::{Location, Provenance};
use super::yaml::one_line;

/// What was verified: a container of a workload, a Compose service, or env files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// `Deployment`, `CronJob`, ... for a container; `compose` for a service; `env` for env
    /// files alone.
    pub kind: String,
    /// The workload's name, the service's, or the env files' (joined with `, `).
    pub name: String,
    /// The container's name (a workload's only).
    pub container: Option<String>,
    /// Whether the container is an init container.
    pub init: bool,
    /// Where it is declared.
    pub at: Option<Location>,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, name) = (one_line(&self.kind), one_line(&self.name));
        match &self.container {
            Some(container) => {
                let role = if self.init {
                    "init container"
                } else {
                    "container"
                };
                let container = one_line(container);
                write!(f, "{kind}/{name}, {role} {container}")?;
            }
            None if self.kind == "env" => write!(f, "env files {name}")?,
            None => write!(f, "{kind} service {name}")?,
        }
        match &self.at {
            Some(at) => write!(f, " ({at})"),
            None => Ok(()),
        }
    }
}

/// Chooses the container and builds its environment.
pub(crate) fn environment(
    set: &Set,
    wanted: Option<&str>,
    read_env_files: bool,
) -> Result<(Target, Env), VerifyError> {
    let workloads = !set.containers.is_empty() || !set.services.is_empty();
    if !workloads {
        if set.env_files.is_empty() {
            return Err(VerifyError::Usage(format!(
                "nothing to verify in {}: no Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, \
                 CronJob or Pod, no Compose service, no .env file",
                set.names.join(", ")
            )));
        }
        if let Some(name) = wanted {
            return Err(VerifyError::Usage(format!(
                "no container `{name}`: the files hold only env files"
            )));
        }
        return Ok(env_files(set));
    }
    if !set.containers.is_empty() && !set.env_files.is_empty() {
        return Err(VerifyError::Usage(
            "a .env file goes with a Compose file (for its `${VAR}`) or alone, not with Kubernetes \
             manifests"
                .to_owned(),
        ));
    }
    // A manifest the API server or Compose would refuse is refused whichever container is
    // verified.
    let shell = |name: &str| {
        set.env_files
            .iter()
            .rev()
            .find_map(|(_, lines)| lines.iter().rev().find(|l| l.name == name))
            .map(|l| l.value.clone())
    };
    for c in &set.containers {
        podenv::environment(c, &set.objects, &c.at.file)?;
    }
    for s in &set.services {
        compose::environment(s, &shell, read_env_files)?;
    }
    // Every candidate: (bare name, qualified name, index); containers then services.
    let mut names: Vec<(String, String, Choice)> = Vec::new();
    for (i, c) in set.containers.iter().enumerate() {
        names.push((c.name.clone(), c.qualified(), Choice::Container(i)));
    }
    for (i, s) in set.services.iter().enumerate() {
        names.push((s.name.clone(), s.name.clone(), Choice::Service(i)));
    }
    let chosen: Vec<&(String, String, Choice)> = match wanted {
        Some(name) => names
            .iter()
            .filter(|(bare, full, _)| bare == name || full == name)
            .collect(),
        None => names
            .iter()
            .filter(|(_, _, c)| !matches!(c, Choice::Container(i) if set.containers[*i].init))
            .collect(),
    };
    let listed = || {
        let all: Vec<String> = names
            .iter()
            .map(|(bare, full, c)| {
                let unique = names.iter().filter(|(b, ..)| b == bare).count() == 1;
                let shown = if unique { bare } else { full };
                match c {
                    Choice::Container(i) if set.containers[*i].init => format!("{shown} (init)"),
                    _ => shown.clone(),
                }
            })
            .collect();
        all.join(", ")
    };
    let choice = match chosen.as_slice() {
        [one] => one.2,
        [] => {
            return Err(VerifyError::Usage(match wanted {
                Some(name) => format!(
                    "no container `{name}` in the files; there are: {}",
                    listed()
                ),
                None => format!(
                    "only init containers in the files: pick one with --container ({})",
                    listed()
                ),
            }));
        }
        several => {
            let which: Vec<&str> = several.iter().map(|(_, full, _)| full.as_str()).collect();
            return Err(VerifyError::Usage(format!(
                "the files have several containers ({}): pick one with --container NAME (or \
                 WORKLOAD/NAME)",
                if wanted.is_some() {
                    which.join(", ")
                } else {
                    listed()
                }
            )));
        }
    };
    match choice {
        Choice::Container(i) => {
            let c = &set.containers[i];
            let (kind, name) = c.workload.split_once('/').unwrap_or((&c.workload, ""));
            let target = Target {
                kind: kind.to_owned(),
                name: name.to_owned(),
                container: Some(c.name.clone()),
                init: c.init,
                at: Some(c.at.clone()),
            };
            Ok((target, podenv::environment(c, &set.objects, &c.at.file)?))
        }
        Choice::Service(i) => {
            let s = &set.services[i];
            let target = Target {
                kind: "compose".to_owned(),
                name: s.name.clone(),
                container: None,
                init: false,
                at: Some(s.at.clone()),
            };
            Ok((target, compose::environment(s, &shell, read_env_files)?))
        }
    }
}

#[derive(Clone, Copy)]
enum Choice {
    Container(usize),
    Service(usize),
}

/// The env files alone: a later file wins.
fn env_files(set: &Set) -> (Target, Env) {
    let mut env = Env::default();
    for (file, lines) in &set.env_files {
        for line in lines {
            let origin = Provenance::EnvFile {
                path: file.clone(),
                line: Some(line.line),
            };
            let at = Some(Location::new(file, line.line));
            env.set(
                &line.name,
                Binding::known(line.value.clone(), false, false, origin, at),
            );
        }
    }
    let names: Vec<&str> = set.env_files.iter().map(|(n, _)| n.as_str()).collect();
    let target = Target {
        kind: "env".to_owned(),
        name: names.join(", "),
        container: None,
        init: false,
        at: None,
    };
    (target, env)
}
