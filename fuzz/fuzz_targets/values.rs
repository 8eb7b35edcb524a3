//! `cargo fuzz run values`: see `health_fuzz::values` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::values(data));
