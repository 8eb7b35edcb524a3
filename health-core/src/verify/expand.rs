//! `$(VAR)` references between a container's variables, expanded exactly as the kubelet
//! does (a port of Kubernetes' `third_party/forked/golang/expansion`).
//!
//! `$(NAME)` is replaced by the value of `NAME` when the mapping knows it and left as written
//! otherwise; `$$` is an escaped `$`; any other `$` is kept. Only `value:` is expanded, with
//! the variables declared before it (and those from `envFrom`): see [`super::kube`].

/// Expands `$(NAME)` references in `input`; `mapping` gives a name's value, or `None` to
/// leave the reference as written.
pub(crate) fn expand(input: &str, mut mapping: impl FnMut(&str) -> Option<String>) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < bytes.len() {
        if bytes[cursor] == b'$' && cursor + 1 < bytes.len() {
            out.push_str(&input[checkpoint..cursor]);
            let rest = &input[cursor + 1..];
            let advance = match rest.as_bytes()[0] {
                // `$$`: an escaped operator.
                b'$' => {
                    out.push('$');
                    1
                }
                b'(' => match rest.find(')') {
                    Some(close) => {
                        let name = &rest[1..close];
                        match mapping(name) {
                            Some(value) => out.push_str(&value),
                            None => {
                                out.push_str("$(");
                                out.push_str(name);
                                out.push(')');
                            }
                        }
                        close + 1
                    }
                    // An incomplete reference: `$(` kept, the rest read on.
                    None => {
                        out.push_str("$(");
                        1
                    }
                },
                // A `$` that starts no expression: kept with the character after it.
                _ => {
                    let next = rest.chars().next().map_or(1, char::len_utf8);
                    out.push('$');
                    out.push_str(&rest[..next]);
                    next
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    out.push_str(&input[checkpoint.min(input.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn mapping<'a>(
        contexts: &'a [&'a HashMap<&'a str, &'a str>],
    ) -> impl FnMut(&str) -> Option<String> + 'a {
        move |name| {
            contexts
                .iter()
                .find_map(|vars| vars.get(name))
                .map(|v| (*v).to_owned())
        }
    }

    /// Kubernetes' `expand_test.go`, `doExpansionTest`: name, input, expected.
    const CASES: &[(&str, &str, &str)] = &[
        ("whole string", "$(VAR_A)", "A"),
        ("repeat", "$(VAR_A)-$(VAR_A)", "A-A"),
        ("beginning", "$(VAR_A)-1", "A-1"),
        ("middle", "___$(VAR_B)___", "___B___"),
        ("end", "___$(VAR_C)", "___C"),
        ("compound", "$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C"),
        ("escape & expand", "$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"),
        (
            "compound escape",
            "$$(VAR_A)_$$(VAR_B)",
            "$(VAR_A)_$(VAR_B)",
        ),
        ("mixed in escapes", "f000-$$VAR_A", "f000-$VAR_A"),
        ("backslash escape ignored", "foo\\$(VAR_C)bar", "foo\\Cbar"),
        (
            "backslash escape ignored",
            "foo\\\\$(VAR_C)bar",
            "foo\\\\Cbar",
        ),
        (
            "lots of backslashes",
            "foo\\\\\\\\$(VAR_A)bar",
            "foo\\\\\\\\Abar",
        ),
        (
            "nested var references",
            "$(VAR_A$(VAR_B))",
            "$(VAR_A$(VAR_B))",
        ),
        (
            "nested var references second type",
            "$(VAR_A$(VAR_B)",
            "$(VAR_A$(VAR_B)",
        ),
        ("value is a reference", "$(VAR_REF)", "$(VAR_A)"),
        (
            "value is a reference x 2",
            "%%$(VAR_REF)--$(VAR_REF)%%",
            "%%$(VAR_A)--$(VAR_A)%%",
        ),
        ("empty var", "foo$(VAR_EMPTY)bar", "foobar"),
        (
            "unterminated expression",
            "foo$(VAR_Awhoops!",
            "foo$(VAR_Awhoops!",
        ),
        (
            "expression without operator",
            "f00__(VAR_A)__",
            "f00__(VAR_A)__",
        ),
        ("shell special vars pass through", "$?_boo_$!", "$?_boo_$!"),
        ("bare operators are ignored", "$VAR_A", "$VAR_A"),
        (
            "undefined vars are passed through",
            "$(VAR_DNE)",
            "$(VAR_DNE)",
        ),
        (
            "multiple (even) operators, var undefined",
            "$$$$$$(BIG_MONEY)",
            "$$$(BIG_MONEY)",
        ),
        (
            "multiple (even) operators, var defined",
            "$$$$$$(VAR_A)",
            "$$$(VAR_A)",
        ),
        (
            "multiple (odd) operators, var undefined",
            "$$$$$$$(GOOD_ODDS)",
            "$$$$(GOOD_ODDS)",
        ),
        (
            "multiple (odd) operators, var defined",
            "$$$$$$$(VAR_A)",
            "$$$A",
        ),
        ("missing open expression", "$VAR_A)", "$VAR_A)"),
        ("shell syntax ignored", "${VAR_A}", "${VAR_A}"),
        (
            "trailing incomplete expression not consumed",
            "$(VAR_B)_______$(A",
            "B_______$(A",
        ),
        (
            "trailing incomplete expression, no content, is not consumed",
            "$(VAR_C)_______$(",
            "C_______$(",
        ),
        (
            "operator at end of input string is preserved",
            "$(VAR_A)foobarzab$",
            "Afoobarzab$",
        ),
        (
            "shell escaped incomplete expr",
            "foo-\\$(VAR_A",
            "foo-\\$(VAR_A",
        ),
        ("lots of $( in middle", "--$($($($($--", "--$($($($($--"),
        (
            "lots of $( in beginning",
            "$($($($($--foo$(",
            "$($($($($--foo$(",
        ),
        ("lots of $( at end", "foo0--$($($($(", "foo0--$($($($("),
        (
            "escaped operators in variable names are not escaped",
            "$(foo$$var)",
            "$(foo$$var)",
        ),
        ("newline not expanded", "\n", "\n"),
    ];

    #[test]
    fn kubernetes_expansion_cases_single_context() {
        let context: HashMap<&str, &str> = [
            ("VAR_A", "A"),
            ("VAR_B", "B"),
            ("VAR_C", "C"),
            ("VAR_REF", "$(VAR_A)"),
            ("VAR_EMPTY", ""),
        ]
        .into();
        for (name, input, expected) in CASES {
            assert_eq!(expand(input, mapping(&[&context])), *expected, "{name}");
        }
    }

    #[test]
    fn kubernetes_expansion_cases_dual_context() {
        let first: HashMap<&str, &str> = [("VAR_A", "A"), ("VAR_EMPTY", "")].into();
        let second: HashMap<&str, &str> =
            [("VAR_B", "B"), ("VAR_C", "C"), ("VAR_REF", "$(VAR_A)")].into();
        for (name, input, expected) in CASES {
            assert_eq!(
                expand(input, mapping(&[&first, &second])),
                *expected,
                "{name}"
            );
        }
    }

    /// `TestMapReference`: each variable expanded in declaration order, seeing the values
    /// expanded before it.
    #[test]
    fn references_see_the_variables_expanded_before() {
        let envs = [("FOO", "bar"), ("ZOO", "$(FOO)-1"), ("BLU", "$(ZOO)-2")];
        let mut declared: HashMap<String, String> = envs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        for (name, value) in envs {
            let expanded = expand(value, |n| declared.get(n).cloned());
            declared.insert(name.to_owned(), expanded);
        }
        assert_eq!(declared["FOO"], "bar");
        assert_eq!(declared["ZOO"], "bar-1");
        assert_eq!(declared["BLU"], "bar-1-2");
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        let context: HashMap<&str, &str> = [("A", "ä")].into();
        assert_eq!(expand("é$é$(A)€$", mapping(&[&context])), "é$éä€$");
        let mut names = Vec::new();
        expand("$(A)-$$(B)-$(C", |name| {
            names.push(name.to_owned());
            None
        });
        assert_eq!(names, ["A"]);
    }
}
