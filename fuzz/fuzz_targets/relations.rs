//! `cargo fuzz run relations`: see `health_fuzz::relations` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::relations(data));
