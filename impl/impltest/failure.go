package impltest

import (
	"errors"
	"time"

	"lockbench/ctxsys"
)

// failing arms the next store call of op to fail, runs call, and checks
// that its error matches both ctxsys.ErrStore and the store's own error. It
// returns whether the strategy promises an unchanged memory, so the caller
// checks memory only then; for strategies that do not, the store comparison
// after each operation is turned off from here on.
func (h *harness) failing(op, what string, call func() error) (unchanged bool) {
	h.t.Helper()
	if !h.opts.MemoryUnchangedOnStoreFailure {
		h.compareStore = false
	}
	h.faults.failNext(op)
	err := call()
	if h.faults.stillArmed(op) {
		h.t.Fatalf("%s made no store %s call", what, op)
	}
	if !errors.Is(err, ctxsys.ErrStore) || !errors.Is(err, ErrInjected) {
		h.t.Errorf("%s with a failing store %s: error = %v, want one matching ctxsys.ErrStore and the store's error", what, op, err)
	}
	return h.opts.MemoryUnchangedOnStoreFailure
}

var storeFailureCases = []testCase{
	{name: "manager-create", config: func(c *ctxsys.Config) { c.MaxContexts = 1 }, run: func(h *harness) {
		if h.failing("put", "manager create", func() error { return h.m.Create(h.ctx, "a", h.state(1, "x")) }) {
			h.wantAbsent("a")
			h.wantIDs()
			h.create("b") // the failed create left its capacity slot free
		}
	}},
	{name: "manager-update", run: func(h *harness) {
		h.create("a")
		if h.failing("put", "manager update", func() error { return h.m.Update(h.ctx, "a", h.state(2, "x")) }) {
			h.wantState("a", 1, "data of a")
		}
	}},
	{name: "manager-delete", run: func(h *harness) {
		h.create("a")
		if h.failing("delete", "manager delete", func() error { return h.m.Delete(h.ctx, "a") }) {
			h.wantState("a", 1, "data of a")
			h.wantIDs("a")
		}
	}},
	{name: "manager-recovery-point", run: func(h *harness) {
		h.create("a")
		_, err := h.m.CreateRecoveryPoint(h.ctx, "a")
		h.must(err, "recovery point")
		if h.failing("put", "manager recovery point", func() error {
			_, err := h.m.CreateRecoveryPoint(h.ctx, "a")
			return err
		}) {
			h.wantSeqs("a", 1)
		}
	}},
	{name: "tracker-sync", run: func(h *harness) {
		h.create("a")
		tr := h.tracker()
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.must(tr.UpdateState(h.ctx, h.state(2, "local")), "update state")
		if h.failing("put", "tracker sync", func() error { return tr.Sync(h.ctx) }) {
			h.wantState("a", 1, "data of a")
			h.wantSyncNeeded(tr, true, "after a failed sync")
			h.wantTrackerVersion(tr, 2, "local")
		}
	}},
	{name: "adapter-create", config: func(c *ctxsys.Config) { c.MaxContexts = 1 }, run: func(h *harness) {
		if h.failing("put", "adapter create", func() error {
			_, err := h.a.Create(h.ctx, "a", []byte("x"))
			return err
		}) {
			_, err := h.a.Get(h.ctx, "a")
			h.wantErr(err, ctxsys.ErrNotFound, "adapter get after a failed create")
			h.wantAbsent("a")
			h.adapterCreate("b") // capacity released here and in the manager
		}
	}},
	{name: "adapter-update", run: func(h *harness) {
		h.adapterCreate("a")
		if h.failing("put", "adapter update", func() error {
			_, err := h.a.Update(h.ctx, "a", []byte("x"))
			return err
		}) {
			h.wantAdapter("a", 1, "data of a")
			h.wantState("a", 1, "data of a")
		}
	}},
	{name: "adapter-delete", run: func(h *harness) {
		h.adapterCreate("a")
		if h.failing("delete", "adapter delete", func() error { return h.a.Delete(h.ctx, "a") }) {
			h.wantAdapter("a", 1, "data of a")
			h.wantState("a", 1, "data of a")
		}
	}},
	{name: "adapter-cleanup", run: func(h *harness) {
		h.adapterCreate("a")
		h.clock.Advance(h.cfg.TTL + time.Second)
		if h.failing("delete", "adapter cleanup", func() error {
			_, err := h.a.CleanupExpired(h.ctx)
			return err
		}) {
			h.wantAdapter("a", 1, "data of a")
			h.wantState("a", 1, "data of a")
		}
	}},
}
