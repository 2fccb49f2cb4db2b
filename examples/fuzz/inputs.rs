//! The seed files every mutation starts from, and the generator: input `i` of a run with seed
//! `s` is a pure function of (s, i), so any input can be made again from its number alone
//! (the watchdog relies on this to save an input whose thread is stuck).

use std::path::Path;
use std::time::SystemTime;

use leap::engine::Session;
use leap::engine::campaign::CampaignRun;
use leap::record::store::SaveFile;
use leap::record::{LogHeader, LoggedDecision, LoggedEnd, Mode, SessionLog, shown_options};
use leap::scenario::Corpus;
use rand::{RngExt, SeedableRng};

use super::mutate::{self, Rng};
use super::structured::{self, Layout};
use super::targets::Kind;

pub struct Seeds {
    /// (file name, text, layout) of every scenario and campaign file found.
    scenarios: Vec<(String, Vec<u8>, Layout)>,
    logs: Vec<Vec<u8>>,
    saves: Vec<Vec<u8>>,
}

pub struct Input {
    pub kind: Kind,
    pub files: Vec<(String, Vec<u8>)>,
    /// Which generator made it, for the report.
    pub how: &'static str,
}

impl Seeds {
    /// The `.ron` files under `folders`, and logs and saves made by playing the shipped
    /// scenarios (written through the game's own writers into `scratch`).
    pub fn load(folders: &[&Path], shipped: &Corpus, scratch: &Path) -> Seeds {
        let corpus = Corpus::load(&folders.iter().map(|f| f.to_path_buf()).collect::<Vec<_>>());
        let scenarios: Vec<(String, Vec<u8>, Layout)> = corpus
            .files
            .iter()
            .map(|f| {
                let name = Path::new(&f.path).file_name().map_or("seed.ron".into(), |n| n.to_string_lossy().into());
                (name, f.source.clone().into_bytes(), Layout::of(&f.source))
            })
            .collect();
        let (mut logs, mut saves) = played(shipped, scratch);
        // Earlier findings of the other readers (kept as regression tests) seed them too.
        for folder in folders.iter().map(|f| f.join("fuzz")) {
            for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Ok(bytes) = std::fs::read(entry.path()) else { continue };
                match Kind::of_file(&name) {
                    Some(Kind::Log) => logs.push(bytes),
                    Some(Kind::Save) => saves.push(bytes),
                    _ => {}
                }
            }
        }
        Seeds { scenarios, logs, saves }
    }

    pub fn counts(&self) -> (usize, usize, usize) {
        (self.scenarios.len(), self.logs.len(), self.saves.len())
    }

    pub fn generate(&self, run_seed: u64, index: u64) -> Input {
        let mut rng = Rng::seed_from_u64(run_seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index);
        match rng.random_range(0..20) {
            0..=13 => self.scenario(&mut rng),
            14..=16 => self.json(&mut rng, Kind::Log, &self.logs),
            _ => self.json(&mut rng, Kind::Save, &self.saves),
        }
    }

    fn scenario(&self, rng: &mut Rng) -> Input {
        let pick = |rng: &mut Rng| &self.scenarios[rng.random_range(0..self.scenarios.len())];
        let (name, text, layout) = pick(rng);
        let (other_name, other, other_layout) = pick(rng);
        let (how, mut bytes) = match rng.random_range(0..100) {
            // Generated and reshaped files are the slowest to check (big, and valid enough for
            // the simulated runs), so they are the rarest.
            0..=4 => ("random bytes", mutate::random_bytes(rng)),
            5..=36 => {
                let mut bytes = text.clone();
                mutate::bytes(rng, &mut bytes, other);
                ("byte edits", bytes)
            }
            37..=62 => ("token edits", mutate::tokens_in(rng, text)),
            63..=65 => ("same long text", mutate::same_long_text(rng, text)),
            66..=77 => ("field swap", structured::swap_field(rng, text, layout, other, other_layout)),
            78..=82 => ("list reshaped", structured::reshape_list(rng, text, layout)),
            83 => ("generated", structured::generated_scenario(rng)),
            84..=91 => ("spliced", mutate::splice(rng, text, other)),
            _ => {
                // Two files checked together: the second a copy of the first or another seed,
                // one of them edited, for duplicate ids and campaigns naming scenarios.
                let mut second = if rng.random_bool(0.5) { text.clone() } else { other.clone() };
                mutate::bytes(rng, &mut second, text);
                let files = vec![(name.clone(), mutate::tokens_in(rng, text)), (format!("2-{other_name}"), second)];
                return Input { kind: Kind::Scenario, files, how: "two files" };
            }
        };
        if rng.random_bool(0.2) {
            mutate::bytes(rng, &mut bytes, other);
        }
        Input { kind: Kind::Scenario, files: vec![(name.clone(), bytes)], how }
    }

    fn json(&self, rng: &mut Rng, kind: Kind, seeds: &[Vec<u8>]) -> Input {
        let text = &seeds[rng.random_range(0..seeds.len())];
        let other = &seeds[rng.random_range(0..seeds.len())];
        let (how, mut bytes) = match rng.random_range(0..100) {
            0..=9 => ("random bytes", mutate::random_bytes(rng)),
            10..=44 => {
                let mut bytes = text.clone();
                mutate::bytes(rng, &mut bytes, other);
                ("byte edits", bytes)
            }
            45..=84 => ("token edits", mutate::tokens_in(rng, text)),
            85..=94 => ("lines reshuffled", reshuffle_lines(rng, text, other)),
            _ => ("spliced", mutate::splice(rng, text, other)),
        };
        if rng.random_bool(0.2) {
            mutate::bytes(rng, &mut bytes, other);
        }
        Input { kind, files: vec![(format!("input.{}", kind.extension()), bytes)], how }
    }
}

/// Lines dropped, repeated, swapped, or taken from another file.
fn reshuffle_lines(rng: &mut Rng, text: &[u8], other: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    let donor: Vec<&[u8]> = other.split(|b| *b == b'\n').collect();
    for _ in 0..rng.random_range(1..4) {
        let at = rng.random_range(0..lines.len());
        match rng.random_range(0..4) {
            0 if lines.len() > 1 => {
                lines.remove(at);
            }
            1 => lines.insert(at, lines[rng.random_range(0..lines.len())]),
            2 => {
                let to = rng.random_range(0..lines.len());
                lines.swap(at, to);
            }
            _ => lines.insert(at, donor[rng.random_range(0..donor.len())]),
        }
    }
    lines.join(&b'\n')
}

/// Logs and saves of real play: each shipped scenario played with a few seeds, its log
/// written by `SessionLog` and its save as the game writes it, mid-run and at the end.
fn played(shipped: &Corpus, scratch: &Path) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let (mut logs, mut saves) = (Vec::new(), Vec::new());
    let campaign = shipped.campaigns().next();
    for (n, scenario) in shipped.scenarios().enumerate() {
        for seed in [1u64, 2] {
            let path = scratch.join(format!("seed-{n}-{seed}.jsonl"));
            let _ = std::fs::remove_file(&path);
            let mode = if seed == 1 { Mode::Solo } else { Mode::Workshop };
            let header = LogHeader::for_run("Seed session", mode, seed, scenario, None, SystemTime::UNIX_EPOCH);
            let mut log = SessionLog::create(&path, header).expect("a seed log");
            let mut session = Session::new(scenario, seed);
            let mut mid_run = None;
            for step in 0..100 {
                let views = session.visible_choices(scenario);
                let options = shown_options(&views);
                let available: Vec<String> =
                    views.iter().filter(|v| v.available()).map(|v| v.choice.id.clone()).collect();
                let Some(id) = available.get((step + seed as usize) % available.len().max(1)) else { break };
                let decision = session.choose(scenario, id).expect("an available choice").clone();
                let mut logged =
                    LoggedDecision::solo(scenario, &decision, decision.number, options, SystemTime::UNIX_EPOCH);
                if seed == 2 {
                    logged.votes = Some(vec![3; logged.options.len()]);
                    logged.overrode_majority = true;
                    logged.override_reason = Some("the room was split".into());
                }
                log.append_decision(&logged).expect("a seed log line");
                if step == 1 {
                    mid_run = Some(session.clone());
                }
                if session.is_over() {
                    break;
                }
            }
            if let Some(end) = LoggedEnd::from_session(scenario, &session, SystemTime::UNIX_EPOCH) {
                log.append_end(&end).expect("a seed log end");
            }
            drop(log);
            logs.push(std::fs::read(&path).expect("the seed log"));
            for session in mid_run.into_iter().chain([session]) {
                let campaign = campaign.filter(|_| seed == 2).map(|c| {
                    let mut run = CampaignRun::new(c, seed);
                    run.finish_stage(scenario, &session);
                    run
                });
                let save = SaveFile { format: 1, session, campaign, log: Some(path.clone()) };
                saves.push(serde_json::to_vec_pretty(&save).expect("a seed save"));
            }
        }
    }
    (logs, saves)
}
