//! `.env` files layered under the process environment (feature `dotenv`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{Origin, ProcessEnv, Source, Vars};

/// The process environment layered over `.env` files: a variable set in the process wins,
/// then the first file that sets it. The files are read when added (a live config, in
/// `live`, layers them again at each reload), with dotenvy's
/// non-modifying loader: the process environment is never changed.
///
/// ```no_run
/// # use health_core as health;
/// use health::LayeredEnv;
/// let env = LayeredEnv::new().dotenv_if_present(".env")?;
/// // Config::from_source(&env), health::load_from::<Config>(&env)
/// # Ok::<(), health::DotEnvError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct LayeredEnv {
    /// The pairs that win over the files; `None`: the process environment.
    over: Option<Vars>,
    files: Vec<(PathBuf, HashMap<String, String>)>,
}

/// A `.env` file that could not be read. The message never holds a line of the file: a line
/// may carry a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotEnvError {
    path: PathBuf,
    reason: String,
}

impl fmt::Display for DotEnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot load {}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for DotEnvError {}

impl DotEnvError {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl LayeredEnv {
    /// The process environment alone.
    pub fn new() -> LayeredEnv {
        LayeredEnv::default()
    }

    /// `vars` in place of the process environment, over the files layered afterwards: for
    /// tests, and for an app that gets its variables from elsewhere.
    pub fn over(vars: Vars) -> LayeredEnv {
        LayeredEnv {
            over: Some(vars),
            files: Vec::new(),
        }
    }

    /// The `.env` files layered so far, first (winning) first.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(path, _)| path.as_path())
    }

    /// The value of `name` in what wins over the files, with its origin.
    fn top(&self, name: &str) -> Option<(Cow<'_, OsStr>, Origin)> {
        match &self.over {
            Some(vars) => vars.get(name).map(|v| (v, Origin::Provided)),
            None => ProcessEnv.get(name).map(|v| (v, Origin::Env)),
        }
    }

    /// Layers `path` under the process environment (and under files added before it).
    pub fn dotenv(self, path: impl AsRef<Path>) -> Result<LayeredEnv, DotEnvError> {
        self.read(path.as_ref(), false)
    }

    /// [`dotenv`](Self::dotenv), but a missing file is fine (local work has one, production
    /// does not).
    pub fn dotenv_if_present(self, path: impl AsRef<Path>) -> Result<LayeredEnv, DotEnvError> {
        self.read(path.as_ref(), true)
    }

    fn read(mut self, path: &Path, optional: bool) -> Result<LayeredEnv, DotEnvError> {
        let error = |reason: String| DotEnvError {
            path: path.to_owned(),
            reason,
        };
        let lines = match dotenvy::from_path_iter(path) {
            Ok(lines) => lines,
            Err(e) if optional && e.not_found() => return Ok(self),
            Err(e) => return Err(error(describe(e))),
        };
        let mut vars = HashMap::new();
        for line in lines {
            let (name, value) = line.map_err(|e| error(describe(e)))?;
            vars.insert(name, value);
        }
        self.files.push((path.to_owned(), vars));
        Ok(self)
    }
}

/// A dotenvy error without the line it quotes.
fn describe(error: dotenvy::Error) -> String {
    match error {
        dotenvy::Error::LineParse(_, index) => {
            format!("a line does not parse (at byte {index} of that line)")
        }
        dotenvy::Error::Io(io) => io.kind().to_string(),
        dotenvy::Error::EnvVar(_) => {
            "a substitution refers to a variable that is not UTF-8".to_owned()
        }
        _ => "it does not parse".to_owned(),
    }
}

impl Source for LayeredEnv {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.top(name).map(|(value, _)| value).or_else(|| {
            self.files
                .iter()
                .find_map(|(_, vars)| vars.get(name))
                .map(|v| Cow::Borrowed(OsStr::new(v.as_str())))
        })
    }

    fn origin(&self, name: &str) -> Origin {
        if let Some((_, origin)) = self.top(name) {
            return origin;
        }
        self.files
            .iter()
            .find(|(_, vars)| vars.contains_key(name))
            .map_or(Origin::Env, |(path, _)| Origin::DotEnv(path.clone()))
    }

    fn names(&self) -> Vec<String> {
        let mut names = match &self.over {
            Some(vars) => vars.names(),
            None => ProcessEnv.names(),
        };
        names.extend(self.files.iter().flat_map(|(_, vars)| vars.keys().cloned()));
        names.sort_unstable();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_files_layer_under_the_process_and_never_leak_lines() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.env");
        let second = dir.path().join("second.env");
        std::fs::write(
            &first,
            "HEALTH_DOTENV_A=from-first\n# comment\nPATH=not-used\n",
        )
        .unwrap();
        std::fs::write(
            &second,
            "HEALTH_DOTENV_A=from-second\nHEALTH_DOTENV_B='quoted value'\n",
        )
        .unwrap();
        let env = LayeredEnv::new()
            .dotenv(&first)
            .unwrap()
            .dotenv(&second)
            .unwrap();
        assert_eq!(
            env.get("HEALTH_DOTENV_A").as_deref(),
            Some(OsStr::new("from-first"))
        );
        assert_eq!(env.origin("HEALTH_DOTENV_A"), Origin::DotEnv(first.clone()));
        assert_eq!(
            env.get("HEALTH_DOTENV_B").as_deref(),
            Some(OsStr::new("quoted value"))
        );
        // The process wins, and is never modified.
        assert_ne!(env.get("PATH").as_deref(), Some(OsStr::new("not-used")));
        assert_eq!(env.origin("PATH"), Origin::Env);
        assert!(std::env::var_os("HEALTH_DOTENV_A").is_none());

        let missing = dir.path().join("missing.env");
        assert!(LayeredEnv::new().dotenv_if_present(&missing).is_ok());
        assert!(LayeredEnv::new().dotenv(&missing).is_err());
        let broken = dir.path().join("broken.env");
        std::fs::write(&broken, "GOOD=1\nTOKEN_SECRET_LINE 'hunter2\n").unwrap();
        let err = LayeredEnv::new().dotenv(&broken).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(err.to_string().contains("broken.env"), "{err}");
        dir.close().unwrap();
    }
}
