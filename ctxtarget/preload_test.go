package ctxtarget

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl"
	_ "lockbench/impl/naive"
	"lockbench/lock"
	"lockbench/store"
	"lockbench/target"
)

// newSystem builds naive over st as the target does.
func newSystem(t *testing.T, st store.Store, d target.Deps) *system {
	t.Helper()
	s, err := impl.Lookup("naive")
	if err != nil {
		t.Fatal(err)
	}
	d.Store, d.Locks = st, lock.NewSet(true)
	sys, err := build(s, d)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

// TestPreloadFollowsTheMix: the preload creates through the adapter only
// when the mix has adapter operations, and activates the trackers — each on
// its own preloaded key — only when it has tracker operations. Deps.Now may
// be nil (every time is then 0), and one client may preload (its records
// go to the preload's slot, not to a worker's).
func TestPreloadFollowsTheMix(t *testing.T) {
	keys := []string{"a", "b", "c"}
	tests := []struct {
		name         string
		mix          []target.Op
		viaAdapter   bool
		usesTrackers bool
	}{
		{"manager", []target.Op{ctxsys.ManagerUpdate, ctxsys.ManagerGet}, false, false},
		{"adapter", []target.Op{ctxsys.ManagerGet, ctxsys.AdapterUpdate}, true, false},
		{"tracker", []target.Op{ctxsys.TrackerSync, ctxsys.ManagerGet}, false, true},
	}
	for _, clients := range []int{1, 2} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx := context.Background()
				s := newSystem(t, store.NewMemory(), target.Deps{Clients: clients})
				if err := s.Preload(ctx, keys, tt.mix); err != nil {
					t.Fatal(err)
				}
				for _, k := range keys {
					if _, err := s.sys.Manager.Get(ctx, k); err != nil {
						t.Errorf("manager.get %q after the preload: %v", k, err)
					}
				}
				inAdapter, _ := s.sys.Adapter.List(ctx)
				if got := len(inAdapter) == len(keys); got != tt.viaAdapter {
					t.Errorf("adapter holds %d contexts, want all %v", len(inAdapter), tt.viaAdapter)
				}
				for i, tr := range s.trackers {
					want := ""
					if tt.usesTrackers {
						want = keys[i%len(keys)]
					}
					if got, _ := tr.ActiveID(ctx); got != want {
						t.Errorf("tracker %d active on %q, want %q", i, got, want)
					}
				}
				if res := s.Check(ctx, target.CheckInput{Store: nil}); !res.Checked {
					t.Errorf("not checked: %+v", res)
				}
			})
		}
	}
}

// TestTrackerKey: a worker knows its tracker's active id only when the
// tracker is its own; a shared tracker's id may change under it. Tracker
// operations are recorded with their tracker, others with -1.
func TestTrackerKey(t *testing.T) {
	ctx := context.Background()
	keys := []string{"a", "b"}
	mix := []target.Op{ctxsys.TrackerUpdateState}
	for _, shared := range []bool{false, true} {
		s := newSystem(t, store.NewMemory(), target.Deps{Clients: 2, SharedClient: shared})
		if err := s.Preload(ctx, keys, mix); err != nil {
			t.Fatal(err)
		}
		w := s.Client(1).(*client)
		want, wantTracker := "b", 1
		if shared {
			want, wantTracker = "", 0
		}
		if got := w.trackerKey(); got != want {
			t.Errorf("shared=%v: trackerKey = %q, want %q", shared, got, want)
		}
		if err := w.Do(ctx, ctxsys.TrackerGetState, ""); err != nil {
			t.Fatal(err)
		}
		if w.rec.Tracker != wantTracker {
			t.Errorf("shared=%v: tracker.get_state recorded on tracker %d, want %d", shared, w.rec.Tracker, wantTracker)
		}
		if err := w.Do(ctx, ctxsys.ManagerGet, "a"); err != nil {
			t.Fatal(err)
		}
		if w.rec.Tracker != -1 {
			t.Errorf("shared=%v: manager.get recorded on tracker %d, want -1", shared, w.rec.Tracker)
		}
	}
}

// flakyStore fails the first fails Puts, before writing anything.
type flakyStore struct {
	store.Store
	fails int64
	puts  atomic.Int64
}

func (f *flakyStore) Put(ctx context.Context, key string, value []byte) error {
	if f.puts.Add(1) <= f.fails {
		return store.ErrInjected
	}
	return f.Store.Put(ctx, key, value)
}

// TestPreloadRetries: a preload step failing in the store is tried
// preloadAttempts times in all, no more, no fewer.
func TestPreloadRetries(t *testing.T) {
	mix := []target.Op{ctxsys.ManagerGet}
	for _, tt := range []struct {
		fails   int64
		wantErr bool
	}{
		{preloadAttempts - 1, false},
		{preloadAttempts, true},
		{preloadAttempts + 5, true}, // fails, though a later attempt would pass
	} {
		st := &flakyStore{Store: store.NewMemory(), fails: tt.fails}
		s := newSystem(t, st, target.Deps{Clients: 1})
		err := s.Preload(context.Background(), []string{"a"}, mix)
		if gotErr := err != nil; gotErr != tt.wantErr {
			t.Errorf("%d failing puts: Preload = %v, want an error %v", tt.fails, err, tt.wantErr)
		}
		if err != nil && (!errors.Is(err, ctxsys.ErrStore) || !strings.Contains(err.Error(), `preload a`)) {
			t.Errorf("%d failing puts: error %q does not name the key and the store", tt.fails, err)
		}
		if got := st.puts.Load(); got != min(tt.fails+1, preloadAttempts) {
			t.Errorf("%d failing puts: %d puts, want %d", tt.fails, got, min(tt.fails+1, preloadAttempts))
		}
	}
}

// TestPreloadDataIsNotAWorkers: the data the preload writes is tagged
// apart from every worker's, so the checker can tell a worker's update
// from the preloaded state it replaced.
func TestPreloadDataIsNotAWorkers(t *testing.T) {
	ctx := context.Background()
	s := newSystem(t, store.NewMemory(), target.Deps{Clients: 2})
	if err := s.Preload(ctx, []string{"a"}, []target.Op{ctxsys.ManagerUpdate}); err != nil {
		t.Fatal(err)
	}
	preloaded, err := s.sys.Manager.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	for w := range 2 {
		if err := s.Client(w).Do(ctx, ctxsys.ManagerUpdate, "a"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.sys.Manager.Get(ctx, "a")
		if string(got.Data) == string(preloaded.Data) {
			t.Errorf("worker %d wrote %q, the preload's data", w, got.Data)
		}
	}
}
