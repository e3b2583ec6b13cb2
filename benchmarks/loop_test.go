package benchmarks

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"lockbench/ctxsys"
	"lockbench/lock"
	"lockbench/workload"
)

// client is one benchmark goroutine: its context (carrying its own
// lock.Trace when instrumented, as the runner's workers do), its key
// generator, its tracker and its latency histogram. Only its goroutine
// touches it while a trial runs.
type client struct {
	id      int
	ctx     context.Context
	trace   lock.Trace
	sys     *system
	gen     *workload.Generator
	tracker ctxsys.Tracker // nil unless the benchmark uses trackers
	keys    int            // preloaded contexts: ContextID(0) … ContextID(keys-1)
	// consumable: iteration i of the trial may remove
	// ContextID(consumable+i), preloaded for it (delete).
	consumable int
	seq        uint64
	latency    *hdr.Histogram // nil: untimed
}

// Latency histogram range and precision, as the runner's recorder: 1 ns to
// an hour, two significant digits.
const (
	histLowest  = 1
	histHighest = int64(time.Hour)
	histDigits  = 2
)

// version returns the client's next state version: increasing per client
// (a tracker accepts only higher versions), unique across clients, and above
// the preloaded version 1.
func (c *client) version() uint64 {
	c.seq++
	return c.seq<<20 | uint64(c.id)
}

// state returns a new state of id.
func (c *client) state(id string) ctxsys.State {
	return ctxsys.State{ID: id, Version: c.version(), Data: payload}
}

// opFunc is one operation of a benchmark: id is the context id the
// client's generator drew ("" for operations without one), i the
// iteration's index in 0 … b.N-1 (unique over all clients).
type opFunc func(c *client, id string, i int) error

// opTable maps the operations of a benchmark's mix to their calls, indexed
// by the context target's operation (ctxsys.Ops).
type opTable []opFunc

func newOpTable() opTable { return make(opTable, ctxsys.NumOps) }

// setup describes a sub-benchmark's fixture.
type setup struct {
	strategy string
	store    string // store spec
	// instrument: instrumented locks (lock.NewSet(true)) and a lock.Trace
	// per client, as the runner runs; off, plain sync locks and no trace.
	instrument bool
	timed      bool           // record each operation's latency
	spec       *workload.Spec // the generators' mix and key space, the config
	conc       int
	through    via  // component the preloaded contexts are created with
	tracker    bool // give each client a tracker, activated on a preloaded context
	consume    bool // each iteration removes a context preloaded for it
	calls      opTable
}

// fixture is one sub-benchmark's system and clients. It is built on the
// sub-benchmark's first trial and kept for the others: the testing package
// calls a benchmark function several times (b.N = 1, 100, …), and
// preloading for each call would cost more than measuring. Everything
// measured is reset at the start of each trial.
type fixture struct {
	setup
	sys      *system
	clients  []*client
	consumed int // contexts removed by earlier trials (consume)
}

// ctx is the fixture's context. Not a trial's b.Context: that one is
// cancelled when its trial ends, and the fixture outlives it.
var ctx = context.Background()

// newFixture builds a fresh system, preloads it and makes the clients.
func newFixture(s setup) (*fixture, error) {
	sys, err := newSystem(s.strategy, s.store, s.instrument, s.spec.Config.System())
	if err != nil {
		return nil, err
	}
	fx := &fixture{setup: s, sys: sys}
	if err := fx.sys.preload(ctx, s.through, 0, s.spec.Preload); err != nil {
		fx.close()
		return nil, err
	}
	gens := s.spec.Generators(s.conc, s.spec.Seed)
	for i := range s.conc {
		c := &client{id: i, ctx: ctx, sys: fx.sys, gen: gens[i], keys: s.spec.Preload}
		if s.instrument {
			c.ctx = lock.WithTrace(ctx, &c.trace)
		}
		if s.timed {
			c.latency = hdr.New(histLowest, histHighest, histDigits)
		}
		if s.tracker {
			c.tracker = fx.sys.NewTracker()
			id := workload.ContextID(i % max(s.spec.Preload, 1))
			if err := c.tracker.Activate(ctx, id); err != nil {
				fx.close()
				return nil, fmt.Errorf("activate tracker %d on %s: %w", i, id, err)
			}
		}
		fx.clients = append(fx.clients, c)
	}
	return fx, nil
}

func (fx *fixture) close() { fx.sys.raw.Close() }

// runSub runs one sub-benchmark: the fixture is built on its first trial,
// every trial runs b.N operations on it, and the store is closed at the
// end.
func runSub(b *testing.B, name string, s setup) {
	var fx *fixture
	b.Run(name, func(b *testing.B) {
		if fx == nil {
			var err error
			if fx, err = newFixture(s); err != nil {
				b.Fatal(err)
			}
		}
		fx.trial(b)
	})
	if fx != nil {
		fx.close()
	}
}

// trial prepares the fixture for b.N operations, runs them timed and
// reports the figures.
func (fx *fixture) trial(b *testing.B) {
	if fx.consume {
		from := fx.spec.Preload + fx.consumed
		if err := fx.sys.preload(ctx, fx.through, from, from+b.N); err != nil {
			b.Fatal(err)
		}
		for _, c := range fx.clients {
			c.consumable = from
		}
		fx.consumed += b.N
	}
	for _, c := range fx.clients {
		if c.latency != nil {
			c.latency.Reset()
		}
	}
	b.ReportAllocs()
	if err := fx.run(b); err != nil {
		b.Fatalf("%v (error kind %q)", err, ctxsys.ErrorKind(err))
	}
	if fx.timed {
		fx.reportLatency(b)
		fx.sys.reportFigures(b, b.N)
	}
}

// run resets the system's figures and the timer, runs b.N operations over
// the clients, stops the timer and returns the first error.
func (fx *fixture) run(b *testing.B) error {
	fx.sys.resetFigures()
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	err := fx.drive(int64(b.N))
	b.StopTimer()
	// CPU per operation is what instrumentation and locking cost even
	// when other processes share the machine and wall time is noisy.
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), unitCPU)
	}
	return err
}

// drive runs n operations over the clients and returns the first error.
// Each client claims iterations from one shared counter until n are
// claimed, so the conc clients stay busy to the end whatever their speed;
// each iteration draws an operation and a key from the client's generator
// and makes the call the opTable has for the operation.
func (fx *fixture) drive(n int64) error {
	// Claiming a batch at a time keeps the counter's cache line from
	// becoming the bottleneck when operations take nanoseconds; a batch
	// is small against each client's share, so the clients still finish
	// together.
	batch := min(max(n/int64(fx.conc*64), 1), 64)
	var claimed atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var failed atomic.Bool
	var wg sync.WaitGroup
	for _, c := range fx.clients {
		wg.Go(func() {
			for !failed.Load() {
				end := claimed.Add(batch)
				start := end - batch
				if start >= n {
					return
				}
				for i := start; i < min(end, n); i++ {
					if err := c.do(fx.calls, int(i)); err != nil {
						errOnce.Do(func() { firstErr = fmt.Errorf("client %d, iteration %d: %w", c.id, i, err) })
						failed.Store(true)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// do runs one operation, timing it if the client is timed.
func (c *client) do(calls opTable, i int) error {
	if c.latency == nil {
		err := c.call(calls, i)
		c.trace.Reset()
		return err
	}
	start := time.Now()
	err := c.call(calls, i)
	c.latency.RecordValue(min(max(time.Since(start).Nanoseconds(), histLowest), histHighest))
	c.trace.Reset()
	return err
}

func (c *client) call(calls opTable, i int) error {
	op, id := c.gen.Next()
	if f := calls[op]; f != nil {
		return f(c, id, i)
	}
	return fmt.Errorf("%w: no call for %s", errUnexpected, ctxsys.Ops[op].Name)
}

// reportLatency reports the p99 latency of the trial's operations, the
// clients' histograms merged.
func (fx *fixture) reportLatency(b *testing.B) {
	merged := hdr.New(histLowest, histHighest, histDigits)
	for _, c := range fx.clients {
		merged.Merge(c.latency)
	}
	if merged.TotalCount() > 0 {
		b.ReportMetric(float64(merged.ValueAtQuantile(99)), unitP99)
	}
}
