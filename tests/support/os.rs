//! Processes: finding a binary, knowing whether we are root, signals, process trees and
//! the output of the commands the harness runs.
//!
//! Signals go through `nix` and children are found through `/proc` (or `pgrep -P`): no
//! `unsafe` here.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Effective uid 0, read from `/proc/self/status` (falling back to `id -u`).
pub fn running_as_root() -> bool {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("Uid:"))
        && let Some(euid) = line.split_whitespace().nth(2)
    {
        return euid == "0";
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A regular file with an execute bit.
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The first executable `name` in a directory of `PATH`.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// `name` on PATH, else in one of `fallback_dirs`.
pub fn find_program(name: &str, fallback_dirs: &[&str]) -> Option<PathBuf> {
    find_in_path(name).or_else(|| {
        fallback_dirs
            .iter()
            .map(|dir| Path::new(dir).join(name))
            .find(|candidate| is_executable(candidate))
    })
}

/// Sends `signal` to every pid in `pids`, all of them even when one fails (a process that
/// is already gone); the failures, if any.
pub fn signal(signal: Signal, pids: &[u32]) -> Result<(), String> {
    let failures: Vec<String> = pids
        .iter()
        .filter_map(|&pid| {
            let Ok(raw) = i32::try_from(pid) else {
                return Some(format!("{pid} is not a pid"));
            };
            let sent = kill(Pid::from_raw(raw), signal);
            sent.err().map(|e| format!("{signal} to {pid}: {e}"))
        })
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// Every live descendant of `pid`, via `/proc/*/stat` (or `pgrep -P` without `/proc`).
pub fn descendants(pid: u32) -> Vec<u32> {
    let parents = parent_table();
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        let children: Vec<u32> = match &parents {
            Some(table) => table
                .iter()
                .filter(|&&(_, ppid)| ppid == parent)
                .map(|&(child, _)| child)
                .collect(),
            None => pgrep_children(parent),
        };
        for child in children {
            if !found.contains(&child) && child != pid {
                found.push(child);
                frontier.push(child);
            }
        }
    }
    found
}

/// `(pid, ppid)` of every process, or None when `/proc` is unreadable.
fn parent_table() -> Option<Vec<(u32, u32)>> {
    let entries = fs::read_dir("/proc").ok()?;
    let table: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let after_comm = &stat[stat.rfind(')')? + 1..];
            let ppid = after_comm.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    (!table.is_empty()).then_some(table)
}

/// The children of `pid` as `pgrep -P` lists them (empty when it cannot run).
fn pgrep_children(pid: u32) -> Vec<u32> {
    Command::new("pgrep")
        .arg("-P")
        .arg(pid.to_string())
        .output()
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Alive and not a zombie.
pub fn process_alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

/// A command's stdout followed by its stderr, as text.
pub fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Panics, naming `what` and quoting its output, unless the command ran and succeeded.
pub fn check_output(what: &str, out: io::Result<Output>) {
    match out {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!("{what} failed ({}):\n{}", out.status, output_text(&out)),
        Err(e) => panic!("{what}: could not run: {e}"),
    }
}
