//! Running a command as a test would from a shell: a standard input in, its exit code and
//! outputs back (shared with voxflow's tests, which include this file by path).

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
