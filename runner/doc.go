// Package runner drives lock strategies with workloads and measures them.
//
// One run is one (strategy, workload, concurrency, repetition) on a freshly
// built system. RunOne takes a run value through its phases, one method
// each (run.go):
//
//  1. build: open the store from its spec, wrap it so store I/O is traced,
//     build the strategy's system over it with a fresh lock.Set, make the
//     trackers and workers;
//  2. preload: create the workload's preloaded contexts,
//     activate trackers — without the store's injected latency and failures;
//  3. warm-up: workers (worker.go) and, open loop, the pacer (pacer.go)
//     start; nothing is recorded;
//  4. measure: for the duration (or until ops operations completed); lock
//     and store figures are zeroed and runtime/process counters read at its
//     start, the timeline (timeline.go) sampled, the controller
//     (controller.go) watching for the end, interrupts and stalls;
//  5. drain: no new operation starts; operations in flight are waited for
//     (within a bound) and their latencies recorded — dropping them would
//     hide exactly the slowest operations — and those still running at the
//     bound are reported as censored;
//  6. collect (collect.go) and check at quiescence: latency histograms
//     merged, lock, store, runtime and process figures, the runner's
//     caveats (warnings.go), the consistency check.
//
// A phase that fails ends the run (abort): a stall fails it with a
// goroutine dump, an interrupt before the measured phase says so, and the
// store of a run whose workers did not leave is closed later (abandoned.go).
// Profiles (profiles.go) are undone when one of them cannot be started.
//
// Closed loop: each worker issues its next operation when the last returns
// (plus think time); latency is from the actual start. Open loop: a Pacer
// schedules intended start times (Poisson or evenly spaced) at the total
// rate and workers take them from a queue; latency is from the intended
// start (coordinated omission corrected), service time from the actual start
// is reported beside it, and the pacer's own lateness is measured.
//
// Which operations count: throughput is goodput, the number of successful
// operations completed inside the measured window divided by its length;
// failed ones are counted by kind and as an error rate. Latency histograms
// hold every operation that completed after the window opened and started
// (or, open loop, was scheduled) before it closed — including the drained
// ones.
//
// The harness's cost per operation is kept small (clock.go): the lock
// package's TSC clock instead of time.Now, two atomic adds for the
// watchdog, one histogram record into a shard the worker owns, and no
// allocation of its own.
package runner
