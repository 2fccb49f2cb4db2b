//! A workshop in "everyone plays", as any front end drives it: the session log is started
//! (or resumed) here, the phones' runs play in the room ([`PhoneRoom`]) while the phone server
//! writes each decision through [`record_choice`], and the facilitator ends the round with
//! [`EveryoneWorkshop::end_round`], which logs it and fixes the room's aggregate.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::engine::chance::fresh_seed;
use crate::record::{LogHeader, Mode, PhoneDecision, RoundEnd, SessionLog, format_utc};
use crate::scenario::Scenario;

use super::WorkshopConfig;
use super::everyone::{EveryonePlays, Progress, RoomAggregate};
use super::flow::{SharedRoom, lock};
use super::phones::everyone_room::{ChooseRefused, SharedLog};

/// True when a log's header says its session is "everyone plays".
pub fn is_everyone_plays(header: &LogHeader) -> bool {
    header.options.get("phones").and_then(|p| p.get("everyone_plays")).and_then(|e| e.as_bool()) == Some(true)
}

/// A workshop in "everyone plays".
pub struct EveryoneWorkshop {
    pub config: WorkshopConfig,
    pub scenario: Scenario,
    pub room: SharedRoom,
    log: SharedLog,
    log_path: PathBuf,
    /// A line for the facilitator (resumed, a log error).
    pub message: Option<String>,
}

impl EveryoneWorkshop {
    /// Starts the round on `scenario` with a new log at `log_path`; the header records the
    /// room's code and home page, so a resumed session keeps them.
    pub fn start(
        config: WorkshopConfig,
        scenario: Scenario,
        log_path: &Path,
        room: SharedRoom,
        home_page: &str,
    ) -> Result<EveryoneWorkshop, String> {
        let seed = config.seed.unwrap_or_else(fresh_seed);
        let mut header = LogHeader::new(config.name.clone(), Mode::Workshop, seed, SystemTime::now());
        header.scenario = Some(scenario.id.clone());
        {
            let room = lock(&room);
            header.options = serde_json::json!({
                "meters": config.meters.label(),
                "phones": {"room": room.code(), "home_page": home_page, "nicknames": room.nicknames,
                           "everyone_plays": true},
            });
        }
        let log = SessionLog::create(log_path, header)
            .map_err(|e| format!("cannot create the session log {}: {e}", log_path.display()))?;
        let config = WorkshopConfig { seed: Some(seed), ..config };
        let play = EveryonePlays::new(scenario.clone(), seed);
        Ok(EveryoneWorkshop::begin(config, scenario, room, log, play))
    }

    /// Goes on with the "everyone plays" session in the log at `path`: every phone's run is
    /// rebuilt from its `phone` lines, and a phone coming back with the same token continues
    /// it. `find` looks the log's scenario up by id.
    pub fn resume<'a>(
        path: &Path,
        find: impl Fn(&str) -> Option<&'a Scenario>,
        room: SharedRoom,
    ) -> Result<EveryoneWorkshop, String> {
        let (log, recorded) = SessionLog::open_append(path).map_err(|e| e.to_string())?;
        let header = &recorded.header;
        if !is_everyone_plays(header) {
            return Err(format!("{} is not an \"everyone plays\" session", path.display()));
        }
        let id = header.scenario.as_deref().ok_or_else(|| format!("{} names no scenario", path.display()))?;
        let scenario =
            find(id).ok_or_else(|| format!("the log is for `{id}`, which is missing or has errors"))?.clone();
        let mut play = EveryonePlays::new(scenario.clone(), header.seed);
        play.replay(&recorded.phone_decisions).map_err(|e| format!("cannot resume {}: {e}", path.display()))?;
        if let Some(end) = &recorded.round_end {
            play.end(end.joined as usize);
        }
        let config = WorkshopConfig {
            name: header.session.clone(),
            target: super::WorkshopTarget::Scenario(scenario.id.clone()),
            seed: Some(header.seed),
            ..WorkshopConfig::default()
        };
        let runs = play.keys().len();
        let mut workshop = EveryoneWorkshop::begin(config, scenario, room, log, play);
        workshop.message = Some(format!(
            "Resumed from the log: {runs} phone run{} with {} decisions.",
            if runs == 1 { "" } else { "s" },
            recorded.phone_decisions.len()
        ));
        Ok(workshop)
    }

    fn begin(
        config: WorkshopConfig,
        scenario: Scenario,
        room: SharedRoom,
        log: SessionLog,
        play: EveryonePlays,
    ) -> EveryoneWorkshop {
        let log_path = log.path().to_path_buf();
        let log = Arc::new(Mutex::new(log));
        lock(&room).start_everyone_plays(play, Some(log.clone()));
        EveryoneWorkshop { config, scenario, room, log, log_path, message: None }
    }

    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    pub fn progress(&self) -> Progress {
        lock(&self.room).progress().unwrap_or(Progress { joined: 0, started: 0, finished: 0 })
    }

    /// The round has been ended (now or before a resume).
    pub fn is_over(&self) -> bool {
        lock(&self.room).everyone().is_some_and(EveryonePlays::is_over)
    }

    /// The room's aggregate once the round has ended.
    pub fn aggregate(&self) -> Option<RoomAggregate> {
        lock(&self.room).everyone().and_then(|p| p.aggregate().cloned())
    }

    /// The facilitator ends the round (E): logged, then every phone sees its debrief. Ending
    /// it again changes nothing.
    pub fn end_round(&mut self) -> Option<RoomAggregate> {
        if let Some(done) = self.aggregate() {
            return Some(done);
        }
        let mut room = lock(&self.room);
        let joined = room.joined() as u32;
        let end = RoundEnd { joined, at: format_utc(SystemTime::now()) };
        if let Err(e) = lock_log(&self.log).append_round_end(&end) {
            self.message = Some(format!("Could not write the session log: {e}"));
        }
        room.end_round()
    }
}

fn lock_log(log: &SharedLog) -> std::sync::MutexGuard<'_, SessionLog> {
    log.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A phone's choice in "everyone plays", written to the session log before it returns: the
/// room decides it under its lock, and the log's lock is taken before the room's is let go, so
/// lines keep the order the choices were made in while other phones' polls go on during the
/// write. Returns the line and whether it is on disk.
pub fn record_choice(
    room: &SharedRoom,
    token: &str,
    letter: &str,
    number: Option<u32>,
    now: Instant,
) -> Result<(PhoneDecision, std::io::Result<()>), ChooseRefused> {
    let mut locked = lock(room);
    let line = locked.choose(token, letter, number, now, SystemTime::now())?;
    let Some(journal) = locked.journal() else {
        return Ok((line, Ok(())));
    };
    let mut log = lock_log(&journal);
    drop(locked);
    let written = log.append_phone(&line);
    Ok((line, written))
}
