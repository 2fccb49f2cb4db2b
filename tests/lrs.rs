//! Sending statements to a real Learning Record Store: Ralph's LRS on its file-system backend
//! (`scripts/ralph-lrs.py`, which says why not `ralph runserver -b fs` as it is), started by
//! the test on 127.0.0.1 with a basic-auth file. Every statement must arrive exactly once
//! after two sends, after a send cut off by stopping the LRS midway, and after the LRS rejects
//! a batch (a bad statement, then bad credentials). Loopback only; every wait is bounded.
//!
//! Ralph comes from `pip install "ralph-malph[lrs,cli]==5.1.0" requests`, which
//! `scripts/test.sh` runs when it can; without it the test is skipped with a message.

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::sessions::record_campaign_workshop;
use leap::export::Statement;
use leap::export::lrs::{LrsConfig, LrsError, queue_path, read_queue, send_session};
use leap::export::xapi::{XapiOptions, statements_with};
use leap::record::RecordedSession;
use leap::scenario::Scenario;

const USER: &str = "leap-test";
const PASSWORD: &str = "correct horse";

struct Ralph {
    child: Option<Child>,
    port: u16,
    home: PathBuf,
}

impl Ralph {
    /// Starts Ralph on a free loopback port, its statements in `home/data`.
    fn start(home: &Path, port: Option<u16>) -> Ralph {
        let port = port.unwrap_or_else(|| TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port());
        for dir in ["data", "cwd", "app"] {
            std::fs::create_dir_all(home.join(dir)).unwrap();
        }
        let auth = home.join("auth.json");
        if !auth.exists() {
            // bcrypt with few rounds: Ralph checks the hash on every request.
            let hash = Command::new("python3")
                .args([
                    "-c",
                    &format!("import bcrypt; print(bcrypt.hashpw({PASSWORD:?}.encode(), bcrypt.gensalt(4)).decode())"),
                ])
                .output()
                .unwrap();
            let hash = String::from_utf8(hash.stdout).unwrap();
            let users = serde_json::json!([{
                "agent": { "mbox": "mailto:facilitator@example.org", "objectType": "Agent" },
                "scopes": ["all"],
                "hash": hash.trim(),
                "username": USER,
            }]);
            std::fs::write(&auth, users.to_string()).unwrap();
        }
        let log = std::fs::File::create(home.join(format!("ralph-{port}.log"))).unwrap();
        let child = Command::new("python3")
            .arg(common::root().join("scripts/ralph-lrs.py"))
            .args(["127.0.0.1", &port.to_string()])
            .arg(home.join("data"))
            .current_dir(home.join("cwd"))
            .env("RALPH_AUTH_FILE", &auth)
            .env("RALPH_APP_DIR", home.join("app"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("ralph starts");
        let ralph = Ralph { child: Some(child), port, home: home.to_path_buf() };
        let started = Instant::now();
        while ralph.get("/statements?limit=1").is_none() {
            assert!(started.elapsed() < Duration::from_secs(90), "Ralph did not start in 90 s; see {}", home.display());
            std::thread::sleep(Duration::from_millis(250));
        }
        ralph
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI", self.port)
    }

    fn config(&self) -> LrsConfig {
        let mut config = LrsConfig::new(self.endpoint());
        config.user = Some(USER.into());
        config.password = Some(PASSWORD.into());
        config.timeout = Duration::from_secs(20);
        config
    }

    fn get(&self, path: &str) -> Option<serde_json::Value> {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(10))).build().into();
        let auth = format!("{USER}:{PASSWORD}");
        use base64::Engine;
        let token = base64::engine::general_purpose::STANDARD.encode(auth);
        let mut response = agent
            .get(format!("{}{path}", self.endpoint()))
            .header("X-Experience-API-Version", "1.0.3")
            .header("Authorization", format!("Basic {token}"))
            .call()
            .ok()?;
        serde_json::from_str(&response.body_mut().read_to_string().ok()?).ok()
    }

    /// How many times the LRS holds each statement id of `registration`.
    fn stored(&self, registration: &str) -> BTreeMap<String, usize> {
        let found = self.get(&format!("/statements?registration={registration}&limit=1000")).expect("the LRS answers");
        let mut counts = BTreeMap::new();
        for s in found["statements"].as_array().unwrap() {
            *counts.entry(s["id"].as_str().unwrap().to_string()).or_insert(0) += 1;
        }
        counts
    }

    /// Stops Ralph (one process: the script runs its server in-process) and waits until it has.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.stop();
    }
}

fn ralph_available() -> bool {
    Command::new("ralph").arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
        && Command::new("python3").args(["-c", "import bcrypt, requests"]).status().is_ok_and(|s| s.success())
}

fn session(dir: &Path, name: &str) -> (PathBuf, RecordedSession, Vec<Statement>) {
    let corpus = common::shipped();
    let log = dir.join(format!("{name}.jsonl"));
    let recorded = record_campaign_workshop(&log, &corpus, name, 2);
    let scenarios: Vec<&Scenario> = corpus.scenarios().collect();
    let statements = statements_with(&recorded, &scenarios, &XapiOptions::default());
    (log, recorded, statements)
}

fn registration(statements: &[Statement]) -> String {
    statements[0].context.as_ref().unwrap().registration.clone()
}

fn assert_each_once(ralph: &Ralph, statements: &[Statement], what: &str) {
    let stored = ralph.stored(&registration(statements));
    let twice: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "{what}: stored more than once: {twice:?}");
    let missing: Vec<_> = statements.iter().filter(|s| !stored.contains_key(&s.id)).map(|s| &s.id).collect();
    assert!(missing.is_empty(), "{what}: never arrived: {missing:?}");
    assert_eq!(stored.len(), statements.len(), "{what}");
    eprintln!("{what}: {} statements, each stored once", statements.len());
}

#[test]
fn every_statement_arrives_once_through_repeats_outages_and_rejections() {
    if !ralph_available() {
        eprintln!(
            "SKIPPED every_statement_arrives_once_through_repeats_outages_and_rejections: Ralph is not installed \
             (pip install \"ralph-malph[lrs,cli]==5.1.0\" requests; scripts/test.sh does it when it can)"
        );
        return;
    }
    let started = Instant::now();
    let home = common::scratch_dir("lrs-ralph");
    let mut ralph = Ralph::start(&home.join("lrs"), None);
    let sessions = home.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();

    // 1. Sent twice: the second send is harmless.
    let (log, _, statements) = session(&sessions, "Sent twice");
    let mut config = ralph.config();
    config.batch = 4;
    let first = send_session(&log, statements.clone(), &config, |_| {}).unwrap();
    assert_eq!(first.accepted, statements.len());
    let second = send_session(&log, statements.clone(), &config, |_| {}).unwrap();
    assert_eq!(second.accepted, statements.len());
    assert!(second.status.starts_with("sent"), "{}", second.status);
    assert_each_once(&ralph, &statements, "sent twice");

    // 2. The LRS stops after the first batch: the rest wait, and go when it is back.
    let (log, _, statements) = session(&sessions, "Cut off");
    let mut batches = 0;
    let port = ralph.port;
    let cut = send_session(&log, statements.clone(), &config, |_| {
        batches += 1;
        if batches == 1 {
            ralph.stop();
        }
    });
    match cut {
        Err(LrsError::Refused { .. }) | Err(LrsError::Unreachable { .. }) | Err(LrsError::Timeout { .. }) => {}
        other => panic!("expected the send to fail when the LRS stopped, got {other:?}"),
    }
    let (queue, _) = read_queue(&queue_path(&log));
    assert_eq!(queue.waiting.len(), statements.len() - config.batch, "the first batch went, the rest wait");
    assert!(queue.status().contains("waiting") && queue.status().contains("connection refused"), "{}", queue.status());
    ralph = Ralph::start(&home.join("lrs"), Some(port));
    let resent = send_session(&log, statements.clone(), &config, |_| {}).unwrap();
    assert_eq!(resent.waiting, 0);
    assert_each_once(&ralph, &statements, "cut off midway");

    // 3. The LRS rejects a batch (a broken statement, then wrong credentials): nothing is lost.
    let (log, _, statements) = session(&sessions, "Rejected");
    let mut broken = statements.clone();
    let mut bad = broken[5].clone();
    bad.id = "not-a-uuid".into();
    broken.insert(5, bad);
    let broken_len = broken.len();
    let rejected = send_session(&log, broken, &config, |_| {}).unwrap_err();
    assert!(matches!(rejected, LrsError::Rejected { status: 400..=499, .. }), "{rejected}");
    assert_eq!(read_queue(&queue_path(&log)).0.waiting.len(), broken_len - 4, "the first batch went");
    let mut wrong = config.clone();
    wrong.password = Some("wrong".into());
    let refused = send_session(&log, statements.clone(), &wrong, |_| {}).unwrap_err();
    assert!(matches!(refused, LrsError::Unauthorised { status: 401, .. }), "{refused}");
    assert!(refused.to_string().contains("refused the credentials"), "{refused}");
    send_session(&log, statements.clone(), &config, |_| {}).unwrap();
    assert_each_once(&ralph, &statements, "after rejections");

    ralph.stop();
    eprintln!("LRS test took {:.1} s", started.elapsed().as_secs_f32());
    let _ = ralph.home;
}

/// A loopback server that answers every request with `reply` (None: accepts and never answers).
fn fake_lrs(reply: Option<&'static str>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        // Bounded: the tests make a handful of requests.
        for stream in listener.incoming().take(8).flatten() {
            use std::io::{Read, Write};
            let mut stream = stream;
            stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
            let mut buffer = [0u8; 65536];
            let _ = stream.read(&mut buffer);
            match reply {
                Some(text) => {
                    let _ = stream.write_all(text.as_bytes());
                }
                None => held.push(stream),
            }
        }
    });
    port
}

#[test]
fn timeouts_refusals_and_server_errors_keep_the_queue_and_say_what_happened() {
    let dir = common::scratch_dir("lrs-errors");
    let (log, _, statements) = session(&dir, "Errors");
    let count = statements.len();
    let waiting = || read_queue(&queue_path(&log)).0;
    let config = |port: u16| {
        let mut c = LrsConfig::new(format!("http://127.0.0.1:{port}/xapi"));
        c.timeout = Duration::from_secs(1);
        c
    };

    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let refused = send_session(&log, statements.clone(), &config(closed), |_| {}).unwrap_err();
    assert!(matches!(refused, LrsError::Refused { .. }), "{refused:?}");
    assert!(refused.to_string().contains("connection refused"), "{refused}");
    assert_eq!(waiting().waiting.len(), count);

    let silent = fake_lrs(None);
    let started = Instant::now();
    let timeout = send_session(&log, statements.clone(), &config(silent), |_| {}).unwrap_err();
    assert!(matches!(timeout, LrsError::Timeout { .. }), "{timeout:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(timeout.to_string().contains("did not answer within 1 s"), "{timeout}");
    assert_eq!(waiting().waiting.len(), count);

    let busy =
        fake_lrs(Some("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 10\r\nConnection: close\r\n\r\nmaintained"));
    let failed = send_session(&log, statements.clone(), &config(busy), |_| {}).unwrap_err();
    assert!(matches!(failed, LrsError::ServerError { status: 503, .. }), "{failed:?}");
    assert!(failed.to_string().contains("try again later"), "{failed}");
    let queue = waiting();
    assert_eq!(queue.waiting.len(), count);
    assert!(queue.status().starts_with(&format!("{count} waiting: ")), "{}", queue.status());

    let bad = send_session(&log, statements, &LrsConfig::new("lrs.example.org"), |_| {}).unwrap_err();
    assert!(matches!(bad, LrsError::BadEndpoint(_)), "{bad:?}");
}
