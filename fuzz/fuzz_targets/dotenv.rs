//! `cargo fuzz run dotenv`: see `health_fuzz::dotenv` for the input format and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| health_fuzz::dotenv(data));
