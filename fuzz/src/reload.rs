//! The `reload` target's property: a live config (`health::live`) following a `.env` file and
//! a `NAME_FILE` secret that change between reloads. Included by `lib.rs`, so by
//! `tests/fuzz_corpus.rs` too.
//!
//! No tokio runtime: outside one a `LiveConfig` starts no reload task and a `Health` no
//! poller, so every reload is the harness's own `reload()` call, and events (sent while the
//! report is published) are drained by polling once.

use std::convert::Infallible;
use std::ffi::OsString;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::str::FromStr;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use health::live::{BadReload, LiveConfig, Reload};
use health::{
    Code, ContractError, Event, Health, LayeredEnv, Probe, ReadinessContract, Report, Source as _,
    Status, Vars,
};

use super::shift;

/// The config the versions are read into: a secret with a quoting validator, an integer
/// with a range, a `Duration` with a default, an optional and a list.
#[derive(Debug, PartialEq, ReadinessContract)]
#[contract(prefix = "RL_")]
pub struct Service {
    #[contract(secret, validate = long_enough)]
    token: Token,
    #[contract(range = 1..=64)]
    workers: u8,
    #[contract(default = "5s")]
    timeout: Duration,
    retries: Option<u16>,
    #[contract(split = ",")]
    ports: Vec<u16>,
}

impl Service {
    /// Every field, read: what two configs are compared by.
    fn fields(&self) -> (&str, u8, Duration, Option<u16>, &[u16]) {
        (
            &self.token.0,
            self.workers,
            self.timeout,
            self.retries,
            &self.ports,
        )
    }
}

/// A token whose `Debug` never shows it, as `secrecy::SecretString`'s does: so the
/// config's own `Debug` may be printed.
#[derive(PartialEq)]
pub struct Token(String);

impl FromStr for Token {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Token, Infallible> {
        Ok(Token(s.to_owned()))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(..)")
    }
}

/// A validator whose message quotes the value; by length only, so a token and its
/// [`shift`] pass or fail alike.
fn long_enough(token: &Token) -> Result<(), String> {
    match token.0.len() {
        8..=64 => Ok(()),
        _ => Err(format!("a token has 8 to 64 bytes, not {:?}", token.0)),
    }
}

/// What the message of a failing variable becomes while a bad reload keeps the last good
/// config (`health::live`'s docs: "its variables fail readiness (or warn)").
const KEPT: &str = "; the last good config stays in use";

/// At most this many versions are read: an iteration stays short.
const MAX_VERSIONS: usize = 8;

/// What a version does to one file.
#[derive(Clone, PartialEq)]
enum Change {
    Keep,
    Remove,
    Write(Vec<u8>),
}

/// One version: the `.env` file (removed when empty) and the secret file.
#[derive(Clone, PartialEq)]
struct Version {
    env: Change,
    token: Change,
}

impl Version {
    /// `ENV` or `ENV 0x1F TOKEN`: no `0x1F` keeps the secret file, an empty `TOKEN` removes
    /// it. An empty `ENV` removes the `.env` file.
    fn of(bytes: &[u8]) -> Version {
        let (env, token) = match bytes.iter().position(|b| *b == 0x1F) {
            Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
            None => (bytes, None),
        };
        let change = |bytes: &[u8]| match bytes {
            [] => Change::Remove,
            bytes => Change::Write(bytes.to_vec()),
        };
        Version {
            env: change(env),
            token: token.map_or(Change::Keep, change),
        }
    }

    /// The same version with the secret file's letters shifted.
    fn shifted(&self) -> Version {
        let token = match &self.token {
            Change::Write(bytes) => Change::Write(shift(bytes)),
            other => other.clone(),
        };
        Version {
            env: self.env.clone(),
            token,
        }
    }
}

/// The options, from a first line `# fuzz: FLAGS` (a comment to the `.env` file): `warn`
/// for [`BadReload::Warn`], `optional` for `dotenv_if_present`.
#[derive(Clone, Copy)]
struct Flags {
    on_bad: BadReload,
    optional: bool,
}

impl Flags {
    fn of(data: &[u8]) -> Flags {
        let line = data.split(|b| *b == b'\n').next().unwrap_or_default();
        let line = String::from_utf8_lossy(line);
        let flags = line.strip_prefix("# fuzz:").unwrap_or_default();
        let has = |flag: &str| flags.split_whitespace().any(|f| f == flag);
        Flags {
            on_bad: if has("warn") {
                BadReload::Warn
            } else {
                BadReload::Fail
            },
            optional: has("optional"),
        }
    }
}

/// `reload`: versions separated by `0x1E`, each `ENV [0x1F TOKEN]` (see [`Version::of`]);
/// the first line may be `# fuzz: warn optional`. The first version is written before
/// `LiveConfig::load()`, each later one (as a new file swapped in, like Kubernetes' atomic
/// writer) before a `reload()`, then `reload()` is called once more with nothing changed.
/// `RL_TOKEN_FILE` names the secret file; every other `_FILE` is set empty, so the input
/// never makes the library read another file.
///
/// Properties, after each load or reload:
/// - the `Reload` is `Updated` exactly when the version loads whole (as computed apart, by
///   `LayeredEnv` and `from_source` on the same files) and the files differ from the last
///   good version's, `Unchanged` when they do not, `Rejected` when it does not load whole;
///   the second call is `Unchanged` or `Rejected` and changes nothing;
/// - `current()` is a new `Arc` holding exactly that load's config after `Updated`, and
///   otherwise the same `Arc` as before (the last version that loaded whole, or `None`);
///   `changes()` sees a new version exactly after `Updated`;
/// - `report()` has the entries of that load, each failure's message followed by "; the
///   last good config stays in use" and failing or warning as `BadReload` says while a good
///   config is kept; a `.env` file that does not read is one entry named by its path;
/// - every failing entry names its variable (and its field), or is that one `.env` entry;
/// - each event sent to a subscriber matches its entry in the new report, and each failing
///   entry the read left out ends with one change to `pass`; a `Health` on the live config
///   is ready exactly when the report is;
/// - no secret in any output: with the secret file's letters shifted, every `Reload`'s
///   `Debug`, the report's entries (`Debug`) and JSON bodies, the config's `Debug` and every
///   event are the same, byte for byte; a `RL_TOKEN` set in the `.env` file is checked by
///   the same oracle on its load (the live report being that load's, as above).
///
/// Logs are not captured (no other target does): they print each failing or warning
/// entry's name, field, code and message, which the report checks cover.
pub fn reload(data: &[u8]) {
    let flags = Flags::of(data);
    let versions: Vec<Version> = data
        .split(|b| *b == 0x1E)
        .take(MAX_VERSIONS)
        .map(Version::of)
        .collect();
    let dir = scratch();
    let written = scenario(dir.path(), &versions, flags, true);
    let shifted: Vec<Version> = versions.iter().map(Version::shifted).collect();
    if shifted != versions {
        // The same paths, so the outputs can be compared whole.
        let rewritten = scenario(dir.path(), &shifted, flags, false);
        assert!(
            written == rewritten,
            "a secret's value shows in the output:\n{written}\n--- with the secret file \
             shifted:\n{rewritten}"
        );
    }
    dir.close().expect("remove the scratch directory");
}

/// A scratch directory, in memory where the system has one (`/dev/shm`): a version is a few
/// writes, renames and reads of small files, and an iteration on tmpfs runs in about 60% of
/// its time on ext4.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    shm.is_dir()
        .then(|| tempfile::tempdir_in(shm).ok())
        .flatten()
        .unwrap_or_else(|| tempfile::tempdir().expect("a scratch directory"))
}

/// The files of one run: each write is a new file (`NAME.N`, kept until the end, so never
/// the same inode twice) linked in place of `NAME` by a rename.
struct Files {
    dir: PathBuf,
    written: u32,
    /// Which write each of `.env` and the secret file is now; `None` when absent.
    env: Option<u32>,
    token: Option<u32>,
}

impl Files {
    fn apply(&mut self, version: &Version) {
        self.env = self.change(".env", &version.env, self.env);
        self.token = self.change("token", &version.token, self.token);
    }

    fn change(&mut self, name: &str, change: &Change, now: Option<u32>) -> Option<u32> {
        let path = self.dir.join(name);
        match change {
            Change::Keep => now,
            Change::Remove => {
                if now.is_some() {
                    std::fs::remove_file(&path).expect("remove a file");
                }
                None
            }
            Change::Write(bytes) => {
                self.written += 1;
                let file = self.dir.join(format!("{name}.{}", self.written));
                std::fs::write(&file, bytes).expect("write a version");
                let swap = self.dir.join(".swap");
                std::fs::hard_link(&file, &swap).expect("link a version");
                std::fs::rename(&swap, &path).expect("swap a version in");
                Some(self.written)
            }
        }
    }

    /// What identifies the files the live config reads: a change of it is a new version.
    fn state(&self) -> (Option<u32>, Option<u32>) {
        (self.env, self.token)
    }
}

/// A report entry as compared: name, field, origin, status, code, message.
#[derive(Debug, PartialEq)]
struct Entry {
    name: String,
    field: Option<String>,
    origin: Option<String>,
    status: Status,
    code: Option<String>,
    message: Option<String>,
}

fn entries(report: &Report) -> Vec<Entry> {
    report
        .entries()
        .iter()
        .map(|e| Entry {
            name: e.name().to_owned(),
            field: e.field().map(str::to_owned),
            origin: e.origin().map(ToString::to_string),
            status: e.status(),
            code: e.code().map(|c| c.as_str().to_owned()),
            message: e.message().map(str::to_owned),
        })
        .collect()
}

/// One version read apart from the live config: the entries its report has, and the config
/// when it loads whole.
struct Expected {
    entries: Vec<Entry>,
    config: Option<Service>,
}

/// Reads the files as the live config should, with `LayeredEnv` and `from_source`; with
/// `leaks`, checks that a `RL_TOKEN` from the `.env` file shows in no output of that load.
fn expected(vars: &Vars, env_path: &Path, optional: bool, leaks: bool) -> Expected {
    let env = LayeredEnv::over(vars.clone());
    let env = if optional {
        env.dotenv_if_present(env_path)
    } else {
        env.dotenv(env_path)
    };
    match env {
        Err(err) => {
            assert_eq!(err.path(), env_path, "{err:?}");
            Expected {
                entries: vec![Entry {
                    name: env_path.display().to_string(),
                    field: None,
                    origin: None,
                    status: Status::Fail,
                    code: Some(Code::UNREADABLE_FILE.as_str().to_owned()),
                    message: Some(err.to_string()),
                }],
                config: None,
            }
        }
        Ok(env) => {
            let report = Service::check_source(&env);
            let result = Service::from_source(&env);
            assert_eq!(result.is_ok(), report.is_ready(), "{report:?}");
            if leaks {
                no_leak_from_dotenv(&env);
            }
            Expected {
                entries: entries(&report),
                config: result.ok(),
            }
        }
    }
}

/// The load of the contract's variables as the `.env` file sets them (no `_FILE`), and
/// again with `RL_TOKEN` shifted: every output the same, byte for byte.
fn no_leak_from_dotenv(env: &LayeredEnv) {
    let variables = Service::contract().variables();
    let names: Vec<&str> = variables.iter().map(|v| v.name()).collect();
    let set = |token: &dyn Fn(&[u8]) -> Vec<u8>| -> Vars {
        names
            .iter()
            .filter_map(|name| {
                let value = env.get(name)?.into_owned();
                let value = match *name {
                    "RL_TOKEN" => super::os(&token(&super::os_bytes(&value))),
                    _ => value,
                };
                Some((OsString::from(name), value))
            })
            .collect()
    };
    let written = set(&|bytes| bytes.to_vec());
    let shifted = set(&shift);
    if written.get("RL_TOKEN") == shifted.get("RL_TOKEN") {
        return;
    }
    let printed = |vars: &Vars| {
        let report = Service::check_source(vars);
        let mut out = printed(&report);
        if let Err(err) = Service::from_source(vars) {
            out.push_str(&error_text(&err));
        }
        out
    };
    let (written, rewritten) = (printed(&written), printed(&shifted));
    assert!(
        written == rewritten,
        "RL_TOKEN's value shows in the output:\n{written}\n--- shifted:\n{rewritten}"
    );
}

fn error_text(err: &ContractError) -> String {
    format!("{err}\n{err:?}\n")
}

/// A report's entries (`Debug`, with their details) and both JSON bodies, without the time.
fn printed(report: &Report) -> String {
    let time = humantime::format_rfc3339_seconds(report.time()).to_string();
    format!(
        "{:?}\n{}\n{}\n",
        report.entries(),
        report.to_json().replace(&time, ""),
        report.to_json_detailed().replace(&time, "")
    )
}

/// The variables the live config reads in place of the process environment.
fn vars(token: &Path) -> Vars {
    let mut vars = Vars::new();
    for variable in Service::contract().variables() {
        vars.set(format!("{}_FILE", variable.name()), "");
    }
    vars.set("RL_TOKEN_FILE", token);
    vars
}

/// `future`'s output if it is ready at the first poll.
fn at_once<F: Future>(future: F) -> Option<F::Output> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// Runs every version against one live config in `root/live`, checking the properties of
/// [`reload`]; returns everything printed about it.
fn scenario(root: &Path, versions: &[Version], flags: Flags, leaks: bool) -> String {
    let dir = root.join("live");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear the scratch directory");
    }
    std::fs::create_dir(&dir).expect("a directory for the files");
    let env_path = dir.join(".env");
    let vars = vars(&dir.join("token"));
    let mut files = Files {
        dir,
        written: 0,
        env: None,
        token: None,
    };
    let (first, later) = versions.split_first().expect("split gives one version");
    files.apply(first);
    let builder = LiveConfig::<Service>::builder()
        .vars(vars.clone())
        .reload_every(Duration::from_secs(3600))
        .reload_on_sighup(false)
        .on_bad_reload(flags.on_bad);
    let builder = if flags.optional {
        builder.dotenv_if_present(&env_path)
    } else {
        builder.dotenv(&env_path)
    };
    let mut run = Run {
        expected: expected(&vars, &env_path, flags.optional, leaks),
        live: builder.load(),
        before: None,
        last_good: None,
        previous: None,
        env_path: &env_path,
        on_bad: flags.on_bad,
        out: String::new(),
    };
    let health = Health::builder().config(&run.live).build();
    let mut events = health.subscribe();
    let mut changes = run.live.changes();
    run.check(None, files.state(), &health, &mut events, &mut changes);
    for version in later {
        files.apply(version);
        run.expected = expected(&vars, &env_path, flags.optional, leaks);
        run.before = run.live.current();
        let reload = run.live.reload();
        run.check(
            Some(reload),
            files.state(),
            &health,
            &mut events,
            &mut changes,
        );

        // Nothing changed since: nothing new.
        run.before = run.live.current();
        let again = run.live.reload();
        let expected = match run.expected.config {
            Some(_) => Reload::Unchanged,
            None => Reload::Rejected,
        };
        assert_eq!(again, expected, "a reload with no change");
        run.check(
            Some(again),
            files.state(),
            &health,
            &mut events,
            &mut changes,
        );
    }
    run.out
}

/// One live config and what the checks of its last read need.
struct Run<'a> {
    live: LiveConfig<Service>,
    /// The read apart of the files now.
    expected: Expected,
    /// `current()` before the reload.
    before: Option<Arc<Service>>,
    /// The files of the last version published.
    last_good: Option<(Option<u32>, Option<u32>)>,
    /// The live report before this read.
    previous: Option<Arc<Report>>,
    env_path: &'a Path,
    on_bad: BadReload,
    out: String,
}

impl Run<'_> {
    /// The properties after a load (`reload` `None`) or a reload, the files being `state`.
    fn check(
        &mut self,
        reload: Option<Reload>,
        state: (Option<u32>, Option<u32>),
        health: &Health,
        events: &mut health::Subscription,
        changes: &mut tokio::sync::watch::Receiver<Option<Arc<Service>>>,
    ) {
        let live = &self.live;
        let loads = self.expected.config.is_some();
        let expected_reload = match &self.expected.config {
            Some(_) if self.before.is_none() || self.last_good != Some(state) => Reload::Updated,
            Some(_) => Reload::Unchanged,
            None => Reload::Rejected,
        };
        let updated = expected_reload == Reload::Updated;
        if let Some(reload) = reload {
            assert_eq!(reload, expected_reload, "what the reload did");
        }

        // `current()`: the last version that loaded whole, never a mix or a partial one.
        let now = live.current();
        match (&self.expected.config, &now) {
            (Some(config), Some(now)) => {
                assert_eq!(now.fields(), config.fields(), "the version just read");
            }
            (Some(_), None) => panic!("a version that loads whole, yet no config"),
            (None, _) => {}
        }
        let same = match (&self.before, &now) {
            (Some(before), Some(now)) => Arc::ptr_eq(before, now),
            (None, None) => true,
            _ => false,
        };
        assert_eq!(same, !updated, "current() changes exactly on Updated");
        if updated {
            self.last_good = Some(state);
        }
        if reload.is_some() {
            let changed = changes.has_changed().expect("the live config is there");
            assert_eq!(changed, updated, "changes() after {reload:?}");
        }
        let seen = changes.borrow_and_update().clone();
        assert!(
            match (&seen, &now) {
                (Some(seen), Some(now)) => Arc::ptr_eq(seen, now),
                (seen, now) => seen.is_none() && now.is_none(),
            },
            "changes() holds current()"
        );

        // `report()`: that read's entries, failures rewritten while a good config is kept.
        let report = live.report();
        let kept = !loads && self.before.is_some();
        let expected_entries: Vec<Entry> = self
            .expected
            .entries
            .iter()
            .map(|e| match e.status {
                Status::Fail if kept => Entry {
                    status: match self.on_bad {
                        BadReload::Fail => Status::Fail,
                        BadReload::Warn => Status::Warn,
                    },
                    code: Some(
                        e.code
                            .clone()
                            .unwrap_or_else(|| Code::ERROR.as_str().to_owned()),
                    ),
                    message: Some(format!(
                        "{}{KEPT}",
                        e.message.as_deref().unwrap_or("failed")
                    )),
                    name: e.name.clone(),
                    field: e.field.clone(),
                    origin: e.origin.clone(),
                },
                _ => Entry {
                    name: e.name.clone(),
                    field: e.field.clone(),
                    origin: e.origin.clone(),
                    status: e.status,
                    code: e.code.clone(),
                    message: e.message.clone(),
                },
            })
            .collect();
        let now_entries = entries(&report);
        assert_eq!(now_entries, expected_entries, "the report of the read");
        let warns = kept && self.on_bad == BadReload::Warn;
        assert_eq!(report.is_ready(), loads || warns, "readiness of the report");

        // Every failing entry names its variable, or is the `.env` file that does not read.
        let contract = Service::contract();
        let variables = contract.variables();
        for entry in report.entries() {
            let failing = entry.status() == Status::Fail
                || entry.message().is_some_and(|m| m.ends_with(KEPT));
            if !failing {
                continue;
            }
            let named = variables
                .iter()
                .any(|v| v.name() == entry.name() && entry.field() == Some(v.field()));
            let the_env_file = report.entries().len() == 1
                && entry.name() == self.env_path.display().to_string()
                && entry.code() == Some(&Code::UNREADABLE_FILE);
            assert!(
                named || the_env_file,
                "a failure names no variable: {entry:?}"
            );
        }

        // Events: each change matches its entry in the new report; an entry the read left
        // out that did not pass ends with one change to `pass` (absent counts as passing).
        let sent: Vec<Event> = std::iter::from_fn(|| at_once(events.next()).flatten()).collect();
        let gone: Vec<&health::ReportEntry> = self
            .previous
            .iter()
            .flat_map(|previous| previous.entries())
            .filter(|e| report.get(e.name()).is_none() && e.status() != Status::Pass)
            .collect();
        let mut ended = Vec::new();
        for event in &sent {
            match event {
                Event::Check(change) => match report.get(&change.name) {
                    Some(entry) => {
                        assert_eq!(change.to, entry.status(), "{change:?}");
                        assert_eq!(change.code.as_ref(), entry.code(), "{change:?}");
                        assert_eq!(change.message.as_deref(), entry.message(), "{change:?}");
                    }
                    None => {
                        let old = gone
                            .iter()
                            .find(|e| e.name() == change.name)
                            .unwrap_or_else(|| panic!("an event for no entry: {change:?}"));
                        assert_eq!(change.from, Some(old.status()), "{change:?}");
                        assert_eq!(change.to, Status::Pass, "{change:?}");
                        assert!(change.code.is_none() && change.message.is_none());
                        ended.push(change.name.as_str());
                    }
                },
                Event::Probe(_) => {}
                other => panic!("unexpected event {other:?}"),
            }
        }
        let gone_names: Vec<&str> = gone.iter().map(|e| e.name()).collect();
        assert_eq!(
            ended, gone_names,
            "one event per failing entry the read left out"
        );
        self.previous = Some(Arc::clone(&report));
        let readiness =
            at_once(health.report(Probe::Readiness)).expect("a report with no check at once");
        assert_eq!(readiness.is_ready(), report.is_ready(), "{readiness:?}");

        self.out.push_str(&format!(
            "{reload:?}\n{}{now:?}\n{sent:?}\n",
            printed(&report)
        ));
    }
}
