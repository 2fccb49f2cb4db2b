//! Learning records to the organisation's LRS from the game. The LRS is set, for a
//! facilitator's machine, by `LEAP_LRS_URL`, `LEAP_LRS_USER` and `LEAP_LRS_PASSWORD` (and the
//! learner by `LEAP_LEARNER_NAME` / `LEAP_LEARNER_EMAIL`, ids' home by `LEAP_XAPI_HOME`). When
//! a debrief opens, the session's statements are sent in the background; statements still
//! waiting from earlier sessions are sent again when the game starts. Sending never blocks a
//! frame, and its status ("sent", "3 waiting: ...") is shown with the exports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::prelude::*;

use crate::export::lrs::{LrsConfig, pending_queues, retry, send_session};
use crate::export::xapi::{SITE, XapiOptions, statements_with};
use crate::game::library::{Entry, Library};
use crate::game::run::SoloLog;
use crate::game::save::DataDir;
use crate::game::screen::Screen;
use crate::game::workshop::Workshop;
use crate::record::read_log;
use crate::scenario::Scenario;

/// The LRS, when one is set, and the status of each session log sent to it.
#[derive(Resource, Clone, Default)]
pub struct LrsLink {
    pub config: Option<LrsConfig>,
    pub options: XapiOptions,
    statuses: Arc<Mutex<BTreeMap<PathBuf, String>>>,
}

impl LrsLink {
    pub fn from_env() -> LrsLink {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        LrsLink {
            config: LrsConfig::from_env(),
            options: XapiOptions {
                home: var("LEAP_XAPI_HOME").map_or(SITE.to_string(), |h| h.trim_end_matches('/').to_string()),
                learner_name: var("LEAP_LEARNER_NAME"),
                learner_email: var("LEAP_LEARNER_EMAIL"),
            },
            statuses: Arc::default(),
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

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(LrsLink::from_env())
        .add_systems(Startup, retry_waiting)
        .add_systems(OnEnter(Screen::Debrief), send_solo)
        .add_systems(OnEnter(Screen::WorkshopDebrief), send_workshop)
        .add_systems(Update, show_status);
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
