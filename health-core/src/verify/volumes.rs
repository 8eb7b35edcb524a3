//! The pod's volumes and the files in each, as the kubelet writes them: a `secret` or
//! `configMap` volume holds a file per key of the object (named after the key), or with
//! `items` only the keys listed, at their `path`s (`MakePayload` in `pkg/volume/secret` and
//! `pkg/volume/configmap`; a ConfigMap's `binaryData` too). A `projected` volume holds what its
//! `sources` give, a later source's file replacing an earlier one's at the same path
//! (`collectData` in `pkg/volume/projected`). A key listed in `items` that the object lacks
//! fails the whole mount (the pod does not start) unless the source is `optional`, which
//! skips the file. Paths are cleaned as `AtomicWriter` cleans them.
//!
//! `mounts` says which volume a path of the container is in; this module, which file of it.

use super::error::VerifyError;
use super::objects::{Item, Object, ObjectKind, Objects, string};
use super::provenance::Location;
use super::yaml::{Node, short};
use crate::suggest::closest;

/// One volume of the pod.
pub(crate) struct Volume<'a> {
    /// Its name, which mounts name.
    pub(crate) name: &'a str,
    /// Its type's field: `secret`, `configMap`, `projected`, `emptyDir`, `csi`...
    pub(crate) kind: &'a str,
    sources: Vec<Source<'a>>,
    /// The line of its name.
    pub(crate) at: Location,
}

/// What a volume, or one source of a projected volume, writes in it.
enum Source<'a> {
    /// A Secret's or a ConfigMap's keys.
    Object {
        kind: ObjectKind,
        name: &'a str,
        /// `items`, in order; `None` for every key.
        items: Option<Vec<KeyPath<'a>>>,
        optional: bool,
    },
    /// Files the kubelet or a driver writes at run time (the downward API, a token, a disk),
    /// at these paths; `None` for any path.
    Runtime(Option<Vec<String>>),
}

/// One entry of `items`: a key and the path of its file.
struct KeyPath<'a> {
    key: &'a str,
    /// Cleaned.
    path: String,
    /// Where the item is.
    at: Location,
}

/// What the file at a path of a volume is.
pub(crate) enum Found<'a> {
    /// A key of an object in the files.
    Key { object: &'a Object, item: &'a Item },
    /// A key of an object that is not in the files.
    Outside {
        kind: ObjectKind,
        name: &'a str,
        key: String,
    },
    /// A file only known at run time.
    Runtime,
    /// The volume cannot be mounted: `items` lists a key the object lacks.
    Unmountable { object: &'a Object, key: &'a str },
    /// A directory of the volume.
    Directory,
    /// No such file: why, source by source, with the object when there is one, and the
    /// nearest path the volume has.
    Missing {
        why: Vec<String>,
        object: Option<(&'a Object, String)>,
        near: Option<String>,
    },
}

impl<'a> Volume<'a> {
    /// What the file at `inner` (a cleaned path relative to the volume's root) is, with the
    /// ConfigMaps and Secrets of the files.
    pub(crate) fn find(
        &self,
        inner: &str,
        objects: &'a Objects,
        namespace: Option<&str>,
    ) -> Found<'a> {
        let object = |kind, name| objects.find(kind, name, namespace);
        // A listed key that is not there fails the mount, whichever file is read.
        for source in &self.sources {
            if let Source::Object {
                kind,
                name,
                items: Some(items),
                optional: false,
            } = source
                && let Some(found) = object(*kind, name)
                && let Some(missing) = items.iter().find(|i| found.file(i.key).is_none())
            {
                return Found::Unmountable {
                    object: found,
                    key: missing.key,
                };
            }
        }
        let mut why = Vec::new();
        // The object and the key the file would hold, when one source could write it.
        let mut known = None;
        // The last source writing the path wins.
        for source in self.sources.iter().rev() {
            match source.answer(inner, objects, namespace) {
                Answer::Writes(found) => return found,
                Answer::Not(reason, object) => {
                    why.extend(reason);
                    known = known.or(object);
                }
            }
        }
        let paths = self.paths(objects, namespace);
        let under = format!("{inner}/");
        if inner.is_empty() || paths.iter().any(|p| p.starts_with(&under)) {
            return Found::Directory;
        }
        why.reverse();
        let near = closest(inner, paths.iter().map(String::as_str)).map(str::to_owned);
        let object = if self.sources.len() == 1 { known } else { None };
        Found::Missing { why, object, near }
    }

    /// Every path the files say the volume has.
    fn paths(&self, objects: &Objects, namespace: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        for source in &self.sources {
            match source {
                Source::Object {
                    items: Some(items), ..
                } => out.extend(items.iter().map(|i| i.path.clone())),
                Source::Object { kind, name, .. } => {
                    if let Some(object) = objects.find(*kind, name, namespace) {
                        out.extend(object.files().map(|i| i.key.clone()));
                    }
                }
                Source::Runtime(paths) => out.extend(paths.iter().flatten().cloned()),
            }
        }
        out
    }
}

/// One source's answer for a path of the volume.
enum Answer<'a> {
    /// It writes the file there (or may: an object outside the files, a runtime source).
    Writes(Found<'a>),
    /// It does not: why (nothing to say of a runtime source), and the object and key when
    /// a missing key is why.
    Not(Option<String>, Option<(&'a Object, String)>),
}

impl<'a> Source<'a> {
    /// Whether this source writes the file at `inner`.
    fn answer(&self, inner: &str, objects: &'a Objects, namespace: Option<&str>) -> Answer<'a> {
        let (kind, name, items) = match self {
            Source::Runtime(Some(paths)) if !paths.iter().any(|p| p == inner) => {
                return Answer::Not(None, None);
            }
            Source::Runtime(_) => return Answer::Writes(Found::Runtime),
            Source::Object {
                kind, name, items, ..
            } => (*kind, *name, items),
        };
        // `None`: every key; `Some(None)`: no item has the path.
        let listed = items
            .as_ref()
            .map(|items| items.iter().rev().find(|i| i.path == inner));
        let Some(object) = objects.find(kind, name, namespace) else {
            let outside = format!("{} `{name}` (not in the files)", kind.as_str());
            let key = match listed {
                // A key is a file name: it has no `/`.
                None if !inner.contains('/') => inner.to_owned(),
                Some(Some(item)) => item.key.to_owned(),
                None => return Answer::Not(Some(format!("no key of {outside} holds a `/`")), None),
                Some(None) => {
                    let why = format!("no item of {outside} has the path `{}`", short(inner));
                    return Answer::Not(Some(why), None);
                }
            };
            return Answer::Writes(Found::Outside { kind, name, key });
        };
        let (key, why) = match listed {
            None => (
                inner,
                format!("no key `{}` in {}", short(inner), object.describe()),
            ),
            Some(Some(item)) => (
                item.key,
                // Only an optional source gets here with the key missing: the kubelet skips it.
                format!(
                    "no key `{}` in {}, which an optional item ({}) would write there",
                    item.key,
                    object.describe(),
                    item.at
                ),
            ),
            Some(None) => {
                let why = format!(
                    "no item of {} has the path `{}`",
                    object.describe(),
                    short(inner)
                );
                return Answer::Not(Some(why), None);
            }
        };
        match object.file(key) {
            Some(item) => Answer::Writes(Found::Key { object, item }),
            None => Answer::Not(Some(why), Some((object, key.to_owned()))),
        }
    }
}

/// `path` cleaned as Go's `path.Clean` (no empty or `.` parts, `..` applied), without a
/// trailing `/`; absolute when it was.
pub(crate) fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The pod's `volumes`.
pub(crate) fn volumes<'a>(
    list: Option<&'a Node>,
    file: &str,
) -> Result<Vec<Volume<'a>>, VerifyError> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let Some(entries) = list.items() else {
        return Err(VerifyError::manifest(
            file,
            list.line,
            "`volumes` is not a list",
        ));
    };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let name_node = required(entry, "name", "a volume", file)?;
        let name = string(name_node, file, "a volume's name")?;
        let what = format!("volume `{}`", short(name));
        // A volume with no type is an emptyDir (the API server's default).
        let (kind, node) = entry
            .entries()
            .unwrap_or_default()
            .iter()
            .find_map(|(k, v)| k.scalar().filter(|k| *k != "name").map(|k| (k, v)))
            .unwrap_or(("emptyDir", entry));
        let sources = match kind {
            "secret" => vec![object(ObjectKind::Secret, "secretName", node, &what, file)?],
            "configMap" => vec![object(ObjectKind::ConfigMap, "name", node, &what, file)?],
            "projected" => projected(node, &what, file)?,
            "downwardAPI" => vec![Source::Runtime(Some(item_paths(node, file)?))],
            _ => vec![Source::Runtime(None)],
        };
        out.push(Volume {
            name,
            kind,
            sources,
            at: Location::new(file, name_node.line),
        });
    }
    Ok(out)
}

/// The sources of a projected volume.
fn projected<'a>(node: &'a Node, what: &str, file: &str) -> Result<Vec<Source<'a>>, VerifyError> {
    let Some(list) = node.get("sources").filter(|n| !n.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(entries) = list.items() else {
        let reason = format!("`sources` of {what} is not a list");
        return Err(VerifyError::manifest(file, list.line, reason));
    };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let source = if let Some(node) = entry.get("secret") {
            object(ObjectKind::Secret, "name", node, what, file)?
        } else if let Some(node) = entry.get("configMap") {
            object(ObjectKind::ConfigMap, "name", node, what, file)?
        } else if let Some(node) = entry.get("downwardAPI") {
            Source::Runtime(Some(item_paths(node, file)?))
        } else if let Some(node) = entry.get("serviceAccountToken") {
            Source::Runtime(Some(path_of(node, "path", file)?.into_iter().collect()))
        } else if let Some(node) = entry.get("clusterTrustBundle") {
            Source::Runtime(Some(path_of(node, "path", file)?.into_iter().collect()))
        } else if let Some(node) = entry.get("podCertificate") {
            let mut paths = Vec::new();
            for field in ["credentialBundlePath", "keyPath", "certificateChainPath"] {
                paths.extend(path_of(node, field, file)?);
            }
            Source::Runtime(Some(paths))
        } else {
            Source::Runtime(None)
        };
        out.push(source);
    }
    Ok(out)
}

/// A `secret` or `configMap` volume (or projected source): the object's name in `field`,
/// `items`, `optional`.
fn object<'a>(
    kind: ObjectKind,
    field: &str,
    node: &'a Node,
    what: &str,
    file: &str,
) -> Result<Source<'a>, VerifyError> {
    let name_node = required(
        node,
        field,
        &format!("the {} of {what}", kind.as_str()),
        file,
    )?;
    let name = string(name_node, file, field)?;
    let items = match node.get("items").filter(|n| !n.is_null()) {
        None => None,
        Some(list) => {
            let Some(entries) = list.items() else {
                let reason = format!("`items` of {what} is not a list");
                return Err(VerifyError::manifest(file, list.line, reason));
            };
            let mut items = Vec::with_capacity(entries.len());
            for entry in entries {
                let key = string(required(entry, "key", "an item", file)?, file, "items.key")?;
                let path = required(entry, "path", "an item", file)?;
                items.push(KeyPath {
                    key,
                    path: relative(path, file)?,
                    at: Location::new(file, entry.line),
                });
            }
            // An empty list is as none: every key (`len(mappings) == 0`).
            (!items.is_empty()).then_some(items)
        }
    };
    Ok(Source::Object {
        kind,
        name,
        items,
        optional: node.get("optional").is_some_and(Node::is_true),
    })
}

/// The `path`s of a downward API volume's (or source's) `items`.
fn item_paths(node: &Node, file: &str) -> Result<Vec<String>, VerifyError> {
    let items = node.get("items").and_then(Node::items).unwrap_or_default();
    items
        .iter()
        .map(|item| relative(required(item, "path", "an item", file)?, file))
        .collect()
}

/// The string field `field` of `node` as a cleaned path, when there.
fn path_of(node: &Node, field: &str, file: &str) -> Result<Option<String>, VerifyError> {
    node.get(field).map(|n| relative(n, file)).transpose()
}

/// A file's path in a volume, which Kubernetes takes only relative and without `..`.
pub(crate) fn relative(node: &Node, file: &str) -> Result<String, VerifyError> {
    let path = string(node, file, "a path in a volume")?;
    if path.is_empty() || path.starts_with('/') || path.split('/').any(|p| p == "..") {
        let reason = format!(
            "the path `{}` in a volume is empty, absolute or has `..`, which Kubernetes refuses",
            short(path)
        );
        return Err(VerifyError::manifest(file, node.line, reason));
    }
    Ok(clean(path))
}

/// The field `field` of `node`, which Kubernetes requires.
pub(crate) fn required<'a>(
    node: &'a Node,
    field: &str,
    what: &str,
    file: &str,
) -> Result<&'a Node, VerifyError> {
    node.get(field)
        .filter(|n| !n.is_null())
        .ok_or_else(|| VerifyError::manifest(file, node.line, format!("{what} has no `{field}`")))
}
