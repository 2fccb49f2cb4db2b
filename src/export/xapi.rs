//! xAPI 1.0.3 statements for a learning record store: one `selected` statement per decision
//! and one `completed` statement per finished scenario, all made by the session's group.
//!
//! Vocabulary: `selected` (https://w3id.org/xapi/adb/verbs/selected) and the `dialog-tree`
//! activity type come from the Serious Games xAPI profile (e-UCM), which lists
//! https://w3id.org/xapi/seriousgames/activity-types/dialog-tree; ADL's own vocabulary has
//! no dialog-tree type. `completed` and the scenario's `simulation` type are ADL's. Our own
//! activity ids and extension keys live under [`SITE`], an IRI we name and never fetch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::engine::Meters;
use crate::record::{LoggedDecision, LoggedEnd, RecordedSession, iso_duration, parse_utc};
use crate::scenario::lessons::lesson;
use crate::scenario::{Meter, Scenario};

pub const XAPI_VERSION: &str = "1.0.3";
/// The base of our activity ids, extension keys and the group's account.
pub const SITE: &str = "https://the-leap.example";
pub const VERB_SELECTED: &str = "https://w3id.org/xapi/adb/verbs/selected";
pub const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
pub const TYPE_DIALOG_TREE: &str = "https://w3id.org/xapi/seriousgames/activity-types/dialog-tree";
pub const TYPE_SIMULATION: &str = "http://adlnet.gov/expapi/activities/simulation";
pub const TYPE_COURSE: &str = "http://adlnet.gov/expapi/activities/course";

/// `{"en-US": "..."}`.
pub type LanguageMap = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// A UUID v4.
    pub id: String,
    pub actor: Group,
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

/// The session's room (or solo player) as an identified group: xAPI 1.0.3 lets a group be
/// identified by an account, so no member list (and no personal data) is needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    #[serde(rename = "objectType")]
    pub object_type: String,
    pub name: String,
    pub account: Account,
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

/// The statements for a session: each decision in order, each finished scenario after its
/// last decision.
pub fn statements(recorded: &RecordedSession, scenarios: &[&Scenario]) -> Vec<Statement> {
    let registration = uuid::Uuid::new_v4().to_string();
    let mut out = Vec::new();
    let mut ends = recorded.ends.iter().peekable();
    let mut scenario_started = recorded.header.started_at.clone();
    for decision in &recorded.decisions {
        out.push(selected(recorded, decision, scenarios, &registration));
        if let Some(end) = ends.next_if(|e| e.scenario == decision.scenario && is_last_of(recorded, decision)) {
            out.push(completed(recorded, end, &scenario_started, scenarios, &registration));
            scenario_started = end.at.clone();
        }
    }
    // Endings with no decision before them (not written by this game, but readable).
    for end in ends {
        out.push(completed(recorded, end, &scenario_started, scenarios, &registration));
    }
    out
}

pub fn to_xapi_json(recorded: &RecordedSession, scenarios: &[&Scenario]) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&statements(recorded, scenarios))
}

/// The IRI of one of our extensions, e.g. `https://the-leap.example/xapi/extensions/trust-after`.
pub fn extension(name: &str) -> String {
    format!("{SITE}/xapi/extensions/{name}")
}

fn is_last_of(recorded: &RecordedSession, decision: &LoggedDecision) -> bool {
    recorded.decisions_of(&decision.scenario).last().is_some_and(|last| last.number == decision.number)
}

fn selected(recorded: &RecordedSession, d: &LoggedDecision, scenarios: &[&Scenario], registration: &str) -> Statement {
    let scenario = super::find(scenarios, &d.scenario);
    let beat = scenario.and_then(|s| s.beat(&d.beat));
    let title = scenario.map_or(d.scenario.as_str(), |s| s.title.as_str());
    let object = activity(
        format!("{SITE}/scenarios/{}/beats/{}", segment(&d.scenario), segment(&d.beat)),
        format!("{title}: {}", d.beat),
        beat.map(|b| b.text.clone()),
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
    let stance =
        d.stance.or_else(|| beat.and_then(|b| b.choices.iter().find(|c| c.id == d.chosen)).and_then(|c| c.stance));
    if let Some(stance) = stance {
        extensions.insert(extension("stance"), json!(stance.id()));
    }
    if let Some(l) = lesson(&d.lesson) {
        extensions.insert(extension("lesson-name"), json!(l.name));
    }
    let mut context = context(recorded, &d.scenario, scenarios, registration);
    context.extensions.insert(extension("decision-number"), json!(d.number));
    Statement {
        id: uuid::Uuid::new_v4().to_string(),
        actor: group(recorded),
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

/// `started` is when this scenario began: the session's start, or the previous ending.
fn completed(
    recorded: &RecordedSession,
    end: &LoggedEnd,
    started: &str,
    scenarios: &[&Scenario],
    registration: &str,
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
    let mut context = context(recorded, &end.scenario, scenarios, registration);
    context.context_activities.parent.clear();
    Statement {
        id: uuid::Uuid::new_v4().to_string(),
        actor: group(recorded),
        verb: verb(VERB_COMPLETED, "completed"),
        object: scenario_activity(&end.scenario, scenarios),
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

fn group(recorded: &RecordedSession) -> Group {
    let name = recorded.header.session.clone();
    Group { object_type: "Group".into(), account: Account { home_page: SITE.into(), name: name.clone() }, name }
}

fn verb(id: &str, display: &str) -> Verb {
    Verb { id: id.into(), display: english(display) }
}

fn context(recorded: &RecordedSession, scenario: &str, scenarios: &[&Scenario], registration: &str) -> Context {
    let grouping = recorded
        .header
        .campaign
        .iter()
        .map(|c| activity(format!("{SITE}/campaigns/{}", segment(c)), c.clone(), None, TYPE_COURSE))
        .collect();
    let mut extensions = BTreeMap::new();
    extensions.insert(extension("seed"), json!(recorded.header.seed));
    extensions.insert(extension("mode"), json!(recorded.header.mode));
    Context {
        registration: registration.into(),
        platform: "The Leap".into(),
        context_activities: ContextActivities { parent: vec![scenario_activity(scenario, scenarios)], grouping },
        extensions,
    }
}

fn scenario_activity(id: &str, scenarios: &[&Scenario]) -> Activity {
    let scenario = super::find(scenarios, id);
    let name = scenario.map_or_else(|| id.to_string(), |s| s.title.clone());
    activity(format!("{SITE}/scenarios/{}", segment(id)), name, scenario.map(|s| s.summary.clone()), TYPE_SIMULATION)
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
