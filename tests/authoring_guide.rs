//! docs/authoring.md and docs/template.ron: the template checks clean, the quick start works
//! as written, and the guide keeps up with the format, the lessons, the limits and every
//! diagnostic code the checker can emit.

mod common;

use std::path::Path;

use leap::scenario::fields::struct_fields;
use leap::scenario::lessons::LESSONS;
use leap::scenario::{
    Beat, Campaign, CastMember, Choice, Corpus, Effects, Ending, Later, Outcome, ReviewOutcome, Scenario, StartMeters,
};

fn guide() -> String {
    std::fs::read_to_string(common::root().join("docs/authoring.md")).unwrap()
}

use common::run_leap as leap;

#[test]
fn the_template_checks_with_no_errors_and_no_warnings() {
    let template = common::root().join("docs/template.ron");
    let (code, out) = leap(&["check", template.to_str().unwrap()], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("checked 1 file: 0 errors, 0 warnings"), "{out}");
    // It is not shipped: nothing in scenarios/ is the template.
    let template_id = common::load_scenario(&template).id;
    assert!(common::shipped().scenario(&template_id).is_none());
}

#[test]
fn the_template_uses_every_feature_the_guide_describes() {
    let text = std::fs::read_to_string(common::root().join("docs/template.ron")).unwrap();
    for feature in
        ["speaker:", "discuss:", "sets:", "requires:", "locked: Hide", "locked: Show(", "later:", "outcomes:", "when:"]
    {
        assert!(text.contains(feature), "the template does not show `{feature}`");
    }
}

#[test]
fn the_quick_start_works_from_a_clean_folder() {
    // Section 1, step by step, in a fresh scenarios folder.
    let dir = std::env::temp_dir().join(format!("leap-guide-{}", std::process::id()));
    let scenarios = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    let copy = std::fs::read_to_string(common::root().join("docs/template.ron"))
        .unwrap()
        .replace("id: \"the-first-hire\"", "id: \"my-first-scenario\"");
    let file = scenarios.join("my-first-scenario.ron");
    std::fs::write(&file, copy).unwrap();
    let folder = scenarios.to_str().unwrap();

    let (code, out) = leap(&["check", file.to_str().unwrap()], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");

    let (code, out) =
        leap(&["--scenarios", folder, "play", "--text", "my-first-scenario", "--seed", "42"], "1\n1\n1\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("=== Ending:"), "{out}");

    let (code, out) = leap(&["--scenarios", folder, "simulate", "my-first-scenario", "--runs", "1000"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1000 runs, policy random"), "{out}");

    let (code, out) = leap(&["--scenarios", folder, "graph", "my-first-scenario"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("flowchart TD"), "{out}");

    let (code, out) = leap(&["--scenarios", folder, "explore", "my-first-scenario"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("explored all"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_guide_names_every_field_of_the_format() {
    let guide = guide();
    let lists = [
        ("Scenario", struct_fields::<Scenario>()),
        ("StartMeters", struct_fields::<StartMeters>()),
        ("CastMember", struct_fields::<CastMember>()),
        ("Beat", struct_fields::<Beat>()),
        ("Choice", struct_fields::<Choice>()),
        ("Effects", struct_fields::<Effects>()),
        ("Later", struct_fields::<Later>()),
        ("Outcome", struct_fields::<Outcome>()),
        ("Ending", struct_fields::<Ending>()),
        ("Campaign", struct_fields::<Campaign>()),
        ("ReviewOutcome", struct_fields::<ReviewOutcome>()),
    ];
    for (what, fields) in lists {
        assert!(!fields.is_empty(), "no fields read for {what}");
        for field in fields {
            assert!(guide.contains(&format!("`{field}`")), "docs/authoring.md does not describe {what}.{field}");
        }
    }
}

#[test]
fn the_guide_lists_every_lesson_with_its_name() {
    let guide = guide();
    for lesson in LESSONS {
        assert!(
            guide.contains(&format!("| {} | {} |", lesson.id, lesson.name)),
            "docs/authoring.md does not list {} {}",
            lesson.id,
            lesson.name
        );
    }
}

#[test]
fn the_guide_states_the_current_limits() {
    use leap::scenario::limits::{MAX_BEATS, MAX_CHOICES, MAX_EFFECT, MAX_ID_CHARS, MAX_TEXT_CHARS};
    use leap::scenario::load::{MAX_DEPTH, MAX_FILE_BYTES};
    use leap::tools::tradeoffs::{BIAS_MIN_BEATS, BIAS_MIN_CHOICES, BIAS_SHARE, RARE_RUNS, RARE_SHARE};
    let guide = guide();
    let limits = guide.split("## 10. Limits").nth(1).unwrap().split("## 11.").next().unwrap();
    for (name, value) in [
        ("MAX_BEATS", MAX_BEATS.to_string()),
        ("MAX_CHOICES", MAX_CHOICES.to_string()),
        ("MAX_EFFECT", MAX_EFFECT.to_string()),
        ("MAX_ID_CHARS", format!("{MAX_ID_CHARS} characters")),
        ("MAX_TEXT_CHARS", format!("{MAX_TEXT_CHARS} characters")),
        ("MAX_DEPTH", format!("{MAX_DEPTH} levels")),
        ("MAX_FILE_BYTES", format!("{} bytes", group_thousands(MAX_FILE_BYTES))),
        ("LESSONS", format!("at most {}", LESSONS.len())),
    ] {
        assert!(limits.contains(&value), "the Limits section does not say {value} ({name})");
    }
    let warnings = guide.split("### Trade-offs and bias").nth(1).unwrap();
    for (name, value) in [
        ("BIAS_MIN_CHOICES", format!("{BIAS_MIN_CHOICES} or more choices")),
        ("BIAS_MIN_BEATS", format!("at least {BIAS_MIN_BEATS} such beats")),
        ("BIAS_SHARE", format!("at least {}%", (BIAS_SHARE * 100.0).round())),
        ("RARE_RUNS", format!("{RARE_RUNS} random runs")),
        ("RARE_SHARE", format!("fewer than {}% of runs", (RARE_SHARE * 100.0).round())),
    ] {
        assert!(warnings.contains(&value), "the warnings section does not say {value:?} ({name})");
    }
}

fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The diagnostic codes written in the checker's source: every string literal of lowercase
/// words joined by `-`, plus the one-word codes, outside the unit tests.
fn codes_in_source() -> Vec<String> {
    let mut codes = Vec::new();
    for file in [
        "scenario/check.rs",
        "tools/tradeoffs.rs",
        "scenario/load.rs",
        "scenario/corpus.rs",
        "scenario/diagnostic.rs",
        "scenario/tree.rs",
        "scenario/lenient.rs",
    ] {
        let source = std::fs::read_to_string(common::root().join("src").join(file)).unwrap();
        let source = source.split("#[cfg(test)]").next().unwrap();
        for literal in source.split('"').skip(1).step_by(2) {
            let is_code = literal.contains('-')
                && literal
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
            if is_code && !codes.contains(&literal.to_string()) {
                codes.push(literal.to_string());
            }
        }
        for one_word in ["syntax", "unreachable", "unreadable", "unclosed"] {
            if source.contains(&format!("\"{one_word}\"")) && !codes.contains(&one_word.to_string()) {
                codes.push(one_word.to_string());
            }
        }
    }
    codes
}

#[test]
fn the_guide_explains_every_diagnostic_code() {
    let codes = codes_in_source();
    assert!(codes.len() >= 35, "found only {} codes: {codes:?}", codes.len());
    let guide = guide();
    let section = guide.split("## 11. Common errors and warnings").nth(1).unwrap();
    let missing: Vec<&String> = codes.iter().filter(|c| !section.contains(&format!("| `{c}` |"))).collect();
    assert!(missing.is_empty(), "docs/authoring.md does not explain {missing:?}");
}

#[test]
fn the_guide_links_to_files_that_exist() {
    let guide = guide();
    assert!(guide.contains("[`docs/template.ron`](template.ron)"));
    assert!(Path::new(&common::root().join("docs/template.ron")).is_file());
    // The example campaign in the guide parses, apart from naming scenarios it cannot see.
    let start = guide.find("```ron\nCampaign(").unwrap() + "```ron\n".len();
    let end = guide[start..].find("```").unwrap() + start;
    let corpus = Corpus::from_sources([("campaign.ron", &guide[start..end])]);
    let codes: Vec<&str> = corpus.diagnostics().map(|d| d.code).collect();
    assert!(
        codes.iter().all(|c| *c == "dangling-reference"),
        "{:?}",
        corpus.diagnostics().map(|d| d.short()).collect::<Vec<_>>()
    );
    assert!(corpus.files[0].document.is_some());
}
