//! The meter chart and vote-split bars as Bevy UI, drawn from the same geometry as the
//! report's SVG ([`crate::export::chart`]): line segments (and dashes) are thin nodes rotated
//! with `UiTransform`, points are small shapes, every line has its name and end value beside
//! it, and markers above the plot show chance outcomes and delayed consequences. Selecting a
//! decision elsewhere (a [`ChartHighlight`] target) moves a band over it.

use bevy::prelude::*;

use crate::export::chart::{Layout, MarkerKind, Sample, Segment, Shape, meter_chart as geometry, vote_bars};
use crate::game::theme::Palette;
use crate::game::widgets::text;

/// The band over the selected sample; `xs` holds the x of each sample by its key (a
/// decision number).
#[derive(Component, Debug, Clone)]
pub struct ChartHighlight {
    pub xs: Vec<(u32, f32)>,
    pub half_width: f32,
}

/// Which key the highlight should stand over; set by the screen that owns the chart.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HighlightedSample(pub Option<u32>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<HighlightedSample>().add_systems(Update, move_highlight);
}

const LINE_WIDTH: f32 = 3.0;

fn absolute(x: f32, y: f32, width: f32, height: f32) -> Node {
    Node {
        position_type: PositionType::Absolute,
        left: px(x),
        top: px(y),
        width: px(width),
        height: px(height),
        ..default()
    }
}

fn segment_node(segment: &Segment, thickness: f32, color: Color) -> impl Bundle {
    let middle = segment.middle();
    let length = segment.length().max(0.5);
    (
        absolute(middle.x - length / 2.0, middle.y - thickness / 2.0, length, thickness),
        UiTransform::from_rotation(Rot2::radians(segment.angle())),
        BackgroundColor(color),
    )
}

fn shape_node(shape: Shape, x: f32, y: f32, radius: f32, color: Color) -> impl Bundle {
    let size = radius * 2.0;
    let (rotation, rounding) = match shape {
        Shape::Circle => (Rot2::IDENTITY, BorderRadius::all(percent(50))),
        Shape::Square => (Rot2::IDENTITY, BorderRadius::ZERO),
        Shape::Diamond => (Rot2::degrees(45.0), BorderRadius::ZERO),
    };
    (
        Node { border_radius: rounding, ..absolute(x - radius, y - radius, size, size) },
        UiTransform::from_rotation(rotation),
        BackgroundColor(color),
    )
}

fn label(
    content: impl Into<String>,
    x: f32,
    y: f32,
    width: f32,
    size: f32,
    color: Color,
    justify: Justify,
) -> impl Bundle {
    let justify_content = match justify {
        Justify::Right => JustifyContent::FlexEnd,
        Justify::Center => JustifyContent::Center,
        _ => JustifyContent::FlexStart,
    };
    (
        Node { justify_content, align_items: AlignItems::Center, ..absolute(x, y - size * 0.7, width, size * 1.4) },
        children![(text(content, size, color), TextLayout { justify, linebreak: LineBreak::NoWrap })],
    )
}

/// The chart of `samples` in a `width` × `height` box, text at `font` px; `keys` give each
/// sample its key for the highlight (decision numbers; none: no highlight), `x_title` names
/// the x axis.
pub fn meter_chart(
    samples: &[Sample],
    keys: &[u32],
    width: f32,
    height: f32,
    font: f32,
    palette: Palette,
    x_title: &str,
) -> impl Bundle {
    let chart = geometry(samples, Layout::new(width, height, font), font * 1.25, x_title);
    let xs: Vec<(u32, f32)> = keys.iter().enumerate().map(|(i, k)| (*k, chart.x_of(i))).collect();
    let half = chart.half_step().min(font * 2.0);
    (
        Node { width: px(width), height: px(height), flex_shrink: 0.0, ..default() },
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            let plot = chart.plot;
            let bottom = plot.y + plot.height;
            // The highlight band first, so everything draws over it.
            if !xs.is_empty() {
                p.spawn((
                    absolute(0.0, plot.y, half * 2.0, plot.height),
                    BackgroundColor(palette.raised),
                    Visibility::Hidden,
                    ChartHighlight { xs, half_width: half },
                ));
            }
            for tick in &chart.y_ticks {
                p.spawn((absolute(plot.x, tick.at, plot.width, 1.0), BackgroundColor(palette.raised)));
                p.spawn(label(tick.label.clone(), 0.0, tick.at, plot.x - 6.0, font * 0.8, palette.dim, Justify::Right));
            }
            p.spawn((absolute(plot.x, plot.y, 1.5, plot.height), BackgroundColor(palette.dim)));
            p.spawn((absolute(plot.x, bottom, plot.width, 1.5), BackgroundColor(palette.dim)));
            let every = (chart.x_ticks.len() / 16).max(1);
            for (i, tick) in chart.x_ticks.iter().enumerate() {
                if i % every == 0 || i + 1 == chart.x_ticks.len() {
                    let w = font * 4.0;
                    p.spawn(label(
                        tick.label.clone(),
                        tick.at - w / 2.0,
                        bottom + font * 0.9,
                        w,
                        font * 0.8,
                        palette.dim,
                        Justify::Center,
                    ));
                }
            }
            p.spawn(label(
                format!("{} · meters 0–100", chart.x_title),
                plot.x,
                bottom + font * 2.0,
                plot.width,
                font * 0.8,
                palette.dim,
                Justify::Center,
            ));
            for line in &chart.lines {
                let color = palette.meter(line.meter);
                for segment in line.segments() {
                    for piece in segment.dashes(line.style.dash, LINE_WIDTH) {
                        p.spawn(segment_node(&piece, LINE_WIDTH, color));
                    }
                }
                for point in &line.points {
                    p.spawn(shape_node(line.style.shape, point.x, point.y, font * 0.3, color));
                }
                let end = line.end_label.clone();
                if let Some(last) = line.points.last() {
                    let leader = Segment { from: *last, to: crate::export::chart::Point { x: end.x, y: end.y } };
                    p.spawn(segment_node(&leader, 1.0, color));
                }
                p.spawn(shape_node(line.style.shape, end.x + font * 0.4, end.y, font * 0.35, color));
                p.spawn(label(
                    end.text,
                    end.x + font,
                    end.y,
                    chart.layout.right - font,
                    font * 0.85,
                    color,
                    Justify::Left,
                ));
            }
            for marker in &chart.markers {
                let r = font * 0.55;
                let (fill, ink) = match marker.kind {
                    MarkerKind::Chance => (palette.panel, palette.text),
                    MarkerKind::Delayed => (palette.focus, palette.background),
                };
                p.spawn((
                    Node {
                        border: UiRect::all(px(1.5)),
                        border_radius: BorderRadius::all(percent(50)),
                        justify_content: JustifyContent::Center,
                        align_items: AlignItems::Center,
                        ..absolute(marker.x - r, marker.y - r, r * 2.0, r * 2.0)
                    },
                    BackgroundColor(fill),
                    BorderColor::all(palette.text),
                    children![text(marker.kind.symbol(), font * 0.75, ink)],
                ));
                p.spawn((
                    absolute(marker.x, marker.y + r, 1.0, bottom - marker.y - r),
                    BackgroundColor(palette.dim.with_alpha(0.5)),
                ));
            }
        })),
    )
}

/// The key of the chart's lines, shapes and markers, in words.
pub fn legend(font: f32, palette: Palette) -> impl Bundle {
    let words = format!(
        "Trust: solid, circles · Strategic impact: dashed, squares · Team engagement: dotted, diamonds · {} {} · {} {}",
        MarkerKind::Chance.symbol(),
        MarkerKind::Chance.legend(),
        MarkerKind::Delayed.symbol(),
        MarkerKind::Delayed.legend()
    );
    text(words, font * 0.75, palette.dim)
}

/// One decision's vote split: a row per option, "A", a bar to scale, "7 (58%)"; the option
/// applied is marked with an arrow as well as its colour.
pub fn vote_split(votes: &[u32], applied: Option<usize>, width: f32, font: f32, palette: Palette) -> impl Bundle {
    let bars = vote_bars(votes, width);
    (
        Node { flex_direction: FlexDirection::Column, row_gap: px(2), ..default() },
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            for (i, bar) in bars.into_iter().enumerate() {
                let chosen = applied == Some(i);
                let letter = crate::engine::votes::option_letter(i);
                let color = if chosen { palette.focus } else { palette.dim };
                p.spawn(Node {
                    flex_direction: FlexDirection::Row,
                    column_gap: px(8),
                    align_items: AlignItems::Center,
                    ..default()
                })
                .with_children(|row| {
                    let no_wrap = TextLayout { linebreak: LineBreak::NoWrap, ..default() };
                    let mark = if chosen { "▶" } else { " " };
                    row.spawn((
                        text(format!("{mark} {letter}"), font, color),
                        no_wrap,
                        Node { width: px(font * 2.2), ..default() },
                    ));
                    row.spawn((
                        Node { width: px(bar.length.max(2.0)), height: px(font * 0.8), flex_shrink: 0.0, ..default() },
                        BackgroundColor(color),
                    ));
                    row.spawn((text(bar.label, font * 0.9, color), no_wrap));
                });
            }
        })),
    )
}

fn move_highlight(wanted: Res<HighlightedSample>, mut bands: Query<(&ChartHighlight, &mut Node, &mut Visibility)>) {
    for (band, mut node, mut visibility) in &mut bands {
        let x = wanted.0.and_then(|key| band.xs.iter().find(|(k, _)| *k == key)).map(|(_, x)| *x);
        let (left, shown) = match x {
            Some(x) => (px(x - band.half_width), Visibility::Inherited),
            None => (node.left, Visibility::Hidden),
        };
        if node.left != left {
            node.left = left;
        }
        if *visibility != shown {
            *visibility = shown;
        }
    }
}
