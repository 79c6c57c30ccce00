//! Fetching end to end against a real HTTP server on 127.0.0.1: status
//! lines, error codes, retries, robots.txt, redirects, encodings, feeds and
//! sitemaps, and the WARC file that lets a run be redone offline.

mod common;

use std::io::Write;
use std::time::Duration;

use common::server::{response, Reply, Server};
use common::{glaneur, gzip};
use serde_json::Value;

const ARTICLE: &str = "<html><head><title>Amende</title></head><body><article><h1>La CNIL sanctionne</h1>\
    <p>La CNIL a infligé le 20 octobre 2022 une amende de 20 millions d'euros à la société, pour manquement à \
    l'article 6 du RGPD, selon un communiqué publié par l'autorité de contrôle.</p></article></body></html>";

fn html(body: &[u8]) -> Reply {
    Reply::Raw(response(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        body,
    ))
}

fn redirect(code: &str, to: &str) -> Reply {
    Reply::Raw(response(code, &[("Location", to)], b""))
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        w.write_all(data).unwrap();
    }
    out
}

fn server() -> Server {
    let w1252: Vec<u8> = b"<html><body><p>Le r\xe8glement pr\xe9voit une amende de 20 000 \x80 pour la soci\xe9t\xe9, selon la CNIL fran\xe7aise qui l'a annonc\xe9 hier.</p></body></html>".to_vec();
    Server::start(vec![
        (
            "/robots.txt",
            Box::new(|_| {
                Reply::Raw(response(
                    "200 OK",
                    &[("Content-Type", "text/plain")],
                    b"User-agent: *\nDisallow: /private\n",
                ))
            }),
        ),
        ("/article", Box::new(|_| html(ARTICLE.as_bytes()))),
        ("/private/page", Box::new(|_| html(ARTICLE.as_bytes()))),
        (
            "/1252",
            Box::new(move |_| {
                Reply::Raw(response(
                    "200 OK",
                    &[("Content-Type", "text/html; charset=windows-1252")],
                    &w1252,
                ))
            }),
        ),
        ("/r1", Box::new(|_| redirect("301 Moved Permanently", "/r2"))),
        ("/r2", Box::new(|_| redirect("302 Found", "/article"))),
        ("/loop-a", Box::new(|_| redirect("301 Moved Permanently", "/loop-b"))),
        ("/loop-b", Box::new(|_| redirect("301 Moved Permanently", "/loop-a"))),
        (
            "/to-ftp",
            Box::new(|_| redirect("301 Moved Permanently", "ftp://files.example/x")),
        ),
        ("/gone", Box::new(|_| Reply::Raw(response("410 Gone", &[], b"gone")))),
        (
            "/busy",
            Box::new(|n| {
                if n == 0 {
                    Reply::Raw(response("429 Too Many Requests", &[("Retry-After", "1")], b""))
                } else {
                    html(ARTICLE.as_bytes())
                }
            }),
        ),
        (
            "/busy-until",
            Box::new(|n| {
                if n == 0 {
                    // An HTTP date two seconds from now (one second of it
                    // may be lost to rounding).
                    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
                    Reply::Raw(response(
                        "503 Service Unavailable",
                        &[("Retry-After", at.as_str())],
                        b"",
                    ))
                } else {
                    html(ARTICLE.as_bytes())
                }
            }),
        ),
        (
            "/flaky",
            Box::new(|n| {
                if n < 2 {
                    Reply::Raw(response("503 Service Unavailable", &[], b""))
                } else {
                    html(ARTICLE.as_bytes())
                }
            }),
        ),
        (
            "/slow",
            Box::new(|_| Reply::Slow(Duration::from_secs(4), response("200 OK", &[], ARTICLE.as_bytes()))),
        ),
        ("/big", Box::new(|_| html(&vec![b'a'; 300_000]))),
        (
            "/gzip",
            Box::new(|_| {
                Reply::Raw(response(
                    "200 OK",
                    &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                    &gzip(ARTICLE.as_bytes()),
                ))
            }),
        ),
        (
            "/brotli",
            Box::new(|_| {
                Reply::Raw(response(
                    "200 OK",
                    &[("Content-Type", "text/html"), ("Content-Encoding", "br")],
                    &brotli(ARTICLE.as_bytes()),
                ))
            }),
        ),
        (
            "/cut",
            Box::new(|_| {
                let mut r = response(
                    "200 OK",
                    &[("Content-Type", "text/html"), ("Content-Length", "5000")],
                    b"",
                );
                r.extend_from_slice(&ARTICLE.as_bytes()[..100]);
                Reply::Raw(r)
            }),
        ),
        (
            "/feed.xml",
            Box::new(|_| {
                Reply::Raw(response(
                    "200 OK",
                    &[("Content-Type", "application/rss+xml")],
                    b"<rss version=\"2.0\"><channel><item><link>/article</link></item></channel></rss>",
                ))
            }),
        ),
        (
            "/sitemap.xml",
            Box::new(|_| {
                Reply::Raw(response("200 OK", &[("Content-Type", "application/xml")],
            b"<sitemapindex><sitemap><loc>/news.xml</loc></sitemap><sitemap><loc>/old.xml.gz</loc></sitemap></sitemapindex>"))
            }),
        ),
        (
            "/news.xml",
            Box::new(|_| {
                Reply::Raw(response("200 OK", &[("Content-Type", "application/xml")],
            b"<urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>/1252</loc><news:news><news:publication_date>2022-10-20</news:publication_date></news:news></url><url><loc>/gzip</loc></url></urlset>"))
            }),
        ),
        (
            "/old.xml.gz",
            Box::new(|_| {
                Reply::Raw(response("200 OK", &[("Content-Type", "application/gzip")],
            &gzip(b"<urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>/gone</loc><news:news><news:publication_date>2019-01-01</news:publication_date></news:news></url></urlset>")))
            }),
        ),
    ])
}

fn lines(run: &common::Run) -> Vec<Value> {
    run.records()
}

#[test]
fn fetch_reports_one_status_line_a_url_and_keeps_a_warc() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("out.warc.gz");
    let paths = [
        "/1252",
        "/r1",
        "/loop-a",
        "/to-ftp",
        "/nowhere",
        "/gone",
        "/busy",
        "/flaky",
        "/slow",
        "/big",
        "/gzip",
        "/brotli",
        "/cut",
        "/private/page",
    ];
    let urls: Vec<String> = paths.iter().map(|p| s.url(p)).collect();
    let mut args = vec![
        "fetch",
        "--warc",
        warc.to_str().unwrap(),
        "--per-host-rate",
        "200",
        "--timeout",
        "2",
        "--max-bytes",
        "100000",
        "--retries",
        "2",
    ];
    args.extend(urls.iter().map(String::as_str));
    let run = glaneur(&args, None);
    assert_eq!(run.status, 1, "some URLs fail: {}", run.stderr);
    let got: Vec<(String, String, Option<u64>)> = lines(&run)
        .iter()
        .map(|l| {
            (
                l["url"].as_str().unwrap().replace(&s.base, ""),
                l["code"].as_str().unwrap().to_string(),
                l["status"].as_u64(),
            )
        })
        .collect();
    let expected = [
        ("/1252", "ok", Some(200)),
        ("/r1", "ok", Some(200)),
        ("/loop-a", "redirect_loop", Some(301)),
        ("/to-ftp", "bad_redirect", Some(301)),
        ("/nowhere", "http_status", Some(404)),
        ("/gone", "http_status", Some(410)),
        ("/busy", "ok", Some(200)),
        ("/flaky", "ok", Some(200)),
        ("/slow", "timeout", None),
        ("/big", "too_large", None),
        ("/gzip", "ok", Some(200)),
        ("/brotli", "ok", Some(200)),
        ("/cut", "connection", None),
        ("/private/page", "robots_denied", None),
    ];
    let expected: Vec<(String, String, Option<u64>)> = expected
        .iter()
        .map(|(p, c, st)| (p.to_string(), c.to_string(), *st))
        .collect();
    assert_eq!(got, expected);
    let r1 = &lines(&run)[1];
    assert_eq!(
        r1["final_url"],
        s.url("/article"),
        "the final URL after a 301 and a 302"
    );
    assert_eq!(s.hits("/busy"), 2, "429 then 200");
    assert_eq!(s.hits("/flaky"), 3, "503 twice then 200");
    assert_eq!(s.hits("/private/page"), 0, "robots.txt obeyed");
    assert_eq!(s.hits("/robots.txt"), 1, "robots.txt cached per host");
    assert!(run.stderr.contains("14 URLs: 6 fetched, 8 failed"), "{}", run.stderr);

    // The WARC file holds every exchange that got a response.
    let mut kept: Vec<(String, String)> = glaneur_warc::WarcReader::new(std::fs::File::open(&warc).unwrap())
        .map(|r| r.unwrap())
        .map(|r| {
            (
                r.header("WARC-Type").unwrap().to_string(),
                r.header("WARC-Target-URI").unwrap().replace(&s.base, ""),
            )
        })
        .collect();
    let count = |kind: &str, path: &str| kept.iter().filter(|(k, p)| k == kind && p == path).count();
    assert_eq!((count("request", "/gone"), count("response", "/gone")), (1, 1));
    assert_eq!(count("response", "/flaky"), 3, "two 503s and the 200");
    assert_eq!(
        (
            count("response", "/r1"),
            count("response", "/r2"),
            count("response", "/article")
        ),
        (1, 1, 1)
    );
    assert_eq!(
        count("response", "/private/page") + count("response", "/slow") + count("response", "/cut"),
        0
    );
    assert_eq!(
        (count("request", "/robots.txt"), count("response", "/robots.txt")),
        (1, 1),
        "robots.txt is kept, so that a rerun from the file knows what was allowed"
    );
    kept.clear();

    // Extraction reads the pages back.
    let offline = glaneur(&["extract", "--no-text", warc.to_str().unwrap()], None);
    let docs: Vec<Value> = offline
        .records()
        .into_iter()
        .filter(|r| r["kind"] == "document")
        .collect();
    let uris: Vec<String> = docs
        .iter()
        .map(|d| d["doc"].as_str().unwrap().replace(&s.base, ""))
        .collect();
    for page in ["/1252", "/article", "/busy", "/flaky", "/gzip", "/brotli"] {
        assert!(uris.contains(&page.to_string()), "{page} in {uris:?}");
    }
    let w1252 = offline
        .records()
        .into_iter()
        .find(|r| r["kind"] == "amount" && r["doc"] == s.url("/1252"))
        .unwrap();
    assert_eq!(w1252["text"], "20 000 €", "windows-1252 decoded by the HTTP charset");

    // --resume skips what the WARC already holds.
    let again = glaneur(
        &[
            "fetch",
            "--resume",
            "--warc",
            warc.to_str().unwrap(),
            "--per-host-rate",
            "200",
            &s.url("/gzip"),
            &s.url("/gone"),
        ],
        None,
    );
    let codes: Vec<String> = lines(&again)
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, ["resumed", "resumed"]);
}

#[test]
fn extract_fetches_urls_and_the_warc_gives_the_same_facts_offline() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("run.warc.gz");
    let online = glaneur(
        &[
            "extract",
            "--no-text",
            "--per-host-rate",
            "200",
            "--warc",
            warc.to_str().unwrap(),
            &s.url("/r1"),
            &s.url("/gone"),
        ],
        None,
    );
    assert_eq!(online.status, 1, "{}", online.stderr);
    let records = online.records();
    assert_eq!(records[0]["doc"], s.url("/r1"), "doc is the URL as asked");
    assert_eq!(records[0]["url"], s.url("/article"), "url is the final one");
    let error = records.iter().find(|r| r["kind"] == "error").unwrap();
    assert_eq!(error["code"], "http_status");
    let facts = |records: &[Value]| -> Vec<String> {
        let mut v: Vec<String> = records
            .iter()
            .filter(|r| r["kind"] != "document" && r["kind"] != "error")
            .map(|r| format!("{} {}", r["kind"], r["value"]))
            .collect();
        v.sort();
        v
    };
    let offline = glaneur(&["extract", "--no-text", warc.to_str().unwrap()], None);
    assert_eq!(facts(&offline.records()), facts(&records));
}

#[test]
fn feeds_and_sitemaps_give_their_entries() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("feed.warc.gz");
    let run = glaneur(
        &[
            "fetch",
            "--per-host-rate",
            "200",
            "--warc",
            warc.to_str().unwrap(),
            "--feed",
            &s.url("/feed.xml"),
            "--sitemap",
            &s.url("/sitemap.xml"),
            "--since",
            "2022-01-01",
        ],
        None,
    );
    let got: Vec<String> = lines(&run)
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l["url"].as_str().unwrap().replace(&s.base, ""),
                l["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got, ["/article ok", "/1252 ok", "/gzip ok"], "{}", run.stderr);
}

#[test]
fn private_addresses_are_refused_when_asked() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("p.warc.gz");
    let run = glaneur(
        &[
            "fetch",
            "--deny-private",
            "--warc",
            warc.to_str().unwrap(),
            &s.url("/article"),
        ],
        None,
    );
    assert_eq!(lines(&run)[0]["code"], "private_address");
    assert_eq!(s.hits("/article"), 0);

    // A name is checked on the address it resolves to, by the resolver the
    // connection uses.
    let by_name = s.url("/article").replace("127.0.0.1", "localhost");
    let run = glaneur(
        &["fetch", "--deny-private", "--warc", warc.to_str().unwrap(), &by_name],
        None,
    );
    let line = &lines(&run)[0];
    assert_eq!(line["code"], "private_address", "{line}");
    assert!(line["message"].as_str().unwrap().contains("localhost"), "{line}");
    assert_eq!(s.hits("/article"), 0);
    assert_eq!(s.hits("/robots.txt"), 0, "not even robots.txt is asked");
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("r.warc.gz");
    let started = std::time::Instant::now();
    let run = glaneur(
        &[
            "fetch",
            "--per-host-rate",
            "100",
            "--warc",
            warc.to_str().unwrap(),
            &s.url("/busy-until"),
        ],
        None,
    );
    assert_eq!(lines(&run)[0]["code"], "ok", "{}", run.stdout);
    assert_eq!(s.hits("/busy-until"), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited as asked, not the 0.5 s backoff: {:?}",
        started.elapsed()
    );
}

#[test]
fn an_unreachable_host_is_a_connection_error_not_a_robots_denial() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("u.warc.gz");
    let url = format!("http://127.0.0.1:{port}/page");
    let run = glaneur(
        &["fetch", "--retries", "0", "--warc", warc.to_str().unwrap(), &url],
        None,
    );
    assert_eq!(lines(&run)[0]["code"], "connection", "{}", run.stdout);
}
