//! Environments for presence, empty values, old names (`Presence`) and `deny_unknown`
//! (`Strict`).

use super::*;

/// The environments of [`Presence`]: a complete one with changes, by name.
pub(super) fn presence_cases() -> Vec<(String, Vec<(String, String)>)> {
    let base = [
        ("E_NEED", "1"),
        ("E_BLANK", ""),
        ("E_NAMED", "abc"),
        ("E_RENAMED", "1"),
        ("E_LIST", "1"),
        ("E_TAGS", "a"),
    ];
    // (name, changes: `Some` sets, `None` unsets)
    type Changes = Vec<(&'static str, Option<&'static str>)>;
    let changes: Vec<(&str, Changes)> = vec![
        ("complete", vec![]),
        ("need_missing", vec![("E_NEED", None)]),
        ("need_empty", vec![("E_NEED", Some(""))]),
        ("need_space", vec![("E_NEED", Some(" "))]),
        ("fallback_empty", vec![("E_FALLBACK", Some(""))]),
        ("fallback_bad", vec![("E_FALLBACK", Some("x"))]),
        ("maybe_empty", vec![("E_MAYBE", Some(""))]),
        ("blank_missing", vec![("E_BLANK", None)]),
        ("blank_text", vec![("E_BLANK", Some(" x "))]),
        ("blank_port_empty", vec![("E_BLANK_PORT", Some(""))]),
        ("blank_port_set", vec![("E_BLANK_PORT", Some("8"))]),
        ("named_short", vec![("E_NAMED", Some("ab"))]),
        ("named_long", vec![("E_NAMED", Some("abcdef"))]),
        ("named_empty", vec![("E_NAMED", Some(""))]),
        ("label_empty", vec![("E_LABEL", Some(""))]),
        ("label_short", vec![("E_LABEL", Some("a"))]),
        ("label_long", vec![("E_LABEL", Some("abcdefgh"))]),
        (
            "renamed_old",
            vec![("E_RENAMED", None), ("E_OLD_RENAMED", Some("2"))],
        ),
        (
            "renamed_oldest",
            vec![("E_RENAMED", None), ("E_OLDEST_RENAMED", Some("2"))],
        ),
        (
            "renamed_old_bad",
            vec![("E_RENAMED", None), ("E_OLD_RENAMED", Some("x"))],
        ),
        ("renamed_both", vec![("E_OLD_RENAMED", Some("2"))]),
        (
            "renamed_two_old",
            vec![
                ("E_RENAMED", None),
                ("E_OLD_RENAMED", Some("2")),
                ("E_OLDEST_RENAMED", Some("3")),
            ],
        ),
        (
            "renamed_new_empty_old_set",
            vec![("E_RENAMED", Some("")), ("E_OLD_RENAMED", Some("2"))],
        ),
        ("renamed_old_empty", vec![("E_OLD_RENAMED", Some(""))]),
        ("renamed_none", vec![("E_RENAMED", None)]),
        ("renamed_only_empty", vec![("E_RENAMED", Some(""))]),
        (
            "renamed_all_empty",
            vec![("E_RENAMED", Some("")), ("E_OLD_RENAMED", Some(""))],
        ),
        ("mode_old", vec![("E_OLD_MODE", Some("a"))]),
        ("mode_old_bad", vec![("E_OLD_MODE", Some("c"))]),
        (
            "mode_both",
            vec![("E_MODE", Some("a")), ("E_OLD_MODE", Some("b"))],
        ),
        (
            "mode_empty_old_set",
            vec![("E_MODE", Some("")), ("E_OLD_MODE", Some("b"))],
        ),
        ("list_empty", vec![("E_LIST", Some(""))]),
        ("list_space", vec![("E_LIST", Some(" "))]),
        ("list_commas", vec![("E_LIST", Some(",,"))]),
        ("list_missing", vec![("E_LIST", None)]),
        ("tags_commas", vec![("E_TAGS", Some(" , "))]),
        ("tags_empty", vec![("E_TAGS", Some(""))]),
        (
            "other_variable",
            vec![("OTHER", Some("x")), ("E_UNKNOWN", Some("x"))],
        ),
    ];
    changes
        .into_iter()
        .map(|(name, changes)| {
            let mut env: BTreeMap<&str, &str> = base.into_iter().collect();
            for (key, value) in changes {
                match value {
                    Some(value) => env.insert(key, value),
                    None => env.remove(key),
                };
            }
            let env = env
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            (name.to_owned(), env)
        })
        .collect()
}

/// The environments of [`Strict`].
pub(super) fn strict_cases() -> Vec<(String, Vec<(String, String)>)> {
    let cases: [(&str, &[(&str, &str)]); 9] = [
        ("nothing", &[]),
        ("known", &[("S_PORT", "1"), ("S_DB_HOST", "db")]),
        ("old_name", &[("S_OLD_PORT", "1")]),
        ("file_name", &[("S_PORT_FILE", ""), ("S_OLD_PORT_FILE", "")]),
        ("typo", &[("S_PROT", "1")]),
        ("nested_typo", &[("S_DB_HSOT", "db")]),
        (
            "outside_the_prefix",
            &[("PORT", "1"), ("S", "x"), ("s_port", "1")],
        ),
        ("prefix_alone", &[("S_", "x")]),
        ("both_names", &[("S_PORT", "1"), ("S_OLD_PORT", "2")]),
    ];
    cases
        .iter()
        .map(|(name, env)| {
            let env = env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            ((*name).to_owned(), env)
        })
        .collect()
}
