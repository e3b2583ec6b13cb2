package impltest

import (
	"context"
	"fmt"
	"time"

	"lockbench/ctxsys"
)

var managerCases = []testCase{
	{name: "get-missing", run: func(h *harness) {
		h.wantAbsent("nope")
	}},
	{name: "create-then-get", run: func(h *harness) {
		in := ctxsys.State{ID: "other", Version: 7, Timestamp: h.now(), Data: []byte("hello"),
			Metadata: map[string]string{"k": "v"}}
		h.must(h.m.Create(h.ctx, "a", in), "create a")
		got, err := h.m.Get(h.ctx, "a")
		h.must(err, "get a")
		want := in
		want.ID = "a" // Create sets state.ID to id
		if !sameState(got, want) {
			h.t.Errorf("get a = %s, want %s", describe(got), describe(want))
		}
	}},
	{name: "create-empty-id", run: func(h *harness) {
		h.wantErr(h.m.Create(h.ctx, "", h.state(1, "x")), ctxsys.ErrInvalid, "create empty id")
		h.wantIDs()
	}},
	{name: "create-existing", run: func(h *harness) {
		h.create("a")
		h.wantErr(h.m.Create(h.ctx, "a", h.state(9, "again")), ctxsys.ErrExists, "second create a")
		h.wantState("a", 1, "data of a")
	}},
	{name: "create-beyond-max-contexts", run: func(h *harness) {
		for i := range h.cfg.MaxContexts {
			h.create(fmt.Sprint("c", i))
		}
		h.wantErr(h.m.Create(h.ctx, "over", h.state(1, "x")), ctxsys.ErrLimit, "create beyond max_contexts")
		h.wantAbsent("over")
		h.wantIDs("c0", "c1", "c2")
	}},
	{name: "delete-frees-capacity", run: func(h *harness) {
		for i := range h.cfg.MaxContexts {
			h.create(fmt.Sprint("c", i))
		}
		h.must(h.m.Delete(h.ctx, "c1"), "delete c1")
		h.create("d")
		h.wantIDs("c0", "c2", "d")
	}},
	{name: "update", run: func(h *harness) {
		h.create("a")
		h.clock.Advance(time.Second)
		h.must(h.m.Update(h.ctx, "a", h.state(2, "new")), "update a")
		h.wantState("a", 2, "new")
		got, _ := h.m.Get(h.ctx, "a")
		if !got.Timestamp.Equal(h.now()) {
			h.t.Errorf("update a: timestamp %v, want the one given %v", got.Timestamp, h.now())
		}
	}},
	{name: "update-missing", run: func(h *harness) {
		h.wantErr(h.m.Update(h.ctx, "nope", h.state(2, "x")), ctxsys.ErrNotFound, "update missing")
		h.wantAbsent("nope")
		h.wantIDs()
	}},
	{name: "delete", run: func(h *harness) {
		h.create("a")
		h.create("b")
		for range 2 {
			_, err := h.m.CreateRecoveryPoint(h.ctx, "a")
			h.must(err, "recovery point a")
		}
		h.must(h.m.Delete(h.ctx, "a"), "delete a")
		h.wantAbsent("a")
		h.wantIDs("b")
		_, err := h.m.RecoveryPoints(h.ctx, "a")
		h.wantErr(err, ctxsys.ErrNotFound, "recovery points of deleted a")
		keys, _ := h.mem.List(context.Background(), ctxsys.RecoveryPointsPrefix("a"))
		if _, err := h.mem.Get(context.Background(), ctxsys.StateKey("a")); err == nil || len(keys) > 0 {
			h.t.Errorf("store still holds keys of deleted a: state present %t, recovery points %q", err == nil, keys)
		}
	}},
	{name: "delete-missing", run: func(h *harness) {
		h.wantErr(h.m.Delete(h.ctx, "nope"), ctxsys.ErrNotFound, "delete missing")
		h.create("a")
		h.must(h.m.Delete(h.ctx, "a"), "delete a")
		h.wantErr(h.m.Delete(h.ctx, "a"), ctxsys.ErrNotFound, "second delete a")
	}},
	{name: "list-sorted", run: func(h *harness) {
		h.wantIDs()
		for _, id := range []string{"c", "a", "b"} {
			h.create(id)
		}
		h.wantIDs("a", "b", "c")
	}},
	{name: "copies-in-and-out", run: func(h *harness) {
		in := h.state(1, "orig")
		in.Metadata = map[string]string{"k": "v"}
		h.must(h.m.Create(h.ctx, "a", in), "create a")
		in.Data[0] = 'X'
		in.Metadata["k"] = "changed by caller"
		got, _ := h.m.Get(h.ctx, "a")
		got.Data[0] = 'Y'
		got.Metadata["k"] = "changed by reader"
		again, _ := h.m.Get(h.ctx, "a")
		if string(again.Data) != "orig" || again.Metadata["k"] != "v" {
			h.t.Errorf("the manager shares memory with its callers: get a = %s", describe(again))
		}
		up := h.state(2, "upd")
		h.must(h.m.Update(h.ctx, "a", up), "update a")
		up.Data[0] = 'Z'
		h.wantState("a", 2, "upd")
	}},
	{name: "recovery-point-missing", run: func(h *harness) {
		_, err := h.m.CreateRecoveryPoint(h.ctx, "nope")
		h.wantErr(err, ctxsys.ErrNotFound, "recovery point of missing")
		_, err = h.m.RecoveryPoints(h.ctx, "nope")
		h.wantErr(err, ctxsys.ErrNotFound, "recovery points of missing")
	}},
	{name: "recovery-points-initially-empty", run: func(h *harness) {
		h.create("a")
		h.wantSeqs("a")
	}},
	{name: "recovery-point-snapshots-state", run: func(h *harness) {
		h.create("a")
		rp1, err := h.m.CreateRecoveryPoint(h.ctx, "a")
		h.must(err, "recovery point 1")
		h.clock.Advance(time.Second)
		h.must(h.m.Update(h.ctx, "a", h.state(2, "two")), "update a")
		rp2, err := h.m.CreateRecoveryPoint(h.ctx, "a")
		h.must(err, "recovery point 2")
		if rp1.ContextID != "a" || rp1.Seq != 1 || rp1.State.Version != 1 || string(rp1.State.Data) != "data of a" {
			h.t.Errorf("first recovery point = %+v, want context a, seq 1, version 1", rp1)
		}
		if rp2.ContextID != "a" || rp2.Seq != 2 || rp2.State.Version != 2 || string(rp2.State.Data) != "two" {
			h.t.Errorf("second recovery point = %+v, want context a, seq 2, version 2", rp2)
		}
		if !rp2.CreatedAt.Equal(h.now()) {
			h.t.Errorf("recovery point created at %v, want the clock's %v", rp2.CreatedAt, h.now())
		}
		points, err := h.m.RecoveryPoints(h.ctx, "a")
		h.must(err, "recovery points of a")
		if len(points) != 2 || !sameState(points[0].State, rp1.State) || !sameState(points[1].State, rp2.State) {
			h.t.Fatalf("recovery points of a = %+v, want the two created", points)
		}
		for _, p := range points {
			b, err := h.mem.Get(context.Background(), ctxsys.RecoveryPointKey("a", p.Seq))
			h.must(err, "stored recovery point")
			stored, err := ctxsys.DecodeRecoveryPoint(b)
			h.must(err, "decode stored recovery point")
			if stored.ContextID != p.ContextID || stored.Seq != p.Seq || !sameState(stored.State, p.State) ||
				!stored.CreatedAt.Equal(p.CreatedAt) {
				h.t.Errorf("stored recovery point %+v differs from memory %+v", stored, p)
			}
		}
	}},
	{name: "recovery-points-trimmed", run: func(h *harness) {
		h.create("a")
		for i := range h.cfg.MaxRecoveryPoints + 2 {
			h.clock.Advance(time.Second)
			rp, err := h.m.CreateRecoveryPoint(h.ctx, "a")
			h.must(err, "recovery point")
			if rp.Seq != uint64(i+1) {
				h.t.Errorf("recovery point %d has seq %d", i+1, rp.Seq)
			}
		}
		// Max 3, five created: the two oldest are gone, here and (checked
		// after every operation) in the store.
		h.wantSeqs("a", 3, 4, 5)
	}},
	{name: "recovery-points-per-id", run: func(h *harness) {
		h.create("a")
		h.create("b")
		for _, id := range []string{"a", "a", "b"} {
			_, err := h.m.CreateRecoveryPoint(h.ctx, id)
			h.must(err, "recovery point "+id)
		}
		h.wantSeqs("a", 1, 2)
		h.wantSeqs("b", 1)
	}},
}
