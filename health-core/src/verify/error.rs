//! Why the files could not be verified at all (exit 2): a file that cannot be read or is not
//! YAML, a manifest the API server would refuse, or a usage error. Every message names the
//! file and the line; none quotes a line, since a line may hold a secret.

/// The files could not be verified: `config verify` exits 2 with this message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// A file (or standard input) cannot be read.
    Read {
        /// The file as named.
        file: String,
        /// Why, without any of its text.
        reason: String,
    },
    /// A file is not YAML (or an env file does not parse).
    Syntax {
        /// The file as named.
        file: String,
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// The parser's reason, without any of the text.
        reason: String,
    },
    /// A manifest the API server (or `docker compose`) would refuse: a number where a string
    /// goes, base64 that does not decode, an `env` entry with no name...
    Manifest {
        /// The file as named.
        file: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// Nothing to verify, or which container is meant is unclear: a usage error.
    Usage(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Read { file, reason } => write!(f, "cannot read {file}: {reason}"),
            VerifyError::Syntax {
                file,
                line,
                column,
                reason,
            } => write!(f, "{file}:{line}:{column}: not valid YAML: {reason}"),
            VerifyError::Manifest { file, line, reason } => write!(f, "{file}:{line}: {reason}"),
            VerifyError::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for VerifyError {}

impl VerifyError {
    /// The file the error is about, when there is one.
    pub fn file(&self) -> Option<&str> {
        match self {
            VerifyError::Read { file, .. }
            | VerifyError::Syntax { file, .. }
            | VerifyError::Manifest { file, .. } => Some(file),
            VerifyError::Usage(_) => None,
        }
    }

    /// The line the error is about, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            VerifyError::Syntax { line, .. } | VerifyError::Manifest { line, .. } => Some(*line),
            VerifyError::Read { .. } | VerifyError::Usage(_) => None,
        }
    }

    pub(crate) fn manifest(file: &str, line: usize, reason: impl Into<String>) -> VerifyError {
        VerifyError::Manifest {
            file: file.to_owned(),
            line,
            reason: reason.into(),
        }
    }
}
