//! Padding against false sharing: a value on cache lines of its own.

/// Keeps a value on cache lines of its own, so that atomics written by every call do not
/// slow down the reads of their neighbours (false sharing).
#[repr(align(64))]
pub(crate) struct CacheAligned<T>(pub(crate) T);
