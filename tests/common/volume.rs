//! A Kubernetes Secret volume as the kubelet writes it, in a scratch directory: each key a
//! symlink through `..data` to a versioned directory, all replaced at once by one rename.

use std::path::PathBuf;

/// A Secret volume whose content is replaced whole by [`write`](SecretVolume::write).
pub struct SecretVolume {
    dir: tempfile::TempDir,
    version: u64,
}

impl SecretVolume {
    /// An empty volume.
    pub fn new() -> SecretVolume {
        SecretVolume {
            dir: tempfile::tempdir().unwrap(),
            version: 0,
        }
    }

    /// Where the container reads `key`.
    pub fn path(&self, key: &str) -> PathBuf {
        self.dir.path().join(key)
    }

    /// Publishes `keys` as the Secret's whole content: a new versioned directory, then one
    /// rename of `..data`; the version before the last is removed, as the kubelet does.
    pub fn write(&mut self, keys: &[(&str, &str)]) {
        self.version += 1;
        let root = self.dir.path();
        let data = root.join(format!("..v{}", self.version));
        std::fs::create_dir(&data).unwrap();
        for (key, value) in keys {
            std::fs::write(data.join(key), value).unwrap();
            let link = root.join(key);
            if link.symlink_metadata().is_err() {
                std::os::unix::fs::symlink(format!("..data/{key}"), &link).unwrap();
            }
        }
        let tmp = root.join("..data_tmp");
        std::os::unix::fs::symlink(data.file_name().unwrap(), &tmp).unwrap();
        std::fs::rename(&tmp, root.join("..data")).unwrap();
        if self.version > 2 {
            let _ = std::fs::remove_dir_all(root.join(format!("..v{}", self.version - 2)));
        }
    }
}
