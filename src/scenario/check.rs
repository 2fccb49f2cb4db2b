//! Checks that run on a parsed file: references, reachability, limits and dilemmas.
//! Every finding points at the value written in the file, via the source map.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use super::diagnostic::{Annotate, Reporter, closest};
use super::format::{Campaign, Choice, Condition, Effects, Meter, Next, Scenario, StartMeters};
use super::lessons::{LESSONS, lesson};

use super::limits::{MAX_BEATS, MAX_CHOICES, MAX_DELAY, MAX_EFFECT, MAX_ID_CHARS, MAX_TEXT_CHARS};

/// An effect bigger than this on one meter is allowed but rarely meant: one choice would
/// decide most of the run.
pub const LARGE_EFFECT: i32 = 40;

pub fn check_scenario(scenario: &Scenario, r: &mut Reporter) {
    check_id(&scenario.id, "id", r);
    check_text(&scenario.title, "title", r);
    check_text(&scenario.summary, "summary", r);
    check_start_meters(&scenario.start_meters, r);
    if scenario.beats.len() > MAX_BEATS {
        r.error(
            "too-many-beats",
            "beats",
            format!("the scenario has {} beats; the limit is {MAX_BEATS}", scenario.beats.len()),
        )
        .help("split it into several scenarios chained by a campaign");
        return;
    }

    for (i, listed) in scenario.lessons.iter().enumerate() {
        check_lesson(listed, &format!("lessons[{i}]"), r);
    }
    let cast_ids = unique_ids(scenario.cast.iter().map(|c| c.id.as_str()), "cast", "cast member", r);
    for (i, member) in scenario.cast.iter().enumerate() {
        check_text(&member.name, &format!("cast[{i}].name"), r);
        check_text(&member.role, &format!("cast[{i}].role"), r);
    }
    let beat_ids = unique_ids(scenario.beats.iter().map(|b| b.id.as_str()), "beats", "beat", r);
    let ending_ids = unique_ids(scenario.endings.iter().map(|e| e.id.as_str()), "endings", "ending", r);

    if !beat_ids.contains(scenario.start.as_str()) && !r.ids_guessed("beats") {
        r.error(
            "dangling-reference",
            "start",
            format!("`start` names beat `{}`, which does not exist", scenario.start),
        )
        .suggest_id(closest(&scenario.start, beat_ids.iter().copied()));
    }

    for (i, flag) in scenario.campaign_flags.iter().enumerate() {
        check_id(flag, &format!("campaign_flags[{i}]"), r);
    }
    check_lines(&scenario.objectives, "objectives", OBJECTIVES, r);
    check_lines(&scenario.debrief_questions, "debrief_questions", DEBRIEF_QUESTIONS, r);
    let mut flags_set = flags_set(scenario);
    flags_set.extend(scenario.campaign_flags.iter().cloned());
    let conditions = ConditionContext { flags_set: &flags_set, allow_flags: true };

    for (b, beat) in scenario.beats.iter().enumerate() {
        let at = format!("beats[{b}]");
        check_text(&beat.text, &format!("{at}.text"), r);
        match &beat.discuss {
            Some(discuss) => check_text(discuss, &format!("{at}.discuss"), r),
            None => {
                r.warning(
                    "missing-discussion",
                    &format!("{at}.id"),
                    format!("beat `{}` has no `discuss` prompt", beat.id),
                )
                .help("workshop mode shows it to the room: add `discuss: \"a question for the room\"`");
            }
        }
        if let Some(speaker) = &beat.speaker
            && !cast_ids.contains(speaker.as_str())
            && !r.ids_guessed("cast")
        {
            r.error("unknown-cast", &format!("{at}.speaker"), format!("no cast member `{speaker}`"))
                .help("add them to `cast` or fix the id")
                .suggest_id(closest(speaker, cast_ids.iter().copied()));
        }
        if beat.choices.is_empty() {
            r.error(
                "no-way-out",
                &format!("{at}.choices"),
                format!("beat `{}` has no choices, so the player is stuck", beat.id),
            )
            .help("give it between 2 and 4 choices, or lead to an ending");
        } else if beat.choices.len() > MAX_CHOICES {
            r.error(
                "too-many-choices",
                &format!("{at}.choices[{MAX_CHOICES}]"),
                format!("beat `{}` has {} choices; a beat offers at most {MAX_CHOICES}", beat.id, beat.choices.len()),
            )
            .help("hidden locked choices count too, since they show once unlocked: merge similar options or split the moment into two beats");
        } else if beat.choices.iter().all(|c| c.requires.is_some()) {
            r.error(
                "no-way-out",
                &format!("{at}.choices"),
                format!("every choice of beat `{}` is locked by a condition, so a player can get stuck", beat.id),
            )
            .help("leave at least one choice without `requires`");
        }
        unique_ids(beat.choices.iter().map(|c| c.id.as_str()), &format!("{at}.choices"), "choice in this beat", r);

        for (c, choice) in beat.choices.iter().enumerate() {
            let at = format!("{at}.choices[{c}]");
            check_choice(choice, &at, &beat_ids, &ending_ids, &conditions, r);
        }
        // Comparing every pair costs the square of the choices: a beat past the limit has its
        // error already.
        if beat.choices.len() <= MAX_CHOICES {
            check_dilemmas(beat, &at, r);
        }
    }

    for (e, ending) in scenario.endings.iter().enumerate() {
        check_text(&ending.title, &format!("endings[{e}].title"), r);
        check_text(&ending.text, &format!("endings[{e}].text"), r);
        if let Some(when) = &ending.when {
            check_condition(when, &format!("endings[{e}].when"), &conditions, r);
        }
    }

    check_lessons_listed(scenario, r);
    check_flags_read(scenario, r);
    // A file read only in part may lead somewhere that was lost: reachability would be a guess.
    if r.graph_complete() {
        check_graph(scenario, r);
    }
}

/// How many objectives and debrief questions a scenario should have, when it has any.
const OBJECTIVES: (usize, usize, &str) = (2, 4, "learning objectives");
const DEBRIEF_QUESTIONS: (usize, usize, &str) = (2, 5, "debrief questions");

fn check_lines(lines: &[String], field: &str, (fewest, most, what): (usize, usize, &str), r: &mut Reporter) {
    for (i, line) in lines.iter().enumerate() {
        check_text(line, &format!("{field}[{i}]"), r);
    }
    if !lines.is_empty() && !(fewest..=most).contains(&lines.len()) {
        r.warning("line-count", field, format!("`{field}` has {} {what}; give {fewest} to {most}", lines.len()))
            .help("one line each: enough to steer the debrief, few enough to remember");
    }
}

/// Every flag a condition of this scenario reads.
fn flags_read(scenario: &Scenario) -> BTreeSet<&str> {
    fn walk<'a>(condition: &'a Condition, into: &mut BTreeSet<&'a str>) {
        match condition {
            Condition::All(list) | Condition::Any(list) => list.iter().for_each(|c| walk(c, into)),
            Condition::Not(inner) => walk(inner, into),
            Condition::Flag(flag) => {
                into.insert(flag);
            }
            _ => {}
        }
    }
    let mut read = BTreeSet::new();
    for choice in scenario.beats.iter().flat_map(|b| &b.choices) {
        if let Some(requires) = &choice.requires {
            walk(requires, &mut read);
        }
    }
    for when in scenario.endings.iter().filter_map(|e| e.when.as_ref()) {
        walk(when, &mut read);
    }
    read
}

/// Warns about a flag that is set but that nothing reads (a campaign flag is read later).
fn check_flags_read(scenario: &Scenario, r: &mut Reporter) {
    let read = flags_read(scenario);
    let mut reported = BTreeSet::new();
    for (b, beat) in scenario.beats.iter().enumerate() {
        for (c, choice) in beat.choices.iter().enumerate() {
            let at = format!("beats[{b}].choices[{c}]");
            let places = choice
                .sets
                .iter()
                .map(|f| (f, format!("{at}.sets")))
                .chain(choice.outcomes.iter().enumerate().flat_map(|(o, out)| {
                    out.sets.iter().map(move |f| (f, format!("beats[{b}].choices[{c}].outcomes[{o}].sets")))
                }))
                .chain(choice.later.iter().enumerate().flat_map(|(l, later)| {
                    later.sets.iter().map(move |f| (f, format!("beats[{b}].choices[{c}].later[{l}].sets")))
                }));
            for (flag, place) in places {
                let shared = scenario.campaign_flags.contains(flag);
                if shared || read.contains(flag.as_str()) || !reported.insert(flag.clone()) {
                    continue;
                }
                r.warning("unread-flag", &place, format!("the flag `{flag}` is set but no condition reads it"))
                    .help("read it in a `requires` or an ending's `when`, list it in `campaign_flags` if a later scenario reads it, or remove it");
            }
        }
    }
}

fn check_choice(
    choice: &Choice,
    at: &str,
    beat_ids: &HashSet<&str>,
    ending_ids: &HashSet<&str>,
    conditions: &ConditionContext,
    r: &mut Reporter,
) {
    check_text(&choice.text, &format!("{at}.text"), r);
    check_text(&choice.feedback, &format!("{at}.feedback"), r);
    check_lesson(&choice.lesson, &format!("{at}.lesson"), r);
    if choice.stance.is_none() {
        r.warning(
            "missing-stance",
            &format!("{at}.lesson"),
            format!("choice `{}` does not say how it stands to {}", choice.id, choice.lesson),
        )
        .help("add `stance: Applies`, `stance: Partly` or `stance: Misses`; without it the balance report cannot judge the choice");
    }
    check_effects(&choice.effects, &format!("{at}.effects"), r);
    check_next(&choice.next, &format!("{at}.next"), beat_ids, ending_ids, r);
    for flag in &choice.sets {
        check_id(flag, &format!("{at}.sets"), r);
    }
    if let super::format::Locked::Show(reason) = &choice.locked {
        // May be empty (a description of the condition is shown instead), but not too long.
        check_length(reason, &format!("{at}.locked[0]"), r);
    }
    if let Some(requires) = &choice.requires {
        check_condition(requires, &format!("{at}.requires"), conditions, r);
    } else if matches!(choice.locked, super::format::Locked::Show(_)) {
        r.warning(
            "locked-without-condition",
            &format!("{at}.locked"),
            "`locked` has no effect without `requires`".into(),
        )
        .help("add a `requires` condition or remove `locked`");
    }
    for (l, later) in choice.later.iter().enumerate() {
        let at = format!("{at}.later[{l}]");
        if later.after == 0 {
            r.error(
                "bad-delay",
                &format!("{at}.after"),
                "`after` must be at least 1 (1 = lands with the next decision)".into(),
            );
        } else if later.after > MAX_DELAY {
            r.error(
                "bad-delay",
                &format!("{at}.after"),
                format!("`after` is {}; a delay can be at most {MAX_DELAY} decisions", later.after),
            )
            .help("no run lasts that long, so it would never land");
        }
        check_effects(&later.effects, &format!("{at}.effects"), r);
        check_text(&later.text, &format!("{at}.text"), r);
        for flag in &later.sets {
            check_id(flag, &format!("{at}.sets"), r);
        }
    }
    for (o, outcome) in choice.outcomes.iter().enumerate() {
        let at = format!("{at}.outcomes[{o}]");
        if outcome.weight <= 0 {
            r.error(
                "bad-weight",
                &format!("{at}.weight"),
                format!("an outcome's weight must be positive, found {}", outcome.weight),
            )
            .help("weights are relative chances: `weight: 3` is three times as likely as `weight: 1`");
        }
        check_effects(&outcome.effects, &format!("{at}.effects"), r);
        check_text(&outcome.text, &format!("{at}.text"), r);
        for flag in &outcome.sets {
            check_id(flag, &format!("{at}.sets"), r);
        }
        if let Some(next) = &outcome.next {
            check_next(next, &format!("{at}.next"), beat_ids, ending_ids, r);
        }
    }
    if choice.outcomes.len() == 1 {
        r.warning(
            "single-outcome",
            &format!("{at}.outcomes"),
            "a single outcome is not a chance; it always happens".into(),
        )
        .help("add a second outcome, or move its effects into the choice");
    }
}

fn check_next(next: &Next, at: &str, beat_ids: &HashSet<&str>, ending_ids: &HashSet<&str>, r: &mut Reporter) {
    let (kind, id, known, other_kind, other, list) = match next {
        Next::Beat(id) => ("beat", id, beat_ids, "Ending", ending_ids, "beats"),
        Next::Ending(id) => ("ending", id, ending_ids, "Beat", beat_ids, "endings"),
    };
    // When some id in the list could not be read, it may be the one meant.
    if known.contains(id.as_str()) || r.ids_guessed(list) {
        return;
    }
    let whole = r.map.span(at);
    let diagnostic = r.error("dangling-reference", &format!("{at}[0]"), format!("no {kind} `{id}`"));
    if other.contains(id.as_str()) {
        let written = format!("{other_kind}(\"{id}\")");
        let a = if other_kind == "Ending" { "n ending" } else { " beat" };
        diagnostic.help(format!("`{id}` is a{a}; write `{written}`")).fix(format!("Write `{written}`"), whole, written);
    } else {
        diagnostic.suggest_id(closest(id, known.iter().copied()));
    }
}

struct ConditionContext<'a> {
    flags_set: &'a BTreeSet<String>,
    /// Campaign reviews cannot read flags: flags belong to one scenario.
    allow_flags: bool,
}

fn check_condition(condition: &Condition, at: &str, context: &ConditionContext, r: &mut Reporter) {
    match condition {
        Condition::All(list) | Condition::Any(list) => {
            for (i, inner) in list.iter().enumerate() {
                check_condition(inner, &format!("{at}[0][{i}]"), context, r);
            }
        }
        Condition::Not(inner) => check_condition(inner, &format!("{at}[0]"), context, r),
        Condition::MeterAtLeast(_, value) | Condition::MeterAtMost(_, value) => {
            if !(0..=100).contains(value) {
                r.error(
                    "out-of-range",
                    &format!("{at}[1]"),
                    format!("meters run from 0 to 100, so {value} can never be compared usefully"),
                );
            }
        }
        Condition::Flag(flag) => {
            if !context.allow_flags {
                r.error(
                    "unknown-flag",
                    &format!("{at}[0]"),
                    format!("a campaign review cannot read the flag `{flag}`"),
                )
                .help("flags belong to one scenario; use meters or lessons met instead");
            } else if !context.flags_set.contains(flag) && r.graph_complete() {
                r.error(
                    "unknown-flag",
                    &format!("{at}[0]"),
                    format!("the flag `{flag}` is read here but no choice sets it"),
                )
                .help("add it to a choice's `sets`")
                .suggest_id(closest(flag, context.flags_set.iter().map(String::as_str)));
            }
        }
        Condition::LessonMet(id) | Condition::LessonApplied(id) => check_lesson(id, &format!("{at}[0]"), r),
        Condition::LessonsMetAtLeast(n) | Condition::LessonsAppliedAtLeast(n) => {
            if *n as usize > LESSONS.len() {
                r.error("out-of-range", &format!("{at}[0]"), format!("there are only {} lessons", LESSONS.len()));
            }
        }
    }
}

fn flags_set(scenario: &Scenario) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for choice in scenario.beats.iter().flat_map(|b| &b.choices) {
        set.extend(choice.sets.iter().cloned());
        set.extend(choice.outcomes.iter().flat_map(|o| o.sets.iter().cloned()));
        set.extend(choice.later.iter().flat_map(|l| l.sets.iter().cloned()));
    }
    set
}

fn check_lesson(id: &str, at: &str, r: &mut Reporter) {
    if lesson(id).is_none() {
        r.error("unknown-lesson", at, format!("no lesson `{id}`"))
            .help("lessons are `L01` to `L22` (see docs/authoring.md)")
            .suggest_id(closest(id, LESSONS.iter().map(|l| l.id)));
    }
}

fn check_effects(effects: &Effects, at: &str, r: &mut Reporter) {
    for (meter, value) in effects.listed() {
        if !(-MAX_EFFECT..=MAX_EFFECT).contains(&value) {
            r.error(
                "out-of-range",
                &format!("{at}.{}", meter.id()),
                format!("an effect of {value} is outside -100..100"),
            )
            .help("meters run from 0 to 100; most choices move them by 2 to 15");
        } else if value.abs() > LARGE_EFFECT {
            r.warning(
                "large-effect",
                &format!("{at}.{}", meter.id()),
                format!("an effect of {value} on {} is unusually large", meter.label().to_lowercase()),
            )
            .help(format!(
                "one choice moving a meter by more than {LARGE_EFFECT} decides most of a run; most choices move it by 2 to 15"
            ));
        }
    }
}

fn check_start_meters(start: &StartMeters, r: &mut Reporter) {
    for (meter, value) in [
        (Meter::Trust, start.trust),
        (Meter::StrategicImpact, start.strategic_impact),
        (Meter::TeamEngagement, start.team_engagement),
    ] {
        if !(0..=100).contains(&value) {
            r.error(
                "out-of-range",
                &format!("start_meters.{}", meter.id()),
                format!("a meter starts at {value}, outside 0..100"),
            );
        }
    }
}

fn check_id(id: &str, at: &str, r: &mut Reporter) {
    let chars = id.chars().count();
    if chars == 0 {
        r.error("bad-id", at, "an id cannot be empty".into());
    } else if chars > MAX_ID_CHARS {
        r.error("bad-id", at, format!("this id is {chars} characters long; ids are limited to {MAX_ID_CHARS}"))
            .help("use a short name such as `talk-to-sam`");
    } else if let Some(bad) =
        id.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
    {
        r.error("bad-id", at, format!("ids use lowercase letters, digits, `-` and `_`; found `{bad}` in `{id}`"))
            .help(format!("try `{}`", suggest_id(id)));
    }
}

fn suggest_id(id: &str) -> String {
    id.chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            ' ' | '-' | '_' => Some('-'),
            _ => None,
        })
        .collect()
}

fn check_text(text: &str, at: &str, r: &mut Reporter) {
    if check_length(text, at, r) && text.trim().is_empty() {
        r.error("empty-text", at, "this text is empty".into());
    }
    if let (Some(open), Some(close)) = (text.find('{'), text.rfind('}'))
        && open < close
    {
        r.warning(
            "braces-in-text",
            at,
            format!("this text contains `{}`, which is shown as written", &text[open..=close.min(open + 40)]),
        )
        .help("texts are shown exactly as written: nothing between `{` and `}` is filled in");
    }
}

/// Reports a text over the limit; returns true when it is within it.
fn check_length(text: &str, at: &str, r: &mut Reporter) -> bool {
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        r.error("text-too-long", at, format!("this text is {chars} characters; the limit is {MAX_TEXT_CHARS}"))
            .help("a beat is one moment: split long passages into several beats");
    }
    chars <= MAX_TEXT_CHARS
}

/// Checks ids in one list are well-formed and unique; returns the set of ids.
fn unique_ids<'a>(ids: impl Iterator<Item = &'a str>, list: &str, what: &str, r: &mut Reporter) -> HashSet<&'a str> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        let at = format!("{list}[{i}].id");
        check_id(id, &at, r);
        if let Some(first) = seen.get(id) {
            let first_line = r.map.span(&format!("{list}[{first}].id"));
            let (line, _) = r.line_col(first_line.start);
            r.error("duplicate-id", &at, format!("a second {what} with the id `{id}`"))
                .help(format!("the first is on line {line}; ids must be unique"));
        } else {
            seen.insert(id, i);
        }
    }
    seen.into_keys().collect()
}

fn check_lessons_listed(scenario: &Scenario, r: &mut Reporter) {
    let taught: BTreeSet<&str> = scenario.beats.iter().flat_map(|b| &b.choices).map(|c| c.lesson.as_str()).collect();
    if !scenario.lessons.is_empty() {
        let mut reported = BTreeSet::new();
        for (b, beat) in scenario.beats.iter().enumerate() {
            for (c, choice) in beat.choices.iter().enumerate() {
                let id = choice.lesson.as_str();
                if lesson(id).is_some() && !scenario.lessons.iter().any(|l| l == id) && reported.insert(id) {
                    r.warning(
                        "lesson-not-listed",
                        &format!("beats[{b}].choices[{c}].lesson"),
                        format!("`{id}` is taught here but not listed in `lessons`"),
                    )
                    .help("add it to the `lessons` list at the top, which the scenario list shows to players");
                }
            }
        }
    }
    for (i, listed) in scenario.lessons.iter().enumerate() {
        if lesson(listed).is_some() && !taught.contains(listed.as_str()) && r.graph_complete() {
            r.warning(
                "lesson-not-taught",
                &format!("lessons[{i}]"),
                format!("`{listed}` is listed but no choice teaches it"),
            )
            .help("remove it from `lessons` or name it on a choice");
        }
    }
}

/// Where each choice can lead, ignoring conditions (the explorer handles those).
fn destinations(choice: &Choice) -> impl Iterator<Item = &Next> {
    std::iter::once(&choice.next).chain(choice.outcomes.iter().filter_map(|o| o.next.as_ref()))
}

fn check_graph(scenario: &Scenario, r: &mut Reporter) {
    let index: HashMap<&str, usize> = scenario.beats.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)).collect();
    let Some(&start) = index.get(scenario.start.as_str()) else { return };

    // Forward: which beats and endings a player can reach.
    let mut reached = vec![false; scenario.beats.len()];
    let mut endings_reached: BTreeSet<&str> =
        scenario.endings.iter().filter(|e| e.when.is_some()).map(|e| e.id.as_str()).collect();
    let mut queue = VecDeque::from([start]);
    reached[start] = true;
    while let Some(b) = queue.pop_front() {
        for next in scenario.beats[b].choices.iter().flat_map(destinations) {
            match next {
                Next::Beat(id) => {
                    if let Some(&n) = index.get(id.as_str())
                        && !reached[n]
                    {
                        reached[n] = true;
                        queue.push_back(n);
                    }
                }
                Next::Ending(id) => {
                    endings_reached.insert(id.as_str());
                }
            }
        }
    }
    for (b, beat) in scenario.beats.iter().enumerate() {
        if !reached[b] {
            r.error(
                "unreachable",
                &format!("beats[{b}].id"),
                format!("no path from the start reaches beat `{}`", beat.id),
            )
            .help("lead a choice to it with `next: Beat(\"...\")`, or remove it");
        }
    }
    for (e, ending) in scenario.endings.iter().enumerate() {
        if !endings_reached.contains(ending.id.as_str()) {
            r.warning("unreachable", &format!("endings[{e}].id"), format!("no choice leads to ending `{}`", ending.id))
                .help("lead a choice to it with `next: Ending(\"...\")`, or give it a `when` rule");
        }
    }
    let real_endings = scenario.endings.iter().filter(|e| endings_reached.contains(e.id.as_str())).count();
    if real_endings < 2 {
        r.error(
            "too-few-endings",
            "endings",
            format!("only {real_endings} ending can be reached; a scenario needs at least 2"),
        )
        .help("players learn from contrast: add an ending for a different path");
    }

    // Backward: from which beats an ending can be reached by choices alone.
    let mut escapes = vec![false; scenario.beats.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (b, beat) in scenario.beats.iter().enumerate() {
            if escapes[b] {
                continue;
            }
            let out = beat.choices.iter().flat_map(destinations).any(|next| match next {
                Next::Ending(id) => scenario.ending(id).is_some(),
                Next::Beat(id) => index.get(id.as_str()).is_some_and(|&n| escapes[n]),
            });
            if out {
                escapes[b] = true;
                changed = true;
            }
        }
    }
    for (b, beat) in scenario.beats.iter().enumerate() {
        if reached[b] && !escapes[b] && !beat.choices.is_empty() {
            r.error(
                "no-way-out",
                &format!("beats[{b}].id"),
                format!("no path from beat `{}` ever reaches an ending", beat.id),
            )
            .help("the choices here only loop back; lead at least one path to an ending");
        }
    }
}

/// Warns when a choice is at least as good as a sibling on every meter and better on one.
fn check_dilemmas(beat: &super::format::Beat, at: &str, r: &mut Reporter) {
    let totals: Vec<[f64; 3]> = beat.choices.iter().map(Choice::expected_effects).collect();
    for (a, better) in beat.choices.iter().enumerate() {
        if better.dominant_intended {
            continue;
        }
        for (b, worse) in beat.choices.iter().enumerate() {
            if a == b {
                continue;
            }
            let no_worse = (0..3).all(|m| totals[a][m] >= totals[b][m]);
            let better_somewhere = (0..3).any(|m| totals[a][m] > totals[b][m]);
            if no_worse && better_somewhere {
                let (span, replacement) = mark_intended(r, &format!("{at}.choices[{a}]"), "dominant_intended");
                r.warning(
                    "dominated-choice",
                    &format!("{at}.choices[{a}].id"),
                    format!("choice `{}` is at least as good as `{}` on every meter: no dilemma", better.id, worse.id),
                )
                .help("give it a cost on some meter, or add `dominant_intended: true` if that is the point")
                .fix("Add `dominant_intended: true`", span, replacement);
                break;
            }
        }
    }
}

/// The edit that sets the flag `field` to true on the struct at `at`: the value replaced if
/// the field is written, else the field inserted after the struct's `id`.
pub fn mark_intended(r: &Reporter, at: &str, field: &str) -> (std::ops::Range<usize>, String) {
    match r.map.exact(&format!("{at}.{field}")) {
        Some(span) => (span, "true".into()),
        None => {
            let end = r.map.span(&format!("{at}.id")).end;
            (end..end, format!(", {field}: true"))
        }
    }
}

pub fn check_campaign(campaign: &Campaign, r: &mut Reporter) {
    check_id(&campaign.id, "id", r);
    check_text(&campaign.title, "title", r);
    check_text(&campaign.summary, "summary", r);
    check_start_meters(&campaign.start_meters, r);
    if campaign.scenarios.is_empty() {
        r.error("empty-campaign", "scenarios", "a campaign needs at least one scenario".into());
    }
    for (i, id) in campaign.scenarios.iter().enumerate() {
        check_id(id, &format!("scenarios[{i}]"), r);
    }
    unique_ids(campaign.review.iter().map(|o| o.id.as_str()), "review", "review outcome", r);
    let no_flags = BTreeSet::new();
    let context = ConditionContext { flags_set: &no_flags, allow_flags: false };
    for (i, outcome) in campaign.review.iter().enumerate() {
        check_text(&outcome.title, &format!("review[{i}].title"), r);
        check_text(&outcome.text, &format!("review[{i}].text"), r);
        if let Some(when) = &outcome.when {
            check_condition(when, &format!("review[{i}].when"), &context, r);
        }
    }
    match campaign.review.last() {
        None => {
            r.error("no-review", "review", "a campaign needs at least one review outcome".into());
        }
        Some(last) if last.when.is_some() => {
            r.error(
                "no-review",
                &format!("review[{}].when", campaign.review.len() - 1),
                "the last review outcome must have no `when`, so every player gets a result".into(),
            )
            .help("remove this `when` or add a final outcome without one");
        }
        Some(_) => {}
    }
}
