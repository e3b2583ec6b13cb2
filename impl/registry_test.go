package impl_test

import (
	"errors"
	"strings"
	"testing"

	"lockbench/impl"
)

func newNothing(impl.Deps) (*impl.System, error) { return &impl.System{}, nil }

// TestRegisterErrors: the documented errors of Register — a taken name, an
// empty name, a nil constructor — each reject the strategy and leave the
// registry as it was.
func TestRegisterErrors(t *testing.T) {
	const name = "registry-test"
	if err := impl.Register(impl.Strategy{Name: name, Description: "first", New: newNothing}); err != nil {
		t.Fatalf("first Register: %v", err)
	}
	t.Cleanup(func() { impl.Unregister(name) })
	for _, c := range []struct {
		desc string
		s    impl.Strategy
		want string
	}{
		{"taken name", impl.Strategy{Name: name, Description: "second", New: newNothing}, `"registry-test" registered twice`},
		{"empty name", impl.Strategy{New: newNothing}, "needs a name"},
		{"nil constructor", impl.Strategy{Name: "registry-test-nil"}, "constructor"},
	} {
		t.Run(c.desc, func(t *testing.T) {
			err := impl.Register(c.s)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Register = %v, want an error containing %q", err, c.want)
			}
			if _, lerr := impl.Lookup("registry-test-nil"); lerr == nil {
				t.Errorf("a strategy without constructor was registered")
			}
		})
	}
	// The rejected duplicate did not replace the first registration.
	got, err := impl.Lookup(name)
	if err != nil || got.Description != "first" {
		t.Errorf("Lookup after a rejected duplicate: %+v, %v", got, err)
	}
	if n := strings.Count(strings.Join(impl.Names(), " "), name); n != 1 {
		t.Errorf("Names lists %q %d times", name, n)
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := impl.Lookup("no-such-strategy")
	if !errors.Is(err, impl.ErrUnknown) || !strings.Contains(err.Error(), `"no-such-strategy"`) {
		t.Errorf("Lookup of an unknown name: %v", err)
	}
}

func TestMustRegisterPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustRegister of an empty strategy did not panic")
		}
	}()
	impl.MustRegister(impl.Strategy{})
}
