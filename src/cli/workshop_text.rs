//! `leap workshop SCENARIO --text [--phones --bind ADDR:PORT]`: the workshop in a terminal, for
//! tests and for a facilitator without a window. The facilitator's keys come in as lines on
//! standard input (the window's keys, one per line: `V` opens the vote, an empty line is Enter,
//! `Esc`, `Backspace`; `12B` sets B's hands to 12), and the projector's text is printed,
//! starting with `Join: http://ADDR:PORT/?room=CODE` when phones are on.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::engine::votes::option_letter;
use crate::phones::{PhoneServer, lan, qr};
use crate::record::format_utc;
use crate::scenario::Corpus;
use crate::workshop::flow::{FlowKey, SharedRoom, Step, WorkshopFlow, lock};
use crate::workshop::phones::{PhoneRoom, new_room_code};
use crate::workshop::{MeterMode, WorkshopConfig, WorkshopTarget};

use super::play::{meters_line, show_consequence, wrap};

/// What the text mode needs beyond the workshop's settings.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    pub phones: bool,
    pub bind: Option<SocketAddr>,
    pub nicknames: bool,
    pub close_when_all_voted: bool,
    pub record: Option<PathBuf>,
    pub resume: Option<PathBuf>,
    /// "Everyone plays" (see `workshop_everyone`); a resumed log says so itself.
    pub everyone_plays: bool,
}

pub fn run(config: WorkshopConfig, options: TextOptions, scenarios: &Path) -> ExitCode {
    let corpus = Corpus::load(&[scenarios.to_path_buf()]);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    super::finish_output(run_with(&corpus, config, options, &mut out))
}

fn run_with(
    corpus: &Corpus,
    config: WorkshopConfig,
    options: TextOptions,
    out: &mut impl Write,
) -> std::io::Result<ExitCode> {
    let fail = |out: &mut dyn Write, why: String| -> std::io::Result<ExitCode> {
        writeln!(out, "leap: {why}")?;
        Ok(ExitCode::from(1))
    };
    // The room code survives a resume (it is in the log's header), so phones' links still work.
    let recorded_code = options.resume.as_deref().and_then(|log| {
        let recorded = crate::record::read_log(log).ok()?;
        recorded.header.options.get("phones")?.get("room")?.as_str().map(str::to_string)
    });
    let mut server = None;
    let room: Option<SharedRoom> = if options.phones {
        let mut room = PhoneRoom::new(recorded_code.unwrap_or_else(new_room_code));
        room.nicknames = options.nicknames;
        let room = Arc::new(Mutex::new(room));
        match crate::phones::start_for_room(options.bind, room.clone()) {
            Ok(started) => server = Some(started),
            Err(why) => return fail(out, why),
        }
        Some(room)
    } else {
        None
    };
    let everyone_log = options.resume.as_deref().and_then(|log| crate::record::read_log(log).ok());
    let everyone_log = everyone_log.is_some_and(|r| crate::workshop::everyone_flow::is_everyone_plays(&r.header));
    if options.everyone_plays || everyone_log {
        let (Some(room), Some(server)) = (room, server) else {
            return fail(out, "an \"everyone plays\" session needs the phones: add --phones".into());
        };
        return super::workshop_everyone::run(corpus, config, &options, room, server, out);
    }
    let phones = room.clone().zip(server.as_ref().map(PhoneServer::home_page));
    let mut flow = match &options.resume {
        Some(log) => match WorkshopFlow::resume(log, |id| corpus.scenario(id), phones) {
            Ok(flow) => flow,
            Err(why) => return fail(out, why),
        },
        None => {
            let WorkshopTarget::Scenario(id) = &config.target else {
                return fail(out, "the text mode runs one scenario; run a campaign in the window".into());
            };
            let scenario = match corpus.find(id) {
                Ok(scenario) => scenario.clone(),
                Err(why) => return fail(out, why),
            };
            let log = options.record.clone().unwrap_or_else(|| default_log_path(&config.name));
            match WorkshopFlow::start(config, scenario, &log, phones) {
                Ok(flow) => flow,
                Err(why) => return fail(out, why),
            }
        }
    };
    flow.close_when_all_voted = options.close_when_all_voted;
    if let (Some(server), Some(room)) = (&server, &room) {
        print_join(out, server, room, options.bind.is_some())?;
    }
    writeln!(out, "Session log: {}", flow.log_path().display())?;
    out.flush()?;
    let code = drive(&mut flow, out)?;
    if let Some(mut server) = server {
        server.stop();
    }
    Ok(code)
}

/// `Join: http://ADDR:PORT/?room=CODE` first, then the code, the QR code and other addresses.
pub(super) fn print_join(
    out: &mut impl Write,
    server: &PhoneServer,
    room: &SharedRoom,
    bound: bool,
) -> std::io::Result<()> {
    let url = server.join_url();
    writeln!(out, "Join: {url}")?;
    writeln!(out, "Room code: {}", lock(room).code())?;
    if let Some(code) = qr::terminal(&url) {
        write!(out, "{code}")?;
    }
    let others: Vec<String> = lan::candidates().iter().skip(1).map(|a| format!("{} ({})", a.ip, a.interface)).collect();
    if !bound && !others.is_empty() {
        writeln!(out, "Other addresses of this machine: {} (choose one with --bind ADDR:PORT)", others.join(", "))?;
    }
    Ok(())
}

/// `sessions/<name>-<time>.jsonl` in the data folder (`LEAP_DATA_DIR`, or the platform's).
pub(super) fn default_log_path(name: &str) -> PathBuf {
    let dir = std::env::var_os("LEAP_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| {
        directories::ProjectDirs::from("org", "The Leap", "the-leap")
            .map_or_else(|| PathBuf::from(".leap-data"), |p| p.data_dir().to_path_buf())
    });
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let stamp = format_utc(SystemTime::now()).replace([':', '-'], "");
    dir.join("sessions").join(format!("{}-{stamp}.jsonl", safe.trim_matches('-')))
}

/// The window's keys from one line of input.
pub fn keys_of(line: &str) -> Vec<FlowKey> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    match trimmed.trim().to_ascii_lowercase().as_str() {
        "" | "enter" => vec![FlowKey::Enter],
        "esc" | "escape" => vec![FlowKey::Escape],
        "backspace" | "bs" => vec![FlowKey::Backspace],
        _ => trimmed.chars().map(FlowKey::Char).collect(),
    }
}

/// Reads lines on a thread of its own, so the vote's live count can be printed while waiting.
fn drive(flow: &mut WorkshopFlow, out: &mut impl Write) -> std::io::Result<ExitCode> {
    let (lines, incoming) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    if let Some(message) = flow.message.take() {
        writeln!(out, "{message}")?;
    }
    show(flow, out)?;
    let mut seen = None;
    loop {
        match incoming.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let before = flow.step.clone();
                if before == Step::Debrief {
                    writeln!(out, "The workshop has ended.")?;
                    return Ok(ExitCode::SUCCESS);
                }
                let reveal = line.trim().eq_ignore_ascii_case("r");
                if reveal
                    && flow.config.meters == MeterMode::UntilReveal
                    && matches!(before, Step::Discuss | Step::Vote)
                {
                    writeln!(out, "{}", meters_line(&flow.session.meters, None))?;
                    continue;
                }
                for key in keys_of(&line) {
                    flow.key(key);
                }
                show(flow, out)?;
                // Printed again at the next tick, so no vote between the two goes unseen.
                seen = None;
            }
            Err(RecvTimeoutError::Timeout) => {
                if flow.tick(Instant::now()) {
                    writeln!(out, "Everyone connected has voted: the vote closed by itself.")?;
                    show(flow, out)?;
                }
                let now = live_line(flow);
                if now != seen {
                    if let Some(line) = &now {
                        writeln!(out, "{line}")?;
                    }
                    seen = now;
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                if flow.step == Step::Debrief {
                    return Ok(ExitCode::SUCCESS);
                }
                writeln!(
                    out,
                    "Input ended. Everything decided is in the session log; go on with: leap workshop --resume {} --text{}",
                    flow.log_path().display(),
                    if flow.phones.is_some() { " --phones" } else { "" }
                )?;
                return Ok(ExitCode::SUCCESS);
            }
        }
        out.flush()?;
    }
}

/// "Phones: 14 of 17 have voted · A 9 (64%) · B 5 (36%)" while a vote is open.
fn live_line(flow: &WorkshopFlow) -> Option<String> {
    let room = flow.phones.as_ref()?;
    if flow.step != Step::Vote {
        return None;
    }
    let room = lock(room);
    let counts = room.counts();
    let total: u32 = counts.iter().sum();
    let split: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{} {n} ({:.0}%)", option_letter(i), percent(*n, total)))
        .collect();
    Some(format!("Phones: {} · {}", room.progress_text(), split.join(" · ")))
}

fn percent(n: u32, total: u32) -> f64 {
    if total == 0 { 0.0 } else { f64::from(n) * 100.0 / f64::from(total) }
}

/// The projector's text for the current step.
fn show(flow: &WorkshopFlow, out: &mut impl Write) -> std::io::Result<()> {
    let scenario = &flow.scenario;
    match &flow.step {
        Step::Discuss => {
            let Ok(Some(beat)) = flow.session.current_beat(scenario) else { return Ok(()) };
            writeln!(out, "\n== {} · decision {} · {} ==", scenario.title, flow.decisions.len() + 1, flow.config.name)?;
            if flow.config.meters == MeterMode::Shown {
                writeln!(out, "{}", meters_line(&flow.session.meters, None))?;
            } else {
                writeln!(out, "Meters hidden")?;
            }
            if let Some(member) = beat.speaker.as_deref().and_then(|id| scenario.cast_member(id)) {
                writeln!(out, "{} ({}):", member.name, member.role)?;
            }
            wrap(out, &beat.text, "")?;
            if let Some(prompt) = &beat.discuss {
                wrap(out, prompt, "Discuss: ")?;
            }
            let mut votable = 0;
            for view in flow.session.visible_choices(scenario) {
                match &view.locked_reason {
                    None => {
                        wrap(out, &view.choice.text, &format!("  {}  ", option_letter(votable)))?;
                        votable += 1;
                    }
                    Some(reason) => wrap(out, &format!("{} (locked: {reason})", view.choice.text), "  –  ")?,
                }
            }
            if let Some(room) = &flow.phones {
                writeln!(out, "Phones joined: {}", lock(room).joined())?;
            }
            writeln!(out, "Keys: V (or Enter) opens the vote")?;
        }
        Step::Vote | Step::Override { .. } => {
            let tally = flow.tally();
            let phones = flow.phones.as_ref().map(|r| lock(r).counts()).unwrap_or_default();
            let total = tally.total();
            match &flow.phones {
                Some(room) => writeln!(out, "\nRoom vote: {total} votes · {}", lock(room).progress_text())?,
                None => writeln!(out, "\nRoom vote: {total} hand{}", if total == 1 { "" } else { "s" })?,
            }
            let options = flow.question().map(|q| q.options).unwrap_or_default();
            for (i, text) in options.iter().enumerate() {
                let count = tally.counts().get(i).copied().unwrap_or(0);
                let share = percent(count, total);
                let bar: String = (0..20).map(|k| if f64::from(k) < share / 5.0 { '#' } else { '.' }).collect();
                let from_phones = phones.get(i).copied().unwrap_or(0);
                let hands = flow.hands.counts().get(i).copied().unwrap_or(0);
                let split = if flow.phones.is_some() {
                    format!(" ({from_phones} phones, {hands} hands)")
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "  {} [{bar}] {count} vote{}{split} · {share:.0}%  {}",
                    option_letter(i),
                    if count == 1 { "" } else { "s" },
                    shorten(text, 50)
                )?;
            }
            if !flow.typed_count.is_empty() {
                writeln!(out, "Count typed: {}. Type a letter to set it.", flow.typed_count)?;
            }
            match &flow.step {
                Step::Override { option: None, .. } => {
                    writeln!(out, "Apply which option? Type its letter (Esc cancels).")?
                }
                Step::Override { option: Some(o), reason } => writeln!(
                    out,
                    "You are applying {} against the majority. Type why, then an empty line: {reason}_",
                    option_letter(*o)
                )?,
                _ => writeln!(
                    out,
                    "Keys: A-D one hand · 12B sets a count · Backspace undoes · Enter applies the majority · O another option · Esc back"
                )?,
            }
        }
        Step::Consequence => {
            if let Some(applied) = &flow.last {
                let d = &applied.logged;
                let picked = d.chosen_index().map_or('?', option_letter);
                let votes =
                    d.votes.as_deref().map(crate::engine::votes::votes_summary).unwrap_or_else(|| "no votes".into());
                writeln!(out, "\nThe room voted {votes}; applied {picked}.")?;
                if let Some(reason) = &d.override_reason {
                    writeln!(out, "Against the majority, because: {reason}")?;
                }
                if let Some(ballots) = &applied.ballots {
                    writeln!(out, "Phones: {} of {} voted.", ballots.phones.len(), ballots.joined)?;
                }
                show_consequence(scenario, &applied.decision, out)?;
            }
            writeln!(out, "Keys: Enter continues")?;
        }
        Step::Debrief => debrief(flow, out)?,
    }
    if let Some(message) = &flow.message {
        writeln!(out, "{message}")?;
    }
    out.flush()
}

fn debrief(flow: &WorkshopFlow, out: &mut impl Write) -> std::io::Result<()> {
    let scenario = &flow.scenario;
    writeln!(out, "\n== Room debrief: {} ==", scenario.title)?;
    if let Some(ending) = flow.session.ending(scenario) {
        writeln!(out, "Ending: {} ({})", ending.title, ending.verdict.label())?;
        wrap(out, &ending.text, "")?;
    }
    writeln!(out, "{}", meters_line(&flow.session.meters, None))?;
    for d in &flow.decisions {
        let votes = d.votes.as_deref().map(crate::engine::votes::votes_summary).unwrap_or_else(|| "no votes".into());
        let overrode = d.override_reason.as_deref().map(|r| format!("; against the majority: {r}")).unwrap_or_default();
        writeln!(out, "  {}. {}: chose {} (votes {votes}{overrode})", d.number, d.beat, d.chosen)?;
    }
    match crate::export::export_all_with(flow.log_path(), &crate::export::default_dir(flow.log_path()), &[scenario]) {
        Ok(paths) => {
            for path in paths {
                writeln!(out, "Export: {}", path.display())?;
            }
        }
        Err(e) => writeln!(out, "The exports could not be written: {e}")?,
    }
    writeln!(out, "Press Enter to end the workshop.")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
}
