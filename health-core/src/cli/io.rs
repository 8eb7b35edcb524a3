//! Where a `config` command writes, and the exit codes it returns.

use std::io::Write;

use super::usage::usage;

/// Exit code of a command that did what it was asked (and of a ready `config check`).
pub const EXIT_OK: u8 = 0;
/// Exit code of `config check` when some variable fails, or when output cannot be written.
pub const EXIT_NOT_READY: u8 = 1;
/// Exit code of a usage error: an unknown command, a bad option, `probes` without a `Health`.
pub const EXIT_USAGE: u8 = 2;

/// Where a command writes.
pub(super) struct Io<'a> {
    pub(super) out: &'a mut dyn Write,
    pub(super) err: &'a mut dyn Write,
}

impl Io<'_> {
    /// Prints `text` to stdout: `EXIT_OK`, or `EXIT_NOT_READY` when it cannot be written.
    pub(super) fn print(&mut self, text: &str) -> u8 {
        match self
            .out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
        {
            Ok(()) => EXIT_OK,
            Err(_) => EXIT_NOT_READY,
        }
    }

    /// Prints `text` to stderr (nothing else can be done when that fails).
    pub(super) fn complain(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
        let _ = self.err.flush();
    }

    /// A usage error: the message and the usage on stderr, `EXIT_USAGE`.
    pub(super) fn usage_error(&mut self, program: &str, message: &str) -> u8 {
        self.complain(&format!("error: {message}\n\n{}", usage(program)));
        EXIT_USAGE
    }
}
