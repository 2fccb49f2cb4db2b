//! Benchmark of the phone server with a room of simulated phones on 127.0.0.1:
//!
//!     cargo run --release --no-default-features --example phones_load -- [--phones 200] [--interval-ms 1500]
//!
//! This process is the server (the same code the workshop runs); a child process plays the
//! phones (join, poll every interval, vote, change the vote, poll again), so the CPU and memory
//! printed are the server's alone. It prints the 50th/95th/99th percentile of request latency
//! seen by the phones, the server's CPU time and RSS growth, and checks every vote was counted
//! once. Goals (issue 12): p99 under 50 ms with 200 phones on 2 cores, memory growth under 20 MB.
//!
//!     cargo run --release --no-default-features --example phones_load -- --everyone-plays [--phones 50] [--think-ms 500]
//!
//! "Everyone plays": each phone plays a whole shipped scenario on its own (poll, wait
//! `think-ms`, choose, ...) with every decision written to a real session log; it prints the
//! same figures, and checks every decision is in the log once and every phone got its debrief.

#[path = "../tests/common/http_client.rs"]
mod http_client;
#[path = "../tests/common/phone_load.rs"]
mod phone_load;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leap::engine::votes::VoteTally;
use leap::phones::PhoneServer;
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::{PhoneRoom, Question};

const OPTIONS: usize = 3;
const CODE: &str = "BENCH2";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--as-players") {
        let address = args[i + 1].parse().expect("an address");
        let timing = (Duration::from_millis(arg("--interval-ms", 1500)), Duration::from_millis(arg("--think-ms", 500)));
        return play_players(address, arg("--phones", 50) as usize, timing);
    }
    if args.iter().any(|a| a == "--everyone-plays") {
        return everyone_plays(arg("--phones", 50) as usize, arg("--interval-ms", 1500), arg("--think-ms", 500));
    }
    if let Some(i) = args.iter().position(|a| a == "--as-phones") {
        let address = args[i + 1].parse().expect("an address");
        return play_phones(address, arg("--phones", 200) as usize, Duration::from_millis(arg("--interval-ms", 1500)));
    }
    let phones = arg("--phones", 200) as usize;
    let interval = arg("--interval-ms", 1500);
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new(CODE)));
    lock(&room).show(Question {
        number: 1,
        speaker: Some("Priya, team lead".into()),
        situation: "A situation of ordinary length, about as long as the shipped scenarios' beats, so the state \
                    a phone polls is of realistic size: a few hundred bytes of text and three options."
            .into(),
        prompt: Some("Whose problem is this now?".into()),
        options: (0..OPTIONS).map(|i| format!("Option {i}, a sentence of ordinary length for a choice.")).collect(),
    });
    let (rss_before, cpu_before) = (rss_kib(), cpu_seconds());
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).expect("the server starts");
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--as-phones", &server.address().to_string(), "--phones", &phones.to_string()])
        .args(["--interval-ms", &interval.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the phones start");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(120);
    let mut peak_rss = rss_kib();
    while lock(&room).joined() < phones && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let joined_after = started.elapsed();
    lock(&room).open_vote();
    while lock(&room).voted() < phones && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        peak_rss = peak_rss.max(rss_kib());
    }
    // The phones change their votes and poll three more times, then leave.
    let output = child.wait_with_output().expect("the phones finish");
    peak_rss = peak_rss.max(rss_kib());
    let ballots = lock(&room).close(&VoteTally::new(OPTIONS));
    let (rss_after, cpu_after) = (rss_kib(), cpu_seconds());
    let elapsed = started.elapsed();
    let report = String::from_utf8_lossy(&output.stdout);
    let mut expected = vec![0u32; OPTIONS];
    for i in 0..phones {
        expected[phone_load::expected_vote(i, OPTIONS)] += 1;
    }
    let counted = ballots.phone_counts(OPTIONS);
    println!("phones: {phones}, polling every {interval} ms; all joined after {:.2} s", joined_after.as_secs_f64());
    print!("{report}");
    println!(
        "votes counted: {counted:?}, expected {expected:?}: {}",
        if counted == expected { "every vote once" } else { "MISMATCH" }
    );
    print_server_use(cpu_after - cpu_before, elapsed, [rss_before, peak_rss, rss_after]);
    drop(server);
    if counted != expected || !output.status.success() {
        std::process::exit(1);
    }
}

/// The child: the phones, on one thread each.
fn play_phones(address: std::net::SocketAddr, phones: usize, interval: Duration) {
    let deadline = Instant::now() + Duration::from_secs(110);
    let runs = on_a_thread_each(phones, move |i| phone_load::phone(address, CODE, i, OPTIONS, interval, deadline));
    let latencies = sorted_latencies(runs.iter().map(|r| &r.latencies));
    let errors: Vec<String> = runs.iter().flat_map(|r| r.errors.iter().cloned()).collect();
    println!(
        "requests: {}; {} (goal p99 < 50 ms); errors: {}",
        latencies.len(),
        latency_summary(&latencies),
        errors.len()
    );
    exit_on_errors(&errors);
}

/// "Everyone plays": the server with a real session log, and a child process of players.
fn everyone_plays(phones: usize, interval: u64, think: u64) {
    use leap::workshop::everyone_flow::EveryoneWorkshop;
    let corpus =
        leap::scenario::Corpus::load(&[std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let scenario = corpus.scenario("the-slipping-analyst").expect("the shipped scenario").clone();
    let dir = tempfile::tempdir().expect("a scratch folder");
    let log = dir.path().join("everyone.jsonl");
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new(CODE)));
    let (rss_before, cpu_before) = (rss_kib(), cpu_seconds());
    let server = PhoneServer::start("127.0.0.1:0".parse().unwrap(), room.clone()).expect("the server starts");
    let config = leap::workshop::WorkshopConfig { name: "Benchmark".into(), seed: Some(7), ..Default::default() };
    let mut workshop = EveryoneWorkshop::start(config, scenario, &log, room.clone(), &server.home_page()).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--as-players", &server.address().to_string(), "--phones", &phones.to_string()])
        .args(["--interval-ms", &interval.to_string(), "--think-ms", &think.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the players start");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(170);
    let mut peak_rss = rss_kib();
    while workshop.progress().finished < phones && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        peak_rss = peak_rss.max(rss_kib());
    }
    let played_for = started.elapsed();
    let aggregate = workshop.end_round().expect("the round ends");
    let output = child.wait_with_output().expect("the players finish");
    peak_rss = peak_rss.max(rss_kib());
    let (rss_after, cpu_after) = (rss_kib(), cpu_seconds());
    let elapsed = started.elapsed();
    let recorded = leap::record::read_log(&log).expect("the log reads back");
    let decided: usize = aggregate.beats.iter().map(|b| b.decided).sum();
    println!(
        "everyone plays: {phones} phones, polling every {interval} ms, {think} ms to think; all finished after {:.1} s",
        played_for.as_secs_f64()
    );
    print!("{}", String::from_utf8_lossy(&output.stdout));
    let once = recorded.phone_decisions.len() == decided;
    println!(
        "decisions in the log: {}, in the room's split: {decided}: {}",
        recorded.phone_decisions.len(),
        if once { "every decision once" } else { "MISMATCH" }
    );
    print_server_use(cpu_after - cpu_before, elapsed, [rss_before, peak_rss, rss_after]);
    drop(server);
    if !once || !output.status.success() {
        std::process::exit(1);
    }
}

/// The child in "everyone plays": the players, on one thread each.
fn play_players(address: std::net::SocketAddr, phones: usize, (interval, think): (Duration, Duration)) {
    let deadline = Instant::now() + Duration::from_secs(170);
    let runs = on_a_thread_each(phones, move |i| phone_load::player(address, CODE, i, interval, think, deadline));
    let latencies = sorted_latencies(runs.iter().map(|r| &r.latencies));
    let mut errors: Vec<String> = runs.iter().flat_map(|r| r.errors.iter().cloned()).collect();
    let debriefed = runs.iter().filter(|r| r.debriefed).count();
    if debriefed < phones {
        errors.push(format!("only {debriefed} of {phones} phones got their debrief"));
    }
    println!(
        "requests: {}, decisions: {}; {}; debriefs: {debriefed}; errors: {}",
        latencies.len(),
        runs.iter().map(|r| r.decisions.len()).sum::<usize>(),
        latency_summary(&latencies),
        errors.len()
    );
    exit_on_errors(&errors);
}

/// Runs `phone(i)` for each phone on a thread of its own (small stacks: hundreds of them),
/// and what each returned.
fn on_a_thread_each<T: Send + 'static>(phones: usize, phone: impl Fn(usize) -> T + Send + Copy + 'static) -> Vec<T> {
    let threads: Vec<_> = (0..phones)
        .map(|i| std::thread::Builder::new().stack_size(256 * 1024).spawn(move || phone(i)).unwrap())
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn sorted_latencies<'a>(runs: impl Iterator<Item = &'a Vec<Duration>>) -> Vec<Duration> {
    let mut latencies: Vec<Duration> = runs.flatten().copied().collect();
    latencies.sort();
    latencies
}

fn latency_summary(sorted: &[Duration]) -> String {
    format!(
        "latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        phone_load::percentile_ms(sorted, 50.0),
        phone_load::percentile_ms(sorted, 95.0),
        phone_load::percentile_ms(sorted, 99.0),
        phone_load::percentile_ms(sorted, 100.0),
    )
}

/// Prints the first few errors and ends the process with a failure if there were any.
fn exit_on_errors(errors: &[String]) {
    for error in errors.iter().take(5) {
        println!("  {error}");
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
}

/// The server's CPU time over the run, and its resident memory before, at its peak and after
/// (KiB).
fn print_server_use(cpu_seconds: f64, elapsed: Duration, [before, peak, after]: [u64; 3]) {
    println!(
        "server CPU: {cpu_seconds:.2} s over {:.1} s ({:.1}% of one core)",
        elapsed.as_secs_f64(),
        100.0 * cpu_seconds / elapsed.as_secs_f64()
    );
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "server RSS: {:.1} MiB before, {:.1} MiB peak, {:.1} MiB after; growth {:.1} MiB (goal < 20 MB)",
        mib(before),
        mib(peak),
        mib(after),
        mib(peak.saturating_sub(before))
    );
}

/// This process's resident memory, in KiB (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// This process's user + system CPU time, in seconds (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the file, 12 and 13 after the name and state.
    (ticks(11) + ticks(12)) / 100.0
}
