//! The projector with phones, in a real window under Xvfb: `leap workshop SCENARIO --phones`
//! starts the room, F12 saves a screenshot, and the QR code drawn in the Bevy UI is decoded from
//! that screenshot (rqrr) into the join URL, which must be the one the server announced.
//! Needs xvfb-run and xdotool (scripts/test.sh installs them); without them it says SKIPPED.
#![cfg(feature = "game")]

mod common;

use std::path::Path;
use std::process::Command;

fn has(program: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().is_ok_and(|o| o.status.success())
}

/// The screenshot as grey levels.
fn grey(path: &Path) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let pixels = buffer[..info.buffer_size()]
        .chunks(channels)
        .map(|p| if channels >= 3 { ((p[0] as u32 * 30 + p[1] as u32 * 59 + p[2] as u32 * 11) / 100) as u8 } else { p[0] })
        .collect();
    (info.width as usize, info.height as usize, pixels)
}

#[test]
fn the_projector_shows_a_qr_code_of_the_join_url() {
    if !has("xvfb-run") || !has("xdotool") {
        eprintln!("SKIPPED: xvfb-run or xdotool is not installed (scripts/test.sh installs them)");
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
        xdotool key F12
        sleep 4
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
    let shots: Vec<_> = std::fs::read_dir(data.join("screenshots"))
        .unwrap_or_else(|e| panic!("no screenshots folder ({e}); the game printed:\n{log}"))
        .map(|e| e.unwrap().path())
        .collect();
    let shot = shots.first().expect("F12 saved a screenshot");
    let kept = out.join("projector.png");
    std::fs::copy(shot, &kept).unwrap();
    eprintln!("projector screenshot: {}", kept.display());
    let (width, height, pixels) = grey(shot);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the projector ({} found)", grids.len());
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    assert_eq!(content, announced, "the QR code holds the join URL the server announced");
    assert!(content.starts_with("http://127.0.0.1:") && content.contains("/?room="), "{content}");
}
