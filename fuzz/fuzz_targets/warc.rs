//! The WARC reader on any bytes: it must end, without panicking, and every
//! item is a page, a skip or an error.
#![no_main]

use glaneur_warc::{pages as warc_pages, WarcReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for _ in warc_pages(WarcReader::new(data)) {}
});
