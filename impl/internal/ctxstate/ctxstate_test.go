package ctxstate

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/store"
)

func TestPrepare(t *testing.T) {
	st := store.NewMemory()
	s, err := Prepare("naive", impl.Deps{Store: st})
	if err != nil || s.Store != st || s.Config != (ctxsys.Config{}).WithDefaults() {
		t.Errorf("Prepare with defaults: %+v, %v", s, err)
	}
	if _, ok := s.Clock.(ctxsys.SystemClock); !ok {
		t.Errorf("a nil clock became %T, want the system clock", s.Clock)
	}
	if _, err := Prepare("naive", impl.Deps{}); !errors.Is(err, ctxsys.ErrInvalid) {
		t.Errorf("nil store: %v, want ErrInvalid", err)
	}
	for _, cfg := range []ctxsys.Config{{MaxContexts: -1}, {MaxRecoveryPoints: -1}, {TTL: -1}, {SyncInterval: -1}} {
		if _, err := Prepare("naive", impl.Deps{Store: st, Config: cfg}); !errors.Is(err, ctxsys.ErrInvalid) {
			t.Errorf("config %+v: %v, want ErrInvalid", cfg, err)
		}
	}
}

func TestCheckIDAndIgnoreNotFound(t *testing.T) {
	if err := CheckID(""); !errors.Is(err, ctxsys.ErrInvalid) {
		t.Errorf("CheckID(\"\") = %v, want ErrInvalid", err)
	}
	if err := CheckID("a"); err != nil {
		t.Errorf("CheckID(\"a\") = %v", err)
	}
	other := errors.New("boom")
	if IgnoreNotFound(ctxsys.ErrNotFound) != nil || IgnoreNotFound(other) != other || IgnoreNotFound(nil) != nil {
		t.Error("IgnoreNotFound drops only ErrNotFound")
	}
}

func TestOldestAndSeqsByID(t *testing.T) {
	p := &Points{}
	for _, s := range []uint64{3, 1, 2} {
		p.Append(ctxsys.RecoveryPoint{Seq: s})
	}
	for _, c := range []struct {
		n    int
		want []uint64
	}{{0, []uint64{}}, {2, []uint64{1, 2}}, {3, []uint64{1, 2, 3}}, {5, []uint64{1, 2, 3}}} {
		if got := p.Oldest(c.n); !slices.Equal(got, c.want) {
			t.Errorf("Oldest(%d) = %v, want %v", c.n, got, c.want)
		}
	}
	got := SeqsByID(map[string]*Points{"a": p, "empty": {LastSeq: 4}})
	if len(got) != 1 || !slices.Equal(got["a"], []uint64{1, 2, 3}) {
		t.Errorf("SeqsByID = %v, want only a's seqs", got)
	}
}

func TestAdapterContexts(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	data := []byte("d1")
	ac := NewAdapterContext("a", data, t0)
	data[0] = 'x'
	if ac.Version != 1 || string(ac.Data) != "d1" || !ac.CreatedAt.Equal(t0) || !ac.UpdatedAt.Equal(t0) {
		t.Errorf("NewAdapterContext = %+v", ac)
	}
	r := Refreshed(ac, []byte("d2"), t0.Add(time.Second))
	if r.Version != 2 || string(r.Data) != "d2" || !r.CreatedAt.Equal(t0) || !r.UpdatedAt.Equal(t0.Add(time.Second)) {
		t.Errorf("Refreshed = %+v", r)
	}
	if s := ManagerState(r); s.ID != "a" || s.Version != 2 || string(s.Data) != "d2" || !s.Timestamp.Equal(r.UpdatedAt) {
		t.Errorf("ManagerState = %+v", s)
	}
	ttl := time.Minute
	if Expired(ac, t0.Add(ttl), ttl) || !Expired(ac, t0.Add(ttl+1), ttl) {
		t.Error("a context idle exactly ttl is not expired; one nanosecond more is")
	}
	m := map[string]ctxsys.AdapterContext{
		"c": NewAdapterContext("c", nil, t0),
		"b": NewAdapterContext("b", nil, t0.Add(2*ttl)),
		"a": NewAdapterContext("a", nil, t0),
	}
	if got := ExpiredIDs(m, t0.Add(2*ttl), ttl); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("ExpiredIDs = %v, want [a c]", got)
	}
	sorted := SortedAdapterContexts(m)
	if len(sorted) != 3 || sorted[0].ID != "a" || sorted[1].ID != "b" || sorted[2].ID != "c" {
		t.Errorf("SortedAdapterContexts = %+v", sorted)
	}
	if _, err := MergeAdapterConfig(ctxsys.AdapterConfig{}, ctxsys.AdapterConfig{TTL: -1}); !errors.Is(err, ctxsys.ErrInvalid) {
		t.Errorf("a negative ttl: %v, want ErrInvalid", err)
	}
}

func TestTrackerRules(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	interval := time.Second
	for _, c := range []struct {
		name         string
		synchronized bool
		lastSync     time.Time
		now          time.Time
		want         bool
	}{
		{"unsynchronized", false, t0, t0, true},
		{"never synced", true, time.Time{}, t0, true},
		{"synced within the interval", true, t0, t0.Add(interval), false},
		{"synced longer ago", true, t0, t0.Add(interval + 1), true},
	} {
		if got := SyncNeeded(c.synchronized, c.lastSync, c.now, interval); got != c.want {
			t.Errorf("%s: SyncNeeded = %v, want %v", c.name, got, c.want)
		}
	}
	v := func(n uint64) ctxsys.State { return ctxsys.State{Version: n} }
	if !StaleVersion(v(2), v(2)) || !StaleVersion(v(2), v(1)) || StaleVersion(v(2), v(3)) {
		t.Error("a version replaces the current one only when strictly higher")
	}
}

// failAfter is a store whose Delete fails from the n-th call on.
type failAfter struct {
	store.Store
	n, calls int
}

func (f *failAfter) Delete(ctx context.Context, key string) error {
	f.calls++
	if f.calls > f.n {
		return errors.New("disk full")
	}
	return f.Store.Delete(ctx, key)
}

func TestDeleteKeys(t *testing.T) {
	keys := ContextKeys("a", []uint64{1, 2})
	want := []string{ctxsys.RecoveryPointKey("a", 1), ctxsys.RecoveryPointKey("a", 2), ctxsys.StateKey("a")}
	if !slices.Equal(keys, want) {
		t.Fatalf("ContextKeys = %v, want %v", keys, want)
	}
	ctx := context.Background()
	st := &failAfter{Store: store.NewMemory(), n: 2}
	n, err := DeleteKeys(ctx, st, keys)
	if n != 2 || err == nil || st.calls != 3 {
		t.Errorf("DeleteKeys with the third delete failing: %d deleted, %v, %d calls; want 2, an error, 3", n, err, st.calls)
	}
	if n, err := DeleteKeys(ctx, store.NewMemory(), keys); n != 3 || err != nil {
		t.Errorf("DeleteKeys = %d, %v; want 3, nil", n, err)
	}
}

func TestPutState(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory()
	s := ctxsys.State{ID: "a", Version: 3, Data: []byte("d")}
	if err := PutState(ctx, st, s); err != nil {
		t.Fatal(err)
	}
	rp := ctxsys.RecoveryPoint{ContextID: "a", Seq: 2, State: s}
	if err := PutRecoveryPoint(ctx, st, rp); err != nil {
		t.Fatal(err)
	}
	keys, err := st.List(ctx, "")
	if err != nil || !slices.Contains(keys, ctxsys.StateKey("a")) || !slices.Contains(keys, ctxsys.RecoveryPointKey("a", 2)) {
		t.Errorf("keys after PutState and PutRecoveryPoint: %v, %v", keys, err)
	}
}
