//! A workshop's flow through one scenario, as a state machine any front end can drive: the
//! facilitator's keys go in ([`WorkshopFlow::key`]), the state comes out (the step, the votes,
//! the last decision), and every decision is appended to the session log and flushed before
//! the call returns. With phones, the room's [`PhoneRoom`] follows each step: the question is
//! shown at the discussion, the vote opens with V, and it closes when the decision is applied.
//! A campaign goes stage by stage ([`WorkshopFlow::next_stage`]); hidden meters are shown
//! when the facilitator reveals them (R), by the session's [`MeterMode`]. The terminal and the
//! window both drive this one machine.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime};

use crate::engine::campaign::CampaignRun;
use crate::engine::chance::fresh_seed;
use crate::engine::votes::{Majority, VoteTally};
use crate::engine::{Decision, Meters, Session};
use crate::record::{LogHeader, LoggedDecision, LoggedEnd, Mode, RoomCall, SessionLog, rebuild_run};
use crate::scenario::{Campaign, Scenario};

use super::phones::{PhoneBallots, PhoneRoom, Question};
use super::vote_debrief::VoteDebrief;
use super::{MeterMode, WorkshopConfig, WorkshopTarget};

/// Where the room is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Discuss,
    Vote,
    /// Picking the option to apply against the majority (or on a tie), then typing why.
    Override {
        option: Option<usize>,
        reason: String,
    },
    /// What the decision did; Enter goes on.
    Consequence,
    /// The scenario is over.
    Debrief,
}

/// One key of the facilitator's keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKey {
    Char(char),
    Enter,
    Escape,
    Backspace,
}

/// The room's phones, shared with the phone server.
pub type SharedRoom = Arc<Mutex<PhoneRoom>>;

/// Locks the room; a panic elsewhere while it was held does not stop the workshop.
pub fn lock(room: &SharedRoom) -> MutexGuard<'_, PhoneRoom> {
    room.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The last decision applied, for the consequence screen.
#[derive(Debug, Clone)]
pub struct Applied {
    pub decision: Decision,
    pub logged: LoggedDecision,
    pub ballots: Option<PhoneBallots>,
}

/// A workshop on one scenario.
pub struct WorkshopFlow {
    pub config: WorkshopConfig,
    pub scenario: Scenario,
    pub session: Session,
    pub log: SessionLog,
    /// Hands counted in the room (people without a phone), added to the phones' votes.
    pub hands: VoteTally,
    pub step: Step,
    /// Digits typed before a letter, to set that option's count.
    pub typed_count: String,
    pub decisions: Vec<LoggedDecision>,
    pub phones: Option<SharedRoom>,
    /// The room's home page (`http://ADDR:PORT/`), kept with each closed vote's ballots.
    pub home_page: Option<String>,
    /// Close the vote by itself once every connected phone has voted.
    pub close_when_all_voted: bool,
    pub last: Option<Applied>,
    /// A line for the facilitator (a tie, an error); cleared by the next key.
    pub message: Option<String>,
    /// The campaign and the room's run through it, when the room plays the campaign.
    pub campaign: Option<(Campaign, CampaignRun)>,
    /// The meters the room last saw (all of them when the session shows them).
    pub revealed: Meters,
    /// Why the session log could not be written, until [`WorkshopFlow::retry_log`] catches up.
    pub log_problem: Option<String>,
}

impl WorkshopFlow {
    /// Starts a workshop on `scenario` with a new log at `log_path`. `phones` is recorded in the
    /// log's header (room code and home page) so a resumed session keeps them.
    pub fn start(
        config: WorkshopConfig,
        scenario: Scenario,
        log_path: &Path,
        phones: Option<(SharedRoom, String)>,
    ) -> Result<WorkshopFlow, String> {
        let seed = config.seed.unwrap_or_else(fresh_seed);
        let session = Session::new(&scenario, seed);
        WorkshopFlow::begin(config, seed, scenario, session, None, log_path, phones)
    }

    /// Starts a workshop on the config's target: a scenario `find` knows, or `campaign` from
    /// its first stage.
    pub fn start_target<'a>(
        config: WorkshopConfig,
        find: impl Fn(&str) -> Option<&'a Scenario>,
        campaign: Option<&Campaign>,
        log_path: &Path,
        phones: Option<(SharedRoom, String)>,
    ) -> Result<WorkshopFlow, String> {
        let seed = config.seed.unwrap_or_else(fresh_seed);
        match &config.target {
            WorkshopTarget::Scenario(id) => {
                let scenario = find(id).cloned().ok_or_else(|| format!("There is no playable scenario `{id}`."))?;
                let session = Session::new(&scenario, seed);
                WorkshopFlow::begin(config, seed, scenario, session, None, log_path, phones)
            }
            WorkshopTarget::Campaign => {
                let campaign = campaign.cloned().ok_or("No campaign file was found.")?;
                let run = CampaignRun::new(&campaign, seed);
                let id = run.next_scenario(&campaign).ok_or("The campaign lists no scenarios.")?.to_string();
                let scenario = find(&id).cloned().ok_or_else(|| format!("The campaign needs `{id}`."))?;
                let session = run.start_stage(&campaign, &scenario);
                WorkshopFlow::begin(config, seed, scenario, session, Some((campaign, run)), log_path, phones)
            }
        }
    }

    fn begin(
        config: WorkshopConfig,
        seed: u64,
        scenario: Scenario,
        session: Session,
        campaign: Option<(Campaign, CampaignRun)>,
        log_path: &Path,
        phones: Option<(SharedRoom, String)>,
    ) -> Result<WorkshopFlow, String> {
        let campaign_id = campaign.as_ref().map(|(c, _)| c.id.as_str());
        let mut header =
            LogHeader::for_run(config.name.clone(), Mode::Workshop, seed, &scenario, campaign_id, SystemTime::now());
        header.options = serde_json::json!({
            "meters": config.meters.label(),
            "timer_minutes": config.timer_minutes,
        });
        if let Some((room, home_page)) = &phones {
            let room = lock(room);
            header.options["phones"] =
                serde_json::json!({"room": room.code(), "home_page": home_page, "nicknames": room.nicknames});
        }
        let log = SessionLog::create(log_path, header)
            .map_err(|e| format!("Cannot create the session log {}: {e}", log_path.display()))?;
        let config = WorkshopConfig { seed: Some(seed), ..config };
        let mut flow = WorkshopFlow::new(config, scenario, session, log, Vec::new(), phones);
        flow.campaign = campaign;
        Ok(flow)
    }

    /// Goes on with the workshop in the log at `path`, at the next decision; `find` looks the
    /// log's scenario up by id.
    pub fn resume<'a>(
        path: &Path,
        find: impl Fn(&str) -> Option<&'a Scenario>,
        phones: Option<(SharedRoom, String)>,
    ) -> Result<WorkshopFlow, String> {
        let recorded = crate::record::read_log(path).map_err(|e| e.to_string())?;
        if recorded.header.campaign.is_some() {
            return Err(format!("{} records a campaign; resume it in the window", path.display()));
        }
        WorkshopFlow::resume_with(path, find, None, phones)
    }

    /// Goes on with the workshop in the log at `path`, a scenario or `campaign` (the one the log
    /// names), at the next decision, or at its debrief if it had reached one.
    pub fn resume_with<'a>(
        path: &Path,
        find: impl Fn(&str) -> Option<&'a Scenario>,
        campaign: Option<&Campaign>,
        phones: Option<(SharedRoom, String)>,
    ) -> Result<WorkshopFlow, String> {
        let (log, recorded) = SessionLog::open_append(path).map_err(|e| e.to_string())?;
        let header = &recorded.header;
        if header.campaign.is_none() && header.scenario.is_none() {
            return Err(format!("{} names no scenario", path.display()));
        }
        let rebuilt =
            rebuild_run(&recorded, campaign, find).map_err(|e| format!("cannot resume {}: {e}", path.display()))?;
        let campaign = match rebuilt.campaign {
            Some(run) => campaign.cloned().map(|c| (c, run)),
            None => None,
        };
        let config = WorkshopConfig {
            name: header.session.clone(),
            target: match campaign {
                Some(_) => WorkshopTarget::Campaign,
                None => WorkshopTarget::Scenario(rebuilt.scenario.id.clone()),
            },
            meters: MeterMode::Shown,
            timer_minutes: header.options.get("timer_minutes").and_then(|t| t.as_u64()).map(|t| t as u32),
            seed: Some(header.seed),
        };
        if let Some((room, _)) = &phones {
            recorded.ballots.iter().for_each(|b| lock(room).remember(b));
        }
        let (scenario, session) = (rebuilt.scenario.clone(), rebuilt.session);
        let mut flow = WorkshopFlow::new(config, scenario, session, log, recorded.decisions.clone(), phones);
        flow.campaign = campaign;
        flow.message = Some(format!("Resumed from the log at decision {}.", recorded.decisions.len() + 1));
        Ok(flow)
    }

    fn new(
        config: WorkshopConfig,
        scenario: Scenario,
        session: Session,
        log: SessionLog,
        decisions: Vec<LoggedDecision>,
        phones: Option<(SharedRoom, String)>,
    ) -> WorkshopFlow {
        let (phones, home_page) = phones.unzip();
        let revealed = session.meters;
        let mut flow = WorkshopFlow {
            config,
            hands: VoteTally::new(0),
            scenario,
            session,
            log,
            step: Step::Discuss,
            typed_count: String::new(),
            decisions,
            phones,
            home_page,
            close_when_all_voted: false,
            last: None,
            message: None,
            campaign: None,
            revealed,
            log_problem: None,
        };
        flow.enter_beat();
        flow
    }

    pub fn log_path(&self) -> &Path {
        self.log.path()
    }

    /// The ids of the choices the room can vote on, in the order shown (lettered A–D).
    pub fn options(&self) -> Vec<String> {
        self.session
            .visible_choices(&self.scenario)
            .iter()
            .filter(|v| v.available())
            .map(|v| v.choice.id.clone())
            .collect()
    }

    /// The question for the phones: the beat's situation, prompt and votable options.
    pub fn question(&self) -> Option<Question> {
        super::phones::question_for(&self.scenario, &self.session, self.decisions.len() as u32 + 1)
    }

    fn enter_beat(&mut self) {
        if self.session.is_over() {
            self.step = Step::Debrief;
            if let Some(room) = &self.phones {
                lock(room).finish_with(VoteDebrief::new(&self.scenario, &self.session, &self.decisions));
            }
            return;
        }
        self.hands = VoteTally::new(self.options().len());
        self.step = Step::Discuss;
        self.typed_count.clear();
        if let (Some(room), Some(question)) = (&self.phones, self.question()) {
            lock(room).show(question);
        }
    }

    /// The votes the rules decide on: phones plus hands.
    pub fn tally(&self) -> VoteTally {
        match &self.phones {
            Some(room) => lock(room).combined(&self.hands),
            None => self.hands.clone(),
        }
    }

    /// Opens the vote (V, or Enter in the discussion).
    pub fn open_vote(&mut self) {
        if self.step == Step::Discuss {
            self.step = Step::Vote;
            if let Some(room) = &self.phones {
                lock(room).open_vote();
            }
        }
    }

    /// Called now and then (the text mode does it every fraction of a second): closes the vote
    /// when everyone connected has voted, if the facilitator chose that. True if it did.
    pub fn tick(&mut self, now: Instant) -> bool {
        let all = self.close_when_all_voted
            && self.step == Step::Vote
            && self.phones.as_ref().is_some_and(|room| lock(room).everyone_voted(now));
        if all {
            self.apply_majority();
        }
        all
    }

    /// Enter in the vote: the majority, or the facilitator's call on a tie or with no votes.
    pub fn apply_majority(&mut self) {
        match self.tally().majority() {
            Majority::Clear(option) => self.apply(option, None),
            Majority::Tie(_) => {
                self.begin_override();
                self.message = Some("A tie: it is your call. Press the letter of the option to apply.".into());
            }
            Majority::NoVotes => {
                self.begin_override();
                self.message = Some("No votes yet: press the letter of the option to apply.".into());
            }
        }
    }

    fn begin_override(&mut self) {
        // The phones can no longer change their votes while the facilitator decides.
        if let Some(room) = &self.phones {
            lock(room).freeze();
        }
        self.step = Step::Override { option: None, reason: String::new() };
    }

    /// Applies option `option`; `reason` is needed when it goes against the majority.
    pub fn apply(&mut self, option: usize, reason: Option<String>) {
        let options = self.options();
        let Some(choice) = options.get(option).cloned() else {
            self.message = Some("There is no such option.".into());
            return;
        };
        let tally = self.tally();
        let room = match tally.decide(option, reason) {
            Ok(room) => room,
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        };
        let ballots = self.phones.as_ref().map(|r| lock(r).close(&self.hands));
        let decision = match self.session.choose(&self.scenario, &choice) {
            Ok(d) => d.clone(),
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        };
        let number = self.decisions.len() as u32 + 1;
        let call = RoomCall { tally: &tally, decision: &room };
        let logged = LoggedDecision::voted(&self.scenario, &decision, number, options, call, SystemTime::now());
        // The phones' votes first, then the decision, each on disk before the next screen.
        let ballots = ballots.map(|b| PhoneBallots { decision: number, home_page: self.home_page.clone(), ..b });
        let mut written = match &ballots {
            Some(b) => self.log.append_ballots(b),
            None => Ok(()),
        };
        written = written.and_then(|()| self.log.append_decision(&logged));
        if written.is_ok()
            && let Some(end) = LoggedEnd::from_session(&self.scenario, &self.session, SystemTime::now())
        {
            written = self.log.append_end(&end);
        }
        self.log_problem = written.err().map(|e| e.to_string());
        if let Some(why) = &self.log_problem {
            self.message = Some(format!("Could not write the session log: {why}"));
        }
        if self.session.is_over()
            && let Some((_, run)) = &mut self.campaign
        {
            run.finish_stage(&self.scenario, &self.session);
        }
        if self.config.meters == MeterMode::Shown {
            self.revealed = self.session.meters;
        }
        self.decisions.push(logged.clone());
        self.last = Some(Applied { decision, logged, ballots });
        self.step = Step::Consequence;
    }

    /// After a failed write: appends what the log file is missing. True when it caught up.
    pub fn retry_log(&mut self) -> bool {
        let end = LoggedEnd::from_session(&self.scenario, &self.session, SystemTime::now());
        self.log_problem = self.log.catch_up(&self.decisions, end.as_ref()).err().map(|e| e.to_string());
        self.log_problem.is_none()
    }

    /// The room sees the meters now.
    pub fn meters_visible(&self) -> bool {
        self.config.meters == MeterMode::Shown
    }

    /// R: with meters hidden until revealed, the room sees them now; returns what it had seen
    /// before (to show every change since). Hidden until the end: says so, and shows nothing.
    pub fn reveal(&mut self) -> Option<Meters> {
        match self.config.meters {
            MeterMode::UntilReveal => Some(std::mem::replace(&mut self.revealed, self.session.meters)),
            MeterMode::UntilEnd => {
                self.message = Some("This session keeps the meters hidden until the end.".into());
                None
            }
            MeterMode::Shown => None,
        }
    }

    /// At a campaign stage's debrief: the room goes on to the next scenario (`find` looks it
    /// up). False when there is none: the campaign is over (or this is no campaign).
    pub fn next_stage<'a>(&mut self, find: impl Fn(&str) -> Option<&'a Scenario>) -> bool {
        if self.step != Step::Debrief {
            return false;
        }
        let Some((campaign, run)) = &self.campaign else { return false };
        let Some(scenario) = run.next_scenario(campaign).and_then(find).cloned() else { return false };
        self.session = run.start_stage(campaign, &scenario);
        self.scenario = scenario;
        self.revealed = self.session.meters;
        self.last = None;
        self.enter_beat();
        true
    }

    /// Esc in the vote: back to the discussion (the phones' vote pauses).
    pub fn back_to_discussion(&mut self) {
        if self.step == Step::Vote {
            self.step = Step::Discuss;
            if let Some(room) = &self.phones {
                lock(room).pause_vote();
            }
        }
    }

    /// Esc while choosing an option against the majority: back to the vote.
    pub fn cancel_override(&mut self) {
        if matches!(self.step, Step::Override { .. }) {
            self.step = Step::Vote;
            if let Some(room) = &self.phones {
                lock(room).open_vote();
            }
        }
    }

    /// O in the vote: choose another option than the majority's.
    pub fn choose_another(&mut self) {
        if self.step == Step::Vote {
            self.begin_override();
        }
    }

    /// The letter of the option to apply against the majority: applied at once when it is the
    /// facilitator's call (a tie, no votes), else the reason is asked for.
    pub fn pick_override(&mut self, option: usize) {
        if !matches!(self.step, Step::Override { option: None, .. }) || option >= self.hands.options() {
            return;
        }
        if self.tally().decide(option, None).is_ok() {
            self.apply(option, None);
        } else {
            self.step = Step::Override { option: Some(option), reason: String::new() };
        }
    }

    /// Enter after typing the reason: the picked option is applied, if the reason is enough.
    pub fn confirm_override(&mut self) {
        if let Step::Override { option: Some(option), reason } = self.step.clone() {
            let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
            self.apply(option, reason);
        }
    }

    /// One raised hand for `option`; `count` sets its hands instead.
    pub fn count_hands(&mut self, option: usize, count: Option<u32>) {
        if self.step != Step::Vote || option >= self.hands.options() {
            return;
        }
        match count {
            Some(count) => self.hands.set(option, count),
            None => self.hands.tap(option),
        }
    }

    /// Backspace in the vote: the last digit typed, else the last hand counted.
    pub fn undo(&mut self) {
        if self.step == Step::Vote && self.typed_count.pop().is_none() && !self.hands.undo() {
            self.message = Some("Nothing to undo.".into());
        }
    }

    /// Enter on the consequence: the next beat, or the debrief.
    pub fn proceed(&mut self) {
        if self.step == Step::Consequence {
            self.enter_beat();
        }
    }

    /// One of the facilitator's keys, as on the window's keyboard.
    pub fn key(&mut self, key: FlowKey) {
        self.message = None;
        let options = self.hands.options();
        let letter = |c: char| {
            let i = (c.to_ascii_uppercase() as u8).wrapping_sub(b'A') as usize;
            (c.is_ascii_alphabetic() && i < options).then_some(i)
        };
        match (self.step.clone(), key) {
            (Step::Discuss, FlowKey::Enter | FlowKey::Char('v' | 'V')) => self.open_vote(),
            (Step::Discuss | Step::Vote | Step::Consequence, FlowKey::Char('r' | 'R')) => {
                self.reveal();
            }
            (Step::Vote, FlowKey::Escape) => self.back_to_discussion(),
            (Step::Vote, FlowKey::Backspace) => self.undo(),
            (Step::Vote, FlowKey::Enter) => self.apply_majority(),
            (Step::Vote, FlowKey::Char('o' | 'O')) => self.choose_another(),
            (Step::Vote, FlowKey::Char(c)) if c.is_ascii_digit() && self.typed_count.len() < 3 => {
                self.typed_count.push(c)
            }
            (Step::Vote, FlowKey::Char(c)) if letter(c).is_some() => {
                let option = letter(c).unwrap_or_default();
                let count = std::mem::take(&mut self.typed_count).parse::<u32>().ok();
                self.count_hands(option, count);
            }
            (Step::Override { .. }, FlowKey::Escape) => self.cancel_override(),
            (Step::Override { option: None, .. }, FlowKey::Char(c)) if letter(c).is_some() => {
                self.pick_override(letter(c).unwrap_or_default());
            }
            (Step::Override { option: Some(_), .. }, FlowKey::Enter) => self.confirm_override(),
            (Step::Override { option: Some(_), .. }, FlowKey::Backspace) => {
                if let Step::Override { reason, .. } = &mut self.step {
                    reason.pop();
                }
            }
            (Step::Override { option: Some(_), .. }, FlowKey::Char(c)) => {
                if let Step::Override { reason, .. } = &mut self.step
                    && reason.chars().count() < 200
                {
                    reason.push(c);
                }
            }
            (Step::Consequence, FlowKey::Enter) => self.proceed(),
            _ => {}
        }
    }
}
