//! The projector with phones, in a real window under Xvfb: `leap workshop SCENARIO --phones`
//! starts the room, F12 saves a screenshot, and the QR code drawn in the Bevy UI is decoded from
//! that screenshot into the join URL, which must be the one the server announced. The decoder
//! is zbar's `zbarimg` (Debian's zbar-tools): a QR crate as a dev-dependency (rqrr) changes the
//! features of crates Bevy shares and so rebuilds Bevy a second time for every test build.
//! Needs xvfb-run, xdotool and zbarimg (scripts/test.sh installs them); without them it says SKIPPED.
#![cfg(feature = "game")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::display::{skip_without, xvfb_run};

/// Runs the shell `script` in a virtual display, with the game (`$LEAP`), the shipped
/// scenarios, the scratch folder (`$OUT`) and the data folder in its environment; what the
/// game printed (the script sends it to `$OUT/game.log`).
fn run_projector(script: &str, out: &Path, data: &Path) -> String {
    let status = xvfb_run()
        .args(["sh", "-c", script])
        .env("LEAP", env!("CARGO_BIN_EXE_leap"))
        .env("SCENARIOS", common::root().join("scenarios"))
        .env("OUT", out)
        .env("LEAP_DATA_DIR", data)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(out.join("game.log")).unwrap_or_default()
}

/// The address the game printed after `label`.
fn announced(log: &str, label: &str) -> String {
    log.lines()
        .find_map(|l| l.split(label).nth(1))
        .unwrap_or_else(|| panic!("the game never announced its address; it printed:\n{log}"))
        .trim()
        .to_string()
}

/// The screenshots F12 saved, oldest first.
fn screenshots(data: &Path, log: &str) -> Vec<PathBuf> {
    let mut shots: Vec<_> = std::fs::read_dir(data.join("screenshots"))
        .unwrap_or_else(|e| panic!("no screenshots folder ({e}); the game printed:\n{log}"))
        .map(|e| e.unwrap().path())
        .collect();
    shots.sort();
    shots
}

/// What each QR code in the picture holds, decoded by zbar.
fn qr_codes(picture: &Path) -> Vec<String> {
    let decoded =
        Command::new("zbarimg").args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"]).arg(picture).output().unwrap();
    String::from_utf8_lossy(&decoded.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

#[test]
fn the_projector_shows_a_qr_code_of_the_join_url() {
    if skip_without(&["xvfb-run", "xdotool", "zbarimg", "curl"]) {
        return;
    }
    let out = common::scratch_dir("phones-projector");
    let data = out.join("data");
    // Start the workshop with phones, press Enter on the setup (it starts the room), then F12.
    let script = r#"
        "$LEAP" --scenarios "$SCENARIOS" workshop the-slipping-analyst --phones --bind 127.0.0.1:0 --seed 3 > "$OUT/game.log" 2>&1 &
        game=$!
        window=$(timeout 60 xdotool search --sync --name "The Leap" | head -1)
        sleep 6
        xdotool windowfocus --sync "$window" key Return
        sleep 4
        shot() {
            xdotool windowfocus --sync "$window" key F12
            # The game draws only on input or change; a few mouse moves give the screenshot its frames.
            for i in 1 2 3 4 5 6 7 8; do sleep 0.5; xdotool mousemove $((100 + i)) 100; done
        }
        shot
        # Then a phone votes B with the vote open, for the second screenshot (the live bars).
        url=$(grep -o 'phones: http://[^ ]*' "$OUT/game.log" | head -1 | cut -c9-)
        base=${url%%\?*}; code=${url##*room=}
        xdotool windowfocus --sync "$window" key v
        for i in 1 2 3 4; do sleep 0.5; xdotool mousemove $((300 + i)) 300; done
        token=$(curl -s -X POST -d "{\"room\":\"$code\"}" "${base}api/join" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
        curl -s -X POST -d "{\"room\":\"$code\",\"token\":\"$token\",\"option\":\"B\"}" "${base}api/vote" > "$OUT/vote.json"
        sleep 1
        xdotool windowfocus --sync "$window" key a
        sleep 1
        shot
        sleep 1
        kill $game
        wait $game
        true
    "#;
    let log = run_projector(script, &out, &data);
    let announced = announced(&log, "phones: ");
    let shots = screenshots(&data, &log);
    assert_eq!(shots.len(), 2, "F12 saved the discussion and the vote: {shots:?}");
    let vote = std::fs::read_to_string(out.join("vote.json")).unwrap_or_default();
    assert!(vote.contains("\"your_vote\":\"B\""), "the phone's vote was taken: {vote}");
    std::fs::copy(&shots[1], out.join("projector-vote.png")).unwrap();
    let shot = &shots[0];
    let kept = out.join("projector.png");
    std::fs::copy(shot, &kept).unwrap();
    eprintln!("projector screenshot: {}", kept.display());
    let codes = qr_codes(shot);
    assert_eq!(codes.len(), 1, "one QR code on the projector, found {codes:?}");
    let content = codes[0].to_string();
    assert_eq!(content, announced, "the QR code holds the join URL the server announced");
    assert!(content.starts_with("http://127.0.0.1:") && content.contains("/?room="), "{content}");
}

/// "Everyone plays" on the projector: the setup's Enter opens the round, and the QR code on
/// its join panel, decoded from a screenshot, is the join URL the server announced.
#[test]
fn the_everyone_plays_projector_shows_a_qr_code_of_the_join_url() {
    if skip_without(&["xvfb-run", "xdotool", "zbarimg"]) {
        return;
    }
    let out = common::scratch_dir("phones-projector-everyone");
    let data = out.join("data");
    let script = r#"
        "$LEAP" --scenarios "$SCENARIOS" workshop the-slipping-analyst --phones --everyone-plays --bind 127.0.0.1:0 > "$OUT/game.log" 2>&1 &
        game=$!
        window=$(timeout 60 xdotool search --sync --name "The Leap" | head -1)
        sleep 6
        xdotool windowfocus --sync "$window" key Return
        sleep 4
        xdotool windowfocus --sync "$window" key F12
        for i in 1 2 3 4 5 6 7 8; do sleep 0.5; xdotool mousemove $((100 + i)) 100; done
        sleep 1
        kill $game
        wait $game
        true
    "#;
    let log = run_projector(script, &out, &data);
    let announced = announced(&log, "everyone plays: ");
    let shot = screenshots(&data, &log).into_iter().next().expect("F12 saved the projector");
    let kept = out.join("projector-everyone.png");
    std::fs::copy(&shot, &kept).unwrap();
    eprintln!("projector screenshot: {}", kept.display());
    assert_eq!(qr_codes(&shot), [announced], "the QR code holds the join URL the round announced");
}
