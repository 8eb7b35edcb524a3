//! The helpers voxflow's tests share with the library's own (a fake upstream, a Secret
//! volume, Python validators, a command run with a standard input: the files under the
//! workspace's `tests/common`, included by path so that voxflow depends on no test crate).
#![allow(dead_code)]

#[path = "../../../../tests/common/command.rs"]
pub mod command;
#[path = "../../../../tests/common/python.rs"]
pub mod python;
#[path = "../../../../tests/common/upstream.rs"]
pub mod upstream;
#[path = "../../../../tests/common/volume.rs"]
pub mod volume;
