//! Guards around the work on one input: a panic becomes that input's
//! `internal_error` record, so that no input can take the batch down (a
//! runaway one is the stream's to time out, see `crate::stream`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::failure::{code, Failure};

thread_local! {
    /// True while this thread runs guarded work: its panics are reported
    /// as records, not printed.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last guarded panic of this thread happened, and why.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the place of a guarded panic for its record; other panics are
/// printed as usual. Installed once per process, whoever calls first:
/// between taking the old hook and setting the new one the default hook
/// is in place, and a guarded panic on another thread then (tests run in
/// parallel) lost its place.
pub fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.get() {
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                let what = payload_text(info.payload());
                LAST_PANIC.set(Some(format!("panicked{place}: {what}")));
            } else {
                default(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// Runs `work`; a panic in it is an `internal_error`.
pub fn catching<T>(work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    catching_panic(work).unwrap_or_else(|message| Err(Failure::new(code::INTERNAL_ERROR, message)))
}

/// Runs `work`; a panic in it comes back as its message and place, and
/// is not printed.
pub fn catching_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let outer = GUARDED.replace(true);
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.set(outer);
    result.map_err(|payload| {
        LAST_PANIC
            .take()
            .unwrap_or_else(|| format!("panicked: {}", payload_text(payload.as_ref())))
    })
}

/// A deliberate panic for the tests, in debug builds only: with
/// `GLANEUR_TEST_PANIC=STAGE:TEXT`, the input whose source contains `TEXT`
/// panics at `STAGE` (`read`, `extract` or `facts`). Release builds have no
/// such hook.
#[cfg(debug_assertions)]
pub fn test_panic(stage: &str, source: &str) {
    if let Ok(spec) = std::env::var("GLANEUR_TEST_PANIC") {
        if let Some((at, needle)) = spec.split_once(':') {
            if at == stage && source.contains(needle) {
                panic!("test panic at {stage} of {source}");
            }
        }
    }
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn test_panic(_stage: &str, _source: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_an_internal_error_with_its_place() {
        install_panic_hook();
        let result: Result<(), _> = catching(|| panic!("boom"));
        let error = result.unwrap_err();
        assert_eq!(error.code, code::INTERNAL_ERROR);
        assert!(error.message.contains("boom"), "{}", error.message);
        assert!(error.message.contains("guard.rs"), "{}", error.message);
    }
}
