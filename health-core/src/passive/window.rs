//! A lock-free sliding time window of calls and failures.
//!
//! The window is a ring of [`BUCKETS`] buckets, each `window / BUCKETS` wide (resilience4j's
//! time-based window keeps one bucket per second behind a lock; Envoy's success rate resets
//! every interval). A bucket holds two words, calls and failures, and each word carries the
//! number of the bucket it counts for (its tick) next to the count:
//!
//! ```text
//! bits 63..32: tick (milliseconds since the epoch / bucket width, low 32 bits)
//! bits 31..0:  count
//! ```
//!
//! Recording is one `fetch_add` on the current bucket's word; the first call of a new bucket
//! replaces the stale word (tick and count at once) with one compare-and-swap. So there is no
//! lock, no separate "reset" step that could lose or double-count a call, and a reader sums
//! the words whose tick is within the last [`BUCKETS`] buckets. A call ages out between
//! `window × (1 - 1/BUCKETS)` and `window` after it was recorded.

use std::sync::atomic::{AtomicU64, Ordering};

use super::aligned::CacheAligned;

/// Buckets in a window: the window slides in steps of 1/20 of its length (3 s of 60 s).
pub(crate) const BUCKETS: u64 = 20;

const COUNT_MASK: u64 = u32::MAX as u64;

/// A count stops growing here: 2^20 below the field's limit, so concurrent increments that
/// all saw a count just under it can never carry into the tick (4 billion calls in one
/// bucket, far beyond any real rate).
const SATURATED: u64 = COUNT_MASK - (1 << 20);

/// Calls and failures in the window at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) calls: u64,
    pub(crate) failures: u64,
}

/// One count with the tick it counts for.
#[derive(Default)]
struct Slot(AtomicU64);

fn pack(tick: u32, count: u64) -> u64 {
    (u64::from(tick) << 32) | count
}

fn tick_of(word: u64) -> u32 {
    (word >> 32) as u32
}

/// Whether a word stamped `stamped` counts at `now`: within the last [`BUCKETS`] ticks, or
/// a tick ahead (a writer that read the clock after this reader did).
fn live(stamped: u32, now: u32) -> bool {
    let age = now.wrapping_sub(stamped);
    u64::from(age) < BUCKETS || age > u32::MAX / 2
}

impl Slot {
    /// Counts one event at `tick`.
    fn add(&self, tick: u32) {
        let mut word = self.0.load(Ordering::Relaxed);
        loop {
            let age = tick.wrapping_sub(tick_of(word));
            // The word counts for this tick (or a later one: this thread was preempted
            // between reading the clock and here; the call goes to the newer bucket).
            if age == 0 || age > u32::MAX / 2 {
                if word & COUNT_MASK < SATURATED {
                    self.0.fetch_add(1, Ordering::Relaxed);
                }
                return;
            }
            // A stale word: replace tick and count together.
            match self.0.compare_exchange_weak(
                word,
                pack(tick, 1),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(actual) => word = actual,
            }
        }
    }

    /// The count, if the word is live at `now`.
    fn read(&self, now: u32) -> u64 {
        let word = self.0.load(Ordering::Relaxed);
        if live(tick_of(word), now) {
            word & COUNT_MASK
        } else {
            0
        }
    }
}

/// One bucket: its calls and failures (16 bytes, so four share a cache line).
#[derive(Default)]
struct Bucket {
    calls: Slot,
    failures: Slot,
}

/// The sliding window.
pub(crate) struct Window {
    /// Read by every call: kept off the buckets' cache lines, which every call writes.
    bucket_ms: u64,
    buckets: CacheAligned<[Bucket; BUCKETS as usize]>,
}

impl Window {
    /// A window `window_ms` long (at least [`BUCKETS`] ms).
    pub(crate) fn new(window_ms: u64) -> Window {
        Window {
            bucket_ms: window_ms.div_ceil(BUCKETS).max(1),
            buckets: CacheAligned(Default::default()),
        }
    }

    /// The bucket number at `now_ms` and its place in the ring.
    fn locate(&self, now_ms: u64) -> (u32, &Bucket) {
        let tick = now_ms / self.bucket_ms;
        // The ring position uses the full tick; words keep its low 32 bits.
        (tick as u32, &self.buckets.0[(tick % BUCKETS) as usize])
    }

    /// Counts one call at `now_ms`, and one failure if it failed.
    pub(crate) fn record(&self, now_ms: u64, failed: bool) {
        let (tick, bucket) = self.locate(now_ms);
        bucket.calls.add(tick);
        if failed {
            bucket.failures.add(tick);
        }
    }

    /// Calls and failures within the window at `now_ms`.
    pub(crate) fn counts(&self, now_ms: u64) -> Counts {
        let (tick, _) = self.locate(now_ms);
        let mut counts = Counts::default();
        for bucket in &self.buckets.0 {
            counts.failures += bucket.failures.read(tick);
            counts.calls += bucket.calls.read(tick);
        }
        // A reader between a failure's two increments would see one failure too many.
        counts.failures = counts.failures.min(counts.calls);
        counts
    }

    /// Empties the window at `now_ms` (when the circuit closes). Every word is stamped with
    /// the current tick and a zero count, so a call recorded concurrently still counts.
    pub(crate) fn clear(&self, now_ms: u64) {
        let (tick, _) = self.locate(now_ms);
        for bucket in &self.buckets.0 {
            bucket.calls.0.store(pack(tick, 0), Ordering::Relaxed);
            bucket.failures.0.store(pack(tick, 0), Ordering::Relaxed);
        }
    }

    /// How long a bucket is, in milliseconds.
    #[cfg(test)]
    pub(crate) fn bucket_ms(&self) -> u64 {
        self.bucket_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_slide_out_bucket_by_bucket() {
        let window = Window::new(60_000);
        assert_eq!(window.bucket_ms(), 3_000);
        window.record(0, true);
        window.record(2_999, false);
        window.record(3_000, true);
        assert_eq!(
            window.counts(3_000),
            Counts {
                calls: 3,
                failures: 2
            }
        );
        // The first bucket [0, 3 s) leaves at 60 s, the second [3 s, 6 s) at 63 s.
        assert_eq!(window.counts(59_999).calls, 3);
        assert_eq!(
            window.counts(60_000),
            Counts {
                calls: 1,
                failures: 1
            }
        );
        assert_eq!(window.counts(63_000), Counts::default());
    }

    #[test]
    fn a_reused_bucket_starts_from_zero() {
        let window = Window::new(60_000);
        window.record(1_000, true);
        // 60 s later the same ring position counts for a new bucket.
        window.record(61_000, false);
        assert_eq!(
            window.counts(61_000),
            Counts {
                calls: 1,
                failures: 0
            }
        );
    }

    #[test]
    fn clear_empties_and_keeps_counting() {
        let window = Window::new(60_000);
        for t in 0..10 {
            window.record(t * 1_000, true);
        }
        window.clear(10_000);
        assert_eq!(window.counts(10_000), Counts::default());
        window.record(10_001, false);
        window.record(20_000, true);
        assert_eq!(
            window.counts(20_000),
            Counts {
                calls: 2,
                failures: 1
            }
        );
    }

    #[test]
    fn counts_saturate_instead_of_carrying_into_the_tick() {
        let slot = Slot::default();
        slot.0.store(pack(7, SATURATED - 1), Ordering::Relaxed);
        slot.add(7);
        slot.add(7);
        assert_eq!(slot.read(7), SATURATED);
        assert_eq!(tick_of(slot.0.load(Ordering::Relaxed)), 7);
    }

    #[test]
    fn a_late_writer_adds_to_the_newer_bucket() {
        let slot = Slot::default();
        slot.add(25);
        // A thread that read the clock at tick 5 (same ring position) before tick 25 began.
        slot.add(5);
        assert_eq!(slot.read(25), 2);
    }

    #[test]
    fn concurrent_records_are_exact() {
        let window = Window::new(60_000);
        std::thread::scope(|s| {
            for t in 0..8 {
                let window = &window;
                s.spawn(move || {
                    for i in 0..10_000u64 {
                        // Spread over bucket boundaries so rollovers race too.
                        window.record(i / 100 * 100 + t, i % 4 == 0);
                    }
                });
            }
        });
        assert_eq!(
            window.counts(9_999),
            Counts {
                calls: 80_000,
                failures: 20_000
            }
        );
    }
}
