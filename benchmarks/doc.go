// Package benchmarks measures lockbench's lock strategies with go test
// -bench, in the units benchstat understands. It holds no code of its own
// beyond this comment: the benchmarks are in its _test.go files, and they
// build their systems with the harness's own parts — the strategy registry
// (every strategy of lockbench/impl/all), store.Open and store.Traced, the
// instrumented locks of lock.Set, the generators of lockbench/workload and,
// for whole workloads, the runner itself.
//
//	go test -run='^$' -bench=. -count=6 ./benchmarks/ | tee bench.txt
//	go tool benchstat -col /strategy bench.txt
//
// # Benchmarks
//
// Sub-benchmark names are key=value pairs in one order, so benchstat can
// put any of them in columns (-col /strategy, -col /conc, -col /instrument):
//
//	BenchmarkManager/op=update/keys=1024/conc=64/strategy=naive
//	BenchmarkTracker/op=sync/keys=1024/conc=64/strategy=sharded
//	BenchmarkAdapter/op=cleanup/keys=1024/conc=64/strategy=refactored
//	BenchmarkWorkload/workload=mixed/keys=512/conc=64/strategy=naive
//	BenchmarkInstrumentation/workload=read-write/keys=1024/conc=2/strategy=naive/instrument=on
//
//   - Manager: op = create, get, update, delete, recovery_point.
//   - Tracker: op = update_state, sync; one tracker per client, each
//     activated on its own preloaded context.
//   - Adapter: op = create, update, cleanup. cleanup runs over 1024 live
//     contexts with a one-hour ttl, so it measures the expiry scan and the
//     lock each strategy holds for it; the removal path is exercised by
//     the cleanup-storm workload.
//   - Workload: a whole embedded workload (default "mixed") run by
//     runner.RunOne with ops = b.N: the command's own closed loop,
//     executors, preload and recorder. Its ns/op, B/op and allocs/op are
//     the runner's, over its measured window (set-up and preload excluded),
//     and include the runner's per-operation recording.
//   - Instrumentation: the read-write workload (80% manager.get, 20%
//     manager.update, 1024 zipf keys) on a zero-latency store, with lock
//     instrumentation on (lock.NewSet(true) and a lock.Trace per client,
//     as the runner runs) and off (plain sync locks, no trace), at
//     GOMAXPROCS and 16 clients. go tool benchstat -col /instrument gives
//     the throughput lost to instrumentation.
//
// keys is the number of contexts preloaded (and the key space of keyed
// operations); create adds fresh ids on top, delete removes b.N extra
// contexts preloaded for it. Every sub-benchmark builds a fresh system for
// each b.N it is run with; set-up and preload are outside the timer.
//
// # Concurrency
//
// conc is a number of goroutines, each one client with its own lock.Trace,
// key generator and latency histogram, that share b.N: they claim
// iterations from one counter until b.N are claimed, so all of them stay
// busy to the end. It does not depend on GOMAXPROCS or -cpu.
//
// # Metrics
//
// Besides ns/op (wall time / b.N: the inverse of throughput), B/op and
// allocs/op:
//
//	lockwait-ns/op  lock wait summed over every lock (lock.Set Snapshot WaitTotalNs) / b.N
//	heldio-ns/op    time locks were held across store I/O (HeldIONs, summed) / b.N
//	p99-ns          99th percentile latency of one operation (per-client
//	                hdrhistograms, merged after the run)
//	inflight-max    peak store calls in flight (the store's Stats)
//
// benchstat tidies units containing "ns" to seconds: it prints them as
// lockwait-sec/op, heldio-sec/op and p99-sec. It compares every unit the
// same way (median, confidence interval, Mann-Whitney p-value); it reads
// "Unit … assume=exact" metadata but nothing else, so no unit metadata
// lines are needed and none are printed. For all four, lower is better.
//
// # Environment
//
//	LOCKBENCH_BENCH_LATENCY    sim store latency (a Go duration; default 50us)
//	LOCKBENCH_BENCH_CONC       client counts, comma-separated (default 1,16,64)
//	LOCKBENCH_BENCH_WORKLOADS  workloads of BenchmarkWorkload, names or files
//	                           (default mixed)
//
// The store is "sim:latency=$LOCKBENCH_BENCH_LATENCY" (fixed latency), small
// by default so that the whole suite runs in minutes; the values in use are
// printed as configuration lines (lockbench-store, lockbench-conc) at the
// top of the output, which benchstat shows in its header.
package benchmarks
