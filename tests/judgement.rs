//! Stances and what they drive: parsing and diagnostics, the lessons-applied conditions (in
//! the session and the simulator), the by-the-book, myopic and contrarian players, xAPI's
//! `result.success`, the unread-flag warning, campaign flags carrying one year's story, and
//! `leap simulate` / `leap balance` on the campaign.

mod common;

use leap::engine::playout::{Compiled, Offer, Playout};
use leap::engine::{CampaignRun, Session};
use leap::record::{LogHeader, LoggedDecision, LoggedEnd, Mode, SessionLog, read_log, shown_options};
use leap::scenario::{Corpus, Scenario, Stance};
use leap::tools::policy::{PickRng, Picker, Policy};
use leap::tools::tradeoffs::annotate_corpus;
use serde_json::Value;

const STANCES: &str = r#"
Scenario(
    format: 1,
    id: "stances",
    title: "Stances",
    summary: "Four ways to meet one lesson.",
    lessons: ["L01", "L04"],
    objectives: ["Own the gap.", "Hear the person."],
    debrief_questions: ["What did owning it cost?", "Who paid?"],
    start: "first",
    beats: [
        (
            id: "first",
            text: "A file went out wrong.",
            discuss: "Whose is it?",
            choices: [
                (id: "own", text: "Own it.", effects: (trust: -2, strategic_impact: 1), lesson: "L01", stance: Applies, feedback: "It costs now.", later: [(after: 1, effects: (trust: 9), text: "It pays.")], next: Beat("second")),
                (id: "half", text: "Own half of it.", effects: (trust: 1), lesson: "L01", stance: Partly, feedback: "Part way.", next: Beat("second")),
                (id: "blame", text: "Blame the analyst.", effects: (trust: 3, strategic_impact: 2), lesson: "L01", stance: Misses, feedback: "Looks good today.", next: Beat("second")),
                (id: "hide", text: "Hide it.", effects: (trust: -4, strategic_impact: -3, team_engagement: 1), lesson: "L01", stance: Misses, feedback: "Hurts now, and later.", next: Beat("second")),
            ],
        ),
        (
            id: "second",
            text: "A week later.",
            discuss: "What now?",
            choices: [
                (id: "reward", text: "Build on it.", effects: (team_engagement: 2), lesson: "L04", stance: Applies, feedback: "Earned.", requires: LessonApplied("L01"), locked: Show("Apply L01 first."), next: Ending("good")),
                (id: "count", text: "Count the wins.", effects: (team_engagement: 1, trust: 1), lesson: "L04", stance: Partly, feedback: "One applied.", requires: LessonsAppliedAtLeast(1), next: Ending("good")),
                (id: "plain", text: "Move on.", effects: (team_engagement: -1), lesson: "L04", stance: Misses, feedback: "Nothing learned.", next: Ending("bad")),
            ],
        ),
    ],
    endings: [
        (id: "good", title: "Good", verdict: Strong, text: "It worked."),
        (id: "bad", title: "Bad", verdict: Weak, text: "It did not."),
    ],
)
"#;

fn stances() -> Scenario {
    common::scenario_from(STANCES)
}

fn codes_of(text: &str) -> Vec<&'static str> {
    let corpus = Corpus::from_sources([("inline.ron", text)]);
    corpus.diagnostics().map(|d| d.code).collect()
}

#[test]
fn stance_objectives_and_questions_parse() {
    let s = stances();
    let first = &s.beats[0].choices;
    assert_eq!(
        first.iter().map(|c| c.stance).collect::<Vec<_>>(),
        [Some(Stance::Applies), Some(Stance::Partly), Some(Stance::Misses), Some(Stance::Misses)]
    );
    assert_eq!(s.objectives.len(), 2);
    assert_eq!(s.debrief_questions, ["What did owning it cost?", "Who paid?"]);
    assert!(!codes_of(STANCES).contains(&"missing-stance"));
}

#[test]
fn a_choice_without_a_stance_still_loads_with_a_warning() {
    let text = STANCES.replace("stance: Partly, ", "");
    let corpus = Corpus::from_sources([("old.ron", text.as_str())]);
    let file = &corpus.files[0];
    assert!(file.scenario().is_some(), "files written before stances keep loading");
    assert_eq!(corpus.error_count(), 0);
    let warning = corpus.diagnostics().find(|d| d.code == "missing-stance").expect("a missing-stance warning");
    assert!(!warning.is_error());
    assert!(warning.message.contains("`half`") && warning.message.contains("L01"), "{}", warning.message);
    let line = text.lines().position(|l| l.contains("id: \"half\"")).unwrap() + 1;
    assert_eq!(warning.line, line, "points at the choice");
}

#[test]
fn a_misspelt_stance_is_an_error_that_names_the_choices() {
    let text = STANCES.replace("stance: Partly", "stance: Partial");
    let corpus = Corpus::from_sources([("typo.ron", text.as_str())]);
    let error = corpus.diagnostics().find(|d| d.is_error()).expect("an error");
    let all = format!("{} {}", error.message, error.help.clone().unwrap_or_default());
    assert!(all.contains("Partial"), "{all}");
    assert!(all.contains("Partly") || all.contains("Applies"), "says what was meant: {all}");
}

#[test]
fn objectives_and_questions_out_of_range_are_warned_about() {
    let text = STANCES.replace(r#"objectives: ["Own the gap.", "Hear the person."],"#, r#"objectives: ["Only one."],"#);
    assert!(codes_of(&text).contains(&"line-count"));
    assert!(!codes_of(STANCES).contains(&"line-count"));
}

fn offered(session: &Session, scenario: &Scenario) -> Vec<(String, bool)> {
    session.visible_choices(scenario).iter().map(|v| (v.choice.id.clone(), v.available())).collect()
}

#[test]
fn only_applying_a_lesson_unlocks_what_reads_it() {
    let s = stances();
    let mut partly = Session::new(&s, 1);
    partly.choose(&s, "half").unwrap();
    assert_eq!(partly.lessons_met().len(), 1);
    assert!(partly.lessons_applied().is_empty(), "Partly is not applying");
    assert_eq!(offered(&partly, &s), [("reward".to_string(), false), ("plain".to_string(), true)]);

    let mut applied = Session::new(&s, 1);
    let decision = applied.choose(&s, "own").unwrap();
    assert_eq!(decision.stance, Some(Stance::Applies));
    assert!(applied.lessons_applied().contains("L01"));
    assert_eq!(
        offered(&applied, &s),
        [("reward".to_string(), true), ("count".to_string(), true), ("plain".to_string(), true)]
    );
}

#[test]
fn the_simulator_agrees_about_lessons_applied() {
    let s = stances();
    let compiled = Compiled::new(&s).unwrap();
    let index = |id: &str| compiled.choices.iter().position(|c| c.choice.id == id).unwrap();
    let mut offers = Vec::new();
    for (first, expected) in [
        ("half", vec![("reward", false), ("plain", true)]),
        ("own", vec![("reward", true), ("count", true), ("plain", true)]),
    ] {
        let mut playout = Playout::new(&compiled, 1);
        playout.choose(&compiled, index(first));
        playout.offers(&compiled, &mut offers);
        let got: Vec<(&str, bool)> =
            offers.iter().map(|o| (compiled.choices[o.choice].choice.id.as_str(), o.available)).collect();
        assert_eq!(got, expected, "after `{first}`");
    }
}

/// What a policy picks at the first beat, over many seeds.
fn picks(policy: &str) -> Vec<String> {
    let s = stances();
    let compiled = Compiled::new(&s).unwrap();
    let policy = Policy::named(policy).unwrap();
    let mut offers: Vec<Offer> = Vec::new();
    let mut seen: Vec<String> = (0..50)
        .map(|seed| {
            let playout = Playout::new(&compiled, seed);
            playout.offers(&compiled, &mut offers);
            let mut picker = Picker::new(&policy, &compiled);
            let picked = picker.pick(&compiled, &offers, &mut PickRng::new(seed));
            compiled.choices[offers[picked].choice].choice.id.clone()
        })
        .collect();
    seen.sort();
    seen.dedup();
    seen
}

#[test]
fn by_the_book_applies_myopic_takes_the_best_now_and_contrarian_the_worst() {
    assert_eq!(picks("by-the-book"), ["own"]);
    // `own` is best counting its delayed payoff; myopic ignores that and takes `blame`.
    assert_eq!(picks("myopic"), ["blame"]);
    assert_eq!(picks("balanced"), ["own"]);
    assert_eq!(picks("contrarian"), ["hide"]);
}

#[test]
fn by_the_book_falls_back_to_partly_then_to_anything() {
    let without_applies =
        STANCES.replace("stance: Applies, feedback: \"It costs now.\"", "stance: Misses, feedback: \"It costs now.\"");
    let s = common::scenario_from(&without_applies);
    let compiled = Compiled::new(&s).unwrap();
    let policy = Policy::named("by-the-book").unwrap();
    let mut offers = Vec::new();
    Playout::new(&compiled, 3).offers(&compiled, &mut offers);
    let picked = Picker::new(&policy, &compiled).pick(&compiled, &offers, &mut PickRng::new(3));
    assert_eq!(compiled.choices[offers[picked].choice].choice.id, "half");
}

#[test]
fn xapi_statements_say_whether_the_lesson_was_applied() {
    let s = stances();
    let path = common::scratch_dir("xapi-success").join("solo.jsonl");
    let mut log = SessionLog::create(&path, LogHeader::new("solo", Mode::Solo, 1)).unwrap();
    let mut number = 0;
    for (first, second) in [("own", "reward"), ("half", "plain"), ("blame", "plain")] {
        let mut session = Session::new(&s, 1);
        for id in [first, second] {
            let options = shown_options(&session.visible_choices(&s));
            let decision = session.choose(&s, id).unwrap().clone();
            number += 1;
            log.append_decision(&LoggedDecision::solo(&s.id, &decision, number, options)).unwrap();
        }
        log.append_end(&LoggedEnd::from_session(&s, &session).unwrap()).unwrap();
    }
    drop(log);
    let recorded = read_log(&path).unwrap();
    assert_eq!(recorded.decisions[0].stance, Some(Stance::Applies), "the log keeps the stance");
    let all: Value = serde_json::from_str(&leap::export::to_xapi_json(&recorded, &[&s]).unwrap()).unwrap();
    let success: Vec<(String, Option<bool>)> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|st| st.pointer("/result/response").is_some())
        .map(|st| {
            (
                st.pointer("/result/response").unwrap().as_str().unwrap().to_string(),
                st.pointer("/result/success").map(|v| v.as_bool().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        success,
        [
            ("own".to_string(), Some(true)),
            ("reward".to_string(), Some(true)),
            ("half".to_string(), None),
            ("plain".to_string(), Some(false)),
            ("blame".to_string(), Some(false)),
            ("plain".to_string(), Some(false)),
        ]
    );
    let csv = leap::export::to_csv(&recorded, &[&s]).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.split(',').any(|c| c == "stance"), "{header}");
    assert!(csv.lines().nth(1).unwrap().contains(",applies,"), "{csv}");
}

#[test]
fn a_flag_nothing_reads_is_warned_about_unless_a_later_scenario_may() {
    let unread = STANCES.replace(
        "stance: Misses, feedback: \"Looks good today.\"",
        "stance: Misses, feedback: \"Looks good today.\", sets: [\"blamed\"]",
    );
    let mut corpus = Corpus::from_sources([("unread.ron", unread.as_str())]);
    annotate_corpus(&mut corpus);
    let warning = corpus.diagnostics().find(|d| d.code == "unread-flag").expect("an unread-flag warning");
    assert!(warning.message.contains("`blamed`"), "{}", warning.message);
    let shared = unread
        .replace("lessons: [\"L01\", \"L04\"],", "lessons: [\"L01\", \"L04\"],\n    campaign_flags: [\"blamed\"],");
    assert!(!codes_of(&shared).contains(&"unread-flag"));
}

/// Plays the shipped campaign to its last stage, preferring the choices in `prefer` and
/// otherwise taking the first open one; returns the run and the last stage's session.
fn campaign_to_the_last_stage(prefer: &[&str]) -> (CampaignRun, Session, Corpus) {
    let corpus = common::shipped();
    let campaign = corpus.campaigns().next().unwrap().clone();
    let mut run = CampaignRun::new(&campaign, 7);
    loop {
        let id = run.next_scenario(&campaign).unwrap().to_string();
        let scenario = corpus.scenario(&id).unwrap().clone();
        let mut session = run.start_stage(&campaign, &scenario);
        if run.results.len() + 1 == campaign.scenarios.len() {
            return (run, session, corpus);
        }
        while !session.is_over() {
            let open: Vec<String> = session
                .visible_choices(&scenario)
                .iter()
                .filter(|v| v.available())
                .map(|v| v.choice.id.clone())
                .collect();
            let pick = open.iter().find(|c| prefer.contains(&c.as_str())).unwrap_or(&open[0]).clone();
            session.choose(&scenario, &pick).unwrap();
        }
        run.finish_stage(&scenario, &session);
    }
}

#[test]
fn losing_bramble_early_changes_the_executive_update() {
    let lose = [
        "send-scorecard",
        "offer-discount",
        "promise-more",
        "keep-as-is",
        "keep-producing",
        "promise-later",
        "pitch-record",
    ];
    let (run, session, corpus) = campaign_to_the_last_stage(&lose);
    let update = corpus.scenario("the-executive-update").unwrap();
    let real = run.results.iter().find(|r| r.scenario == "the-real-measure").unwrap();
    assert_eq!(real.ending, "green-and-gone", "the test plays Bramble away");
    assert!(run.flags.contains("bramble-lost"));
    let ids: Vec<String> = offered(&session, update).into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&"open-with-bramble".to_string()), "{ids:?}");

    let (kept, session, _) = campaign_to_the_last_stage(&["ask-for-hour", "pitch-extension"]);
    assert!(!kept.flags.contains("bramble-lost"));
    let ids: Vec<String> = offered(&session, update).into_iter().map(|(id, _)| id).collect();
    assert!(!ids.contains(&"open-with-bramble".to_string()), "Bramble is still a customer: {ids:?}");
    // Played alone, the scenario knows nothing of the campaign.
    let alone: Vec<String> = offered(&Session::new(update, 1), update).into_iter().map(|(id, _)| id).collect();
    assert!(!alone.contains(&"open-with-bramble".to_string()));
}

#[test]
fn mentoring_jo_in_spring_readies_her_for_the_executive_team() {
    let (run, mut session, corpus) = campaign_to_the_last_stage(&["mentor-and-forum"]);
    assert!(run.flags.contains("mentoring-jo"));
    let update = corpus.scenario("the-executive-update").unwrap();
    session.choose(update, "keep-fourteen").unwrap();
    let ids: Vec<String> = offered(&session, update).into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&"jo-leads-section".to_string()), "{ids:?}");

    let (_, mut session, _) = campaign_to_the_last_stage(&["after-offsite"]);
    session.choose(update, "keep-fourteen").unwrap();
    let ids: Vec<String> = offered(&session, update).into_iter().map(|(id, _)| id).collect();
    assert!(!ids.contains(&"jo-leads-section".to_string()), "{ids:?}");
}

#[test]
fn reopening_a_stage_takes_back_the_flags_it_passed_on() {
    let corpus = common::shipped();
    let campaign = corpus.campaigns().next().unwrap();
    let mut run = CampaignRun::new(campaign, 3);
    let first = corpus.scenario("the-slipping-analyst").unwrap();
    let mut session = run.start_stage(campaign, first);
    while !session.is_over() {
        let pick = session.visible_choices(first).iter().find(|v| v.available()).unwrap().choice.id.clone();
        session.choose(first, &pick).unwrap();
    }
    run.finish_stage(first, &session);
    let second = corpus.scenario("no-time-to-think").unwrap();
    let mut session = run.start_stage(campaign, second);
    let restart = session.clone();
    for id in ["block-mornings", "send-sam", "set-goals-together", "mentor-and-forum"] {
        session.choose(second, id).unwrap();
    }
    while !session.is_over() {
        let pick = session.visible_choices(second).iter().find(|v| v.available()).unwrap().choice.id.clone();
        session.choose(second, &pick).unwrap();
    }
    run.finish_stage(second, &session);
    assert!(run.flags.contains("mentoring-jo"));
    run.reopen_stage(&restart);
    assert!(!run.flags.contains("mentoring-jo"), "the replayed stage has not mentored Jo yet");
}

#[test]
fn leap_simulate_plays_the_campaign_and_leap_balance_reports_targets() {
    let scenarios = common::root().join("scenarios");
    let dir = scenarios.to_str().unwrap();
    let (code, out) =
        common::run_leap(&["--scenarios", dir, "simulate", "the-leap", "--policy", "by-the-book", "--runs", "40"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("has errors"), "{out}");
    assert!(out.contains("Median meters as each stage starts") && out.contains("tapped"), "{out}");
    assert!(out.contains("no-time-to-think"), "every stage is listed: {out}");

    let (code, out) = common::run_leap(&["--scenarios", dir, "balance", "the-slipping-analyst", "--runs", "600"], "");
    assert_eq!(code, Some(0), "{out}");
    for policy in ["by-the-book", "myopic", "contrarian", "people-pleaser", "results-first", "team-first", "random"] {
        assert!(out.contains(policy), "{policy} is reported: {out}");
    }
    assert!(out.contains("every target met"), "{out}");
}
