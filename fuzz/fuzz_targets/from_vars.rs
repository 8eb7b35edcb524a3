//! `cargo fuzz run from_vars`: see `health_fuzz::from_vars` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::from_vars(data));
