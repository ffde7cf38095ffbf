//! The `.pb` readers on arbitrary bytes (libFuzzer, nightly: `cargo +nightly fuzz run pb_parse`); the checks are in
//! `pb_checks.rs`, shared with the stable runner `pb_stable` (see `run.sh`).
#![no_main]
use libfuzzer_sys::fuzz_target;

include!("../pb_checks.rs");

fuzz_target!(|data: &[u8]| check_pb_input(data));
