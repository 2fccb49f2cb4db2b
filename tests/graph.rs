//! `leap graph`: the small fixture's graph, compared with text checked by hand.

mod common;

use std::process::Command;

use leap::tools::graph::{dot, mermaid};

fn expected(name: &str) -> String {
    std::fs::read_to_string(common::fixture(&format!("graph/{name}"))).unwrap()
}

#[test]
fn the_mermaid_graph_matches_the_expected_text() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    assert_eq!(mermaid(&scenario), expected("small.mmd"));
}

#[test]
fn the_dot_graph_matches_the_expected_text() {
    let scenario = common::load_scenario(&common::fixture("valid/small.ron"));
    assert_eq!(dot(&scenario), expected("small.dot"));
}

#[test]
fn leap_graph_takes_an_id_or_a_path() {
    let dir = common::fixture("valid");
    let by_id = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(["--scenarios", dir.to_str().unwrap(), "graph", "small", "--format", "dot"])
        .output()
        .unwrap();
    assert_eq!(by_id.status.code(), Some(0));
    assert_eq!(String::from_utf8(by_id.stdout).unwrap(), expected("small.dot"));
    let by_path =
        Command::new(env!("CARGO_BIN_EXE_leap")).arg("graph").arg(common::fixture("valid/small.ron")).output().unwrap();
    assert_eq!(String::from_utf8(by_path.stdout).unwrap(), expected("small.mmd"));
    let unknown = Command::new(env!("CARGO_BIN_EXE_leap"))
        .args(["--scenarios", dir.to_str().unwrap(), "graph", "smal"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `small`?"));
}

#[test]
fn every_shipped_scenario_graphs_every_beat_and_ending() {
    for scenario in common::shipped().scenarios() {
        let text = mermaid(scenario);
        for (i, beat) in scenario.beats.iter().enumerate() {
            assert!(text.contains(&format!("    b{i}[\"{}", beat.id)), "{}: beat {} missing", scenario.id, beat.id);
        }
        let edges = text.lines().filter(|l| l.contains("|\"") && l.trim_start().starts_with('b')).count();
        let choices = scenario.beats.iter().map(|b| b.choices.len()).sum::<usize>();
        assert!(edges >= choices, "{}: {edges} edges for {choices} choices", scenario.id);
    }
}
