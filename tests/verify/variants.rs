//! Selected variants applied to the deploy's files (`tests/verify/variants/`): a variant's
//! required variables are required only when the files choose it, and a tag that an object
//! outside the files may set leaves the choice open, so the variants' variables are
//! `unverified`, never a guess.

use health::ReadinessContract;
use health::verify::{Verification, Verifier};

use super::{assert_clean, text};

/// A local directory.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Disk {
    /// Where blobs go.
    path: String,
}

/// An S3 bucket.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct S3 {
    /// The bucket.
    bucket: String,
    /// The access key.
    #[contract(secret)]
    key: String,
}

/// Where blobs are stored.
#[derive(Debug, ReadinessContract)]
#[contract(tag = "BACKEND")]
#[allow(dead_code)]
pub enum Store {
    /// On a local disk, unless the tag says otherwise.
    #[contract(default, prefix = "DISK_")]
    Disk(Disk),
    /// In S3.
    #[contract(prefix = "S3_")]
    S3(S3),
}

/// The blob service's config.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "BLOB_")]
#[allow(dead_code)]
pub struct Blob {
    /// Its name.
    name: String,
    /// Its store.
    #[contract(nested, prefix = "STORE_")]
    store: Store,
}

const FILE: &str = "variants/blob.yaml";

/// The files with `edits` (`(from, to)` on the text) applied, container `blob`.
fn blob(edits: &[(&str, &str)], strict: bool) -> Verification {
    let edited = edits.iter().fold(text(FILE), |text, (from, to)| {
        assert!(text.contains(from), "{from} not in {FILE}");
        text.replacen(from, to, 1)
    });
    let verifier = Verifier::new()
        .text(FILE, edited)
        .container("blob")
        .strict(strict);
    let verification = verifier.run::<Blob>().unwrap_or_else(|e| panic!("{e}"));
    assert_clean(&verification);
    verification
}

/// `status code` of the entry `name`: `fail missing`.
fn verdict(verification: &Verification, name: &str) -> String {
    let e = verification
        .get(name)
        .unwrap_or_else(|| panic!("no entry {name}"));
    format!("{} {}", e.status(), e.code().map_or("-", |c| c.as_str()))
}

/// The tag's literal replaced by a key of a Secret outside the files: set, to a value only
/// known at run time.
const UNSEEN_TAG: (&str, &str) = (
    "              value: s3\n",
    "              valueFrom:\n                secretKeyRef:\n                  name: blob-external\n                  key: backend\n",
);

#[test]
fn only_the_chosen_variants_variables_are_required() {
    // `s3` chosen: its variables pass; the `disk` path, unset, is not required.
    let v = blob(&[], false);
    assert!(v.is_ok(), "{}", v.to_json_pretty());
    assert_eq!(verdict(&v, "BLOB_STORE_S3_BUCKET"), "pass -");
    assert_eq!(verdict(&v, "BLOB_STORE_DISK_PATH"), "pass -");
    // Its bucket left out: missing, under the service's name.
    let v = blob(
        &[(
            "            - name: BLOB_STORE_S3_BUCKET\n              value: uploads\n",
            "",
        )],
        false,
    );
    assert_eq!(verdict(&v, "BLOB_STORE_S3_BUCKET"), "fail missing");
    assert!(!v.is_ok());
    // The tag left out: the default `disk` is chosen, and needs its path; S3's are ignored.
    let v = blob(
        &[(
            "            - name: BLOB_STORE_BACKEND\n              value: s3\n",
            "",
        )],
        false,
    );
    assert_eq!(verdict(&v, "BLOB_STORE_DISK_PATH"), "fail missing");
    assert_eq!(verdict(&v, "BLOB_STORE_S3_BUCKET"), "warn ignored");
    assert_eq!(verdict(&v, "BLOB_STORE_S3_KEY"), "warn ignored");
}

#[test]
fn a_tag_from_outside_the_files_leaves_the_choice_open() {
    let v = blob(&[UNSEEN_TAG], false);
    // Whether `disk` needs its path depends on the tag the Secret may set: never a guess.
    assert_eq!(verdict(&v, "BLOB_STORE_DISK_PATH"), "warn unverified");
    let message = v.get("BLOB_STORE_DISK_PATH").unwrap().message().unwrap();
    assert!(
        message.contains("the variant of `store` may be any of several")
            && message.contains("BLOB_STORE_BACKEND"),
        "{message}"
    );
    // S3's variables are set by the files: they fail in no world, whichever is chosen.
    assert_eq!(verdict(&v, "BLOB_STORE_S3_BUCKET"), "pass -");
    // Strict: what the files cannot decide fails.
    let v = blob(&[UNSEEN_TAG], true);
    assert_eq!(verdict(&v, "BLOB_STORE_DISK_PATH"), "fail unverified");
    assert!(!v.is_ok());
}
