//! A counting global allocator: how much each thread has live, and its peak since the last
//! reset, so an input that makes the readers allocate without bound is caught and named.
//!
//! Counts are per thread (a `const` thread-local needs no allocation to set up) so two fuzzing
//! threads never blame each other's inputs. Memory freed on another thread than the one that
//! allocated it makes a count drift; the readers do not hand memory between threads.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

thread_local! {
    /// Which fuzzing worker this thread is (1-based; 0 for other threads).
    static WORKER: Cell<usize> = const { Cell::new(0) };
}

/// A worker that asks for more than this many live bytes is stopped before it gets them:
/// the allocation would take the machine's memory, or fail and abort the process, and
/// either way the input would be lost. The worker waits inside the allocator instead, and
/// the watchdog saves its input and ends the run.
static HARD_LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
/// The worker (1-based) that hit the hard limit, and how much it asked to have live.
static RUNAWAY_WORKER: AtomicUsize = AtomicUsize::new(0);
static RUNAWAY_BYTES: AtomicUsize = AtomicUsize::new(0);

fn add(bytes: isize) {
    // `try_with`: thread-locals are gone while a thread is being torn down.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + bytes;
        let worker = WORKER.try_with(Cell::get).unwrap_or(0);
        if worker > 0 && bytes > 0 && now as usize > HARD_LIMIT.load(Ordering::Relaxed) {
            RUNAWAY_BYTES.store(now as usize, Ordering::Relaxed);
            RUNAWAY_WORKER.store(worker, Ordering::Release);
            loop {
                // Sleeping does not allocate; the watchdog ends the process.
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Starts measuring this thread's peak from what it has live now.
pub fn reset_peak() {
    let live = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(live));
}

/// The most this thread had live above what it had at the last [`reset_peak`], in bytes.
pub fn peak_since_reset(baseline: isize) -> usize {
    (PEAK.with(Cell::get) - baseline).max(0) as usize
}

pub fn live() -> isize {
    LIVE.with(Cell::get)
}

pub fn set_hard_limit(bytes: usize) {
    HARD_LIMIT.store(bytes, Ordering::Relaxed);
}

/// Marks this thread as fuzzing worker `index` (0-based), subject to the hard limit.
pub fn become_worker(index: usize) {
    WORKER.with(|w| w.set(index + 1));
}

/// The worker (0-based) that hit the hard limit and the bytes it asked for, if one has.
pub fn runaway_seen() -> Option<(usize, usize)> {
    match RUNAWAY_WORKER.load(Ordering::Acquire) {
        0 => None,
        worker => Some((worker - 1, RUNAWAY_BYTES.load(Ordering::Relaxed))),
    }
}
