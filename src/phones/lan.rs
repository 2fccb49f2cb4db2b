//! Which address to show the room: the machine's LAN addresses, best first. A Wi-Fi or wired
//! private IPv4 address comes before a container bridge, a VPN or a link-local address, and
//! loopback is never offered (phones cannot reach it). The facilitator can pick another.

use std::net::IpAddr;

/// An address the server could listen on, with the interface it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanAddress {
    pub interface: String,
    pub ip: IpAddr,
}

/// The machine's addresses that phones on the same network could reach, best first.
pub fn candidates() -> Vec<LanAddress> {
    let mut found: Vec<LanAddress> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && i.is_oper_up())
        .map(|i| LanAddress { ip: i.ip(), interface: i.name })
        .collect();
    found.sort_by_key(|a| (rank(a), a.interface.clone(), a.ip.to_string()));
    found.dedup();
    found
}

/// The best of [`candidates`], if the machine has any network at all.
pub fn best() -> Option<LanAddress> {
    candidates().into_iter().next()
}

/// Lower is better.
fn rank(address: &LanAddress) -> u8 {
    let virtual_interface =
        ["docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg", "zt", "tailscale"]
            .iter()
            .any(|prefix| address.interface.starts_with(prefix));
    let base = match address.ip {
        IpAddr::V4(ip) if ip.is_private() => 0,
        IpAddr::V4(ip) if ip.is_link_local() => 4,
        IpAddr::V4(_) => 2,
        IpAddr::V6(ip) if ip.is_unicast_link_local() => 8,
        IpAddr::V6(_) => 6,
    };
    base + u8::from(virtual_interface)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(interface: &str, ip: &str) -> LanAddress {
        LanAddress { interface: interface.into(), ip: ip.parse().unwrap() }
    }

    #[test]
    fn wifi_and_wired_private_addresses_come_before_bridges_and_link_local() {
        let mut list = [
            at("docker0", "172.17.0.1"),
            at("wlp2s0", "fe80::1"),
            at("tun0", "10.8.0.2"),
            at("wlp2s0", "192.168.1.23"),
            at("enp0s1", "169.254.3.4"),
        ];
        list.sort_by_key(rank);
        assert_eq!(list[0], at("wlp2s0", "192.168.1.23"));
        assert_eq!(list.last().unwrap().ip.to_string(), "fe80::1");
        assert!(rank(&at("docker0", "172.17.0.1")) > rank(&at("eth0", "10.0.0.5")));
    }

    #[test]
    fn loopback_is_never_offered() {
        assert!(candidates().iter().all(|a| !a.ip.is_loopback()));
    }
}
