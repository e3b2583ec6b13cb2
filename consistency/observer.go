package consistency

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/results"
	"lockbench/store"
	"lockbench/target"
)

// Op is one completed operation as the runner saw it.
type Op struct {
	// Kind is the operation, one of the context target's (ctxsys.Ops).
	Kind target.Op
	// Key is the context id; "" for list, cleanup and update_config. For
	// tracker operations it is the tracker's active id when the runner
	// knows it, else "".
	Key string
	// Client is the worker index (preload operations: -1).
	Client int
	// Tracker is the tracker index for tracker.* operations (a shared
	// tracker is 0), -1 otherwise.
	Tracker int
	// Call and Return are nanoseconds since the run's start, taken just
	// before the call and just after it returned.
	Call, Return int64
	// Version is the input version: the state version of manager.create
	// and manager.update, the version of tracker.update_state.
	Version uint64
	// Data is the input data tag, unique per operation ("w<client>-<seq>");
	// it is also the State.Data or adapter data written.
	Data string
	// Err is ctxsys.ErrorKind of the returned error: "" on success.
	Err string
	// OutVersion is the returned version (manager.get, tracker.get_state,
	// adapter.get/update/create).
	OutVersion uint64
	// OutData is the returned data.
	OutData string
	// OutIDs are the ids adapter.cleanup removed.
	OutIDs []string
	// OutCount is the length of a list, or the number of recovery points
	// returned by manager.recovery_points.
	OutCount int
}

// Defaults of Options.
const (
	DefaultHistoryCap = 1_000_000
	DefaultTimeLimit  = 2 * time.Second
	DefaultWindowOps  = 10_000
	DefaultTimeBudget = time.Minute
)

// Options configure an Observer. Zero fields mean their defaults.
type Options struct {
	// History records every operation and checks linearizability at the
	// end. Without it only the operations the anomaly facts need are kept
	// and Linearizable is "skipped".
	History bool
	// HistoryCap bounds the operations kept in memory, all workers
	// together (0: DefaultHistoryCap). When it is reached, recording
	// stops; the checks then use the operations invoked before the first
	// one dropped, and a note says so.
	HistoryCap int
	// Config is the system's configuration (defaulted here): the limits
	// the anomalies are measured against.
	Config ctxsys.Config
	// TimeLimit bounds one porcupine check — a partition, or one window of
	// a large partition (0: DefaultTimeLimit). A check that runs out of
	// time is "unknown", never a hang.
	TimeLimit time.Duration
	// WindowOps is the largest number of operations porcupine checks at
	// once (0: DefaultWindowOps). Its memory grows with the square of a
	// check's length, so a larger partition is checked in windows, each
	// from an unknown initial state: a violation found in a window is
	// real, but windows that all pass only give "unknown".
	WindowOps int
	// TimeBudget bounds the whole linearizability check
	// (0: DefaultTimeBudget); partitions not reached are "unknown".
	TimeBudget time.Duration

	// porcupineOnly skips the shortcuts (witnesses, greedy
	// linearizations), so tests can compare them with porcupine alone.
	porcupineOnly bool
}

func (o Options) withDefaults() Options {
	if o.HistoryCap <= 0 {
		o.HistoryCap = DefaultHistoryCap
	}
	if o.TimeLimit <= 0 {
		o.TimeLimit = DefaultTimeLimit
	}
	if o.WindowOps <= 0 {
		o.WindowOps = DefaultWindowOps
	}
	if o.WindowOps < 2 {
		o.WindowOps = 2
	}
	if o.TimeBudget <= 0 {
		o.TimeBudget = DefaultTimeBudget
	}
	o.Config = o.Config.WithDefaults()
	return o
}

// Observer collects the operations of one run and checks them at
// quiescence. Record is called concurrently by the workers, each on its own
// buffer; Check is called once, after every worker stopped.
type Observer struct {
	opt      Options
	workers  int
	slots    []slot
	reserved atomic.Int64 // history entries handed out to slots
	chunk    int64        // entries a slot reserves at once
	failures atomic.Int64 // failure entries kept, all slots
}

// blockRecs is the size of a block of recorded operations (about 64 KiB).
const blockRecs = 512

// slot is one worker's buffer. It is padded so two workers never write the
// same cache line.
type slot struct {
	blocks    [][]rec // recorded operations, in blocks so growth never copies them
	failures  []failure
	quota     int64 // entries reserved and not used yet
	dropped   int64 // operations not recorded because the cap was reached
	firstDrop int64 // Call of the earliest of them
	seen      uint64
	_         [40]byte
}

// NewObserver returns an Observer for a run with the given number of
// workers (indexes 0..workers-1; preload operations use -1).
func NewObserver(workers int, opt Options) *Observer {
	opt = opt.withDefaults()
	o := &Observer{opt: opt, workers: workers, slots: make([]slot, workers+1)}
	for i := range o.slots {
		o.slots[i].firstDrop = math.MaxInt64
	}
	// Reserve in chunks so the shared counter is touched once per chunk,
	// but small enough that the cap is shared fairly among many workers.
	o.chunk = int64(opt.HistoryCap / (4 * (workers + 1)))
	o.chunk = max(1, min(o.chunk, 256))
	return o
}

// Record notes one completed operation of worker (-1: preload, from the
// runner's goroutine before the workers start). It is called only by that
// worker's goroutine and takes no shared lock: it appends to the worker's
// own buffer and touches a shared atomic counter once per chunk of entries.
func (o *Observer) Record(worker int, op Op) {
	if worker < -1 || worker >= o.workers {
		panic(fmt.Sprintf("consistency: Record for worker %d of %d", worker, o.workers))
	}
	s := &o.slots[worker+1]
	k, e := op.Kind, parseErr(op.Err)
	if e.possible() {
		s.seen |= 1 << k
	}
	if e.unknown() && writes(k) && o.failures.Add(1) <= int64(o.opt.HistoryCap) {
		s.failures = append(s.failures, failure{kind: k, key: op.Key, data: op.Data,
			tracker: int32(op.Tracker), at: interval{op.Call, op.Return}})
	}
	if !o.opt.History && !o.needed(k, e, &op) {
		return
	}
	if s.quota == 0 && !o.reserve(s) {
		s.dropped++
		s.firstDrop = min(s.firstDrop, op.Call)
		return
	}
	s.quota--
	if last := len(s.blocks) - 1; last < 0 || len(s.blocks[last]) == cap(s.blocks[last]) {
		s.blocks = append(s.blocks, make([]rec, 0, blockRecs))
	}
	last := len(s.blocks) - 1
	s.blocks[last] = append(s.blocks[last], rec{
		call: op.Call, ret: op.Return, version: op.Version, outVersion: op.OutVersion,
		key: op.Key, data: op.Data, outData: op.OutData, outIDs: op.OutIDs,
		outCount: int32(min(op.OutCount, math.MaxInt32)), tracker: int32(op.Tracker),
		client: int32(worker), kind: k, err: e,
	})
}

func (o *Observer) reserve(s *slot) bool {
	n := o.reserved.Add(o.chunk)
	granted := min(o.chunk, int64(o.opt.HistoryCap)-(n-o.chunk))
	if granted <= 0 {
		return false
	}
	s.quota = granted
	return true
}

// needed reports whether the anomaly facts use an operation, for runs
// without a history: reads and lists are dropped at once, so the cap rarely
// binds.
func (o *Observer) needed(k opKind, e errCode, op *Op) bool {
	if e.unknown() {
		return true
	}
	if e != eOK {
		return false
	}
	switch k {
	case kManagerCreate, kManagerDelete, kAdapterCreate, kAdapterUpdate, kAdapterDelete,
		kAdapterUpdateConfig, kTrackerUpdateState, kTrackerGetState, kTrackerActivate:
		return true
	case kAdapterCleanup:
		return len(op.OutIDs) > 0
	case kManagerRecoveryPoints:
		return op.OutCount > o.opt.Config.MaxRecoveryPoints
	}
	return false
}

// Input is what Check inspects at quiescence.
type Input struct {
	// System is the system the run used.
	System *impl.System
	// Trackers are the run's trackers, by tracker index.
	Trackers []ctxsys.Tracker
	// Store is the raw store, without wrappers.
	Store store.Store
	// OutDir is where to write visualisations ("" = don't).
	OutDir string
	// RunName is the file name stem of visualisations.
	RunName string
}

// Check runs every check on what was recorded, at quiescence (after all
// workers stopped), and returns the verdict. Problems found are data in the
// result; a check that cannot run says so in Notes.
func (o *Observer) Check(ctx context.Context, in Input) results.Consistency {
	h := o.collect()
	var notes notes
	h.describeCut(&notes)

	q := inspect(ctx, in, o.opt.Config, h, &notes)
	counts := newCounts()
	failed := h.failureIndex()
	q.count(counts, h, failed, &notes)
	h.facts(counts, q, o.opt.Config, failed, &notes)

	out := results.Consistency{Checked: true, Anomalies: counts, Linearizable: results.LinSkipped}
	if o.opt.History {
		lin := linCheck{opt: o.opt, hist: h, final: q, workers: o.workers, notes: &notes}
		out.Linearizable, out.Visualization = lin.run(ctx, in.OutDir, in.RunName)
	}
	out.Notes = notes
	return out
}

// collect merges the workers' buffers and applies the history cut.
func (o *Observer) collect() *history {
	h := &history{cut: math.MaxInt64, historyCap: o.opt.HistoryCap}
	n := 0
	for i := range o.slots {
		s := &o.slots[i]
		for _, b := range s.blocks {
			n += len(b)
		}
		h.cut = min(h.cut, s.firstDrop)
		h.dropped += s.dropped
		h.seen |= s.seen
		h.failures = append(h.failures, s.failures...)
	}
	h.recs = make([]rec, 0, n)
	for i := range o.slots {
		for _, b := range o.slots[i].blocks {
			h.recs = append(h.recs, b...)
		}
		o.slots[i].blocks = nil // Check runs once; let the blocks go
	}
	h.applyCut()
	h.failuresDropped = max(0, o.failures.Load()-int64(o.opt.HistoryCap))
	return h
}
