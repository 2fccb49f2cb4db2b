//! The session log: written line by line, read back strictly, a crash's cut-off last line
//! forgiven, and resumed only onto the scenario it was recorded with.

mod common;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use leap::engine::Session;
use leap::record::{
    LogError, LogHeader, LoggedDecision, LoggedEnd, Mode, RecordedSession, ResumeError, SessionLog, parse_utc,
    read_log, resume, shown_options,
};
use leap::scenario::Scenario;

fn small() -> Scenario {
    common::load_scenario(&common::fixture("valid/small.ron"))
}

/// Plays `choices` in `scenario` with `seed`, logging each decision (and the ending) to `path`.
fn record(path: &Path, scenario: &Scenario, seed: u64, choices: &[&str]) -> SessionLog {
    let header = LogHeader::for_run("test session", Mode::Solo, seed, scenario, None, SystemTime::now());
    let mut log = SessionLog::create(path, header).unwrap();
    let mut session = Session::new(scenario, seed);
    for id in choices {
        let options = shown_options(&session.visible_choices(scenario));
        let number = session.choose(scenario, id).unwrap().number;
        let (_, written) = log.record(scenario, &session, number, options, None, SystemTime::now()).unwrap();
        written.unwrap();
    }
    log
}

fn log_path(test: &str) -> PathBuf {
    common::scratch_dir(test).join("session.jsonl")
}

fn append_raw(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    std::fs::OpenOptions::new().append(true).open(path).unwrap().write_all(bytes).unwrap();
}

#[test]
fn a_log_reads_back_what_was_written_one_json_object_per_line() {
    let path = log_path("log-reads-back");
    let scenario = small();
    drop(record(&path, &scenario, 7, &["own", "do-it"]));

    let text = std::fs::read_to_string(&path).unwrap();
    let kinds: Vec<String> = text
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["start", "decision", "decision", "end"]);

    let recorded = read_log(&path).unwrap();
    assert_eq!(recorded.header.session, "test session");
    assert_eq!(recorded.header.mode, Mode::Solo);
    assert_eq!(recorded.header.seed, 7);
    assert_eq!(recorded.header.scenario.as_deref(), Some("small"));
    assert!(parse_utc(&recorded.header.started_at).is_some(), "{}", recorded.header.started_at);
    let replay = Session::replay(&scenario, 7, &["own", "do-it"]).unwrap();
    assert_eq!(recorded.decisions.len(), 2);
    for (logged, made) in recorded.decisions.iter().zip(&replay.transcript) {
        assert_eq!(logged.number, made.number);
        assert_eq!((logged.beat.as_str(), logged.chosen.as_str()), (made.beat.as_str(), made.choice.as_str()));
        assert_eq!((logged.meters_before, logged.meters_after), (made.meters_before, made.meters_after));
        assert!(parse_utc(&logged.at).is_some(), "{}", logged.at);
    }
    assert_eq!(recorded.decisions[0].options, ["blame", "own"]);
    assert_eq!(recorded.decisions[1].options, ["do-it", "goals", "forgive"]);
    assert_eq!(recorded.ends.len(), 1);
    assert_eq!(recorded.ends[0].ending, "weak");
    assert_eq!(recorded.damaged_tail, None);
}

#[test]
fn a_new_log_never_overwrites_a_file() {
    let path = log_path("log-no-overwrite");
    std::fs::write(&path, "keep me\n").unwrap();
    let error = SessionLog::create(&path, LogHeader::new("x", Mode::Solo, 1, SystemTime::now())).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
    assert!(error.to_string().contains("never overwritten"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me\n");
}

#[test]
fn a_cut_off_last_line_is_reported_and_left_out() {
    let path = log_path("log-cut-off");
    drop(record(&path, &small(), 7, &["own"]));
    // What a crash halfway through writing the second decision leaves behind.
    append_raw(&path, br#"{"kind":"decision","number":2,"scenario":"small","beat":"sec"#);

    let recorded = read_log(&path).unwrap();
    assert_eq!(recorded.decisions.len(), 1);
    let damage = recorded.damaged_tail.expect("the cut-off line is reported");
    assert!(damage.contains("line 3") && damage.contains("cut off"), "{damage}");
}

#[test]
fn a_garbled_last_line_is_reported_and_left_out_too() {
    let path = log_path("log-garbled");
    drop(record(&path, &small(), 7, &["own"]));
    // Zeros to the end of the file: what a crash can leave where a line was being written.
    append_raw(&path, b"\0\0\0\0\0\0");
    let recorded = read_log(&path).unwrap();
    assert_eq!(recorded.decisions.len(), 1);
    assert!(recorded.damaged_tail.is_some());
}

#[test]
fn a_malformed_last_line_that_ends_with_a_newline_is_an_error_and_kept() {
    let path = log_path("log-garbled-whole");
    drop(record(&path, &small(), 7, &["own"]));
    append_raw(&path, b"{\"kind\":\"decision\",\"number\":2}\n");
    let before = std::fs::read(&path).unwrap();
    for error in [read_log(&path).unwrap_err(), SessionLog::open_append(&path).unwrap_err()] {
        let message = error.to_string();
        assert!(matches!(error, LogError::Bad { line: 3, .. }), "{error:?}");
        assert!(message.contains("line 3") && message.contains("not cut off by a crash"), "{message}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file was changed");
}

#[test]
fn reopening_cuts_the_damaged_tail_so_new_lines_start_clean() {
    let path = log_path("log-reopen");
    let scenario = small();
    drop(record(&path, &scenario, 7, &["own"]));
    append_raw(&path, br#"{"kind":"decision","numb"#);

    let (mut log, recorded) = SessionLog::open_append(&path).unwrap();
    assert!(recorded.damaged_tail.is_some());
    let mut session = resume(&recorded, &scenario).unwrap();
    let options = shown_options(&session.visible_choices(&scenario));
    let decision = session.choose(&scenario, "do-it").unwrap().clone();
    log.append_decision(&LoggedDecision::solo(
        &scenario,
        &decision,
        recorded.next_number(),
        options,
        SystemTime::now(),
    ))
    .unwrap();
    drop(log);

    let again = read_log(&path).unwrap();
    assert_eq!(again.damaged_tail, None, "the damaged bytes are gone");
    assert_eq!(again.decisions.iter().map(|d| d.chosen.as_str()).collect::<Vec<_>>(), ["own", "do-it"]);
}

#[test]
fn a_last_line_missing_only_its_newline_is_kept() {
    let path = log_path("log-no-newline");
    let scenario = small();
    drop(record(&path, &scenario, 7, &["own"]));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.trim_end()).unwrap();

    let (mut log, recorded) = SessionLog::open_append(&path).unwrap();
    assert_eq!((recorded.decisions.len(), recorded.damaged_tail.as_deref()), (1, None));
    let end = LoggedEnd {
        scenario: "small".into(),
        ending: "weak".into(),
        verdict: leap::scenario::Verdict::Weak,
        at: "x".into(),
    };
    log.append_end(&end).unwrap();
    drop(log);
    assert_eq!(read_log(&path).unwrap().ends, vec![end]);
}

#[test]
fn empty_or_garbage_logs_are_errors_and_left_as_they_are() {
    let dir = common::scratch_dir("log-empty-garbage");
    for (name, content) in [("empty.jsonl", ""), ("blank.jsonl", "\n  \n"), ("garbage.jsonl", "hello\nworld\n")] {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let read = read_log(&path).unwrap_err();
        let reopened = SessionLog::open_append(&path).unwrap_err();
        for error in [read, reopened] {
            let message = error.to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
            match (content.trim().is_empty(), error) {
                (true, LogError::Empty { .. }) => assert!(message.contains("empty"), "{message}"),
                (false, LogError::Bad { line: 1, .. }) => assert!(message.contains("line 1"), "{message}"),
                (_, other) => panic!("{name}: unexpected {other:?}"),
            }
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content, "{name} was changed");
    }
}

#[test]
fn a_cut_off_header_is_an_error_not_a_session() {
    let path = log_path("log-cut-header");
    std::fs::write(&path, r#"{"kind":"start","format":1,"sess"#).unwrap();
    let message = read_log(&path).unwrap_err().to_string();
    assert!(message.contains("line 1") && message.contains("`start` line"), "{message}");
}

#[test]
fn garbage_before_the_last_line_is_an_error_with_its_line_number() {
    let path = log_path("log-garbage-middle");
    drop(record(&path, &small(), 7, &["own"]));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(1, "not json at all");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    match read_log(&path) {
        Err(LogError::Bad { line: 2, problem, .. }) => {
            assert!(problem.contains("not a session log entry"), "{problem}")
        }
        other => panic!("expected an error at line 2, got {other:?}"),
    }
}

#[test]
fn a_log_must_start_with_its_header_and_count_its_decisions_in_order() {
    let path = log_path("log-order");
    drop(record(&path, &small(), 7, &["own", "do-it"]));
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();

    std::fs::write(&path, format!("{}\n{}\n", lines[1], lines[0])).unwrap();
    let message = read_log(&path).unwrap_err().to_string();
    assert!(message.contains("line 1") && message.contains("`start` line first"), "{message}");

    std::fs::write(&path, format!("{}\n{}\n{}\n", lines[0], lines[2], lines[3])).unwrap();
    let message = read_log(&path).unwrap_err().to_string();
    assert!(message.contains("line 2") && message.contains("decision 2 where decision 1"), "{message}");

    std::fs::write(&path, format!("{}\n{}\n{}\n", lines[0], lines[0], lines[1])).unwrap();
    assert!(read_log(&path).unwrap_err().to_string().contains("a second `start` line"));
}

#[cfg(unix)]
#[test]
fn a_log_being_written_cannot_be_opened_again() {
    let path = log_path("log-in-use");
    let open = record(&path, &small(), 7, &["own"]);
    match SessionLog::open_append(&path) {
        Err(LogError::InUse { .. }) => {}
        other => panic!("expected the log to be in use, got {other:?}"),
    }
    drop(open);
    assert!(SessionLog::open_append(&path).is_ok(), "free again once the writer is gone");
}

fn recorded_own(test: &str) -> RecordedSession {
    let path = log_path(test);
    drop(record(&path, &small(), 7, &["own"]));
    read_log(&path).unwrap()
}

#[test]
fn resume_replays_the_recorded_choices_with_the_recorded_seed() {
    let recorded = recorded_own("log-resume-same");
    let session = resume(&recorded, &small()).unwrap();
    assert_eq!(session, Session::replay(&small(), 7, &["own"]).unwrap());
    assert_eq!(session.meters, recorded.decisions[0].meters_after);
    assert_eq!(recorded.next_number(), 2);
}

#[test]
fn resume_refuses_a_scenario_that_changed_since_the_recording() {
    let recorded = recorded_own("log-resume-changed");
    let source = std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap();

    let retuned = common::scenario_from(&source.replace("effects: (trust: 5,", "effects: (trust: 9,"));
    let error = resume(&recorded, &retuned).unwrap_err();
    assert!(matches!(error, ResumeError::Diverged { number: 1, .. }), "{error:?}");
    assert!(error.to_string().contains("the scenario has changed since the session was recorded"), "{error}");

    let renamed = common::scenario_from(&source.replace("id: \"own\"", "id: \"take-it\""));
    let error = resume(&recorded, &renamed).unwrap_err();
    assert!(matches!(error, ResumeError::CannotReplay { number: 1, .. }), "{error:?}");
    assert!(error.to_string().contains("`own`"), "{error}");

    let other = common::scenario_from(&source.replace("id: \"small\"", "id: \"other\""));
    assert!(matches!(resume(&recorded, &other), Err(ResumeError::WrongScenario { .. })));
}
