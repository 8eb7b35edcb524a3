//! The helpers voxflow's tests share with the library's own (a fake upstream, a Secret
//! volume, Python validators: the files under the workspace's `tests/common`), and one of
//! voxflow's: run the binary with a standard input.
#![allow(dead_code)]

#[path = "../../../../tests/common/python.rs"]
pub mod python;
#[path = "../../../../tests/common/upstream.rs"]
pub mod upstream;
#[path = "../../../../tests/common/volume.rs"]
pub mod volume;

/// Runs `command` with `stdin` written to its standard input: its exit code (`-1` when a
/// signal ended it), standard output and standard error.
pub fn run_with_stdin(command: &mut std::process::Command, stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
