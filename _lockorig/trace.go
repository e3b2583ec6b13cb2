package lock

import "context"

// Trace follows one goroutine's operations: the locks it holds now (for
// held_io) and, per operation, the lock wait and I/O time it accumulated. It
// is owned by one goroutine at a time (a worker), so it needs no
// synchronisation; carry it in a context with WithTrace.
type Trace struct {
	held    []heldLock
	ioStart int64
	ioDepth int

	// Per-operation accumulators; the runner reads and resets them with
	// Reset after each operation.
	LockWaitNs int64 // time spent waiting for locks
	IONs       int64 // time spent inside store I/O
	IOCalls    int64 // store calls made
}

type heldLock struct {
	st    *Stats
	start int64
}

type traceKey struct{}

// WithTrace returns a context carrying tr.
func WithTrace(ctx context.Context, tr *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, tr)
}

// FromContext returns the trace in ctx, or nil.
func FromContext(ctx context.Context) *Trace {
	if ctx == nil {
		return nil
	}
	tr, _ := ctx.Value(traceKey{}).(*Trace)
	return tr
}

// Reset clears the per-operation accumulators.
func (tr *Trace) Reset() { tr.LockWaitNs, tr.IONs, tr.IOCalls = 0, 0, 0 }

// Holding returns how many locks the trace's goroutine holds now.
func (tr *Trace) Holding() int { return len(tr.held) }

func (tr *Trace) push(st *Stats, start, wait int64) {
	tr.held = append(tr.held, heldLock{st: st, start: start})
	tr.LockWaitNs += wait
}

// pop removes the most recent entry of st and returns its start time.
func (tr *Trace) pop(st *Stats) int64 {
	for i := len(tr.held) - 1; i >= 0; i-- {
		if tr.held[i].st == st {
			start := tr.held[i].start
			tr.held = append(tr.held[:i], tr.held[i+1:]...)
			return start
		}
	}
	return nanotime()
}

// BeginIO marks the start of a blocking store call by the goroutine owning
// the trace in ctx. Nested calls count once.
func BeginIO(ctx context.Context) {
	tr := FromContext(ctx)
	if tr == nil {
		return
	}
	if tr.ioDepth == 0 {
		tr.ioStart = nanotime()
	}
	tr.ioDepth++
}

// EndIO ends the call begun by BeginIO and adds its duration to the held_io
// of every lock the goroutine holds.
func EndIO(ctx context.Context) {
	tr := FromContext(ctx)
	if tr == nil || tr.ioDepth == 0 {
		return
	}
	tr.ioDepth--
	if tr.ioDepth > 0 {
		return
	}
	d := nanotime() - tr.ioStart
	tr.IONs += d
	tr.IOCalls++
	for i := range tr.held {
		tr.held[i].st.heldIO.Add(d)
	}
}
