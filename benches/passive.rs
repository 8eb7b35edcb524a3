//! Recording the outcome of a real call on a passive check (`health::CircuitBreaker`), the
//! cost every request to a dependency pays: ns per `record_success` and `record_failure`
//! from one thread and from 16 threads at once, next to baselines measured in the same run
//! (one `AtomicU64::fetch_add` per call, and the clock read every record makes: tokio's,
//! which a bench build compiles with `test-util` and so a check for a paused clock, and
//! std's, which is what tokio's is in a build without `test-util`).
//!
//! `cargo bench --bench passive` (add `-- --noplot --warm-up-time 1 --measurement-time 3`
//! for a shorter run). The 16-thread figures are wall time divided by the calls made by all
//! threads together: on a 2-core machine the threads take turns, so they show throughput
//! under contention, not the latency of one call.

#![allow(missing_docs)] // criterion's macros write undocumented functions

use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use health::{CircuitBreaker, CircuitState, Code};

const THREADS: u64 = 16;

/// A breaker whose rules are all checked at every failure but never met, so it stays
/// closed: the most work a failure can cost.
fn always_closed() -> CircuitBreaker {
    CircuitBreaker::builder()
        .consecutive_failures(u32::MAX)
        .failure_rate_percent(100)
        .minimum_calls(u32::MAX)
        .no_success_within(Duration::from_secs(30 * 24 * 3600))
        .build()
}

/// A breaker opened for a long time: failures are counted, nothing else.
fn open() -> CircuitBreaker {
    let breaker = CircuitBreaker::builder()
        .open_for(Duration::from_secs(24 * 3600))
        .build();
    for _ in 0..5 {
        breaker.record_failure(Code::TIMEOUT);
    }
    assert_eq!(breaker.state(), CircuitState::Open);
    breaker
}

/// One operation, as called by every thread.
type Op = Box<dyn Fn() + Sync>;

/// The operations measured, each with the breaker it runs on.
fn cases() -> Vec<(&'static str, Op)> {
    let counter = AtomicU64::new(0);
    let success = always_closed();
    let failure = always_closed();
    let opened = open();
    let allow = always_closed();
    vec![
        (
            "baseline: AtomicU64::fetch_add",
            Box::new(move || {
                counter.fetch_add(1, Ordering::Relaxed);
            }),
        ),
        (
            "baseline: std::time::Instant::now",
            Box::new(|| {
                black_box(Instant::now());
            }),
        ),
        (
            "baseline: tokio::time::Instant::now",
            Box::new(|| {
                black_box(tokio::time::Instant::now());
            }),
        ),
        ("record_success", Box::new(move || success.record_success())),
        (
            "record_failure (closed, every rule checked)",
            Box::new(move || failure.record_failure(Code::TIMEOUT)),
        ),
        (
            "record_failure (open)",
            Box::new(move || opened.record_failure(Code::TIMEOUT)),
        ),
        (
            "allow_call (closed)",
            Box::new(move || {
                black_box(allow.allow_call());
            }),
        ),
    ]
}

/// Runs `op` `iters` times in all, split over [`THREADS`] threads that start together;
/// the time from their start to the last one's end.
fn concurrently(iters: u64, op: &(dyn Fn() + Sync)) -> Duration {
    let per_thread = iters.div_ceil(THREADS);
    let barrier = Barrier::new(THREADS as usize + 1);
    let start = std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                barrier.wait();
                for _ in 0..per_thread {
                    op();
                }
            });
        }
        barrier.wait();
        Instant::now()
    });
    // Per call made (the split may round up a little).
    start
        .elapsed()
        .mul_f64(iters as f64 / (per_thread * THREADS) as f64)
}

fn passive(c: &mut Criterion) {
    let mut group = c.benchmark_group("passive_1_thread");
    for (name, op) in cases() {
        group.bench_function(name, |b| b.iter(&op));
    }
    group.finish();

    let mut group = c.benchmark_group("passive_16_threads");
    for (name, op) in cases() {
        group.bench_function(name, |b| b.iter_custom(|iters| concurrently(iters, &*op)));
    }
    group.finish();
}

criterion_group!(benches, passive);
criterion_main!(benches);
