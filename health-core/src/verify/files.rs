//! The files given to `verify`, read and sorted: Kubernetes objects (workload containers,
//! ConfigMaps, Secrets; `kind: List` opened), Compose services, and `.env` files (by name:
//! `.env`, `.env.*`, `*.env`). Everything else in them is left alone.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::compose::{self, Service};
use super::dotenv::{self, Line};
use super::error::VerifyError;
use super::objects::{self, ObjectKind, Objects};
use super::workload::{self, Container};
use super::yaml::{self, Node};

/// One input: a file, standard input, or text held in memory under a name.
#[derive(Clone)]
pub(crate) enum Input {
    Path(PathBuf),
    Stdin,
    Text { name: String, bytes: Vec<u8> },
}

impl Input {
    /// The name messages use: the path as given, `<stdin>`, or the text's name.
    pub(crate) fn name(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_owned(),
            Input::Text { name, .. } => name.clone(),
        }
    }
}

/// The name of standard input in messages.
pub(crate) const STDIN: &str = "<stdin>";

/// Everything the files hold that `verify` reads.
#[derive(Default)]
pub(crate) struct Set {
    pub(crate) objects: Objects,
    pub(crate) containers: Vec<Container>,
    pub(crate) services: Vec<Service>,
    /// `.env` files, by name, in the order given.
    pub(crate) env_files: Vec<(String, Vec<Line>)>,
    /// Every input's name, in order.
    pub(crate) names: Vec<String>,
}

/// Whether `name` is an env file: `.env`, `.env.production`, `prod.env`.
fn is_env_file(name: &str) -> bool {
    let base = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    base == ".env" || base.starts_with(".env.") || base.ends_with(".env")
}

/// Reads and sorts every input.
pub(crate) fn read(inputs: &[Input]) -> Result<Set, VerifyError> {
    if inputs.iter().filter(|i| matches!(i, Input::Stdin)).count() > 1 {
        return Err(VerifyError::Usage(
            "standard input (`-`) is given more than once".to_owned(),
        ));
    }
    let mut set = Set::default();
    for input in inputs {
        let name = input.name();
        let (bytes, dir) = match input {
            Input::Path(path) => {
                let bytes = std::fs::read(path).map_err(|e| VerifyError::Read {
                    file: name.clone(),
                    reason: e.kind().to_string(),
                })?;
                (bytes, folder(path))
            }
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map_err(|e| VerifyError::Read {
                        file: STDIN.to_owned(),
                        reason: e.kind().to_string(),
                    })?;
                (bytes, PathBuf::from("."))
            }
            Input::Text { name, bytes } => (bytes.clone(), folder(Path::new(name))),
        };
        if !matches!(input, Input::Stdin) && is_env_file(&name) {
            let lines = dotenv::parse(&name, &bytes)?;
            set.env_files.push((name.clone(), lines));
        } else {
            read_yaml(&mut set, &name, &bytes, &dir)?;
        }
        set.names.push(name);
    }
    Ok(set)
}

fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn read_yaml(set: &mut Set, file: &str, bytes: &[u8], dir: &Path) -> Result<(), VerifyError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        VerifyError::Syntax {
            file: file.to_owned(),
            line,
            column: 1,
            reason: "the text is not UTF-8".to_owned(),
        }
    })?;
    let documents = yaml::parse(text).map_err(|e| VerifyError::Syntax {
        file: file.to_owned(),
        line: e.line,
        column: e.column,
        reason: e.reason,
    })?;
    for doc in &documents {
        sort(set, doc, file, dir, 0)?;
    }
    Ok(())
}

/// Files one document (the items of a `kind: List` in turn).
fn sort(
    set: &mut Set,
    doc: &Node,
    file: &str,
    dir: &Path,
    depth: usize,
) -> Result<(), VerifyError> {
    if compose::is_compose(doc) {
        set.services.extend(compose::services(doc, file, dir)?);
        return Ok(());
    }
    let Some(kind) = doc.get("kind").and_then(Node::scalar) else {
        return Ok(());
    };
    match kind {
        "ConfigMap" => set
            .objects
            .0
            .push(objects::read(ObjectKind::ConfigMap, doc, file)?),
        "Secret" => set
            .objects
            .0
            .push(objects::read(ObjectKind::Secret, doc, file)?),
        "List" if depth < 4 => {
            for item in doc.get("items").and_then(Node::items).unwrap_or_default() {
                sort(set, item, file, dir, depth + 1)?;
            }
        }
        kind if workload::KINDS.contains(&kind) => {
            set.containers
                .extend(workload::containers(kind, doc, file)?);
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_are_known_by_name() {
        for name in [".env", "deploy/.env", ".env.production", "prod.env"] {
            assert!(is_env_file(name), "{name}");
        }
        for name in ["deploy.yaml", "env.yaml", ".envrc", "compose.yml"] {
            assert!(!is_env_file(name), "{name}");
        }
    }

    #[test]
    fn documents_are_sorted_by_kind() {
        let text = "kind: List\nitems:\n  - kind: ConfigMap\n    metadata: {name: c}\n  - kind: \
                    Service\n    metadata: {name: s}\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n  \
                    containers: [{name: app}]\n---\nservices:\n  web: {}\n";
        let input = Input::Text {
            name: "all.yaml".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let set = read(&[input]).unwrap();
        assert_eq!(set.objects.0.len(), 1);
        assert_eq!(set.containers.len(), 1);
        assert_eq!(set.services.len(), 1);
        assert_eq!(set.names, ["all.yaml"]);
    }

    #[test]
    fn unreadable_inputs_are_errors_with_their_line() {
        let text = Input::Text {
            name: "bad.yaml".into(),
            bytes: b"a: 1\nb: \xff\n".to_vec(),
        };
        let err = read(&[text]).err().unwrap();
        assert_eq!((err.file(), err.line()), (Some("bad.yaml"), Some(2)));
        let err = read(&[Input::Path("/nonexistent/x.yaml".into())])
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("cannot read /nonexistent/x.yaml"),
            "{err}"
        );
        let err = read(&[Input::Stdin, Input::Stdin]).err().unwrap();
        assert!(matches!(err, VerifyError::Usage(_)));
    }
}
