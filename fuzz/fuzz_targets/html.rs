//! Article extraction on any bytes, read as an HTML page: a document or an
//! error, never a panic.
#![no_main]

use glaneur_articles::{extract, Hints};
use glaneur_facts::PackDateReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let hints = Hints { name: Some("page.html".into()), ..Hints::default() };
    let _ = extract(data, &hints, &PackDateReader);
});
