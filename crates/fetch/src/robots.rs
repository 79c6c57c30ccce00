//! robots.txt: the group for our user agent (else `*`), `Allow` and
//! `Disallow` by longest match (`*` and `$` understood), `Crawl-delay`.

use std::time::Duration;

/// A group of robots.txt: the agents it names, and its (key, value) lines.
type Group = (Vec<String>, Vec<(String, String)>);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// (allow, path pattern) of the group that applies.
    rules: Vec<(bool, String)>,
    pub crawl_delay: Option<Duration>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or a 4xx for it).
    pub fn allow_all() -> Self {
        Self::default()
    }

    /// The rules of `text` for the agent named `agent` (its product token,
    /// compared case-insensitively as a prefix).
    pub fn parse(text: &str, agent: &str) -> Self {
        let agent = agent.split('/').next().unwrap_or(agent).to_ascii_lowercase();
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_string());
            if key == "user-agent" {
                if !in_agents {
                    groups.push((Vec::new(), Vec::new()));
                }
                in_agents = true;
                groups.last_mut().expect("a group").0.push(value.to_ascii_lowercase());
            } else if let Some(group) = groups.last_mut() {
                in_agents = false;
                group.1.push((key, value));
            }
        }
        let named = groups
            .iter()
            .find(|(agents, _)| agents.iter().any(|a| a != "*" && agent.starts_with(a.as_str())));
        let any = groups.iter().find(|(agents, _)| agents.iter().any(|a| a == "*"));
        let Some((_, lines)) = named.or(any) else {
            return Self::allow_all();
        };
        let mut robots = Self::default();
        for (key, value) in lines {
            match key.as_str() {
                "allow" if !value.is_empty() => robots.rules.push((true, value.clone())),
                "disallow" if !value.is_empty() => robots.rules.push((false, value.clone())),
                "crawl-delay" => {
                    robots.crawl_delay = value
                        .parse::<f64>()
                        .ok()
                        .and_then(|s| Duration::try_from_secs_f64(s).ok())
                }
                _ => {}
            }
        }
        robots
    }

    /// Whether `path` (with its query) may be fetched: the longest matching
    /// rule decides, `Allow` winning a tie.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                if best.is_none_or(|(l, a)| len > l || (len == l && *allow && !a)) {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt path pattern: a prefix, where `*` matches any run and a
/// final `$` anchors the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 && anchored {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    !anchored || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let text = "User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /private\nAllow: /private/open\n\
                    Disallow: /*.pdf$\nCrawl-delay: 2\n";
        let r = Robots::parse(text, "glaneur/0.1");
        for (path, allowed) in [
            ("/", true),
            ("/news/1", true),
            ("/private/x", false),
            ("/private/open/y", true),
            ("/doc.pdf", false),
            ("/doc.pdf?x", true),
        ] {
            assert_eq!(r.allows(path), allowed, "{path}");
        }
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(2)));
        let mine = Robots::parse(
            "User-agent: glaneur\nDisallow: /\n",
            "glaneur/0.1 (+https://example.org)",
        );
        assert!(!mine.allows("/a"));
        assert!(Robots::parse("", "glaneur").allows("/a"));
    }
}
