package impltest

import (
	"slices"

	"lockbench/ctxsys"
	"lockbench/impl"
)

var inspectorCases = []testCase{
	{name: "manager-copies", run: func(h *harness) {
		in, ok := h.sys.Manager.(impl.Inspector)
		if !ok {
			h.t.Skip("the manager does not implement impl.Inspector")
		}
		h.create("a")
		_, err := h.m.CreateRecoveryPoint(h.ctx, "a")
		h.must(err, "recovery point")

		states := in.Contexts()
		if len(states) != 1 || !sameState(states["a"], ctxsys.State{ID: "a", Version: 1, Timestamp: h.now(), Data: []byte("data of a")}) {
			h.t.Errorf("Contexts() = %v, want a at version 1", states)
		}
		states["a"].Data[0] = 'X'
		states["b"] = ctxsys.State{ID: "b"}
		delete(states, "a")
		seqs := in.RecoveryPointSeqs()
		if !slices.Equal(seqs["a"], []uint64{1}) {
			h.t.Errorf("RecoveryPointSeqs() = %v, want a: [1]", seqs)
		}
		seqs["a"][0] = 99
		seqs["b"] = []uint64{1}

		h.wantState("a", 1, "data of a")
		h.wantIDs("a")
		h.wantSeqs("a", 1)
		if again := in.RecoveryPointSeqs(); !slices.Equal(again["a"], []uint64{1}) || len(again["b"]) != 0 {
			h.t.Errorf("RecoveryPointSeqs() after the caller changed its copy = %v", again)
		}
	}},
	{name: "adapter-copies", run: func(h *harness) {
		in, ok := h.sys.Adapter.(impl.AdapterInspector)
		if !ok {
			h.t.Skip("the adapter does not implement impl.AdapterInspector")
		}
		h.adapterCreate("a")
		got := in.AdapterContexts()
		if ac := got["a"]; len(got) != 1 || ac.Version != 1 || string(ac.Data) != "data of a" {
			h.t.Errorf("AdapterContexts() = %v, want a at version 1", got)
		}
		got["a"].Data[0] = 'X'
		delete(got, "a")
		got["b"] = ctxsys.AdapterContext{ID: "b"}
		h.wantAdapter("a", 1, "data of a")
		h.wantAdapterIDs("a")
	}},
}
