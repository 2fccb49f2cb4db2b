//! The projector with phones, in a real window under Xvfb: `leap workshop SCENARIO --phones`
//! starts the room, F12 saves a screenshot, and the QR code drawn in the Bevy UI is decoded from
//! that screenshot into the join URL, which must be the one the server announced. The decoder
//! is zbar's `zbarimg` (Debian's zbar-tools): a QR crate as a dev-dependency (rqrr) changes the
//! features of crates Bevy shares and so rebuilds Bevy a second time for every test build.
//! Needs xvfb-run, xdotool and zbarimg (scripts/test.sh installs them); without them it says SKIPPED.
#![cfg(feature = "game")]

mod common;

use std::process::Command;

fn has(program: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_projector_shows_a_qr_code_of_the_join_url() {
    if !has("xvfb-run") || !has("xdotool") || !has("zbarimg") || !has("curl") {
        eprintln!("SKIPPED: xvfb-run, xdotool, zbarimg or curl is not installed (scripts/test.sh installs them)");
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
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script])
        .env("LEAP", env!("CARGO_BIN_EXE_leap"))
        .env("SCENARIOS", common::root().join("scenarios"))
        .env("OUT", &out)
        .env("LEAP_DATA_DIR", &data)
        .env("WGPU_BACKEND", "vulkan")
        .status()
        .unwrap();
    assert!(status.success());
    let log = std::fs::read_to_string(out.join("game.log")).unwrap_or_default();
    let announced = log
        .lines()
        .find_map(|l| l.split("phones: ").nth(1))
        .unwrap_or_else(|| panic!("the server never announced its address; the game printed:\n{log}"))
        .trim()
        .to_string();
    let mut shots: Vec<_> = std::fs::read_dir(data.join("screenshots"))
        .unwrap_or_else(|e| panic!("no screenshots folder ({e}); the game printed:\n{log}"))
        .map(|e| e.unwrap().path())
        .collect();
    shots.sort();
    assert_eq!(shots.len(), 2, "F12 saved the discussion and the vote: {shots:?}");
    let vote = std::fs::read_to_string(out.join("vote.json")).unwrap_or_default();
    assert!(vote.contains("\"your_vote\":\"B\""), "the phone's vote was taken: {vote}");
    std::fs::copy(&shots[1], out.join("projector-vote.png")).unwrap();
    let shot = &shots[0];
    let kept = out.join("projector.png");
    std::fs::copy(shot, &kept).unwrap();
    eprintln!("projector screenshot: {}", kept.display());
    let decoded =
        Command::new("zbarimg").args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"]).arg(shot).output().unwrap();
    let found = String::from_utf8_lossy(&decoded.stdout).into_owned();
    let codes: Vec<&str> = found.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(codes.len(), 1, "one QR code on the projector, found {codes:?}");
    let content = codes[0].to_string();
    assert_eq!(content, announced, "the QR code holds the join URL the server announced");
    assert!(content.starts_with("http://127.0.0.1:") && content.contains("/?room="), "{content}");
}

/// "Everyone plays" on the projector: the setup's Enter opens the round, and the QR code on
/// its join panel, decoded from a screenshot, is the join URL the server announced.
#[test]
fn the_everyone_plays_projector_shows_a_qr_code_of_the_join_url() {
    if !has("xvfb-run") || !has("xdotool") || !has("zbarimg") {
        eprintln!("SKIPPED: xvfb-run, xdotool or zbarimg is not installed (scripts/test.sh installs them)");
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
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script])
        .env("LEAP", env!("CARGO_BIN_EXE_leap"))
        .env("SCENARIOS", common::root().join("scenarios"))
        .env("OUT", &out)
        .env("LEAP_DATA_DIR", &data)
        .env("WGPU_BACKEND", "vulkan")
        .status()
        .unwrap();
    assert!(status.success());
    let log = std::fs::read_to_string(out.join("game.log")).unwrap_or_default();
    let announced = log
        .lines()
        .find_map(|l| l.split("everyone plays: ").nth(1))
        .unwrap_or_else(|| panic!("the round never announced its address; the game printed:\n{log}"))
        .trim()
        .to_string();
    let shot = std::fs::read_dir(data.join("screenshots"))
        .unwrap_or_else(|e| panic!("no screenshots folder ({e}); the game printed:\n{log}"))
        .map(|e| e.unwrap().path())
        .next()
        .expect("F12 saved the projector");
    let kept = out.join("projector-everyone.png");
    std::fs::copy(&shot, &kept).unwrap();
    eprintln!("projector screenshot: {}", kept.display());
    let decoded =
        Command::new("zbarimg").args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"]).arg(&shot).output().unwrap();
    let found = String::from_utf8_lossy(&decoded.stdout).into_owned();
    let codes: Vec<&str> = found.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(codes, [announced.as_str()], "the QR code holds the join URL the round announced");
}
