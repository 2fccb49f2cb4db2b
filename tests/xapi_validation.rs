//! Every kind of statement the project writes, checked with Learning Locker's validator
//! (`@learninglocker/xapi-validation`, installed into scripts/xapi-validator by
//! scripts/test.sh), and the actors and ids each kind of session gets.

mod common;

use std::process::Command;

use common::sessions::{record_campaign_workshop, record_everyone_plays};
use leap::export::xapi::{Actor, XapiOptions, statements_with};
use leap::export::{Statement, statements};
use leap::record::{Mode, RecordedSession};
use leap::scenario::Scenario;

fn solo(recorded: &RecordedSession) -> RecordedSession {
    let mut solo = recorded.clone();
    solo.header.mode = Mode::Solo;
    for d in &mut solo.decisions {
        d.votes = None;
        d.overrode_majority = false;
        d.override_reason = None;
    }
    solo
}

/// A workshop of two stages, the same as a solo run, and the solo run with a named learner
/// and the organisation's own home for ids.
fn every_kind(test: &str) -> Vec<(&'static str, Vec<Statement>)> {
    let corpus = common::shipped();
    let dir = common::scratch_dir(test);
    let workshop = record_campaign_workshop(&dir.join("log.jsonl"), &corpus, "Cohort 5", 2);
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    let named = XapiOptions {
        home: "https://lms.example.org/leap".into(),
        learner_name: Some("Ada Lovelace".into()),
        learner_email: Some("ada@example.org".into()),
    };
    vec![
        ("workshop", statements(&workshop, &scenarios)),
        ("solo, anonymous", statements(&solo(&workshop), &scenarios)),
        ("solo, named", statements_with(&solo(&workshop), &scenarios, &named)),
        ("without scenario files", statements(&workshop, &[])),
        ("everyone plays", statements(&record_everyone_plays(&dir.join("everyone.jsonl"), &corpus), &scenarios)),
    ]
}

#[test]
fn actors_are_the_room_the_learner_or_an_anonymous_account() {
    let kinds = every_kind("xapi-actors");
    let actor = |i: usize| kinds[i].1[0].actor.clone();
    match actor(0) {
        Actor::Group(group) => {
            assert_eq!(group.name, "Cohort 5");
            assert_eq!(group.account.home_page, "https://the-leap.example");
        }
        other => panic!("a workshop's actor is its room as a group, not {other:?}"),
    }
    match actor(1) {
        Actor::Agent(agent) => {
            assert!(agent.mbox.is_none() && agent.name.is_none());
            assert!(agent.account.unwrap().name.starts_with("anonymous-"));
        }
        other => panic!("{other:?}"),
    }
    match actor(2) {
        Actor::Agent(agent) => {
            assert_eq!(agent.mbox.as_deref(), Some("mailto:ada@example.org"));
            assert_eq!(agent.name.as_deref(), Some("Ada Lovelace"));
            assert!(agent.account.is_none(), "one identifier only");
        }
        other => panic!("{other:?}"),
    }
    assert!(kinds[2].1.iter().all(|s| s.object.id.starts_with("https://lms.example.org/leap/scenarios/")));
}

#[test]
fn statements_made_again_are_the_same_and_other_sessions_get_other_ids() {
    let corpus = common::shipped();
    let dir = common::scratch_dir("xapi-stable");
    let first = record_campaign_workshop(&dir.join("a.jsonl"), &corpus, "Stable", 1);
    let other = record_campaign_workshop(&dir.join("b.jsonl"), &corpus, "Other", 1);
    let made = statements(&first, &[]);
    let read_back = statements(&leap::record::read_log(dir.join("a.jsonl")).unwrap(), &[]);
    assert_eq!(made, read_back, "the same log gives the very same statements, ids and registration included");
    let ids: std::collections::BTreeSet<_> = made.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), made.len());
    assert!(statements(&other, &[]).iter().all(|s| !ids.contains(&s.id)));
}

#[test]
fn learning_lockers_validator_accepts_every_statement() {
    let validator = common::root().join("scripts/xapi-validator");
    let installed = validator.join("node_modules/@learninglocker/xapi-validation").exists();
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !installed || !node {
        eprintln!(
            "SKIPPED learning_lockers_validator_accepts_every_statement: node or @learninglocker/xapi-validation \
             is missing (scripts/test.sh runs `npm install` in scripts/xapi-validator)"
        );
        return;
    }
    let dir = common::scratch_dir("xapi-validation");
    let mut files = Vec::new();
    let mut total = 0;
    for (kind, statements) in every_kind("xapi-validation-sessions") {
        let file = dir.join(format!("{}.json", kind.replace([' ', ','], "-")));
        std::fs::write(&file, serde_json::to_string_pretty(&statements).unwrap()).unwrap();
        total += statements.len();
        files.push(file);
    }
    let output = Command::new("node").arg(validator.join("validate.js")).args(&files).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{text}");
    assert!(text.contains(&format!("{total} statements valid")), "{text}");
    // The validator does find problems: a statement with its verb removed fails.
    let mut broken: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    broken[0].as_object_mut().unwrap().remove("verb");
    let broken_file = dir.join("broken.json");
    std::fs::write(&broken_file, broken.to_string()).unwrap();
    let output = Command::new("node").arg(validator.join("validate.js")).arg(&broken_file).output().unwrap();
    assert!(!output.status.success(), "the validator accepted a statement without a verb");
}
