//! "Everyone plays": each phone plays the scenario on its own, at its own pace, with its own
//! engine [`Session`] (so the one decision sequence, `engine::decision::resolve`, decides every
//! step), and when the facilitator ends the round the room sees how everyone chose. Pure
//! state: no network, no files; the phone server and the facilitator's screens call it under
//! the room's lock, and the log lines it returns are written by the caller.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use serde::Serialize;

use crate::engine::votes::option_letter;
use crate::engine::{Meters, Session};
use crate::record::{LoggedDecision, LoggedEnd, PhoneDecision, shown_options};
use crate::scenario::lessons::lesson;
use crate::scenario::{Meter, Scenario};

/// Why a phone's choice is refused; each is a 4xx with this short reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayError {
    /// The facilitator has ended the round.
    RoundOver,
    /// This phone's run has reached its ending.
    RunOver,
    /// The letter is not one of the choices shown (locked ones have no letter).
    NoSuchChoice,
    /// The phone answered a beat it is no longer at (a double tap, a second tab).
    Stale { expected: u32 },
}

impl std::fmt::Display for PlayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlayError::RoundOver => f.write_str("the facilitator has ended the round"),
            PlayError::RunOver => f.write_str("your run has already ended"),
            PlayError::NoSuchChoice => f.write_str("that choice is not one of those shown"),
            PlayError::Stale { expected } => write!(f, "that beat is already decided; you are at decision {expected}"),
        }
    }
}

impl std::error::Error for PlayError {}

/// One phone's run.
#[derive(Debug, Clone)]
struct Run {
    session: Session,
    /// A digest of the phone's token (see [`PhoneDecision::key`]).
    key: String,
}

/// The round: the scenario, every phone's run, and whether the facilitator has ended it.
#[derive(Debug, Clone)]
pub struct EveryonePlays {
    scenario: Scenario,
    seed: u64,
    runs: HashMap<String, Run>,
    /// Set when the facilitator ends the round; the phones then see their debrief.
    aggregate: Option<RoomAggregate>,
}

/// How far the room is: "Playing: 12 started, 5 finished of 17 joined".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub joined: usize,
    pub started: usize,
    pub finished: usize,
}

impl Progress {
    pub fn text(&self) -> String {
        format!("Playing: {} started, {} finished of {} joined", self.started, self.finished, self.joined)
    }
}

/// The seed of one phone's run: the round's seed mixed with the phone's id, so two phones meet
/// different chance outcomes and a resumed run meets the same ones (the log keeps it too).
pub fn run_seed(round_seed: u64, phone: &str) -> u64 {
    // FNV-1a over the id, then a splitmix finaliser.
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for byte in phone.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = round_seed ^ hash;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl EveryonePlays {
    pub fn new(scenario: Scenario, seed: u64) -> EveryonePlays {
        EveryonePlays { scenario, seed, runs: HashMap::new(), aggregate: None }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The facilitator has ended the round.
    pub fn is_over(&self) -> bool {
        self.aggregate.is_some()
    }

    /// The session of `phone`, if it has one.
    pub fn session(&self, phone: &str) -> Option<&Session> {
        self.runs.get(phone).map(|r| &r.session)
    }

    /// The phone with id `phone` (token digest `key`) takes the choice lettered `letter` among
    /// those it can take now. `number`, if given, is the decision the phone thinks it is at, so
    /// a double tap never decides the next beat. Returns the log line to write.
    pub fn choose(
        &mut self,
        phone: &str,
        key: &str,
        letter: &str,
        number: Option<u32>,
        at: SystemTime,
    ) -> Result<PhoneDecision, PlayError> {
        if self.is_over() {
            return Err(PlayError::RoundOver);
        }
        let EveryonePlays { scenario, seed, runs, .. } = self;
        // A phone's run starts at the beginning with its first choice (a late joiner's too).
        let run = runs
            .entry(phone.to_string())
            .or_insert_with(|| Run { session: Session::new(scenario, run_seed(*seed, phone)), key: key.to_string() });
        let session = &mut run.session;
        if session.is_over() {
            return Err(PlayError::RunOver);
        }
        let expected = session.decisions_made() + 1;
        if number.is_some_and(|n| n != expected) {
            return Err(PlayError::Stale { expected });
        }
        let views = session.visible_choices(scenario);
        let available: Vec<&str> = views.iter().filter(|v| v.available()).map(|v| v.choice.id.as_str()).collect();
        let index = crate::workshop::phones::parse_option(letter, available.len()).ok_or(PlayError::NoSuchChoice)?;
        let options = shown_options(&views);
        let choice = available[index].to_string();
        let decision = session.choose(scenario, &choice).map_err(|_| PlayError::NoSuchChoice)?.clone();
        let logged = LoggedDecision::solo(scenario, &decision, expected, options, at);
        let end = LoggedEnd::from_session(scenario, session, at);
        Ok(PhoneDecision {
            phone: phone.to_string(),
            key: run.key.clone(),
            seed: session.seed,
            nickname: None,
            decision: logged,
            end,
        })
    }

    /// Rebuilds the runs from the log's `phone` lines (a resume): each phone's choices are
    /// replayed with its recorded seed, and must come out as recorded.
    pub fn replay(&mut self, lines: &[PhoneDecision]) -> Result<(), String> {
        let EveryonePlays { scenario, runs, .. } = self;
        for line in lines {
            let run = runs
                .entry(line.phone.clone())
                .or_insert_with(|| Run { session: Session::new(scenario, line.seed), key: line.key.clone() });
            let logged = &line.decision;
            let made = run
                .session
                .choose(scenario, &logged.chosen)
                .map_err(|e| format!("phone {}'s decision {} cannot be replayed: {e}", line.phone, logged.number))?;
            if made.meters_after != logged.meters_after {
                return Err(format!(
                    "phone {}'s decision {} no longer plays out as recorded; the scenario has changed since",
                    line.phone, logged.number
                ));
            }
        }
        Ok(())
    }

    /// The phones (anonymous id, token digest) with a run, for a resumed room to recognise.
    pub fn keys(&self) -> Vec<(String, String)> {
        self.runs.iter().map(|(phone, run)| (phone.clone(), run.key.clone())).collect()
    }

    pub fn progress(&self, joined: usize) -> Progress {
        let started = self.runs.values().filter(|r| r.session.decisions_made() > 0).count();
        let finished = self.runs.values().filter(|r| r.session.is_over()).count();
        Progress { joined: joined.max(self.runs.len()), started, finished }
    }

    /// The facilitator ends the round: the aggregate is fixed and every phone's debrief uses it.
    pub fn end(&mut self, joined: usize) -> &RoomAggregate {
        if self.aggregate.is_none() {
            self.aggregate = Some(self.tally(joined));
        }
        self.aggregate.as_ref().expect("just set")
    }

    /// The aggregate once the round has ended.
    pub fn aggregate(&self) -> Option<&RoomAggregate> {
        self.aggregate.as_ref()
    }

    /// How the room chose so far: endings reached and each beat's split.
    pub fn tally(&self, joined: usize) -> RoomAggregate {
        let scenario = &self.scenario;
        let mut endings: BTreeMap<&str, usize> = BTreeMap::new();
        let mut splits: HashMap<(&str, &str), usize> = HashMap::new();
        for run in self.runs.values() {
            if let Some(ending) = run.session.ending(scenario) {
                *endings.entry(ending.id.as_str()).or_default() += 1;
            }
            for d in &run.session.transcript {
                *splits.entry((d.beat.as_str(), d.choice.as_str())).or_default() += 1;
            }
        }
        let endings: Vec<EndingCount> = scenario
            .endings
            .iter()
            .filter_map(|e| {
                let count = *endings.get(e.id.as_str())?;
                Some(EndingCount { id: e.id.clone(), title: e.title.clone(), verdict: e.verdict.label(), count })
            })
            .collect();
        let beats: Vec<BeatSplit> = scenario
            .beats
            .iter()
            .enumerate()
            .filter_map(|(i, beat)| {
                let choices: Vec<ChoiceCount> = beat
                    .choices
                    .iter()
                    .map(|c| ChoiceCount {
                        id: c.id.clone(),
                        text: c.text.clone(),
                        count: splits.get(&(beat.id.as_str(), c.id.as_str())).copied().unwrap_or(0),
                    })
                    .collect();
                let decided: usize = choices.iter().map(|c| c.count).sum();
                (decided > 0).then(|| BeatSplit { beat: beat.id.clone(), ordinal: i + 1, decided, choices })
            })
            .collect();
        let progress = self.progress(joined);
        let mut sentences: Vec<String> = beats.iter().map(BeatSplit::sentence).collect();
        for e in &endings {
            sentences.push(format!(
                "{} of {} reached the ending \u{201c}{}\u{201d} ({}).",
                e.count,
                progress.started,
                e.title,
                e.verdict.to_lowercase()
            ));
        }
        RoomAggregate { progress, endings, beats, sentences }
    }

    /// What the phone `phone` sees now: its beat and choices, its last consequence, its ending,
    /// and once the round has ended, its personal debrief. A phone with no run yet sees the
    /// start (its run begins with its first choice).
    pub fn view(&self, phone: &str) -> PhoneView {
        let scenario = &self.scenario;
        let fresh;
        let session = match self.runs.get(phone) {
            Some(run) => &run.session,
            None => {
                fresh = Session::new(scenario, run_seed(self.seed, phone));
                &fresh
            }
        };
        let beat = session.current_beat(scenario).ok().flatten();
        let views = session.visible_choices(scenario);
        let mut letter = 0;
        let choices = views
            .iter()
            .map(|v| {
                let shown = ChoiceShown {
                    letter: v.available().then(|| option_letter(letter).to_string()),
                    text: v.choice.text.clone(),
                    locked: v.locked_reason.clone(),
                };
                letter += usize::from(v.available());
                shown
            })
            .collect();
        let last = session.transcript.last().map(|d| {
            let choice = scenario.beat(&d.beat).and_then(|b| b.choices.iter().find(|c| c.id == d.choice));
            let named = lesson(&d.lesson);
            Consequence {
                number: d.number,
                chose: choice.map(|c| c.text.clone()).unwrap_or_default(),
                outcome: d.outcome.as_ref().map(|o| o.text.clone()),
                feedback: choice.map(|c| c.feedback.clone()).unwrap_or_default(),
                lesson: LessonShown {
                    id: d.lesson.clone(),
                    name: named.map_or_else(|| d.lesson.clone(), |l| l.name.to_string()),
                    stance: d.stance.map(|s| s.id()),
                    said: lesson_said(d.stance, named.map_or(d.lesson.as_str(), |l| l.name)),
                },
                meters_before: d.meters_before,
                meters_after: d.meters_after,
                delta: d.delta(),
                landed: d
                    .landed
                    .iter()
                    .map(|l| Landed { text: l.text.clone(), delta: Meter::ALL.map(|m| l.effects.get(m)) })
                    .collect(),
            }
        });
        let ending = session.ending(scenario).map(|e| EndingShown {
            id: e.id.clone(),
            title: e.title.clone(),
            verdict: e.verdict.label(),
            text: e.text.clone(),
        });
        PhoneView {
            title: scenario.title.clone(),
            number: session.decisions_made() + 1,
            scene: beat.and_then(|b| b.scene.clone()),
            speaker: beat
                .and_then(|b| b.speaker.as_deref())
                .and_then(|id| scenario.cast_member(id))
                .map(|m| format!("{}, {}", m.name, m.role)),
            situation: beat.map(|b| b.text.clone()),
            choices,
            meters: session.meters,
            last,
            ending,
            debrief: self.debrief(phone),
        }
    }

    /// The phone's own timeline, and at each decision how the room chose; only once the round
    /// has ended (the aggregate is fixed then).
    pub fn debrief(&self, phone: &str) -> Option<PersonalDebrief> {
        let aggregate = self.aggregate.as_ref()?;
        let session = self.runs.get(phone).map(|r| &r.session);
        let timeline = session
            .map(|s| s.transcript.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|d| {
                let split = aggregate.beats.iter().find(|b| b.beat == d.beat);
                let like = split.and_then(|b| b.choices.iter().find(|c| c.id == d.choice)).map_or(1, |c| c.count);
                let of = split.map_or(1, |b| b.decided);
                let chose = self
                    .scenario
                    .beat(&d.beat)
                    .and_then(|b| b.choices.iter().find(|c| c.id == d.choice))
                    .map(|c| c.text.clone())
                    .unwrap_or_default();
                let lesson = lesson(&d.lesson).map_or_else(|| d.lesson.clone(), |l| l.name.to_string());
                TimelineEntry {
                    number: d.number,
                    ordinal: split.map_or(0, |b| b.ordinal),
                    chose,
                    lesson,
                    stance: d.stance.map(|s| s.id()),
                    delta: d.delta(),
                    like,
                    of,
                    sentence: format!("You chose like {like} of {of}."),
                }
            })
            .collect();
        Some(PersonalDebrief { timeline, room: aggregate.clone() })
    }
}

/// An ending and how many phones reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndingCount {
    pub id: String,
    pub title: String,
    pub verdict: &'static str,
    pub count: usize,
}

/// How many phones took a choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceCount {
    pub id: String,
    pub text: String,
    pub count: usize,
}

/// How the room split at one beat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BeatSplit {
    pub beat: String,
    /// The beat's place in the scenario file, from 1 ("the second beat").
    pub ordinal: usize,
    /// Decisions made at this beat, all phones together.
    pub decided: usize,
    /// Every choice of the beat, in the file's order, with its count.
    pub choices: Vec<ChoiceCount>,
}

impl BeatSplit {
    /// "12 of 17 chose “Tell Sam in private” at the second beat." (a tie names both).
    pub fn sentence(&self) -> String {
        let top = self.choices.iter().map(|c| c.count).max().unwrap_or(0);
        let tied = self.choices.iter().filter(|c| c.count == top).count();
        // A tie names each choice more briefly, so the sentence stays one to read aloud.
        let cut = if tied > 1 { 40 } else { 70 };
        let leaders: Vec<String> = self
            .choices
            .iter()
            .filter(|c| c.count == top)
            .map(|c| format!("\u{201c}{}\u{201d}", shorten(&c.text, cut)))
            .collect();
        let at = format!("at the {} beat", ordinal_word(self.ordinal));
        match leaders.as_slice() {
            [one] => format!("{top} of {} chose {one} {at}.", self.decided),
            [rest @ .., last] => {
                format!(
                    "The room split evenly {at}: {top} of {} each chose {} and {last}.",
                    self.decided,
                    rest.join(", ")
                )
            }
            [] => format!("Nobody decided {at}."),
        }
    }
}

/// "You applied the lesson “Listen first”", "You met the lesson ..." without a stance.
fn lesson_said(stance: Option<crate::scenario::Stance>, name: &str) -> String {
    format!("You {} the lesson \u{201c}{name}\u{201d}", stance.map_or("met", |s| s.verb()))
}

/// A choice's text cut to a sentence's length.
fn shorten(text: &str, max: usize) -> String {
    let text = text.trim().trim_matches('"');
    if text.chars().count() <= max {
        text.to_string()
    } else {
        text.chars().take(max - 1).collect::<String>() + "\u{2026}"
    }
}

/// "first", "second", ..., "tenth", then "11th".
pub fn ordinal_word(n: usize) -> String {
    const WORDS: [&str; 10] =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    match n.checked_sub(1).and_then(|i| WORDS.get(i)) {
        Some(word) => word.to_string(),
        None => format!("{n}th"),
    }
}

/// The room's aggregate, for the projector when the facilitator ends the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomAggregate {
    pub progress: Progress,
    /// The endings reached, in the file's order, with counts (none reached are left out).
    pub endings: Vec<EndingCount>,
    /// Each beat anyone decided at, in the file's order.
    pub beats: Vec<BeatSplit>,
    /// The room debrief's sentences, built from the counts.
    pub sentences: Vec<String>,
}

/// A choice as a phone shows it: a letter to send when it can be taken, else the lock's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceShown {
    pub letter: Option<String>,
    pub text: String,
    pub locked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LessonShown {
    pub id: String,
    pub name: String,
    pub stance: Option<&'static str>,
    /// "You applied Listen first".
    pub said: String,
}

/// A delayed effect that landed with the decision, and what it did (trust, impact, engagement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Landed {
    pub text: String,
    pub delta: [i32; 3],
}

/// What the phone's last decision did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consequence {
    pub number: u32,
    pub chose: String,
    /// The chance outcome drawn, if the choice had one.
    pub outcome: Option<String>,
    pub feedback: String,
    pub lesson: LessonShown,
    pub meters_before: Meters,
    pub meters_after: Meters,
    /// Trust, strategic impact, team engagement.
    pub delta: [i32; 3],
    pub landed: Vec<Landed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndingShown {
    pub id: String,
    pub title: String,
    pub verdict: &'static str,
    pub text: String,
}

/// One decision of the phone's run, with how the room chose at that beat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub number: u32,
    /// The beat's place in the file ("the second beat").
    pub ordinal: usize,
    pub chose: String,
    pub lesson: String,
    pub stance: Option<&'static str>,
    pub delta: [i32; 3],
    /// Decisions at this beat that took the same choice, this phone's included.
    pub like: usize,
    /// Decisions at this beat, all phones.
    pub of: usize,
    /// "You chose like 5 of 17."
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalDebrief {
    pub timeline: Vec<TimelineEntry>,
    pub room: RoomAggregate,
}

/// What a phone sees in "everyone plays".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneView {
    pub title: String,
    /// The decision the phone is at (1-based); send it back with the choice.
    pub number: u32,
    pub scene: Option<String>,
    pub speaker: Option<String>,
    /// The beat's text; none once the run has ended.
    pub situation: Option<String>,
    pub choices: Vec<ChoiceShown>,
    pub meters: Meters,
    pub last: Option<Consequence>,
    pub ending: Option<EndingShown>,
    pub debrief: Option<PersonalDebrief>,
}
