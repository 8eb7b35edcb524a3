//! `cargo fuzz run respond`: see `health_fuzz::respond` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::respond(data));
