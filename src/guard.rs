//! Guards around the work on one input: a panic becomes that input's
//! `internal_error` record, and a runaway extraction its `timeout` record,
//! so that no input can take the batch down.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Condvar, Mutex, Once, PoisonError};
use std::time::Duration;

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

/// Extractions left running past their time limit at most: each still holds
/// a core and its document's memory, so past this many a new document
/// waits for one to end rather than piling up more.
const MAX_STRANDED: usize = 8;

static STRANDED: Mutex<usize> = Mutex::new(0);
static ONE_ENDED: Condvar = Condvar::new();

/// What a stranded thread and its waiter know of each other, read and
/// written under [`STRANDED`]'s lock.
#[derive(Default)]
struct Handoff {
    finished: bool,
    abandoned: bool,
}

/// One piece of guarded work, as the extraction thread runs it.
type Task = Box<dyn FnOnce() + Send>;

thread_local! {
    /// This thread's extraction thread, kept from one document to the next
    /// while none overruns: a thread per document would pay its start, and
    /// every compiled regex would warm a fresh cache for it, on every page.
    static EXTRACTOR: RefCell<Option<mpsc::Sender<Task>>> = const { RefCell::new(None) };
}

/// Runs `work` on this thread's extraction thread, given up after `limit`:
/// a page that makes the parser run away costs one `timeout` record, not
/// the batch. A panic in it is an `internal_error`. The runaway thread is
/// left to finish on its own, and the next work gets a new thread; at most
/// [`MAX_STRANDED`] are left so.
pub fn within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    wait_for_stranded_below(MAX_STRANDED);
    let (send, receive) = mpsc::channel();
    let handoff = Arc::new(Mutex::new(Handoff::default()));
    let theirs = Arc::clone(&handoff);
    // The work moves into the thread; if no thread can take it, it comes
    // back here and runs on this one, without a time limit.
    let slot = Arc::new(Mutex::new(Some(work)));
    let their_slot = Arc::clone(&slot);
    let task: Task = Box::new(move || {
        let work = their_slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(work) = work {
            // The receiver is gone after a timeout; the result is then moot.
            let _ = send.send(catching(work));
        }
        let count = STRANDED.lock().unwrap_or_else(PoisonError::into_inner);
        let mut handoff = theirs.lock().unwrap_or_else(PoisonError::into_inner);
        handoff.finished = true;
        if handoff.abandoned {
            let mut count = count;
            *count -= 1;
            ONE_ENDED.notify_all();
        }
    });
    if !hand_to_extractor(task) {
        let work = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        return match work {
            Some(work) => catching(work),
            None => Err(Failure::new(
                code::INTERNAL_ERROR,
                "the extraction thread lost its work",
            )),
        };
    }
    match receive.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure::new(
            code::INTERNAL_ERROR,
            "the extraction thread ended without a result",
        )),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let mut count = STRANDED.lock().unwrap_or_else(PoisonError::into_inner);
            let mut handoff = handoff.lock().unwrap_or_else(PoisonError::into_inner);
            if handoff.finished {
                // It ended just now: its result is there.
                if let Ok(result) = receive.try_recv() {
                    return result;
                }
            } else {
                handoff.abandoned = true;
                *count += 1;
                // Let go of the stranded thread: it ends after this work,
                // and the next work starts a thread of its own.
                EXTRACTOR.with_borrow_mut(Option::take);
            }
            Err(Failure::new(
                code::TIMEOUT,
                format!("extraction took more than {:.1} s", limit.as_secs_f64()),
            ))
        }
    }
}

/// Gives `task` to this thread's extraction thread, starting one if there
/// is none; false when no thread could be started.
fn hand_to_extractor(task: Task) -> bool {
    EXTRACTOR.with_borrow_mut(|extractor| {
        let task = match extractor.as_ref() {
            Some(tasks) => match tasks.send(task) {
                Ok(()) => return true,
                Err(mpsc::SendError(task)) => task,
            },
            None => task,
        };
        let (tasks, queue) = mpsc::channel::<Task>();
        let started = std::thread::Builder::new()
            .name("glaneur-extract".into())
            .spawn(move || {
                // Ends when its owner lets go of it: the owner ended, or
                // gave up on its work.
                while let Ok(task) = queue.recv() {
                    task();
                }
            });
        if started.is_err() {
            *extractor = None;
            return false;
        }
        let sent = tasks.send(task).is_ok();
        *extractor = Some(tasks);
        sent
    })
}

fn wait_for_stranded_below(max: usize) {
    let count = STRANDED.lock().unwrap_or_else(PoisonError::into_inner);
    let _count = ONE_ENDED
        .wait_while(count, |count| *count >= max)
        .unwrap_or_else(PoisonError::into_inner);
}

/// Extractions running past their time limit now.
#[cfg(test)]
fn stranded() -> usize {
    *STRANDED.lock().unwrap_or_else(PoisonError::into_inner)
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

    #[test]
    fn a_panic_on_the_extraction_thread_is_not_a_timeout() {
        install_panic_hook();
        let result: Result<(), _> = within(Duration::from_secs(10), || panic!("in the thread"));
        let error = result.unwrap_err();
        assert_eq!(error.code, code::INTERNAL_ERROR, "{}", error.message);
        assert!(error.message.contains("in the thread"));
    }

    #[test]
    fn one_extraction_thread_serves_one_work_after_another() {
        let on = || within(Duration::from_secs(10), || Ok(std::thread::current().id())).unwrap();
        let first = on();
        assert_ne!(first, std::thread::current().id());
        assert_eq!(on(), first);
        assert_eq!(on(), first);
    }

    #[test]
    fn runaway_work_is_a_timeout_and_stranded_threads_are_capped() {
        let release = Arc::new((Mutex::new(false), Condvar::new()));
        let stranded_on = Arc::new(Mutex::new(Vec::new()));
        let mut results = Vec::new();
        for _ in 0..MAX_STRANDED {
            let release = Arc::clone(&release);
            let stranded_on = Arc::clone(&stranded_on);
            results.push(within(Duration::from_millis(20), move || {
                stranded_on.lock().unwrap().push(std::thread::current().id());
                let (lock, freed) = &*release;
                drop(freed.wait_while(lock.lock().unwrap(), |free| !*free));
                Ok(())
            }));
        }
        assert!(results
            .iter()
            .all(|r| r.as_ref().is_err_and(|e| e.code == code::TIMEOUT)));
        assert_eq!(stranded(), MAX_STRANDED);
        // The next one waits for a stranded thread to end: let them go from
        // another thread while this one waits.
        let releaser = {
            let release = Arc::clone(&release);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                *release.0.lock().unwrap() = true;
                release.1.notify_all();
            })
        };
        let next = within(Duration::from_secs(10), || Ok(std::thread::current().id())).unwrap();
        releaser.join().unwrap();
        let count = STRANDED.lock().unwrap();
        let count = ONE_ENDED
            .wait_timeout_while(count, Duration::from_secs(10), |c| *c > 0)
            .unwrap()
            .0;
        assert_eq!(*count, 0, "every stranded thread is counted out when it ends");
        let stranded_on = stranded_on.lock().unwrap();
        assert_eq!(stranded_on.len(), MAX_STRANDED);
        assert!(
            !stranded_on.contains(&next),
            "work after a timeout runs on a new thread"
        );
    }
}
