//! Name resolution for the HTTP client, with `--deny-private` applied to
//! the addresses it returns: the address connected to is the address
//! checked (a second lookup could answer otherwise).

use std::fmt;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

pub struct CheckedResolver {
    pub deny_private: bool,
}

/// Why a name gave no address to connect to; found again in the client's
/// error by type, not by message.
#[derive(Debug)]
pub enum Refusal {
    Unresolved { host: String, reason: String },
    Private { host: String, address: IpAddr },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Unresolved { host, reason } => write!(f, "{host} does not resolve: {reason}"),
            Refusal::Private { host, address } => write!(f, "{host} is {address}, a private address"),
        }
    }
}

impl std::error::Error for Refusal {}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let deny_private = self.deny_private;
        Box::pin(async move {
            // The system's lookup blocks: it runs off the client's threads.
            let found = tokio::task::spawn_blocking(move || lookup(&host, deny_private)).await?;
            let addrs: Addrs = Box::new(found?.into_iter());
            Ok(addrs)
        })
    }
}

fn lookup(host: &str, deny_private: bool) -> Result<Vec<SocketAddr>, Refusal> {
    let mut addrs: Vec<SocketAddr> = (host, 0)
        .to_socket_addrs()
        .map_err(|e| Refusal::Unresolved {
            host: host.to_string(),
            reason: e.to_string(),
        })?
        .collect();
    if deny_private {
        let first_private = addrs.iter().map(SocketAddr::ip).find(|ip| is_private(*ip));
        addrs.retain(|a| !is_private(a.ip()));
        if let (true, Some(address)) = (addrs.is_empty(), first_private) {
            return Err(Refusal::Private {
                host: host.to_string(),
                address,
            });
        }
    }
    if addrs.is_empty() {
        return Err(Refusal::Unresolved {
            host: host.to_string(),
            reason: "no address".to_string(),
        });
    }
    Ok(addrs)
}

/// Addresses a fetcher serving others' URLs must not reach: loopback,
/// private, shared (CGNAT), link-local, multicast, broadcast, unspecified
/// and "this network" ranges, IPv4 and IPv6, and IPv4 written as IPv6.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses() {
        for (ip, private) in [
            ("127.0.0.1", true),
            ("10.1.2.3", true),
            ("172.16.0.1", true),
            ("192.168.0.1", true),
            ("169.254.1.1", true),
            ("100.64.0.1", true),
            ("100.127.255.254", true),
            ("100.128.0.1", false),
            ("224.0.0.1", true),
            ("255.255.255.255", true),
            ("0.0.0.0", true),
            ("0.1.2.3", true),
            ("8.8.8.8", false),
            ("::1", true),
            ("::", true),
            ("fe80::1", true),
            ("fd00::1", true),
            ("ff02::1", true),
            ("::ffff:127.0.0.1", true),
            ("::ffff:10.0.0.1", true),
            ("::ffff:8.8.8.8", false),
            ("2001:db8::1", false),
        ] {
            assert_eq!(is_private(ip.parse().unwrap()), private, "{ip}");
        }
    }

    #[test]
    fn names_are_checked_on_the_addresses_they_resolve_to() {
        assert!(matches!(lookup("localhost", true), Err(Refusal::Private { .. })));
        assert!(lookup("localhost", false).is_ok_and(|a| a.iter().all(|a| a.ip().is_loopback())));
    }
}
