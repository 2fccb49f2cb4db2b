//! Phones in the room: a small HTTP server on the local network that serves the phone page
//! and the room's vote (`docs/phones.md` documents its interface). A front end beside `cli`
//! and `game`: it uses the core's [`PhoneRoom`](crate::workshop::phones::PhoneRoom) and
//! never Bevy. It runs on threads of its own (one to accept, one per connection, capped), so
//! it never blocks a game loop, and stops when its [`PhoneServer`] is stopped or dropped.

pub mod guard;
pub mod http;
pub mod lan;
pub mod qr;
mod routes;

use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::workshop::flow::SharedRoom;

use guard::{CodeGuard, RateLimiter};
use http::{Read1, Response, read_request, write_response};

/// Connections open at once; one more is answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 300;
/// A connection with no request for this long is closed (phones poll every second or two).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one read may wait (also how often a connection looks at the stop flag).
const READ_TIMEOUT: Duration = Duration::from_millis(500);

/// The phone page, embedded in the program: plain HTML, CSS and JavaScript, no external requests.
pub const PAGE: &str = include_str!("page.html");

/// Limits a server runs with; tests lower them to reach them quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Connections open at once; one more is answered 503 and closed.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits { max_connections: MAX_CONNECTIONS }
    }
}

/// What every connection thread shares.
struct Shared {
    limits_set: ServerLimits,
    room: SharedRoom,
    codes: Mutex<CodeGuard>,
    limits: Mutex<RateLimiter>,
    stopping: AtomicBool,
    connections: AtomicUsize,
    next_connection: AtomicUsize,
}

/// A running phone server.
pub struct PhoneServer {
    address: SocketAddr,
    /// The room's code, read once at the start (it never changes), so the join URL needs no lock.
    code: String,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl PhoneServer {
    /// Binds `address` (only there: `127.0.0.1:0` for tests, the LAN address for a room) and
    /// starts serving `room`.
    pub fn start(address: SocketAddr, room: SharedRoom) -> io::Result<PhoneServer> {
        PhoneServer::start_with(address, room, ServerLimits::default())
    }

    /// [`start`](Self::start) with other limits.
    pub fn start_with(address: SocketAddr, room: SharedRoom, limits: ServerLimits) -> io::Result<PhoneServer> {
        let code = crate::workshop::flow::lock(&room).code().to_string();
        let listener = TcpListener::bind(address)?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            limits_set: limits,
            room,
            codes: Mutex::new(CodeGuard::default()),
            limits: Mutex::new(RateLimiter::default()),
            stopping: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            next_connection: AtomicUsize::new(0),
        });
        let for_thread = shared.clone();
        let acceptor =
            std::thread::Builder::new().name("phone-server".into()).spawn(move || accept_loop(listener, for_thread))?;
        Ok(PhoneServer { address, code, shared, acceptor: Some(acceptor) })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://ADDR:PORT/?room=CODE`, what the projector shows and the QR code holds.
    pub fn join_url(&self) -> String {
        join_url(self.address, &self.code)
    }

    /// The room's home page, `http://ADDR:PORT/` (the xAPI account of each phone).
    pub fn home_page(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Connections open now.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// Stops accepting, closes every connection within half a second, and waits for the acceptor.
    pub fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor, which is blocked in accept().
        let mut wake = self.address;
        if wake.ip().is_unspecified() {
            wake.set_ip(if wake.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_millis(200));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for PhoneServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the server for a room: at `bind` if given, else on the machine's best LAN address
/// (see [`lan`]) on the default port, or any free port if that one is taken.
pub fn start_for_room(bind: Option<SocketAddr>, room: SharedRoom) -> Result<PhoneServer, String> {
    if let Some(address) = bind {
        return PhoneServer::start(address, room).map_err(|e| format!("cannot listen on {address}: {e}"));
    }
    let Some(best) = lan::best() else {
        return Err("this machine has no network address phones could reach; give one with --bind ADDR:PORT".into());
    };
    let preferred = SocketAddr::new(best.ip, crate::workshop::phones::DEFAULT_PORT);
    PhoneServer::start(preferred, room.clone())
        .or_else(|_| PhoneServer::start(SocketAddr::new(best.ip, 0), room))
        .map_err(|e| format!("cannot listen on {}: {e}", best.ip))
}

/// `http://ADDR:PORT/?room=CODE`.
pub fn join_url(address: SocketAddr, code: &str) -> String {
    format!("http://{address}/?room={code}")
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        let open = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
        if open > shared.limits_set.max_connections {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = write_response(&mut stream, &Response::error(503, "too many connections; try again").closing());
            let _ = stream.shutdown(Shutdown::Both);
            continue;
        }
        let for_thread = shared.clone();
        let spawned =
            std::thread::Builder::new().name("phone-connection".into()).stack_size(128 * 1024).spawn(move || {
                serve_connection(stream, &for_thread);
                for_thread.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn serve_connection(mut stream: TcpStream, shared: &Shared) {
    let Ok(peer) = stream.peer_addr() else { return };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let connection = format!("connection-{}", shared.next_connection.fetch_add(1, Ordering::Relaxed));
    let mut buffered = Vec::new();
    let mut idle_since = Instant::now();
    while !shared.stopping.load(Ordering::SeqCst) {
        let response = match read_request(&mut stream, &mut buffered, peer.ip()) {
            Ok(Read1::Request(request)) => {
                idle_since = Instant::now();
                let close = request.close;
                let response = routes::handle(&request, shared, &connection);
                if close { response.closing() } else { response }
            }
            Ok(Read1::Refuse(response)) => response,
            Ok(Read1::Closed) if buffered.is_empty() && idle_since.elapsed() < IDLE_TIMEOUT => {
                // A read timeout between requests: look at the stop flag and wait again, unless
                // the client has closed its side.
                if peer_closed(&stream) {
                    return;
                }
                continue;
            }
            Ok(Read1::Closed) | Err(_) => return,
        };
        if write_response(&mut stream, &response).is_err() || response.close {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// True when the client has closed the connection (a read returns 0 at once).
fn peer_closed(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    let _ = stream.set_nonblocking(true);
    let closed = matches!(stream.peek(&mut byte), Ok(0));
    let _ = stream.set_nonblocking(false);
    closed
}
