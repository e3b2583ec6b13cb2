package impltest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/store"
)

func TestIsParked(t *testing.T) {
	cases := []struct {
		header string
		want   bool
	}{
		{"goroutine 7 [chan receive]:", true},
		{"goroutine 7 [select, 2 minutes]:", true},
		{"goroutine 7 [sync.Mutex.Lock]:", true},
		{"goroutine 7 [sync.RWMutex.RLock, locked to thread]:", true},
		{"goroutine 7 [semacquire]:", false}, // the runtime's own waits too
		{"goroutine 7 [running]:", false},
		{"goroutine 7 [runnable]:", false},
		{"goroutine 7 [syscall]:", false},
		{"goroutine 7 [sleep]:", false},
		{"goroutine 7 [chan receive (nil chan)]:", false},
		{"not a goroutine header", false},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			if got := isParked(c.header + "\nmain.f()\n"); got != c.want {
				t.Errorf("isParked(%q) = %t, want %t", c.header, got, c.want)
			}
		})
	}
}

// parkOn blocks on ch; a named function so Parked can find it.
func parkOn(ch chan struct{}, done chan<- struct{}) {
	<-ch
	close(done)
}

func TestAwaitParked(t *testing.T) {
	const marker = "impltest.parkOn("
	if n := Parked(marker); n != 0 {
		t.Fatalf("Parked before any goroutine started = %d", n)
	}
	release := make(chan struct{})
	done := make(chan struct{})
	go parkOn(release, done)
	AwaitParked(t, marker, 1)
	close(release)
	<-done
	if n := Parked(marker); n != 0 {
		t.Errorf("Parked after the goroutine ended = %d", n)
	}
}

// fixedMemory is a Manager whose memory is given (only the Inspector part
// is used by DiffStore).
type fixedMemory struct {
	ctxsys.Manager
	states map[string]ctxsys.State
	seqs   map[string][]uint64
}

var _ impl.Inspector = fixedMemory{}

func (f fixedMemory) Contexts() map[string]ctxsys.State      { return f.states }
func (f fixedMemory) RecoveryPointSeqs() map[string][]uint64 { return f.seqs }

func TestDiffStore(t *testing.T) {
	put := func(s store.Store, key string, value []byte) {
		if err := s.Put(context.Background(), key, value); err != nil {
			t.Fatal(err)
		}
	}
	putState := func(s store.Store, st ctxsys.State) {
		b, err := ctxsys.EncodeState(st)
		if err != nil {
			t.Fatal(err)
		}
		put(s, ctxsys.StateKey(st.ID), b)
	}
	a1 := ctxsys.State{ID: "a", Version: 1, Data: []byte{}, Metadata: map[string]string{}}
	cases := []struct {
		name   string
		memory fixedMemory
		stored func(store.Store)
		want   []string // substrings, one per expected difference
	}{
		{
			name:   "equal (empty data and metadata as nil)",
			memory: fixedMemory{states: map[string]ctxsys.State{"a": a1}, seqs: map[string][]uint64{"a": {2, 1}, "b": {}}},
			stored: func(s store.Store) {
				putState(s, ctxsys.State{ID: "a", Version: 1})
				put(s, ctxsys.RecoveryPointKey("a", 1), nil)
				put(s, ctxsys.RecoveryPointKey("a", 2), nil)
			},
		},
		{
			name:   "missing from the store",
			memory: fixedMemory{states: map[string]ctxsys.State{"a": a1}},
			stored: func(store.Store) {},
			want:   []string{`"a" in memory (version 1), not in the store`},
		},
		{
			name:   "zombie in the store",
			memory: fixedMemory{},
			stored: func(s store.Store) { putState(s, a1) },
			want:   []string{`"a" in the store (version 1), not in memory`},
		},
		{
			name:   "different version",
			memory: fixedMemory{states: map[string]ctxsys.State{"a": a1}},
			stored: func(s store.Store) { putState(s, ctxsys.State{ID: "a", Version: 2}) },
			want:   []string{`"a": memory {id "a" version 1`},
		},
		{
			name:   "recovery points differ",
			memory: fixedMemory{states: map[string]ctxsys.State{"a": a1}, seqs: map[string][]uint64{"a": {1, 2}}},
			stored: func(s store.Store) {
				putState(s, a1)
				put(s, ctxsys.RecoveryPointKey("a", 2), nil)
				put(s, ctxsys.RecoveryPointKey("a", 3), nil)
			},
			want: []string{`"a" recovery point seqs: memory [1 2], store [2 3]`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := store.NewMemory()
			c.stored(s)
			got := DiffStore(c.memory, s)
			if len(got) != len(c.want) {
				t.Fatalf("DiffStore = %q, want %d differences like %q", got, len(c.want), c.want)
			}
			for i := range got {
				if !strings.Contains(got[i], c.want[i]) {
					t.Errorf("difference %d = %q, want it to contain %q", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestFaultStoreFailsOnce(t *testing.T) {
	ctx := context.Background()
	f := &faultStore{Store: store.NewMemory()}
	f.failNext("put")
	if err := f.Delete(ctx, "k"); err != nil {
		t.Errorf("delete with put armed: %v", err)
	}
	if err := f.Put(ctx, "k", nil); !errors.Is(err, ErrInjected) {
		t.Errorf("armed put: %v, want ErrInjected", err)
	}
	if err := f.Put(ctx, "k", nil); err != nil {
		t.Errorf("put after the failure: %v", err)
	}
}

// TestStable: a condition counts as reached only once it held on two polls
// in a row; a poll where it fails starts the count again.
func TestStable(t *testing.T) {
	results := []bool{true, false, true, true, true}
	want := []bool{false, false, false, true, true}
	i := 0
	stable := Stable(func() bool { return results[i] })
	for ; i < len(results); i++ {
		if got := stable(); got != want[i] {
			t.Errorf("poll %d (condition %v): %v, want %v", i, results[i], got, want[i])
		}
	}
}

// inspected is a manager that only shows its memory.
type inspected struct {
	ctxsys.Manager
	states map[string]ctxsys.State
	seqs   map[string][]uint64
}

func (m inspected) Contexts() map[string]ctxsys.State      { return m.states }
func (m inspected) RecoveryPointSeqs() map[string][]uint64 { return m.seqs }

// TestMemoryOfLeavesOutIdsWithoutPoints: an id with no recovery points has
// no entry in the seqs compared with the store's, which lists none for it.
func TestMemoryOfLeavesOutIdsWithoutPoints(t *testing.T) {
	m := inspected{states: map[string]ctxsys.State{"a": {ID: "a"}, "b": {ID: "b"}},
		seqs: map[string][]uint64{"a": {3, 1}, "b": {}}}
	_, seqs, err := memoryOf(context.Background(), m)
	if err != nil || len(seqs) != 1 || len(seqs["a"]) != 2 || seqs["a"][0] != 1 {
		t.Errorf("memoryOf seqs = %v, %v; want only a's, sorted", seqs, err)
	}
}
