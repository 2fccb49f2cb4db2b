//! xAPI 1.0.3 statements for a learning record store: one `selected` statement per decision
//! and one `completed` statement per finished scenario. The actor is the learner for a solo
//! run (named by [`XapiOptions`], else an anonymous account) and the room as a group for a
//! workshop. Statement ids are UUID v5s of the session and the decision, so exporting or
//! sending a session again gives the same statements and a record store keeps each once.
//!
//! Vocabulary: `selected` (https://w3id.org/xapi/adb/verbs/selected) and the `dialog-tree`
//! activity type come from the Serious Games xAPI profile (e-UCM), which lists
//! https://w3id.org/xapi/seriousgames/activity-types/dialog-tree; ADL's own vocabulary has
//! no dialog-tree type. `completed` and the scenario's `simulation` type are ADL's. Activity
//! ids live under [`XapiOptions::home`] (by default [`SITE`], an IRI we name and never fetch;
//! an organisation sets its LRS or LMS address); extension keys always live under [`SITE`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::engine::Meters;
use crate::record::{LoggedDecision, LoggedEnd, Mode, RecordedSession, iso_duration, parse_utc};
use crate::scenario::lessons::lesson;
use crate::scenario::{Meter, Scenario};

pub const XAPI_VERSION: &str = "1.0.3";
/// The base of our activity ids, extension keys and the group's account.
pub const SITE: &str = "https://the-leap.example";
pub const VERB_SELECTED: &str = "https://w3id.org/xapi/adb/verbs/selected";
pub const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
/// A phone's vote in the room: ADL's `responded` (ADL has no `voted`), shown as "voted".
pub const VERB_VOTED: &str = "http://adlnet.gov/expapi/verbs/responded";
pub const TYPE_DIALOG_TREE: &str = "https://w3id.org/xapi/seriousgames/activity-types/dialog-tree";
pub const TYPE_SIMULATION: &str = "http://adlnet.gov/expapi/activities/simulation";
pub const TYPE_COURSE: &str = "http://adlnet.gov/expapi/activities/course";

/// `{"en-US": "..."}`.
pub type LanguageMap = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// A UUID v5 of the session and the decision (see [`statement_id`]).
    pub id: String,
    pub actor: Actor,
    pub verb: Verb,
    pub object: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<StatementResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// ISO 8601.
    pub timestamp: String,
    pub version: String,
}

/// Who did it: a learner or a room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Actor {
    Agent(Agent),
    Group(Group),
}

/// One person: identified by e-mail when one is given, else by an account (an anonymous one
/// when nothing is known about them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    #[serde(rename = "objectType")]
    pub object_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `mailto:` and the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
}

/// A workshop's room as an identified group: xAPI 1.0.3 lets a group be identified by an
/// account; its members are the room's anonymous phones, when the log has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    #[serde(rename = "objectType")]
    pub object_type: String,
    pub name: String,
    pub account: Account,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member: Vec<Agent>,
}

/// What an organisation sets about its statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XapiOptions {
    /// The home of activity ids and accounts, e.g. the organisation's LMS address.
    pub home: String,
    /// The learner of a solo run; with neither, an anonymous account is used.
    pub learner_name: Option<String>,
    pub learner_email: Option<String>,
}

impl Default for XapiOptions {
    fn default() -> Self {
        XapiOptions { home: SITE.into(), learner_name: None, learner_email: None }
    }
}

/// The namespace of our statement ids (a UUID v5 of our site's IRI).
fn id_namespace() -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("{SITE}/xapi/statements").as_bytes())
}

/// The stable id of one statement of a session: the same session (name and start time) and
/// the same `what` ("decision 3", "completed the-pet-project") always give the same UUID.
pub fn statement_id(recorded: &RecordedSession, what: &str) -> String {
    let key = format!("{}\u{1f}{}\u{1f}{what}", recorded.header.session, recorded.header.started_at);
    uuid::Uuid::new_v5(&id_namespace(), key.as_bytes()).to_string()
}

/// An anonymous phone in the room, by the id the log gives it.
pub fn phone_agent(home: &str, phone: &str) -> Agent {
    Agent {
        object_type: "Agent".into(),
        name: None,
        mbox: None,
        account: Some(Account { home_page: home.into(), name: format!("phone-{phone}") }),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    #[serde(rename = "homePage")]
    pub home_page: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verb {
    pub id: String,
    pub display: LanguageMap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(rename = "objectType")]
    pub object_type: String,
    pub id: String,
    pub definition: ActivityDefinition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityDefinition {
    pub name: LanguageMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LanguageMap>,
    #[serde(rename = "type")]
    pub activity_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<bool>,
    /// ISO 8601 duration, e.g. `PT25M10S`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Keys are IRIs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// A UUID shared by every statement of one export, so a record store can group them.
    pub registration: String,
    pub platform: String,
    #[serde(rename = "contextActivities")]
    pub context_activities: ContextActivities,
    /// Keys are IRIs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextActivities {
    pub parent: Vec<Activity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grouping: Vec<Activity>,
}

/// The statements for a session with the default options (see [`statements_with`]).
pub fn statements(recorded: &RecordedSession, scenarios: &[&Scenario]) -> Vec<Statement> {
    statements_with(recorded, scenarios, &XapiOptions::default())
}

/// What every statement of one session shares.
struct Shared<'a> {
    registration: String,
    actor: Actor,
    home: &'a str,
}

/// The statements for a session: each decision in order, each finished scenario after its
/// last decision.
pub fn statements_with(recorded: &RecordedSession, scenarios: &[&Scenario], options: &XapiOptions) -> Vec<Statement> {
    let shared = &Shared {
        registration: statement_id(recorded, "registration"),
        actor: actor(recorded, options),
        home: &options.home,
    };
    let mut out = Vec::new();
    let mut ends = recorded.ends.iter().peekable();
    let mut scenario_started = recorded.header.started_at.clone();
    for decision in &recorded.decisions {
        out.push(selected(recorded, decision, scenarios, shared));
        if let Some(ballots) = recorded.ballots_of(decision.number) {
            out.extend(phone_votes(recorded, decision, ballots, scenarios, shared));
        }
        if let Some(end) = ends.next_if(|e| e.scenario == decision.scenario && is_last_of(recorded, decision)) {
            out.push(completed(recorded, end, &scenario_started, scenarios, shared));
            scenario_started = end.at.clone();
        }
    }
    // Endings with no decision before them (not written by this game, but readable).
    for end in ends {
        out.push(completed(recorded, end, &scenario_started, scenarios, shared));
    }
    out.extend(phone_runs(recorded, scenarios, shared));
    out
}

/// "Everyone plays": each phone's decisions (`selected`) and ending (`completed`), each by the
/// phone's own anonymous agent, as the phones' votes are.
fn phone_runs(recorded: &RecordedSession, scenarios: &[&Scenario], shared: &Shared) -> Vec<Statement> {
    let home_page = phones_home_page(recorded);
    let mut out = Vec::new();
    for line in &recorded.phone_decisions {
        let (phone, d) = (&line.phone, &line.decision);
        let mut agent = phone_agent(&home_page, phone);
        agent.name = line.nickname.clone();
        let mut statement = selected(recorded, d, scenarios, shared);
        statement.id = statement_id(recorded, &format!("phone {phone} decision {}", d.number));
        statement.actor = Actor::Agent(agent.clone());
        if let Some(context) = &mut statement.context {
            context.extensions.insert(extension("phone-run"), json!(phone));
        }
        out.push(statement);
        if let Some(end) = &line.end {
            let mut statement = completed(recorded, end, &recorded.header.started_at, scenarios, shared);
            statement.id = statement_id(recorded, &format!("phone {phone} completed {}", end.scenario));
            statement.actor = Actor::Agent(agent);
            if let Some(result) = &mut statement.result {
                result.extensions.extend(meter_extensions(&d.meters_after, None));
            }
            out.push(statement);
        }
    }
    out
}

pub fn to_xapi_json(recorded: &RecordedSession, scenarios: &[&Scenario]) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&statements(recorded, scenarios))
}

/// The learner (solo) or the room (workshop).
fn actor(recorded: &RecordedSession, options: &XapiOptions) -> Actor {
    let home = options.home.clone();
    match recorded.header.mode {
        Mode::Workshop => {
            let name = recorded.header.session.clone();
            Actor::Group(Group {
                object_type: "Group".into(),
                account: Account { home_page: home, name: name.clone() },
                name,
                member: Vec::new(),
            })
        }
        Mode::Solo => {
            let email = options.learner_email.as_deref().map(str::trim).filter(|e| e.contains('@'));
            let account = email
                .is_none()
                .then(|| Account { home_page: home, name: format!("anonymous-{}", statement_id(recorded, "learner")) });
            Actor::Agent(Agent {
                object_type: "Agent".into(),
                name: options.learner_name.clone().filter(|n| !n.trim().is_empty()),
                mbox: email.map(|e| format!("mailto:{e}")),
                account,
            })
        }
    }
}

/// The IRI of one of our extensions, e.g. `https://the-leap.example/xapi/extensions/trust-after`.
pub fn extension(name: &str) -> String {
    format!("{SITE}/xapi/extensions/{name}")
}

fn is_last_of(recorded: &RecordedSession, decision: &LoggedDecision) -> bool {
    recorded.decisions_of(&decision.scenario).last().is_some_and(|last| last.number == decision.number)
}

fn selected(recorded: &RecordedSession, d: &LoggedDecision, scenarios: &[&Scenario], shared: &Shared) -> Statement {
    // The texts as the player saw them (recorded in the log), not as the file reads today.
    let texts = super::texts_of(d, scenarios);
    let title = if texts.scenario_title.is_empty() { d.scenario.as_str() } else { texts.scenario_title.as_str() };
    let object = activity(
        format!("{}/scenarios/{}/beats/{}", shared.home, segment(&d.scenario), segment(&d.beat)),
        format!("{title}: {}", d.beat),
        Some(texts.beat_text.clone()).filter(|t| !t.is_empty()),
        TYPE_DIALOG_TREE,
    );
    let mut extensions = meter_extensions(&d.meters_after, Some(&d.meters_before));
    if let Some(votes) = &d.votes {
        let by_option: serde_json::Map<String, Value> =
            d.options.iter().zip(votes).map(|(id, n)| (id.clone(), json!(n))).collect();
        extensions.insert(extension("votes"), Value::Object(by_option));
        extensions.insert(extension("overrode-majority"), json!(d.overrode_majority));
    }
    if let Some(reason) = &d.override_reason {
        extensions.insert(extension("override-reason"), json!(reason));
    }
    if let Some(outcome) = &d.outcome {
        extensions.insert(extension("outcome"), json!(outcome));
    }
    extensions.insert(extension("lesson"), json!(d.lesson));
    let stance = super::stance_of(d, scenarios);
    if let Some(stance) = stance {
        extensions.insert(extension("stance"), json!(stance.id()));
    }
    if let Some(l) = lesson(&d.lesson) {
        extensions.insert(extension("lesson-name"), json!(l.name));
    }
    let mut context = context(recorded, &d.scenario, scenarios, shared);
    context.extensions.insert(extension("decision-number"), json!(d.number));
    Statement {
        id: statement_id(recorded, &format!("decision {}", d.number)),
        actor: shared.actor.clone(),
        verb: verb(VERB_SELECTED, "selected"),
        object,
        result: Some(StatementResult {
            response: Some(d.chosen.clone()),
            // Applies: the lesson was applied; Misses: it was not; Partly says neither.
            success: match stance {
                Some(crate::scenario::Stance::Applies) => Some(true),
                Some(crate::scenario::Stance::Misses) => Some(false),
                _ => None,
            },
            completion: None,
            duration: None,
            extensions,
        }),
        context: Some(context),
        timestamp: d.at.clone(),
        version: XAPI_VERSION.into(),
    }
}

/// One `voted` statement per phone that voted on `d`, each by its own anonymous agent: an
/// account on the room's home page named by the phone's id (and its nickname, if asked for).
fn phone_votes(
    recorded: &RecordedSession,
    d: &LoggedDecision,
    ballots: &crate::record::PhoneBallots,
    scenarios: &[&Scenario],
    shared: &Shared,
) -> Vec<Statement> {
    let home_page = ballots.home_page.clone().unwrap_or_else(|| phones_home_page(recorded));
    let mut out = Vec::new();
    for (phone, option) in &ballots.phones {
        let mut statement = selected(recorded, d, scenarios, shared);
        statement.id = statement_id(recorded, &format!("decision {} phone {phone}", d.number));
        let mut agent = phone_agent(&home_page, phone);
        // Nicknames appear only in exports, and only when the facilitator asked for them.
        agent.name = ballots.nicknames.get(phone).cloned();
        statement.actor = Actor::Agent(agent);
        statement.verb = verb(VERB_VOTED, "voted");
        let response = d.options.get(*option).cloned().unwrap_or_else(|| option.to_string());
        let mut extensions = BTreeMap::new();
        extensions.insert(extension("option-letter"), json!(crate::engine::votes::option_letter(*option).to_string()));
        extensions.insert(extension("applied"), json!(response == d.chosen));
        statement.result = Some(StatementResult {
            response: Some(response),
            success: None,
            completion: None,
            duration: None,
            extensions,
        });
        out.push(statement);
    }
    out
}

/// The room's own home page (the join address the phones used), from the log's header;
/// our site's phone room when the log does not say.
pub fn phones_home_page(recorded: &RecordedSession) -> String {
    recorded
        .header
        .options
        .get("phones")
        .and_then(|p| p.get("home_page"))
        .and_then(|h| h.as_str())
        .map_or_else(|| format!("{SITE}/phones"), str::to_string)
}

/// `started` is when this scenario began: the session's start, or the previous ending.
fn completed(
    recorded: &RecordedSession,
    end: &LoggedEnd,
    started: &str,
    scenarios: &[&Scenario],
    shared: &Shared,
) -> Statement {
    let mut extensions = BTreeMap::new();
    extensions.insert(extension("ending"), json!(end.ending));
    extensions.insert(extension("verdict"), json!(end.verdict.label()));
    if let Some(last) = recorded.decisions_of(&end.scenario).last() {
        extensions.extend(meter_extensions(&last.meters_after, None));
    }
    if let Some(scenario) = super::find(scenarios, &end.scenario) {
        if !scenario.objectives.is_empty() {
            extensions.insert(extension("objectives"), json!(scenario.objectives));
        }
        if !scenario.debrief_questions.is_empty() {
            extensions.insert(extension("debrief-questions"), json!(scenario.debrief_questions));
        }
    }
    let duration = parse_utc(started).zip(parse_utc(&end.at)).map(|(from, to)| iso_duration((to - from).max(0) as u64));
    let mut context = context(recorded, &end.scenario, scenarios, shared);
    context.context_activities.parent.clear();
    Statement {
        id: statement_id(recorded, &format!("completed {}", end.scenario)),
        actor: shared.actor.clone(),
        verb: verb(VERB_COMPLETED, "completed"),
        object: scenario_activity(&end.scenario, scenarios, shared.home),
        result: Some(StatementResult { response: None, success: None, completion: Some(true), duration, extensions }),
        context: Some(context),
        timestamp: end.at.clone(),
        version: XAPI_VERSION.into(),
    }
}

/// `<meter>-after` for each meter, and `<meter>-delta` when `before` is given.
fn meter_extensions(after: &Meters, before: Option<&Meters>) -> BTreeMap<String, Value> {
    let mut extensions = BTreeMap::new();
    for meter in Meter::ALL {
        let name = meter.id().replace('_', "-");
        extensions.insert(extension(&format!("{name}-after")), json!(after.get(meter)));
        if let Some(before) = before {
            extensions.insert(extension(&format!("{name}-delta")), json!(after.get(meter) - before.get(meter)));
        }
    }
    extensions
}

fn verb(id: &str, display: &str) -> Verb {
    Verb { id: id.into(), display: english(display) }
}

fn context(recorded: &RecordedSession, scenario: &str, scenarios: &[&Scenario], shared: &Shared) -> Context {
    let grouping = recorded
        .header
        .campaign
        .iter()
        .map(|c| activity(format!("{}/campaigns/{}", shared.home, segment(c)), c.clone(), None, TYPE_COURSE))
        .collect();
    let mut extensions = BTreeMap::new();
    extensions.insert(extension("seed"), json!(recorded.header.seed));
    extensions.insert(extension("mode"), json!(recorded.header.mode));
    Context {
        registration: shared.registration.clone(),
        platform: "The Leap".into(),
        context_activities: ContextActivities {
            parent: vec![scenario_activity(scenario, scenarios, shared.home)],
            grouping,
        },
        extensions,
    }
}

fn scenario_activity(id: &str, scenarios: &[&Scenario], home: &str) -> Activity {
    let scenario = super::find(scenarios, id);
    let name = scenario.map_or_else(|| id.to_string(), |s| s.title.clone());
    activity(format!("{home}/scenarios/{}", segment(id)), name, scenario.map(|s| s.summary.clone()), TYPE_SIMULATION)
}

fn activity(id: String, name: String, description: Option<String>, activity_type: &str) -> Activity {
    Activity {
        object_type: "Activity".into(),
        id,
        definition: ActivityDefinition {
            name: english(&name),
            description: description.as_deref().map(english),
            activity_type: activity_type.into(),
        },
    }
}

fn english(text: &str) -> LanguageMap {
    BTreeMap::from([("en-US".to_string(), text.to_string())])
}

/// An id made safe for one IRI path segment. The checker keeps ids to `a-z0-9-_`, so this
/// changes nothing in practice; it guards against hand-edited logs.
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
