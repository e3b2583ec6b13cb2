// Package runner drives lock strategies with workloads and measures them.
//
// One run is one (strategy, workload, concurrency, repetition) on a freshly
// built system, in phases:
//
//  1. build: open the store from its spec, wrap it so store I/O is traced,
//     build the strategy's system over it with a fresh lock.Set;
//  2. preload: create the workload's preloaded contexts, activate trackers;
//  3. warm-up: workers run but nothing is recorded;
//  4. measured phase: for the duration (or until ops operations completed);
//     lock and store figures are zeroed and runtime/process counters read at
//     its start;
//  5. drain: no new operation starts; operations in flight are waited for
//     (within a bound) and their latencies recorded — dropping them would
//     hide exactly the slowest operations — and those still running at the
//     bound are reported as censored;
//  6. collection at quiescence: latency histograms merged, lock, store,
//     runtime and process figures, the consistency check.
//
// Closed loop: each worker issues its next operation when the last returns
// (plus think time); latency is from the actual start. Open loop: a pacer
// schedules intended start times (Poisson or evenly spaced) at the total
// rate and workers take them from a queue; latency is from the intended
// start (coordinated omission corrected), service time from the actual start
// is reported beside it, and the pacer's own lateness is measured.
//
// Which operations count: throughput is the number of operations completed
// inside the measured window divided by its length; latency histograms hold
// every operation that completed after the window opened and started (or,
// open loop, was scheduled) before it closed — including the drained ones.
package runner
