package impltest

import (
	"errors"
	"slices"
	"time"

	"lockbench/ctxsys"
)

// must stops the test if err is not nil.
func (h *harness) must(err error, what string) {
	h.t.Helper()
	if err != nil {
		h.t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// wantErr reports an error unless errors.Is(err, target).
func (h *harness) wantErr(err, target error, what string) {
	h.t.Helper()
	if !errors.Is(err, target) {
		h.t.Errorf("%s: error = %v, want %v", what, err, target)
	}
}

// now is the fake clock's reading.
func (h *harness) now() time.Time { return h.clock.Now() }

// state is a State of the given version and data, stamped now.
func (h *harness) state(version uint64, data string) ctxsys.State {
	return ctxsys.State{Version: version, Timestamp: h.now(), Data: []byte(data)}
}

// create creates id in the Manager with version 1, or stops the test.
func (h *harness) create(id string) {
	h.t.Helper()
	h.must(h.m.Create(h.ctx, id, h.state(1, "data of "+id)), "create "+id)
}

// wantState checks id's state in the Manager has version and data.
func (h *harness) wantState(id string, version uint64, data string) {
	h.t.Helper()
	got, err := h.m.Get(h.ctx, id)
	if err != nil {
		h.t.Errorf("get %s: %v", id, err)
		return
	}
	if got.ID != id || got.Version != version || string(got.Data) != data {
		h.t.Errorf("get %s = %s, want id %q version %d data %q", id, describe(got), id, version, data)
	}
}

// wantAbsent checks the Manager has no id.
func (h *harness) wantAbsent(id string) {
	h.t.Helper()
	_, err := h.m.Get(h.ctx, id)
	h.wantErr(err, ctxsys.ErrNotFound, "get "+id)
}

// wantIDs checks the Manager lists exactly ids (sorted).
func (h *harness) wantIDs(ids ...string) {
	h.t.Helper()
	got, err := h.m.List(h.ctx)
	h.must(err, "list")
	if !slices.Equal(got, ids) {
		h.t.Errorf("list = %q, want %q", got, ids)
	}
}

// wantSeqs checks the recovery points of id have exactly seqs, in order.
func (h *harness) wantSeqs(id string, seqs ...uint64) {
	h.t.Helper()
	points, err := h.m.RecoveryPoints(h.ctx, id)
	h.must(err, "recovery points of "+id)
	got := make([]uint64, len(points))
	for i, p := range points {
		got[i] = p.Seq
		if p.ContextID != id {
			h.t.Errorf("recovery point %d of %s has context id %q", p.Seq, id, p.ContextID)
		}
	}
	if !slices.Equal(got, seqs) {
		h.t.Errorf("recovery point seqs of %s = %v, want %v", id, got, seqs)
	}
}

// wantAdapter checks the Adapter's record of id has version and data.
func (h *harness) wantAdapter(id string, version uint64, data string) ctxsys.AdapterContext {
	h.t.Helper()
	got, err := h.a.Get(h.ctx, id)
	if err != nil {
		h.t.Errorf("adapter get %s: %v", id, err)
		return got
	}
	if got.ID != id || got.Version != version || string(got.Data) != data {
		h.t.Errorf("adapter get %s = {id %q version %d data %q}, want id %q version %d data %q",
			id, got.ID, got.Version, got.Data, id, version, data)
	}
	return got
}

// wantAdapterIDs checks the Adapter lists exactly ids, sorted.
func (h *harness) wantAdapterIDs(ids ...string) {
	h.t.Helper()
	list, err := h.a.List(h.ctx)
	h.must(err, "adapter list")
	got := make([]string, len(list))
	for i, ac := range list {
		got[i] = ac.ID
	}
	if !slices.Equal(got, ids) {
		h.t.Errorf("adapter list = %q, want %q", got, ids)
	}
}
