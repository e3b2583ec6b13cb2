// Package lock provides named, instrumented drop-in replacements for
// sync.Mutex and sync.RWMutex, so that lockbench can say where each strategy
// waits and what its locks are held across.
//
// # In your own type
//
// Mutex and RWMutex replace sync.Mutex and sync.RWMutex with two changes: a
// lock gets a name when a Set makes it, and Lock, Unlock, RLock and RUnlock
// take the operation's context.Context (it carries the trace that
// attributes hold time to I/O):
//
//	type Cache struct {
//		mu *lock.RWMutex // was: mu sync.RWMutex
//		m  map[string]string
//	}
//
//	func NewCache(locks *lock.Set) *Cache {
//		return &Cache{mu: locks.RWMutex("cache.map"), m: map[string]string{}}
//	}
//
//	func (c *Cache) Get(ctx context.Context, key string) string {
//		c.mu.RLock(ctx) // was: c.mu.RLock()
//		defer c.mu.RUnlock(ctx)
//		return c.m[key]
//	}
//
// Names are "component.field"; locks that share a name add up under it, and
// Set.Stripes makes a striped family. A nil *Set, a disabled one
// (NewSet(false)) and the zero Mutex and RWMutex all give plain locks, so
// the type needs no lockbench to run in production.
//
// Store calls made through the store lockbench hands a target
// (target.Deps.Store) are bracketed as I/O already. Bracket your own
// blocking calls — an HTTP request, a file write, a send to a slow
// consumer — with BeginIO and the End of the IO it returns, and the time any
// lock is held across them counts as held_io:
//
//	io := lock.BeginIO(ctx)
//	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
//	io.End()
//
// Without a trace in the context (outside lockbench's runner, or with
// instrumentation off) both return at once, after one context lookup.
//
// # Figures
//
// Every lock made by a Set records, under its name (the stripes of a sharded
// lock share one name and add up):
//
//   - acquisitions: writer and reader acquisitions alike, counted when
//     released (at quiescence, every one);
//   - contended: acquisitions whose first attempt (TryLock) failed;
//   - wait: time from the failed attempt to the acquisition. An uncontended
//     acquisition waits 0 and counts as a 0 in the wait distribution, so
//     wait p99 is over all acquisitions: "99% of acquisitions waited at
//     most this long" (often 0: a lock contended on fewer than 1% of its
//     acquisitions). Total and max are over contended ones, which changes
//     nothing, since the others add 0;
//   - hold: time from acquisition to release — total, max and distribution
//     — summed over holders (two readers holding together for 1 ms add
//     2 ms);
//   - held_io: the part of the hold time during which the holder was inside
//     store I/O, also summed over holders.
//
// Besides these per-name totals, every lock keeps its own writer figures
// (Snapshot.Writers sums them, Snapshot.Busiest is the lock whose own demand
// is largest): exclusive hold time, the part of it inside store I/O, and the
// part of it spent waiting for another lock (HeldWaitNs: queueing elsewhere
// while holding this one, which is not this lock's own work). They let an
// analysis treat each lock as an exclusive server, and a striped family's
// hottest stripe as one of its own: a workload that hammers one key
// saturates one stripe while the family looks idle. Set.Stripes makes a
// striped family and marks it (Snapshot.Striped): per-key locks, as opposed
// to map-wide ones, whatever the strategy calls them.
//
// Distributions are lockbench/internal/loghist histograms (log-linear,
// buckets 12.5% wide, one per P); a quantile is reported as its bucket's
// midpoint, capped at the exact max. Every acquisition is recorded: nothing
// is sampled, so totals are exact and maxima are never hidden.
//
// # held_io and the trace
//
// held_io needs to know which locks the goroutine doing I/O holds. Go has no
// goroutine-local storage, so, in the style of net/http/httptrace, the caller
// carries a *Trace in its context.Context (WithTrace): locks taken with that
// context are pushed onto the trace, and I/O bracketed by BeginIO and End (the
// runner wraps every store with store.Instrument, which does it) adds its
// duration to the held_io of every lock on the trace. The trace also sums,
// per operation, its goroutine's lock wait and I/O time, for the runner.
// Take and release a lock with the same context, and do not share a Trace
// between goroutines: a goroutine that an operation starts should get
// WithTrace(ctx, nil).
//
// Without a trace, locks still count and time themselves; what is lost is
// held_io, and the individual hold times of readers (a reader's start time
// has to live with the reader). Untraced readers' hold time still adds up
// exactly in the hold total — it is the sum of their release times minus the
// sum of their acquisition times — but they are absent from the hold max and
// distribution. The runner always carries a trace.
//
// # What held_io says about each strategy
//
// held_io is the direct measure of the anti-pattern the seed's refactoring
// removed: holding a lock while waiting for I/O, so that every other user of
// the lock waits for the store too.
//
//   - naive holds its map-wide locks (manager.contexts, manager.persist,
//     adapter.contexts, tracker.state) across store writes and across calls
//     into the manager, so their held_io is large: close to their hold
//     total once the store has any latency, and store writes go one at a
//     time.
//   - refactored never does I/O under a lock: its held_io is zero on every
//     lock. That is its speed, and also its flaw: the gaps between check and
//     act are where its anomalies come from.
//   - sharded holds only the per-key locks (manager.keys, adapter.keys, and
//     tracker.sync of one tracker) across I/O, on purpose: they serialise
//     writers of one key only, and keep the store's order equal to memory's.
//     Its map-wide locks show zero held_io; a non-zero value there is a bug.
//
// # Cost
//
// A Set built disabled makes plain sync locks (still registered, so Held and
// Names work), so the cost of instrumentation can be measured side by side;
// the zero Mutex and RWMutex are plain too. Instrumented, an acquisition looks
// its trace up in the context and reads the lock clock (RDTSC where the
// kernel trusts the TSC, see ClockSource) before its first attempt, and
// pushes itself onto the trace; a release reads the clock, adds a writer's
// hold to the lock's own figures (on the lock's cache line, which the writer
// already owns), unlocks, and only then pops the trace and records the hold
// in the running P's shard of the name's figures — a sum, a maximum and a
// histogram bucket, atomic adds on cache lines of that P's own, so that
// readers of one RWMutex, or stripes of one name, running on different cores
// do not bounce shared counters between them (the recorder must not become a
// lock under test). Everything but the clock read happens outside the
// critical section, so instrumentation lengthens the holds it measures by
// as little as it can; a writer's release needs no context lookup (the lock
// keeps its holder's trace). The held-wait figure costs only on the
// contended path; the end of an I/O call charges each lock held across it.
//
// BenchmarkMutex and its neighbours in this package measure a Lock/Unlock
// pair in isolation: about 40–70 ns instrumented with a trace, against 6–8
// ns for sync.Mutex on this project's 2-core VM, whose speed moves by ±30%
// between runs — two clock reads of ~12 ns are a third of it.
// BenchmarkInstrumentation in lockbench/benchmarks measures it inside whole
// operations, pairing instrumented and plain chunks milliseconds apart so
// that the VM's drift cancels: 13–16% of a 700–900 ns operation of the
// read-write workload on the memory store (see the README, "What lock
// instrumentation costs").
package lock
