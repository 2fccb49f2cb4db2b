//! Learning records to the organisation's LRS from the game. The LRS is set on the settings
//! screen (address, user, password, the learner of solo runs, the ids' home), or for a
//! facilitator's machine by `LEAP_LRS_URL`, `LEAP_LRS_USER`, `LEAP_LRS_PASSWORD`,
//! `LEAP_LEARNER_NAME` / `LEAP_LEARNER_EMAIL` and `LEAP_XAPI_HOME`, each of which wins over its
//! setting when set. When a debrief opens, the session's statements are sent in the
//! background; statements still waiting from earlier sessions are sent again when the game
//! starts. Sending and testing the connection never block a frame; the status ("sent",
//! "3 waiting: ...") is shown with the exports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::prelude::*;

use crate::export::lrs::{LrsConfig, pending_queues, retry, send_session};
use crate::export::lrs_setup::{LrsSetup, check_connection, check_failure, lrs_setup};
use crate::export::xapi::{XapiOptions, statements_with};
use crate::game::intent::Intent;
use crate::game::library::{Entry, Library};
use crate::game::run::SoloLog;
use crate::game::save::DataDir;
use crate::game::screen::Screen;
use crate::game::settings::Settings;
use crate::game::workshop::Workshop;
use crate::record::read_log;
use crate::record::settings::{LrsField, LrsSettings};
use crate::scenario::Scenario;

/// The LRS, when one is set, and the status of each session log sent to it.
#[derive(Resource, Clone, Default)]
pub struct LrsLink {
    pub config: Option<LrsConfig>,
    pub options: XapiOptions,
    /// The settings that an environment variable overrides (the screen says so).
    pub from_env: Vec<LrsField>,
    statuses: Arc<Mutex<BTreeMap<PathBuf, String>>>,
    /// What the last "test the connection" found, or that it is under way.
    check: Arc<Mutex<Option<String>>>,
}

impl LrsLink {
    /// From the settings, with each environment variable that is set winning over its setting.
    pub fn from_settings(settings: &LrsSettings) -> LrsLink {
        let mut link = LrsLink::default();
        link.follow(settings);
        link
    }

    fn follow(&mut self, settings: &LrsSettings) {
        let LrsSetup { config, options, from_env } = lrs_setup(settings, |name| std::env::var(name).ok());
        (self.config, self.options, self.from_env) = (config, options, from_env);
    }

    /// Asks the LRS, in the background, whether it answers with the credentials.
    pub fn test_connection(&self) {
        let Some(config) = self.config.clone() else {
            return self.set_check("No LRS address is set: type one above first.".into());
        };
        self.set_check(format!("Testing the connection to {}…", config.endpoint));
        let link = self.clone();
        std::thread::spawn(move || {
            let found = match check_connection(&config) {
                Ok(answer) => format!("Connection test: {answer}."),
                Err(e) => format!("Connection test failed: {}", check_failure(&e)),
            };
            link.set_check(found);
        });
    }

    /// The last connection test's outcome, if one was asked for.
    pub fn check_line(&self) -> Option<String> {
        self.check.lock().ok()?.clone()
    }

    fn set_check(&self, line: String) {
        if let Ok(mut check) = self.check.lock() {
            *check = Some(line);
        }
    }

    /// Sends the statements of the session log at `log` in the background; nothing without an LRS.
    pub fn send(&self, log: &Path, scenarios: &[&Scenario]) {
        let Some(config) = self.config.clone() else { return };
        let statements = match read_log(log) {
            Ok(recorded) => statements_with(&recorded, scenarios, &self.options),
            Err(e) => return self.set(log, format!("not sent: {e}")),
        };
        self.set(log, format!("sending {} statements…", statements.len()));
        let (link, log) = (self.clone(), log.to_path_buf());
        std::thread::spawn(move || {
            let status = match send_session(&log, statements, &config, |_| {}) {
                Ok(report) => report.status,
                Err(e) => {
                    let (queue, _) = crate::export::lrs::read_queue(&crate::export::lrs::queue_path(&log));
                    format!("{} waiting: {e}", queue.waiting.len())
                }
            };
            link.set(&log, status);
        });
    }

    /// "LRS: sent (17 statements)", or None when no LRS is set or nothing was sent yet.
    pub fn status_line(&self, log: &Path) -> Option<String> {
        self.config.as_ref()?;
        let statuses = self.statuses.lock().ok()?;
        statuses.get(log).map(|s| format!("Learning records (LRS): {s}"))
    }

    fn set(&self, log: &Path, status: String) {
        if let Ok(mut statuses) = self.statuses.lock() {
            statuses.insert(log.to_path_buf(), status);
        }
    }
}

/// A text that shows the LRS status of a session log, kept up to date.
#[derive(Component, Debug, Clone)]
pub struct LrsStatusText(pub PathBuf);

/// A text that shows the last connection test, kept up to date.
#[derive(Component, Debug, Clone, Copy)]
pub struct LrsCheckText;

pub(super) fn plugin(app: &mut App) {
    let settings = app.world().get_resource::<Settings>().map(|s| s.lrs.clone()).unwrap_or_default();
    app.insert_resource(LrsLink::from_settings(&settings))
        .add_systems(Startup, retry_waiting)
        .add_systems(OnEnter(Screen::Debrief), send_solo)
        .add_systems(OnEnter(Screen::WorkshopDebrief), send_workshop)
        .add_systems(Update, follow_settings.run_if(resource_changed::<Settings>))
        .add_systems(Update, (test_connection, show_status, show_check));
}

fn follow_settings(settings: Res<Settings>, mut link: ResMut<LrsLink>) {
    if !settings.is_added() {
        link.follow(&settings.lrs);
    }
}

fn test_connection(mut intents: MessageReader<Intent>, link: Res<LrsLink>) {
    for intent in intents.read() {
        if *intent == Intent::TestLrsConnection {
            link.test_connection();
        }
    }
}

fn show_check(link: Res<LrsLink>, mut texts: Query<&mut Text, With<LrsCheckText>>) {
    let Some(line) = link.check_line() else { return };
    for mut text in &mut texts {
        if text.0 != line {
            text.0 = line.clone();
        }
    }
}

fn playable(library: &Library) -> Vec<&Scenario> {
    library
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            Entry::Playable(s) => Some(s),
            Entry::Broken { .. } => None,
        })
        .collect()
}

fn send_solo(link: Res<LrsLink>, solo: Option<Res<SoloLog>>, library: Res<Library>) {
    if let Some(solo) = solo.filter(|s| s.exports.is_some()) {
        link.send(&solo.path, &playable(&library));
    }
}

fn send_workshop(link: Res<LrsLink>, workshop: Option<Res<Workshop>>, library: Res<Library>) {
    if let Some(w) = workshop {
        link.send(&w.log_path, &playable(&library));
    }
}

/// Statements left waiting by earlier sessions go now, in the background.
fn retry_waiting(link: Res<LrsLink>, dir: Option<Res<DataDir>>) {
    let (Some(config), Some(dir)) = (link.config.clone(), dir) else { return };
    let sessions = dir.0.join("sessions");
    std::thread::spawn(move || {
        for queue in pending_queues(&sessions) {
            match retry(&queue, &config) {
                Ok(report) => info!("LRS: {}: {}", queue.display(), report.status),
                Err(e) => warn!("LRS: {}: {e}", queue.display()),
            }
        }
    });
}

fn show_status(link: Res<LrsLink>, mut texts: Query<(&LrsStatusText, &mut Text)>) {
    for (status, mut text) in &mut texts {
        if let Some(line) = link.status_line(&status.0)
            && text.0 != line
        {
            text.0 = line;
        }
    }
}
