//! A Kubernetes container's environment, built as the kubelet builds it
//! (`makeEnvironmentVariables` in `pkg/kubelet/kubelet_pods.go`):
//!
//! 1. `envFrom`, in order: every key of each ConfigMap or Secret, with the entry's `prefix`; a
//!    later entry replaces an earlier one's key.
//! 2. `env`, in order, replacing what `envFrom` set and earlier `env` entries: a non-empty
//!    `value` with its `$(VAR)` references expanded against what is set so far; otherwise
//!    `valueFrom` (a Secret's or ConfigMap's key, the downward API); otherwise empty.
//!
//! A reference to a Secret or ConfigMap outside the files is provided at run time. A missing
//! key (or object, for `envFrom`) of an `optional` reference is skipped, leaving what was set
//! before; a missing key of a required reference stops the container from starting.
//!
//! Then what the file of each `NAME_FILE` holds, from the container's mounts (`mounts`).

use super::env::{Binding, Bulk, Env, Value, os};
use super::error::VerifyError;
use super::expand::expand;
use super::mounts;
use super::objects::{ObjectKind, Objects, string};
use super::provenance::{Location, Provenance};
use super::workload::Container;
use super::yaml::{Node, short};
use crate::status::Code;

/// The environment of `container`, with the ConfigMaps and Secrets of the files.
pub(crate) fn environment(
    container: &Container,
    objects: &Objects,
    file: &str,
) -> Result<Env, VerifyError> {
    let mut env = Env::default();
    if let Some(list) = &container.env_from {
        for entry in items(list, "envFrom", file)? {
            env_from(&mut env, entry, container, objects, file)?;
        }
    }
    if let Some(list) = &container.env {
        for entry in items(list, "env", file)? {
            env_var(&mut env, entry, container, objects, file)?;
        }
    }
    mounts::mounted(&mut env, container, objects, file)?;
    Ok(env)
}

fn items<'a>(list: &'a Node, field: &str, file: &str) -> Result<&'a [Node], VerifyError> {
    list.items()
        .ok_or_else(|| VerifyError::manifest(file, list.line, format!("`{field}` is not a list")))
}

/// A reference's `name`, `key` (when asked) and `optional`.
struct Reference<'a> {
    name: &'a str,
    key: Option<&'a str>,
    optional: bool,
}

fn reference<'a>(
    node: &'a Node,
    field: &str,
    with_key: bool,
    file: &str,
) -> Result<Reference<'a>, VerifyError> {
    let get = |what: &str| -> Result<&'a str, VerifyError> {
        match node.get(what) {
            Some(value) => string(value, file, &format!("{field}.{what}")),
            None => Err(VerifyError::manifest(
                file,
                node.line,
                format!("`{field}` has no `{what}`"),
            )),
        }
    };
    Ok(Reference {
        name: get("name")?,
        key: if with_key { Some(get("key")?) } else { None },
        optional: node.get("optional").is_some_and(Node::is_true),
    })
}

fn env_from(
    env: &mut Env,
    entry: &Node,
    container: &Container,
    objects: &Objects,
    file: &str,
) -> Result<(), VerifyError> {
    let at = Some(Location::new(file, entry.line));
    let prefix = match entry.get("prefix") {
        Some(node) => string(node, file, "envFrom.prefix")?,
        None => "",
    };
    let (kind, node) = match (entry.get("configMapRef"), entry.get("secretRef")) {
        (Some(node), None) => (ObjectKind::ConfigMap, node),
        (None, Some(node)) => (ObjectKind::Secret, node),
        _ => {
            return Err(VerifyError::manifest(
                file,
                entry.line,
                "an `envFrom` entry needs exactly one of `configMapRef` and `secretRef`",
            ));
        }
    };
    let field = match kind {
        ObjectKind::ConfigMap => "configMapRef",
        ObjectKind::Secret => "secretRef",
    };
    let reference = reference(node, field, false, file)?;
    let Some(object) = objects.find(kind, reference.name, container.namespace.as_deref()) else {
        // Every key it may hold is unknown: it stands for any variable set nowhere else.
        let origin = provenance(kind, reference.name, String::new(), None);
        env.unknown.push(Bulk {
            prefix: prefix.to_owned(),
            name: origin.describe(),
            keyed: true,
            at,
            origin,
        });
        return Ok(());
    };
    env.searched.push(Bulk {
        prefix: prefix.to_owned(),
        name: object.describe(),
        keyed: true,
        at: at.clone(),
        origin: provenance(kind, reference.name, String::new(), Some(object.at.clone())),
    });
    for item in &object.items {
        let origin = provenance(
            kind,
            reference.name,
            item.key.clone(),
            Some(Location::new(&object.at.file, item.line)),
        );
        let name = format!("{prefix}{}", item.key);
        let secret = kind == ObjectKind::Secret;
        env.set(
            &name,
            Binding::known(os(&item.value), secret, false, origin, at.clone()),
        );
    }
    Ok(())
}

fn env_var(
    env: &mut Env,
    entry: &Node,
    container: &Container,
    objects: &Objects,
    file: &str,
) -> Result<(), VerifyError> {
    let Some(name_node) = entry.get("name") else {
        return Err(VerifyError::manifest(
            file,
            entry.line,
            "an `env` entry has no `name`",
        ));
    };
    let name = string(name_node, file, "env.name")?;
    let at = Location::new(file, name_node.line);
    let what = format!("the value of `{}`", short(name));
    let value = match entry.get("value") {
        Some(node) => string(node, file, &what)?,
        None => "",
    };
    let value_from = entry.get("valueFrom").filter(|n| !n.is_null());
    if !value.is_empty() && value_from.is_some() {
        return Err(VerifyError::manifest(
            file,
            at.line,
            format!(
                "`{}` has both `value` and `valueFrom`, which Kubernetes refuses",
                short(name)
            ),
        ));
    }
    let binding = match value_from {
        _ if !value.is_empty() => literal(env, value, at.clone()),
        None => Binding::known(
            "",
            false,
            true,
            Provenance::Literal { at: at.clone() },
            Some(at.clone()),
        ),
        Some(from) => match value_from_source(from, &at, container, objects, file)? {
            Some(binding) => binding,
            // An optional reference to a key that is not there: as if the entry were absent.
            None => return Ok(()),
        },
    };
    env.set(name, binding);
    Ok(())
}

/// A `value:`, with its `$(VAR)` references expanded against what is set so far.
fn literal(env: &Env, value: &str, at: Location) -> Binding {
    let mut secret = false;
    let mut literal = true;
    let mut runtime: Option<String> = None;
    let expanded = expand(value, |reference| match env.get(reference) {
        Some(Binding {
            value:
                Value::Known {
                    text,
                    secret: s,
                    literal: l,
                },
            ..
        }) => {
            secret |= *s;
            literal &= *l;
            Some(text.to_string_lossy().into_owned())
        }
        Some(binding) => {
            runtime.get_or_insert_with(|| {
                format!(
                    "refers to $({reference}), from {}",
                    binding.origin.describe()
                )
            });
            None
        }
        None => {
            runtime.get_or_insert_with(|| match env.unknown_for(reference) {
                Some(source) => format!(
                    "refers to $({reference}), which may come from {}",
                    source.name
                ),
                None => format!(
                    "refers to $({reference}), which nothing before it sets (a service link at \
                     run time, or Kubernetes keeps it as written)"
                ),
            });
            None
        }
    });
    let origin = Provenance::Literal { at: at.clone() };
    match runtime {
        Some(why) => Binding {
            value: Value::Runtime { why, quotes: true },
            origin,
            at: Some(at),
        },
        None => Binding::known(expanded, secret, literal, origin, Some(at)),
    }
}

/// The binding of a `valueFrom`; `None` for an optional reference to a missing key.
fn value_from_source(
    from: &Node,
    at: &Location,
    container: &Container,
    objects: &Objects,
    file: &str,
) -> Result<Option<Binding>, VerifyError> {
    let here = Some(at.clone());
    let sources = [
        "secretKeyRef",
        "configMapKeyRef",
        "fieldRef",
        "resourceFieldRef",
    ];
    let known = sources
        .iter()
        .find_map(|s| from.get(s).map(|node| (*s, node)));
    let (source, node) = match known {
        Some(found) => found,
        None => {
            let other = from
                .entries()
                .and_then(|e| e.first())
                .and_then(|(k, _)| k.scalar())
                .unwrap_or("(none)");
            let origin = Provenance::ValueFrom {
                source: short(other),
            };
            let why = format!("valueFrom.{} is resolved by the kubelet", short(other));
            return Ok(Some(Binding::runtime(why, origin, here)));
        }
    };
    let kind = match source {
        "fieldRef" => {
            let field_path = field(node, "fieldPath", file, "fieldRef.fieldPath")?;
            let origin = Provenance::FieldRef { field_path };
            let why = "the downward API sets it in the pod";
            return Ok(Some(Binding::runtime(why, origin, here)));
        }
        "resourceFieldRef" => {
            let resource = field(node, "resource", file, "resourceFieldRef.resource")?;
            let origin = Provenance::ResourceFieldRef { resource };
            let why = "the downward API sets it from the container's resources";
            return Ok(Some(Binding::runtime(why, origin, here)));
        }
        "secretKeyRef" => ObjectKind::Secret,
        _ => ObjectKind::ConfigMap,
    };
    let reference = reference(node, source, true, file)?;
    let key = reference.key.unwrap_or_default();
    let Some(object) = objects.find(kind, reference.name, container.namespace.as_deref()) else {
        let origin = provenance(kind, reference.name, key.to_owned(), None);
        let why = format!("{} `{}` is not in the files", kind.as_str(), reference.name);
        return Ok(Some(Binding::runtime(why, origin, here)));
    };
    if let Some(item) = object.item(key) {
        let origin = provenance(
            kind,
            reference.name,
            key.to_owned(),
            Some(Location::new(&object.at.file, item.line)),
        );
        let secret = kind == ObjectKind::Secret;
        return Ok(Some(Binding::known(
            os(&item.value),
            secret,
            false,
            origin,
            here,
        )));
    }
    if reference.optional {
        return Ok(None);
    }
    let binary = object.binary.iter().any(|i| i.key == key);
    let message = if binary {
        format!(
            "{} has `{key}` in binaryData, which Kubernetes never puts in the environment: the \
             container would not start ({source} at {at})",
            object.describe()
        )
    } else {
        format!(
            "{} has no key `{key}`: the container would not start ({source} at {at})",
            object.describe()
        )
    };
    Ok(Some(Binding {
        value: Value::Broken {
            code: Code::MISSING,
            message,
        },
        origin: provenance(
            kind,
            reference.name,
            key.to_owned(),
            Some(object.at.clone()),
        ),
        at: here,
    }))
}

fn provenance(kind: ObjectKind, name: &str, key: String, at: Option<Location>) -> Provenance {
    let name = name.to_owned();
    match kind {
        ObjectKind::ConfigMap => Provenance::ConfigMap { name, key, at },
        ObjectKind::Secret => Provenance::Secret { name, key, at },
    }
}

/// The string field `key` of `node` (named `what` in an error), empty when absent.
fn field(node: &Node, key: &str, file: &str, what: &str) -> Result<String, VerifyError> {
    let text = node.get(key).map(|n| string(n, file, what)).transpose()?;
    Ok(text.unwrap_or_default().to_owned())
}
