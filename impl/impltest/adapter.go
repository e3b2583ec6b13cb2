package impltest

import (
	"slices"
	"time"

	"lockbench/ctxsys"
)

// adapterCreate creates id in the Adapter, or stops the test.
func (h *harness) adapterCreate(id string) ctxsys.AdapterContext {
	h.t.Helper()
	ac, err := h.a.Create(h.ctx, id, []byte("data of "+id))
	h.must(err, "adapter create "+id)
	return ac
}

// wantCleanup runs CleanupExpired and checks the ids it returns.
func (h *harness) wantCleanup(ids ...string) {
	h.t.Helper()
	got, err := h.a.CleanupExpired(h.ctx)
	h.must(err, "cleanup")
	if !slices.Equal(got, ids) {
		h.t.Errorf("cleanup at +%v removed %q, want %q", h.now().Sub(epoch), got, ids)
	}
}

var adapterCases = []testCase{
	{name: "create", run: func(h *harness) {
		ac := h.adapterCreate("a")
		if ac.ID != "a" || ac.Version != 1 || string(ac.Data) != "data of a" ||
			!ac.CreatedAt.Equal(h.now()) || !ac.UpdatedAt.Equal(h.now()) {
			h.t.Errorf("adapter create a = %+v, want version 1, the data, created and updated now", ac)
		}
		h.wantAdapter("a", 1, "data of a")
		h.wantState("a", 1, "data of a")
	}},
	{name: "create-empty-id", run: func(h *harness) {
		_, err := h.a.Create(h.ctx, "", []byte("x"))
		h.wantErr(err, ctxsys.ErrInvalid, "adapter create empty id")
		h.wantAdapterIDs()
		h.wantIDs()
	}},
	{name: "create-existing", run: func(h *harness) {
		h.adapterCreate("a")
		_, err := h.a.Create(h.ctx, "a", []byte("again"))
		h.wantErr(err, ctxsys.ErrExists, "second adapter create a")
		h.wantAdapter("a", 1, "data of a")
	}},
	{name: "create-existing-in-manager", run: func(h *harness) {
		h.create("m")
		_, err := h.a.Create(h.ctx, "m", []byte("x"))
		h.wantErr(err, ctxsys.ErrExists, "adapter create of an id the manager has")
		_, err = h.a.Get(h.ctx, "m")
		h.wantErr(err, ctxsys.ErrNotFound, "adapter get m")
		h.wantState("m", 1, "data of m")
	}},
	{name: "create-beyond-max-contexts", run: func(h *harness) {
		for _, id := range []string{"a", "b", "c"} {
			h.adapterCreate(id)
		}
		_, err := h.a.Create(h.ctx, "over", []byte("x"))
		h.wantErr(err, ctxsys.ErrLimit, "adapter create beyond max_contexts")
		h.wantAdapterIDs("a", "b", "c")
		h.wantIDs("a", "b", "c")
	}},
	{name: "update", run: func(h *harness) {
		created := h.adapterCreate("a")
		h.clock.Advance(time.Minute)
		ac, err := h.a.Update(h.ctx, "a", []byte("new"))
		h.must(err, "adapter update a")
		if ac.Version != 2 || string(ac.Data) != "new" || !ac.UpdatedAt.Equal(h.now()) ||
			!ac.CreatedAt.Equal(created.CreatedAt) {
			h.t.Errorf("adapter update a = %+v, want version 2, data new, updated now, created unchanged", ac)
		}
		h.wantAdapter("a", 2, "new")
		h.wantState("a", 2, "new")
		h.must2(h.a.Update(h.ctx, "a", []byte("third")))
		h.wantAdapter("a", 3, "third")
		h.wantState("a", 3, "third")
	}},
	{name: "update-missing", run: func(h *harness) {
		_, err := h.a.Update(h.ctx, "nope", []byte("x"))
		h.wantErr(err, ctxsys.ErrNotFound, "adapter update missing")
		h.wantAbsent("nope")
	}},
	{name: "delete", run: func(h *harness) {
		h.adapterCreate("a")
		h.adapterCreate("b")
		h.must(h.a.Delete(h.ctx, "a"), "adapter delete a")
		_, err := h.a.Get(h.ctx, "a")
		h.wantErr(err, ctxsys.ErrNotFound, "adapter get deleted a")
		h.wantAbsent("a")
		h.wantIDs("b")
		h.wantErr(h.a.Delete(h.ctx, "a"), ctxsys.ErrNotFound, "second adapter delete a")
		h.wantErr(h.a.Delete(h.ctx, "nope"), ctxsys.ErrNotFound, "adapter delete missing")
	}},
	{name: "delete-frees-capacity", run: func(h *harness) {
		for _, id := range []string{"a", "b", "c"} {
			h.adapterCreate(id)
		}
		h.must(h.a.Delete(h.ctx, "b"), "adapter delete b")
		h.adapterCreate("d")
		h.wantAdapterIDs("a", "c", "d")
	}},
	{name: "list-sorted", run: func(h *harness) {
		h.wantAdapterIDs()
		for _, id := range []string{"c", "a", "b"} {
			h.adapterCreate(id)
		}
		h.wantAdapterIDs("a", "b", "c")
	}},
	{name: "update-config-keeps-zero-fields", run: func(h *harness) {
		before, err := h.a.Config(h.ctx)
		h.must(err, "config")
		steps := []struct {
			set, want ctxsys.AdapterConfig
		}{
			{ctxsys.AdapterConfig{TTL: 5 * time.Minute}, ctxsys.AdapterConfig{MaxContexts: before.MaxContexts, TTL: 5 * time.Minute}},
			{ctxsys.AdapterConfig{MaxContexts: 7}, ctxsys.AdapterConfig{MaxContexts: 7, TTL: 5 * time.Minute}},
			{ctxsys.AdapterConfig{}, ctxsys.AdapterConfig{MaxContexts: 7, TTL: 5 * time.Minute}},
			{ctxsys.AdapterConfig{MaxContexts: 2, TTL: time.Second}, ctxsys.AdapterConfig{MaxContexts: 2, TTL: time.Second}},
		}
		for _, s := range steps {
			h.must(h.a.UpdateConfig(h.ctx, s.set), "update config")
			got, err := h.a.Config(h.ctx)
			h.must(err, "config")
			if got != s.want {
				h.t.Errorf("after UpdateConfig(%+v): config %+v, want %+v", s.set, got, s.want)
			}
		}
	}},
	{name: "update-config-max-contexts", run: func(h *harness) {
		h.must(h.a.UpdateConfig(h.ctx, ctxsys.AdapterConfig{MaxContexts: 1}), "update config")
		h.adapterCreate("a")
		_, err := h.a.Create(h.ctx, "b", []byte("x"))
		h.wantErr(err, ctxsys.ErrLimit, "adapter create beyond the configured max")
		h.wantAdapterIDs("a")
	}},
	{name: "cleanup-expired", run: func(h *harness) {
		h.wantCleanup()
		h.adapterCreate("c")
		h.adapterCreate("a")
		h.clock.Advance(30 * time.Minute)
		h.adapterCreate("b")
		h.clock.Advance(30 * time.Minute)
		h.wantCleanup() // a and c idle exactly ttl: not more than ttl
		h.clock.Advance(time.Nanosecond)
		h.wantCleanup("a", "c")
		h.wantAdapterIDs("b")
		h.wantIDs("b")
		h.clock.Advance(30 * time.Minute)
		h.wantCleanup("b")
		h.wantAdapterIDs()
		h.wantIDs()
	}},
	{name: "cleanup-spares-refreshed", run: func(h *harness) {
		h.adapterCreate("a")
		h.clock.Advance(50 * time.Minute)
		h.must2(h.a.Update(h.ctx, "a", []byte("refresh")))
		h.clock.Advance(50 * time.Minute) // 100 min since create, 50 since refresh
		h.wantCleanup()
		h.wantAdapter("a", 2, "refresh")
	}},
	{name: "cleanup-uses-configured-ttl", run: func(h *harness) {
		h.must(h.a.UpdateConfig(h.ctx, ctxsys.AdapterConfig{TTL: time.Minute}), "update config")
		h.adapterCreate("a")
		h.clock.Advance(2 * time.Minute)
		h.wantCleanup("a")
	}},
	{name: "cleanup-ignores-ids-gone-from-manager", run: func(h *harness) {
		h.adapterCreate("a")
		h.must(h.m.Delete(h.ctx, "a"), "manager delete a")
		h.clock.Advance(h.cfg.TTL + time.Second)
		h.wantCleanup("a")
		h.wantAdapterIDs()
	}},
	{name: "copies", run: func(h *harness) {
		in := []byte("orig")
		out, err := h.a.Create(h.ctx, "a", in)
		h.must(err, "adapter create a")
		in[0] = 'X'
		out.Data[0] = 'Y'
		got, _ := h.a.Get(h.ctx, "a")
		got.Data[0] = 'Z'
		list, _ := h.a.List(h.ctx)
		list[0].Data[0] = 'W'
		h.wantAdapter("a", 1, "orig")
		h.wantState("a", 1, "orig")
	}},
}

// must2 is must for calls that also return a value.
func (h *harness) must2(_ ctxsys.AdapterContext, err error) {
	h.t.Helper()
	h.must(err, "adapter call")
}
