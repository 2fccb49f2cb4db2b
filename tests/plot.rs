//! `leap simulate --plot DIR`: SVG charts of ending shares per policy and of each meter at the end.

mod common;

use leap::tools::plot::{endings_by_policy_svg, meter_distributions_svg};
use leap::tools::policy::Policy;
use leap::tools::simulate::{SimConfig, simulate};

#[test]
fn ending_shares_are_drawn_to_scale_for_every_policy() {
    let scenario = common::load_scenario(&common::fixture("tools/known-odds.ron"));
    let reports: Vec<_> = ["random", "results-first"]
        .iter()
        .map(|name| simulate(&scenario, &SimConfig::new(4000, 1, Policy::named(name).unwrap())).unwrap())
        .collect();
    let svg = endings_by_policy_svg(&reports);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>"));
    for title in ["Jackpot (Strong)", "Bust (Weak)", "Calm (Mixed)", "Storm (Mixed)"] {
        assert!(svg.contains(title), "no legend entry {title}");
    }
    assert!(svg.contains(">random</text>") && svg.contains(">results-first</text>"));
    // results-first always gambles: a quarter jackpot, three quarters bust, as 560 px bars.
    let results_first = &reports[1];
    let jackpot = results_first.endings.iter().find(|e| e.id == "jackpot").unwrap();
    let width = format!("width=\"{:.1}\"", 560.0 * jackpot.share);
    assert!((jackpot.share - 0.25).abs() < 0.03, "{}", jackpot.share);
    assert!(svg.contains(&width), "no bar {width}");
}

#[test]
fn meter_histograms_and_the_command_write_files() {
    let scenario = common::load_scenario(&common::fixture("tools/known-odds.ron"));
    let report = simulate(&scenario, &SimConfig::new(500, 1, Policy::Random)).unwrap();
    let svg = meter_distributions_svg(&report);
    for label in ["Trust at the end", "Strategic impact at the end", "Team engagement at the end"] {
        assert!(svg.contains(label), "{label}");
    }
    assert_eq!(svg.matches("runs</title></rect>").count(), 30, "ten bands for each of three meters");

    let dir = common::scratch_dir("plot-cli");
    let fixture = common::fixture("tools/known-odds.ron");
    let (code, output) = common::run_leap(
        &["simulate", fixture.to_str().unwrap(), "--runs", "300", "--plot", dir.to_str().unwrap()],
        "",
    );
    assert_eq!(code, Some(0), "{output}");
    for name in ["known-odds.endings.svg", "known-odds.meters.svg"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains("Known Odds"), "{name}");
        assert!(output.contains(name), "{output}");
    }
    let endings = std::fs::read_to_string(dir.join("known-odds.endings.svg")).unwrap();
    for policy in Policy::NAMES {
        assert!(endings.contains(&format!(">{policy}</text>")), "no row for {policy}");
    }
}
