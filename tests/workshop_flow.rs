//! The workshop's core state machine on what the window needs of it: a campaign stage by
//! stage (resumed mid-campaign too), the meters' reveal rules, and a log that cannot be
//! written reported and caught up. The terminal and the window both drive this machine.

mod common;

use leap::record::read_log;
use leap::workshop::flow::{FlowKey, Step, WorkshopFlow};
use leap::workshop::{MeterMode, WorkshopConfig, WorkshopTarget};

fn keys(flow: &mut WorkshopFlow, keys: &str) {
    for c in keys.chars() {
        flow.key(match c {
            '\n' => FlowKey::Enter,
            '\u{1b}' => FlowKey::Escape,
            '\u{8}' => FlowKey::Backspace,
            c => FlowKey::Char(c),
        });
    }
}

/// Votes the first option through every beat of the current stage, to its debrief.
fn play_stage(flow: &mut WorkshopFlow) {
    for _ in 0..40 {
        match flow.step {
            Step::Debrief => return,
            Step::Discuss => keys(flow, "v"),
            Step::Vote => keys(flow, "a\n"),
            Step::Consequence => keys(flow, "\n"),
            Step::Override { .. } => keys(flow, "a"),
        }
    }
    panic!("the stage never ended: {:?}", flow.step);
}

#[test]
fn a_campaign_goes_stage_by_stage_and_resumes_at_the_stage_it_reached() {
    let corpus = common::shipped();
    let campaign = corpus.campaigns().next().expect("the shipped campaign").clone();
    let dir = common::scratch_dir("workshop-flow-campaign");
    let log = dir.join("campaign.jsonl");
    let config = WorkshopConfig {
        name: "Cohort".into(),
        target: WorkshopTarget::Campaign,
        seed: Some(11),
        ..WorkshopConfig::default()
    };
    let find = |id: &str| corpus.scenario(id);
    let mut flow = WorkshopFlow::start_target(config, find, Some(&campaign), &log, None).unwrap();
    assert_eq!(flow.scenario.id, campaign.scenarios[0]);
    play_stage(&mut flow);
    let first_stage = flow.decisions.len();
    assert!(first_stage > 0);
    let (_, run) = flow.campaign.as_ref().unwrap();
    assert_eq!(run.results.len(), 1, "the stage's ending is the campaign's");
    let carried = flow.session.meters;

    assert!(flow.next_stage(find), "a second stage");
    assert_eq!(flow.scenario.id, campaign.scenarios[1]);
    assert_eq!(flow.step, Step::Discuss);
    assert_eq!(flow.session.meters, carried, "the meters carry over between stages");
    keys(&mut flow, "va\n");
    assert_eq!(flow.step, Step::Consequence);
    let header = read_log(&log).unwrap().header;
    assert_eq!(header.campaign.as_deref(), Some(campaign.id.as_str()));

    // Resumed from the log: the second stage, after its first decision.
    drop(flow);
    let resumed = WorkshopFlow::resume_with(&log, find, Some(&campaign), None).unwrap();
    assert_eq!(resumed.scenario.id, campaign.scenarios[1]);
    assert_eq!(resumed.decisions.len(), first_stage + 1);
    assert_eq!(resumed.config.target, WorkshopTarget::Campaign);
    assert_eq!(resumed.campaign.as_ref().unwrap().1.results.len(), 1);
    // The terminal's resume still says a campaign is for the window.
    let said = WorkshopFlow::resume(&log, find, None).err().unwrap();
    assert!(said.contains("campaign"), "{said}");

    // At the end of the last stage there is no next one.
    let mut single = WorkshopFlow::start(
        WorkshopConfig { target: WorkshopTarget::Scenario("small".into()), seed: Some(2), ..WorkshopConfig::default() },
        common::load_scenario(&common::fixture("valid/small.ron")),
        &dir.join("single.jsonl"),
        None,
    )
    .unwrap();
    play_stage(&mut single);
    assert!(!single.next_stage(find), "no campaign, no next stage");
}

fn small_flow(name: &str, meters: MeterMode) -> WorkshopFlow {
    let dir = common::scratch_dir(name);
    let config = WorkshopConfig {
        target: WorkshopTarget::Scenario("small".into()),
        meters,
        seed: Some(5),
        ..WorkshopConfig::default()
    };
    WorkshopFlow::start(
        config,
        common::load_scenario(&common::fixture("valid/small.ron")),
        &dir.join("log.jsonl"),
        None,
    )
    .unwrap()
}

#[test]
fn hidden_meters_show_only_what_each_mode_allows() {
    // Until revealed: R shows every change since the last reveal, on any step but the reason.
    let mut flow = small_flow("workshop-flow-reveal", MeterMode::UntilReveal);
    let start_meters = flow.session.meters;
    keys(&mut flow, "vb\n");
    assert_eq!(flow.step, Step::Consequence);
    assert_eq!(flow.revealed, start_meters, "nothing shown before R");
    let before = flow.reveal();
    assert_eq!(before, Some(start_meters));
    assert_eq!(flow.revealed, flow.session.meters);
    keys(&mut flow, "\nr");
    assert_eq!(flow.revealed, flow.session.meters);
    // R typed into an override's reason is text, not a reveal.
    keys(&mut flow, "vaaabob");
    assert!(matches!(flow.step, Step::Override { option: Some(1), .. }), "{:?}", flow.step);
    keys(&mut flow, "rr");
    assert!(matches!(&flow.step, Step::Override { reason, .. } if reason == "rr"), "{:?}", flow.step);

    // Until the end: R says so and shows nothing.
    let mut hidden = small_flow("workshop-flow-hidden", MeterMode::UntilEnd);
    keys(&mut hidden, "vb\n");
    assert_eq!(hidden.reveal(), None);
    assert!(hidden.message.as_deref().is_some_and(|m| m.contains("hidden until the end")), "{:?}", hidden.message);
    assert_ne!(hidden.revealed, hidden.session.meters);

    // Shown: always the current meters.
    let mut shown = small_flow("workshop-flow-shown", MeterMode::Shown);
    keys(&mut shown, "vb\n");
    assert!(shown.meters_visible());
    assert_eq!(shown.revealed, shown.session.meters);
}

#[test]
fn the_window_intents_are_the_same_rules_as_the_keys() {
    let mut flow = small_flow("workshop-flow-methods", MeterMode::Shown);
    flow.count_hands(0, Some(3));
    assert_eq!(flow.hands.counts(), &[0, 0], "no hands before the vote opens");
    flow.open_vote();
    flow.count_hands(0, Some(3));
    flow.count_hands(1, None);
    flow.count_hands(7, None);
    assert_eq!(flow.hands.counts(), &[3, 1]);
    flow.undo();
    assert_eq!(flow.hands.counts(), &[3, 0]);
    flow.choose_another();
    flow.pick_override(1);
    flow.confirm_override();
    assert!(matches!(flow.step, Step::Override { option: Some(1), .. }), "a reason is needed: {:?}", flow.message);
    flow.cancel_override();
    assert_eq!(flow.step, Step::Vote);
    flow.back_to_discussion();
    assert_eq!(flow.step, Step::Discuss);
}

#[test]
fn a_log_that_cannot_be_read_back_is_reported_and_caught_up_later() {
    let mut flow = small_flow("workshop-flow-log", MeterMode::Shown);
    keys(&mut flow, "va\n");
    let path = flow.log_path().to_path_buf();
    // A folder where the log was: catching up cannot read it, and says so.
    let saved = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    assert!(!flow.retry_log());
    assert!(flow.log_problem.is_some());
    // The file back: catching up finds it whole.
    std::fs::remove_dir(&path).unwrap();
    std::fs::write(&path, saved).unwrap();
    assert!(flow.retry_log(), "{:?}", flow.log_problem);
    assert_eq!(flow.log_problem, None);
    assert_eq!(read_log(&path).unwrap().decisions.len(), 1);
}
