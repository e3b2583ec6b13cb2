// Package benchmarks measures lockbench's lock strategies with go test
// -bench, in units benchstat understands. Its code is all in _test.go
// files, and it builds its systems from the harness's own parts: the
// strategy registry (every strategy of lockbench/impl/all), store.Open and
// store.Instrument, the instrumented locks of lock.Set, the generators of
// lockbench/workload and, for whole workloads, the runner itself.
//
//	go test -run='^$' -bench=. -count=6 -benchtime=200ms ./benchmarks/ | tee bench.txt
//	go tool benchstat -col /strategy bench.txt
//
// # Benchmarks
//
// Sub-benchmark names are key=value pairs in a fixed order, so benchstat can
// put any key in columns (-col /strategy, -col /conc):
//
//	BenchmarkManager/op=update/keys=1024/conc=64/strategy=naive
//	BenchmarkTracker/op=sync/keys=1024/conc=64/strategy=sharded
//	BenchmarkAdapter/op=cleanup/keys=1024/conc=64/strategy=refactored
//	BenchmarkWorkload/workload=mixed/keys=512/conc=64/strategy=naive
//	BenchmarkInstrumentation/workload=read-write/keys=1024/conc=2/strategy=naive
//
// Manager: op is create, get, update, delete or recovery_point. Tracker:
// update_state or sync, with one tracker per client, each activated on a
// preloaded context of its own. Adapter: create, update or cleanup; cleanup
// runs over 1024 live contexts with a one-hour ttl, so it measures the
// expiry scan and the lock each strategy takes for it (the removal path
// runs in the cleanup-storm workload). keys is the number of contexts
// preloaded, and the key space of keyed operations (drawn uniformly); create
// adds fresh ids, delete removes contexts preloaded for it, one per
// iteration.
//
// Workload runs whole embedded workloads (default mixed) through
// runner.RunOne, with ops = b.N and no warm-up: the command's own closed
// loop, operation executors, preload and latency recorder. Its ns/op, B/op
// and allocs/op come from the runner's measured window (set-up and preload
// excluded) and include the runner's recording of each operation. Its
// allocs/op is runtime/metrics' /gc/heap/allocs:objects, which leaves out
// tiny allocations (small pointer-free objects packed into 16-byte blocks),
// so it reads lower than the other benchmarks' count, which comes from
// runtime.MemStats.
//
// Instrumentation runs the read-write workload (80% manager.get, 20%
// manager.update, 1024 zipf-distributed keys) over the memory store, with
// lock instrumentation off (plain sync locks, no trace in the context) and
// on (lock.NewSet(true) and a lock.Trace per client, as the runner runs), at
// GOMAXPROCS and 16 clients. Each cell builds both systems and alternates
// between them within one benchmark, in pairs of chunks milliseconds apart,
// so that a machine whose speed drifts between runs still shows the cost:
// overhead-% is the median over the pairs of on/off wall time, minus 1,
// cpu-overhead-% the same over process CPU; ns/op is the instrumented
// side's, off-ns/op (benchstat prints off-sec/op) the plain side's.
// Operations are not timed one by one there, so clock reads do not dilute
// the difference. make instrument runs it and summarises with benchstat.
//
// Each sub-benchmark builds a fresh system (Instrumentation: two) on its
// first call and keeps it for the calls that follow (b.N = 1, 100, …):
// preloading for every call would take longer than measuring. Lock and store figures and latency
// histograms are reset at the start of every call; set-up and preload are
// outside the timer.
//
// # Concurrency
//
// conc is a number of goroutines, each a client with its own context (and
// lock.Trace), key generator and latency histogram. They share b.N: each
// claims iterations from one counter until b.N are claimed, so all of them
// stay busy to the end. conc does not depend on GOMAXPROCS or -cpu.
//
// # Metrics
//
// Besides ns/op (wall time / b.N, the inverse of throughput), B/op and
// allocs/op:
//
//	cpu-ns/op         process CPU time (user + system) / b.N: steadier than
//	                  wall time when other processes share the machine
//	lockwait-nsec/op  time spent waiting for locks, summed over every lock
//	                  (lock.Snapshot WaitTotalNs) / b.N
//	heldio-nsec/op    time locks were held across store I/O, summed over
//	                  locks (HeldIONs) / b.N: a call under two locks counts twice
//	p99-ns            99th percentile latency of one operation (per-client
//	                  hdrhistograms, merged after the run)
//	inflight-max      peak number of store calls in flight (store Stats)
//
// benchstat tidies units with an "ns" token into seconds: it prints ns/op
// as sec/op, cpu-ns/op as cpu-sec/op and p99-ns as p99-sec. Lock wait and
// held_io are "nsec" on purpose: they are often exactly 0, and benchstat
// files a 0 under the unit as written but every other value under the
// tidied unit, which would split each into two tables. It compares every
// unit the same way (median, 95% confidence interval, Mann-Whitney U
// p-value); of the "Unit" metadata lines of the benchmark format it reads
// only assume=, so none are needed (better= is parsed but unused). Lower is
// better for all five.
//
// # Environment
//
//	LOCKBENCH_BENCH_LATENCY    sim store latency, a Go duration (default 50us)
//	LOCKBENCH_BENCH_CONC       client counts, comma-separated (default 1,16,64)
//	LOCKBENCH_BENCH_WORKLOADS  workloads of BenchmarkWorkload, names or files,
//	                           comma-separated (default mixed)
//
// The store is "sim:latency=$LOCKBENCH_BENCH_LATENCY" (fixed delay). 50us
// keeps the store the slow part of every write — naive's serialised writes
// still cap it near one write per store call — while the suite stays within
// minutes; on a loaded 2-core machine the sim store realises about 75µs for
// it. The values in use are printed as configuration lines
// (lockbench-store, lockbench-conc) before the results, and benchstat shows
// them in its header.
package benchmarks
