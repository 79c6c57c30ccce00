//! Fetching pages as a careful crawler would: robots.txt obeyed per host
//! (cached, `Crawl-delay` honoured, kept in the WARC file), a per-host rate,
//! retries with exponential backoff and jitter on connection errors, 429 and
//! 5xx (`Retry-After` in seconds or as an HTTP date honoured, capped),
//! redirects followed by hand (at most 10, `http`/`https` only, loops
//! refused), bodies capped while they stream, private addresses refused by
//! the resolver itself, and every exchange kept in a WARC file.

pub mod discover;
mod resolve;
mod robots;
pub mod stage;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::IpAddr;
// A lock poisoned by one worker's panic still guards sound data (a cache, a
// schedule, a file that the WARC reader resyncs past a torn record): the
// other workers go on with it rather than panic in turn.
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use glaneur_warc::http;
use reqwest::header::ACCEPT_ENCODING;
use reqwest::Url;

pub use glaneur_warc::{now as warc_now, Exchange, WarcWriter};
pub use robots::Robots;

use resolve::{is_private, CheckedResolver, Refusal};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub user_agent: String,
    /// Requests a second to one host, at most.
    pub per_host_rate: f64,
    /// The whole request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_bytes: u64,
    pub retries: u32,
    /// The first retry waits about this long; each next one twice as long.
    pub retry_base: Duration,
    /// The longest `Retry-After` obeyed.
    pub max_retry_after: Duration,
    /// Refuse loopback, link-local and private addresses.
    pub deny_private: bool,
}

/// The body size kept by default: what an article may weigh
/// (`glaneur_articles::MAX_INPUT_BYTES`, which the command passes in).
pub const DEFAULT_MAX_BYTES: u64 = 32 * 1024 * 1024;

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            user_agent: concat!("glaneur/", env!("CARGO_PKG_VERSION"), " (news fact extraction)").to_string(),
            per_host_rate: 1.0,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: DEFAULT_MAX_BYTES,
            retries: 2,
            retry_base: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            deny_private: false,
        }
    }
}

/// A page fetched: the last response of its redirect chain.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL as asked for.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    pub status: u16,
    /// When the final response came (`WARC-Date` form).
    pub date: String,
    /// The body with its content encoding undone.
    pub body: Vec<u8>,
    /// The charset of its `Content-Type`.
    pub charset: Option<String>,
    /// Offset of the final response record in the WARC file.
    pub warc_offset: Option<u64>,
}

/// Why a fetch failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An answer other than 2xx.
    HttpStatus,
    RobotsDenied,
    /// Redirects that loop, or too many of them.
    RedirectLoop,
    /// A redirect to an address that is not `http` or `https`.
    BadRedirect,
    /// The host name does not resolve.
    Dns,
    /// The connection failed or was closed early.
    Connection,
    /// Not an `http` or `https` address.
    BadUrl,
    /// A private, loopback or link-local address under `deny_private`.
    PrivateAddress,
    Timeout,
    /// A body over `max_bytes`.
    TooLarge,
    /// A feed or sitemap that cannot be read as one.
    BadRecord,
    /// A gzipped sitemap that cannot be gunzipped.
    BadGzip,
    /// A body whose `Content-Encoding` cannot be undone.
    BadEncoding,
    /// The WARC file could not be written.
    WriteFailed,
    /// The fetch panicked (a bug); the message says where.
    Internal,
}

impl ErrorKind {
    /// The stable code of the README's error table.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::RobotsDenied => "robots_denied",
            ErrorKind::RedirectLoop => "redirect_loop",
            ErrorKind::BadRedirect => "bad_redirect",
            ErrorKind::Dns => "dns",
            ErrorKind::Connection => "connection",
            ErrorKind::BadUrl => "bad_url",
            ErrorKind::PrivateAddress => "private_address",
            ErrorKind::Timeout => "timeout",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::BadRecord => "bad_record",
            ErrorKind::BadGzip => "bad_gzip",
            ErrorKind::BadEncoding => "bad_encoding",
            ErrorKind::WriteFailed => "write_failed",
            ErrorKind::Internal => "internal_error",
        }
    }
}

/// A failed fetch, with the WARC offset of the last response if there was one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", kind.code())]
pub struct FetchError {
    pub kind: ErrorKind,
    pub message: String,
    pub final_url: Option<String>,
    pub status: Option<u16>,
    pub warc_offset: Option<u64>,
}

impl FetchError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            final_url: None,
            status: None,
            warc_offset: None,
        }
    }
}

/// What an origin's robots.txt said, or why it could not be read.
type RobotsAnswer = Result<Robots, FetchError>;

/// Shared by all fetching threads.
pub struct Fetcher {
    /// Built at the first request: a run without URLs starts no client.
    client: OnceLock<Result<reqwest::blocking::Client, String>>,
    options: FetchOptions,
    /// Per origin, its robots.txt, fetched once even when many threads
    /// ask for it at the same time.
    robots: Mutex<HashMap<String, Arc<OnceLock<RobotsAnswer>>>>,
    /// Per host: when its next request may start, and the interval.
    schedule: Mutex<HashMap<String, Instant>>,
    warc: Option<Mutex<WarcWriter>>,
}

/// One response as received.
struct Response {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    raw_body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        http::header(&self.headers, name)
    }
}

impl Fetcher {
    pub fn new(options: FetchOptions, warc: Option<WarcWriter>) -> Self {
        Self {
            client: OnceLock::new(),
            options,
            robots: Mutex::new(HashMap::new()),
            schedule: Mutex::new(HashMap::new()),
            warc: warc.map(Mutex::new),
        }
    }

    /// The HTTP client: no redirects of its own (they are followed by hand,
    /// each one checked), no decompression (the WARC file keeps bodies as
    /// received), and a resolver that refuses private addresses when asked.
    fn client(&self) -> Result<&reqwest::blocking::Client, FetchError> {
        self.client
            .get_or_init(|| {
                // rustls takes its crypto from the process default; ring is
                // the one compiled in. `Err` means one is installed already.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::blocking::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(self.options.timeout)
                    .connect_timeout(self.options.connect_timeout)
                    .user_agent(self.options.user_agent.as_str())
                    .dns_resolver(Arc::new(CheckedResolver {
                        deny_private: self.options.deny_private,
                    }))
                    .build()
                    .map_err(|e| format!("cannot start the HTTP client: {e}"))
            })
            .as_ref()
            .map_err(|message| FetchError::new(ErrorKind::Connection, message.clone()))
    }

    /// Fetches `url`, following redirects; `Ok` only for a 2xx page.
    pub fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let mut current = url.to_string();
        let mut seen = HashSet::new();
        let mut last: Option<(String, u16, Option<u64>)> = None;
        let with_last = |mut e: FetchError, last: &Option<(String, u16, Option<u64>)>| {
            if let Some((u, s, o)) = last {
                e.final_url = Some(u.clone());
                e.status = e.status.or(Some(*s));
                e.warc_offset = e.warc_offset.or(*o);
            }
            e
        };
        for _ in 0..=MAX_REDIRECTS {
            if !seen.insert(current.clone()) {
                return Err(with_last(
                    FetchError::new(ErrorKind::RedirectLoop, format!("redirected back to {current}")),
                    &last,
                ));
            }
            let uri = parse_http_uri(&current).map_err(|e| with_last(e, &last))?;
            self.check_address(&uri).map_err(|e| with_last(e, &last))?;
            self.check_robots(&uri).map_err(|e| with_last(e, &last))?;
            let (response, date, offset) = self.get_with_retries(&uri).map_err(|e| with_last(e, &last))?;
            last = Some((current.clone(), response.status, offset));
            if (300..400).contains(&response.status) {
                if let Some(location) = response.header("Location") {
                    let next = resolve_location(&uri, location);
                    if !(next.starts_with("http://") || next.starts_with("https://")) {
                        return Err(with_last(
                            FetchError::new(
                                ErrorKind::BadRedirect,
                                format!("redirect to a non-HTTP address: {next}"),
                            ),
                            &last,
                        ));
                    }
                    current = next;
                    continue;
                }
            }
            if !(200..300).contains(&response.status) {
                let message = format!("HTTP {} {}", response.status, response.reason);
                return Err(with_last(FetchError::new(ErrorKind::HttpStatus, message), &last));
            }
            let body = decode_body(&response.raw_body, response.header("Content-Encoding"))
                .map_err(|e| with_last(e, &last))?;
            return Ok(Fetched {
                url: url.to_string(),
                final_url: current,
                status: response.status,
                date,
                body,
                charset: response
                    .header("Content-Type")
                    .and_then(http::charset)
                    .map(str::to_string),
                warc_offset: offset,
            });
        }
        Err(with_last(
            FetchError::new(ErrorKind::RedirectLoop, format!("more than {MAX_REDIRECTS} redirects")),
            &last,
        ))
    }

    /// Refuses a private address written in the URL itself; names are
    /// checked by the resolver, on the addresses it connects to.
    fn check_address(&self, uri: &Url) -> Result<(), FetchError> {
        if !self.options.deny_private {
            return Ok(());
        }
        let ip = match uri.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        if is_private(ip) {
            return Err(FetchError::new(
                ErrorKind::PrivateAddress,
                format!("{ip} is a private address"),
            ));
        }
        Ok(())
    }

    fn check_robots(&self, uri: &Url) -> Result<(), FetchError> {
        let origin = origin(uri);
        let cell = Arc::clone(
            self.robots
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(origin.clone())
                .or_default(),
        );
        let robots = cell
            .get_or_init(|| self.fetch_robots(&origin))
            .as_ref()
            .map_err(Clone::clone)?;
        let path = path_and_query(uri);
        if robots.allows(path) {
            Ok(())
        } else {
            Err(FetchError::new(
                ErrorKind::RobotsDenied,
                format!("robots.txt of {origin} disallows {path}"),
            ))
        }
    }

    /// robots.txt of an origin: its rules on 2xx, everything allowed on
    /// 4xx (no file), nothing allowed when the server fails (5xx), as
    /// careful crawlers do; an error when the host cannot be reached. The
    /// exchange goes into the WARC file like any other, so that a rerun
    /// from it knows what was allowed.
    fn fetch_robots(&self, origin: &str) -> Result<Robots, FetchError> {
        let Ok(uri) = Url::parse(&format!("{origin}/robots.txt")) else {
            return Ok(Robots::allow_all());
        };
        self.wait_for_slot(&uri);
        // A host that cannot be reached is reported as such (`dns`,
        // `connection`, `timeout`) for each of its pages, not as a denial.
        let (response, _, _) = self.get_once(&uri)?;
        let body = decode_body(&response.raw_body, response.header("Content-Encoding")).unwrap_or_default();
        let text = String::from_utf8_lossy(&body[..body.len().min(512 * 1024)]).into_owned();
        Ok(match response.status {
            200..=299 => Robots::parse(&text, &self.options.user_agent),
            400..=499 => Robots::allow_all(),
            _ => Robots::parse("User-agent: *\nDisallow: /\n", &self.options.user_agent),
        })
    }

    /// Waits for the host's next slot: one request every `1 / rate`
    /// seconds, or its robots.txt `Crawl-delay` if longer.
    fn wait_for_slot(&self, uri: &Url) {
        let host = origin(uri);
        let delay = self
            .robots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&host)
            .and_then(|r| r.get())
            .and_then(|r| r.as_ref().ok())
            .and_then(|r| r.crawl_delay);
        let interval =
            Duration::from_secs_f64(1.0 / self.options.per_host_rate.max(1e-3)).max(delay.unwrap_or_default());
        let wait = {
            let mut schedule = self.schedule.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = schedule.get(&host).copied().filter(|s| *s > now).unwrap_or(now);
            schedule.insert(host, slot + interval);
            slot - now
        };
        std::thread::sleep(wait);
    }

    fn get_with_retries(&self, uri: &Url) -> Result<(Response, String, Option<u64>), FetchError> {
        let mut attempt = 0;
        loop {
            self.wait_for_slot(uri);
            let result = self.get_once(uri);
            let retry_after = match &result {
                Ok((r, _, _)) if r.status == 429 || r.status >= 500 => {
                    Some(r.header("Retry-After").and_then(|v| retry_after(v, SystemTime::now())))
                }
                Err(e) if matches!(e.kind, ErrorKind::Connection | ErrorKind::Timeout) => Some(None),
                _ => None,
            };
            match retry_after {
                Some(after) if attempt < self.options.retries => {
                    let backoff = self.options.retry_base * 2u32.pow(attempt);
                    let pause = after.map_or_else(|| jitter(backoff), |a| a.min(self.options.max_retry_after));
                    std::thread::sleep(pause);
                    attempt += 1;
                }
                _ => return result,
            }
        }
    }

    fn get_once(&self, uri: &Url) -> Result<(Response, String, Option<u64>), FetchError> {
        let request_head = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n",
            path_and_query(uri),
            authority(uri),
            self.options.user_agent
        );
        let response = self
            .client()?
            .get(uri.clone())
            .header(ACCEPT_ENCODING, "gzip, deflate, br")
            .send()
            .map_err(map_error)?;
        let date = warc_now();
        let status = response.status();
        let too_large = || {
            FetchError::new(
                ErrorKind::TooLarge,
                format!(
                    "the body is over the {} bytes allowed (--max-bytes)",
                    self.options.max_bytes
                ),
            )
        };
        if response.content_length().is_some_and(|n| n > self.options.max_bytes) {
            return Err(too_large());
        }
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut raw_body = Vec::new();
        // Capped while it streams: one byte over the cap is enough to know.
        if let Err(e) = response.take(self.options.max_bytes + 1).read_to_end(&mut raw_body) {
            return Err(map_read_error(e, raw_body.len()));
        }
        if raw_body.len() as u64 > self.options.max_bytes {
            return Err(too_large());
        }
        let response = Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers,
            raw_body,
        };
        let offset = match &self.warc {
            Some(warc) => {
                let head = response_head(&response);
                let exchange = Exchange {
                    uri: uri.as_str(),
                    date: &date,
                    request: request_head.as_bytes(),
                    response_head: head.as_bytes(),
                    response_body: &response.raw_body,
                };
                let at = warc
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .write(&exchange)
                    .map_err(|e| FetchError::new(ErrorKind::WriteFailed, format!("cannot write the WARC file: {e}")))?;
                Some(at)
            }
            None => None,
        };
        Ok((response, date, offset))
    }

    /// When `host` (an origin, `https://a.example`) may next be asked:
    /// the fetch stage hands out the hosts that are ready first.
    pub fn next_slot(&self, host: &str) -> Option<Instant> {
        self.schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(host)
            .copied()
    }
}

/// The response's status line and headers as stored: the body is kept
/// whole, so no `Transfer-Encoding` and its real `Content-Length`.
fn response_head(r: &Response) -> String {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, r.reason);
    for (name, value) in &r.headers {
        if !name.eq_ignore_ascii_case("transfer-encoding") && !name.eq_ignore_ascii_case("content-length") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", r.raw_body.len()));
    head
}

/// The error code of a failed request, from the error's kind and its
/// causes (the resolver's own refusals), never from message text.
fn map_error(e: reqwest::Error) -> FetchError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        if let Some(refusal) = c.downcast_ref::<Refusal>() {
            let code = match refusal {
                Refusal::Unresolved { .. } => ErrorKind::Dns,
                Refusal::Private { .. } => ErrorKind::PrivateAddress,
            };
            return FetchError::new(code, refusal.to_string());
        }
        cause = c.source();
    }
    if e.is_timeout() {
        FetchError::new(ErrorKind::Timeout, "the request took longer than --timeout")
    } else if e.is_builder() {
        FetchError::new(ErrorKind::BadUrl, e.to_string())
    } else {
        FetchError::new(ErrorKind::Connection, error_chain(&e))
    }
}

/// An error and its causes, for a message: reqwest's own says little.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn map_read_error(e: std::io::Error, received: usize) -> FetchError {
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout);
    if timed_out {
        return FetchError::new(ErrorKind::Timeout, "the request took longer than --timeout");
    }
    FetchError::new(
        ErrorKind::Connection,
        format!(
            "the connection failed after {received} bytes of body: {}",
            error_chain(&e)
        ),
    )
}

fn parse_http_uri(url: &str) -> Result<Url, FetchError> {
    let uri = Url::parse(url).map_err(|e| FetchError::new(ErrorKind::BadUrl, format!("{url}: {e}")))?;
    match uri.scheme() {
        "http" | "https" if uri.host().is_some() => Ok(uri),
        _ => Err(FetchError::new(
            ErrorKind::BadUrl,
            format!("{url}: only http and https addresses are fetched"),
        )),
    }
}

/// `https://a.example:8080`: what robots.txt and the per-host rate go by.
pub fn origin(uri: &Url) -> String {
    format!("{}://{}", uri.scheme(), authority(uri))
}

fn authority(uri: &Url) -> String {
    let host = uri.host_str().unwrap_or("");
    match uri.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn path_and_query(uri: &Url) -> &str {
    &uri[url::Position::BeforePath..url::Position::AfterQuery]
}

/// A `Location` resolved against the URL it came from.
fn resolve_location(base: &Url, location: &str) -> String {
    base.join(location.trim())
        .map(String::from)
        .unwrap_or_else(|_| location.trim().to_string())
}

/// How long a `Retry-After` asks to wait: seconds, or an HTTP date.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    value.parse::<u64>().ok().map(Duration::from_secs).or_else(|| {
        httpdate::parse_http_date(value)
            .ok()
            .map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
    })
}

/// `d` plus up to half of it again, so that retries spread out.
fn jitter(d: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos());
    let mut x = nanos ^ 0x9e37_79b9;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    d + d.mul_f64((x % 1000) as f64 / 2000.0)
}

/// The body with its `Content-Encoding` undone.
fn decode_body(raw: &[u8], encoding: Option<&str>) -> Result<Vec<u8>, FetchError> {
    http::decode_content(raw, encoding).map_err(|error| FetchError::new(ErrorKind::BadEncoding, error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let base = Url::parse("http://a.example/news/2022/story.html?x=1").unwrap();
        for (location, expected) in [
            ("https://b.example/x", "https://b.example/x"),
            ("//c.example/y", "http://c.example/y"),
            ("/top", "http://a.example/top"),
            ("next.html", "http://a.example/news/2022/next.html"),
            ("../up.html", "http://a.example/news/up.html"),
        ] {
            assert_eq!(resolve_location(&base, location), expected, "{location}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_an_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        for (value, expected) in [
            ("120", Some(120)),
            (" 3 ", Some(3)),
            ("Sun, 06 Nov 1994 08:50:07 GMT", Some(30)),
            ("Sun, 06 Nov 1994 08:00:00 GMT", Some(0)),
            ("soon", None),
        ] {
            assert_eq!(retry_after(value, now).map(|d| d.as_secs()), expected, "{value}");
        }
    }

    #[test]
    fn origins_and_paths() {
        let uri = Url::parse("https://a.example:8443/x/y?q=1#frag").unwrap();
        assert_eq!(origin(&uri), "https://a.example:8443");
        assert_eq!(path_and_query(&uri), "/x/y?q=1");
        let uri = Url::parse("http://b.example").unwrap();
        assert_eq!((origin(&uri).as_str(), path_and_query(&uri)), ("http://b.example", "/"));
    }
}
