//! Session logs made for tests: a workshop through the first stages of the shipped campaign,
//! with votes, an override and a session name that tries to inject markup.

use std::path::Path;
use std::time::{Duration, SystemTime};

use leap::engine::CampaignRun;
use leap::engine::votes::VoteTally;
use leap::record::{LogHeader, LoggedDecision, LoggedEnd, Mode, RecordedSession, RoomCall, SessionLog, read_log};
use leap::scenario::Corpus;

/// A session name no page may run or a file name may trip on.
pub const HOSTILE_NAME: &str = "Cohort <script>alert(\"x\")</script> & 'friends'";

/// Records a workshop of the campaign's first `stages` scenarios at `path`: decision n plays
/// the option n modulo the open ones, the room votes for it (9 to 2) except every third
/// decision, where the facilitator overrides a majority for another option, with a reason.
pub fn record_campaign_workshop(path: &Path, corpus: &Corpus, name: &str, stages: usize) -> RecordedSession {
    let campaign = corpus.campaigns().next().expect("the shipped campaign");
    // A fixed clock: a minute per decision from 2026-11-23T09:00:00Z.
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_424_400);
    let at = |n: u32| start + Duration::from_secs(60 * u64::from(n));
    let mut header = LogHeader::new(name, Mode::Workshop, 7, start);
    header.campaign = Some(campaign.id.clone());
    let mut log = SessionLog::create(path, header).unwrap();
    let mut run = CampaignRun::new(campaign, 7);
    let mut number = 1;
    for _ in 0..stages {
        let scenario = corpus.scenario(run.next_scenario(campaign).unwrap()).unwrap();
        let mut session = run.start_stage(campaign, scenario);
        while !session.is_over() {
            let open: Vec<String> = session
                .visible_choices(scenario)
                .iter()
                .filter(|v| v.available())
                .map(|v| v.choice.id.clone())
                .collect();
            let pick = number as usize % open.len();
            let mut tally = VoteTally::new(open.len());
            let overridden = number % 3 == 0 && open.len() > 1;
            let majority = if overridden { (pick + 1) % open.len() } else { pick };
            tally.set(majority, 9);
            tally.set((majority + 1) % open.len(), 2);
            let reason = overridden.then(|| "We want to see the <b>other</b> road.".to_string());
            let room = tally.decide(pick, reason).unwrap();
            let decision = session.choose(scenario, &open[pick]).unwrap().clone();
            let call = RoomCall { tally: &tally, decision: &room };
            log.append_decision(&LoggedDecision::voted(scenario, &decision, number, open, call, at(number))).unwrap();
            number += 1;
        }
        log.append_end(&LoggedEnd::from_session(scenario, &session, at(number)).unwrap()).unwrap();
        run.finish_stage(scenario, &session);
    }
    drop(log);
    read_log(path).unwrap()
}

/// Records an "everyone plays" round of the shipped `the-slipping-analyst` at `path`: three
/// phones (one with a nickname) each play their own run to its ending, taking their n-th
/// choice; then the round ends.
pub fn record_everyone_plays(path: &Path, corpus: &Corpus) -> RecordedSession {
    use leap::workshop::everyone_flow::{EveryoneWorkshop, record_choice};
    use leap::workshop::flow::lock;
    let scenario = corpus.scenario("the-slipping-analyst").expect("the shipped scenario").clone();
    let mut room = leap::workshop::phones::PhoneRoom::new("ROOM23");
    room.nicknames = true;
    let room = std::sync::Arc::new(std::sync::Mutex::new(room));
    let config = leap::workshop::WorkshopConfig { name: "Everyone".into(), seed: Some(8), ..Default::default() };
    let mut workshop = EveryoneWorkshop::start(config, scenario, path, room.clone(), "http://192.0.2.7:8765/")
        .expect("the round starts");
    let now = std::time::Instant::now();
    for (i, nickname) in [Some("Ada"), None, None].into_iter().enumerate() {
        let phone = lock(&room).join(None, nickname, now).expect("a phone joins");
        for number in 1..30 {
            let over = lock(&room).everyone().and_then(|p| p.session(&phone.phone)).is_some_and(|s| s.is_over());
            if over {
                break;
            }
            let letter = ["A", "B", "C"][i];
            let made = record_choice(&room, &phone.token, letter, Some(number), now)
                .or_else(|_| record_choice(&room, &phone.token, "A", Some(number), now))
                .expect("a choice shown is taken");
            made.1.expect("written");
        }
    }
    workshop.end_round();
    drop((workshop, room));
    read_log(path).expect("the log reads back")
}
