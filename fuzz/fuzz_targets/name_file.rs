//! `cargo fuzz run name_file`: see `health_fuzz::name_file` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::name_file(data));
