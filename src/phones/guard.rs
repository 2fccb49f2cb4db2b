//! The server's defences against a busy or hostile network: addresses that keep guessing the
//! room code are shut out for a while (longer each time), and a phone that floods requests
//! runs out of its own allowance without touching anyone else's.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Wrong room codes allowed from one address within [`GUESS_WINDOW`] before it is shut out.
pub const FREE_GUESSES: u32 = 5;
pub const GUESS_WINDOW: Duration = Duration::from_secs(60);
/// The first shut-out; each further one doubles, up to [`MAX_LOCKOUT`].
pub const FIRST_LOCKOUT: Duration = Duration::from_secs(2);
pub const MAX_LOCKOUT: Duration = Duration::from_secs(120);
/// A phone may burst this many requests, and then make [`REFILL_PER_SECOND`] a second.
pub const BURST: f64 = 20.0;
pub const REFILL_PER_SECOND: f64 = 10.0;
/// Entries kept at most, so a flood of addresses or tokens cannot grow memory without end.
const MAX_ENTRIES: usize = 4096;

#[derive(Debug, Clone)]
struct Guesses {
    wrong: u32,
    first: Instant,
    lockouts: u32,
    locked_until: Option<Instant>,
}

/// Wrong room codes, by address.
#[derive(Debug, Default)]
pub struct CodeGuard {
    by_address: HashMap<IpAddr, Guesses>,
}

impl CodeGuard {
    /// How long `address` must still wait, if it is shut out.
    pub fn locked_for(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let until = self.by_address.get(&address)?.locked_until?;
        (until > now).then(|| until - now)
    }

    /// A wrong code from `address`; returns the shut-out it earned, if any.
    pub fn wrong_code(&mut self, address: IpAddr, now: Instant) -> Option<Duration> {
        if self.by_address.len() >= MAX_ENTRIES && !self.by_address.contains_key(&address) {
            self.by_address.retain(|_, g| g.locked_until.is_some_and(|u| u > now));
        }
        let entry =
            self.by_address.entry(address).or_insert(Guesses { wrong: 0, first: now, lockouts: 0, locked_until: None });
        if now.saturating_duration_since(entry.first) > GUESS_WINDOW {
            entry.wrong = 0;
            entry.first = now;
        }
        entry.wrong += 1;
        if entry.wrong < FREE_GUESSES {
            return None;
        }
        let lockout = FIRST_LOCKOUT.saturating_mul(1 << entry.lockouts.min(16)).min(MAX_LOCKOUT);
        entry.lockouts += 1;
        entry.wrong = 0;
        entry.first = now;
        entry.locked_until = Some(now + lockout);
        Some(lockout)
    }
}

/// A token bucket per key (a phone's token, or one connection).
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: HashMap<String, (f64, Instant)>,
}

impl RateLimiter {
    /// True if `key` may make a request now (and counts it).
    pub fn allow(&mut self, key: &str, now: Instant) -> bool {
        if self.buckets.len() >= MAX_ENTRIES && !self.buckets.contains_key(key) {
            // Full buckets carry no information: drop them first.
            self.buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * REFILL_PER_SECOND < BURST
            });
            if self.buckets.len() >= MAX_ENTRIES {
                return false;
            }
        }
        let (tokens, at) = self.buckets.entry(key.to_string()).or_insert((BURST, now));
        *tokens = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * REFILL_PER_SECOND).min(BURST);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessing_is_shut_out_for_longer_each_time() {
        let mut guard = CodeGuard::default();
        let address: IpAddr = [127, 0, 0, 9].into();
        let now = Instant::now();
        for _ in 1..FREE_GUESSES {
            assert_eq!(guard.wrong_code(address, now), None);
        }
        assert_eq!(guard.wrong_code(address, now), Some(FIRST_LOCKOUT));
        assert!(guard.locked_for(address, now).is_some());
        assert!(guard.locked_for([127, 0, 0, 8].into(), now).is_none(), "other addresses are not touched");
        let later = now + FIRST_LOCKOUT + Duration::from_millis(1);
        assert!(guard.locked_for(address, later).is_none());
        for _ in 1..FREE_GUESSES {
            guard.wrong_code(address, later);
        }
        assert_eq!(guard.wrong_code(address, later), Some(FIRST_LOCKOUT * 2));
    }

    #[test]
    fn a_flooding_key_runs_dry_and_refills_without_touching_others() {
        let mut limiter = RateLimiter::default();
        let now = Instant::now();
        let allowed = (0..100).filter(|_| limiter.allow("flood", now)).count();
        assert_eq!(allowed, BURST as usize);
        assert!(limiter.allow("calm", now));
        assert!(limiter.allow("flood", now + Duration::from_millis(150)));
    }
}
