//! The query of a probe request, parsed as Go's `url.ParseQuery` parses it for Kubernetes'
//! handler (see the [module docs](super) for what each parameter does).

use std::collections::BTreeSet;

use percent_encoding::percent_decode_str;

/// Go's default `urlmaxqueryparams`: `url.ParseQuery` parses nothing from a longer query.
const GO_MAX_QUERY_PARAMS: usize = 10_000;

/// What a probe request asks for, parsed from its query.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Query {
    pub(super) verbose: bool,
    pub(super) detail: bool,
    /// Without duplicates and sorted bytewise, as Kubernetes' `sets.String` lists them. Bytes:
    /// a decoded value need not be UTF-8 (Go strings are bytes, and `%q` prints them).
    pub(super) exclude: BTreeSet<Vec<u8>>,
}

impl Query {
    pub(super) fn parse(query: &str) -> Query {
        let mut out = Query::default();
        for (key, value) in go_query_pairs(query) {
            match key.as_slice() {
                b"verbose" => out.verbose = true,
                b"detail" => out.detail = value != b"false" && value != b"0",
                b"exclude" => {
                    out.exclude.insert(value);
                }
                _ => {}
            }
        }
        out
    }
}

/// The parameters Go's `url.ParseQuery` keeps from a raw query, in order, decoded.
fn go_query_pairs(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    if query.matches('&').count() + 1 > GO_MAX_QUERY_PARAMS {
        return Vec::new();
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.contains(';'))
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((go_unescape(key, true)?, go_unescape(value, true)?))
        })
        .collect()
}

/// Go's `url.QueryUnescape` (`plus_is_space`) or `url.PathUnescape`: `None` unless every `%`
/// starts a `%XX` escape. The bytes need not be UTF-8.
pub(super) fn go_unescape(s: &str, plus_is_space: bool) -> Option<Vec<u8>> {
    let well_formed = s
        .split('%')
        .skip(1)
        .all(|rest| rest.len() >= 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit));
    if !well_formed {
        return None;
    }
    if plus_is_space && s.contains('+') {
        return Some(percent_decode_str(&s.replace('+', " ")).collect());
    }
    Some(percent_decode_str(s).collect())
}

/// A set of `exclude` names, as [`Query::parse`] keeps them.
#[cfg(test)]
pub(super) fn names<const N: usize>(names: [&str; N]) -> BTreeSet<Vec<u8>> {
    names.iter().map(|n| n.as_bytes().to_vec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_as_go_parses_them_for_kubernetes() {
        assert_eq!(
            Query::parse("verbose&exclude=a&exclude=b,c&detail=1"),
            Query {
                verbose: true,
                detail: true,
                // Kubernetes does not split on commas: `b,c` is one name.
                exclude: names(["a", "b,c"]),
            }
        );
        assert_eq!(Query::parse(""), Query::default());
        assert_eq!(Query::parse("&&"), Query::default());
        // `verbose` counts when present, whatever its value.
        for query in [
            "verbose",
            "verbose=",
            "verbose=true",
            "verbose=false",
            "%76erbose",
        ] {
            assert!(Query::parse(query).verbose, "{query}");
        }
        assert!(!Query::parse("verbosee").verbose);
        // `detail` is ours.
        assert!(Query::parse("detail").detail);
        assert!(!Query::parse("detail=false").detail);
        assert!(!Query::parse("detail=0").detail);
        // Query decoding: `+` is a space, `%XX` decoded, an empty value is a name.
        assert_eq!(
            Query::parse("exclude=a+b&exclude=a%2Bb&exclude=a%26b&exclude=&exclude").exclude,
            names(["a b", "a+b", "a&b", ""])
        );
        // A set, listed sorted bytewise.
        let sorted: Vec<Vec<u8>> = Query::parse("exclude=b&exclude=B&exclude=a&exclude=b")
            .exclude
            .into_iter()
            .collect();
        assert_eq!(sorted, [b"B".to_vec(), b"a".to_vec(), b"b".to_vec()]);
        // Bytes, as Go keeps them: not necessarily UTF-8.
        assert_eq!(Query::parse("exclude=%FF").exclude, [vec![0xff]].into());
        // Go drops a parameter with a `;` or a malformed escape, and keeps the rest.
        assert_eq!(Query::parse("exclude=a;b&exclude=c").exclude, names(["c"]));
        assert!(!Query::parse("verbose;").verbose);
        assert_eq!(
            Query::parse("exclude=%zz&exclude=%4&exclude=100%&exclude=ok").exclude,
            names(["ok"])
        );
        // More than Go's 10 000 parameters: nothing at all.
        let at_limit = format!("verbose{}", "&x".repeat(GO_MAX_QUERY_PARAMS - 1));
        assert!(Query::parse(&at_limit).verbose);
        assert_eq!(Query::parse(&format!("{at_limit}&x")), Query::default());
    }
}
