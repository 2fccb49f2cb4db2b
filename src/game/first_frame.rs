//! `LEAP_EXIT_AFTER_FIRST_FRAME=1` (for `scripts/bench-app.sh`): once the first frame with
//! laid-out text has been presented, prints when (Unix time, so the script can subtract its
//! launch time) and the peak memory so far, and exits. `examples/baseline.rs` includes this
//! very file, so the game and the bare app are measured by the same probe.

use bevy::prelude::*;
use bevy::window::RequestRedraw;

pub(super) fn plugin(app: &mut App) {
    if std::env::var_os("LEAP_EXIT_AFTER_FIRST_FRAME").is_some() {
        app.add_systems(First, exit_after_first_frame);
    }
}

/// Layout is read in `First`, so text seen there was extracted at the end of the previous
/// update; with pipelined rendering that frame is on screen by the next update.
fn exit_after_first_frame(
    mut seen_at: Local<Option<u32>>,
    mut updates: Local<u32>,
    texts: Query<&ComputedNode, With<Text>>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut exit: MessageWriter<AppExit>,
) {
    *updates += 1;
    // The desktop update mode waits for input; keep frames coming until the measurement is done.
    redraw.write(RequestRedraw);
    match *seen_at {
        None if texts.iter().any(|node| node.size().x > 0.0) => *seen_at = Some(*updates),
        Some(seen) if *updates > seen => {
            let unix_us =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros());
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).map_or("unknown", str::trim);
            println!("first-frame unix_us={unix_us} peak_rss={}", peak.replace(' ', ""));
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}
