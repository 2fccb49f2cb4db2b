//! Live reload that is live: the window sleeps between input events, so a saved scenario
//! file must wake it. The scenarios folder's watcher forwards each file event to the asset
//! server and wakes the event loop; frames then keep coming until the edit has loaded and
//! the screen shows it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bevy::asset::io::file::FileWatcher;
use bevy::asset::io::{AssetSourceEvent, AssetWatcher};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

/// How long the watcher waits for more events on a file (an editor's write, rename, chmod).
const SETTLE: Duration = Duration::from_millis(25);
/// Frames keep coming this long after a file event, so its load finishes on screen.
const KEEP_AWAKE_MS: u64 = 1000;

type Wake = Box<dyn Fn() + Send + Sync>;

/// Rung by the watcher's thread on every file event: when it rang, and how to wake the loop.
#[derive(Resource, Clone, Default)]
pub struct EditAlarm {
    last_event_ms: Arc<AtomicU64>,
    wake: Arc<OnceLock<Wake>>,
}

impl EditAlarm {
    fn ring(&self) {
        self.last_event_ms.store(now_ms(), Ordering::Relaxed);
        if let Some(wake) = self.wake.get() {
            wake();
        }
    }

    fn rang_within(&self, ms: u64) -> bool {
        let last = self.last_event_ms.load(Ordering::Relaxed);
        last != 0 && now_ms().saturating_sub(last) < ms
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The watcher for the scenarios folder: Bevy's file watcher with a short settle time, its
/// events passed on to the asset server by a thread that rings the alarm for each.
pub fn waking_watcher(
    dir: PathBuf,
    alarm: EditAlarm,
) -> impl FnMut(async_channel::Sender<AssetSourceEvent>) -> Option<Box<dyn AssetWatcher>> + Send + Sync {
    move |to_server: async_channel::Sender<AssetSourceEvent>| {
        let (to_forwarder, from_watcher) = async_channel::unbounded::<AssetSourceEvent>();
        let alarm = alarm.clone();
        let forwarded = std::thread::Builder::new().name("scenario-watcher".into()).spawn(move || {
            while let Ok(event) = from_watcher.recv_blocking() {
                if to_server.send_blocking(event).is_err() {
                    break;
                }
                alarm.ring();
            }
        });
        if let Err(e) = forwarded {
            warn!("live reload is off: cannot start the watcher thread: {e}");
            return None;
        }
        match FileWatcher::new(dir.clone(), to_forwarder, SETTLE) {
            Ok(watcher) => Some(Box::new(watcher) as Box<dyn AssetWatcher>),
            Err(e) => {
                warn!("live reload is off: cannot watch {}: {e}", dir.display());
                None
            }
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, connect_alarm).add_systems(Last, stay_awake_after_edits);
}

/// Gives the alarm the event loop to wake (it exists once the window plugin is built).
fn connect_alarm(alarm: Option<Res<EditAlarm>>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (Some(alarm), Some(proxy)) = (alarm, proxy) else { return };
    let proxy = Mutex::new((**proxy).clone());
    let _ = alarm.wake.set(Box::new(move || {
        if let Ok(proxy) = proxy.lock() {
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    }));
}

fn stay_awake_after_edits(alarm: Option<Res<EditAlarm>>, mut redraw: MessageWriter<RequestRedraw>) {
    if alarm.is_some_and(|a| a.rang_within(KEEP_AWAKE_MS)) {
        redraw.write(RequestRedraw);
    }
}
