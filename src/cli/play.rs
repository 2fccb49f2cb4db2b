//! `leap play --text`: the whole game in a terminal, readable by screen readers and scriptable
//! through stdin (one choice number per line; end of input leaves cleanly). With `--record` every
//! decision is written to a session log before the next prompt; `--resume` goes on from one.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::Args;

use crate::engine::chance::fresh_seed;
use crate::engine::{Decision, Meters, Session};
use crate::record::{LoggedEnd, SessionLog, shown_options};
use crate::scenario::lessons::lesson;
use crate::scenario::{Corpus, Effects, Meter, Scenario};

use super::recording::{Recording, resume_log, start_log};

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// Play in the terminal instead of a window.
    #[arg(long)]
    pub text: bool,
    /// A scenario id or the path of a scenario file (asked for when left out).
    pub scenario: Option<String>,
    /// Seed for chance outcomes; the same seed and choices replay the same run.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write every decision to this session log (a new file, never overwritten), for
    /// `leap export` or to resume after a stop.
    #[arg(long, value_name = "LOG", conflicts_with = "resume")]
    pub record: Option<PathBuf>,
    /// Go on with a run recorded with --record, from the decision after the last one recorded.
    #[arg(long, value_name = "LOG")]
    pub resume: Option<PathBuf>,
}

pub fn run(args: PlayArgs, scenarios: &Path) -> ExitCode {
    if !args.text {
        eprintln!(
            "leap: `leap play` needs `--text` to play in the terminal; run `leap` with no arguments for the window"
        );
        return ExitCode::from(2);
    }
    let mut paths = vec![scenarios.to_path_buf()];
    if let Some(file) = args.scenario.as_deref().filter(|s| s.ends_with(".ron")) {
        paths = vec![file.into()];
    }
    let corpus = Corpus::load(&paths);
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    // From a pipe the choices read are not on screen: echo them so a transcript reads well.
    let echo = !stdin.is_terminal();
    let (mut input, mut output) = (Echo { inner: stdin.lock(), echo }, stdout.lock());
    let recording = match (args.record, args.resume) {
        (_, Some(log)) => Recording::Resume(log),
        (Some(log), None) => Recording::New(log),
        (None, None) => Recording::Off,
    };
    let wanted = args.scenario.as_deref();
    if let (Some(id), Recording::Off | Recording::New(_)) = (wanted, &recording)
        && let Err(why) = corpus.find(id)
    {
        eprintln!("leap: {}", super::select::looked_in(why, scenarios));
        return ExitCode::from(1);
    }
    super::finish_output(play_text_recorded(&corpus, wanted, args.seed, recording, &mut input, &mut output))
}

/// Standard input that, when `echo` is set, writes each line it hands out to standard output.
struct Echo<R> {
    inner: R,
    echo: bool,
}

impl<R: BufRead> std::io::Read for Echo<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.echo {
            let _ = std::io::stdout().write_all(&buf[..n]);
        }
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Echo<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if self.echo
            && let Ok(buffer) = self.inner.fill_buf()
        {
            let _ = std::io::stdout().write_all(&buffer[..amount.min(buffer.len())]);
        }
        self.inner.consume(amount);
    }
}

/// Plays one scenario over any input and output; returns 0 at an ending or at end of input.
pub fn play_text(
    corpus: &Corpus,
    wanted: Option<&str>,
    seed: Option<u64>,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<ExitCode> {
    play_text_recorded(corpus, wanted, seed, Recording::Off, input, out)
}

/// [`play_text`], keeping a session log as `recording` says.
pub fn play_text_recorded(
    corpus: &Corpus,
    wanted: Option<&str>,
    seed: Option<u64>,
    recording: Recording,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<ExitCode> {
    if let Recording::Resume(path) = &recording {
        let resumed = match resume_log(corpus, wanted, seed, path) {
            Ok(resumed) => resumed,
            Err(why) => {
                eprintln!("leap: {why}");
                return Ok(ExitCode::from(1));
            }
        };
        let (scenario, session) = (resumed.scenario, resumed.session);
        writeln!(out, "\n{}  (seed {})", scenario.title, session.seed)?;
        if let Some(damage) = &resumed.damaged_tail {
            writeln!(out, "Note: {}: {damage}", path.display())?;
        }
        let made = session.decisions_made();
        if session.is_over() {
            writeln!(out, "This run already reached its ending ({made} decisions recorded in {}).", path.display())?;
        } else {
            writeln!(out, "Resuming at decision {} ({made} recorded in {}).", made + 1, path.display())?;
        }
        writeln!(out, "\n{}", meters_line(&session.meters, None))?;
        let mut log = (!resumed.end_logged).then_some(resumed.log);
        // Stopped between the last decision and its ending: the ending is recorded now.
        if let (Some(open), Some(end)) = (&mut log, LoggedEnd::from_session(scenario, &session, SystemTime::now())) {
            if let Err(e) = open.append_end(&end) {
                eprintln!("leap: {e}");
                return Ok(ExitCode::from(1));
            }
            log = None;
        }
        return play_session(scenario, session, log, input, out);
    }
    let scenario = match wanted {
        Some(id) => match corpus.find(id) {
            Ok(s) => s,
            Err(why) => {
                eprintln!("leap: {why}");
                return Ok(ExitCode::from(1));
            }
        },
        None => match pick_scenario(corpus, input, out)? {
            Some(s) => s,
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    let seed = seed.unwrap_or_else(fresh_seed);
    let log = match &recording {
        Recording::New(path) => match start_log(path, scenario, seed) {
            Ok(log) => Some(log),
            Err(why) => {
                eprintln!("leap: {why}");
                return Ok(ExitCode::from(1));
            }
        },
        _ => None,
    };
    let session = Session::new(scenario, seed);
    writeln!(out, "\n{}  (seed {seed})", scenario.title)?;
    wrap(out, &scenario.summary, "")?;
    writeln!(out, "\n{}", meters_line(&session.meters, None))?;
    play_session(scenario, session, log, input, out)
}

/// The prompt loop and the summary; each decision goes into `log` (if any) before anything
/// else is printed, and the ending after the last.
fn play_session(
    scenario: &Scenario,
    mut session: Session,
    mut log: Option<SessionLog>,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<ExitCode> {
    let seed = session.seed;
    let resume_hint = log
        .as_ref()
        .map(|l| format!(" Resume with: leap play --text --resume {}", l.path().display()))
        .unwrap_or_default();
    while !session.is_over() {
        let beat = match session.current_beat(scenario) {
            Ok(Some(beat)) => beat,
            Ok(None) => break,
            Err(e) => {
                eprintln!("leap: {e}");
                return Ok(ExitCode::from(1));
            }
        };
        writeln!(out)?;
        if let Some(member) = beat.speaker.as_deref().and_then(|id| scenario.cast_member(id)) {
            writeln!(out, "{} ({}):", member.name, member.role)?;
        }
        wrap(out, &beat.text, "")?;
        writeln!(out)?;
        let choices = session.visible_choices(scenario);
        for (i, view) in choices.iter().enumerate() {
            match &view.locked_reason {
                None => wrap(out, &view.choice.text, &format!("  {}. ", i + 1))?,
                Some(reason) => {
                    wrap(out, &format!("[locked: {reason}] {}", view.choice.text), &format!("  {}. ", i + 1))?
                }
            }
        }
        let picked = loop {
            write!(out, "Your choice (1-{}, q to quit): ", choices.len())?;
            out.flush()?;
            let Some(line) = read_answer(input)? else {
                writeln!(out, "\nInput ended before the scenario finished. Replay with --seed {seed}.{resume_hint}")?;
                return Ok(ExitCode::SUCCESS);
            };
            let line = line.trim();
            if line.eq_ignore_ascii_case("q") {
                writeln!(out, "Left the scenario. Replay with --seed {seed}.{resume_hint}")?;
                return Ok(ExitCode::SUCCESS);
            }
            match line.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| choices.get(i)) {
                Some(view) if view.available() => break view.choice.id.clone(),
                Some(view) => writeln!(out, "That choice is locked: {}", view.locked_reason.as_deref().unwrap_or(""))?,
                None => writeln!(out, "Type a number from 1 to {}.", choices.len())?,
            }
        };
        let options = shown_options(&choices);
        let decision = match session.choose(scenario, &picked) {
            Ok(decision) => decision.clone(),
            Err(e) => {
                eprintln!("leap: {e}");
                return Ok(ExitCode::from(1));
            }
        };
        if let Some(log) = &mut log
            && let Some((_, Err(e))) = log.record(scenario, &session, decision.number, options, None, SystemTime::now())
        {
            eprintln!("leap: {e}");
            return Ok(ExitCode::from(1));
        }
        show_consequence(scenario, &decision, out)?;
    }
    if let Some(ending) = session.ending(scenario) {
        writeln!(out, "\n=== Ending: {} ({}) ===", ending.title, ending.verdict.label())?;
        wrap(out, &ending.text, "")?;
        writeln!(out, "\nSummary")?;
        writeln!(out, "  Decisions: {}", session.transcript.len())?;
        writeln!(out, "  {}", meters_line(&session.meters, None))?;
        let lessons: Vec<String> = session.lessons_met().into_iter().collect();
        writeln!(out, "  Lessons met: {}", lessons.join(", "))?;
        let applied: Vec<String> = session.lessons_applied().into_iter().collect();
        writeln!(out, "  Lessons applied: {}", if applied.is_empty() { "none".into() } else { applied.join(", ") })?;
        for objective in &scenario.objectives {
            wrap(out, objective, "  Objective: ")?;
        }
        for question in &scenario.debrief_questions {
            wrap(out, question, "  To think about: ")?;
        }
        let numbers: Vec<String> =
            shown_numbers(scenario, &session).iter().map(|n| n.map_or("?".into(), |n| n.to_string())).collect();
        writeln!(out, "  Replay: leap play --text {} --seed {seed}  (choices {})", scenario.id, numbers.join(","))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The number each choice of the run had on screen when it was taken (hidden locked choices
/// are not numbered), found by playing the run again from its start; what a replay types.
fn shown_numbers(scenario: &Scenario, session: &Session) -> Vec<Option<usize>> {
    let Ok(mut replay) = session.restarted(scenario, session.seed) else { return vec![None; session.transcript.len()] };
    session
        .transcript
        .iter()
        .map(|decision| {
            let shown = replay.visible_choices(scenario).iter().position(|v| v.choice.id == decision.choice);
            replay.choose(scenario, &decision.choice).ok()?;
            shown.map(|i| i + 1)
        })
        .collect()
}

pub(super) fn show_consequence(scenario: &Scenario, decision: &Decision, out: &mut impl Write) -> std::io::Result<()> {
    let choice = scenario.beat(&decision.beat).and_then(|b| b.choices.iter().find(|c| c.id == decision.choice));
    writeln!(out)?;
    if let Some(outcome) = &decision.outcome {
        wrap(out, &outcome.text, "What happened: ")?;
    }
    if let Some(choice) = choice {
        wrap(out, &choice.feedback, "Feedback: ")?;
    }
    if let Some(l) = lesson(&decision.lesson) {
        let said = crate::scenario::stance_phrase(decision.stance, l.id);
        writeln!(out, "{said}: {} (from {})", l.name, l.citation())?;
    }
    for landed in &decision.landed {
        wrap(out, &format!("{} ({})", landed.text, effects_text(&landed.effects)), "Catching up with you: ")?;
    }
    writeln!(out, "{}", meters_line(&decision.meters_after, Some(&decision.meters_before)))
}

/// "Trust 62 (+5) | Strategic impact 45 | Team engagement 40 (-3)".
pub fn meters_line(now: &Meters, before: Option<&Meters>) -> String {
    let parts: Vec<String> = Meter::ALL
        .iter()
        .map(|&m| {
            let value = now.get(m);
            match before.map(|b| value - b.get(m)) {
                Some(d) if d != 0 => format!("{} {value} ({d:+})", m.label()),
                _ => format!("{} {value}", m.label()),
            }
        })
        .collect();
    format!("Meters: {}", parts.join(" | "))
}

fn effects_text(effects: &Effects) -> String {
    let parts: Vec<String> = effects.listed().map(|(m, v)| format!("{} {v:+}", m.label())).collect();
    if parts.is_empty() { "no meter change".into() } else { parts.join(", ") }
}

fn pick_scenario<'a>(
    corpus: &'a Corpus,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<Option<&'a Scenario>> {
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    if scenarios.is_empty() {
        eprintln!("leap: no playable scenarios found; run `leap check` to see why");
        return Ok(None);
    }
    writeln!(out, "Scenarios:")?;
    for (i, s) in scenarios.iter().enumerate() {
        writeln!(out, "  {}. {} - {}", i + 1, s.title, s.summary)?;
    }
    loop {
        write!(out, "Which scenario (1-{})? ", scenarios.len())?;
        out.flush()?;
        let Some(line) = read_answer(input)? else {
            writeln!(out)?;
            return Ok(None);
        };
        if let Some(s) = line.trim().parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| scenarios.get(i))
        {
            return Ok(Some(s));
        }
    }
}

/// One line typed by the player; None at the end of input. A line that is not UTF-8 reads
/// as text with its bad bytes replaced, so it is answered like any other wrong input
/// instead of ending the game.
fn read_answer(input: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

pub(super) fn wrap(out: &mut impl Write, text: &str, first: &str) -> std::io::Result<()> {
    let rest = " ".repeat(first.chars().count());
    let options = textwrap::Options::new(80).initial_indent(first).subsequent_indent(&rest);
    for line in textwrap::wrap(text, options) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
