//! The stream every command runs its documents through: `workers` threads
//! take items from the input one at a time and work on them; results leave
//! in input order through a reorder buffer. There is no batch barrier: a
//! slow document holds back only the output behind it (at most `window`
//! items between input and output, so memory stays bounded), never the
//! other workers.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::guard;

/// Where the results stand, shared by the workers and the consumer.
struct Buffer<R> {
    /// Results done, waiting for the ones before them.
    done: BTreeMap<u64, R>,
    /// Items taken from the input so far; the next one gets this number.
    taken: u64,
    /// The number of the next result to hand out.
    next_out: u64,
    input_ended: bool,
    /// Set when the consumer gives up: workers take no more items.
    stopped: bool,
    /// Why the stream cannot go on (reading the input or a worker panicked).
    failure: Option<String>,
}

impl<R> Buffer<R> {
    /// The input has ended and every result read from it has been taken.
    fn finished(&self) -> bool {
        self.input_ended && self.next_out == self.taken
    }
}

struct Shared<I, R> {
    input: Mutex<I>,
    buffer: Mutex<Buffer<R>>,
    changed: Condvar,
}

impl<I, R> Shared<I, R> {
    fn buffer(&self) -> MutexGuard<'_, Buffer<R>> {
        self.buffer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, buffer: MutexGuard<'a, Buffer<R>>) -> MutexGuard<'a, Buffer<R>> {
        self.changed.wait(buffer).unwrap_or_else(PoisonError::into_inner)
    }

    fn fail(&self, message: String) {
        let mut buffer = self.buffer();
        buffer.failure.get_or_insert(message);
        buffer.input_ended = true;
        self.changed.notify_all();
    }
}

/// Runs `work` on every item of `items` on `workers` threads (on the
/// calling thread when `workers` is 1, so that one worker is one core),
/// and hands each result to `take` in input order. `idle` is called when
/// the next result is not ready yet, before waiting for it: the moment to
/// flush what was written, so that a reader downstream (a pipe, a filter's
/// caller) gets each result as soon as it is done.
///
/// `work` is meant to turn every failure into a result; if it panics all
/// the same, the stream ends with that panic as its error rather than
/// waiting for a result that will never come. The first error of `take`
/// or `idle` stops the stream and is returned.
pub fn stream<T, R>(
    items: impl Iterator<Item = T> + Send + 'static,
    workers: usize,
    window: usize,
    work: impl Fn(T) -> R + Send + Sync + 'static,
    mut take: impl FnMut(R) -> Result<(), String>,
    mut idle: impl FnMut() -> Result<(), String>,
) -> Result<(), String>
where
    T: Send + 'static,
    R: Send + 'static,
{
    if workers <= 1 {
        let mut items = items;
        loop {
            // The next item may be long to come (a filter's standard input).
            idle()?;
            match guard::catching_panic(|| items.next()) {
                Ok(Some(item)) => take(guard::catching_panic(|| work(item)).map_err(in_work)?)?,
                Ok(None) => return Ok(()),
                Err(message) => return Err(in_input(message)),
            }
        }
    }
    let shared = Arc::new(Shared {
        input: Mutex::new(items),
        buffer: Mutex::new(Buffer {
            done: BTreeMap::new(),
            taken: 0,
            next_out: 0,
            input_ended: false,
            stopped: false,
            failure: None,
        }),
        changed: Condvar::new(),
    });
    let work = Arc::new(work);
    let window = window.max(workers) as u64;
    let mut threads = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (theirs, work) = (Arc::clone(&shared), Arc::clone(&work));
        let thread = std::thread::Builder::new()
            .name("glaneur-worker".into())
            .spawn(move || run_worker(&theirs, &*work, window));
        match thread {
            Ok(thread) => threads.push(thread),
            Err(e) => {
                stop(&shared);
                return Err(format!("cannot start worker threads: {e}"));
            }
        }
    }
    let result = consume(&shared, &mut take, &mut idle);
    if result.is_err() {
        // Workers may be blocked reading an input that never ends (a
        // filter's standard input): they are left to the process's exit.
        stop(&shared);
        return result;
    }
    for thread in threads {
        thread.join().map_err(|_| "a worker thread failed".to_string())?;
    }
    result
}

fn stop<I, R>(shared: &Shared<I, R>) {
    shared.buffer().stopped = true;
    shared.changed.notify_all();
}

fn in_input(message: String) -> String {
    format!("reading the inputs failed: {message}")
}

fn in_work(message: String) -> String {
    format!("a worker failed: {message}")
}

fn consume<I, R>(
    shared: &Shared<I, R>,
    take: &mut impl FnMut(R) -> Result<(), String>,
    idle: &mut impl FnMut() -> Result<(), String>,
) -> Result<(), String> {
    let mut buffer = shared.buffer();
    loop {
        let next = buffer.next_out;
        if let Some(result) = buffer.done.remove(&next) {
            buffer.next_out += 1;
            shared.changed.notify_all();
            drop(buffer);
            take(result)?;
            buffer = shared.buffer();
            continue;
        }
        if let Some(failure) = &buffer.failure {
            return Err(failure.clone());
        }
        if buffer.finished() {
            return Ok(());
        }
        drop(buffer);
        idle()?;
        buffer = shared.buffer();
        // The result, a failure or the end of the input may have come
        // while `idle` ran, and its notice with it: waiting now would wait
        // for a notice already given.
        if !buffer.done.contains_key(&buffer.next_out) && buffer.failure.is_none() && !buffer.finished() {
            buffer = shared.wait(buffer);
        }
    }
}

fn run_worker<I, T, R>(shared: &Shared<I, R>, work: &(impl Fn(T) -> R + ?Sized), window: u64)
where
    I: Iterator<Item = T>,
{
    loop {
        let Some((number, item)) = next_item(shared, window) else {
            return;
        };
        match guard::catching_panic(|| work(item)) {
            Ok(result) => {
                let mut buffer = shared.buffer();
                buffer.done.insert(number, result);
                shared.changed.notify_all();
            }
            Err(message) => return shared.fail(in_work(message)),
        }
    }
}

/// The next item and its number, once the window has room for it; `None`
/// at the end of the input or when the stream stops. The input's lock is
/// held while waiting for room, so that items are numbered in the order
/// they are read.
fn next_item<I, T, R>(shared: &Shared<I, R>, window: u64) -> Option<(u64, T)>
where
    I: Iterator<Item = T>,
{
    let mut input = shared.input.lock().unwrap_or_else(PoisonError::into_inner);
    {
        let mut buffer = shared.buffer();
        while !buffer.stopped && !buffer.input_ended && buffer.taken - buffer.next_out >= window {
            buffer = shared.wait(buffer);
        }
        if buffer.stopped || buffer.input_ended {
            return None;
        }
    }
    match guard::catching_panic(|| input.next()) {
        Ok(Some(item)) => {
            let mut buffer = shared.buffer();
            let number = buffer.taken;
            buffer.taken += 1;
            Some((number, item))
        }
        Ok(None) => {
            shared.buffer().input_ended = true;
            shared.changed.notify_all();
            None
        }
        Err(message) => {
            shared.fail(in_input(message));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn collect(items: Vec<u64>, workers: usize, window: usize, work: fn(u64) -> u64) -> Result<Vec<u64>, String> {
        let mut out = Vec::new();
        stream(
            items.into_iter(),
            workers,
            window,
            work,
            |r| {
                out.push(r);
                Ok(())
            },
            || Ok(()),
        )?;
        Ok(out)
    }

    /// A filter's input may end while the output is being flushed, after
    /// the last result was taken: the stream ends then, it does not wait
    /// for a result that will never come.
    #[test]
    fn the_input_ending_while_the_output_is_flushed_ends_the_stream() {
        let (send, ended) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut read = 0;
            // One item at once; the end of the input 300 ms later.
            let items = std::iter::from_fn(move || {
                read += 1;
                if read > 1 {
                    std::thread::sleep(Duration::from_millis(300));
                }
                (read == 1).then_some(1u64)
            });
            let mut flushes = 0;
            // The flush after the first result lasts past the end of the input.
            let idle = move || {
                flushes += 1;
                if flushes > 1 {
                    std::thread::sleep(Duration::from_millis(600));
                }
                Ok(())
            };
            let _ = send.send(stream(items, 2, 8, |n| n, |_| Ok(()), idle));
        });
        // The limit only turns a hang into a failure.
        let result = ended.recv_timeout(Duration::from_secs(60)).expect("the stream ends");
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn results_leave_in_input_order_whatever_order_they_finish_in() {
        let slow_first = |n: u64| {
            std::thread::sleep(Duration::from_millis(if n % 5 == 0 { 30 } else { 1 }));
            n * 10
        };
        let expected: Vec<u64> = (0..40).map(|n| n * 10).collect();
        for workers in [1, 2, 4] {
            assert_eq!(collect((0..40).collect(), workers, 8, slow_first).unwrap(), expected);
        }
    }

    #[test]
    fn a_slow_item_does_not_stop_the_other_workers() {
        // With batches, item 0 would hold every worker until it ends; here
        // the other workers go on through the window behind it.
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let work = |n: u64| {
            if n == 0 {
                let deadline = std::time::Instant::now() + Duration::from_secs(10);
                while STARTED.load(Ordering::SeqCst) < 6 && std::time::Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(1));
                }
            } else {
                STARTED.fetch_add(1, Ordering::SeqCst);
            }
            n
        };
        assert_eq!(
            collect((0..7).collect(), 3, 8, work).unwrap(),
            (0..7).collect::<Vec<_>>()
        );
        assert!(STARTED.load(Ordering::SeqCst) >= 6);
    }

    #[test]
    fn no_more_than_the_window_is_taken_ahead_of_the_output() {
        static READ: AtomicUsize = AtomicUsize::new(0);
        let items = (0..100u64).inspect(|_| {
            READ.fetch_add(1, Ordering::SeqCst);
        });
        let mut written = 0usize;
        let mut widest = 0usize;
        stream(
            items,
            2,
            4,
            |n| n,
            |_| {
                written += 1;
                widest = widest.max(READ.load(Ordering::SeqCst) - written);
                Ok(())
            },
            || Ok(()),
        )
        .unwrap();
        assert_eq!(written, 100);
        assert!(widest <= 4, "{widest} items between input and output");
    }

    #[test]
    fn a_panicking_worker_ends_the_stream_with_an_error_not_a_hang() {
        let boom = |n: u64| if n == 3 { panic!("boom at three") } else { n };
        for workers in [1, 2] {
            let error = collect((0..10).collect(), workers, 4, boom).unwrap_err();
            assert!(error.contains("boom at three"), "{error}");
        }
    }

    #[test]
    fn a_panicking_input_ends_the_stream_with_an_error() {
        for workers in [1, 2] {
            let items = (0..10u64).map(|n| if n == 5 { panic!("bad input") } else { n });
            let error = stream(items, workers, 4, |n| n, |_| Ok(()), || Ok(())).unwrap_err();
            assert!(error.contains("bad input"), "{error}");
        }
    }

    #[test]
    fn an_error_of_the_consumer_stops_the_stream() {
        let mut seen = 0;
        let error = stream(
            0..u64::MAX,
            2,
            4,
            |n| n,
            |_| {
                seen += 1;
                if seen == 3 {
                    Err("disk full".to_string())
                } else {
                    Ok(())
                }
            },
            || Ok(()),
        )
        .unwrap_err();
        assert_eq!(error, "disk full");
    }

    #[test]
    fn idle_is_called_before_waiting_for_a_result() {
        let idles = AtomicUsize::new(0);
        let work = |n: u64| {
            std::thread::sleep(Duration::from_millis(20));
            n
        };
        let mut out = Vec::new();
        stream(
            0..3u64,
            2,
            4,
            work,
            |r| {
                out.push(r);
                Ok(())
            },
            || {
                idles.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(out, vec![0, 1, 2]);
        assert!(idles.load(Ordering::SeqCst) >= 1);
    }
}
