//! One consistent read of a live config: the `.env` layers and every `NAME_FILE` file it
//! names, read again from disk, and read again whole when any of them changed meanwhile.

use std::path::{Path, PathBuf};

use super::fingerprint::Fingerprint;
use crate::load::{ReadinessContract, run};
use crate::outcome::Outcome;
use crate::report::{Report, ReportEntry};
use crate::source::{DotEnvError, LayeredEnv, Origin, Source, Vars};
use crate::status::Code;

/// How many times a read is tried while files keep changing under it.
const ATTEMPTS: usize = 8;

/// Where a live config's values come from: the process environment (or fixed pairs) over
/// `.env` files, each read again at every reload.
#[derive(Clone, Debug, Default)]
pub(super) struct Recipe {
    pub(super) over: Option<Vars>,
    /// Each file, and whether it may be missing.
    pub(super) files: Vec<(PathBuf, bool)>,
}

/// What one read found.
pub(super) struct Read<C> {
    /// The config, when every variable passed.
    pub(super) config: Option<C>,
    pub(super) report: Report,
    /// Every file the read depended on, as it was throughout the read.
    pub(super) files: Fingerprint,
}

impl Recipe {
    /// Reads the config once with no file changing during the read; `None` when the files
    /// changed under every attempt (a rotation storm: the next reload tries again).
    pub(super) fn read<C: ReadinessContract>(&self) -> Option<Read<C>> {
        (0..ATTEMPTS).find_map(|_| self.try_read())
    }

    fn try_read<C: ReadinessContract>(&self) -> Option<Read<C>> {
        let env_files = || self.files.iter().map(|(path, _)| path.as_path());
        let env_before = Fingerprint::of(env_files());
        let (config, report, secrets_before) = match self.layers() {
            Ok(env) => {
                let secrets = Fingerprint::of(secret_paths::<C>(&env).iter().map(PathBuf::as_path));
                let (config, report) = run::<C>(&env);
                (config, report, secrets)
            }
            Err(error) => (None, unreadable(&error), Fingerprint::default()),
        };
        let env_after = Fingerprint::of(env_files());
        let secrets_after = Fingerprint::of(secrets_before.paths());
        if env_before != env_after || secrets_before != secrets_after {
            return None;
        }
        Some(Read {
            config: config.filter(|_| report.is_ready()),
            report,
            files: Fingerprint::of(env_files().chain(secrets_after.paths())),
        })
    }

    /// The variables as they are on disk now.
    fn layers(&self) -> Result<LayeredEnv, DotEnvError> {
        let mut env = match &self.over {
            Some(vars) => LayeredEnv::over(vars.clone()),
            None => LayeredEnv::new(),
        };
        for (path, optional) in &self.files {
            env = if *optional {
                env.dotenv_if_present(path)?
            } else {
                env.dotenv(path)?
            };
        }
        Ok(env)
    }
}

/// The files named by every `NAME_FILE` (and old names' `_FILE`) of `C` set in `source`,
/// whether they exist or not.
fn secret_paths<C: ReadinessContract>(source: &dyn Source) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for variable in C::CONTRACT.variables() {
        let names = std::iter::once(variable.name().to_owned()).chain(variable.old_names());
        for name in names {
            if let Some(path) = source
                .get(&format!("{name}_FILE"))
                .filter(|p| !p.is_empty())
            {
                paths.push(PathBuf::from(path.into_owned()));
            }
        }
    }
    paths
}

/// The report of a `.env` file that cannot be read: one failing entry named by its path.
fn unreadable(error: &DotEnvError) -> Report {
    Report::new(vec![ReportEntry::new(
        error.path().display().to_string(),
        Outcome::fail(Code::UNREADABLE_FILE, error.to_string()),
    )])
}

/// The variables whose value came from one of `paths`.
pub(super) fn read_from<'r>(report: &'r Report, paths: &[&Path]) -> Vec<&'r str> {
    report
        .entries()
        .iter()
        .filter(|entry| {
            matches!(
                entry.origin(),
                Some(Origin::SecretFile(path) | Origin::DotEnv(path)) if paths.contains(&path.as_path())
            )
        })
        .map(ReportEntry::name)
        .collect()
}
