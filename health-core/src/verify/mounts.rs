//! What the file each `NAME_FILE` names holds in a Kubernetes container, from its
//! `volumeMounts` and the pod's `volumes` (see `volumes`).
//!
//! A path is in the volume mounted deepest above it (the container runtime mounts a parent
//! before its children); a `subPath` mounts one file or folder of the volume at `mountPath`;
//! `readOnly` changes nothing for a reader. The file is then:
//!
//! - a key of a Secret or ConfigMap in the files: its value (trailing line breaks trimmed, as
//!   the loader trims them), checked like any other; its origin that object and key;
//! - a key of an object outside the files, a disk, the downward API: provided at run time
//!   (`unverified`);
//! - not there (a key the object lacks, a path under no mount, a directory): what the app
//!   would say, `unreadable_file`, naming the object, the key and the mount;
//! - in a volume the kubelet cannot mount (`items` listing a key the object lacks, not
//!   `optional`): `missing`, as for a `secretKeyRef` to a missing key: the pod would not start.
//!
//! A `NAME_FILE` whose value comes from a Secret is left alone (its path is not shown).

use super::env::{Binding, Env, Value, os};
use super::error::VerifyError;
use super::objects::{ObjectKind, Objects, string};
use super::provenance::{Location, Provenance};
use super::volumes::{Found, Volume, clean, relative, required, volumes};
use super::workload::Container;
use super::yaml::{Node, short};
use crate::status::Code;

/// One entry of `volumeMounts`.
struct Mount<'a> {
    volume: &'a str,
    /// `mountPath`, cleaned.
    path: String,
    /// `subPath`, cleaned: empty for the whole volume.
    sub_path: String,
    /// A `subPathExpr`, which the kubelet expands.
    expr: bool,
    /// The line of its `name`.
    at: Location,
}

/// A container's mounts, the pod's volumes, and the objects of the files.
struct Pod<'a> {
    mounts: Vec<Mount<'a>>,
    volumes: Vec<Volume<'a>>,
    objects: &'a Objects,
    namespace: Option<&'a str>,
}

/// Reads `container`'s mounts (refusing one of a volume the pod does not have, as the API
/// server does) and sets what the file of each `NAME_FILE` of `env` holds.
pub(crate) fn mounted(
    env: &mut Env,
    container: &Container,
    objects: &Objects,
    file: &str,
) -> Result<(), VerifyError> {
    let volumes = volumes(container.volumes.as_ref(), file)?;
    let mounts = mounts(container.volume_mounts.as_ref(), file)?;
    if let Some(stray) = mounts
        .iter()
        .find(|m| !volumes.iter().any(|v| v.name == m.volume))
    {
        let reason = format!(
            "the volumeMount `{}` names no volume of the pod, which Kubernetes refuses",
            short(stray.volume)
        );
        return Err(VerifyError::manifest(file, stray.at.line, reason));
    }
    let pod = Pod {
        mounts,
        volumes,
        objects,
        namespace: container.namespace.as_deref(),
    };
    let mut files = Vec::new();
    for (name, binding) in env.iter() {
        if !name.ends_with("_FILE") {
            continue;
        }
        match &binding.value {
            Value::Known {
                text,
                secret: false,
                ..
            } if !text.is_empty() => {
                let path = text.to_string_lossy();
                files.push((
                    name.to_owned(),
                    pod.resolve(name, &path, binding.at.clone()),
                ));
            }
            // A reference that stops the container stops it whatever it names.
            Value::Broken { .. } => files.push((name.to_owned(), binding.clone())),
            _ => {}
        }
    }
    env.files = files;
    Ok(())
}

/// The container's `volumeMounts`.
fn mounts<'a>(list: Option<&'a Node>, file: &str) -> Result<Vec<Mount<'a>>, VerifyError> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let Some(entries) = list.items() else {
        let reason = "`volumeMounts` is not a list";
        return Err(VerifyError::manifest(file, list.line, reason));
    };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let name = required(entry, "name", "a volumeMount", file)?;
        let path = required(entry, "mountPath", "a volumeMount", file)?;
        let sub_path = match entry.get("subPath").filter(|n| !n.is_null()) {
            Some(node) if !string(node, file, "subPath")?.is_empty() => relative(node, file)?,
            _ => String::new(),
        };
        out.push(Mount {
            volume: string(name, file, "a volumeMount's name")?,
            path: clean(string(path, file, "mountPath")?),
            sub_path,
            expr: entry.get("subPathExpr").is_some_and(|n| !n.is_null()),
            at: Location::new(file, name.line),
        });
    }
    Ok(out)
}

impl Pod<'_> {
    /// The mount `path` (absolute, cleaned) is under, the deepest winning, and the rest of it.
    fn mount_of<'p>(&self, path: &'p str) -> Option<(&Mount<'_>, &'p str)> {
        self.mounts
            .iter()
            .filter_map(|m| {
                let rest = match m.path.as_str() {
                    "/" => Some(&path[1..]),
                    root => path.strip_prefix(root).and_then(|r| {
                        if r.is_empty() {
                            Some(r)
                        } else {
                            r.strip_prefix('/')
                        }
                    }),
                };
                rest.map(|r| (m, r))
            })
            .max_by_key(|(m, _)| m.path.len())
    }

    /// What the file at `path` holds, for the variable `variable` (a `NAME_FILE`) set at `at`.
    fn resolve(&self, variable: &str, path: &str, at: Option<Location>) -> Binding {
        let file = || Provenance::File {
            path: Some(path.to_owned()),
        };
        let broken = |code: Code, message: String, origin: Provenance| Binding {
            value: Value::Broken { code, message },
            origin,
            at: at.clone(),
        };
        if !path.starts_with('/') {
            let why = format!(
                "`{variable}` is a relative path, read from the container's working directory"
            );
            return Binding::runtime(why, file(), at);
        }
        let cleaned = clean(path);
        let Some((mount, rest)) = self.mount_of(&cleaned) else {
            let listed: Vec<&str> = self.mounts.iter().map(|m| m.path.as_str()).collect();
            let mounts = match listed.as_slice() {
                [] => "no volume".to_owned(),
                some => some.join(", "),
            };
            let message = format!(
                "no volume is mounted at {path}, so the app cannot read it ({variable}); the \
                 container mounts {mounts}"
            );
            return broken(Code::UNREADABLE_FILE, message, file());
        };
        let Some(volume) = self.volumes.iter().find(|v| v.name == mount.volume) else {
            return Binding::runtime("its volume is not in the pod", file(), at);
        };
        let place = format!(
            "volume `{}` mounted at {} ({})",
            volume.name, mount.path, mount.at
        );
        if mount.expr {
            let why = format!("{place} with `subPathExpr`, which the kubelet expands at run time");
            return Binding::runtime(why, file(), at);
        }
        let inner = clean(&format!("{}/{rest}", mount.sub_path))
            .trim_start_matches('/')
            .to_owned();
        let origin = |kind: ObjectKind, name: &str, key: &str, at: Option<Location>| {
            let (name, key, path) = (name.to_owned(), key.to_owned(), path.to_owned());
            match kind {
                ObjectKind::Secret => Provenance::SecretFile {
                    name,
                    key,
                    path,
                    at,
                },
                ObjectKind::ConfigMap => Provenance::ConfigMapFile {
                    name,
                    key,
                    path,
                    at,
                },
            }
        };
        match volume.find(&inner, self.objects, self.namespace) {
            Found::Key { object, item } => {
                let line = Location::new(&object.at.file, item.line);
                let origin = origin(object.kind, &object.name, &item.key, Some(line));
                if path.ends_with('/') {
                    let message = format!(
                        "{path} ends with `/`, and {} is a file: the app cannot read it \
                         ({variable})",
                        origin.describe()
                    );
                    return broken(Code::UNREADABLE_FILE, message, origin);
                }
                // The loader trims every trailing line break of the file.
                let mut value = item.value.clone();
                while value.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    value.pop();
                }
                let secret = object.kind == ObjectKind::Secret;
                Binding::known(os(&value), secret, false, origin, at)
            }
            Found::Outside { kind, name, key } => {
                let why = format!("{} `{name}` is not in the files ({place})", kind.as_str());
                Binding::runtime(why, origin(kind, name, &key, None), at)
            }
            Found::Runtime => {
                let why = format!(
                    "a file of {place}, of type `{}`: only known at run time",
                    volume.kind
                );
                Binding::runtime(why, file(), at)
            }
            Found::Unmountable { object, key } => {
                let message = format!(
                    "{} has no key `{key}`, which volume `{}` ({}) lists in `items`: the kubelet \
                     cannot mount it, so the pod would not start",
                    object.describe(),
                    volume.name,
                    volume.at
                );
                let origin = origin(object.kind, &object.name, key, Some(object.at.clone()));
                broken(Code::MISSING, message, origin)
            }
            Found::Directory => {
                let message = format!(
                    "{path} is a directory of {place}, not a file: the app cannot read it \
                     ({variable})"
                );
                broken(Code::UNREADABLE_FILE, message, file())
            }
            Found::Missing { why, object, near } => {
                let reasons = match why.as_slice() {
                    [] => String::new(),
                    some => format!("{}; ", some.join(", ")),
                };
                let mut message = format!(
                    "no file {path} in the container, so the app cannot read it ({variable}): \
                     {reasons}{place}"
                );
                if let Some(near) = near {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                let origin = match object {
                    Some((object, key)) => {
                        origin(object.kind, &object.name, &key, Some(object.at.clone()))
                    }
                    None => file(),
                };
                broken(Code::UNREADABLE_FILE, message, origin)
            }
        }
    }
}
