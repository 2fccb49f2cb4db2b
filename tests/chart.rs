//! The meter chart's geometry, shared by the report's SVG and the game's chart: scaling,
//! points, ticks, labels that never overlap, markers, and vote bars.

use leap::engine::Meters;
use leap::export::chart::{Layout, MarkerKind, Sample, Segment, meter_chart, spread_apart, vote_bars, x_for, y_for};
use leap::scenario::Meter;

fn m(trust: i32, impact: i32, engagement: i32) -> Meters {
    Meters { trust, strategic_impact: impact, team_engagement: engagement }
}

fn layout() -> Layout {
    Layout { width: 500.0, height: 240.0, left: 40.0, right: 60.0, top: 20.0, bottom: 20.0 }
}

#[test]
fn values_scale_from_the_bottom_0_to_the_top_100_and_samples_spread_evenly() {
    let chart = meter_chart(
        &[Sample::new("Start", m(0, 50, 100)), Sample::new("1", m(100, 25, 75)), Sample::new("2", m(50, 50, 50))],
        layout(),
        14.0,
        "decision",
    );
    let plot = chart.plot;
    assert_eq!((plot.x, plot.y, plot.width, plot.height), (40.0, 20.0, 400.0, 200.0));
    let trust = &chart.lines[0];
    assert_eq!(trust.meter, Meter::Trust);
    let xy: Vec<(f32, f32)> = trust.points.iter().map(|p| (p.x, p.y)).collect();
    assert_eq!(xy, [(40.0, 220.0), (240.0, 20.0), (440.0, 120.0)]);
    let impact: Vec<f32> = chart.lines[1].points.iter().map(|p| p.y).collect();
    assert_eq!(impact, [120.0, 170.0, 120.0]);
    let ticks: Vec<(&str, f32)> = chart.y_ticks.iter().map(|t| (t.label.as_str(), t.at)).collect();
    assert_eq!(ticks, [("0", 220.0), ("25", 170.0), ("50", 120.0), ("75", 70.0), ("100", 20.0)]);
    let x_labels: Vec<&str> = chart.x_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(x_labels, ["Start", "1", "2"]);
    assert_eq!(chart.x_of(1), 240.0);
    assert_eq!(chart.half_step(), 100.0);
    // Out-of-range values (a hand-edited log) stay inside the plot.
    assert_eq!(y_for(-20, &plot), 220.0);
    assert_eq!(y_for(130, &plot), 20.0);
    assert_eq!(x_for(0, 1, &plot), 240.0, "a single sample sits in the middle");
}

#[test]
fn each_line_is_labelled_with_its_meter_and_end_value_without_overlap() {
    // All three meters end on the same value: the labels must still be apart and in order.
    let chart = meter_chart(
        &[Sample::new("Start", m(40, 60, 20)), Sample::new("1", m(55, 55, 55))],
        layout(),
        14.0,
        "decision",
    );
    let labels: Vec<(&str, f32, f32)> =
        chart.lines.iter().map(|l| (l.end_label.text.as_str(), l.end_label.x, l.end_label.y)).collect();
    assert_eq!(labels[0].0, "Trust 55");
    assert_eq!(labels[1].0, "Strategic impact 55");
    assert_eq!(labels[2].0, "Team engagement 55");
    assert!(labels.iter().all(|l| l.1 > chart.plot.x + chart.plot.width), "labels sit right of the plot");
    let mut ys: Vec<f32> = labels.iter().map(|l| l.2).collect();
    ys.sort_by(f32::total_cmp);
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 14.0 - 1e-3), "{ys:?}");
    // Styles differ by more than colour.
    let styles: Vec<_> = chart.lines.iter().map(|l| (l.style.dash.len(), l.style.shape)).collect();
    assert!(styles[0] != styles[1] && styles[1] != styles[2] && styles[0] != styles[2]);
}

#[test]
fn labels_pushed_past_the_bottom_move_up_and_keep_their_order() {
    let mut ys = [218.0, 219.0, 100.0];
    spread_apart(&mut ys, 14.0, 20.0, 220.0);
    assert_eq!(ys, [206.0, 220.0, 100.0]);
    let mut same = [50.0, 50.0, 50.0];
    spread_apart(&mut same, 10.0, 20.0, 220.0);
    assert_eq!(same, [50.0, 60.0, 70.0]);
}

#[test]
fn markers_stand_over_chance_outcomes_and_delayed_consequences() {
    let mut chance = Sample::new("1", m(50, 50, 50));
    chance.chance = true;
    let mut both = Sample::new("2", m(50, 50, 50));
    both.chance = true;
    both.delayed = true;
    let chart = meter_chart(&[Sample::new("Start", m(50, 50, 50)), chance, both], layout(), 14.0, "decision");
    let markers: Vec<(MarkerKind, usize)> = chart.markers.iter().map(|mk| (mk.kind, mk.sample)).collect();
    assert_eq!(markers, [(MarkerKind::Chance, 1), (MarkerKind::Chance, 2), (MarkerKind::Delayed, 2)]);
    assert_eq!(chart.markers[0].x, 240.0);
    assert!(chart.markers.iter().all(|mk| mk.y < chart.plot.y), "markers sit in the band above the plot");
    assert!(chart.markers[1].x < chart.markers[2].x, "two markers on one decision stand side by side");
}

#[test]
fn segments_have_the_length_and_angle_the_game_rotates_nodes_by() {
    let s = Segment {
        from: leap::export::chart::Point { x: 0.0, y: 0.0 },
        to: leap::export::chart::Point { x: 30.0, y: 40.0 },
    };
    assert_eq!(s.length(), 50.0);
    assert!((s.angle() - (40.0f32).atan2(30.0)).abs() < 1e-6);
    assert_eq!((s.middle().x, s.middle().y), (15.0, 20.0));
    let chart = meter_chart(
        &[Sample::new("Start", m(50, 50, 50)), Sample::new("1", m(60, 50, 40)), Sample::new("2", m(70, 50, 30))],
        layout(),
        14.0,
        "decision",
    );
    assert_eq!(chart.lines[0].segments().count(), 2);
}

#[test]
fn vote_bars_are_shares_of_all_votes() {
    let bars = vote_bars(&[9, 2, 0, 1], 120.0);
    let lengths: Vec<f32> = bars.iter().map(|b| b.length).collect();
    assert_eq!(lengths, [90.0, 20.0, 0.0, 10.0]);
    assert_eq!(bars[0].label, "9 (75%)");
    assert!(vote_bars(&[0, 0], 100.0).iter().all(|b| b.length == 0.0 && b.label == "0 (0%)"));
}
