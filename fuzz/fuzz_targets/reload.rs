//! `cargo fuzz run reload`: see `health_fuzz::reload` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::reload(data));
