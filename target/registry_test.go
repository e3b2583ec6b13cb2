package target_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"lockbench/target"
)

type nopClient struct{}

func (nopClient) Do(context.Context, target.Op, string) error { return nil }

type nopSystem struct{}

func (nopSystem) Client(int) target.Client { return nopClient{} }

func testTarget(name string) target.Target {
	return target.Target{
		Name: name,
		Ops: []target.OpSpec{
			{Name: "t.get", Keyed: true},
			{Name: "t.put", Keyed: true, Writes: true, Creates: true},
		},
		Strategies: target.List(target.Strategy{Name: "plain", New: func(target.Deps) (target.System, error) { return nopSystem{}, nil }}),
	}
}

func TestRegisterErrors(t *testing.T) {
	const name = "registry-test"
	if err := target.Register(testTarget(name)); err != nil {
		t.Fatalf("first Register: %v", err)
	}
	t.Cleanup(func() { target.Unregister(name) })

	cases := []struct {
		desc string
		edit func(*target.Target)
		want string
	}{
		{"taken name", func(*target.Target) {}, `"registry-test" registered twice`},
		{"empty name", func(tg *target.Target) { tg.Name = "" }, "needs a name"},
		{"nil strategies", func(tg *target.Target) { tg.Name = "other"; tg.Strategies = nil }, "no Strategies"},
		{"no operations", func(tg *target.Target) { tg.Name = "other"; tg.Ops = nil }, "no operations"},
		{"unqualified operation", func(tg *target.Target) { tg.Name = "other"; tg.Ops[1].Name = "put" }, `"put" is not a qualified name`},
		{"operation twice", func(tg *target.Target) { tg.Name = "other"; tg.Ops[1].Name = "t.get" }, `"t.get" declared twice`},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			tg := testTarget(name)
			c.edit(&tg)
			err := target.Register(tg)
			if err == nil {
				target.Unregister(tg.Name)
				t.Fatalf("Register accepted it")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
			if _, lerr := target.Lookup("other"); lerr == nil {
				t.Errorf("a rejected target was registered")
			}
		})
	}
	// The rejected duplicate left the first registration in place.
	got, err := target.Lookup(name)
	if err != nil || got.StrategyNames()[0] != "plain" {
		t.Fatalf("Lookup after rejected duplicate: %v, %v", got, err)
	}
}

func TestRegisterCopiesOps(t *testing.T) {
	tg := testTarget("copy-test")
	if err := target.Register(tg); err != nil {
		t.Fatal(err)
	}
	defer target.Unregister("copy-test")
	tg.Ops[0].Name = "t.changed"
	got, _ := target.Lookup("copy-test")
	if got.Ops[0].Name != "t.get" {
		t.Errorf("registered ops follow the caller's slice: %q", got.Ops[0].Name)
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := target.Lookup("no-such-target")
	if !errors.Is(err, target.ErrUnknown) {
		t.Fatalf("error %v does not match ErrUnknown", err)
	}
	if !strings.Contains(err.Error(), `"no-such-target"`) {
		t.Errorf("error %q does not quote the culprit", err)
	}
}

func TestOpAndStrategyLookup(t *testing.T) {
	tg := testTarget("ops-test")
	op, err := tg.Op("t.put")
	if err != nil || op != 1 || tg.OpName(op) != "t.put" || !tg.Spec(op).Writes {
		t.Fatalf("Op(t.put) = %d, %v", op, err)
	}
	_, err = tg.Op("t.gett")
	if !errors.Is(err, target.ErrUnknown) {
		t.Fatalf("unknown op: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, `"t.gett"`) || !strings.Contains(msg, "t.get, t.put") {
		t.Errorf("error %q should quote the culprit and list the operations", msg)
	}
	if _, err := tg.Strategy("plain"); err != nil {
		t.Errorf("Strategy(plain): %v", err)
	}
	_, err = tg.Strategy("fancy")
	if !errors.Is(err, target.ErrUnknown) || !strings.Contains(err.Error(), "plain") {
		t.Errorf("unknown strategy: %v", err)
	}
	if got := tg.Spec(0).Component(); got != "t" {
		t.Errorf("Component = %q", got)
	}
}

func TestDefaultErrorKind(t *testing.T) {
	tg := testTarget("kinds")
	if got := tg.ErrorKindOf(context.Canceled); got != "canceled" {
		t.Errorf("canceled: %q", got)
	}
	if got := tg.ErrorKindOf(errors.New("boom")); got != "error" {
		t.Errorf("other: %q", got)
	}
	tg.ErrorKind = func(error) string { return "mine" }
	if got := tg.ErrorKindOf(errors.New("boom")); got != "mine" {
		t.Errorf("own ErrorKind ignored: %q", got)
	}
}

func TestShared(t *testing.T) {
	var got []string
	sys := target.Shared(func(_ context.Context, op target.Op, key string) error {
		got = append(got, key)
		return nil
	})
	for w := range 3 {
		if err := sys.Client(w).Do(context.Background(), 0, string(rune('a'+w))); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(got, "") != "abc" {
		t.Errorf("every client should call the one function: %q", got)
	}
}
