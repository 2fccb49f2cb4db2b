//! The real window, end to end: the game runs under Xvfb with Mesa's software Vulkan, plays a
//! scenario through its `--autoplay` script, and saves screenshots of the play screen and the
//! debrief. `scripts/test.sh` installs Xvfb and Mesa; without them this test says so and stops.
#![cfg(feature = "game")]

mod common;

use std::path::Path;

/// Fraction of sampled pixels that differ from the first one: 0 for a blank image.
fn variety(path: &Path) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let bytes = &buffer[..info.buffer_size()];
    let channels = info.color_type.samples();
    let first = &bytes[..channels];
    let pixels: Vec<&[u8]> = bytes.chunks(channels).step_by(97).collect();
    let differing = pixels.iter().filter(|p| *p != &first).count();
    (info.width, info.height, differing as f64 / pixels.len() as f64)
}

#[test]
fn the_game_plays_to_the_debrief_in_a_real_window() {
    if common::display::skip_without(&["xvfb-run"]) {
        return;
    }
    let out = std::env::temp_dir().join(format!("leap-window-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let data = out.join("data");
    let shots = out.join("shots");
    let status = common::display::xvfb_run()
        .arg(env!("CARGO_BIN_EXE_leap"))
        .args([
            "--autoplay",
            "the-slipping-analyst",
            "--seed",
            "3",
            "--choices",
            "2,2,3,3,1,4,2,1,4",
            "--screenshot-dir",
        ])
        .arg(&shots)
        .arg("--scenarios")
        .arg(common::root().join("scenarios"))
        .env("LEAP_DATA_DIR", &data)
        .status()
        .unwrap();
    assert!(status.success(), "the game exited with {status}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shots.join("autoplay-summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenario"], "the-slipping-analyst");
    assert!(summary["ending"].is_string(), "no ending reached: {summary}");
    assert!(summary["decisions"].as_u64().unwrap() >= 5, "{summary}");
    for name in ["play", "consequence", "debrief"] {
        let path = shots.join(format!("{name}.png"));
        let (width, height, variety) = variety(&path);
        println!(
            "screenshot {}: {width}x{height}, {:.0}% of sampled pixels differ from the corner",
            path.display(),
            variety * 100.0
        );
        assert_eq!((width, height), (1280, 800));
        assert!(variety > 0.05, "{} looks blank", path.display());
    }
}
