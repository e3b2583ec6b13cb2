package workload_test

import (
	"errors"
	"strings"
	"testing"

	"lockbench/ctxsys"
	"lockbench/target"
	"lockbench/workload"
)

type nopSystem struct{}

func (nopSystem) Client(int) target.Client { return nil }

// registerTestTarget registers a small target for the duration of t.
func registerTestTarget(t *testing.T) {
	t.Helper()
	err := target.Register(target.Target{
		Name: "wl-test",
		Ops: []target.OpSpec{
			{Name: "box.peek"},
			{Name: "box.put", Keyed: true, Writes: true, Creates: true},
			{Name: "box.take", Keyed: true, Writes: true, NeedsExisting: true},
		},
		Strategies: target.List(target.Strategy{Name: "plain", New: func(target.Deps) (target.System, error) { return nopSystem{}, nil }}),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Unregister("wl-test") })
}

func TestContextIsTheDefaultTarget(t *testing.T) {
	spec := specOf(t, "{manager.update: 3, tracker.sync: 1}", "preload: 1\n")
	if spec.Target != "" || spec.TargetName() != target.Default {
		t.Errorf("Target %q, TargetName %q", spec.Target, spec.TargetName())
	}
	for _, spec := range ctxsys.Ops {
		op, err := specOf(t, "{"+spec.Name+": 1}", "preload: 1\n").ParseOp(spec.Name)
		if err != nil || ctxsys.Ops[op].Name != spec.Name {
			t.Errorf("ParseOp(%q) = %d, %v", spec.Name, op, err)
		}
	}
	if got := spec.OpKinds(); len(got) != 2 || got[0] != ctxsys.ManagerUpdate || got[1] != ctxsys.TrackerSync {
		t.Errorf("OpKinds = %v", got)
	}
}

func TestOwnTarget(t *testing.T) {
	registerTestTarget(t)
	spec := specOf(t, "{box.put: 1, box.peek: 3}", "target: wl-test\n")
	if got := spec.OpKinds(); len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Fatalf("OpKinds = %v", got)
	}
	if p := spec.Probability(0); p != 0.75 {
		t.Errorf("P(box.peek) = %v", p)
	}
	// Keyed comes from the target's table: peek gets no key, put one.
	g := spec.Generator(0, 1)
	for range 100 {
		op, key := g.Next()
		if (op == 1) != (key != "") {
			t.Fatalf("op %d key %q", op, key)
		}
	}
	// The target's flags drive validation: take needs something to exist.
	_, err := workload.Parse([]byte("name: g\ntarget: wl-test\nmix: {box.take: 1}\n"), "own.yaml")
	if err == nil || !strings.Contains(err.Error(), "box.take would only ever find nothing") {
		t.Errorf("take without preload or put: %v", err)
	}
}

func TestTargetErrors(t *testing.T) {
	registerTestTarget(t)
	for _, c := range []struct{ desc, doc, want string }{
		{"unknown target", "name: g\ntarget: wl-tset\nmix: {box.put: 1}\n", `target: unknown target "wl-tset" (did you mean "wl-test"?)`},
		{"context op on another target", "name: g\ntarget: wl-test\nmix: {manager.get: 1}\n",
			`mix.manager.get: unknown operation "manager.get" for target "wl-test" (it has: box.peek, box.put, box.take)`},
		{"misspelt op", "name: g\nmix: {tracker.updatestate: 1}\n",
			`unknown operation "tracker.updatestate" for target "context" (did you mean "tracker.update_state"?) (it has: manager.get,`},
	} {
		t.Run(c.desc, func(t *testing.T) {
			_, err := workload.Parse([]byte(c.doc), "t.yaml")
			if !errors.Is(err, workload.ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line containing %q", msg, c.want)
			}
		})
	}
}
