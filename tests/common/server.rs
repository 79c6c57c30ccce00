//! A small HTTP/1.1 server on 127.0.0.1 for the fetching tests: each route
//! answers with raw bytes, so that tests can send exactly what a broken or
//! slow server would.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What a route sends back.
pub enum Reply {
    /// A whole response, status line to body.
    Raw(Vec<u8>),
    /// The same after a pause.
    Slow(Duration, Vec<u8>),
}

/// Builds a response with the given status, headers and body.
pub fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n").into_bytes();
    for (n, v) in headers {
        out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

type Route = Box<dyn Fn(usize) -> Reply + Send + Sync>;

pub struct Server {
    pub base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    /// Serves `routes` (path → reply, given how many times the path was
    /// asked before); unknown paths get a 404. The server lives as long as
    /// the test process; every connection is closed after one response.
    pub fn start(routes: Vec<(&'static str, Route)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let routes: Arc<HashMap<&'static str, Route>> = Arc::new(routes.into_iter().collect());
        let counter = Arc::clone(&hits);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, counter) = (Arc::clone(&routes), Arc::clone(&counter));
                thread::spawn(move || serve(stream, &routes, &counter));
            }
        });
        Self { base, hits }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn hits(&self, path: &str) -> usize {
        *self.hits.lock().unwrap().get(path).unwrap_or(&0)
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<&'static str, Route>, hits: &Mutex<HashMap<String, usize>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = path.split('?').next().unwrap_or("/").to_string();
    let seen = {
        let mut hits = hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n - 1
    };
    let reply = match routes.get(path.as_str()) {
        Some(route) => route(seen),
        None => Reply::Raw(response(
            "404 Not Found",
            &[("Content-Type", "text/plain")],
            b"not found",
        )),
    };
    let bytes = match reply {
        Reply::Raw(b) => b,
        Reply::Slow(pause, b) => {
            thread::sleep(pause);
            b
        }
    };
    let _ = stream.write_all(&bytes);
    let _ = stream.flush();
}
