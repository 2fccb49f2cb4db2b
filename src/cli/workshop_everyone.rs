//! `leap workshop SCENARIO --text --phones --everyone-plays`: "everyone plays" in a terminal.
//! Each phone plays the scenario on its own; the projector's text shows how many have started
//! and finished ("Playing: 12 started, 5 finished of 17 joined", printed when it changes), and
//! the facilitator's `E` (a line with just E) ends the round: then the room's aggregate is
//! printed (the endings with counts, each beat's split, the room debrief's sentences), the
//! exports are written, and an empty line ends the workshop.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::engine::votes::option_letter;
use crate::phones::PhoneServer;
use crate::scenario::Corpus;
use crate::workshop::everyone::RoomAggregate;
use crate::workshop::everyone_flow::EveryoneWorkshop;
use crate::workshop::flow::SharedRoom;
use crate::workshop::{WorkshopConfig, WorkshopTarget};

use super::workshop_text::{TextOptions, default_log_path, print_join};

pub(super) fn run(
    corpus: &Corpus,
    config: WorkshopConfig,
    options: &TextOptions,
    room: SharedRoom,
    mut server: PhoneServer,
    out: &mut impl Write,
) -> std::io::Result<ExitCode> {
    let started = match &options.resume {
        Some(log) => EveryoneWorkshop::resume(log, |id| corpus.scenario(id), room.clone()),
        None => match &config.target {
            WorkshopTarget::Scenario(id) => corpus.find(id).and_then(|scenario| {
                let log = options.record.clone().unwrap_or_else(|| default_log_path(&config.name));
                EveryoneWorkshop::start(config.clone(), scenario.clone(), &log, room.clone(), &server.home_page())
            }),
            WorkshopTarget::Campaign => Err("the text mode runs one scenario; run a campaign in the window".into()),
        },
    };
    let mut workshop = match started {
        Ok(workshop) => workshop,
        Err(why) => {
            writeln!(out, "leap: {why}")?;
            return Ok(ExitCode::from(1));
        }
    };
    print_join(out, &server, &room, options.bind.is_some())?;
    writeln!(out, "Session log: {}", workshop.log_path().display())?;
    let code = drive(&mut workshop, out);
    server.stop();
    code
}

fn drive(workshop: &mut EveryoneWorkshop, out: &mut impl Write) -> std::io::Result<ExitCode> {
    let (lines, incoming) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    writeln!(out, "\n== Everyone plays: {} · {} ==", workshop.scenario.title, workshop.config.name)?;
    if let Some(message) = workshop.message.take() {
        writeln!(out, "{message}")?;
    }
    if let Some(aggregate) = workshop.aggregate() {
        show_aggregate(workshop, &aggregate, out)?;
    } else {
        writeln!(out, "Each phone plays the scenario on its own, at its own pace.")?;
        writeln!(out, "Keys: E (then Enter) ends the round and shows how the room chose")?;
    }
    out.flush()?;
    let mut shown = None;
    loop {
        match incoming.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if workshop.is_over() => {
                if line.trim().is_empty() {
                    writeln!(out, "The workshop has ended.")?;
                    return Ok(ExitCode::SUCCESS);
                }
                writeln!(out, "The round has ended. Press Enter to end the workshop.")?;
            }
            Ok(line) if line.trim().eq_ignore_ascii_case("e") => {
                writeln!(out, "{}", workshop.progress().text())?;
                if let Some(aggregate) = workshop.end_round() {
                    show_aggregate(workshop, &aggregate, out)?;
                }
                if let Some(message) = workshop.message.take() {
                    writeln!(out, "{message}")?;
                }
            }
            Ok(_) => writeln!(out, "Keys: E (then Enter) ends the round")?,
            Err(RecvTimeoutError::Timeout) if !workshop.is_over() => {
                let now = workshop.progress().text();
                if shown.as_ref() != Some(&now) {
                    writeln!(out, "{now}")?;
                    shown = Some(now);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                if !workshop.is_over() {
                    writeln!(
                        out,
                        "Input ended. Every phone's decision is in the session log; go on with: leap workshop \
                         --resume {} --text --phones",
                        workshop.log_path().display()
                    )?;
                }
                return Ok(ExitCode::SUCCESS);
            }
        }
        out.flush()?;
    }
}

/// The projector's aggregate as text: endings with counts, each beat's split, the sentences.
fn show_aggregate(workshop: &EveryoneWorkshop, aggregate: &RoomAggregate, out: &mut impl Write) -> std::io::Result<()> {
    let p = aggregate.progress;
    writeln!(out, "\n== Room aggregate: {} ==", workshop.scenario.title)?;
    writeln!(out, "{} started, {} finished of {} joined", p.started, p.finished, p.joined)?;
    writeln!(out, "Endings reached:")?;
    if aggregate.endings.is_empty() {
        writeln!(out, "  none yet")?;
    }
    let most = aggregate.endings.iter().map(|e| e.count).max().unwrap_or(1).max(1);
    for e in &aggregate.endings {
        writeln!(out, "  [{}] {} · {} ({})", bar(e.count, most), e.count, e.title, e.verdict)?;
    }
    writeln!(out, "Each beat's split:")?;
    for beat in &aggregate.beats {
        writeln!(
            out,
            "  The {} beat ({}), {} decided:",
            crate::workshop::everyone::ordinal_word(beat.ordinal),
            beat.beat,
            beat.decided
        )?;
        for (i, c) in beat.choices.iter().enumerate() {
            let share = if beat.decided == 0 { 0.0 } else { c.count as f64 * 100.0 / beat.decided as f64 };
            writeln!(
                out,
                "    {} [{}] {} · {share:.0}%  {}",
                option_letter(i),
                bar(c.count, beat.decided.max(1)),
                c.count,
                shorten(&c.text, 50)
            )?;
        }
    }
    writeln!(out, "Room debrief:")?;
    for sentence in &aggregate.sentences {
        // One line each, so a script can read them.
        writeln!(out, "  {sentence}")?;
    }
    match crate::export::export_all_with(
        workshop.log_path(),
        &crate::export::default_dir(workshop.log_path()),
        &[&workshop.scenario],
    ) {
        Ok(paths) => {
            for path in paths {
                writeln!(out, "Export: {}", path.display())?;
            }
        }
        Err(e) => writeln!(out, "The exports could not be written: {e}")?,
    }
    writeln!(out, "Each phone now shows its personal debrief. Press Enter to end the workshop.")
}

/// A 20-character bar for `count` of `total`.
fn bar(count: usize, total: usize) -> String {
    (0..20).map(|k| if k * total < count * 20 { '#' } else { '.' }).collect()
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).collect::<String>() + "…" }
}
