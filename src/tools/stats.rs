//! Summaries of many runs: meter ranges, percentiles and histograms.

use serde::Serialize;

use crate::scenario::Meter;

/// The lowest and highest value a meter took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub min: i32,
    pub max: i32,
}

impl Span {
    pub const EMPTY: Span = Span { min: i32::MAX, max: i32::MIN };

    pub fn add(&mut self, value: i32) {
        self.min = self.min.min(value);
        self.max = self.max.max(value);
    }

    pub fn merge(&mut self, other: Span) {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// The span of each meter, in the order of `Meter::ALL`; in JSON, keyed by meter id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeterSpans(pub [Span; 3]);

impl std::ops::Index<usize> for MeterSpans {
    type Output = Span;

    fn index(&self, meter: usize) -> &Span {
        &self.0[meter]
    }
}

impl Serialize for MeterSpans {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        for (meter, span) in Meter::ALL.iter().zip(&self.0) {
            map.serialize_entry(meter.id(), span)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MeterStat {
    pub meter: &'static str,
    pub label: &'static str,
    pub mean: f64,
    pub min: i32,
    pub max: i32,
    /// (percent, value): the 5th, 25th, 50th, 75th and 95th percentiles.
    pub percentiles: Vec<(u8, i32)>,
    /// Runs whose final value fell in 0-9, 10-19, ..., 90-100.
    pub buckets: [u64; 10],
}

pub fn meter_stat(meter: Meter, counts: &[u64; 101]) -> MeterStat {
    let total: u64 = counts.iter().sum();
    let values = || counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(v, _)| v as i32);
    let mean = if total == 0 {
        0.0
    } else {
        counts.iter().enumerate().map(|(v, n)| v as f64 * *n as f64).sum::<f64>() / total as f64
    };
    let mut buckets = [0u64; 10];
    for (v, n) in counts.iter().enumerate() {
        buckets[(v / 10).min(9)] += n;
    }
    MeterStat {
        meter: meter.id(),
        label: meter.label(),
        mean,
        min: values().next().unwrap_or(0),
        max: values().next_back().unwrap_or(0),
        percentiles: [5u8, 25, 50, 75, 95].into_iter().map(|p| (p, percentile(counts, total, p))).collect(),
        buckets,
    }
}

/// Nearest-rank percentile: the smallest value at least `p`% of runs are at or below.
pub fn percentile(counts: &[u64; 101], total: u64, p: u8) -> i32 {
    if total == 0 {
        return 0;
    }
    let rank = (total * p as u64).div_ceil(100).max(1);
    let mut seen = 0;
    for (value, n) in counts.iter().enumerate() {
        seen += n;
        if seen >= rank {
            return value as i32;
        }
    }
    100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let mut counts = [1u64; 101];
        counts[0] = 0;
        assert_eq!(percentile(&counts, 100, 5), 5);
        assert_eq!(percentile(&counts, 100, 50), 50);
        assert_eq!(percentile(&counts, 100, 95), 95);
        let mut single = [0u64; 101];
        single[42] = 7;
        assert_eq!(percentile(&single, 7, 5), 42);
        assert_eq!(percentile(&single, 7, 95), 42);
    }
}
