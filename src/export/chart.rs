//! The geometry of the meter chart and the vote-split bars, in pixels of a chart of a given
//! size: the HTML report draws it as SVG and the game as UI nodes, so both show the same
//! chart. Pure functions; no drawing here.
//!
//! Meters are scaled 0–100 from the bottom of the plot to its top; samples are spread evenly
//! from its left to its right edge. Each meter has its own line style and point shape as well
//! as its colour, and a direct label at the line's end, so the chart reads without colour.

use crate::engine::{Decision, Meters};
use crate::scenario::Meter;

/// One point in time on the chart: the start, a decision or a campaign stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Under the x axis: "Start", a decision number, a stage number.
    pub label: String,
    pub meters: Meters,
    /// A chance outcome was drawn here.
    pub chance: bool,
    /// A delayed consequence of an earlier decision landed here.
    pub delayed: bool,
}

impl Sample {
    pub fn new(label: impl Into<String>, meters: Meters) -> Sample {
        Sample { label: label.into(), meters, chance: false, delayed: false }
    }

    /// The start and then one sample per decision of a transcript, labelled by number.
    pub fn from_transcript(transcript: &[Decision]) -> Vec<Sample> {
        let Some(first) = transcript.first() else { return Vec::new() };
        let mut samples = vec![Sample::new("Start", first.meters_before)];
        samples.extend(transcript.iter().map(|d| Sample {
            label: d.number.to_string(),
            meters: d.meters_after,
            chance: d.outcome.is_some(),
            delayed: !d.landed.is_empty(),
        }));
        samples
    }
}

/// The chart's size and the margins around its plot, which hold the axes' labels (left,
/// bottom), the markers (top) and the lines' end labels (right).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Layout {
    /// Margins sized for text of about `font` pixels.
    pub fn new(width: f32, height: f32, font: f32) -> Layout {
        Layout { width, height, left: font * 3.0, right: font * 13.5, top: font * 2.0, bottom: font * 2.4 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// The plot area, inside the margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub label: String,
    /// The x of an x tick, the y of a y tick.
    pub at: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
}

/// How a meter's line looks apart from its colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    /// Dash and gap lengths in multiples of the line's width; empty for a solid line.
    pub dash: &'static [f32],
    pub shape: Shape,
}

pub fn line_style(meter: Meter) -> LineStyle {
    match meter {
        Meter::Trust => LineStyle { dash: &[], shape: Shape::Circle },
        Meter::StrategicImpact => LineStyle { dash: &[4.0, 2.0], shape: Shape::Square },
        Meter::TeamEngagement => LineStyle { dash: &[1.0, 1.5], shape: Shape::Diamond },
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f32,
    /// The middle of the text line.
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeterLine {
    pub meter: Meter,
    pub style: LineStyle,
    pub points: Vec<Point>,
    /// "Trust 62" beside the last point, moved up or down so no two labels overlap.
    pub end_label: Label,
}

impl MeterLine {
    /// The straight pieces between consecutive points.
    pub fn segments(&self) -> impl Iterator<Item = Segment> + '_ {
        self.points.windows(2).map(|pair| Segment { from: pair[0], to: pair[1] })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub from: Point,
    pub to: Point,
}

impl Segment {
    pub fn length(&self) -> f32 {
        (self.to.x - self.from.x).hypot(self.to.y - self.from.y)
    }

    /// Radians from the x axis, positive turning from +x towards +y (downwards on screen).
    pub fn angle(&self) -> f32 {
        (self.to.y - self.from.y).atan2(self.to.x - self.from.x)
    }

    pub fn middle(&self) -> Point {
        Point { x: (self.from.x + self.to.x) / 2.0, y: (self.from.y + self.to.y) / 2.0 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    Chance,
    Delayed,
}

impl MarkerKind {
    /// The marker's glyph and its legend.
    pub fn symbol(self) -> &'static str {
        match self {
            MarkerKind::Chance => "?",
            MarkerKind::Delayed => "!",
        }
    }

    pub fn legend(self) -> &'static str {
        match self {
            MarkerKind::Chance => "a chance outcome was drawn",
            MarkerKind::Delayed => "an earlier decision caught up",
        }
    }
}

/// A marker in the band above the plot, over the sample it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    /// Index into the samples.
    pub sample: usize,
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeterChart {
    pub layout: Layout,
    pub plot: Rect,
    /// 0, 25, 50, 75, 100.
    pub y_ticks: Vec<Tick>,
    /// One per sample.
    pub x_ticks: Vec<Tick>,
    pub lines: Vec<MeterLine>,
    pub markers: Vec<Marker>,
    /// The x axis's title.
    pub x_title: String,
}

impl MeterChart {
    /// The x of sample `index`.
    pub fn x_of(&self, index: usize) -> f32 {
        x_for(index, self.x_ticks.len(), &self.plot)
    }

    /// Half the distance between two samples: the half-width of a highlight band.
    pub fn half_step(&self) -> f32 {
        let steps = self.x_ticks.len().saturating_sub(1).max(1) as f32;
        self.plot.width / steps / 2.0
    }
}

pub const Y_TICKS: [i32; 5] = [0, 25, 50, 75, 100];

/// The y of a meter value: 100 at the plot's top, 0 at its bottom (values outside are clamped).
pub fn y_for(value: i32, plot: &Rect) -> f32 {
    let value = value.clamp(0, 100) as f32;
    plot.y + plot.height * (100.0 - value) / 100.0
}

/// The x of sample `index` of `count`: the first at the left edge, the last at the right; a
/// single sample in the middle.
pub fn x_for(index: usize, count: usize, plot: &Rect) -> f32 {
    if count <= 1 {
        return plot.x + plot.width / 2.0;
    }
    plot.x + plot.width * index as f32 / (count - 1) as f32
}

/// The chart of `samples` in `layout`; `line_height` is the least distance between two end
/// labels. `x_title` names what the samples are ("decision", "stage").
pub fn meter_chart(samples: &[Sample], layout: Layout, line_height: f32, x_title: &str) -> MeterChart {
    let plot = Rect {
        x: layout.left,
        y: layout.top,
        width: (layout.width - layout.left - layout.right).max(1.0),
        height: (layout.height - layout.top - layout.bottom).max(1.0),
    };
    let count = samples.len();
    let y_ticks = Y_TICKS.iter().map(|v| Tick { label: v.to_string(), at: y_for(*v, &plot) }).collect();
    let x_ticks =
        samples.iter().enumerate().map(|(i, s)| Tick { label: s.label.clone(), at: x_for(i, count, &plot) }).collect();
    let mut lines: Vec<MeterLine> = Meter::ALL
        .iter()
        .map(|meter| {
            let points: Vec<Point> = samples
                .iter()
                .enumerate()
                .map(|(i, s)| Point { x: x_for(i, count, &plot), y: y_for(s.meters.get(*meter), &plot) })
                .collect();
            let end = samples.last().map_or(0, |s| s.meters.get(*meter));
            let last = points.last().copied().unwrap_or(Point { x: plot.x, y: y_for(end, &plot) });
            MeterLine {
                meter: *meter,
                style: line_style(*meter),
                points,
                end_label: Label { text: format!("{} {end}", meter.label()), x: plot.x + plot.width + 8.0, y: last.y },
            }
        })
        .collect();
    let mut ys: Vec<f32> = lines.iter().map(|l| l.end_label.y).collect();
    spread_apart(&mut ys, line_height, plot.y, plot.y + plot.height);
    for (line, y) in lines.iter_mut().zip(ys) {
        line.end_label.y = y;
    }
    let band = layout.top / 2.0;
    let markers = samples
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let x = x_for(i, count, &plot);
            let both = s.chance && s.delayed;
            let chance = s.chance.then(|| Marker {
                kind: MarkerKind::Chance,
                sample: i,
                x: if both { x - line_height * 0.45 } else { x },
                y: band,
            });
            let delayed = s.delayed.then(|| Marker {
                kind: MarkerKind::Delayed,
                sample: i,
                x: if both { x + line_height * 0.45 } else { x },
                y: band,
            });
            chance.into_iter().chain(delayed)
        })
        .collect();
    MeterChart { layout, plot, y_ticks, x_ticks, lines, markers, x_title: x_title.to_string() }
}

/// Moves the values (label centres) apart so each is at least `gap` from the next, keeping
/// their order and keeping them within `low..=high` where there is room.
pub fn spread_apart(values: &mut [f32], gap: f32, low: f32, high: f32) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]).then(a.cmp(b)));
    let mut sorted: Vec<f32> = order.iter().map(|i| values[*i]).collect();
    if let Some(first) = sorted.first_mut() {
        *first = first.max(low);
    }
    for i in 1..sorted.len() {
        sorted[i] = sorted[i].max(sorted[i - 1] + gap);
    }
    // Pushed past the bottom: move up from there, as far as the top allows.
    if let Some(last) = sorted.last_mut() {
        *last = last.min(high);
    }
    for i in (0..sorted.len().saturating_sub(1)).rev() {
        sorted[i] = sorted[i].min(sorted[i + 1] - gap);
    }
    for (i, v) in order.into_iter().zip(sorted) {
        values[i] = v;
    }
}

/// One option's bar in a vote split.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub votes: u32,
    /// Of all votes, 0 to 1 (0 when nobody voted).
    pub share: f32,
    /// The bar's length for a chart whose longest possible bar (every vote) is `full`.
    pub length: f32,
    /// "7 (58%)".
    pub label: String,
}

/// The bars of a vote split, one per option in order.
pub fn vote_bars(votes: &[u32], full: f32) -> Vec<Bar> {
    let total: u64 = votes.iter().map(|v| u64::from(*v)).sum();
    votes
        .iter()
        .map(|v| {
            let share = if total == 0 { 0.0 } else { *v as f32 / total as f32 };
            Bar { votes: *v, share, length: full * share, label: format!("{v} ({:.0}%)", share * 100.0) }
        })
        .collect()
}
