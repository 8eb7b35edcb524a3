//! ConfigMaps and Secrets in the files: their keys, values and lines, read as the API server
//! reads them. A ConfigMap's `data` holds strings and its `binaryData` base64 (which the
//! kubelet never puts in the environment, only in a mounted volume); a Secret's `data` holds
//! base64 and its `stringData` strings, `stringData` winning for a key in both.

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

use super::error::VerifyError;
use super::provenance::Location;
use super::yaml::{Node, Text, one_line, short};

/// Go's `base64.StdEncoding`, which the API server decodes `data` with: padded, trailing
/// bits allowed.
const GO_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// A ConfigMap or a Secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    ConfigMap,
    Secret,
}

impl ObjectKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ObjectKind::ConfigMap => "ConfigMap",
            ObjectKind::Secret => "Secret",
        }
    }
}

/// One key of an object, with its value and line.
pub(crate) struct Item {
    pub(crate) key: String,
    pub(crate) value: Vec<u8>,
    pub(crate) line: usize,
}

/// A ConfigMap or a Secret from the files.
pub(crate) struct Object {
    pub(crate) kind: ObjectKind,
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    /// The line of its name.
    pub(crate) at: Location,
    /// `data` (and a Secret's `stringData`), in the order written.
    pub(crate) items: Vec<Item>,
    /// A ConfigMap's `binaryData`, decoded: not in the environment, only in a volume.
    pub(crate) binary: Vec<Item>,
}

impl Object {
    /// The key `key`.
    pub(crate) fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    /// The key `key` as a file of a volume: `data` (and a Secret's `stringData`), then a
    /// ConfigMap's `binaryData`, as the kubelet's `MakePayload` looks keys up.
    pub(crate) fn file(&self, key: &str) -> Option<&Item> {
        self.item(key)
            .or_else(|| self.binary.iter().find(|i| i.key == key))
    }

    /// Every key a volume shows as a file: `data` (and `stringData`), then `binaryData`.
    pub(crate) fn files(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().chain(&self.binary)
    }

    /// "Secret `voxflow` (secret.yaml:4)".
    pub(crate) fn describe(&self) -> String {
        let name = one_line(&self.name);
        format!("{} `{name}` ({})", self.kind.as_str(), self.at)
    }
}

/// Every ConfigMap and Secret of the files.
#[derive(Default)]
pub(crate) struct Objects(pub(crate) Vec<Object>);

impl Objects {
    /// The object of this kind and name, in the workload's namespace (or with either
    /// namespace unsaid). The last one in the files wins, as `kubectl apply` would leave it.
    pub(crate) fn find(
        &self,
        kind: ObjectKind,
        name: &str,
        namespace: Option<&str>,
    ) -> Option<&Object> {
        self.0.iter().rev().find(|o| {
            o.kind == kind
                && o.name == name
                && (o.namespace.is_none()
                    || namespace.is_none()
                    || o.namespace.as_deref() == namespace)
        })
    }
}

/// The string at `node`, as the API server reads a string field: a number or a boolean is
/// refused, `null` is empty.
pub(crate) fn string<'a>(node: &'a Node, file: &str, what: &str) -> Result<&'a str, VerifyError> {
    match node.text() {
        Text::Str(text) => Ok(text),
        Text::Null => Ok(""),
        Text::Not(kind) => Err(VerifyError::manifest(
            file,
            node.line,
            format!("{what} is {kind}, and Kubernetes takes a string here: quote it"),
        )),
    }
}

/// `metadata.name` and `metadata.namespace`, and the line of the name.
pub(crate) fn metadata(
    doc: &Node,
    file: &str,
    kind: &str,
) -> Result<(String, Option<String>, usize), VerifyError> {
    let meta = doc.get("metadata");
    let name = meta.and_then(|m| m.get("name"));
    let Some(name) = name else {
        return Err(VerifyError::manifest(
            file,
            doc.line,
            format!("a {kind} without metadata.name"),
        ));
    };
    let text = string(name, file, "metadata.name")?.to_owned();
    let namespace = match meta.and_then(|m| m.get("namespace")) {
        Some(ns) if !ns.is_null() => Some(string(ns, file, "metadata.namespace")?.to_owned()),
        _ => None,
    };
    Ok((text, namespace, name.line))
}

/// Reads a ConfigMap or Secret document.
pub(crate) fn read(kind: ObjectKind, doc: &Node, file: &str) -> Result<Object, VerifyError> {
    let (name, namespace, line) = metadata(doc, file, kind.as_str())?;
    let mut object = Object {
        kind,
        name,
        namespace,
        at: Location::new(file, line),
        items: Vec::new(),
        binary: Vec::new(),
    };
    let (text_field, base64_field) = match kind {
        ObjectKind::ConfigMap => ("data", "binaryData"),
        ObjectKind::Secret => ("stringData", "data"),
    };
    for (key, value) in entries(doc, base64_field, file)? {
        let what = format!("{base64_field}.{}", short(key.0));
        let text = string(value, file, &what)?;
        let cleaned: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        let Ok(bytes) = GO_BASE64.decode(cleaned.as_bytes()) else {
            return Err(VerifyError::manifest(
                file,
                value.line,
                format!(
                    "{what} of {} `{}` is not base64",
                    kind.as_str(),
                    object.name
                ),
            ));
        };
        match kind {
            ObjectKind::ConfigMap => set(&mut object.binary, key.0, bytes, key.1),
            ObjectKind::Secret => set(&mut object.items, key.0, bytes, key.1),
        }
    }
    for (key, value) in entries(doc, text_field, file)? {
        let what = format!("{text_field}.{}", short(key.0));
        let text = string(value, file, &what)?;
        set(&mut object.items, key.0, text.as_bytes().to_vec(), key.1);
    }
    Ok(object)
}

fn set(items: &mut Vec<Item>, key: &str, value: Vec<u8>, line: usize) {
    items.retain(|i| i.key != key);
    items.push(Item {
        key: key.to_owned(),
        value,
        line,
    });
}

/// A key, its line, and its value's node.
type Entry<'a> = ((&'a str, usize), &'a Node);

/// The `(key, line)` and value node of each entry of the mapping `field`.
fn entries<'a>(doc: &'a Node, field: &str, file: &str) -> Result<Vec<Entry<'a>>, VerifyError> {
    let Some(node) = doc.get(field).filter(|n| !n.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(entries) = node.entries() else {
        return Err(VerifyError::manifest(
            file,
            node.line,
            format!("`{field}` is not a mapping"),
        ));
    };
    entries
        .iter()
        .map(|(k, v)| match k.text() {
            Text::Str(key) => Ok(((key, k.line), v)),
            _ => Err(VerifyError::manifest(
                file,
                k.line,
                format!("a key of `{field}` is not a string"),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::yaml::parse;

    fn object(kind: ObjectKind, text: &str) -> Result<Object, VerifyError> {
        read(kind, &parse(text).unwrap()[0], "o.yaml")
    }

    #[test]
    fn secrets_decode_data_and_string_data_wins() {
        let secret = object(
            ObjectKind::Secret,
            "kind: Secret\nmetadata:\n  name: s\n  namespace: prod\ndata:\n  A: aGVsbG8=\n  B: \
             Ym9v\n  C: |\n    aGVs\n    bG8=\nstringData:\n  B: plain\n",
        )
        .unwrap();
        assert_eq!(
            (secret.name.as_str(), secret.namespace.as_deref()),
            ("s", Some("prod"))
        );
        assert_eq!(secret.at.line, 3);
        let get = |k: &str| secret.item(k).map(|i| (i.value.clone(), i.line));
        assert_eq!(get("A"), Some((b"hello".to_vec(), 6)));
        assert_eq!(get("B"), Some((b"plain".to_vec(), 12)));
        assert_eq!(get("C").unwrap().0, b"hello");
    }

    #[test]
    fn refused_values_name_the_line_and_never_the_value() {
        let err = object(
            ObjectKind::Secret,
            "metadata:\n  name: s\ndata:\n  A: not*base64*SECRET\n",
        )
        .err()
        .unwrap();
        assert_eq!(err.line(), Some(4));
        assert!(!err.to_string().contains("SECRET"), "{err}");
        let err = object(
            ObjectKind::ConfigMap,
            "metadata:\n  name: c\ndata:\n  PORT: 8080\n",
        )
        .err()
        .unwrap();
        assert_eq!(
            err.to_string(),
            "o.yaml:4: data.PORT is a number, and Kubernetes takes a string here: quote it"
        );
        let err = object(ObjectKind::ConfigMap, "metadata: {}\n")
            .err()
            .unwrap();
        assert!(err.to_string().contains("without metadata.name"), "{err}");
    }

    #[test]
    fn config_map_binary_data_is_kept_out_of_the_items() {
        let map = object(
            ObjectKind::ConfigMap,
            "metadata:\n  name: c\ndata:\n  A: \"1\"\n  E:\nbinaryData:\n  B: AAE=\n",
        )
        .unwrap();
        assert_eq!(map.items.len(), 2);
        assert_eq!(map.item("E").unwrap().value, b"");
        let binary: Vec<_> = map
            .binary
            .iter()
            .map(|i| (i.key.as_str(), i.line))
            .collect();
        assert_eq!(binary, [("B", 7)]);
        // A volume shows it as a file, with its bytes.
        assert_eq!(map.file("B").map(|i| i.value.clone()), Some(vec![0, 1]));
        assert_eq!(map.files().count(), 3);
    }
}
