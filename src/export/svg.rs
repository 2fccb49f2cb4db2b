//! SVG for the report and the simulator's plots: the meter chart drawn from its geometry
//! ([`super::chart`]), vote splits, and plain bar charts. Inline SVG meant for an HTML page:
//! no external fonts, images or styles; every text escaped.

use std::fmt::Write;

use super::chart::{MarkerKind, MeterChart, Shape, vote_bars};
use crate::scenario::Meter;

/// Okabe–Ito colours that stay readable on white paper: blue, vermillion, bluish green.
pub fn meter_colour(meter: Meter) -> &'static str {
    match meter {
        Meter::Trust => "#0072B2",
        Meter::StrategicImpact => "#D55E00",
        Meter::TeamEngagement => "#009E73",
    }
}

/// Text made safe for HTML and SVG, in element content and in quoted attributes alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The meter chart as an `<svg>` element scaled to its container's width; `title` is read by
/// screen readers and shown as a tooltip.
pub fn meter_chart_svg(chart: &MeterChart, title: &str) -> String {
    let l = &chart.layout;
    let p = &chart.plot;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" font-size="12"><title>{t}</title>"#,
        w = l.width,
        h = l.height,
        t = escape(title)
    );
    for tick in &chart.y_ticks {
        let _ = write!(
            s,
            r##"<line x1="{x1}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#ccc" stroke-width="1"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{label}</text>"##,
            x1 = p.x,
            x2 = p.x + p.width,
            y = tick.at,
            tx = p.x - 6.0,
            ty = tick.at + 4.0,
            label = escape(&tick.label)
        );
    }
    let bottom = p.y + p.height;
    let every = (chart.x_ticks.len() / 20).max(1);
    for (i, tick) in chart.x_ticks.iter().enumerate() {
        if i % every == 0 || i + 1 == chart.x_ticks.len() {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle">{label}</text>"#,
                x = tick.at,
                y = bottom + 16.0,
                label = escape(&tick.label)
            );
        }
    }
    let _ = write!(
        s,
        r##"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#333"/><line x1="{x}" y1="{y2}" x2="{x3}" y2="{y2}" stroke="#333"/>"##,
        x = p.x,
        y1 = p.y,
        y2 = bottom,
        x3 = p.x + p.width
    );
    let _ = write!(
        s,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle">{title}</text><text x="12" y="{my:.1}" text-anchor="middle" transform="rotate(-90 12 {my:.1})">meter (0–100)</text>"#,
        x = p.x + p.width / 2.0,
        y = l.height - 4.0,
        title = escape(&chart.x_title),
        my = p.y + p.height / 2.0
    );
    for line in &chart.lines {
        let colour = meter_colour(line.meter);
        let dash = if line.style.dash.is_empty() {
            String::new()
        } else {
            let lengths: Vec<String> = line.style.dash.iter().map(|d| format!("{}", d * 2.5)).collect();
            format!(r#" stroke-dasharray="{}""#, lengths.join(" "))
        };
        let points: Vec<String> = line.points.iter().map(|pt| format!("{:.1},{:.1}", pt.x, pt.y)).collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{}"/>"#,
            points.join(" ")
        );
        for pt in &line.points {
            s.push_str(&shape_svg(line.style.shape, pt.x, pt.y, 3.5, colour));
        }
        if let Some(last) = line.points.last() {
            let _ = write!(
                s,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="1"/>"#,
                last.x + 4.0,
                last.y,
                line.end_label.x - 2.0,
                line.end_label.y
            );
        }
        s.push_str(&shape_svg(line.style.shape, line.end_label.x + 4.0, line.end_label.y, 4.0, colour));
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" fill="{colour}" font-weight="bold">{}</text>"#,
            line.end_label.x + 12.0,
            line.end_label.y + 4.0,
            escape(&line.end_label.text)
        );
    }
    for marker in &chart.markers {
        let fill = match marker.kind {
            MarkerKind::Chance => "#fff",
            MarkerKind::Delayed => "#333",
        };
        let ink = match marker.kind {
            MarkerKind::Chance => "#333",
            MarkerKind::Delayed => "#fff",
        };
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{y1:.1}" x2="{x:.1}" y2="{y2:.1}" stroke="#999" stroke-dasharray="2 3"/><circle cx="{x:.1}" cy="{y:.1}" r="7" fill="{fill}" stroke="#333"/><text x="{x:.1}" y="{ty:.1}" text-anchor="middle" font-weight="bold" fill="{ink}">{sym}</text>"##,
            x = marker.x,
            y = marker.y,
            y1 = marker.y + 7.0,
            y2 = bottom,
            ty = marker.y + 4.0,
            sym = marker.kind.symbol()
        );
    }
    s.push_str("</svg>");
    s
}

fn shape_svg(shape: Shape, x: f32, y: f32, r: f32, colour: &str) -> String {
    match shape {
        Shape::Circle => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{colour}"/>"#),
        Shape::Square => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{w}" height="{w}" fill="{colour}"/>"#,
            x - r,
            y - r,
            w = 2.0 * r
        ),
        Shape::Diamond => format!(
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{colour}"/>"#,
            x,
            y - r * 1.3,
            x + r * 1.3,
            y,
            x,
            y + r * 1.3,
            x - r * 1.3,
            y
        ),
    }
}

/// A horizontal bar chart: one labelled bar per row, lengths relative to the largest value
/// (or to `full` when given, e.g. 1.0 for shares); `value_label` writes each value.
pub fn bar_chart_svg(
    title: &str,
    rows: &[(String, f64)],
    full: Option<f64>,
    value_label: &dyn Fn(f64) -> String,
) -> String {
    let label_width = 220.0;
    let bar_room = 320.0;
    let row_height = 22.0;
    let height = 30.0 + row_height * rows.len() as f64;
    let max = full.unwrap_or_else(|| rows.iter().map(|r| r.1).fold(0.0, f64::max)).max(f64::MIN_POSITIVE);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {height}" role="img" aria-label="{t}" font-family="sans-serif" font-size="12"><title>{t}</title><text x="4" y="16" font-weight="bold">{t}</text>"#,
        w = label_width + bar_room + 90.0,
        t = escape(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 26.0 + row_height * i as f64;
        let length = bar_room * (value / max).clamp(0.0, 1.0);
        let _ = write!(
            s,
            r##"<text x="{lx}" y="{ty:.1}" text-anchor="end">{label}</text><rect x="{bx}" y="{y:.1}" width="{length:.1}" height="{bh}" fill="#0072B2"/><text x="{vx:.1}" y="{ty:.1}">{value}</text>"##,
            lx = label_width - 6.0,
            ty = y + 12.0,
            label = escape(label),
            bx = label_width,
            bh = row_height - 6.0,
            vx = label_width + length + 6.0,
            value = escape(&value_label(*value))
        );
    }
    s.push_str("</svg>");
    s
}

/// A decision's vote split: one bar per option (A, B, ...), the option applied in bold.
pub fn vote_split_svg(letters_and_texts: &[(String, String)], votes: &[u32], applied: Option<usize>) -> String {
    let bars = vote_bars(votes, 240.0);
    let row_height = 20.0;
    let height = row_height * bars.len() as f32 + 4.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="votes" viewBox="0 0 560 {height}" role="img" aria-label="How the room voted" font-size="12">"#
    );
    for (i, (bar, (letter, text))) in bars.iter().zip(letters_and_texts).enumerate() {
        let y = row_height * i as f32 + 2.0;
        let weight = if applied == Some(i) { "bold" } else { "normal" };
        let short: String =
            if text.chars().count() > 30 { text.chars().take(29).collect::<String>() + "…" } else { text.clone() };
        let _ = write!(
            s,
            r##"<text x="0" y="{ty:.1}" font-weight="{weight}">{letter}. {short}</text><rect x="250" y="{y:.1}" width="{len:.1}" height="{bh}" fill="{fill}" stroke="#333" stroke-width="0.5"/><text x="{vx:.1}" y="{ty:.1}" font-weight="{weight}">{label}</text>"##,
            ty = y + 13.0,
            letter = escape(letter),
            short = escape(&short),
            len = bar.length.max(1.0),
            bh = row_height - 6.0,
            fill = if applied == Some(i) { "#0072B2" } else { "#9bbcd6" },
            vx = 250.0 + bar.length + 6.0,
            label = escape(&bar.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// The key under a meter chart: each meter's line and shape, and the markers.
pub fn legend_html() -> String {
    let mut s = String::from(r#"<p class="legend">"#);
    for meter in Meter::ALL {
        let style = super::chart::line_style(meter);
        let line = match style.shape {
            Shape::Circle => "solid line, circles",
            Shape::Square => "dashed line, squares",
            Shape::Diamond => "dotted line, diamonds",
        };
        let _ = write!(
            s,
            r#"<span style="color:{}"><b>{}</b>: {line}</span> · "#,
            meter_colour(meter),
            escape(meter.label())
        );
    }
    for kind in [MarkerKind::Chance, MarkerKind::Delayed] {
        let _ = write!(s, "<span><b>{}</b> above a decision: {}</span> · ", kind.symbol(), kind.legend());
    }
    s.truncate(s.len() - " · ".len());
    s.push_str("</p>");
    s
}
