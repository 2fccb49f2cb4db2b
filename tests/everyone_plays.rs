//! "Everyone plays" (`leap::workshop::everyone`): each phone's own run through the engine, the
//! room's progress and aggregate, each phone's personal debrief, and the session log that
//! keeps every phone's decisions so a resumed workshop gives each phone its run back.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use leap::engine::Session;
use leap::record::read_log;
use leap::scenario::Scenario;
use leap::workshop::everyone::{EveryonePlays, PlayError, ordinal_word, run_seed};
use leap::workshop::everyone_flow::{EveryoneWorkshop, record_choice};
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::everyone_room::ChooseRefused;
use leap::workshop::phones::{PhoneRoom, RoomPhase};
use leap::workshop::{WorkshopConfig, WorkshopTarget};

fn analyst() -> Scenario {
    common::shipped().scenario("the-slipping-analyst").expect("the shipped scenario").clone()
}

/// Plays `phone` to its ending, always taking the `pick`-th available choice (or the last).
fn play_out(play: &mut EveryonePlays, phone: &str, pick: usize) -> u32 {
    for made in 0..50 {
        let view = play.view(phone);
        if view.ending.is_some() {
            return made;
        }
        let letters: Vec<String> = view.choices.iter().filter_map(|c| c.letter.clone()).collect();
        let letter = letters.get(pick).or(letters.last()).expect("a beat offers a choice").clone();
        play.choose(phone, "key", &letter, Some(view.number), SystemTime::now()).expect("a choice shown is taken");
    }
    panic!("{phone} never reached an ending");
}

#[test]
fn each_phone_runs_its_own_session_through_the_engine() {
    let scenario = analyst();
    let mut play = EveryonePlays::new(scenario.clone(), 7);
    play.choose("p-aaaaaa", "k1", "A", Some(1), SystemTime::now()).unwrap();
    play.choose("p-bbbbbb", "k2", "B", None, SystemTime::now()).unwrap();
    play.choose("p-aaaaaa", "k1", "B", Some(2), SystemTime::now()).unwrap();
    let a = play.session("p-aaaaaa").unwrap();
    let b = play.session("p-bbbbbb").unwrap();
    assert_eq!((a.decisions_made(), b.decisions_made()), (2, 1), "each phone goes at its own pace");
    assert_ne!(a.seed, b.seed, "two phones get different chance streams");
    assert_eq!(a.seed, run_seed(7, "p-aaaaaa"));
    // The same choices through a plain engine session with the same seed come out the same.
    let replayed = Session::replay(&scenario, a.seed, &a.choice_path()).unwrap();
    assert_eq!(replayed.transcript, a.transcript);
    assert_eq!(replayed.meters, a.meters);
}

#[test]
fn the_view_shows_the_beat_choices_and_the_last_consequence() {
    let scenario = analyst();
    let mut play = EveryonePlays::new(scenario.clone(), 1);
    let fresh = play.view("p-new");
    assert_eq!(fresh.number, 1);
    assert_eq!(fresh.situation.as_deref(), Some(scenario.beat(&scenario.start).unwrap().text.as_str()));
    assert!(fresh.last.is_none() && fresh.ending.is_none() && fresh.debrief.is_none());
    let letters: Vec<_> = fresh.choices.iter().filter_map(|c| c.letter.clone()).collect();
    assert_eq!(letters, ["A", "B", "C"]);
    let line = play.choose("p-new", "k", "b", Some(1), SystemTime::now()).unwrap();
    assert_eq!(line.decision.number, 1);
    assert_eq!(line.decision.chosen, "own-and-book");
    let after = play.view("p-new");
    let last = after.last.expect("the consequence of decision 1");
    let choice = &scenario.beat(&scenario.start).unwrap().choices[1];
    assert_eq!(last.feedback, choice.feedback);
    assert_eq!(last.lesson.id, choice.lesson);
    assert_eq!(last.meters_after, after.meters);
    assert_eq!(last.delta, last.meters_after.delta_since(&last.meters_before));
    assert!(last.lesson.said.starts_with("You "), "{}", last.lesson.said);
    assert_eq!(after.number, 2);
}

#[test]
fn locked_choices_are_shown_without_a_letter_and_cannot_be_taken() {
    let scenario = common::scenario_from(
        r#"Scenario(format: 1, id: "locks", title: "Locks", summary: "s", start: "one",
        beats: [(id: "one", text: "First.", choices: [
            (id: "open", text: "Open door", lesson: "L01", feedback: "f", next: Ending("done")),
            (id: "shut", text: "Shut door", lesson: "L01", feedback: "f", requires: MeterAtLeast(trust, 99),
             locked: Show("You need the key."), next: Ending("done")),
            (id: "leave", text: "Walk away", lesson: "L01", feedback: "f", next: Ending("gone")),
        ])],
        endings: [(id: "done", title: "Done", verdict: Strong, text: "The end."),
                  (id: "gone", title: "Gone", verdict: Weak, text: "Away.")])"#,
    );
    let mut play = EveryonePlays::new(scenario, 3);
    let view = play.view("p-1");
    assert_eq!(view.choices.len(), 3);
    let letters: Vec<_> = view.choices.iter().map(|c| c.letter.as_deref()).collect();
    assert_eq!(letters, [Some("A"), None, Some("B")], "the locked choice is shown but has no letter");
    assert_eq!(view.choices[1].locked.as_deref(), Some("You need the key."));
    assert_eq!(play.choose("p-1", "k", "C", Some(1), SystemTime::now()), Err(PlayError::NoSuchChoice));
    let line = play.choose("p-1", "k", "A", Some(1), SystemTime::now()).unwrap();
    assert_eq!(line.end.as_ref().map(|e| e.ending.as_str()), Some("done"));
    assert_eq!(play.view("p-1").ending.map(|e| e.title), Some("Done".into()));
    assert_eq!(play.choose("p-1", "k", "A", None, SystemTime::now()), Err(PlayError::RunOver));
}

#[test]
fn a_double_tap_never_decides_the_next_beat() {
    let mut play = EveryonePlays::new(analyst(), 2);
    play.choose("p-1", "k", "A", Some(1), SystemTime::now()).unwrap();
    assert_eq!(play.choose("p-1", "k", "A", Some(1), SystemTime::now()), Err(PlayError::Stale { expected: 2 }));
    assert_eq!(play.session("p-1").unwrap().decisions_made(), 1);
    assert_eq!(play.choose("p-1", "k", "Z", Some(2), SystemTime::now()), Err(PlayError::NoSuchChoice));
    assert_eq!(play.choose("p-1", "k", "", Some(2), SystemTime::now()), Err(PlayError::NoSuchChoice));
}

#[test]
fn the_aggregate_counts_endings_and_each_beats_split_and_the_debrief_compares() {
    let mut play = EveryonePlays::new(analyst(), 11);
    for (i, phone) in ["p-1", "p-2", "p-3", "p-4", "p-5"].iter().enumerate() {
        play_out(&mut play, phone, usize::from(i >= 3));
    }
    play.choose("p-6", "k", "C", Some(1), SystemTime::now()).unwrap();
    let progress = play.progress(7);
    assert_eq!((progress.joined, progress.started, progress.finished), (7, 6, 5));
    assert_eq!(progress.text(), "Playing: 6 started, 5 finished of 7 joined");
    let aggregate = play.end(7).clone();
    assert!(play.is_over());
    assert_eq!(aggregate.endings.iter().map(|e| e.count).sum::<usize>(), 5, "five runs ended");
    let first = &aggregate.beats[0];
    assert_eq!(first.beat, "priya-flags");
    assert_eq!(first.decided, 6);
    assert_eq!(first.choices.iter().map(|c| c.count).collect::<Vec<_>>(), vec![3, 2, 1]);
    assert!(
        aggregate.sentences[0].starts_with("3 of 6 chose \u{201c}Ask Priya"),
        "the first beat's sentence: {}",
        aggregate.sentences[0]
    );
    assert!(aggregate.sentences[0].ends_with("at the first beat."));
    assert!(aggregate.sentences.iter().any(|s| s.contains("reached the ending")));
    // Every decision of every run is counted once, beat by beat.
    let decisions: usize = ["p-1", "p-2", "p-3", "p-4", "p-5", "p-6"]
        .iter()
        .map(|p| play.session(p).unwrap().decisions_made() as usize)
        .sum();
    assert_eq!(aggregate.beats.iter().map(|b| b.decided).sum::<usize>(), decisions);
    // p-6 took C alone at the first beat; p-1 chose like three.
    let lone = play.debrief("p-6").expect("a debrief once the round ended");
    assert_eq!(lone.timeline.len(), 1);
    assert_eq!((lone.timeline[0].like, lone.timeline[0].of), (1, 6));
    assert_eq!(lone.timeline[0].sentence, "You chose like 1 of 6.");
    let one = play.debrief("p-1").unwrap();
    assert_eq!((one.timeline[0].like, one.timeline[0].of), (3, 6));
    assert_eq!(one.room, aggregate);
    assert_eq!(play.choose("p-6", "k", "A", Some(2), SystemTime::now()), Err(PlayError::RoundOver));
}

#[test]
fn ordinals_read_as_words() {
    assert_eq!(ordinal_word(2), "second");
    assert_eq!(ordinal_word(10), "tenth");
    assert_eq!(ordinal_word(12), "12th");
}

fn shared(room: PhoneRoom) -> SharedRoom {
    Arc::new(Mutex::new(room))
}

fn config(name: &str) -> WorkshopConfig {
    WorkshopConfig {
        name: name.into(),
        target: WorkshopTarget::Scenario("the-slipping-analyst".into()),
        seed: Some(99),
        ..WorkshopConfig::default()
    }
}

#[test]
fn the_room_joins_late_phones_at_the_start_and_refuses_outside_the_round() {
    let now = Instant::now();
    let room = shared(PhoneRoom::new("ABC234"));
    let early = lock(&room).join(None, None, now).unwrap();
    assert_eq!(
        record_choice(&room, &early.token, "A", None, now).err(),
        Some(ChooseRefused::NotPlaying),
        "no choice before the round starts"
    );
    lock(&room).start_everyone_plays(EveryonePlays::new(analyst(), 5), None);
    assert_eq!(*lock(&room).phase(), RoomPhase::Playing);
    assert_eq!(record_choice(&room, "nope", "A", None, now).err(), Some(ChooseRefused::UnknownToken));
    let before = lock(&room).version_for(Some(&early.token));
    record_choice(&room, &early.token, "A", Some(1), now).unwrap().1.unwrap();
    record_choice(&room, &early.token, "A", Some(2), now).unwrap().1.unwrap();
    let late = lock(&room).join(None, None, now).unwrap();
    let (early_after, late_version) = {
        let room = lock(&room);
        (room.version_for(Some(&early.token)), room.version_for(Some(&late.token)))
    };
    assert!(early_after > before, "the phone's own decisions change its version");
    let late_state = lock(&room).state_for(Some(&late.token));
    assert_eq!(late_state["phase"], "playing");
    assert_eq!(late_state["play"]["number"], 1, "a late joiner starts at the beginning");
    // Another phone's decision does not change this phone's version.
    record_choice(&room, &early.token, "A", Some(3), now).unwrap().1.unwrap();
    assert_eq!(lock(&room).version_for(Some(&late.token)), late_version);
    // A reconnect with the same token continues where it was.
    let again = lock(&room).join(Some(&early.token), None, now).unwrap();
    assert!(again.rejoined);
    assert_eq!(lock(&room).state_for(Some(&early.token))["play"]["number"], 4);
    let progress = lock(&room).progress().unwrap();
    assert_eq!((progress.joined, progress.started), (2, 1));
}

#[test]
fn every_phone_decision_is_logged_and_a_resume_gives_each_phone_its_run_back() {
    let dir = common::scratch_dir("everyone-log");
    let log = dir.join("room.jsonl");
    let now = Instant::now();
    let room = shared(PhoneRoom::new("ABC234"));
    let workshop =
        EveryoneWorkshop::start(config("Room"), analyst(), &log, room.clone(), "http://127.0.0.1:9/").unwrap();
    let one = lock(&room).join(None, None, now).unwrap();
    let two = lock(&room).join(None, None, now).unwrap();
    for (number, letter) in [(1, "B"), (2, "C"), (3, "A")] {
        let (_, written) = record_choice(&room, &one.token, letter, Some(number), now).unwrap();
        written.unwrap();
    }
    record_choice(&room, &two.token, "A", Some(1), now).unwrap().1.unwrap();
    let path_one = lock(&room).everyone().unwrap().session(&one.phone).unwrap().choice_path().join(",");
    // On disk before anything else happens: the crash loses nothing.
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.phone_decisions.len(), 4);
    assert!(recorded.phone_decisions.iter().all(|p| !p.key.contains(&one.token) && p.key != one.token));
    assert_eq!(recorded.header.options["phones"]["everyone_plays"], true);
    // The program stops: its room and log are gone with it.
    drop((workshop, room));

    // A new room (the program restarted), resumed from the log.
    let room = shared(PhoneRoom::new("ABC234"));
    let mut resumed = EveryoneWorkshop::resume(&log, |_| Some(Box::leak(Box::new(analyst()))), room.clone()).unwrap();
    assert!(resumed.message.as_deref().unwrap().contains("2 phone runs with 4 decisions"));
    let back = lock(&room).join(Some(&one.token), None, now).unwrap();
    assert!(back.rejoined, "the same token is recognised");
    assert_eq!(back.phone, one.phone, "and keeps its anonymous id");
    assert_eq!(lock(&room).everyone().unwrap().session(&one.phone).unwrap().choice_path().join(","), path_one);
    assert_eq!(lock(&room).state_for(Some(&one.token))["play"]["number"], 4, "it continues at decision 4");
    record_choice(&room, &one.token, "A", Some(4), now).unwrap().1.unwrap();
    let stranger = lock(&room).join(Some("someone-else"), None, now).unwrap();
    assert!(!stranger.rejoined);
    assert_eq!(resumed.progress().started, 2);
    let aggregate = resumed.end_round().expect("the aggregate");
    assert_eq!(aggregate.beats[0].decided, 2);
    let recorded = read_log(&log).unwrap();
    assert_eq!(recorded.phone_decisions.len(), 5);
    assert_eq!(recorded.round_end.as_ref().map(|r| r.joined), Some(2));
    assert_eq!(*lock(&room).phase(), RoomPhase::Debrief);
    assert!(lock(&room).state_for(Some(&one.token))["play"]["debrief"]["timeline"].is_array());
}

#[test]
fn a_log_with_a_phone_decision_out_of_order_is_refused_with_its_line() {
    let dir = common::scratch_dir("everyone-bad-log");
    let log = dir.join("room.jsonl");
    let room = shared(PhoneRoom::new("ABC234"));
    let workshop =
        EveryoneWorkshop::start(config("Room"), analyst(), &log, room.clone(), "http://127.0.0.1:9/").unwrap();
    let now = Instant::now();
    let one = lock(&room).join(None, None, now).unwrap();
    record_choice(&room, &one.token, "A", Some(1), now).unwrap().1.unwrap();
    drop((workshop, room));
    let text = std::fs::read_to_string(&log).unwrap();
    let line = text.lines().nth(1).unwrap().to_string();
    std::fs::write(&log, format!("{text}{line}\n")).unwrap();
    let error = read_log(&log).unwrap_err().to_string();
    assert!(error.contains("line 3") && error.contains("decision 1 where its decision 2 was expected"), "{error}");
}

#[test]
fn the_exports_and_the_report_include_every_phone_run() {
    let dir = common::scratch_dir("everyone-exports");
    let log = dir.join("room.jsonl");
    let now = Instant::now();
    let room = shared(PhoneRoom::new("ABC234"));
    room.lock().unwrap().nicknames = true;
    let mut workshop =
        EveryoneWorkshop::start(config("Exports"), analyst(), &log, room.clone(), "http://127.0.0.1:9/").unwrap();
    let one = lock(&room).join(None, Some("Ada"), now).unwrap();
    let two = lock(&room).join(None, None, now).unwrap();
    for number in 1..=2 {
        record_choice(&room, &one.token, "A", Some(number), now).unwrap().1.unwrap();
    }
    record_choice(&room, &two.token, "B", Some(1), now).unwrap().1.unwrap();
    workshop.end_round();
    let recorded = read_log(&log).unwrap();
    let scenario = analyst();

    let csv = leap::export::to_csv(&recorded, &[&scenario]).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].ends_with(&format!("{} (Ada)", one.phone)), "the nickname is in the export: {}", rows[0]);
    assert!(rows[2].ends_with(&two.phone));

    let json = leap::export::to_json(&recorded).unwrap();
    assert_eq!(leap::export::from_json(&json).unwrap().phone_decisions, recorded.phone_decisions);

    let statements = leap::export::statements(&recorded, &[&scenario]);
    let by_phone: Vec<String> = statements
        .iter()
        .map(|s| serde_json::to_value(&s.actor).unwrap()["account"]["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        by_phone,
        [format!("phone-{}", one.phone), format!("phone-{}", one.phone), format!("phone-{}", two.phone)]
    );
    let actor = serde_json::to_value(&statements[0].actor).unwrap();
    assert_eq!(actor["account"]["homePage"], "http://127.0.0.1:9/");
    assert_eq!(actor["name"], "Ada");
    let ids: std::collections::BTreeSet<&String> = statements.iter().map(|s| &s.id).collect();
    assert_eq!(ids.len(), statements.len(), "every statement has its own id");

    let report = leap::export::report::to_html(&recorded, &[&scenario]);
    assert!(report.contains("Everyone plays: how the room chose"));
    assert!(report.contains("2 phones played their own run; 0 reached an ending"), "{report}");
    assert!(report.contains("At the beat priya-flags") && report.contains("1 of 2 chose"));
    assert!(report.contains("At the beat dana-asks"));
}

#[test]
fn the_report_charts_the_endings_the_phones_reached() {
    let mut play = EveryonePlays::new(analyst(), 3);
    let dir = common::scratch_dir("everyone-report");
    let log = dir.join("room.jsonl");
    let room = shared(PhoneRoom::new("ABC234"));
    let _workshop =
        EveryoneWorkshop::start(config("Report"), analyst(), &log, room.clone(), "http://127.0.0.1:9/").unwrap();
    let journal = lock(&room).journal().unwrap();
    for (i, phone) in ["p-1", "p-2", "p-3"].iter().enumerate() {
        for _ in 0..30 {
            let view = play.view(phone);
            if view.ending.is_some() {
                break;
            }
            let letters: Vec<String> = view.choices.iter().filter_map(|c| c.letter.clone()).collect();
            let letter = letters[i.min(letters.len() - 1)].clone();
            let line = play.choose(phone, "k", &letter, Some(view.number), SystemTime::now()).unwrap();
            journal.lock().unwrap().append_phone(&line).unwrap();
        }
    }
    let recorded = read_log(&log).unwrap();
    let report = leap::export::report::to_html(&recorded, &[&analyst()]);
    assert!(report.contains("3 phones played their own run; 3 reached an ending"), "{report}");
    let chart = report
        .split("aria-label=\"Endings reached\"")
        .nth(1)
        .expect("the endings chart")
        .split("</svg>")
        .next()
        .unwrap();
    let aggregate = play.tally(3);
    for ending in &aggregate.endings {
        assert!(chart.contains(&ending.title), "{} is labelled in the chart", ending.title);
        let count = format!(">{} phone{}<", ending.count, if ending.count == 1 { "" } else { "s" });
        assert!(chart.contains(&count), "its count {count} is written, not only drawn");
    }
}
