package target_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"lockbench/target"
)

// TestValidateOperationNames: an operation is "component.method", with
// something on both sides of the first dot.
func TestValidateOperationNames(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"t.get", true},
		{"a.b", true},
		{"cache.entry.get", true},
		{"get", false},
		{".get", false},
		{"t.", false},
		{".", false},
		{"", false},
	} {
		tg := testTarget("names-test")
		tg.Ops = []target.OpSpec{{Name: c.name}}
		err := target.Register(tg)
		target.Unregister("names-test")
		if (err == nil) != c.ok {
			t.Errorf("operation %q: Register = %v, want ok %v", c.name, err, c.ok)
		}
	}
}

// TestValidateOperationCount: an Op is a uint16, so a target has at most
// 65535 operations.
func TestValidateOperationCount(t *testing.T) {
	for _, c := range []struct {
		n  int
		ok bool
	}{{1<<16 - 1, true}, {1 << 16, false}} {
		tg := testTarget("count-test")
		tg.Ops = make([]target.OpSpec, c.n)
		for i := range tg.Ops {
			tg.Ops[i].Name = fmt.Sprintf("t.op%d", i)
		}
		err := target.Register(tg)
		target.Unregister("count-test")
		if (err == nil) != c.ok {
			t.Errorf("%d operations: Register = %v, want ok %v", c.n, err, c.ok)
		}
	}
}

func TestMustRegisterPanicsOnMisuse(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustRegister of a target without a name did not panic")
		}
	}()
	tg := testTarget("")
	target.MustRegister(tg)
}

func TestNamesAndDefault(t *testing.T) {
	for _, name := range []string{"names-b", "names-a"} {
		target.MustRegister(testTarget(name))
		defer target.Unregister(name)
	}
	names := target.Names()
	if !slices.IsSorted(names) || !slices.Contains(names, "names-a") || !slices.Contains(names, "names-b") {
		t.Errorf("Names = %v, want sorted, with names-a and names-b", names)
	}
	target.Unregister("names-a")
	if slices.Contains(target.Names(), "names-a") {
		t.Errorf("Names after Unregister = %v", target.Names())
	}
	if _, err := target.Lookup("names-a"); !errors.Is(err, target.ErrUnknown) || !strings.Contains(err.Error(), "names-b") {
		t.Errorf("Lookup of an unregistered target: %v, want ErrUnknown listing names-b", err)
	}
	// "" means the default target (registered by another package in a
	// real binary; here by the test).
	target.MustRegister(testTarget(target.Default))
	defer target.Unregister(target.Default)
	if d, err := target.Lookup(""); err != nil || d.Name != target.Default {
		t.Errorf("Lookup(\"\") = %v, %v; want the %q target", d, err, target.Default)
	}
}

func TestOps(t *testing.T) {
	tg := testTarget("ops")
	if got := tg.AllOps(); !slices.Equal(got, []target.Op{0, 1}) || tg.NumOps() != 2 {
		t.Errorf("AllOps = %v, NumOps = %d; want [0 1], 2", got, tg.NumOps())
	}
	if got := tg.OpNames(); !slices.Equal(got, []string{"t.get", "t.put"}) {
		t.Errorf("OpNames = %v", got)
	}
	if got := tg.OpName(2); got != "target.Op(2)" {
		t.Errorf("OpName(2) of 2 operations = %q, want target.Op(2)", got)
	}
	for name, want := range map[string]string{"manager.update": "manager", "a.b.c": "a", "plain": "plain", "": ""} {
		if got := (target.OpSpec{Name: name}).Component(); got != want {
			t.Errorf("Component of %q = %q, want %q", name, got, want)
		}
	}
	one := target.Target{Name: "one", Ops: []target.OpSpec{{Name: "x.y"}}}
	if _, err := one.Op("x.z"); err == nil || !strings.HasSuffix(err.Error(), "(it has: x.y)") {
		t.Errorf("unknown op of a one-op target: %v, want it to list x.y alone", err)
	}
}

func TestIsAnswer(t *testing.T) {
	tg := testTarget("answers")
	tg.Answers = []string{"not_found", "exists"}
	for kind, want := range map[string]bool{"not_found": true, "exists": true, "error": false, "": false} {
		if got := tg.IsAnswer(kind); got != want {
			t.Errorf("IsAnswer(%q) = %v, want %v", kind, got, want)
		}
	}
}

func TestDefaultErrorKindCases(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{context.Canceled, "canceled"},
		{fmt.Errorf("op: %w", context.DeadlineExceeded), "canceled"},
		{errors.New("boom"), "error"},
	} {
		if got := target.DefaultErrorKind(c.err); got != c.want {
			t.Errorf("DefaultErrorKind(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestStrategiesListIsACopy(t *testing.T) {
	tg := testTarget("copy")
	got := tg.Strategies()
	got[0].Name = "changed"
	if names := tg.StrategyNames(); !slices.Equal(names, []string{"plain"}) {
		t.Errorf("StrategyNames after changing a returned list = %v, want [plain]", names)
	}
}
