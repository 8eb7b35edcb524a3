//! The live config against real files: a secret that appears after the start turns readiness
//! 200 without a restart, a bad rotation keeps the last good config, and a storm of
//! Kubernetes-style symlink swaps never shows a torn or leaked value to probes, `current()`
//! or `changes()` readers.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use health::live::{LiveConfig, Reload};
use health::{Health, ReadinessContract, Vars};

use common::respond;
use common::volume::SecretVolume;

/// A database login whose two halves rotate together.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "LIVE_")]
struct Login {
    user: String,
    #[contract(secret)]
    password: String,
}

fn files(volume: &SecretVolume) -> Vars {
    [
        ("LIVE_USER_FILE", volume.path("user")),
        ("LIVE_PASSWORD_FILE", volume.path("password")),
    ]
    .into_iter()
    .collect()
}

#[tokio::test]
async fn a_secret_created_after_start_turns_readiness_200_without_a_restart() {
    let mut volume = SecretVolume::new();
    let config = LiveConfig::<Login>::builder()
        .vars(files(&volume))
        .reload_every(Duration::from_millis(20))
        .reload_on_sighup(false)
        .load();
    let health = Health::builder().config(&config).build();
    let response = respond(&health, "/ready").await;
    assert_eq!(response.status(), 503);
    let body = String::from_utf8_lossy(response.body()).into_owned();
    assert!(
        body.contains("LIVE_PASSWORD") && body.contains("unreadable_file"),
        "{body}"
    );
    assert!(config.current().is_none());

    let waiting = tokio::spawn({
        let config = config.clone();
        async move { config.ready().await }
    });
    volume.write(&[("user", "app"), ("password", "hunter2-v1")]);
    // The 20 ms interval picks it up: no restart, no call.
    let login = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("ready() returns once the secret appears")
        .unwrap();
    assert_eq!(
        (login.user.as_str(), login.password.as_str()),
        ("app", "hunter2-v1")
    );
    let started = Instant::now();
    while respond(&health, "/ready").await.status() != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "readiness never followed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // A bad rotation: the last good config stays, readiness fails naming the variable.
    volume.write(&[("user", "app"), ("password", "")]);
    assert_eq!(config.reload(), Reload::Rejected);
    assert_eq!(config.current().unwrap().password, "hunter2-v1");
    let response = respond(&health, "/ready").await;
    assert_eq!(response.status(), 503);
    let body = String::from_utf8_lossy(response.body()).into_owned();
    assert!(
        body.contains("LIVE_PASSWORD") && body.contains("last good config"),
        "{body}"
    );
    assert!(!body.contains("hunter2"), "{body}");

    volume.write(&[("user", "app"), ("password", "hunter2-v2")]);
    assert_eq!(config.reload(), Reload::Updated);
    assert_eq!(respond(&health, "/ready").await.status(), 200);
    assert_eq!(config.current().unwrap().password, "hunter2-v2");
}

/// The value every reader must see: a user and a password from the same version.
fn consistent(login: &Login) -> Option<u64> {
    let version: u64 = login.user.strip_prefix("user-")?.parse().ok()?;
    (login.password == format!("pw-{version}-{}", "x".repeat(version as usize % 64)))
        .then_some(version)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_symlink_swap_storm_never_shows_a_torn_or_leaked_value() {
    let mut volume = SecretVolume::new();
    let write = |volume: &mut SecretVolume, n: u64| {
        let user = format!("user-{n}");
        let password = format!("pw-{n}-{}", "x".repeat(n as usize % 64));
        volume.write(&[("user", &user), ("password", &password)]);
    };
    write(&mut volume, 1);
    let config = LiveConfig::<Login>::builder()
        .vars(files(&volume))
        .reload_every(Duration::from_millis(1))
        .reload_on_sighup(false)
        .load();
    let health = Health::builder().config(&config).build();
    assert_eq!(config.current().and_then(|c| consistent(&c)), Some(1));

    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicU64::new(1));
    // A swap every 2 ms for 3 s, on its own thread, as the kubelet would.
    let writer = std::thread::spawn({
        let stop = stop.clone();
        let writes = writes.clone();
        move || {
            let started = Instant::now();
            let mut n = 1;
            while started.elapsed() < Duration::from_secs(3) {
                n += 1;
                write(&mut volume, n);
                writes.store(n, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(2));
            }
            stop.store(true, Ordering::SeqCst);
            volume
        }
    });
    // A `changes()` reader: every version it sees is whole, and versions only go forward.
    let watcher = tokio::spawn({
        let config = config.clone();
        let stop = stop.clone();
        async move {
            let mut changes = config.changes();
            let (mut seen, mut last) = (0u64, 0u64);
            while !stop.load(Ordering::SeqCst) {
                if tokio::time::timeout(Duration::from_millis(100), changes.changed())
                    .await
                    .is_err()
                {
                    continue;
                }
                let login = changes.borrow_and_update().clone().expect("a good config");
                let version = consistent(&login).unwrap_or_else(|| panic!("torn: {login:?}"));
                assert!(version >= last, "went back from {last} to {version}");
                last = version;
                seen += 1;
            }
            seen
        }
    });
    // A reader of `current()` and a prober, side by side.
    let mut probes = 0u64;
    let mut reads = 0u64;
    while !stop.load(Ordering::SeqCst) {
        let login = config.current().expect("a good config");
        consistent(&login).unwrap_or_else(|| panic!("torn: {login:?}"));
        reads += 1;
        let response = respond(&health, "/ready?verbose").await;
        let body = String::from_utf8_lossy(response.body()).into_owned();
        assert!(!body.contains("pw-"), "a password in a probe: {body}");
        // Readiness may fail only while a swap is under way, never on a torn value: every
        // version is complete, so it passes.
        assert_eq!(response.status(), 200, "{body}");
        probes += 1;
        tokio::task::yield_now().await;
    }
    let seen = watcher.await.unwrap();
    let volume = writer.join().unwrap();
    let written = writes.load(Ordering::SeqCst);
    println!(
        "{written} swaps in 3 s; {seen} versions seen by changes(), {reads} current() reads, {probes} probes"
    );
    assert!(
        written > 100,
        "the storm was too slow to mean anything: {written} swaps"
    );
    assert!(seen > 10, "changes() saw only {seen} versions of {written}");
    // Once the storm is over, the newest version is read.
    config.reload();
    assert_eq!(config.current().and_then(|c| consistent(&c)), Some(written));
    drop(volume);
}
