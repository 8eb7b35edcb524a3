//! Where variable values come from: the process environment, `.env` files layered under it,
//! in-memory sets for tests, and (in the loader) the `NAME_FILE` convention for secrets
//! mounted as files.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

/// A place to look variables up by name.
///
/// Values are `OsStr`, never `str`: a value that is not UTF-8 is handed to the field's parser,
/// which either takes it as it is (`PathBuf`, `OsString`) or fails with `not_unicode`.
pub trait Source {
    /// The value of `name`, or `None` when it is not set.
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>>;

    /// Where the value of `name` comes from, when [`get`](Self::get) found one.
    ///
    /// The default says [`Origin::Env`]: a source that does not read the process environment
    /// should say where its values come from.
    fn origin(&self, name: &str) -> Origin {
        let _ = name;
        Origin::Env
    }

    /// Every name set, for "did you mean" and unknown-variable reports; names that are not
    /// UTF-8 are left out (no field can have one).
    ///
    /// The default lists none: a source that cannot list its names gets no suggestions.
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Where a variable's value came from: shown in reports and by `config check`, never with
/// the value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The process environment.
    Env,
    /// A `.env` file layered under the process environment.
    DotEnv(PathBuf),
    /// The file named by `NAME_FILE` (a mounted secret).
    SecretFile(PathBuf),
    /// The field's default.
    Default,
    /// Pairs given in code ([`Vars`]).
    Provided,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Env => f.write_str("env"),
            Origin::DotEnv(path) => write!(f, "dotenv:{}", path.display()),
            Origin::SecretFile(path) => write!(f, "file:{}", path.display()),
            Origin::Default => f.write_str("default"),
            Origin::Provided => f.write_str("provided"),
        }
    }
}

#[cfg(feature = "json")]
impl serde::Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The process environment, read with [`std::env::var_os`] (never panics on non-UTF-8).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Source for ProcessEnv {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        // An empty name, or one holding `=` or NUL, is never set: `var_os` says `None`.
        std::env::var_os(name).map(Cow::Owned)
    }

    fn names(&self) -> Vec<String> {
        std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .collect()
    }
}

/// An in-memory set of variables, for tests and for values that come from elsewhere.
///
/// Built from any iterator of `(name, value)` pairs whose items convert into `OsString`
/// (`&str`, `String`, `OsString`, `&OsStr`, `PathBuf`...). A later pair overrides an earlier
/// one with the same name, as in a shell.
#[derive(Clone, Debug, Default)]
pub struct Vars(FxHashMap<OsString, OsString>);

impl Vars {
    /// An empty set.
    pub fn new() -> Vars {
        Vars::default()
    }

    /// Sets `name` to `value`, replacing an earlier value.
    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> &mut Vars {
        self.0.insert(name.into(), value.into());
        self
    }
}

impl<K: Into<OsString>, V: Into<OsString>> FromIterator<(K, V)> for Vars {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Vars {
        Vars(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl Source for Vars {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.0
            .get(OsStr::new(name))
            .map(|v| Cow::Borrowed(v.as_os_str()))
    }

    fn origin(&self, _: &str) -> Origin {
        Origin::Provided
    }

    fn names(&self) -> Vec<String> {
        self.0
            .keys()
            .filter_map(|name| name.to_str().map(str::to_owned))
            .collect()
    }
}

impl<S: Source + ?Sized> Source for &S {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        (**self).get(name)
    }

    fn origin(&self, name: &str) -> Origin {
        (**self).origin(name)
    }

    fn names(&self) -> Vec<String> {
        (**self).names()
    }
}

/// The process environment layered over `.env` files: a variable set in the process wins,
/// then the first file that sets it. The files are read when added (a live config, in
/// `live`, layers them again at each reload), with dotenvy's
/// non-modifying loader: the process environment is never changed.
///
/// ```no_run
/// use health_core::LayeredEnv;
/// let env = LayeredEnv::new().dotenv_if_present(".env")?;
/// // Config::from_source(&env), health::load_from::<Config>(&env)
/// # Ok::<(), health_core::DotEnvError>(())
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
    fn later_pairs_override_earlier_ones() {
        let vars: Vars = [("A", "1"), ("A", "2")].into_iter().collect();
        assert_eq!(vars.get("A").as_deref(), Some(OsStr::new("2")));
        assert_eq!(vars.get("B"), None);
    }

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

    #[test]
    fn process_env_never_panics_on_names_var_os_rejects() {
        for name in ["", "A=B", "A\0B"] {
            assert_eq!(ProcessEnv.get(name), None);
        }
    }
}
