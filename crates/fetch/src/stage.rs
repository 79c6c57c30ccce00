//! The fetch stage: the URLs of a stream of items fetched on threads of
//! their own, `concurrency` requests at once, one request at a time to a
//! host and at its rate, the items handed on in the order they came. A slow
//! host holds back only its own URLs (and, through the bounded lookahead,
//! the output behind them), never the threads that could serve other hosts.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Url;

use crate::{origin, Fetcher};

/// What the stage needs to know of an item.
pub trait Fetchable: Send + 'static {
    /// The URL to fetch, if this item is one.
    fn url(&self) -> Option<&str>;
}

/// An item, and what fetching its URL gave (`None` for items without one).
pub type Done<T, R> = (T, Option<R>);

struct State<T, R> {
    /// Per origin, its URLs in input order, with their sequence numbers.
    queues: HashMap<String, VecDeque<(u64, T)>>,
    /// Origins with a request under way.
    busy: HashSet<String>,
    /// Items done, waiting for the ones before them.
    done: BTreeMap<u64, Done<T, R>>,
    fed: u64,
    next_out: u64,
    input_ended: bool,
}

struct Shared<T, R> {
    state: Mutex<State<T, R>>,
    changed: Condvar,
}

impl<T, R> Shared<T, R> {
    fn lock(&self) -> MutexGuard<'_, State<T, R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the stage over `items`; `fetch` turns a URL into a result and
/// `recover` a panic message into one (a panic costs one item, not the
/// stage). At most `lookahead` items are between input and output.
pub fn fetch_in_order<T, R>(
    items: impl Iterator<Item = T> + Send + 'static,
    fetcher: Arc<Fetcher>,
    fetch: impl Fn(&str) -> R + Send + Sync + 'static,
    recover: fn(String) -> R,
    concurrency: usize,
    lookahead: usize,
) -> std::io::Result<impl Iterator<Item = Done<T, R>>>
where
    T: Fetchable,
    R: Send + 'static,
{
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            queues: HashMap::new(),
            busy: HashSet::new(),
            done: BTreeMap::new(),
            fed: 0,
            next_out: 0,
            input_ended: false,
        }),
        changed: Condvar::new(),
    });
    let lookahead = lookahead.max(1) as u64;
    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("glaneur-fetch-feed".into())
            .spawn(move || feed(items, &shared, lookahead))?;
    }
    let fetch = Arc::new(fetch);
    for _ in 0..concurrency.max(1) {
        let (shared, fetcher, fetch) = (Arc::clone(&shared), Arc::clone(&fetcher), Arc::clone(&fetch));
        std::thread::Builder::new()
            .name("glaneur-fetch".into())
            .spawn(move || work(&shared, &fetcher, &*fetch, recover))?;
    }
    Ok(std::iter::from_fn(move || {
        let mut state = shared.lock();
        loop {
            let next = state.next_out;
            if let Some(item) = state.done.remove(&next) {
                state.next_out += 1;
                shared.changed.notify_all();
                return Some(item);
            }
            if state.input_ended && state.next_out == state.fed {
                return None;
            }
            state = shared.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }))
}

/// Marks the input ended even if reading it panics, so that the output
/// does not wait for items that will never come.
struct EndOfInput<'a, T, R>(&'a Shared<T, R>);

impl<T, R> Drop for EndOfInput<'_, T, R> {
    fn drop(&mut self) {
        self.0.lock().input_ended = true;
        self.0.changed.notify_all();
    }
}

fn feed<T: Fetchable, R>(items: impl Iterator<Item = T>, shared: &Shared<T, R>, lookahead: u64) {
    let _end = EndOfInput(shared);
    for item in items {
        let mut state = shared.lock();
        while state.fed - state.next_out >= lookahead {
            state = shared.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        let seq = state.fed;
        state.fed += 1;
        match item.url().map(host_of) {
            Some(host) => state.queues.entry(host).or_default().push_back((seq, item)),
            None => {
                state.done.insert(seq, (item, None));
            }
        }
        shared.changed.notify_all();
    }
}

fn host_of(url: &str) -> String {
    Url::parse(url).map(|u| origin(&u)).unwrap_or_default()
}

fn work<T: Fetchable, R>(
    shared: &Shared<T, R>,
    fetcher: &Fetcher,
    fetch: &dyn Fn(&str) -> R,
    recover: fn(String) -> R,
) {
    loop {
        let (seq, item, host) = {
            let mut state = shared.lock();
            loop {
                match pick(&state, fetcher) {
                    Pick::Now(host) => {
                        let queue = state.queues.get_mut(&host).expect("a picked host has a queue");
                        let (seq, item) = queue.pop_front().expect("a picked queue is not empty");
                        if queue.is_empty() {
                            state.queues.remove(&host);
                        }
                        state.busy.insert(host.clone());
                        break (seq, item, host);
                    }
                    Pick::Wait(pause) => {
                        state = shared
                            .changed
                            .wait_timeout(state, pause)
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                    }
                    Pick::Idle if state.input_ended => return,
                    Pick::Idle => state = shared.changed.wait(state).unwrap_or_else(PoisonError::into_inner),
                }
            }
        };
        let url = item.url().unwrap_or_default().to_string();
        let result = panic::catch_unwind(AssertUnwindSafe(|| fetch(&url))).unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_string());
            recover(message)
        });
        let mut state = shared.lock();
        state.busy.remove(&host);
        state.done.insert(seq, (item, Some(result)));
        shared.changed.notify_all();
    }
}

enum Pick {
    Now(String),
    Wait(Duration),
    Idle,
}

/// The host to ask next: of the hosts with URLs waiting and no request
/// under way, the one whose turn comes first; the earliest in the input
/// among those whose turn has come.
fn pick<T, R>(state: &State<T, R>, fetcher: &Fetcher) -> Pick {
    let now = Instant::now();
    let mut best: Option<(Instant, u64, &String)> = None;
    for (host, queue) in &state.queues {
        if state.busy.contains(host) {
            continue;
        }
        let Some((seq, _)) = queue.front() else { continue };
        let turn = fetcher.next_slot(host).unwrap_or(now).max(now);
        if best.is_none_or(|(t, s, _)| (turn, *seq) < (t, s)) {
            best = Some((turn, *seq, host));
        }
    }
    match best {
        Some((turn, _, host)) if turn <= now => Pick::Now(host.clone()),
        Some((turn, _, _)) => Pick::Wait(turn - now),
        None => Pick::Idle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FetchOptions;

    struct Item(Option<String>);

    impl Fetchable for Item {
        fn url(&self) -> Option<&str> {
            self.0.as_deref()
        }
    }

    fn run(
        items: Vec<Item>,
        fetch: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> Vec<(Option<String>, Option<String>)> {
        let fetcher = Arc::new(Fetcher::new(FetchOptions::default(), None));
        fetch_in_order(items.into_iter(), fetcher, fetch, |m| format!("panic: {m}"), 3, 8)
            .unwrap()
            .map(|(item, result)| (item.0, result))
            .collect()
    }

    #[test]
    fn items_come_out_in_input_order_with_their_results() {
        let items: Vec<Item> = (0..40)
            .map(|i| Item((i % 3 != 0).then(|| format!("http://h{}.example/{i}", i % 4))))
            .collect();
        let got = run(items, |url| {
            // Later URLs of some hosts answer faster than earlier ones.
            let n: u64 = url.rsplit('/').next().unwrap().parse().unwrap();
            std::thread::sleep(Duration::from_millis((40 - n) % 7));
            url.to_uppercase()
        });
        assert_eq!(got.len(), 40);
        for (i, (url, result)) in got.into_iter().enumerate() {
            match url {
                Some(url) => {
                    assert!(url.ends_with(&format!("/{i}")));
                    assert_eq!(result, Some(url.to_uppercase()));
                }
                None => assert_eq!((i % 3, result), (0, None)),
            }
        }
    }

    #[test]
    fn a_panic_costs_one_item() {
        let items = vec![
            Item(Some("http://a.example/1".into())),
            Item(Some("http://a.example/boom".into())),
            Item(Some("http://b.example/3".into())),
        ];
        let got = run(items, |url| {
            assert!(!url.ends_with("boom"), "planted");
            "ok".to_string()
        });
        let results: Vec<String> = got.into_iter().map(|(_, r)| r.unwrap()).collect();
        assert_eq!(results[0], "ok");
        assert!(results[1].starts_with("panic: "), "{}", results[1]);
        assert_eq!(results[2], "ok");
    }

    #[test]
    fn one_host_is_asked_one_request_at_a_time() {
        let in_flight: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let seen = Arc::clone(&in_flight);
        let items: Vec<Item> = (0..12)
            .map(|i| Item(Some(format!("http://h{}.example/{i}", i % 2))))
            .collect();
        let got = run(items, move |url| {
            let host = url.split('/').nth(2).unwrap().to_string();
            let now = {
                let mut map = seen.lock().unwrap();
                let n = map.entry(host.clone()).or_default();
                *n += 1;
                *n
            };
            std::thread::sleep(Duration::from_millis(5));
            *seen.lock().unwrap().get_mut(&host).unwrap() -= 1;
            now.to_string()
        });
        assert!(got.iter().all(|(_, r)| r.as_deref() == Some("1")), "{got:?}");
    }
}
