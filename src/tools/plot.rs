//! SVG charts of simulation reports, for `leap simulate --plot DIR`: how often each ending is
//! reached under each policy (one stacked bar per policy), and each meter's distribution at
//! the end (a histogram per meter). Hand-built SVG: a few rectangles and labels need no
//! plotting crate, and the files open in any browser.

use std::fmt::Write;

use crate::export::svg::{escape, meter_colour};
use crate::scenario::Meter;

use super::simulate::SimReport;

/// Okabe–Ito colours for endings, in order, each with a hatch so neighbours differ without
/// colour too.
const ENDING_COLOURS: [&str; 7] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"];

fn svg_open(width: f64, height: f64, title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="{t}"><title>{t}</title><rect width="100%" height="100%" fill="#fff"/><text x="12" y="22" font-size="15" font-weight="bold">{t}</text>"##,
        t = escape(title)
    )
}

/// Ending shares per policy: `reports` are one scenario simulated under several policies.
pub fn endings_by_policy_svg(reports: &[SimReport]) -> String {
    let Some(first) = reports.first() else { return String::new() };
    let (label_w, bar_w, row_h) = (130.0, 560.0, 34.0);
    let legend_rows = first.endings.len().div_ceil(2) as f64;
    let height = 60.0 + row_h * reports.len() as f64 + 30.0 + 20.0 * legend_rows;
    let title = format!("{}: endings reached, per policy ({} runs each)", first.title, first.runs);
    let mut s = svg_open(label_w + bar_w + 40.0, height, &title);
    s.push_str(r##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2" stroke-opacity="0.6"/></pattern></defs>"##);
    for (row, report) in reports.iter().enumerate() {
        let y = 44.0 + row_h * row as f64;
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" text-anchor="end">{name}</text>"#,
            x = label_w - 8.0,
            ty = y + 17.0,
            name = escape(&report.policy)
        );
        let mut x = label_w;
        for (i, ending) in report.endings.iter().enumerate() {
            let w = bar_w * ending.share;
            if w <= 0.0 {
                continue;
            }
            let colour = ENDING_COLOURS[i % ENDING_COLOURS.len()];
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="24" fill="{colour}" stroke="#fff"><title>{t}: {p:.1}%</title></rect>"##,
                t = escape(&ending.title),
                p = ending.share * 100.0
            );
            if i % 2 == 1 {
                let _ = write!(s, r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="24" fill="url(#hatch)"/>"#);
            }
            if w >= 34.0 {
                let _ = write!(
                    s,
                    r##"<text x="{cx:.1}" y="{ty}" text-anchor="middle" fill="#000" font-weight="bold" paint-order="stroke" stroke="#fff" stroke-width="3">{p:.0}%</text>"##,
                    cx = x + w / 2.0,
                    ty = y + 17.0,
                    p = ending.share * 100.0
                );
            }
            x += w;
        }
        if report.unfinished > 0 {
            let _ = write!(s, r#"<text x="{x:.1}" y="{}" font-size="10"> unfinished</text>"#, y + 17.0);
        }
    }
    let axis_y = 44.0 + row_h * reports.len() as f64;
    for pct in [0, 25, 50, 75, 100] {
        let x = label_w + bar_w * pct as f64 / 100.0;
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="40" x2="{x}" y2="{axis_y}" stroke="#999" stroke-dasharray="2 3"/><text x="{x}" y="{ty}" text-anchor="middle">{pct}%</text>"##,
            ty = axis_y + 14.0
        );
    }
    for (i, ending) in first.endings.iter().enumerate() {
        let (col, line) = ((i % 2) as f64, (i / 2) as f64);
        let x = 12.0 + col * 360.0;
        let y = axis_y + 30.0 + 20.0 * line;
        let colour = ENDING_COLOURS[i % ENDING_COLOURS.len()];
        let hatch = if i % 2 == 1 {
            format!(r#"<rect x="{x}" y="{}" width="14" height="14" fill="url(#hatch)"/>"#, y - 11.0)
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{ry}" width="14" height="14" fill="{colour}"/>{hatch}<text x="{tx}" y="{y}">{t} ({v})</text>"#,
            ry = y - 11.0,
            tx = x + 20.0,
            t = escape(&ending.title),
            v = escape(ending.verdict)
        );
    }
    s.push_str("</svg>");
    s
}

/// Each meter's value at the end of the finished runs: a histogram per meter in bands of ten,
/// with the median marked; the y scale is the share of runs, up to the fullest band's.
pub fn meter_distributions_svg(report: &SimReport) -> String {
    let (panel_w, panel_h, gap) = (260.0, 200.0, 30.0);
    let width = 20.0 + (panel_w + gap) * report.meters.len() as f64;
    let title = format!("{}: meters at the end ({}, {} runs)", report.title, report.policy, report.runs);
    let mut s = svg_open(width, panel_h + 110.0, &title);
    for (i, stat) in report.meters.iter().enumerate() {
        let meter = Meter::ALL.iter().copied().find(|m| m.id() == stat.meter).unwrap_or(Meter::Trust);
        let colour = meter_colour(meter);
        let left = 50.0 + (panel_w + gap) * i as f64;
        let top = 60.0;
        let total: u64 = stat.buckets.iter().sum();
        let most = stat.buckets.iter().copied().max().unwrap_or(0).max(1) as f64;
        let share_top = most / total.max(1) as f64;
        let _ = write!(
            s,
            r#"<text x="{x}" y="48" font-weight="bold" fill="{colour}">{label}: mean {mean:.1}, median {median}</text>"#,
            x = left - 30.0,
            label = escape(stat.label),
            mean = stat.mean,
            median = stat.percentiles.iter().find(|(p, _)| *p == 50).map_or(0, |(_, v)| *v)
        );
        let band_w = (panel_w - 30.0) / 10.0;
        for (band, count) in stat.buckets.iter().enumerate() {
            let h = panel_h * *count as f64 / most;
            let x = left + band_w * band as f64;
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{colour}" stroke="#fff"><title>{lo}-{hi}: {count} runs</title></rect>"##,
                y = top + panel_h - h,
                w = band_w,
                lo = band * 10,
                hi = if band == 9 { 100 } else { band * 10 + 9 }
            );
        }
        for v in [0, 50, 100] {
            let x = left + (panel_w - 30.0) * v as f64 / 100.0;
            let _ = write!(s, r#"<text x="{x:.1}" y="{y}" text-anchor="middle">{v}</text>"#, y = top + panel_h + 16.0);
        }
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333"/><line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#333"/><text x="{tx}" y="{tt}" text-anchor="end" font-size="10">{pct:.0}%</text><text x="{tx}" y="{tb}" text-anchor="end" font-size="10">0%</text><text x="{mid}" y="{ay}" text-anchor="middle">{label} at the end</text>"##,
            bottom = top + panel_h,
            right = left + panel_w - 30.0,
            tx = left - 4.0,
            tt = top + 8.0,
            tb = top + panel_h,
            pct = share_top * 100.0,
            mid = left + (panel_w - 30.0) / 2.0,
            ay = top + panel_h + 34.0,
            label = escape(stat.label)
        );
        if let Some((_, median)) = stat.percentiles.iter().find(|(p, _)| *p == 50) {
            let x = left + (panel_w - 30.0) * *median as f64 / 100.0;
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{bottom}" stroke="#000" stroke-width="2" stroke-dasharray="5 3"/><text x="{x:.1}" y="{ty}" text-anchor="middle" font-size="10">median</text>"##,
                bottom = top + panel_h,
                ty = top - 2.0
            );
        }
    }
    s.push_str("</svg>");
    s
}
