package lock

import "context"

// Trace follows one goroutine's operations: the locks it holds now (for
// held_io) and, per operation, the lock wait and I/O time it accumulated. It
// is owned by one goroutine at a time (a worker), so it needs no
// synchronisation; carry it in a context with WithTrace. The zero value is
// ready; reuse one per worker (it keeps its backing array, so a steady state
// allocates nothing).
type Trace struct {
	held    []heldLock
	ioDepth int
	ioStart int64 // ticks

	// Per-operation accumulators; the runner reads them after each
	// operation and clears them with Reset.
	LockWaitNs int64 // time spent waiting for instrumented locks
	IONs       int64 // time spent inside store I/O (outermost calls)
	IOCalls    int64 // store calls made (outermost calls)
}

type heldLock struct {
	lock   *core
	start  int64 // ticks
	writer bool  // held exclusively: its own figures are charged too
}

// traceKey is the context key of a trace. It is a pointer, not the usual
// empty struct: every lock operation looks the trace up, and a context
// compares a pointer key without calling the type's equality function.
type traceKey *byte

var theTraceKey = traceKey(new(byte))

// WithTrace returns a context carrying tr. WithTrace(ctx, nil) hides the
// trace of ctx: give that to goroutines an operation starts, which must not
// share its trace.
func WithTrace(ctx context.Context, tr *Trace) context.Context {
	return context.WithValue(ctx, theTraceKey, tr)
}

// FromContext returns the trace in ctx, or nil.
func FromContext(ctx context.Context) *Trace {
	if ctx == nil {
		return nil
	}
	tr, _ := ctx.Value(theTraceKey).(*Trace)
	return tr
}

// Reset clears the per-operation accumulators. It leaves the held locks
// alone: between operations there should be none (see Holding).
func (tr *Trace) Reset() { tr.LockWaitNs, tr.IONs, tr.IOCalls = 0, 0, 0 }

// Holding returns how many instrumented locks the trace's goroutine holds
// now; between operations it should be 0.
func (tr *Trace) Holding() int { return len(tr.held) }

// push records that l was acquired at start, exclusively if writer; a nil
// trace does nothing.
func (tr *Trace) push(l *core, start int64, writer bool) {
	if tr != nil {
		tr.held = append(tr.held, heldLock{lock: l, start: start, writer: writer})
	}
}

// waited charges a wait for another lock, in ticks, to the locks held
// exclusively meanwhile: their hold includes time queueing elsewhere, which
// is not their own demand (see Snapshot.HeldWaitNs). Contended path only.
func (tr *Trace) waited(wait int64) {
	if tr == nil {
		return
	}
	for _, h := range tr.held {
		if h.writer {
			h.lock.own.heldWait.Add(wait)
		}
	}
}

// pop removes the most recent entry of l and returns its start; ok is false
// on a nil trace or when l is not on it (locked with another context).
func (tr *Trace) pop(l *core) (start int64, ok bool) {
	if tr == nil {
		return 0, false
	}
	// Locks are mostly released in the reverse order of acquisition, so
	// the entry is almost always the last one: removed without append,
	// which is a typed copy, with write barriers, even of nothing. The
	// entry left behind points to a lock that lives as long as its Set.
	last := len(tr.held) - 1
	if last >= 0 && tr.held[last].lock == l {
		start = tr.held[last].start
		tr.held = tr.held[:last]
		return start, true
	}
	for i := last - 1; i >= 0; i-- {
		if tr.held[i].lock == l {
			start = tr.held[i].start
			tr.held = append(tr.held[:i], tr.held[i+1:]...)
			return start, true
		}
	}
	return 0, false
}

// IO is one blocking call being timed as I/O, from BeginIO to its End.
type IO struct {
	tr *Trace // nil: no trace in the context, nothing to charge
}

// BeginIO marks the start of a blocking call — a store call, an HTTP
// request — by the goroutine owning the trace in ctx, now; end it with the
// returned IO's End. Nested calls count once, as part of the outermost.
// Without a trace in ctx it reads no clock.
func BeginIO(ctx context.Context) IO {
	tr := FromContext(ctx)
	if tr != nil {
		tr.beginIO(ticks())
	}
	return IO{tr: tr}
}

// BeginIOAt is BeginIO at a time already read, start (ticks of Ticks), for a
// caller that times the call itself: store.Instrument shares its two
// readings with the bracket rather than taking two more.
func BeginIOAt(ctx context.Context, start int64) IO {
	tr := FromContext(ctx)
	if tr != nil {
		tr.beginIO(start)
	}
	return IO{tr: tr}
}

func (tr *Trace) beginIO(start int64) {
	if tr.ioDepth == 0 {
		tr.ioStart = start
	}
	tr.ioDepth++
}

// End ends the call now. When the outermost call ends, its duration is added
// to the trace's IONs and to the held_io of every lock the goroutine holds:
// for a lock taken during the call, only the part after it was taken.
func (io IO) End() {
	if io.tr != nil {
		io.EndAt(ticks())
	}
}

// EndAt is End at a time already read, end (ticks of Ticks), for the caller
// of BeginIOAt.
func (io IO) EndAt(end int64) {
	tr := io.tr
	if tr == nil || tr.ioDepth == 0 {
		return
	}
	tr.ioDepth--
	if tr.ioDepth > 0 {
		return
	}
	tr.IONs += rate().ns(end - tr.ioStart)
	tr.IOCalls++
	for _, h := range tr.held {
		d := max(end-h.lock.family.since(max(tr.ioStart, h.start)), 0)
		h.lock.family.chargeIO(d)
		if h.writer {
			h.lock.own.heldIO.Add(d)
		}
	}
}
