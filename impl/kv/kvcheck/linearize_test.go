package kvcheck

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
)

// TestTimeWindow: an operation is in a window if its interval meets it
// (closed intervals, the window's end excluded); one that straddles an
// edge is Maybe, the others as they were.
func TestTimeWindow(t *testing.T) {
	h := new(hist).
		put("before", 0, 9).
		put("returns at the start", 0, 10).
		put("called at the start", 10, 15).
		put("returns before the end", 12, 19).
		put("returns at the end", 12, 20).
		put("called before the end", 19, 25).
		put("called at the end", 20, 21)
	got := map[string]bool{} // value → Maybe
	for _, op := range timeWindow(h.ops, window{10, 20}) {
		got[op.Input.(linInput).Value] = op.Input.(linInput).Maybe
	}
	want := map[string]bool{
		"returns at the start":   true,
		"called at the start":    false,
		"returns before the end": false,
		"returns at the end":     true,
		"called before the end":  true,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("window [10, 20): %v, want %v", got, want)
	}
	if all := timeWindow(h.ops, whole); !slices.Equal(all, h.ops) {
		t.Errorf("the whole history: %v, want it unchanged", all)
	}
}

// TestCheckWindows: the first window starts from the key's initial state,
// the others from an unknown one; only a key checked in one window can be
// Ok.
func TestCheckWindows(t *testing.T) {
	far := time.Now().Add(time.Hour)
	check := func(h *hist, init state, size int) porcupine.CheckResult {
		t.Helper()
		r, _, _ := checkWindows(h.sorted(), init, size, time.Minute, far)
		return r
	}
	absentRead := new(hist).get("", 0, 1)
	if r := check(absentRead, presentOf("A"), 10); r != porcupine.Illegal {
		t.Errorf("absent read of a preloaded key: %v, want Illegal", r)
	}
	if r := check(absentRead, absent, 10); r != porcupine.Ok {
		t.Errorf("absent read of an absent key: %v, want Ok", r)
	}
	seq := new(hist).put("A", 0, 1).get("A", 2, 3).put("B", 4, 5).get("B", 6, 7)
	if r := check(seq, absent, 4); r != porcupine.Ok {
		t.Errorf("4 operations in a window of 4: %v, want Ok", r)
	}
	if r := check(seq, absent, 2); r != porcupine.Unknown {
		t.Errorf("4 operations in windows of 2: %v, want Unknown", r)
	}
	// A stale read in the second window, legal from an unknown state but
	// for the write before it in the same window.
	stale := new(hist).put("A", 0, 1).get("A", 2, 3).put("B", 4, 5).get("A", 6, 7)
	if r := check(stale, absent, 2); r != porcupine.Illegal {
		t.Errorf("stale read in the second window: %v, want Illegal", r)
	}
	if r, _, _ := checkWindows(seq.sorted(), absent, 4, time.Minute, time.Now().Add(-time.Second)); r != porcupine.Unknown {
		t.Errorf("past the deadline: %v, want Unknown", r)
	}
}

// TestPartitions: each key's operations sorted by Call (equal calls in the
// history's order, so the sort's ties, and its answer, follow it), client ids shifted
// by one (the preload's -1 is porcupine's 0), and the quiescent state as
// two reads by a client of their own after everything returned; a key
// whose final reads disagree gets a witness window from its last call.
func TestPartitions(t *testing.T) {
	in := Input{
		History: []kv.Record{
			{Op: kv.Put, Key: "k", Client: 2, Call: 5, Return: 8, Value: "B"},
			{Op: kv.Put, Key: "k", Client: -1, Call: 1, Return: 2, Value: "A"},
			{Op: kv.Get, Key: "k", Client: 0, Call: 3, Return: 4, Out: "A", Found: true},
			{Op: kv.Get, Key: "k", Client: 0, Call: 5, Return: 6, Out: "A", Found: true},
		},
		Memory: map[string]string{"k": "B"},
		Store:  map[string]string{"k": "A", "z": "Z"}, // z: in the store only, never operated on
	}
	witnesses := map[string][]window{}
	parts := partitions(in, witnesses)
	type row struct {
		client         int
		call, ret      int64
		what           string
		maybe, uncheck bool
	}
	rows := func(ops []porcupine.Operation) []row {
		var out []row
		for _, op := range ops {
			in := op.Input.(linInput)
			out = append(out, row{op.ClientId, op.Call, op.Return, describe(in, op.Output.(linOutput)), in.Maybe, in.Unchecked})
		}
		return out
	}
	want := map[string][]row{
		"k": {
			{0, 1, 2, `kv.put(k, "A")`, false, false},
			{1, 3, 4, `kv.get(k) -> "A"`, false, false},
			{3, 5, 8, `kv.put(k, "B")`, false, false},
			{1, 5, 6, `kv.get(k) -> "A"`, false, false},
			{4, 9, 9, `final memory(k) -> "B"`, false, false},
			{4, 10, 10, `final store(k) -> "A"`, false, false},
		},
		"z": {
			{4, 9, 9, `final memory(z) -> absent`, false, false},
			{4, 10, 10, `final store(z) -> "Z"`, false, false},
		},
	}
	for k, w := range want {
		if got := rows(parts[k]); !slices.Equal(got, w) {
			t.Errorf("partition %s:\n got %v\nwant %v", k, got, w)
		}
	}
	if len(parts) != len(want) {
		t.Errorf("%d partitions, want %d", len(parts), len(want))
	}
	wantW := map[string][]window{"k": {{5, math.MaxInt64}}, "z": {{math.MinInt64, math.MaxInt64}}}
	if fmt.Sprint(witnesses) != fmt.Sprint(wantW) {
		t.Errorf("witnesses %v, want %v", witnesses, wantW)
	}

	// A failed write explains the difference: the store's read is left out.
	in.History = append(in.History, kv.Record{Op: kv.Put, Key: "k", Client: 1, Call: 6, Return: 7, Value: "A2", Err: "store"})
	in.Store["k"] = "A2"
	witnesses = map[string][]window{}
	parts = partitions(in, witnesses)
	if got := rows(parts["k"]); len(got) != 6 || got[4] != (row{2, 6, 7, `kv.put(k, "A2") (outcome unknown)`, true, true}) || got[5].what != `final memory(k) -> "B"` {
		t.Errorf("with a failed write: %v", got)
	}
	if _, ok := witnesses["k"]; ok {
		t.Errorf("a difference a failed write explains has a witness: %v", witnesses)
	}
}

// TestAddScan: a scan reads every key of the history in the range it
// covered: up to the last key it returned when it returned all it asked
// for, to the end when fewer; a scan that asked for nothing reads nothing.
func TestAddScan(t *testing.T) {
	keys := []string{"a", "b", "c", "d"}
	scan := func(from string, n int, entries ...string) kv.Record {
		r := kv.Record{Op: kv.Scan, Key: from, N: n, Client: 4, Call: 1, Return: 2}
		for _, e := range entries {
			r.Entries = append(r.Entries, kv.Entry{Key: e, Value: "v" + e})
		}
		return r
	}
	for _, tt := range []struct {
		name string
		scan kv.Record
		want string
	}{
		{"full", scan("b", 2, "b", "d"), `b:"vb" c:absent d:"vd"`},
		{"full, ending before the last key", scan("a", 2, "a", "b"), `a:"va" b:"vb"`},
		{"short: read to the end", scan("b", 5, "c"), `b:absent c:"vc" d:absent`},
		{"empty: read to the end", scan("c", 5), `c:absent d:absent`},
		{"asked for nothing", scan("a", 0), ``},
	} {
		parts := map[string][]porcupine.Operation{}
		addScan(parts, keys, tt.scan)
		var got []string
		for _, k := range keys {
			for _, op := range parts[k] {
				out := op.Output.(linOutput)
				s := "absent"
				if out.Found {
					s = fmt.Sprintf("%q", out.Value)
				}
				got = append(got, k+":"+s)
				if op.ClientId != 5 || op.Call != 1 || op.Return != 2 || op.Input.(linInput).Label != "kv.scan" {
					t.Errorf("%s: read of %s: %+v", tt.name, k, op)
				}
			}
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, s, tt.want)
		}
	}
}

// TestWitnessFirst: a key with a certain anomaly is decided (and drawn)
// from the short window around it, before any other key is checked: a
// duplicate insert straddling the edge of two windows, which no window
// alone can see, is illegal; and the key drawn is the one with the
// divergence, though a key before it is illegal too.
func TestWitnessFirst(t *testing.T) {
	rec := func(o kv.Op, key string, call, ret int64, value string, found bool) kv.Record {
		return kv.Record{Op: o, Key: key, Call: call, Return: ret, Value: value, Out: value, Found: found}
	}
	final := map[string]string{"k": "B"}
	res, err := Check(Input{History: []kv.Record{
		rec(kv.Put, "k", 0, 1, "X", false),
		rec(kv.PutIfAbsent, "k", 2, 5, "A", false),
		rec(kv.PutIfAbsent, "k", 3, 4, "B", false),
	}, Complete: true, Memory: final, Store: final, Linearizability: true, WindowOps: 2})
	if err != nil || res.Linearizable != Illegal || res.Anomalies[DuplicateInsert] != 1 {
		t.Errorf("duplicate insert across windows: %+v, %v", res, err)
	}

	dir := t.TempDir()
	res, err = Check(Input{History: []kv.Record{
		rec(kv.Put, "a", 1, 2, "A", false),
		rec(kv.Get, "a", 3, 4, "", false), // stale: a is A
		rec(kv.Get, "a", 5, 6, "A", true),
		rec(kv.Put, "b", 1, 4, "B1", false),
		rec(kv.Put, "b", 2, 3, "B2", false),
	}, Complete: true, Memory: map[string]string{"a": "A", "b": "B1"}, Store: map[string]string{"a": "A", "b": "B2"},
		Linearizability: true, VisualizePath: func(key string) string { return filepath.Join(dir, key+".html") }})
	if err != nil || res.Linearizable != Illegal || res.IllegalKey != "b" || res.Visualization != filepath.Join(dir, "b.html") {
		t.Errorf("a stale read in a, a divergence in b: %+v, %v; want b drawn", res, err)
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes: %q", res.Notes)
	}
}

// TestVisualizationError: a visualisation that cannot be written is
// Check's error, with the verdict.
func TestVisualizationError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing", "dir")
	res, err := Check(Input{History: []kv.Record{
		{Op: kv.Put, Key: "k", Call: 1, Return: 2, Value: "A"},
		{Op: kv.Get, Key: "k", Call: 3, Return: 4},
	}, Complete: true, Memory: map[string]string{"k": "A"}, Store: map[string]string{"k": "A"},
		Linearizability: true, VisualizePath: func(key string) string { return filepath.Join(missing, key+".html") }})
	if err == nil || res.Linearizable != Illegal || res.Visualization != "" {
		t.Errorf("visualisation into a missing directory: %+v, %v; want an error", res, err)
	}
}

// hardHistory is queued(n) as records, with the read of the last write
// served seeing the first one's: illegal, and porcupine needs minutes to
// say so (the sort gives up at once).
func hardHistory(n int) ([]kv.Record, map[string]string) {
	var h []kv.Record
	for i := range n {
		served := int64(n - i)
		v := fmt.Sprint(i)
		h = append(h,
			kv.Record{Op: kv.Put, Key: "k", Client: i, Call: 0, Return: 10 * served, Value: v},
			kv.Record{Op: kv.Get, Key: "k", Client: n + i, Call: 10*served + 1, Return: 10*served + 5, Out: v, Found: true})
	}
	h[1].Out = fmt.Sprint(n - 1)
	final := map[string]string{"k": "0"}
	return h, final
}

// TestTimeLimit: a check porcupine cannot finish within Input.TimeLimit
// leaves the key undecided, and says within what; 0 means
// DefaultTimeLimit, cut short by Input.TimeBudget, after which no key is
// checked.
func TestTimeLimit(t *testing.T) {
	h, final := hardHistory(64)
	in := Input{History: h, Complete: true, Memory: final, Store: final, Linearizability: true, TimeLimit: time.Millisecond}
	res, err := Check(in)
	want := fmt.Sprintf("linearizability: 1 keys undecided within %v per check", time.Millisecond)
	if err != nil || res.Linearizable != Unknown || !slices.Contains(res.Notes, want) {
		t.Errorf("time limit 1ms: %+v, %v; want Unknown and the note %q", res, err, want)
	}
	// The budget runs out on the hard key: the key after it is not
	// checked.
	in.History = append(in.History, kv.Record{Op: kv.Put, Key: "l", Call: 1, Return: 2, Value: "L"})
	in.Memory = map[string]string{"k": final["k"], "l": "L"}
	in.Store = in.Memory
	in.TimeLimit, in.TimeBudget = 0, 20*time.Millisecond
	res, err = Check(in)
	for _, want := range []string{
		fmt.Sprintf("linearizability: 1 keys undecided within %v per check", DefaultTimeLimit),
		fmt.Sprintf("linearizability: time budget %v spent, 1 of 2 keys unchecked", 20*time.Millisecond),
	} {
		if err != nil || res.Linearizable != Unknown || !slices.Contains(res.Notes, want) {
			t.Errorf("no time limit, budget 20ms: %+v, %v; want Unknown and the note %q", res, err, want)
		}
	}
}
