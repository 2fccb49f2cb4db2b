//! The phone server over real sockets on 127.0.0.1: the routes, and each item of the security
//! list (issue 12): a wrong room code is 403 and repeated ones are slowed down; bodies over
//! 4 KB, malformed JSON, unknown options, unknown tokens and votes with no vote open are each a
//! 4xx with a short reason; only the server's own routes exist; connections are capped; a
//! flooding phone is limited without slowing the others; the server binds only where asked and
//! stops when told.

mod common;

#[path = "common/http_client.rs"]
mod http_client;

use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_client::Client;
use leap::phones::{PAGE, PhoneServer, ServerLimits};
use leap::workshop::flow::{SharedRoom, lock};
use leap::workshop::phones::{PhoneRoom, Question};

const CODE: &str = "ABC234";

fn server() -> (PhoneServer, SharedRoom) {
    server_with(ServerLimits::default())
}

fn server_with(limits: ServerLimits) -> (PhoneServer, SharedRoom) {
    let room: SharedRoom = Arc::new(Mutex::new(PhoneRoom::new(CODE)));
    let server = PhoneServer::start_with("127.0.0.1:0".parse().unwrap(), room.clone(), limits).unwrap();
    (server, room)
}

fn open_vote(room: &SharedRoom) {
    let mut room = lock(room);
    room.show(Question {
        number: 1,
        speaker: None,
        situation: "The release slipped.".into(),
        prompt: None,
        options: vec!["Tell them now".into(), "Wait a day".into()],
    });
    room.open_vote();
}

fn join(client: &mut Client) -> String {
    let reply = client.post("/api/join", &format!(r#"{{"room":"{CODE}"}}"#)).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["token"].as_str().unwrap().to_string()
}

#[test]
fn the_page_is_small_self_contained_and_needs_the_code() {
    let (server, _room) = server();
    let mut client = Client::connect(server.address()).unwrap();
    let page = client.get(&format!("/?room={CODE}")).unwrap();
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert!(page.body.len() < 50 * 1024, "the page is {} bytes", page.body.len());
    assert_eq!(page.text(), PAGE);
    // No external requests: nothing in the page names another host.
    for needle in ["http://", "https://", "//cdn", "@import", "<link", "src="] {
        assert!(!PAGE.contains(needle), "the page contains {needle}");
    }
    assert!(PAGE.contains("width=device-width") && PAGE.contains("aria-live"));
    assert_eq!(client.get("/").unwrap().status, 403, "no code, no page");
    assert_eq!(client.get("/?room=WRONG9").unwrap().status, 403);
}

#[test]
fn join_state_and_vote_work_and_a_vote_can_change() {
    let (server, room) = server();
    let mut client = Client::connect(server.address()).unwrap();
    let state = client.get(&format!("/api/state?room={CODE}")).unwrap().json();
    assert_eq!(state["phase"], "waiting");
    let token = join(&mut client);
    let vote = |client: &mut Client, option: &str| {
        client.post("/api/vote", &format!(r#"{{"room":"{CODE}","token":"{token}","option":"{option}"}}"#)).unwrap()
    };
    let refused = vote(&mut client, "A");
    assert_eq!(refused.status, 409, "no vote open: {}", refused.text());
    assert_eq!(refused.json()["error"], "no vote is open");
    open_vote(&room);
    let state = client.get(&format!("/api/state?room={CODE}&token={token}")).unwrap().json();
    assert_eq!(state["phase"], "voting");
    assert_eq!(state["options"], serde_json::json!(["A", "B"]));
    let version = state["version"].as_u64().unwrap();
    assert_eq!(vote(&mut client, "a").json()["your_vote"], "A");
    assert_eq!(vote(&mut client, "B").status, 200);
    assert_eq!(lock(&room).counts(), vec![0, 1], "the changed vote moved");
    let state = client.get(&format!("/api/state?room={CODE}&token={token}&since={version}")).unwrap().json();
    assert_eq!(state["your_vote"], "B");
    let unchanged = client.get(&format!("/api/state?room={CODE}&since={}", state["version"])).unwrap();
    assert_eq!(unchanged.json()["unchanged"], true);
    assert!(unchanged.body.len() < 48, "an unchanged poll costs almost nothing: {}", unchanged.text());
}

#[test]
fn bad_requests_get_a_4xx_with_a_short_reason() {
    let (server, room) = server();
    open_vote(&room);
    let mut client = Client::connect(server.address()).unwrap();
    let token = join(&mut client);
    let cases = [
        (r#"{"room":"ABC234","token":"TOKEN","option":"E"}"#, 422, "unknown option"),
        (r#"{"room":"ABC234","token":"TOKEN","option":"AB"}"#, 422, "unknown option"),
        (r#"{"room":"ABC234","token":"nobody","option":"A"}"#, 401, "unknown token"),
        (r#"{"room":"ABC234","option":"A"}"#, 401, "needs the token"),
        (r#"{"room":"ABC234","token":"TOKEN","option":7}"#, 400, "bad vote request"),
        (r#"{"room":"ABC234", "token": "#, 400, "malformed JSON"),
        (r#"[1,2,3]"#, 403, "room code is missing"),
    ];
    for (body, status, reason) in cases {
        let reply = client.post("/api/vote", &body.replace("TOKEN", &token)).unwrap();
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
        let error = reply.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(reason) && error.len() < 160, "{body}: {error}");
    }
    assert_eq!(client.post("/api/vote", "").unwrap().status, 400, "no body");
    assert_eq!(lock(&room).counts(), vec![0, 0], "nothing bad was counted");

    let big = format!(r#"{{"room":"{CODE}","nickname":"{}"}}"#, "x".repeat(5000));
    let mut fresh = Client::connect(server.address()).unwrap();
    let reply = fresh.post("/api/join", &big).unwrap();
    assert_eq!(reply.status, 413);
    assert!(reply.json()["error"].as_str().unwrap().contains("4 KB"));
    let mut fresh = Client::connect(server.address()).unwrap();
    let chunked = "POST /api/join HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    assert_eq!(fresh.send(chunked.as_bytes()).unwrap().status, 411);
    let mut fresh = Client::connect(server.address()).unwrap();
    assert_eq!(fresh.send(b"\x16\x03\x01 not http at all\r\n\r\n").unwrap().status, 400);
    let mut fresh = Client::connect(server.address()).unwrap();
    let huge_header = format!("GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n", "y".repeat(9000));
    assert_eq!(fresh.send(huge_header.as_bytes()).unwrap().status, 431);
    // The server is still there for everyone else.
    assert_eq!(client.get(&format!("/api/state?room={CODE}")).unwrap().status, 200);
}

#[test]
fn only_the_servers_own_routes_exist() {
    let (server, _room) = server();
    let mut client = Client::connect(server.address()).unwrap();
    for path in [
        "/index.html",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/src/phones/page.html",
        "/api",
        "/api/state/../../Cargo.toml",
        "//etc/passwd",
    ] {
        let reply = client.get(&format!("{path}?room={CODE}")).unwrap();
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.text().contains("root:") && !reply.text().contains("[package]"));
    }
    assert_eq!(client.send(b"DELETE /api/vote HTTP/1.1\r\n\r\n").unwrap().status, 405);
    assert_eq!(client.get(&format!("/api/join?room={CODE}")).unwrap().status, 405);
}

#[test]
fn repeated_wrong_codes_are_slowed_down() {
    let (server, _room) = server();
    let mut client = Client::connect(server.address()).unwrap();
    let statuses: Vec<u16> = (0..8).map(|i| client.get(&format!("/api/state?room=WRONG{i}")).unwrap().status).collect();
    assert_eq!(&statuses[..4], &[403; 4], "{statuses:?}");
    assert!(statuses[4..].iter().all(|s| *s == 429), "{statuses:?}");
    let locked = client.get(&format!("/api/state?room={CODE}")).unwrap();
    assert_eq!(locked.status, 429, "while shut out, even the right code waits");
    let wait: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=120).contains(&wait));
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(client.get(&format!("/api/state?room={CODE}")).unwrap().status, 200, "the shut-out ends");
}

#[test]
fn connections_are_capped() {
    let (server, _room) = server_with(ServerLimits { max_connections: 20 });
    let mut held: Vec<Client> = (0..20).map(|_| Client::connect(server.address()).unwrap()).collect();
    for client in &mut held {
        assert_eq!(client.get(&format!("/api/state?room={CODE}")).unwrap().status, 200);
    }
    let mut extra = Client::connect(server.address()).unwrap();
    let reply = extra.read_reply().unwrap();
    assert_eq!(reply.status, 503);
    assert!(reply.text().contains("too many connections"));
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.connections() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut again = Client::connect(server.address()).unwrap();
    assert_eq!(again.get(&format!("/api/state?room={CODE}")).unwrap().status, 200, "room again once they left");
}

#[test]
fn a_flooding_phone_is_limited_and_the_others_are_not() {
    let (server, room) = server();
    open_vote(&room);
    let mut flooder = Client::connect(server.address()).unwrap();
    let flood_token = join(&mut flooder);
    let mut calm = Client::connect(server.address()).unwrap();
    let calm_token = join(&mut calm);
    let started = Instant::now();
    let limited = (0..200)
        .filter(|_| flooder.get(&format!("/api/state?room={CODE}&token={flood_token}")).unwrap().status == 429)
        .count();
    assert!(limited > 100, "only {limited} of 200 flooding requests were limited");
    let reply = calm.get(&format!("/api/state?room={CODE}&token={calm_token}")).unwrap();
    assert_eq!(reply.status, 200, "the calm phone is not limited");
    let vote = calm.post("/api/vote", &format!(r#"{{"room":"{CODE}","token":"{calm_token}","option":"A"}}"#)).unwrap();
    assert_eq!(vote.status, 200);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn it_binds_only_where_asked_and_stops_when_told() {
    let (mut server, _room) = server();
    let address = server.address();
    assert_eq!(address.ip().to_string(), "127.0.0.1");
    // Another loopback address on the same port is not served.
    let elsewhere = SocketAddr::new([127, 0, 0, 2].into(), address.port());
    assert!(TcpStream::connect_timeout(&elsewhere, Duration::from_secs(1)).is_err());
    let mut kept = Client::connect(address).unwrap();
    assert_eq!(kept.get(&format!("/api/state?room={CODE}")).unwrap().status, 200);
    let started = Instant::now();
    server.stop();
    assert!(started.elapsed() < Duration::from_secs(3), "stopping took {:?}", started.elapsed());
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err(), "no longer listening");
    assert!(kept.is_closed(), "open connections are closed too");
}

#[test]
fn random_bytes_never_stop_the_server() {
    let (server, _room) = server();
    let mut seed = 12345u64;
    for round in 0..200usize {
        let mut bytes = Vec::new();
        let length = (round * 37) % 700 + 1;
        for _ in 0..length {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push((seed & 0xff) as u8);
        }
        if round.is_multiple_of(3) {
            bytes.splice(0..0, b"POST /api/vote HTTP/1.1\r\nContent-Length: 40\r\n\r\n".iter().copied());
        }
        if let Ok(mut stream) = TcpStream::connect(server.address()) {
            use std::io::Write;
            let _ = stream.write_all(&bytes);
            let _ = stream.shutdown(std::net::Shutdown::Write);
        }
    }
    let mut client = Client::connect(server.address()).unwrap();
    assert_eq!(client.get(&format!("/api/state?room={CODE}")).unwrap().status, 200);
}
