//! The default readiness body, rendered once per state and served until the state changes.

use crate::status::Status;

/// What the rendered readiness body depends on: when any part changes, it is rendered again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RenderKey {
    /// Bumped whenever a check's shown result changes.
    pub(super) generation: u64,
    pub(super) startup_over: bool,
    pub(super) shutting_down: bool,
    /// The readiness signals' versions, summed.
    pub(super) signals: u64,
    /// The live configs' versions, summed.
    pub(super) config: u64,
}

/// The readiness body rendered for one state, served until the state changes.
pub(crate) struct Rendered {
    pub(super) key: RenderKey,
    pub(crate) status: Status,
    pub(crate) body: bytes::Bytes,
}
