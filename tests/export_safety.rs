//! Exports that nothing can spoil: written atomically, never through a planted link, never over
//! another session's files, named safely, with spreadsheet formulas defused, and with the
//! texts the player saw even after the scenario file changes (issue 17, items 3, 6, 10, 11, 15).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use leap::engine::Session;
use leap::engine::votes::VoteTally;
use leap::export::{ExportFormat, file_name, to_csv, write_export};
use leap::record::{LogHeader, Mode, RecordedSession, RoomCall, SessionLog, read_log};
use leap::scenario::Scenario;

fn small() -> Scenario {
    common::load_scenario(&common::fixture("valid/small.ron"))
}

fn at(seconds: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + seconds)
}

/// A workshop of `small` named `name` started at `start`, the room overriding its majority
/// at the first decision with `reason`; the path the workshop takes (`SessionLog::record`).
fn record(dir: &Path, name: &str, start: u64, reason: &str) -> (PathBuf, RecordedSession) {
    let scenario = small();
    let path = leap::record::new_log_path(dir, name, at(start));
    let header = LogHeader::for_run(name, Mode::Workshop, 3, &scenario, None, at(start));
    let mut log = SessionLog::create(&path, header).unwrap();
    let mut session = Session::new(&scenario, 3);
    for (n, choice) in ["own", "do-it"].into_iter().enumerate() {
        let options: Vec<String> = session.visible_choices(&scenario).iter().map(|v| v.choice.id.clone()).collect();
        let mut tally = VoteTally::new(options.len());
        tally.set(1 - options.iter().position(|o| o == choice).unwrap(), 5);
        let picked = options.iter().position(|o| o == choice).unwrap();
        let room = tally.decide(picked, Some(reason.to_string())).unwrap();
        session.choose(&scenario, choice).unwrap();
        let call = RoomCall { tally: &tally, decision: &room };
        let (_, written) = log.record(&scenario, &session, n as u32 + 1, options, Some(call), at(start + 60)).unwrap();
        written.unwrap();
    }
    drop(log);
    let recorded = read_log(&path).unwrap();
    (path, recorded)
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_prefixed() {
    let dir = common::scratch_dir("export-injection");
    let (_, recorded) = record(&dir, "=cmd|' /C calc'!A0", 0, "=HYPERLINK(\"http://evil.example\",\"x\")");
    let text = to_csv(&recorded, &[]).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for row in reader.records().map(Result::unwrap) {
        assert_eq!(&row[column("session")], "'=cmd|' /C calc'!A0");
        assert_eq!(&row[column("override_reason")], "'=HYPERLINK(\"http://evil.example\",\"x\")");
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "a cell a spreadsheet would run: {cell}");
        }
    }
    for reason in ["+1", "-1+2", "@SUM(A1)"] {
        let (_, recorded) = record(&dir, "plain", 0, reason);
        let text = to_csv(&recorded, &[]).unwrap();
        assert!(text.contains(&format!("'{reason}")), "{reason} was not defused:\n{text}");
    }
}

#[test]
fn two_sessions_of_one_name_or_one_scenario_never_share_an_export() {
    let dir = common::scratch_dir("export-unique");
    // Same name, same scenario, same second: the second must not replace the first's files.
    let (_, first) = record(&dir, "Solo", 0, "a");
    let (_, second) = record(&dir, "Solo", 0, "b");
    let (_, later) = record(&dir, "Solo", 86_400, "c");
    let out = dir.join("exports");
    for format in ExportFormat::ALL {
        let names = [&first, &second, &later].map(|r| file_name(r, format));
        assert!(names[0] != names[1] && names[1] != names[2] && names[0] != names[2], "{names:?}");
        assert!(names[0].contains("Solo") && names[0].contains("small") && names[0].contains("20270115T"), "{names:?}");
        let paths = [&first, &second].map(|r| write_export(r, &[], format, &out).unwrap());
        assert_ne!(paths[0], paths[1]);
        assert!(paths.iter().all(|p| p.exists()), "an export was replaced: {paths:?}");
    }
}

#[test]
fn export_names_are_short_enough_and_show_what_they_are() {
    let dir = common::scratch_dir("export-names");
    let long = "Leadership cohort ".repeat(30);
    let (_, recorded_long) = record(&dir, &long, 0, "x");
    let (_, recorded_rtl) = record(&dir, "report\u{202E}txt.exe", 0, "x");
    let out = dir.join("exports");
    for format in ExportFormat::ALL {
        let name = file_name(&recorded_long, format);
        assert!(name.len() <= 255, "{} bytes: {name}", name.len());
        let written = write_export(&recorded_long, &[], format, &out).unwrap();
        assert!(written.exists());
        let name = file_name(&recorded_rtl, format);
        assert!(!name.contains('\u{202E}'), "a right-to-left override is kept: {name:?}");
        assert!(name.starts_with("reporttxt.exe - small"), "{name}");
    }
}

/// The inode of the file at `path`: a new one means the file was replaced, not rewritten.
#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[cfg(unix)]
#[test]
fn a_re_export_replaces_the_file_whole_and_never_writes_through_a_link() {
    let dir = common::scratch_dir("export-atomic");
    let (_, recorded) = record(&dir, "Cohort", 0, "x");
    let out = dir.join("exports");
    let path = write_export(&recorded, &[], ExportFormat::Json, &out).unwrap();
    // A hard link keeps the earlier export's bytes: a writer that truncates and rewrites in
    // place (what a full disk turns into a broken file) changes them; a rename cannot.
    let keep = dir.join("earlier.json");
    std::fs::hard_link(&path, &keep).unwrap();
    let before = (inode(&path), std::fs::read(&keep).unwrap());
    std::fs::write(&keep, b"{\"earlier\": true}\n").unwrap();
    write_export(&recorded, &[], ExportFormat::Json, &out).unwrap();
    assert_ne!(inode(&path), before.0, "the export was rewritten in place, not replaced");
    assert_eq!(std::fs::read(&keep).unwrap(), b"{\"earlier\": true}\n", "the old file was written into");
    assert_eq!(std::fs::read(&path).unwrap(), before.1, "the new export is whole");

    // A link planted at the export's name: the export replaces the link, the target is untouched.
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    let csv = out.join(file_name(&recorded, ExportFormat::Csv));
    std::os::unix::fs::symlink(&victim, &csv).unwrap();
    write_export(&recorded, &[], ExportFormat::Csv, &out).unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious", "the export wrote through a link");
    assert!(!std::fs::symlink_metadata(&csv).unwrap().file_type().is_symlink());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn saves_progress_and_settings_never_write_through_a_link_at_their_temporary_name() {
    let dir = common::scratch_dir("store-links");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    for name in ["save.json", "progress.json", "settings.json"] {
        std::os::unix::fs::symlink(&victim, dir.join(format!("{name}.tmp"))).unwrap();
        let path = dir.join(name);
        leap::record::store::write_atomic(&path, &serde_json::json!({ "written": name })).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious", "{name}: written through the planted link");
        let back: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back["written"], name);
    }
}

#[test]
fn an_export_keeps_the_texts_the_player_saw_after_the_scenario_changes() {
    let dir = common::scratch_dir("export-changed");
    let (log, recorded) = record(&dir, "Cohort", 0, "x");
    let original = std::fs::read_to_string(common::fixture("valid/small.ron")).unwrap();
    let edited = original.replace("\"first\"", "\"opening\"").replace("Sam is late again.", "Sam is early.");
    let scenario = common::scenario_from(&edited);
    let scenarios = [&scenario];

    let text = to_csv(&recorded, &scenarios).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(&first[column("beat")], "first");
    assert_eq!(&first[column("beat_text")], "Sam is late again.", "the export used today's file");
    assert_eq!(&first[column("chosen_text")], "Own it.");
    assert_eq!(&first[column("scenario_title")], "A Small Test");

    let warnings = leap::export::changed_since_recorded(&recorded, &scenarios);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("`small` has changed") && warnings[0].contains("`first`"), "{warnings:?}");
    assert!(leap::export::changed_since_recorded(&recorded, &[&small()]).is_empty());

    // The command says so too.
    let scenarios_dir = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios_dir).unwrap();
    std::fs::write(scenarios_dir.join("small.ron"), &edited).unwrap();
    let (code, output) = common::run_leap(
        &["--scenarios", scenarios_dir.to_str().unwrap(), "export", log.to_str().unwrap(), "--format", "csv"],
        "",
    );
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("warning: the scenario `small` has changed"), "{output}");
}
