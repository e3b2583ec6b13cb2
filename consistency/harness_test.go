package consistency

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	_ "lockbench/impl/all"
	"lockbench/impl/refactored"
	"lockbench/lock"
	"lockbench/results"
	"lockbench/store"
)

// offsetClock is the real clock plus an offset the test moves forward, so
// contexts can expire without sleeping. The harness timestamps operations
// with it too, as the runner does with the real clock.
type offsetClock struct{ offset atomic.Int64 }

func (c *offsetClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// harness drives a real strategy the way the runner does: every operation is
// timed just before and after the call and recorded with its inputs and
// outputs.
type harness struct {
	t        *testing.T
	traces   []lock.Trace // per worker, so a store hook can see the locks held
	parked   *parking
	sys      *impl.System
	raw      *store.Memory
	obs      *Observer
	clock    *offsetClock
	start    time.Time
	versions atomic.Uint64
	seq      []int // per worker, for data tags
	trackers []ctxsys.Tracker
	// gap, when set, runs inside refactored's check-then-act gaps that
	// hold no store call (refactored.WithGapHook).
	gap func(ctx context.Context, gap string)
}

// newHarness builds strategy over a memory store whose calls first yield
// the processor a random number of times, widening and shuffling every
// window between a memory change and its store write — where refactored's
// gaps are. Yielding, not sleeping: the interleavings stay cheap.
// checkLimit is the harness's porcupine time limit and budget.
const checkLimit = time.Hour

func newHarness(t *testing.T, strategy string, workers int, cfg ctxsys.Config, history bool) *harness {
	t.Helper()
	p := newParking()
	h := buildHarness(t, strategy, workers, cfg, history, p.before, p.after)
	h.parked = p
	return h
}

// buildHarness builds strategy over a memory store with the given hooks.
func buildHarness(t *testing.T, strategy string, workers int, cfg ctxsys.Config, history bool, before, after store.Hook) *harness {
	t.Helper()
	s, err := impl.Lookup(strategy)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, raw: store.NewMemory(), clock: &offsetClock{}, seq: make([]int, workers+1),
		traces: make([]lock.Trace, workers+1)}
	cfg = cfg.WithDefaults()
	h.sys, err = s.New(impl.Deps{
		Store:  store.Instrument(h.raw, store.Hooks{Before: before, After: after}),
		Locks:  lock.NewSet(true),
		Clock:  h.clock,
		Config: cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	// No time limit that load could reach: porcupine's default 2 s per
	// check sometimes runs out under -race on a busy machine (the
	// concurrent recovery points give it a heavy-tailed search), and a
	// verdict must not depend on the machine. A check that never ends is
	// caught by go test's -timeout instead.
	h.obs = NewObserver(workers, Options{History: history, Config: cfg, TimeLimit: checkLimit, TimeBudget: checkLimit})
	h.start = h.clock.Now()
	return h
}

func (h *harness) now() int64 { return int64(h.clock.Now().Sub(h.start)) }

// ctx is worker w's context, carrying its lock trace, its index (see
// workerOf) and the harness's gap hook, if any.
func (h *harness) ctx(w int) context.Context {
	ctx := context.WithValue(context.Background(), workerKey{}, w)
	if h.gap != nil {
		ctx = refactored.WithGapHook(ctx, h.gap)
	}
	return lock.WithTrace(ctx, &h.traces[w+1])
}

type workerKey struct{}

// workerOf is the worker whose operation made a call with ctx (-2: none).
func workerOf(ctx context.Context) int {
	if w, ok := ctx.Value(workerKey{}).(int); ok {
		return w
	}
	return -2
}

// parking reorders store calls made with no lock held: the first such call
// on a key waits — yielding the processor a bounded number of times — until
// the unlocked calls on that key that came after it have completed, so of
// concurrent unlocked writes of one key the first issued lands last. A call
// under a lock (naive, sharded) is never held back, so it cannot deadlock.
// Every call also yields a random number of times first. Yielding, not
// sleeping: interleavings stay cheap.
type parking struct {
	mu       sync.Mutex
	done     map[string]int
	inflight map[string]int // unlocked calls in flight
	parked   map[string]bool
}

func newParking() *parking {
	return &parking{done: map[string]int{}, inflight: map[string]int{}, parked: map[string]bool{}}
}

func unlocked(ctx context.Context, op string) bool {
	tr := lock.FromContext(ctx)
	return op != "get" && op != "list" && tr != nil && tr.Holding() == 0
}

func (p *parking) before(ctx context.Context, op, key string) {
	for range rand.IntN(4) {
		runtime.Gosched()
	}
	if !unlocked(ctx, op) {
		return
	}
	p.mu.Lock()
	p.inflight[key]++
	if p.parked[key] {
		p.mu.Unlock()
		return
	}
	p.parked[key] = true
	seen := p.done[key]
	p.mu.Unlock()
	for range 512 {
		runtime.Gosched()
		p.mu.Lock()
		overtaken := p.done[key] > seen && p.inflight[key] == 1
		p.mu.Unlock()
		if overtaken {
			break
		}
	}
	p.mu.Lock()
	p.parked[key] = false
	p.mu.Unlock()
}

func (p *parking) after(ctx context.Context, op, key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done[key]++
	if unlocked(ctx, op) {
		p.inflight[key]--
	}
}

func (h *harness) tag(w int) string {
	h.seq[w+1]++
	if w < 0 {
		return fmt.Sprintf("p-%d", h.seq[0])
	}
	return fmt.Sprintf("w%d-%d", w, h.seq[w+1])
}

// do times f and records it as op by worker w.
func (h *harness) do(w int, op Op, f func(*Op) error) {
	op.Client = w
	if ctxsys.OpComponent(op.Kind) != ctxsys.ComponentTracker {
		op.Tracker = -1
	}
	op.Call = h.now()
	err := f(&op)
	op.Return = h.now()
	op.Err = ctxsys.ErrorKind(err)
	h.obs.Record(w, op)
}

func (h *harness) create(w int, id string) {
	v, data := h.versions.Add(1), h.tag(w)
	h.do(w, Op{Kind: ctxsys.ManagerCreate, Key: id, Version: v, Data: data}, func(*Op) error {
		return h.sys.Manager.Create(h.ctx(w), id, ctxsys.State{Version: v, Data: []byte(data)})
	})
}

func (h *harness) update(w int, id string) {
	v, data := h.versions.Add(1), h.tag(w)
	h.do(w, Op{Kind: ctxsys.ManagerUpdate, Key: id, Version: v, Data: data}, func(*Op) error {
		return h.sys.Manager.Update(h.ctx(w), id, ctxsys.State{Version: v, Data: []byte(data)})
	})
}

func (h *harness) get(w int, id string) {
	h.do(w, Op{Kind: ctxsys.ManagerGet, Key: id}, func(op *Op) error {
		s, err := h.sys.Manager.Get(h.ctx(w), id)
		op.OutVersion, op.OutData = s.Version, string(s.Data)
		return err
	})
}

func (h *harness) list(w int) {
	h.do(w, Op{Kind: ctxsys.ManagerList}, func(op *Op) error {
		ids, err := h.sys.Manager.List(h.ctx(w))
		op.OutCount = len(ids)
		return err
	})
}

func (h *harness) delete(w int, id string) {
	h.do(w, Op{Kind: ctxsys.ManagerDelete, Key: id}, func(*Op) error {
		return h.sys.Manager.Delete(h.ctx(w), id)
	})
}

func (h *harness) recoveryPoint(w int, id string) {
	h.do(w, Op{Kind: ctxsys.ManagerRecoveryPoint, Key: id}, func(op *Op) error {
		rp, err := h.sys.Manager.CreateRecoveryPoint(h.ctx(w), id)
		op.OutVersion, op.OutData = rp.State.Version, string(rp.State.Data)
		return err
	})
}

func (h *harness) recoveryPoints(w int, id string) {
	h.do(w, Op{Kind: ctxsys.ManagerRecoveryPoints, Key: id}, func(op *Op) error {
		rps, err := h.sys.Manager.RecoveryPoints(h.ctx(w), id)
		op.OutCount = len(rps)
		return err
	})
}

func (h *harness) updateState(w, tracker int) {
	v, data := h.versions.Add(1), h.tag(w)
	h.do(w, Op{Kind: ctxsys.TrackerUpdateState, Tracker: tracker, Version: v, Data: data}, func(*Op) error {
		return h.trackers[tracker].UpdateState(h.ctx(w), ctxsys.State{Version: v, Data: []byte(data)})
	})
}

func (h *harness) getState(w, tracker int) {
	h.do(w, Op{Kind: ctxsys.TrackerGetState, Tracker: tracker}, func(op *Op) error {
		s, err := h.trackers[tracker].State(h.ctx(w))
		op.OutVersion, op.OutData = s.Version, string(s.Data)
		return err
	})
}

func (h *harness) activate(w, tracker int, id string) {
	h.do(w, Op{Kind: ctxsys.TrackerActivate, Key: id, Tracker: tracker}, func(*Op) error {
		return h.trackers[tracker].Activate(h.ctx(w), id)
	})
}

// sync records no context id, as the runner does.
func (h *harness) sync(w, tracker int) {
	h.do(w, Op{Kind: ctxsys.TrackerSync, Tracker: tracker}, func(*Op) error {
		return h.trackers[tracker].Sync(h.ctx(w))
	})
}

func (h *harness) adapterCreate(w int, id string) {
	data := h.tag(w)
	h.do(w, Op{Kind: ctxsys.AdapterCreate, Key: id, Data: data}, func(op *Op) error {
		ac, err := h.sys.Adapter.Create(h.ctx(w), id, []byte(data))
		op.OutVersion, op.OutData = ac.Version, string(ac.Data)
		return err
	})
}

func (h *harness) adapterUpdate(w int, id string) {
	data := h.tag(w)
	h.do(w, Op{Kind: ctxsys.AdapterUpdate, Key: id, Data: data}, func(op *Op) error {
		ac, err := h.sys.Adapter.Update(h.ctx(w), id, []byte(data))
		op.OutVersion, op.OutData = ac.Version, string(ac.Data)
		return err
	})
}

func (h *harness) cleanup(w int) {
	h.do(w, Op{Kind: ctxsys.AdapterCleanup}, func(op *Op) error {
		ids, err := h.sys.Adapter.CleanupExpired(h.ctx(w))
		op.OutIDs = ids
		return err
	})
}

// burst runs body once per worker, all released together.
func (h *harness) burst(workers int, body func(w int)) {
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for w := range workers {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			body(w)
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
}

func (h *harness) check(outDir string) results.Consistency {
	return h.obs.Check(context.Background(), Input{
		System: h.sys, Trackers: h.trackers, Store: h.raw, OutDir: outDir, RunName: "refactored",
	})
}
