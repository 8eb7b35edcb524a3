//! YAML read into a small tree with the line of every node, from `saphyr-parser`'s events.
//!
//! Bounded on purpose, since `config verify` reads whatever a pipe hands it: nesting deeper
//! than [`MAX_DEPTH`] and alias expansion beyond [`MAX_ALIAS_NODES`] nodes (a "billion
//! laughs") are errors rather than a stack overflow or an exhausted memory. Merge keys
//! (`<<: *base`, which Compose files use and Kubernetes' YAML 1.1 reader accepts) are applied,
//! keys written in the mapping winning. A key written twice in one mapping is an error, as
//! it is for the Kubernetes API server.
//!
//! No type here implements `Debug`: a node may hold a Secret's data, and nothing should be
//! able to print one by accident. Errors carry a position and a reason, never the text.

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::scalar;
pub(crate) use super::scalar::Text;

/// The deepest nesting read (a Kubernetes object with a large CRD schema stays well under).
pub(crate) const MAX_DEPTH: usize = 200;
/// How many nodes aliases (`*name`) may produce in one file, in all.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// One node and the line (1-based) where it starts.
#[derive(Clone)]
pub(crate) struct Node {
    pub(crate) line: usize,
    pub(crate) kind: Kind,
    /// Nodes in this subtree, itself included.
    size: usize,
    /// Levels of nesting below this node (0 for a scalar).
    height: usize,
}

/// A scalar, a sequence or a mapping.
#[derive(Clone)]
pub(crate) enum Kind {
    /// A scalar: its text, whether it was plain (unquoted, not a block), its tag suffix for
    /// a core-schema tag (`!!str` is `str`).
    Scalar {
        text: String,
        plain: bool,
        tag: Option<String>,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(Node, Node)>),
}

/// Why a file is not YAML, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) reason: String,
}

impl Node {
    fn new(line: usize, kind: Kind) -> Node {
        let (size, height) = match &kind {
            Kind::Scalar { .. } => (1, 0),
            Kind::Seq(items) => (
                1 + items.iter().map(|n| n.size).sum::<usize>(),
                1 + items.iter().map(|n| n.height).max().unwrap_or(0),
            ),
            Kind::Map(entries) => (
                1 + entries.iter().map(|(k, v)| k.size + v.size).sum::<usize>(),
                1 + entries
                    .iter()
                    .map(|(k, v)| k.height.max(v.height))
                    .max()
                    .unwrap_or(0),
            ),
        };
        Node {
            line,
            kind,
            size,
            height,
        }
    }

    /// The value of `key` in a mapping (a plain or quoted scalar key).
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .map(|(_, v)| v)
    }

    /// A mapping's entries; `None` for anything else.
    pub(crate) fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A sequence's items; `None` for anything else.
    pub(crate) fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// A scalar's text as written (after quoting and escapes), whatever its type.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Whether this is `null` (`~`, `null`, or nothing at all).
    pub(crate) fn is_null(&self) -> bool {
        self.text() == Text::Null
    }

    /// The node as a Kubernetes string field reads it: YAML 1.1 resolution of plain scalars,
    /// as `sigs.k8s.io/yaml` does (so `yes`, `on`, `8080`, `0x1F` and `1e3` are not strings).
    pub(crate) fn text(&self) -> Text<'_> {
        match &self.kind {
            Kind::Seq(_) => Text::Not("a list"),
            Kind::Map(_) => Text::Not("a mapping"),
            Kind::Scalar { text, plain, tag } => scalar::resolve(text, *plain, tag.as_deref()),
        }
    }

    /// Whether this is `true` as YAML 1.1 reads a boolean (`true`, `yes`, `on`, ...).
    pub(crate) fn is_true(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true, .. } if scalar::is_true(text))
    }
}

/// A collection being read.
enum Open {
    Seq {
        line: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        line: usize,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// Reads every document of a YAML stream; empty documents are left out.
pub(crate) fn parse(input: &str) -> Result<Vec<Node>, YamlError> {
    let mut documents = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
    let mut alias_budget = MAX_ALIAS_NODES;
    for event in Parser::new_from_str(input) {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            reason: quiet(e.info()),
        })?;
        let line = span.start.line();
        let error = |reason: &str| YamlError {
            line,
            column: span.start.col() + 1,
            reason: reason.to_owned(),
        };
        let (node, anchor) = match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(error("nested too deeply"));
                }
                open.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq {
                        line,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Open::Map {
                        line,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some(Open::Seq {
                    line,
                    anchor,
                    items,
                }) => (Node::new(line, Kind::Seq(items)), anchor),
                Some(Open::Map {
                    line,
                    anchor,
                    entries,
                    ..
                }) => (Node::new(line, Kind::Map(merge(entries))), anchor),
                None => return Err(error("unbalanced collection")),
            },
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag
                    .filter(|t| t.is_yaml_core_schema())
                    .map(|t| t.suffix.clone());
                let kind = Kind::Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                    tag,
                };
                (Node::new(line, kind), anchor)
            }
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(error("an alias refers to no anchor"));
                };
                if target.height + open.len() > MAX_DEPTH {
                    return Err(error("nested too deeply through an alias"));
                }
                if target.size > alias_budget {
                    return Err(error("aliases expand to too many nodes"));
                }
                alias_budget -= target.size;
                let mut node = target.clone();
                node.line = line;
                (node, 0)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => continue,
        };
        if anchor > 0 {
            anchors.insert(anchor, node.clone());
        }
        match open.last_mut() {
            None => {
                if !node.is_null() {
                    documents.push(node);
                }
            }
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                None => {
                    let duplicate = node
                        .scalar()
                        .is_some_and(|text| entries.iter().any(|(k, _)| k.scalar() == Some(text)));
                    if duplicate {
                        let name = node.scalar().unwrap_or_default();
                        return Err(error(&format!("the key `{}` is set twice", short(name))));
                    }
                    *key = Some(node);
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(documents)
}

/// Applies merge keys (`<<: *base`, `<<: [*a, *b]`): entries of the merged mappings that the
/// mapping does not set itself, the first merged mapping winning over later ones.
fn merge(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let is_merge =
        |k: &Node| matches!(&k.kind, Kind::Scalar { text, plain: true, .. } if text == "<<");
    if !entries.iter().any(|(k, _)| is_merge(k)) {
        return entries;
    }
    let (merges, mut own): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, _)| is_merge(k));
    for (_, value) in merges {
        let sources = match value.kind {
            Kind::Map(entries) => vec![entries],
            Kind::Seq(items) => items
                .into_iter()
                .filter_map(|n| match n.kind {
                    Kind::Map(entries) => Some(entries),
                    _ => None,
                })
                .collect(),
            Kind::Scalar { .. } => Vec::new(),
        };
        for source in sources {
            for (k, v) in source {
                let taken = own
                    .iter()
                    .any(|(o, _)| o.scalar().is_some() && o.scalar() == k.scalar());
                if !taken {
                    own.push((k, v));
                }
            }
        }
    }
    own
}

/// A name from the files as one line: control characters (a line break folded into a YAML
/// plain scalar, say) written as escapes, so a summary or a message stays one line.
pub(crate) fn one_line(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.chars().any(char::is_control) {
        return name.into();
    }
    let mut line = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line.into()
}

/// A key as shown in an error: cut, and on one line.
pub(crate) fn short(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(60)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The parser's reason without any character it quotes from the input.
fn quiet(info: &str) -> String {
    match info.find(['`', '\'', '"']) {
        Some(at) => info[..at].trim_end_matches([' ', ':']).to_owned(),
        None => info.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn lines_are_those_of_the_text() {
        let doc = one("# comment\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  A: \"1\"\n");
        assert_eq!(doc.line, 2);
        assert_eq!(doc.get("kind").unwrap().line, 2);
        assert_eq!(doc.get("metadata").unwrap().get("name").unwrap().line, 4);
        let data = doc.get("stringData").unwrap().entries().unwrap();
        assert_eq!((data[0].0.line, data[0].1.line), (6, 6));
    }

    #[test]
    fn documents_are_split_and_empty_ones_left_out() {
        let docs = parse("---\na: 1\n---\n---\n# nothing\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].line, 7);
    }

    #[test]
    fn merge_keys_apply_and_written_keys_win() {
        let doc = one(
            "base: &base\n  A: \"1\"\n  B: \"2\"\nother: &other\n  C: \"3\"\n  A: \"9\"\nuse:\n  \
             <<: [*base, *other]\n  B: \"20\"\n",
        );
        let used = doc.get("use").unwrap();
        let get = |k| used.get(k).and_then(Node::scalar);
        assert_eq!(
            (get("A"), get("B"), get("C")),
            (Some("1"), Some("20"), Some("3"))
        );
        assert!(used.get("<<").is_none());
    }

    #[test]
    fn errors_have_a_position_and_never_the_text() {
        let err = parse("a: 1\nb: [unclosed SECRET-VALUE\n").err().unwrap();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.reason.contains("SECRET"), "{err:?}");
        let err = parse("a: 1\nb: 2\na: 3\n").err().unwrap();
        assert_eq!(err.line, 3);
        assert!(err.reason.contains("`a` is set twice"), "{err:?}");
        let err = parse("a: *nothing\n").err().unwrap();
        assert!(err.reason.contains("anchor"), "{err:?}");
        let err = parse("a: \"\\q SECRET\"\n").err().unwrap();
        assert!(!err.reason.contains("SECRET"), "{err:?}");
    }

    #[test]
    fn nesting_and_aliases_are_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).err().unwrap().reason.contains("deeply"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f"])
        {
            laughs.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse(&laughs).err().unwrap().reason.contains("too many"));
    }
}
