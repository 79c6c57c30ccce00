//! Fetching pages as a careful crawler would: robots.txt obeyed per host
//! (cached, `Crawl-delay` honoured), a per-host rate, retries with
//! exponential backoff and jitter on connection errors, 429 and 5xx
//! (`Retry-After` honoured, capped), redirects followed by hand (at most 10,
//! `http`/`https` only, loops refused), bodies capped, and every exchange
//! kept in a WARC file.

pub mod discover;
mod robots;
mod warc_writer;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::{IpAddr, ToSocketAddrs};
// A lock poisoned by one worker's panic still guards sound data (a cache, a
// schedule, a file that the WARC reader resyncs past a torn record): the
// other workers go on with it rather than panic in turn.
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ureq::http::Uri;

pub use robots::Robots;
pub use warc_writer::{now as warc_now, Exchange, WarcWriter};

use crate::{ArticleError, ErrorCode};

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

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            user_agent: concat!("glaneur/", env!("CARGO_PKG_VERSION"), " (news fact extraction)").to_string(),
            per_host_rate: 1.0,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: crate::MAX_INPUT_BYTES as u64,
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

/// A failed fetch, with the WARC offset of the last response if there was one.
#[derive(Debug, Clone)]
pub struct FetchError {
    pub error: ArticleError,
    pub final_url: Option<String>,
    pub status: Option<u16>,
    pub warc_offset: Option<u64>,
}

impl FetchError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ArticleError::new(code, message),
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
    agent: ureq::Agent,
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
        crate::http::header(&self.headers, name)
    }
}

impl Fetcher {
    pub fn new(options: FetchOptions, warc: Option<WarcWriter>) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .user_agent(options.user_agent.as_str())
            .build();
        Self {
            agent: ureq::Agent::new_with_config(config),
            options,
            robots: Mutex::new(HashMap::new()),
            schedule: Mutex::new(HashMap::new()),
            warc: warc.map(Mutex::new),
        }
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
                    FetchError::new(ErrorCode::RedirectLoop, format!("redirected back to {current}")),
                    &last,
                ));
            }
            let uri = parse_http_uri(&current).map_err(|e| with_last(e, &last))?;
            self.check_address(&uri).map_err(|e| with_last(e, &last))?;
            self.check_robots(&uri).map_err(|e| with_last(e, &last))?;
            let (response, date, offset) = self.get_with_retries(&current, &uri).map_err(|e| with_last(e, &last))?;
            last = Some((current.clone(), response.status, offset));
            if (300..400).contains(&response.status) {
                if let Some(location) = response.header("Location") {
                    let next = resolve(&uri, location);
                    if !(next.starts_with("http://") || next.starts_with("https://")) {
                        return Err(with_last(
                            FetchError::new(
                                ErrorCode::BadRedirect,
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
                return Err(with_last(FetchError::new(ErrorCode::HttpStatus, message), &last));
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
                    .and_then(crate::http::charset)
                    .map(str::to_string),
                warc_offset: offset,
            });
        }
        Err(with_last(
            FetchError::new(ErrorCode::RedirectLoop, format!("more than {MAX_REDIRECTS} redirects")),
            &last,
        ))
    }

    /// Refuses loopback, link-local and private addresses when asked to.
    fn check_address(&self, uri: &Uri) -> Result<(), FetchError> {
        if !self.options.deny_private {
            return Ok(());
        }
        let host = uri.host().unwrap_or("").trim_matches(['[', ']']);
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
        let addrs = (host, port)
            .to_socket_addrs()
            .map_err(|e| FetchError::new(ErrorCode::Dns, format!("{host}: {e}")))?;
        for addr in addrs {
            if is_private(addr.ip()) {
                return Err(FetchError::new(
                    ErrorCode::PrivateAddress,
                    format!("{host} is {}, a private address", addr.ip()),
                ));
            }
        }
        Ok(())
    }

    fn check_robots(&self, uri: &Uri) -> Result<(), FetchError> {
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
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        if robots.allows(path) {
            Ok(())
        } else {
            Err(FetchError::new(
                ErrorCode::RobotsDenied,
                format!("robots.txt of {origin} disallows {path}"),
            ))
        }
    }

    /// robots.txt of an origin: its rules on 2xx, everything allowed on
    /// 4xx (no file), nothing allowed when the server fails (5xx), as
    /// careful crawlers do; an error when the host cannot be reached.
    fn fetch_robots(&self, origin: &str) -> Result<Robots, FetchError> {
        let url = format!("{origin}/robots.txt");
        let Ok(uri) = url.parse::<Uri>() else {
            return Ok(Robots::allow_all());
        };
        self.wait_for_slot(&uri);
        // A host that cannot be reached is reported as such (`dns`,
        // `connection`, `timeout`) for each of its pages, not as a denial.
        let response = self.agent.get(&url).call().map_err(map_error)?;
        let status = response.status().as_u16();
        let mut body = response.into_body();
        let text = body
            .with_config()
            .limit(512 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Ok(match status {
            200..=299 => Robots::parse(&text, &self.options.user_agent),
            400..=499 => Robots::allow_all(),
            _ => Robots::parse("User-agent: *\nDisallow: /\n", &self.options.user_agent),
        })
    }

    /// Waits for the host's next slot: one request every `1 / rate`
    /// seconds, or its robots.txt `Crawl-delay` if longer.
    fn wait_for_slot(&self, uri: &Uri) {
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

    fn get_with_retries(&self, url: &str, uri: &Uri) -> Result<(Response, String, Option<u64>), FetchError> {
        let mut attempt = 0;
        loop {
            self.wait_for_slot(uri);
            let result = self.get_once(url, uri);
            let retry_after = match &result {
                Ok((r, _, _)) if r.status == 429 || r.status >= 500 => Some(
                    r.header("Retry-After")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs),
                ),
                Err(e) if matches!(e.error.code, ErrorCode::Connection | ErrorCode::Timeout) => Some(None),
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

    fn get_once(&self, url: &str, uri: &Uri) -> Result<(Response, String, Option<u64>), FetchError> {
        let request_head = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n",
            uri.path_and_query().map_or("/", |p| p.as_str()),
            uri.authority().map_or("", |a| a.as_str()),
            self.options.user_agent
        );
        let response = self
            .agent
            .get(url)
            .header("Accept-Encoding", "gzip, deflate, br")
            .call()
            .map_err(map_error)?;
        let date = warc_now();
        let status = response.status();
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
        let mut reader = response
            .into_body()
            .into_with_config()
            .limit(self.options.max_bytes + 1)
            .reader();
        if let Err(e) = reader.read_to_end(&mut raw_body) {
            return Err(map_io_error(e, raw_body.len()));
        }
        if raw_body.len() as u64 > self.options.max_bytes {
            return Err(FetchError::new(
                ErrorCode::TooLarge,
                format!(
                    "the body is over the {} bytes allowed (--max-bytes)",
                    self.options.max_bytes
                ),
            ));
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
                    uri: url,
                    date: &date,
                    request: request_head.as_bytes(),
                    response_head: head.as_bytes(),
                    response_body: &response.raw_body,
                };
                let at = warc
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .write(&exchange)
                    .map_err(|e| FetchError::new(ErrorCode::Unreadable, format!("cannot write the WARC file: {e}")))?;
                Some(at)
            }
            None => None,
        };
        Ok((response, date, offset))
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

fn map_error(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::new(ErrorCode::Timeout, "the request took longer than --timeout"),
        ureq::Error::HostNotFound => FetchError::new(ErrorCode::Dns, "the host name does not resolve"),
        ureq::Error::BodyExceedsLimit(n) => FetchError::new(ErrorCode::TooLarge, format!("a body over {n} bytes")),
        ureq::Error::Io(io) => {
            let text = io.to_string();
            // The resolver's failures come as I/O errors.
            if text.contains("lookup address")
                || text.contains("Name or service not known")
                || text.contains("No address")
            {
                FetchError::new(ErrorCode::Dns, format!("the host name does not resolve: {text}"))
            } else if io.kind() == std::io::ErrorKind::TimedOut {
                FetchError::new(ErrorCode::Timeout, "the request took longer than --timeout")
            } else {
                FetchError::new(ErrorCode::Connection, text)
            }
        }
        ureq::Error::BadUri(m) => FetchError::new(ErrorCode::BadUrl, m),
        other => FetchError::new(ErrorCode::Connection, other.to_string()),
    }
}

fn map_io_error(e: std::io::Error, received: usize) -> FetchError {
    let text = e.to_string();
    if e.kind() == std::io::ErrorKind::TimedOut || text.contains("timeout") || text.contains("Timeout") {
        return FetchError::new(ErrorCode::Timeout, "the request took longer than --timeout");
    }
    if text.contains("limit") {
        return FetchError::new(ErrorCode::TooLarge, "the body is over --max-bytes");
    }
    FetchError::new(
        ErrorCode::Connection,
        format!("the connection failed after {received} bytes of body: {text}"),
    )
}

fn parse_http_uri(url: &str) -> Result<Uri, FetchError> {
    let uri: Uri = url
        .parse()
        .map_err(|e| FetchError::new(ErrorCode::BadUrl, format!("{url}: {e}")))?;
    match uri.scheme_str() {
        Some("http" | "https") if uri.host().is_some() => Ok(uri),
        _ => Err(FetchError::new(
            ErrorCode::BadUrl,
            format!("{url}: only http and https addresses are fetched"),
        )),
    }
}

fn origin(uri: &Uri) -> String {
    format!(
        "{}://{}",
        uri.scheme_str().unwrap_or("http"),
        uri.authority().map_or("", |a| a.as_str())
    )
}

/// A `Location` resolved against the URL it came from.
pub fn resolve(base: &Uri, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") {
        return location.to_string();
    }
    let scheme = base.scheme_str().unwrap_or("http");
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}:{}", "//".to_string() + rest);
    }
    let origin = origin(base);
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = base.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    format!("{origin}{}{location}", if dir.is_empty() { "/" } else { dir })
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || v6.is_unspecified() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
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
    crate::http::decode_content(raw, encoding).map_err(|error| FetchError {
        error,
        final_url: None,
        status: None,
        warc_offset: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let base: Uri = "http://a.example/news/2022/story.html?x=1".parse().unwrap();
        for (location, expected) in [
            ("https://b.example/x", "https://b.example/x"),
            ("//c.example/y", "http://c.example/y"),
            ("/top", "http://a.example/top"),
            ("next.html", "http://a.example/news/2022/next.html"),
        ] {
            assert_eq!(resolve(&base, location), expected, "{location}");
        }
    }

    #[test]
    fn private_addresses() {
        for (ip, private) in [
            ("127.0.0.1", true),
            ("10.1.2.3", true),
            ("192.168.0.1", true),
            ("169.254.1.1", true),
            ("8.8.8.8", false),
            ("::1", true),
            ("fe80::1", true),
            ("2001:db8::1", false),
        ] {
            assert_eq!(is_private(ip.parse().unwrap()), private, "{ip}");
        }
    }
}
