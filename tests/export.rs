//! Exports of a recorded workshop: CSV rows, a JSON document that reads back, and xAPI
//! statements a learning record store accepts.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use leap::engine::CampaignRun;
use leap::engine::votes::VoteTally;
use leap::export::xapi::{TYPE_DIALOG_TREE, VERB_COMPLETED, VERB_SELECTED};
use leap::export::{CSV_COLUMNS, ExportFormat, from_json, statements, to_csv, to_json, to_xapi_json, write_export};
use leap::record::{LogHeader, Mode, RecordedSession, RoomCall, SessionLog, parse_utc, read_log};
use leap::scenario::{Corpus, Scenario};
use serde_json::Value;

const SESSION: &str = "Northwind cohort 3";
const OVERRIDE_REASON: &str = "The room has not tried the first option yet.";

/// A workshop through the first two scenarios of the shipped campaign, always playing the
/// first open option: every third decision the room agrees, every third it is overridden
/// (with a reason), and every third nobody votes.
fn record_workshop(path: &Path, corpus: &Corpus) -> RecordedSession {
    let campaign = corpus.campaigns().next().expect("the shipped campaign");
    let first = corpus.scenario(&campaign.scenarios[0]).unwrap();
    let mut header = LogHeader::for_run(SESSION, Mode::Workshop, 42, first, Some(&campaign.id), clock(0));
    header.options = serde_json::json!({ "timer_minutes": 5, "meters": "shown" });
    let mut log = SessionLog::create(path, header).unwrap();
    let mut run = CampaignRun::new(campaign, 42);
    let mut number = 1;
    for _ in 0..2 {
        let scenario = corpus.scenario(run.next_scenario(campaign).unwrap()).unwrap();
        let mut session = run.start_stage(campaign, scenario);
        while !session.is_over() {
            let options: Vec<String> = session
                .visible_choices(scenario)
                .iter()
                .filter(|v| v.available())
                .map(|v| v.choice.id.clone())
                .collect();
            let mut tally = VoteTally::new(options.len());
            let last = options.len() - 1;
            let reason = match number % 3 {
                1 => {
                    tally.set(0, 9);
                    if last > 0 {
                        tally.set(last, 2);
                    }
                    None
                }
                2 if last > 0 => {
                    tally.set(last, 8);
                    tally.tap(0);
                    Some(OVERRIDE_REASON.to_string())
                }
                _ => None,
            };
            let room = tally.decide(0, reason).unwrap();
            session.choose(scenario, &options[0]).unwrap();
            // The workshop's own path: one call records the decision and any ending.
            let call = RoomCall { tally: &tally, decision: &room };
            let (_, written) = log.record(scenario, &session, number, options, Some(call), clock(number)).unwrap();
            written.unwrap();
            number += 1;
        }
        run.finish_stage(scenario, &session);
    }
    drop(log);
    read_log(path).unwrap()
}

/// The session's clock: a minute per decision from 2027-01-15 08:00 UTC.
fn clock(minutes: u32) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + 60 * u64::from(minutes))
}

fn workshop(test: &str) -> (PathBuf, RecordedSession, Corpus) {
    let corpus = common::shipped();
    let path = common::scratch_dir(test).join("cohort-3.jsonl");
    let recorded = record_workshop(&path, &corpus);
    assert!(recorded.decisions.len() >= 4, "the fixture session is too short to test much");
    assert_eq!(recorded.ends.len(), 2);
    (path, recorded, corpus)
}

#[test]
fn csv_has_a_header_and_one_row_per_decision() {
    let (_, recorded, corpus) = workshop("export-csv");
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    let text = to_csv(&recorded, &scenarios).unwrap();

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, CSV_COLUMNS);
    for required in [
        "session",
        "number",
        "scenario",
        "beat",
        "options",
        "votes",
        "chosen",
        "overrode_majority",
        "override_reason",
        "outcome",
        "lesson",
        "lesson_name",
        "trust_before",
        "trust_after",
        "impact_before",
        "impact_after",
        "engagement_before",
        "engagement_after",
        "at",
    ] {
        assert!(headers.iter().any(|h| h == required), "no `{required}` column");
    }
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), recorded.decisions.len());
    for (row, d) in rows.iter().zip(&recorded.decisions) {
        assert_eq!(row.len(), headers.len());
        assert_eq!(&row[column("session")], SESSION);
        assert_eq!(row[column("number")].parse::<u32>().unwrap(), d.number);
        assert_eq!(&row[column("chosen")], d.chosen);
        assert!(row[column("options")].starts_with(&format!("A:{}", d.options[0])), "{row:?}");
        assert!(!row[column("scenario_title")].is_empty() && !row[column("beat_text")].is_empty());
        assert!(!row[column("lesson_name")].is_empty(), "lesson {} has no name", d.lesson);
        assert_eq!(row[column("trust_after")].parse::<i32>().unwrap(), d.meters_after.trust);
        assert_eq!(row[column("impact_before")].parse::<i32>().unwrap(), d.meters_before.strategic_impact);
        assert_eq!(row[column("engagement_after")].parse::<i32>().unwrap(), d.meters_after.team_engagement);
        assert_eq!(&row[column("overrode_majority")], d.overrode_majority.to_string());
        match (&d.votes, d.number % 3) {
            (Some(_), 1) => assert!(row[column("votes")].starts_with("A:9"), "{row:?}"),
            (None, _) => assert_eq!(&row[column("votes")], ""),
            _ => {}
        }
        if d.overrode_majority {
            assert_eq!(&row[column("override_reason")], OVERRIDE_REASON);
        }
        assert_eq!(&row[column("at")], d.at);
    }
    assert!(recorded.decisions.iter().any(|d| d.overrode_majority), "the fixture has an override");
}

#[test]
fn json_reads_back_into_the_same_session() {
    let (_, mut recorded, _) = workshop("export-json");
    let text = to_json(&recorded).unwrap();
    assert!(text.contains("\n  "), "pretty-printed");
    assert_eq!(from_json(&text).unwrap(), recorded);
    recorded.damaged_tail = Some("line 9 was cut off".into());
    assert_eq!(from_json(&to_json(&recorded).unwrap()).unwrap(), recorded);
}

/// An absolute IRI: a scheme (a letter, then letters, digits, `+`, `-` or `.`), then `://`.
fn is_absolute_iri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text.contains(char::is_whitespace)
}

fn assert_extension_keys_are_iris(statement: &Value, at: &str) {
    if let Some(extensions) = statement.pointer(at) {
        for key in extensions.as_object().unwrap().keys() {
            assert!(is_absolute_iri(key), "extension key `{key}` is not an absolute IRI");
        }
    }
}

#[test]
fn every_xapi_statement_is_complete_and_uses_iris() {
    let (_, recorded, corpus) = workshop("export-xapi");
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    let all: Value = serde_json::from_str(&to_xapi_json(&recorded, &scenarios).unwrap()).unwrap();
    let all = all.as_array().expect("a JSON array of statements");
    assert_eq!(all.len(), recorded.decisions.len() + recorded.ends.len());

    let mut ids = std::collections::BTreeSet::new();
    for s in all {
        let id = s["id"].as_str().unwrap();
        let uuid = uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("`{id}`: {e}"));
        assert_eq!(uuid.get_version_num(), 5, "{id}: ids are derived from the session and decision");
        assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{id}");
        assert!(ids.insert(id.to_string()), "statement id {id} repeats");
        assert_eq!(s["actor"]["objectType"], "Group");
        assert_eq!(s["actor"]["name"], SESSION);
        assert_eq!(s["actor"]["account"]["name"], SESSION);
        assert!(is_absolute_iri(s["actor"]["account"]["homePage"].as_str().unwrap()));
        assert!(is_absolute_iri(s["verb"]["id"].as_str().unwrap()), "{}", s["verb"]);
        assert!(s["verb"]["display"]["en-US"].is_string());
        assert_eq!(s["object"]["objectType"], "Activity");
        assert!(is_absolute_iri(s["object"]["id"].as_str().unwrap()), "{}", s["object"]);
        assert!(is_absolute_iri(s["object"]["definition"]["type"].as_str().unwrap()));
        let timestamp = s["timestamp"].as_str().unwrap();
        assert!(parse_utc(timestamp).is_some(), "timestamp `{timestamp}` is not ISO 8601 UTC");
        assert_eq!(s["version"], "1.0.3");
        assert!(uuid::Uuid::parse_str(s["context"]["registration"].as_str().unwrap()).is_ok());
        assert_extension_keys_are_iris(s, "/result/extensions");
        assert_extension_keys_are_iris(s, "/context/extensions");
    }

    let selected: Vec<&Value> = all.iter().filter(|s| s["verb"]["id"] == VERB_SELECTED).collect();
    assert_eq!(selected.len(), recorded.decisions.len());
    for (s, d) in selected.iter().zip(&recorded.decisions) {
        assert_eq!(s["verb"]["display"]["en-US"], "selected");
        assert_eq!(s["object"]["definition"]["type"], TYPE_DIALOG_TREE);
        assert!(s["object"]["id"].as_str().unwrap().ends_with(&format!("/scenarios/{}/beats/{}", d.scenario, d.beat)));
        assert_eq!(s["result"]["response"], d.chosen.as_str());
        let extensions = &s["result"]["extensions"];
        let ext = |name: &str| &extensions[format!("https://the-leap.example/xapi/extensions/{name}")];
        assert_eq!(ext("trust-after"), d.meters_after.trust);
        assert_eq!(ext("strategic-impact-delta"), d.delta()[1]);
        assert_eq!(ext("team-engagement-after"), d.meters_after.team_engagement);
        match &d.votes {
            Some(votes) => assert_eq!(ext("votes")[&d.options[0]], votes[0]),
            None => assert!(ext("votes").is_null()),
        }
    }

    let completed: Vec<&Value> = all.iter().filter(|s| s["verb"]["id"] == VERB_COMPLETED).collect();
    assert_eq!(completed.len(), recorded.ends.len());
    for (s, end) in completed.iter().zip(&recorded.ends) {
        assert!(s["object"]["id"].as_str().unwrap().ends_with(&format!("/scenarios/{}", end.scenario)));
        assert_eq!(s["result"]["completion"], true);
        let duration = s["result"]["duration"].as_str().unwrap();
        assert!(duration.starts_with("PT") && duration.ends_with(['H', 'M', 'S']), "duration `{duration}`");
    }
    // Each completion follows its scenario's last decision.
    let last_of_first = all.iter().position(|s| s["verb"]["id"] == VERB_COMPLETED).unwrap();
    let first_scenario = &recorded.ends[0].scenario;
    assert_eq!(recorded.decisions.iter().filter(|d| d.scenario == *first_scenario).count(), last_of_first);
    assert_eq!(statements(&recorded, &[]).len(), all.len(), "exports need no scenario files");
}

#[test]
fn files_are_named_after_the_session() {
    let (path, recorded, _) = workshop("export-files");
    let dir = path.parent().unwrap().join("out");
    let stem = format!("{SESSION} - the-leap - 20270115T080000Z - {}", recorded.header.id.as_deref().unwrap());
    for (format, extension) in
        [(ExportFormat::Csv, "csv"), (ExportFormat::Json, "json"), (ExportFormat::Xapi, "xapi.json")]
    {
        let written = write_export(&recorded, &[], format, &dir).unwrap();
        assert_eq!(written, dir.join(format!("{stem}.{extension}")));
        assert!(std::fs::metadata(&written).unwrap().len() > 0);
    }
}

fn leap_export(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_leap")).arg("export").args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn the_export_command_writes_next_to_the_log_or_where_asked() {
    let (path, recorded, _) = workshop("export-command");
    let log = path.to_str().unwrap();

    let (code, out, err) = leap_export(&[log, "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let stem = leap::export::file_name(&recorded, ExportFormat::Json).trim_end_matches(".json").to_string();
    let expected = path.parent().unwrap().join("exports").join(format!("{stem}.csv"));
    assert_eq!(out.trim(), expected.display().to_string());
    let rows = csv::Reader::from_path(&expected).unwrap().records().count();
    assert_eq!(rows, recorded.decisions.len());

    let elsewhere = path.parent().unwrap().join("for-the-lms");
    let (code, out, err) = leap_export(&[log, "--format", "xapi", "--out", elsewhere.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let written = PathBuf::from(out.trim());
    assert_eq!(written, elsewhere.join(format!("{stem}.xapi.json")));
    let statements: Value = serde_json::from_str(&std::fs::read_to_string(&written).unwrap()).unwrap();
    assert_eq!(statements.as_array().unwrap().len(), recorded.decisions.len() + 2);

    let (code, out, _) = leap_export(&[log, "--out", elsewhere.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 4, "all four formats (the report too) when none is named: {out}");
    let json = std::fs::read_to_string(elsewhere.join(format!("{stem}.json"))).unwrap();
    assert_eq!(from_json(&json).unwrap(), recorded);
}

#[test]
fn the_export_command_explains_a_log_it_cannot_read() {
    let dir = common::scratch_dir("export-bad");
    let log = dir.join("broken.jsonl");
    std::fs::write(&log, "this is not a log\n{}\n").unwrap();
    let (code, _, err) = leap_export(&[log.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("broken.jsonl, line 1"), "{err}");
    assert!(!dir.join("exports").exists(), "nothing is written for a bad log");
}
