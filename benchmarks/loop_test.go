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
// touches it while the benchmark runs.
type client struct {
	id      int
	ctx     context.Context
	trace   lock.Trace
	sys     *system
	gen     *workload.Generator
	tracker ctxsys.Tracker // nil unless the benchmark uses trackers
	keys    int            // preloaded contexts: ContextID(0) … ContextID(keys-1)
	seq     uint64
	latency *hdr.Histogram // nil: untimed
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
// by workload.Op.
type opTable []opFunc

func newOpTable() opTable { return make(opTable, len(workload.AllOps())+1) }

// loop is conc clients sharing b.N iterations of a workload spec's mix:
// each iteration draws an operation and a key from the client's generator
// and makes the call the opTable has for it.
type loop struct {
	sys     *system
	spec    *workload.Spec // the generators' mix and key space
	conc    int
	traced  bool // give each client a lock.Trace
	timed   bool // record each operation's latency
	tracker bool // give each client a tracker, activated on a preloaded context
}

// clients builds the loop's clients (outside the timer).
func (l loop) clients(ctx context.Context) ([]*client, error) {
	gens := l.spec.Generators(l.conc, l.spec.Seed)
	clients := make([]*client, l.conc)
	for i := range clients {
		c := &client{id: i, sys: l.sys, gen: gens[i], keys: l.spec.Preload}
		c.ctx = ctx
		if l.traced {
			c.ctx = lock.WithTrace(ctx, &c.trace)
		}
		if l.timed {
			c.latency = hdr.New(histLowest, histHighest, histDigits)
		}
		if l.tracker {
			c.tracker = l.sys.NewTracker()
			id := workload.ContextID(i % max(l.spec.Preload, 1))
			if err := c.tracker.Activate(ctx, id); err != nil {
				return nil, fmt.Errorf("activate tracker %d on %s: %w", i, id, err)
			}
		}
		clients[i] = c
	}
	return clients, nil
}

// run resets the timer and the system's figures, runs b.N operations over
// the clients, stops the timer and returns the first error. Each client
// claims iterations from one shared counter until b.N are claimed, so the
// conc clients stay busy to the end whatever their speed.
func (l loop) run(b *testing.B, clients []*client, calls opTable) error {
	n := int64(b.N)
	// Claiming a batch at a time keeps the counter's cache line from
	// becoming the benchmark's bottleneck when operations take
	// nanoseconds; a batch is small against each client's share, so the
	// clients still finish together.
	batch := min(max(n/int64(l.conc*64), 1), 64)
	var claimed atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var failed atomic.Bool
	var wg sync.WaitGroup
	l.sys.resetFigures()
	b.ResetTimer()
	for _, c := range clients {
		wg.Go(func() {
			for !failed.Load() {
				end := claimed.Add(batch)
				start := end - batch
				if start >= n {
					return
				}
				for i := start; i < min(end, n); i++ {
					if err := c.do(calls, int(i)); err != nil {
						errOnce.Do(func() { firstErr = fmt.Errorf("client %d, iteration %d: %w", c.id, i, err) })
						failed.Store(true)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
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
	return fmt.Errorf("%w: no call for %s", errUnexpected, op)
}

// reportLatency reports the p99 latency of the clients' operations, their
// histograms merged.
func reportLatency(b *testing.B, clients []*client) {
	merged := hdr.New(histLowest, histHighest, histDigits)
	for _, c := range clients {
		if c.latency != nil {
			merged.Merge(c.latency)
		}
	}
	if merged.TotalCount() > 0 {
		b.ReportMetric(float64(merged.ValueAtQuantile(99)), "p99-ns")
	}
}
