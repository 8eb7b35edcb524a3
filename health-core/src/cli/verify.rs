//! `config verify FILE... [--container NAME] [--strict | --allow-unverified] [--format json]`:
//! the deploy's files against the contract, as the table of `config check` or as JSON.

use super::check::table;
use super::io::{EXIT_NOT_READY, EXIT_USAGE, Io};
use crate::load::ReadinessContract;
use crate::verify::{Verification, Verifier};

/// How the verification is printed.
enum Format {
    Text,
    Json,
}

/// `config verify ...`: 0 when every variable is provided and valid, 1 when not (a Secret or
/// ConfigMap the workload names outside the files is not, unless `--allow-unverified`), 2 on
/// a usage error or a file that cannot be read or parsed.
pub(super) fn verify<C: ReadinessContract>(program: &str, options: &[&str], io: &mut Io<'_>) -> u8 {
    let mut verifier = Verifier::new();
    let mut format = Format::Text;
    let mut files = 0usize;
    let mut only_files = false;
    let (mut strict, mut allow) = (false, false);
    let mut words = options.iter().copied();
    while let Some(word) = words.next() {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) if word.starts_with("--") => (option, Some(value)),
            _ => (word, None),
        };
        match option {
            _ if only_files || option == "-" || !option.starts_with('-') => {
                verifier = verifier.file(word);
                files += 1;
            }
            "--" => only_files = true,
            "--strict" if inline.is_none() => strict = true,
            "--allow-unverified" if inline.is_none() => allow = true,
            "--container" | "--format" => {
                let Some(value) = inline.or_else(|| words.next()) else {
                    return io.usage_error(program, &format!("`{option}` needs a value"));
                };
                if option == "--container" {
                    verifier = verifier.container(value);
                } else {
                    format = match value {
                        "json" => Format::Json,
                        "text" => Format::Text,
                        other => {
                            let message = format!("`--format` is `text` or `json`, not `{other}`");
                            return io.usage_error(program, &message);
                        }
                    };
                }
            }
            other => {
                return io
                    .usage_error(program, &format!("`config verify` has no option `{other}`"));
            }
        }
    }
    if strict && allow {
        let message = "`--strict` can't be used together with `--allow-unverified`";
        return io.usage_error(program, message);
    }
    verifier = verifier.strict(strict).allow_unverified(allow);
    if files == 0 {
        return io.usage_error(
            program,
            "`config verify` needs files (or `-` for standard input)",
        );
    }
    let verification = match verifier.run::<C>() {
        Ok(verification) => verification,
        Err(e) => {
            io.complain(&format!("error: {e}\n"));
            return EXIT_USAGE;
        }
    };
    let text = match format {
        Format::Text => render(&verification),
        Format::Json => verification.to_json_pretty() + "\n",
    };
    let code = io.print(&text);
    if verification.is_ok() {
        code
    } else {
        EXIT_NOT_READY
    }
}

/// The table of `config check` (ORIGIN being where the value comes from in the files), then
/// the summary.
fn render(verification: &Verification) -> String {
    let rows = verification.entries().iter().map(|entry| {
        [
            entry.name().to_owned(),
            entry.status().to_string(),
            entry
                .code()
                .map_or("-".to_owned(), |c| c.as_str().to_owned()),
            entry.origin().to_string(),
            entry.message().unwrap_or_default().to_owned(),
        ]
    });
    format!("{}\n{}\n", table(rows), verification.summary())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::EXIT_OK;
    use crate::cli::tests::run;

    fn files(dir: &std::path::Path, files: &[(&str, &str)]) -> Vec<String> {
        files
            .iter()
            .map(|(name, text)| {
                let path = dir.join(name);
                std::fs::write(&path, text).unwrap();
                path.display().to_string()
            })
            .collect()
    }

    const POD: &str = "kind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n    - name: app\n      \
                       env:\n        - {name: HEALTH_CLI_HOST, value: db}\n        - name: \
                       HEALTH_CLI_TOKEN\n          valueFrom:\n            secretKeyRef: {name: app, \
                       key: token}\n";
    const SECRET: &str =
        "kind: Secret\nmetadata: {name: app}\nstringData:\n  token: SECRET-cli-0042\n";

    #[test]
    fn verify_prints_the_table_and_exits_by_the_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let paths = files(dir.path(), &[("pod.yaml", POD), ("secret.yaml", SECRET)]);
        let mut args = vec!["app", "config", "verify"];
        args.extend(paths.iter().map(String::as_str));
        let (code, out, err) = run(&args, None);
        assert_eq!((code, err.as_str()), (Some(EXIT_OK), ""), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("NAME "), "{out}");
        assert!(lines[1].starts_with("HEALTH_CLI_HOST"), "{out}");
        assert!(out.contains("secret app/token "), "{out}");
        assert!(
            out.contains("Conf: verified for Pod/app, container app"),
            "{out}"
        );
        assert!(!out.contains("SECRET-cli-0042"), "{out}");

        // Without the Secret's file: it fails, saying how to allow an object created elsewhere.
        let (code, out, _) = run(&["app", "config", "verify", &paths[0]], None);
        assert_eq!(code, Some(EXIT_NOT_READY), "{out}");
        let token = out
            .lines()
            .find(|l| l.starts_with("HEALTH_CLI_TOKEN "))
            .unwrap();
        assert!(
            token.contains(" fail ")
                && token.contains(" unverified ")
                && token.ends_with(
                    "provided at run time, not verified: Secret `app` is not in the files; add \
                     its file to the ones verified, or allow objects created elsewhere \
                     (`--allow-unverified`)"
                ),
            "{out}"
        );
        assert!(out.contains("Conf: not verified for Pod/app"), "{out}");
        // Allowed: a warn, 0; --strict fails it either way, and the two do not go together.
        let allow = ["app", "config", "verify", "--allow-unverified", &paths[0]];
        let (code, out, _) = run(&allow, None);
        assert_eq!(code, Some(EXIT_OK), "{out}");
        assert!(
            out.contains(" warn ") && out.contains("(1 provided at run time, not verified)"),
            "{out}"
        );
        let (code, _, _) = run(&["app", "config", "verify", "--strict", &paths[0]], None);
        assert_eq!(code, Some(EXIT_NOT_READY));
        let both = [
            "app",
            "config",
            "verify",
            "--strict",
            "--allow-unverified",
            &paths[0],
        ];
        let (code, _, err) = run(&both, None);
        assert_eq!(code, Some(EXIT_USAGE));
        assert!(
            err.contains("`--strict` can't be used together with `--allow-unverified`"),
            "{err}"
        );

        let (code, out, _) = run(
            &[
                "app",
                "config",
                "verify",
                "--format=json",
                &paths[0],
                &paths[1],
            ],
            None,
        );
        assert_eq!(code, Some(EXIT_OK));
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["ok"], true);
        assert_eq!(json["entries"][1]["origin"]["kind"], "secret");
    }

    #[test]
    fn usage_and_file_errors_exit_2() {
        for args in [
            &["app", "config", "verify"][..],
            &["app", "config", "verify", "--frobnicate", "x.yaml"],
            &["app", "config", "verify", "x.yaml", "--format", "xml"],
            &["app", "config", "verify", "x.yaml", "--container"],
        ] {
            let (code, out, err) = run(args, None);
            assert_eq!((code, out.as_str()), (Some(EXIT_USAGE), ""), "{args:?}");
            assert!(err.starts_with("error: "), "{args:?}: {err}");
        }
        let (code, _, err) = run(
            &["app", "config", "verify", "/nonexistent/deploy.yaml"],
            None,
        );
        assert_eq!(code, Some(EXIT_USAGE));
        assert!(
            err.contains("cannot read /nonexistent/deploy.yaml"),
            "{err}"
        );
    }
}
