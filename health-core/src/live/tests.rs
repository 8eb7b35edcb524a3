//! Unit tests of reloads on real files: appearing, rotating, breaking and vanishing secrets.

use std::path::Path;

use super::*;
use crate::contract::{Contract, Field, Requirement, ValueRule, VarSpec};
use crate::load::{IfAbsent, Loader};
use crate::value;

/// A config with one secret read from a file: what the derive would write by hand.
#[derive(Debug)]
struct Keyed {
    key: String,
}

static KEY: VarSpec = VarSpec::__new(
    "KEY",
    "String",
    "",
    Requirement::Required,
    None,
    true,
    false,
)
.__rule(ValueRule::Text, None);
static KEYED: Contract = Contract::__new("Keyed", "", "", &[Field::__var("key", &KEY)]);

impl ReadinessContract for Keyed {
    const CONTRACT: &'static Contract = &KEYED;

    fn __load(loader: &mut Loader<'_>) -> Option<Self> {
        let key = loader.scalar(&KEY, "key", value::string, IfAbsent::Fail, None, None);
        Some(Keyed { key: key? })
    }
}

fn keyed(path: &Path) -> LiveConfig<Keyed> {
    LiveConfig::builder()
        .vars([("KEY_FILE", path)].into_iter().collect())
        .reload_on_sighup(false)
        .load()
}

fn key_of(live: &LiveConfig<Keyed>) -> Option<String> {
    live.current().map(|c| c.key.clone())
}

#[test]
fn a_secret_that_appears_later_is_read_by_the_next_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    let live = keyed(&path);
    assert_eq!(key_of(&live), None);
    assert!(!live.report().is_ready());
    assert_eq!(
        live.report().entries()[0].code(),
        Some(&crate::Code::UNREADABLE_FILE)
    );
    assert_eq!(live.reload(), Reload::Rejected);

    std::fs::write(&path, "first\n").unwrap();
    assert_eq!(live.reload(), Reload::Updated);
    assert_eq!(key_of(&live).as_deref(), Some("first"));
    assert!(live.report().is_ready());
    assert_eq!(live.reload(), Reload::Unchanged);
}

#[test]
fn a_bad_rotation_keeps_the_last_good_config_and_fails_or_warns() {
    for on_bad in [BadReload::Fail, BadReload::Warn] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "good").unwrap();
        let live = LiveConfig::<Keyed>::builder()
            .vars([("KEY_FILE", &path)].into_iter().collect())
            .reload_on_sighup(false)
            .on_bad_reload(on_bad)
            .load();
        assert_eq!(key_of(&live).as_deref(), Some("good"));

        std::fs::write(&path, "").unwrap();
        assert_eq!(live.reload(), Reload::Rejected);
        assert_eq!(
            key_of(&live).as_deref(),
            Some("good"),
            "the last good config stays"
        );
        let report = live.report();
        let entry = &report.entries()[0];
        assert_eq!(entry.name(), "KEY");
        assert_eq!(entry.code(), Some(&crate::Code::EMPTY));
        let expected = match on_bad {
            BadReload::Fail => Status::Fail,
            BadReload::Warn => Status::Warn,
        };
        assert_eq!(entry.status(), expected);
        assert!(
            entry.message().unwrap().contains("last good config"),
            "{entry:?}"
        );
        assert_eq!(live.reload(), Reload::Rejected, "still bad, nothing new");

        // The file vanishes: named with its path, no panic.
        std::fs::remove_file(&path).unwrap();
        assert_eq!(live.reload(), Reload::Rejected);
        let report = live.report();
        let message = report.entries()[0].message().unwrap();
        assert!(message.contains(&path.display().to_string()), "{message}");

        std::fs::write(&path, "fixed").unwrap();
        assert_eq!(live.reload(), Reload::Updated);
        assert_eq!(key_of(&live).as_deref(), Some("fixed"));
        assert!(live.report().is_ready());
    }
}

#[test]
fn a_symlink_swap_is_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("key");
    let swap = |name: &str, value: &str| {
        let target = dir.path().join(name);
        std::fs::write(&target, value).unwrap();
        let tmp = dir.path().join("tmp-link");
        std::os::unix::fs::symlink(&target, &tmp).unwrap();
        std::fs::rename(&tmp, &link).unwrap();
    };
    swap("v1", "one");
    let live = keyed(&link);
    assert_eq!(key_of(&live).as_deref(), Some("one"));
    swap("v2", "two");
    assert_eq!(live.reload(), Reload::Updated);
    assert_eq!(key_of(&live).as_deref(), Some("two"));
}

#[test]
fn dotenv_layers_are_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    let live = LiveConfig::<Keyed>::builder()
        .vars(Vars::new())
        .dotenv_if_present(&env)
        .reload_on_sighup(false)
        .load();
    assert_eq!(key_of(&live), None);
    std::fs::write(&env, "KEY=from-dotenv\n").unwrap();
    assert_eq!(live.reload(), Reload::Updated);
    assert_eq!(key_of(&live).as_deref(), Some("from-dotenv"));
    // A broken file keeps the last good config and names the file, never its lines.
    std::fs::write(&env, "KEY 'hunter2\n").unwrap();
    assert_eq!(live.reload(), Reload::Rejected);
    assert_eq!(key_of(&live).as_deref(), Some("from-dotenv"));
    let report = live.report();
    assert!(report.entries()[0].name().ends_with(".env"));
    assert!(!format!("{report:?}").contains("hunter2"));
}
