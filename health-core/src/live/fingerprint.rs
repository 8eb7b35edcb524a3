//! What a file is now, to tell whether it changed while it was read: a symlink swap or a
//! rewrite between the first and the last look at the files means the read may mix old and
//! new values, and is done again.
//!
//! A file replaced by a rename or a symlink swap (Kubernetes' atomic writer, Docker, the Vault
//! agent) always shows as changed: it is another inode. A rewrite in place of the same length
//! within one tick of the file system's clock may not: write secrets by replacing them.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The identity of each file (after symlinks), or `None` for a file that is not there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Fingerprint(Vec<(PathBuf, Option<Identity>)>);

/// What changes when a file is replaced or rewritten: device and inode (a swap points the
/// path at another file), size, and modification and change times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
    changed: i128,
}

impl Fingerprint {
    /// The identities of `paths` now.
    pub(super) fn of<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Fingerprint {
        Fingerprint(
            paths
                .into_iter()
                .map(|path| (path.to_owned(), identity(path)))
                .collect(),
        )
    }

    /// The paths it covers.
    pub(super) fn paths(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(|(path, _)| path.as_path())
    }

    /// The paths whose identity differs between `self` and `other` (or that only one has).
    pub(super) fn changed<'a>(&'a self, other: &'a Fingerprint) -> Vec<&'a Path> {
        let mut changed: Vec<&Path> = self
            .0
            .iter()
            .filter(|entry| !other.0.contains(entry))
            .map(|(path, _)| path.as_path())
            .collect();
        changed.extend(
            other
                .0
                .iter()
                .filter(|(path, _)| !self.0.iter().any(|(mine, _)| mine == path))
                .map(|(path, _)| path.as_path()),
        );
        changed
    }
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(Identity {
        device: meta.dev(),
        inode: meta.ino(),
        len: meta.len(),
        modified: meta.modified().ok(),
        changed: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
    })
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Identity {
        device: 0,
        inode: 0,
        len: meta.len(),
        modified: meta.modified().ok(),
        changed: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_a_rewrite_and_an_appearing_file_change_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let link = dir.path().join("link");
        let missing = dir.path().join("missing");
        std::fs::write(&a, "one").unwrap();
        std::os::unix::fs::symlink(&a, &link).unwrap();
        let paths = [link.as_path(), missing.as_path()];
        let first = Fingerprint::of(paths);
        assert_eq!(first, Fingerprint::of(paths), "nothing changed");

        // A symlink swap, as Kubernetes' atomic writer does it.
        let b = dir.path().join("b");
        std::fs::write(&b, "two").unwrap();
        let tmp = dir.path().join("tmp");
        std::os::unix::fs::symlink(&b, &tmp).unwrap();
        std::fs::rename(&tmp, &link).unwrap();
        let swapped = Fingerprint::of(paths);
        assert_eq!(swapped.changed(&first), [link.as_path()]);

        // A rewrite in place. (Of the same length within the file system's clock tick, it
        // could go unseen: writers are expected to replace files, as Kubernetes does.)
        std::fs::write(&b, "three").unwrap();
        let rewritten = Fingerprint::of(paths);
        assert_ne!(rewritten, swapped);

        std::fs::write(&missing, "here").unwrap();
        assert_eq!(
            Fingerprint::of(paths).changed(&rewritten),
            [missing.as_path()]
        );
        assert_eq!(first.paths().count(), 2);
    }
}
