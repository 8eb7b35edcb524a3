//! A house without circles: no module of health-core imports one that imports it back.
//!
//! Reads `src/` as text (std only): every `use` tree and every `crate::`, `super::` or
//! `self::` path in code is an edge from the module it is written in (a file, or an inline
//! `mod x { .. }`) to the module the path leads to. A name a module imports (`pub use
//! error::VerifyError`) is followed to where it is defined, so a re-export is no edge to the
//! module re-exporting it. Test code (`#[cfg(test)]` modules, inline or in their own files)
//! is left out: tests may use anything. Then every strongly connected set of modules is a
//! circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root: `["verify", "files"]`; the root is `[]`.
type ModPath = Vec<String>;

/// The source as tokens: identifiers, `::` and single punctuation; no comment, string or char.
fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && raw_string(&chars, i) {
            // r"..", r#".."#: skip to the closing quote and as many hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    i = j + 1 + hashes;
                    break;
                }
                j += 1;
            }
        } else if c == '"' {
            i += 1;
            while chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}'), or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && next == Some(':') {
            out.push("::".to_owned());
            i += 2;
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

/// Whether `r` at `i` opens a raw string (not an identifier ending in `r`, nor `r#ident`).
fn raw_string(chars: &[char], i: usize) -> bool {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return false;
    }
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

/// What one module says: the paths it uses, and the names it imports (for re-exports).
#[derive(Default)]
struct Module {
    /// Paths written in the module, each from its first segment (`crate`, `super`, `self`).
    paths: Vec<Vec<String>>,
    /// `name -> path` of each `use` (the last segment, or the `as` name).
    imports: BTreeMap<String, Vec<String>>,
}

/// Modules found in the source, by path.
#[derive(Default)]
struct Crate {
    modules: BTreeMap<ModPath, Module>,
    /// Files declared as test modules (`#[cfg(test)] mod tests;`), left out.
    test_files: BTreeSet<ModPath>,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut krate = Crate::default();
        let mut files = Vec::new();
        collect_files(src, &mut files);
        let mut parsed = Vec::new();
        for file in files {
            let path = module_path(src, &file);
            let text = std::fs::read_to_string(&file).unwrap();
            parsed.push((path, tokens(&text)));
        }
        for (path, tokens) in &parsed {
            krate.scan(path.clone(), tokens);
        }
        let tests = krate.test_files.clone();
        krate
            .modules
            .retain(|path, _| !tests.iter().any(|t| path.starts_with(t)));
        krate
    }

    /// Scans one file's tokens as module `path`, inline modules included.
    fn scan(&mut self, path: ModPath, tokens: &[String]) {
        self.modules.entry(path.clone()).or_default();
        let mut stack: Vec<(ModPath, usize)> = vec![(path, 0)];
        let mut depth = 0usize;
        let mut cfg_test = false;
        let mut i = 0;
        while i < tokens.len() {
            let current = stack.last().unwrap().0.clone();
            let t = tokens[i].as_str();
            match t {
                "#" if tokens.get(i + 1).map(String::as_str) == Some("[") => {
                    let end = matching(tokens, i + 1, "[", "]");
                    let attr = tokens[i + 2..end].join(" ");
                    if attr == "cfg ( test )" {
                        cfg_test = true;
                    }
                    i = end + 1;
                    continue;
                }
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if stack.len() > 1 && stack.last().unwrap().1 == depth {
                        stack.pop();
                    }
                }
                "mod" => {
                    let name = tokens[i + 1].clone();
                    let mut child = current.clone();
                    child.push(name);
                    match tokens[i + 2].as_str() {
                        ";" if cfg_test => {
                            self.test_files.insert(child);
                        }
                        "{" if cfg_test => {
                            // Inline test code: skipped whole.
                            i = matching(tokens, i + 2, "{", "}") + 1;
                            cfg_test = false;
                            continue;
                        }
                        "{" => {
                            self.modules.entry(child.clone()).or_default();
                            stack.push((child, depth));
                            depth += 1;
                            i += 3;
                            cfg_test = false;
                            continue;
                        }
                        _ => {}
                    }
                }
                "use" => {
                    let end = (i..tokens.len()).find(|&j| tokens[j] == ";").unwrap();
                    let mut uses = Vec::new();
                    use_tree(&tokens[i + 1..end], Vec::new(), &mut uses);
                    let module = self.modules.get_mut(&current).unwrap();
                    for (path, name) in uses {
                        if matches!(path[0].as_str(), "crate" | "super" | "self") {
                            module.paths.push(path.clone());
                        }
                        if let Some(name) = name {
                            module.imports.insert(name, path);
                        }
                    }
                    i = end + 1;
                    cfg_test = false;
                    continue;
                }
                "crate" | "super" | "self"
                    if tokens.get(i + 1).map(String::as_str) == Some("::") =>
                {
                    let mut path = vec![t.to_owned()];
                    let mut j = i + 1;
                    while tokens.get(j).map(String::as_str) == Some("::")
                        && tokens
                            .get(j + 1)
                            .is_some_and(|s| s.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    {
                        path.push(tokens[j + 1].clone());
                        j += 2;
                    }
                    self.modules.get_mut(&current).unwrap().paths.push(path);
                    i = j;
                    continue;
                }
                _ => {}
            }
            if !matches!(t, "pub" | "(" | ")" | "crate" | "in" | "super" | "self") {
                cfg_test = false;
            }
            i += 1;
        }
    }

    /// The module a path written in `from` leads to, imports followed; `None` outside the crate.
    fn resolve(&self, from: &ModPath, path: &[String], hops: usize) -> Option<ModPath> {
        let mut base = from.clone();
        let mut rest = path;
        match path.first()?.as_str() {
            "crate" => {
                base.clear();
                rest = &path[1..];
            }
            "self" | "super" => {
                while let Some(first) = rest.first() {
                    match first.as_str() {
                        "self" => {}
                        "super" => {
                            base.pop()?;
                        }
                        _ => break,
                    }
                    rest = &rest[1..];
                }
            }
            _ => return None,
        }
        while let Some(segment) = rest.first() {
            let mut next = base.clone();
            next.push(segment.clone());
            if self.modules.contains_key(&next) {
                base = next;
                rest = &rest[1..];
                continue;
            }
            // A name the module imports: where it comes from.
            if hops < 8
                && let Some(imported) = self.modules.get(&base).and_then(|m| m.imports.get(segment))
            {
                let mut full = imported.clone();
                full.extend_from_slice(&rest[1..]);
                return self.resolve(&base, &full, hops + 1).or(Some(base));
            }
            break;
        }
        Some(base)
    }

    /// Edges between modules: `a -> b` when `a` uses something of `b` (never `a -> a`).
    fn edges(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (from, module) in &self.modules {
            let targets = edges.entry(from.clone()).or_default();
            for path in &module.paths {
                if let Some(to) = self.resolve(from, path, 0)
                    && to != *from
                    && self.modules.contains_key(&to)
                {
                    targets.insert(to);
                }
            }
        }
        edges
    }
}

/// The index of the token closing the bracket opened at `open`.
fn matching(tokens: &[String], open: usize, left: &str, right: &str) -> usize {
    let mut depth = 0;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        if t == left {
            depth += 1;
        } else if t == right {
            depth -= 1;
            if depth == 0 {
                return j;
            }
        }
    }
    tokens.len() - 1
}

/// The paths of a use tree (`a::{b, c::d as e, f::*}`), each with the name it binds.
fn use_tree(tokens: &[String], prefix: Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let mut path = prefix;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "::" => i += 1,
            "{" => {
                let end = matching(tokens, i, "{", "}");
                let mut start = i + 1;
                let mut depth = 0;
                for j in i + 1..=end {
                    match tokens[j].as_str() {
                        "{" => depth += 1,
                        "}" if depth > 0 => depth -= 1,
                        "," | "}" if depth == 0 => {
                            if start < j {
                                use_tree(&tokens[start..j], path.clone(), out);
                            }
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
                return;
            }
            "*" => {
                out.push((path, None));
                return;
            }
            "as" => {
                let name = tokens[i + 1].clone();
                out.push((path, (name != "_").then_some(name)));
                return;
            }
            segment => {
                path.push(segment.to_owned());
                i += 1;
            }
        }
    }
    if let Some(last) = path.last().cloned() {
        let name = if last == "self" {
            path.pop();
            path.last().cloned()
        } else {
            Some(last)
        };
        out.push((path, name));
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/verify/files.rs` -> `verify::files`; `mod.rs` and `lib.rs` name their folder.
fn module_path(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: ModPath = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
        path.pop();
    }
    path
}

/// The strongly connected sets of more than one module (Tarjan's algorithm).
fn circles(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        found: Vec<Vec<ModPath>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a ModPath) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut set = Vec::new();
                loop {
                    let w = self.stack.pop().unwrap();
                    self.on_stack.remove(w);
                    set.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    self.found.push(set);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

fn name(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

/// The circles of health-core, each as its modules' names.
fn health_core_circles() -> (Crate, Vec<Vec<String>>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let krate = Crate::read(&src);
    let found = circles(&krate.edges())
        .into_iter()
        .map(|set| set.iter().map(name).collect())
        .collect();
    (krate, found)
}

/// Whether a module is under `area` (`verify` is `verify` and `verify::*`).
fn under(module: &str, area: &str) -> bool {
    module == area || module.starts_with(&format!("{area}::"))
}

#[test]
fn no_circle_through_the_outcome_or_verify() {
    let (_, found) = health_core_circles();
    for area in ["outcome", "verify"] {
        let through: Vec<&Vec<String>> = found
            .iter()
            .filter(|set| set.iter().any(|m| under(m, area)))
            .collect();
        assert!(through.is_empty(), "circles through `{area}`: {through:#?}");
    }
}

#[test]
fn the_finder_sees_a_circle_and_follows_re_exports() {
    let dir = std::env::temp_dir().join(format!("health-module-cycles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("b")).unwrap();
    let files = [
        ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
        // `a` uses `b` through `b`'s re-export of `b::inner`.
        (
            "a.rs",
            "use crate::b::Thing;\nfn f() { let s = \"crate::c::X\"; }\n",
        ),
        ("b/mod.rs", "mod inner;\npub use self::inner::Thing;\n"),
        (
            "b/inner.rs",
            "pub struct Thing;\nfn g() { crate::c::h(); }\n",
        ),
        // `c` closes the circle `a -> b::inner -> c -> a`; its tests do not count.
        (
            "c.rs",
            "pub fn h() { super::a::f(); }\n#[cfg(test)]\nmod tests { use crate::b::inner; }\n",
        ),
    ];
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let krate = Crate::read(&dir);
    let found = circles(&krate.edges());
    std::fs::remove_dir_all(&dir).unwrap();
    let names: Vec<Vec<String>> = found
        .iter()
        .map(|set| set.iter().map(name).collect())
        .collect();
    assert_eq!(names, [["a", "b::inner", "c"]]);
}

/// The circles left: a parent module and children that use what it defines, or modules
/// being changed elsewhere (`contract`, `rule`). A new circle fails here, and a circle
/// undone must leave this list.
const KNOWN: &[&[&str]] = &[
    &[
        "adapters::watchdog",
        "adapters::watchdog::actix",
        "adapters::watchdog::tower",
    ],
    &[
        "checks",
        "checks::http",
        "checks::postgres",
        "checks::queue_lag",
        "checks::redis",
        "checks::tcp",
    ],
    &["contract", "rule", "variant"],
    &[
        "passive",
        "passive::machine",
        "passive::settings",
        "passive::window",
    ],
    &[
        "runtime",
        "runtime::builder",
        "runtime::events",
        "runtime::hub",
        "runtime::schedule",
        "runtime::snapshot",
        "runtime::state",
    ],
];

/// Every circle of health-core is a known one (`-- --nocapture` prints them).
#[test]
fn no_circle_but_the_known_ones() {
    let (krate, mut found) = health_core_circles();
    assert!(
        krate.modules.len() > 50,
        "{} modules read",
        krate.modules.len()
    );
    found.sort();
    for set in &found {
        println!("circle: {}", set.join(", "));
    }
    let known: Vec<Vec<String>> = KNOWN
        .iter()
        .map(|set| set.iter().map(|m| (*m).to_owned()).collect())
        .collect();
    assert_eq!(found, known);
}
