package store_test

import (
	"context"
	"testing"

	"lockbench/store"
	"lockbench/store/storetest"
)

// TestConformance runs the storetest suite against every backend, through
// Open as the runner does, and against the wrappers.
func TestConformance(t *testing.T) {
	for _, spec := range []string{
		"memory",
		"sim",
		"sim:latency=50us,dist=exp,spike=0.01:200us,pool=4,seed=1",
		"file",
		"file:fsync=false",
		"bolt",
	} {
		t.Run(spec, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) store.Store { return mustOpen(t, spec) })
		})
	}
	t.Run("file:dir=TEMP", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return mustOpen(t, "file:fsync=false,dir="+t.TempDir())
		})
	})
	t.Run("bolt:path=TEMP", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return mustOpen(t, "bolt:path="+t.TempDir()+"/x.db")
		})
	})
	t.Run("instrumented", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return store.Instrument(mustOpen(t, "sim"), store.Hooks{}) })
	})
	t.Run("instrumented with hooks", func(t *testing.T) {
		hook := func(context.Context, string, string) {}
		storetest.Run(t, func(t *testing.T) store.Store {
			return store.Instrument(mustOpen(t, "memory"), store.Hooks{Before: hook, After: hook})
		})
	})
	t.Run("fresh at a path", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			s, err := store.ParseSpec("bolt:path=" + t.TempDir() + "/sub/x.db")
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.OpenFresh(s, "conformance")
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
	})
}

func mustOpen(t *testing.T, spec string) store.Store {
	t.Helper()
	s, err := store.Open(spec)
	if err != nil {
		t.Fatalf("Open(%q): %v", spec, err)
	}
	return s
}
