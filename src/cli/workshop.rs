//! `leap workshop`: opens the game in workshop mode with the setup filled in.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::workshop::{MeterMode, WorkshopConfig, WorkshopTarget};

#[derive(Debug, Args)]
pub struct WorkshopArgs {
    /// A scenario id, or `campaign` for the whole campaign (chosen on screen when left out).
    pub target: Option<String>,
    /// Seed for chance outcomes, so a session can be rerun identically.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The session's name (used for the log and the exports).
    #[arg(long)]
    pub name: Option<String>,
    /// How the room sees the meters.
    #[arg(long, value_enum, default_value_t = MetersArg::Shown)]
    pub meters: MetersArg,
    /// Discussion timer per moment, in minutes (off when left out).
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=60))]
    pub timer: Option<u32>,
    /// Go on with a session from its log (after a crash or power cut), at the next decision.
    #[arg(long, value_name = "LOG", conflicts_with_all = ["target", "seed", "name", "timer"])]
    pub resume: Option<std::path::PathBuf>,
    /// Run in the terminal: the facilitator's keys as lines on standard input (`V` opens the
    /// vote, an empty line is Enter), the projector's text printed.
    #[arg(long)]
    pub text: bool,
    /// Let the room vote from their phones (a small web server on the local network).
    #[arg(long)]
    pub phones: bool,
    /// Where the phone server listens, e.g. 192.168.1.23:8765 (default: the best LAN address).
    #[arg(long, value_name = "ADDR:PORT", requires = "phones")]
    pub bind: Option<std::net::SocketAddr>,
    /// Ask phones for a nickname (shown only in the exports; votes are anonymous otherwise).
    #[arg(long, requires = "phones")]
    pub nicknames: bool,
    /// Close the vote by itself once every connected phone has voted.
    #[arg(long, requires = "phones")]
    pub close_when_all_voted: bool,
    /// "Everyone plays": each phone plays the scenario on its own; the facilitator ends the
    /// round (E, then Enter, in the text mode) and the room sees how everyone chose.
    #[arg(long, requires = "phones")]
    pub everyone_plays: bool,
    /// With --text: where to write the session log (default: the data folder's sessions/).
    #[arg(long, value_name = "LOG", requires = "text", conflicts_with = "resume")]
    pub record: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetersArg {
    /// Always on screen.
    Shown,
    /// Hidden until the facilitator presses R.
    Reveal,
    /// Hidden until the debrief.
    End,
}

pub fn run(args: WorkshopArgs, scenarios: &Path) -> ExitCode {
    let text = args.text.then(|| super::workshop_text::TextOptions {
        phones: args.phones,
        bind: args.bind,
        nicknames: args.nicknames,
        close_when_all_voted: args.close_when_all_voted,
        record: args.record.clone(),
        resume: args.resume.clone(),
        everyone_plays: args.everyone_plays,
    });
    let phones = args.phones.then_some(crate::workshop::phones::PhoneOptions {
        bind: args.bind,
        nicknames: args.nicknames,
        close_when_all_voted: args.close_when_all_voted,
        everyone_plays: args.everyone_plays,
    });
    if let Some(log) = args.resume.filter(|_| text.is_none()) {
        let log = std::path::absolute(&log).unwrap_or(log);
        return super::window::resume_workshop(scenarios, log, phones);
    }
    let mut config = WorkshopConfig::default();
    if let Some(target) = args.target {
        config.target = if target == "campaign" { WorkshopTarget::Campaign } else { WorkshopTarget::Scenario(target) };
    }
    if let Some(name) = args.name {
        config.name = name;
    }
    config.seed = args.seed;
    config.timer_minutes = args.timer;
    config.meters = match args.meters {
        MetersArg::Shown => MeterMode::Shown,
        MetersArg::Reveal => MeterMode::UntilReveal,
        MetersArg::End => MeterMode::UntilEnd,
    };
    match text {
        Some(options) => super::workshop_text::run(config, options, scenarios),
        None => super::window::workshop(scenarios, config, phones),
    }
}
