//! `cargo fuzz run manifest`: see `health_fuzz::manifest` for the input format and the
//! properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::manifest(data));
