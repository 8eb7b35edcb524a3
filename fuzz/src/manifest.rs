//! The `manifest` target's property (feature `verify`): the input as deploy files for
//! `health::verify`, then as the values of a Secret and of a literal in a fixed manifest.
//! Included by `lib.rs`, so by `tests/fuzz_corpus.rs` too.

use base64::Engine as _;
use health::verify::{Verification, Verifier, VerifyError};
use health::{ReadinessContract, Status};

use super::{Rules, shift};

/// Everything printable about a verification or its error: the JSON, `Debug`, the summary
/// and each entry's table columns.
fn printed(result: &Result<Verification, VerifyError>) -> String {
    match result {
        Ok(v) => {
            let mut out = format!("{}\n{v:?}\n{}\n", v.to_json_pretty(), v.summary());
            for e in v.entries() {
                let code = e.code().map(|c| c.as_str().to_owned()).unwrap_or_default();
                out.push_str(&format!(
                    "{} {} {code} {} {}\n",
                    e.name(),
                    e.status(),
                    e.origin(),
                    e.message().unwrap_or_default()
                ));
            }
            out
        }
        Err(e) => format!("{e}\n{e:?}\n"),
    }
}

/// The invariants of any verification: the contract's variables first, in order, each once;
/// `is_ok` and `status` agreeing with the entries; strict mode never leaving a `warn` that
/// is `unverified`; the JSON parsing back; an error on one line, naming the input.
fn check(result: &Result<Verification, VerifyError>, name: &str, strict: bool) {
    match result {
        Ok(v) => {
            let variables = Rules::contract().variables();
            assert!(v.entries().len() >= variables.len());
            for (entry, variable) in v.entries().iter().zip(&variables) {
                assert_eq!(entry.name(), variable.name());
                assert_eq!(entry.field(), Some(variable.field()));
            }
            for entry in &v.entries()[variables.len()..] {
                assert!(entry.field().is_none(), "{entry:?}");
                assert_ne!(entry.status(), Status::Pass, "{entry:?}");
            }
            let worst = v
                .entries()
                .iter()
                .map(|e| e.status())
                .max()
                .unwrap_or(Status::Pass);
            assert_eq!(v.status(), worst);
            assert_eq!(v.is_ok(), worst != Status::Fail);
            if strict {
                assert!(!v.entries().iter().any(|e| e.status() == Status::Warn
                    && e.code().is_some_and(|c| c.as_str() == "unverified")));
            }
            let json: serde_json::Value = serde_json::from_str(&v.to_json_pretty()).unwrap();
            assert_eq!(json["ok"], v.is_ok());
            assert!(!v.summary().contains('\n'));
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
            assert!(e.file().is_none_or(|file| file == name), "{text}");
            assert!(e.line().is_none_or(|line| line >= 1), "{text}");
        }
    }
}

/// `manifest`: the input as a file for `verify`, whose first line may be `# fuzz: FLAGS`
/// (`strict`, `env` to read it as an env file, `container=NAME`); then cut at `|` into six
/// values: five as a Secret's data (read by `envFrom`, `secretKeyRef` and `$(VAR)`), one as a
/// secret field's literal. Properties: no panic; the invariants of [`check`]; and no secret
/// in any output, by the exact oracle of [`load_without_leaks`](super::load_without_leaks):
/// with every secret value shifted, every output is the same, byte for byte.
pub fn manifest(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let flags = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# fuzz:"))
        .unwrap_or_default();
    let strict = flags.split_whitespace().any(|f| f == "strict");
    let name = if flags.split_whitespace().any(|f| f == "env") {
        "fuzz.env"
    } else {
        "fuzz.yaml"
    };
    let container = flags
        .split_whitespace()
        .find_map(|f| f.strip_prefix("container="));
    // Compose `env_file`s are not read: the input must not make the fuzzer read any file.
    let mut verifier = Verifier::new()
        .text(name, data)
        .strict(strict)
        .read_env_files(false);
    if let Some(container) = container {
        verifier = verifier.container(container);
    }
    let result = verifier.run::<Rules>();
    check(&result, name, strict);

    let values: Vec<&[u8]> = data.splitn(6, |b| *b == b'|').collect();
    let value = |i: usize| values.get(i).copied().unwrap_or_default();
    let written = templated(
        &[value(0), value(1), value(2), value(3), value(4)],
        value(5),
    );
    let shifted: Vec<Vec<u8>> = (0..6).map(|i| shift(value(i))).collect();
    let rewritten = templated(
        &[
            &shifted[0],
            &shifted[1],
            &shifted[2],
            &shifted[3],
            &shifted[4],
        ],
        &shifted[5],
    );
    assert!(
        written == rewritten,
        "a secret's value shows in the output:\n{written}\n--- with the secrets shifted:\n{rewritten}"
    );
}

/// A Secret holding `data` (as `FZ_TEXT`, `FZ_NAME`, `FZ_PIN`, `PART`, `FZ_SMALL`) and a Pod
/// reading it every way, with `literal` as the literal value of the secret `FZ_TOKEN`:
/// everything printed about its verification.
fn templated(data: &[&[u8]; 5], literal: &[u8]) -> String {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    // No `$` in the literal: whether a `$(NAME)` in it resolves depends on NAME, which the
    // shift changes (the reference itself is never shown for a secret field: a unit test).
    let quoted: String = literal
        .iter()
        .map(|&b| if b == b'$' { b'_' } else { b })
        .map(|b| match b {
            b' '..=b'~' if b != b'"' && b != b'\\' => char::from(b).to_string(),
            other => format!("\\x{other:02x}"),
        })
        .collect();
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: fz\ndata:\n  FZ_TEXT: \"{}\"\n  FZ_NAME: \
         \"{}\"\n  FZ_PIN: \"{}\"\n  PART: \"{}\"\n  FZ_SMALL: \"{}\"\n---\napiVersion: v1\nkind: \
         Pod\nmetadata:\n  name: fz\nspec:\n  containers:\n    - name: app\n      image: fz\n      \
         envFrom:\n        - secretRef: {{name: fz}}\n      env:\n        - {{name: FZ_RAW, value: \
         \"raw-$(PART)-$(FZ_TEXT)\"}}\n        - {{name: FZ_COUNT, value: \"$(FZ_SMALL)\"}}\n        \
         - {{name: FZ_TOKEN, value: \"{quoted}\"}}\n        - name: FZ_PATH\n          \
         valueFrom: {{secretKeyRef: {{name: fz, key: PART}}}}\n        - name: FZ_SUFFIX\n          \
         valueFrom: {{secretKeyRef: {{name: fz, key: MISSING, optional: true}}}}\n",
        b64(data[0]),
        b64(data[1]),
        b64(data[2]),
        b64(data[3]),
        b64(data[4]),
    );
    let result = Verifier::new().text("fz.yaml", manifest).run::<Rules>();
    check(&result, "fz.yaml", false);
    assert!(
        result.is_ok(),
        "the template is a valid manifest: {}",
        printed(&result)
    );
    printed(&result)
}
