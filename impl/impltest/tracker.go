package impltest

import (
	"fmt"
	"time"

	"lockbench/ctxsys"
)

// wantSyncNeeded checks tr.SyncNeeded.
func (h *harness) wantSyncNeeded(tr ctxsys.Tracker, want bool, when string) {
	h.t.Helper()
	got, err := tr.SyncNeeded(h.ctx)
	h.must(err, "sync needed")
	if got != want {
		h.t.Errorf("%s: SyncNeeded = %t, want %t", when, got, want)
	}
}

// wantTrackerVersion checks the version of tr's current state.
func (h *harness) wantTrackerVersion(tr ctxsys.Tracker, version uint64, data string) {
	h.t.Helper()
	st, err := tr.State(h.ctx)
	h.must(err, "tracker state")
	if st.Version != version || string(st.Data) != data {
		h.t.Errorf("tracker state = %s, want version %d data %q", describe(st), version, data)
	}
}

func (h *harness) wantActive(tr ctxsys.Tracker, id string) {
	h.t.Helper()
	got, err := tr.ActiveID(h.ctx)
	h.must(err, "active id")
	if got != id {
		h.t.Errorf("active id = %q, want %q", got, id)
	}
}

var trackerCases = []testCase{
	{name: "zero-state", run: func(h *harness) {
		tr := h.tracker()
		st, err := tr.State(h.ctx)
		h.must(err, "state")
		if !sameState(st, ctxsys.State{}) {
			h.t.Errorf("new tracker state = %s, want the zero State", describe(st))
		}
		h.wantActive(tr, "")
		h.wantSyncNeeded(tr, true, "new tracker (unsynchronized)")
	}},
	{name: "version-rule", run: func(h *harness) {
		tr := h.tracker()
		steps := []struct {
			version uint64
			stale   bool
		}{
			{0, true}, // not higher than the zero state's 0
			{1, false},
			{1, true},
			{0, true},
			{3, false},
			{2, true},
			{3, true},
			{4, false},
		}
		for _, s := range steps {
			err := tr.UpdateState(h.ctx, h.state(s.version, fmt.Sprint("v", s.version)))
			if s.stale {
				h.wantErr(err, ctxsys.ErrStaleVersion, fmt.Sprint("update to version ", s.version))
			} else {
				h.must(err, fmt.Sprint("update to version ", s.version))
			}
		}
		h.wantTrackerVersion(tr, 4, "v4")
	}},
	{name: "trackers-independent", run: func(h *harness) {
		one, two := h.tracker(), h.tracker()
		h.must(one.UpdateState(h.ctx, h.state(5, "one")), "update tracker one")
		h.wantTrackerVersion(two, 0, "")
	}},
	{name: "activate-missing", run: func(h *harness) {
		tr := h.tracker()
		h.wantErr(tr.Activate(h.ctx, "nope"), ctxsys.ErrNotFound, "activate missing")
		h.wantActive(tr, "")
	}},
	{name: "activate-loads-from-manager", run: func(h *harness) {
		h.must(h.m.Create(h.ctx, "a", h.state(4, "four")), "create a")
		tr := h.tracker()
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.wantActive(tr, "a")
		h.wantTrackerVersion(tr, 4, "four")
		st, _ := tr.State(h.ctx)
		if st.ID != "a" {
			h.t.Errorf("activated state has id %q, want a", st.ID)
		}
	}},
	{name: "deactivate-keeps-state", run: func(h *harness) {
		h.must(h.m.Create(h.ctx, "a", h.state(4, "four")), "create a")
		tr := h.tracker()
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.must(tr.Deactivate(h.ctx), "deactivate")
		h.wantActive(tr, "")
		h.wantTrackerVersion(tr, 4, "four")
	}},
	{name: "no-active-context", run: func(h *harness) {
		h.create("a")
		tr := h.tracker()
		check := func(when string) {
			h.wantErr(tr.Sync(h.ctx), ctxsys.ErrNoActiveContext, "sync "+when)
			_, err := tr.CreateRecoveryPoint(h.ctx)
			h.wantErr(err, ctxsys.ErrNoActiveContext, "recovery point "+when)
		}
		check("before activation")
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.must(tr.Deactivate(h.ctx), "deactivate")
		check("after deactivation")
		h.wantSeqs("a")
	}},
	{name: "sync-pushes-state", run: func(h *harness) {
		h.create("a")
		tr := h.tracker()
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.clock.Advance(time.Second)
		h.must(tr.UpdateState(h.ctx, h.state(2, "local")), "update state")
		h.wantSyncNeeded(tr, true, "after a local update")
		h.wantState("a", 1, "data of a") // not pushed before Sync

		h.must(tr.Sync(h.ctx), "sync")
		h.wantState("a", 2, "local")
		st, _ := tr.State(h.ctx)
		if !st.Synchronized {
			h.t.Errorf("after sync the tracker's state is not marked synchronized: %s", describe(st))
		}
		h.wantSyncNeeded(tr, false, "right after sync")
		h.clock.Advance(h.cfg.SyncInterval / 2)
		h.wantSyncNeeded(tr, false, "half a sync interval after sync")
		h.clock.Advance(h.cfg.SyncInterval/2 + time.Nanosecond)
		h.wantSyncNeeded(tr, true, "more than a sync interval after sync")

		h.must(tr.Sync(h.ctx), "second sync")
		h.wantSyncNeeded(tr, false, "right after the second sync")
		h.must(tr.UpdateState(h.ctx, h.state(3, "again")), "update state")
		h.wantSyncNeeded(tr, true, "after another local update")
	}},
	{name: "recovery-point", run: func(h *harness) {
		h.create("a")
		tr := h.tracker()
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		rp, err := tr.CreateRecoveryPoint(h.ctx)
		h.must(err, "recovery point")
		if rp.ContextID != "a" || rp.State.Version != 1 {
			h.t.Errorf("tracker recovery point = %+v, want one of a at version 1", rp)
		}
		h.wantSeqs("a", rp.Seq)
	}},
	{name: "no-auto-recovery-by-default", run: func(h *harness) {
		h.create("a")
		tr := h.tracker()
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.must(tr.UpdateState(h.ctx, h.state(2, "x")), "update state")
		h.wantSeqs("a")
	}},
	{name: "auto-recovery", config: func(c *ctxsys.Config) { c.AutoRecovery = true }, run: func(h *harness) {
		h.create("a")
		tr := h.tracker()
		h.must(tr.UpdateState(h.ctx, h.state(1, "inactive")), "update with no active context")
		h.wantSeqs("a")
		h.must(tr.Activate(h.ctx, "a"), "activate a")
		h.must(tr.UpdateState(h.ctx, h.state(5, "x")), "update state")
		h.wantSeqs("a", 1)
		h.wantErr(tr.UpdateState(h.ctx, h.state(5, "y")), ctxsys.ErrStaleVersion, "stale update")
		h.wantSeqs("a", 1)
		h.must(tr.UpdateState(h.ctx, h.state(6, "z")), "update state")
		h.wantSeqs("a", 1, 2)
	}},
	{name: "copies", run: func(h *harness) {
		tr := h.tracker()
		in := h.state(1, "orig")
		h.must(tr.UpdateState(h.ctx, in), "update state")
		in.Data[0] = 'X'
		got, _ := tr.State(h.ctx)
		got.Data[0] = 'Y'
		h.wantTrackerVersion(tr, 1, "orig")
	}},
}
