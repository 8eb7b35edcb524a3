//! Parses `#[contract(...)]` attributes into typed values, one slot per key.
//!
//! Every mistake is recorded in the [`Ctxt`] and parsing goes on, so one compile reports all
//! of them: an unknown key (with a "did you mean"), a key given twice, a flag given a value.

use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, Expr, ExprRange, Ident, Lit, LitStr, Path, RangeLimits, Token, UnOp};

use crate::ctxt::Ctxt;
use crate::rule::{idents, parens};

mod variant;

pub use variant::{ChoiceAttrs, VariantAttrs};

/// One key's value and the key's span (to point errors at it).
pub struct Slot<T> {
    name: &'static str,
    value: Option<(Ident, T)>,
}

impl<T> Slot<T> {
    fn new(name: &'static str) -> Slot<T> {
        Slot { name, value: None }
    }

    /// Stores the value; a second one is a `duplicate` error on the second key.
    fn set(&mut self, cx: &mut Ctxt, key: &Ident, value: T) {
        if self.value.is_some() {
            cx.error_spanned_by(key, format!("duplicate `contract` key `{}`", self.name));
        } else {
            self.value = Some((key.clone(), value));
        }
    }

    /// Stores a value the struct gives every field of a type (no error: the field's own key,
    /// when written, wins).
    pub fn inherit(&mut self, key: &Ident, value: T) {
        if self.value.is_none() {
            self.value = Some((key.clone(), value));
        }
    }

    /// Stores a value that parsed; one that did not was already reported.
    fn set_some(&mut self, value: Option<T>, cx: &mut Ctxt, key: &Ident) {
        if let Some(value) = value {
            self.set(cx, key, value);
        }
    }

    /// The value, if the key was given.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    /// The key as written, for spans.
    pub fn key(&self) -> Option<&Ident> {
        self.value.as_ref().map(|(k, _)| k)
    }

    /// Whether the key was given.
    pub fn is_set(&self) -> bool {
        self.value.is_some()
    }

    /// The key's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl Slot<Path> {
    /// The path of the `health` crate in generated code: `crate = path`, or `::health`.
    pub fn krate(&self) -> Path {
        self.get()
            .cloned()
            .unwrap_or_else(|| syn::parse_quote!(::health))
    }
}

impl Slot<LitStr> {
    /// The string's value, or `""` when the key was not given.
    pub fn value_or_empty(&self) -> String {
        self.get().map(LitStr::value).unwrap_or_default()
    }
}

/// A key that may be given several times (`alias`): every value, in the order written.
pub struct Repeated<T> {
    name: &'static str,
    values: Vec<(Ident, T)>,
}

impl<T> Repeated<T> {
    fn new(name: &'static str) -> Repeated<T> {
        Repeated {
            name,
            values: Vec::new(),
        }
    }

    fn push(&mut self, value: Option<T>, key: &Ident) {
        if let Some(value) = value {
            self.values.push((key.clone(), value));
        }
    }

    /// The values, in the order written.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.values.iter().map(|(_, v)| v)
    }

    /// The first key as written, for spans.
    pub fn key(&self) -> Option<&Ident> {
        self.values.first().map(|(k, _)| k)
    }

    /// The key's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A `range` or `len` value: `1..=65535`, `0.5..`, `..="1h"`, each bound a literal.
pub struct RangeAttr {
    /// The whole range as written, for spans.
    pub expr: ExprRange,
    /// The lower bound (inclusive), if any.
    pub start: Option<Bound>,
    /// The upper bound, if any.
    pub end: Option<Bound>,
    /// `..=`: the upper bound is allowed.
    pub inclusive: bool,
}

/// One bound of a [`RangeAttr`]: a literal, with its text as the loader parses it.
pub struct Bound {
    /// The literal as written (a negative number is `-` and the literal), for spans.
    pub expr: Expr,
    /// The text the contract records and the loader parses: an integer's base-10 digits (no
    /// suffix), a float's, a string's value; `-` first for a negative number.
    pub text: String,
    /// What kind of literal it is.
    pub kind: BoundKind,
}

/// The kind of a [`Bound`]'s literal.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    /// `1`, `-5`, `0xff`.
    Int,
    /// `0.5`, `1e3`.
    Float,
    /// `"1s"`: parsed by the field's own rule.
    Str,
}

impl RangeAttr {
    /// The range as written, tightened: `1..=65535`, `"1s"..="1h"`.
    pub fn display(&self) -> String {
        let bound = |b: &Option<Bound>| match b {
            Some(b) if b.kind == BoundKind::Str => format!("{:?}", b.text),
            Some(b) => b.text.clone(),
            None => String::new(),
        };
        let dots = if self.inclusive { "..=" } else { ".." };
        format!("{}{dots}{}", bound(&self.start), bound(&self.end))
    }
}

/// `one_of = ["debug", "info"]`: the texts a value may have, with the array for spans.
pub struct OneOfAttr {
    /// The array as written.
    pub array: syn::ExprArray,
    /// The items, in order.
    pub items: Vec<LitStr>,
}

/// Keys on the struct: `#[contract(prefix = "APP_", crate = path, deny_unknown, debug)]`,
/// `parse_with(Type = path)` and the rules between variables (`requires(a => b)`, ...), each
/// repeatable.
pub struct ContainerAttrs {
    pub prefix: Slot<LitStr>,
    pub krate: Slot<Path>,
    pub deny_unknown: Slot<()>,
    pub rules: Vec<crate::rule::RuleAttr>,
    /// `parse_with(bool = yes_no, Duration = minutes)`: one parser for every field of a type.
    pub parsers: Vec<(Ident, syn::Type, Path)>,
    pub debug: Slot<()>,
}

/// Keys on a field.
pub struct FieldAttrs {
    pub env: Slot<LitStr>,
    pub secret: Slot<()>,
    pub default: Slot<Expr>,
    pub split: Slot<LitStr>,
    pub validate: Slot<Path>,
    pub nested: Slot<()>,
    pub prefix: Slot<LitStr>,
    pub allow_empty: Slot<()>,
    pub parse_with: Slot<Path>,
    pub deserialize: Slot<()>,
    pub alias: Repeated<LitStr>,
    pub range: Slot<RangeAttr>,
    pub one_of: Slot<OneOfAttr>,
    pub len: Slot<RangeAttr>,
    pub switch: Slot<Ident>,
    pub deprecated: Slot<LitStr>,
    pub no_prefix: Slot<()>,
    /// `probe_port`: the port the service listens on, for `config probes`.
    pub probe_port: Slot<()>,
    /// `default_from(path(a, b))`: the function and the fields it reads.
    pub default_from: Slot<(Path, Vec<Ident>)>,
    pub old_values: Slot<Vec<(LitStr, LitStr)>>,
}

const CONTAINER_KEYS: &[&str] = &[
    "prefix",
    "crate",
    "deny_unknown",
    "debug",
    "parse_with",
    "requires",
    "conflicts",
    "exactly_one_of",
    "at_most_one_of",
    "at_least_one_of",
    "required_if",
    "check",
];
const FIELD_KEYS: &[&str] = &[
    "env",
    "secret",
    "default",
    "split",
    "validate",
    "nested",
    "prefix",
    "allow_empty",
    "parse_with",
    "deserialize",
    "alias",
    "range",
    "one_of",
    "len",
    "switch",
    "deprecated",
    "old_values",
    "no_prefix",
    "probe_port",
    "default_from",
];

impl ContainerAttrs {
    /// Reads every `#[contract(...)]` on the struct.
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
        let mut out = ContainerAttrs {
            prefix: Slot::new("prefix"),
            krate: Slot::new("crate"),
            deny_unknown: Slot::new("deny_unknown"),
            rules: Vec::new(),
            parsers: Vec::new(),
            debug: Slot::new("debug"),
        };
        for_each_key(cx, attrs, CONTAINER_KEYS, |cx, key, meta| {
            if let Some(kind) = crate::rule::RuleKind::from_key(&key) {
                match crate::rule::RuleAttr::parse(kind, &key, meta.input) {
                    Ok(rule) => out.rules.push(rule),
                    Err(error) => {
                        cx.syn_error(error);
                        skip_value(meta.input);
                    }
                }
                return Ok(true);
            }
            match key.to_string().as_str() {
                "deny_unknown" => flag(cx, &key, meta, &mut out.deny_unknown),
                "debug" => flag(cx, &key, meta, &mut out.debug),
                "parse_with" => {
                    let parsers = parenthesized(
                        cx,
                        meta,
                        "`parse_with` on a struct expects types and functions: `parse_with(bool = yes_no, Duration = minutes)`",
                        parse_parsers,
                    );
                    for (ty, path) in parsers.into_iter().flatten() {
                        out.parsers.push((key.clone(), ty, path));
                    }
                }
                "prefix" => {
                    let value = value(cx, &key, meta, STRING, |input| input.parse());
                    out.prefix.set_some(value, cx, &key);
                }
                "crate" => {
                    let value = value(
                        cx,
                        &key,
                        meta,
                        "a path: `crate = my_crate::health`",
                        parse_path,
                    );
                    out.krate.set_some(value, cx, &key);
                }
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl FieldAttrs {
    /// Reads every `#[contract(...)]` on a field.
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
        let mut out = FieldAttrs {
            env: Slot::new("env"),
            secret: Slot::new("secret"),
            default: Slot::new("default"),
            split: Slot::new("split"),
            validate: Slot::new("validate"),
            nested: Slot::new("nested"),
            prefix: Slot::new("prefix"),
            allow_empty: Slot::new("allow_empty"),
            parse_with: Slot::new("parse_with"),
            deserialize: Slot::new("deserialize"),
            alias: Repeated::new("alias"),
            range: Slot::new("range"),
            one_of: Slot::new("one_of"),
            len: Slot::new("len"),
            switch: Slot::new("switch"),
            deprecated: Slot::new("deprecated"),
            no_prefix: Slot::new("no_prefix"),
            probe_port: Slot::new("probe_port"),
            default_from: Slot::new("default_from"),
            old_values: Slot::new("old_values"),
        };
        for_each_key(cx, attrs, FIELD_KEYS, |cx, key, meta| {
            let flag = |cx: &mut Ctxt, slot: &mut Slot<()>| flag(cx, &key, meta, slot);
            let range = |cx: &mut Ctxt| {
                let expr = value(cx, &key, meta, RANGE, parse_range)?;
                RangeAttr::from_expr(cx, &key, expr)
            };
            let string = |cx: &mut Ctxt| value(cx, &key, meta, STRING, |input| input.parse());
            let function = |cx: &mut Ctxt| value(cx, &key, meta, FUNCTION, parse_path);
            match key.to_string().as_str() {
                "env" => out.env.set_some(string(cx), cx, &key),
                "split" => out.split.set_some(string(cx), cx, &key),
                "prefix" => out.prefix.set_some(string(cx), cx, &key),
                "default" => {
                    let expr = value(
                        cx,
                        &key,
                        meta,
                        "an expression: `default = 8000` or `default = \"2s\"`",
                        |input| input.parse(),
                    );
                    out.default.set_some(expr, cx, &key);
                }
                "alias" => out.alias.push(string(cx), &key),
                "range" => out.range.set_some(range(cx), cx, &key),
                "len" => out.len.set_some(range(cx), cx, &key),
                "one_of" => {
                    let array = value(cx, &key, meta, ONE_OF, |input| input.parse());
                    let one_of = array.and_then(|array| OneOfAttr::from_array(cx, array));
                    out.one_of.set_some(one_of, cx, &key);
                }
                "deprecated" => {
                    let why = value(
                        cx,
                        &key,
                        meta,
                        "why it is going away: `deprecated = \"retries are set per queue now\"`",
                        |input| input.parse(),
                    );
                    out.deprecated.set_some(why, cx, &key);
                }
                "default_from" => {
                    let call = parenthesized(
                        cx,
                        meta,
                        "`default_from` expects a call of a function on fields of the struct: `default_from(cache_under(data_dir))`",
                        parse_default_from,
                    );
                    out.default_from.set_some(call, cx, &key);
                }
                "old_values" => {
                    let values = parenthesized(
                        cx,
                        meta,
                        "`old_values` expects old and new texts: `old_values(\"prod\" => \"production\")`",
                        parse_old_values,
                    );
                    out.old_values.set_some(values, cx, &key);
                }
                "switch" => {
                    let field = value(
                        cx,
                        &key,
                        meta,
                        "a `bool` field of the same struct: `switch = mail_enabled`",
                        |input| input.parse(),
                    );
                    out.switch.set_some(field, cx, &key);
                }
                "validate" => out.validate.set_some(function(cx), cx, &key),
                "parse_with" => out.parse_with.set_some(function(cx), cx, &key),
                "secret" => flag(cx, &mut out.secret),
                "nested" => flag(cx, &mut out.nested),
                "allow_empty" => flag(cx, &mut out.allow_empty),
                "no_prefix" => flag(cx, &mut out.no_prefix),
                "probe_port" => flag(cx, &mut out.probe_port),
                "deserialize" => flag(cx, &mut out.deserialize),
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

const STRING: &str = "a string literal, e.g. `\"PORT\"`";
const FUNCTION: &str = "a function path, e.g. `non_zero` or `my_mod::check`";
const RANGE: &str = "a range of literals, e.g. `1..=65535`, `0.5..`, `..=64` or `\"1s\"..=\"1h\"`";
const ONE_OF: &str = "an array of string literals, e.g. `[\"debug\", \"info\"]`";

/// Records a flag key (`secret`); a value after it is an error.
fn flag(cx: &mut Ctxt, key: &Ident, meta: &ParseNestedMeta, slot: &mut Slot<()>) {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(key, format!("`{}` is a flag and takes no value", slot.name));
        skip_value(meta.input);
    } else {
        slot.set(cx, key, ());
    }
}

/// A range expression, `a..=b` and its kin; its bounds are read by [`RangeAttr::from_expr`].
fn parse_range(input: ParseStream) -> syn::Result<ExprRange> {
    match input.parse::<Expr>()? {
        Expr::Range(range) => Ok(range),
        other => Err(syn::Error::new_spanned(other, "not a range")),
    }
}

impl RangeAttr {
    /// The bounds of `expr`, each a literal; a bound that is not is an error at the bound
    /// (`key` names the attribute in it), and `..` alone is one at the range.
    fn from_expr(cx: &mut Ctxt, key: &Ident, expr: ExprRange) -> Option<RangeAttr> {
        if expr.start.is_none() && expr.end.is_none() {
            cx.error_spanned_by(
                &expr,
                format!("`{key}` needs a bound: `1..`, `..=10` or `1..=10`"),
            );
            return None;
        }
        let mut ok = true;
        let mut bound = |e: &Option<Box<Expr>>| {
            let e = e.as_deref()?;
            let b = Bound::from_expr(e);
            if b.is_none() {
                ok = false;
                cx.error_spanned_by(
                    e,
                    format!("a `{key}` bound must be a literal: an integer, a float, or a string parsed like the value (`\"1s\"`)"),
                );
            }
            b
        };
        let start = bound(&expr.start);
        let end = bound(&expr.end);
        let inclusive = matches!(expr.limits, RangeLimits::Closed(_));
        ok.then_some(RangeAttr {
            expr,
            start,
            end,
            inclusive,
        })
    }
}

impl Bound {
    /// The bound of a literal, or of `-` and a numeric literal; `None` for anything else.
    pub fn from_expr(expr: &Expr) -> Option<Bound> {
        let (negative, lit) = match expr {
            Expr::Lit(lit) => (false, &lit.lit),
            Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match &*unary.expr {
                Expr::Lit(lit) => (true, &lit.lit),
                _ => return None,
            },
            Expr::Group(group) => return Bound::from_expr(&group.expr),
            Expr::Paren(paren) => return Bound::from_expr(&paren.expr),
            _ => return None,
        };
        let (text, kind) = match lit {
            Lit::Int(int) => (int.base10_digits().to_owned(), BoundKind::Int),
            Lit::Float(float) => (float.base10_digits().to_owned(), BoundKind::Float),
            Lit::Str(s) if !negative => (s.value(), BoundKind::Str),
            _ => return None,
        };
        Some(Bound {
            expr: expr.clone(),
            text: if negative { format!("-{text}") } else { text },
            kind,
        })
    }
}

impl OneOfAttr {
    /// The items of `array`; an item that is not a string literal is an error at the item.
    fn from_array(cx: &mut Ctxt, array: syn::ExprArray) -> Option<OneOfAttr> {
        let mut items = Vec::new();
        for elem in &array.elems {
            match elem {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) => items.push(s.clone()),
                other => cx.error_spanned_by(
                    other,
                    "a `one_of` item must be a string literal: it is compared with the value's text",
                ),
            }
        }
        (items.len() == array.elems.len()).then_some(OneOfAttr { array, items })
    }
}

/// Parses `= value` after `key`; on failure records an error naming the key and what it
/// expects, skips the rest of the value, and goes on with the next key.
fn value<T>(
    cx: &mut Ctxt,
    key: &Ident,
    meta: &ParseNestedMeta,
    expected: &str,
    parse: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> Option<T> {
    let parsed = meta.value().and_then(|input| {
        let value = parse(input)?;
        if input.is_empty() || input.peek(Token![,]) {
            Ok(value)
        } else {
            Err(input.error("unexpected tokens after the value"))
        }
    });
    match parsed {
        Ok(value) => Some(value),
        Err(error) => {
            cx.syn_error(syn::Error::new(
                error.span(),
                format!("`{key}` expects {expected}"),
            ));
            skip_value(meta.input);
            None
        }
    }
}

/// Parses `(...)` after `key` with `parse`; on failure records `message` at the error, skips
/// the rest of the value, and goes on with the next key.
fn parenthesized<T>(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    message: &str,
    parse: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> Option<T> {
    match parens(meta.input, parse) {
        Ok(value) => Some(value),
        Err(error) => {
            cx.syn_error(syn::Error::new(error.span(), message));
            skip_value(meta.input);
            None
        }
    }
}

/// `path(a, b)`: a function called on fields.
fn parse_default_from(content: ParseStream) -> syn::Result<(Path, Vec<Ident>)> {
    let path: Path = content.parse()?;
    let fields = parens(content, idents)?;
    if !content.is_empty() {
        return Err(content.error("unexpected tokens after the call"));
    }
    Ok((path, fields))
}

/// `"old" => "new", ..`: old values read under an old name, with their new ones.
fn parse_old_values(content: ParseStream) -> syn::Result<Vec<(LitStr, LitStr)>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let old: LitStr = content.parse()?;
        content.parse::<Token![=>]>()?;
        out.push((old, content.parse()?));
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    if out.is_empty() {
        return Err(content.error("no value"));
    }
    Ok(out)
}

/// `Type = path, ..`: the struct's parser for each type.
fn parse_parsers(content: ParseStream) -> syn::Result<Vec<(syn::Type, Path)>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let ty: syn::Type = content.parse()?;
        content.parse::<Token![=]>()?;
        out.push((ty, parse_path(content)?));
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok(out)
}

/// A path, written bare (`validate = non_zero`) or as a string (`validate = "non_zero"`).
fn parse_path(input: ParseStream) -> syn::Result<Path> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        lit.parse()
    } else {
        input.parse()
    }
}

/// Calls `handle` for every key of every `#[contract(...)]`; `handle` returns `false` for a
/// key it does not know, which is reported here with the valid keys.
fn for_each_key(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    valid: &[&str],
    mut handle: impl FnMut(&mut Ctxt, Ident, &ParseNestedMeta) -> syn::Result<bool>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("contract")) {
        if let syn::Meta::Path(path) = &attr.meta {
            cx.error_spanned_by(
                path,
                format!("expected `#[contract(...)]` with one of: {}", list(valid)),
            );
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                cx.error_spanned_by(&meta.path, unknown_key_message(&meta.path, valid));
                skip_value(meta.input);
                return Ok(());
            };
            // `crate` is a keyword: `get_ident` still gives it for `crate = ...`.
            if !handle(cx, key.clone(), &meta)? {
                cx.error_spanned_by(&key, unknown_key_message(&meta.path, valid));
                skip_value(meta.input);
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

/// Skips `= value` or `(...)` after an unknown or misused key so parsing can go on.
fn skip_value(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if let proc_macro2::TokenTree::Punct(p) = &tt
                && p.as_char() == ','
            {
                return Ok(((), rest));
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// The candidate nearest `name` (Jaro-Winkler above 0.8), for "did you mean".
pub(crate) fn closest<S: AsRef<str>>(
    name: &str,
    candidates: impl IntoIterator<Item = S>,
) -> Option<S> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c.as_ref()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, best)| best)
}

fn unknown_key_message(path: &Path, valid: &[&str]) -> String {
    let key = path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    match closest(&key, valid.iter().copied()) {
        Some(best) => format!("unknown `contract` key `{key}`; did you mean `{best}`?"),
        None => format!(
            "unknown `contract` key `{key}`; expected one of: {}",
            list(valid)
        ),
    }
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text of `///` doc comments, one line each, common single leading space removed.
pub fn doc_comment(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            let value = s.value();
            for line in value.split('\n') {
                lines.push(line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned());
            }
        }
    }
    lines.join("\n").trim().to_owned()
}
