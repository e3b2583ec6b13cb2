package consistency

import (
	"context"
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/store"
	"lockbench/target"
)

// fakeManager shows a fixed memory to the checker; its operations are never
// called by these tests.
type fakeManager struct {
	ctxsys.Manager
	contexts map[string]ctxsys.State
	rps      map[string][]uint64
}

func (m *fakeManager) Contexts() map[string]ctxsys.State      { return m.contexts }
func (m *fakeManager) RecoveryPointSeqs() map[string][]uint64 { return m.rps }

var _ impl.Inspector = (*fakeManager)(nil)

type fakeAdapter struct {
	ctxsys.Adapter
	contexts map[string]ctxsys.AdapterContext
	cfg      ctxsys.AdapterConfig
}

func (a *fakeAdapter) AdapterContexts() map[string]ctxsys.AdapterContext { return a.contexts }
func (a *fakeAdapter) Config(context.Context) (ctxsys.AdapterConfig, error) {
	return a.cfg, nil
}

var _ impl.AdapterInspector = (*fakeAdapter)(nil)

type fakeTracker struct {
	ctxsys.Tracker
	state ctxsys.State
}

func (t *fakeTracker) State(context.Context) (ctxsys.State, error) { return t.state, nil }

// world is the quiescent state a synthetic test hands to Check.
type world struct {
	memory     map[string]ctxsys.State // also written to the store unless store is set
	store      map[string]ctxsys.State // nil: same as memory
	rps        map[string][]uint64     // memory recovery points
	storeRPs   map[string][]uint64     // nil: same as rps
	storeRaw   map[string][]byte       // stored bytes of ids, written as they are
	adapter    map[string]ctxsys.AdapterContext
	adapterCfg ctxsys.AdapterConfig
	trackers   []ctxsys.State
}

func (w world) input(t testing.TB) Input {
	t.Helper()
	ctx := context.Background()
	st := store.NewMemory()
	states, rps := w.store, w.storeRPs
	if states == nil {
		states = w.memory
	}
	if rps == nil {
		rps = w.rps
	}
	for id, s := range states {
		b, err := ctxsys.EncodeState(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Put(ctx, ctxsys.StateKey(id), b); err != nil {
			t.Fatal(err)
		}
	}
	for id, b := range w.storeRaw {
		if err := st.Put(ctx, ctxsys.StateKey(id), b); err != nil {
			t.Fatal(err)
		}
	}
	for id, seqs := range rps {
		for _, seq := range seqs {
			if err := st.Put(ctx, ctxsys.RecoveryPointKey(id, seq), []byte("{}")); err != nil {
				t.Fatal(err)
			}
		}
	}
	memory := w.memory
	if memory == nil {
		memory = map[string]ctxsys.State{}
	}
	sys := &impl.System{Manager: &fakeManager{contexts: memory, rps: w.rps}}
	if w.adapter != nil {
		sys.Adapter = &fakeAdapter{contexts: w.adapter, cfg: w.adapterCfg}
	}
	in := Input{System: sys, Store: st}
	for _, s := range w.trackers {
		in.Trackers = append(in.Trackers, &fakeTracker{state: s})
	}
	return in
}

func state(version uint64, data string) ctxsys.State {
	return ctxsys.State{Version: version, Data: []byte(data)}
}

// kindOf returns the context operation called name; tests name operations
// as workloads do.
func kindOf(name string) target.Op {
	for i, spec := range ctxsys.Ops {
		if spec.Name == name {
			return target.Op(i)
		}
	}
	panic("no context operation " + name)
}

// op builds an Op; fields not given are zero, Tracker is -1.
func op(kind, key string, call, ret int64, set ...func(*Op)) Op {
	o := Op{Kind: kindOf(kind), Key: key, Call: call, Return: ret, Tracker: -1}
	for _, f := range set {
		f(&o)
	}
	return o
}

func by(client int) func(*Op)            { return func(o *Op) { o.Client = client } }
func failed(kind string) func(*Op)       { return func(o *Op) { o.Err = kind } }
func ids(ids ...string) func(*Op)        { return func(o *Op) { o.OutIDs = ids } }
func count(n int) func(*Op)              { return func(o *Op) { o.OutCount = n } }
func onTracker(i int) func(*Op)          { return func(o *Op) { o.Tracker = i } }
func write(v uint64, d string) func(*Op) { return func(o *Op) { o.Version, o.Data = v, d } }
func returns(v uint64, d string) func(*Op) {
	return func(o *Op) { o.OutVersion, o.OutData = v, d }
}

// observe records ops (each by its Client, which must be < workers) and
// checks them.
func observe(t testing.TB, workers int, opt Options, w world, ops ...Op) (Input, *Observer) {
	t.Helper()
	o := NewObserver(workers, opt)
	for _, x := range ops {
		o.Record(x.Client, x)
	}
	return w.input(t), o
}
