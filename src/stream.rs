//! The stream every command runs its documents through: worker threads
//! take items from the input one at a time and work on them; results leave
//! in input order through a reorder buffer. There is no batch barrier: a
//! slow document holds back only the output behind it (at most `window`
//! items between input and output, so memory stays bounded), never the
//! other workers.
//!
//! An item's work may put itself under the time limit ([`Timer::start`]):
//! past it, the item's result is the one it gave for that case, and a new
//! worker takes the stuck one's place. The consumer keeps the time while it
//! waits for results, so no document is handed from one thread to another
//! on its way (a worker that ran each on a thread of its own, to give up
//! on it, woke two sleeping threads a document).

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::guard;

/// Workers left running past their time limit at most: each still holds
/// a core and its document's memory, so past this many no new worker takes
/// a stuck one's place, and the next items wait for one of them to end
/// rather than pile up more.
const MAX_STRANDED: usize = 8;

/// The consumer's shortest wait for a time limit: a limit of zero must not
/// make it spin.
const MIN_WAIT: Duration = Duration::from_millis(1);

/// Items a worker may be ahead of the output by: enough to keep every
/// core busy behind a slow document, few enough to bound memory.
const WINDOW_PER_WORKER: usize = 16;

/// How a stream runs its items.
#[derive(Clone, Copy)]
pub struct Workers {
    /// Threads working at once; the stream's calling thread only consumes.
    pub threads: usize,
    /// Items between input and output at most.
    pub window: usize,
    /// How long an item's timed work may take (see [`Timer::start`]).
    pub time_limit: Duration,
}

impl Workers {
    /// `threads` workers (`--threads`; all cores when not given or 0),
    /// each item's timed work limited to `time_limit`.
    pub fn new(threads: Option<usize>, time_limit: Duration) -> Self {
        let threads = match threads {
            Some(n) if n > 0 => n,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Workers {
            threads,
            window: WINDOW_PER_WORKER * threads,
            time_limit,
        }
    }
}

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
    /// Items whose work runs under the time limit.
    timed: BTreeMap<u64, Timed<R>>,
    /// Items given up on past their limit, their result already handed
    /// out: what their work still returns is dropped.
    abandoned: HashSet<u64>,
    /// Workers taking items, not stranded on an abandoned one; a stranded
    /// worker that ends its item takes items again while fewer than
    /// `threads` do.
    working: usize,
    /// Workers still on an abandoned item.
    stranded: usize,
}

/// An item under the time limit: when it ends, and its result then.
struct Timed<R> {
    deadline: Instant,
    result: R,
}

impl<R> Buffer<R> {
    /// The input has ended and every result read from it has been taken.
    fn finished(&self) -> bool {
        self.input_ended && self.next_out == self.taken
    }

    /// The consumer has something to do: a result to hand out, a failure
    /// to report or the end.
    fn ready(&self) -> bool {
        self.done.contains_key(&self.next_out) || self.failure.is_some() || self.finished()
    }
}

struct Shared<I, R> {
    input: Mutex<I>,
    buffer: Mutex<Buffer<R>>,
    changed: Condvar,
    workers: Workers,
}

impl<I, R> Shared<I, R> {
    fn buffer(&self) -> MutexGuard<'_, Buffer<R>> {
        lock(&self.buffer)
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

fn lock<R>(buffer: &Mutex<Buffer<R>>) -> MutexGuard<'_, Buffer<R>> {
    buffer.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Given to the work on an item, to put it under the stream's time limit.
pub struct Timer<'a, R> {
    buffer: &'a Mutex<Buffer<R>>,
    number: u64,
    limit: Duration,
}

impl<R> Timer<'_, R> {
    /// How long the item's timed work may take.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Starts the item's clock: if its work goes on past the time limit
    /// from now, its result is `result`, and the stream goes on without
    /// it. A work that ends past the limit unnoticed gets `result` too,
    /// so the limit does not depend on when the consumer looks.
    pub fn start(&self, result: R) {
        // A limit past the end of time is none.
        if let Some(deadline) = Instant::now().checked_add(self.limit) {
            lock(self.buffer).timed.insert(self.number, Timed { deadline, result });
        }
    }
}

/// What the workers run on each item.
type Work<T, R> = dyn Fn(T, &Timer<R>) -> R + Send + Sync;

/// Runs `work` on every item of `items` on `workers.threads` threads, and
/// hands each result to `take` in input order, on the calling thread.
/// `idle` is called when the next result is not ready yet, before waiting
/// for it: the moment to flush what was written, so that a reader
/// downstream (a pipe, a filter's caller) gets each result as soon as it is
/// done.
///
/// `work` is meant to turn every failure into a result; if it panics all
/// the same, the stream ends with that panic as its error rather than
/// waiting for a result that will never come. The first error of `take`
/// or `idle` stops the stream and is returned.
pub fn stream<T, R>(
    items: impl Iterator<Item = T> + Send + 'static,
    workers: Workers,
    work: impl Fn(T, &Timer<R>) -> R + Send + Sync + 'static,
    mut take: impl FnMut(R) -> Result<(), String>,
    mut idle: impl FnMut() -> Result<(), String>,
) -> Result<(), String>
where
    T: Send + 'static,
    R: Send + 'static,
{
    let threads = workers.threads.max(1);
    let workers = Workers {
        threads,
        window: workers.window.max(threads),
        ..workers
    };
    let shared = Arc::new(Shared {
        input: Mutex::new(items),
        buffer: Mutex::new(Buffer {
            done: BTreeMap::new(),
            taken: 0,
            next_out: 0,
            input_ended: false,
            stopped: false,
            failure: None,
            timed: BTreeMap::new(),
            abandoned: HashSet::new(),
            working: threads,
            stranded: 0,
        }),
        changed: Condvar::new(),
        workers,
    });
    let work: Arc<Work<T, R>> = Arc::new(work);
    for _ in 0..threads {
        if let Err(e) = start_worker(&shared, &work) {
            stop(&shared);
            return Err(format!("cannot start worker threads: {e}"));
        }
    }
    let result = consume(&shared, &work, &mut take, &mut idle);
    // Workers end at the end of the input. On an error they may be blocked
    // reading an input that never ends (a filter's standard input), and
    // stranded ones may never end: they are left to the process's exit.
    if result.is_err() {
        stop(&shared);
    }
    result
}

fn start_worker<I, T, R>(shared: &Arc<Shared<I, R>>, work: &Arc<Work<T, R>>) -> std::io::Result<()>
where
    I: Iterator<Item = T> + Send + 'static,
    T: Send + 'static,
    R: Send + 'static,
{
    let (theirs, work) = (Arc::clone(shared), Arc::clone(work));
    std::thread::Builder::new()
        .name("glaneur-worker".into())
        .spawn(move || run_worker(&theirs, &*work))
        .map(drop)
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

fn consume<I, T, R>(
    shared: &Arc<Shared<I, R>>,
    work: &Arc<Work<T, R>>,
    take: &mut impl FnMut(R) -> Result<(), String>,
    idle: &mut impl FnMut() -> Result<(), String>,
) -> Result<(), String>
where
    I: Iterator<Item = T> + Send + 'static,
    T: Send + 'static,
    R: Send + 'static,
{
    let mut buffer = shared.buffer();
    loop {
        give_up_overdue(shared, work, &mut buffer);
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
        if !buffer.ready() {
            buffer = wait_or_time_out(shared, buffer);
        }
    }
}

/// Waits for a notice, or until the first time limit: an item that starts
/// its clock later ends later than the limit from now.
fn wait_or_time_out<'a, I, R>(
    shared: &'a Shared<I, R>,
    buffer: MutexGuard<'a, Buffer<R>>,
) -> MutexGuard<'a, Buffer<R>> {
    let first = buffer.timed.values().map(|t| t.deadline).min();
    let wait = first.map_or(shared.workers.time_limit, |d| {
        d.saturating_duration_since(Instant::now())
    });
    shared
        .changed
        .wait_timeout(buffer, wait.max(MIN_WAIT))
        .map(|(buffer, _)| buffer)
        .unwrap_or_else(|e| e.into_inner().0)
}

/// Hands out the result of each item past its time limit, and puts a new
/// worker in the place of each stuck one, [`MAX_STRANDED`] at most.
fn give_up_overdue<I, T, R>(shared: &Arc<Shared<I, R>>, work: &Arc<Work<T, R>>, buffer: &mut Buffer<R>)
where
    I: Iterator<Item = T> + Send + 'static,
    T: Send + 'static,
    R: Send + 'static,
{
    let now = Instant::now();
    let overdue: Vec<u64> = buffer
        .timed
        .iter()
        .filter(|(_, timed)| timed.deadline <= now)
        .map(|(&number, _)| number)
        .collect();
    for number in overdue {
        let Some(timed) = buffer.timed.remove(&number) else {
            continue;
        };
        buffer.done.insert(number, timed.result);
        buffer.abandoned.insert(number);
        buffer.stranded += 1;
        buffer.working -= 1;
        // Without a new worker, the stranded ones take items again as
        // they end.
        if buffer.stranded <= MAX_STRANDED && start_worker(shared, work).is_ok() {
            buffer.working += 1;
        }
    }
}

fn run_worker<I, T, R>(shared: &Shared<I, R>, work: &Work<T, R>)
where
    I: Iterator<Item = T>,
{
    let window = shared.workers.window as u64;
    loop {
        let Some((number, item)) = next_item(shared, window) else {
            shared.buffer().working -= 1;
            return;
        };
        let timer = Timer {
            buffer: &shared.buffer,
            number,
            limit: shared.workers.time_limit,
        };
        let result = guard::catching_panic(|| work(item, &timer));
        let mut buffer = shared.buffer();
        let timed = buffer.timed.remove(&number);
        if buffer.abandoned.remove(&number) {
            // Its result was handed out, and another worker took its place
            // unless too many were stranded.
            buffer.stranded -= 1;
            if buffer.working >= shared.workers.threads {
                return;
            }
            buffer.working += 1;
            continue;
        }
        match result {
            Ok(result) => {
                let result = match timed {
                    Some(timed) if Instant::now() >= timed.deadline => timed.result,
                    _ => result,
                };
                buffer.done.insert(number, result);
                shared.changed.notify_all();
            }
            Err(message) => {
                drop(buffer);
                return shared.fail(in_work(message));
            }
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

    fn timed(threads: usize, window: usize, time_limit: Duration) -> Workers {
        Workers {
            threads,
            window,
            time_limit,
        }
    }

    /// Workers without a time limit to speak of.
    fn untimed(threads: usize, window: usize) -> Workers {
        timed(threads, window, Duration::from_secs(600))
    }

    /// The results of `work` over `items`, in the order the stream hands
    /// them out.
    fn outputs(
        items: impl Iterator<Item = u64> + Send + 'static,
        workers: Workers,
        work: impl Fn(u64, &Timer<u64>) -> u64 + Send + Sync + 'static,
    ) -> Result<Vec<u64>, String> {
        let mut out = Vec::new();
        stream(
            items,
            workers,
            work,
            |r| {
                out.push(r);
                Ok(())
            },
            || Ok(()),
        )?;
        Ok(out)
    }

    fn collect(items: Vec<u64>, workers: usize, window: usize, work: fn(u64) -> u64) -> Result<Vec<u64>, String> {
        outputs(items.into_iter(), untimed(workers, window), move |n, _| work(n))
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
            let _ = send.send(stream(items, untimed(2, 8), |n, _| n, |_| Ok(()), idle));
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
            untimed(2, 4),
            |n, _| n,
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
            let error = stream(items, untimed(workers, 4), |n, _| n, |_| Ok(()), || Ok(())).unwrap_err();
            assert!(error.contains("bad input"), "{error}");
        }
    }

    #[test]
    fn an_error_of_the_consumer_stops_the_stream() {
        let mut seen = 0;
        let error = stream(
            0..u64::MAX,
            untimed(2, 4),
            |n, _| n,
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
            untimed(2, 4),
            move |n, _| work(n),
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

    /// A gate the tests' stuck work waits at.
    #[derive(Default)]
    struct Gate {
        open: Mutex<bool>,
        opened: Condvar,
    }

    impl Gate {
        fn pass(&self) {
            drop(self.opened.wait_while(self.open.lock().unwrap(), |open| !*open));
        }

        fn open(&self) {
            *self.open.lock().unwrap() = true;
            self.opened.notify_all();
        }
    }

    #[test]
    fn work_past_the_time_limit_gets_its_timeout_result_and_the_stream_goes_on() {
        let gate = Arc::new(Gate::default());
        let stuck = Arc::clone(&gate);
        let work = move |n: u64, timer: &Timer<u64>| {
            timer.start(n + 1000);
            if n == 2 {
                stuck.pass();
            }
            n
        };
        let out = outputs(0..5u64, timed(1, 4, Duration::from_millis(50)), work).unwrap();
        gate.open();
        assert_eq!(out, [0, 1, 1002, 3, 4]);
    }

    #[test]
    fn work_that_ends_past_its_limit_gets_its_timeout_result_even_unnoticed() {
        let work = |n: u64, timer: &Timer<u64>| {
            timer.start(n + 1000);
            n
        };
        let out = outputs(0..3u64, timed(2, 4, Duration::ZERO), work).unwrap();
        assert_eq!(out, [1000, 1001, 1002]);
    }

    #[test]
    fn past_the_most_stranded_workers_the_next_items_wait_for_one_to_end() {
        let gate = Arc::new(Gate::default());
        let entered = Arc::new(AtomicUsize::new(0));
        let (stuck, count) = (Arc::clone(&gate), Arc::clone(&entered));
        let work = move |n: u64, timer: &Timer<u64>| {
            timer.start(n + 1000);
            count.fetch_add(1, Ordering::SeqCst);
            stuck.pass();
            n
        };
        // Lets the stuck work go once no more comes in.
        let releaser = {
            let (gate, entered) = (Arc::clone(&gate), Arc::clone(&entered));
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(60);
                while entered.load(Ordering::SeqCst) <= MAX_STRANDED && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                std::thread::sleep(Duration::from_millis(200));
                let stuck_at_once = entered.load(Ordering::SeqCst);
                gate.open();
                stuck_at_once
            })
        };
        let out = outputs(0..12u64, timed(1, 16, Duration::from_millis(20)), work).unwrap();
        // The worker and one in the place of each of the first stranded.
        assert_eq!(releaser.join().unwrap(), MAX_STRANDED + 1);
        let timed_out = MAX_STRANDED as u64 + 1;
        let expected: Vec<u64> = (0..12).map(|n| if n < timed_out { n + 1000 } else { n }).collect();
        assert_eq!(out, expected);
    }
}
