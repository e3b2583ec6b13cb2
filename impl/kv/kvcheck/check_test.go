package kvcheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"lockbench/impl/kv"
	"lockbench/impl/kv/kvcheck"
)

// op builds a record on key "k" in [call, ret].
func op(o kv.Op, call, ret int64, value, out string, found bool) kv.Record {
	return kv.Record{Op: o, Key: "k", Call: call, Return: ret, Value: value, Out: out, Found: found}
}

func failed(r kv.Record) kv.Record { r.Err = "store"; return r }

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		hist       []kv.Record
		mem, store map[string]string
		anomaly    string // the one kind expected at 1 ("" none)
		verdict    string
	}{
		{"sequential", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Get, 3, 4, "", "A", true),
			op(kv.PutIfAbsent, 5, 6, "B", "A", true),
			op(kv.Delete, 7, 8, "", "", true),
			op(kv.PutIfAbsent, 9, 10, "C", "C", false),
		}, map[string]string{"k": "C"}, map[string]string{"k": "C"}, "", kvcheck.Ok},
		{"stale read", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Get, 3, 4, "", "", false),
		}, map[string]string{"k": "A"}, map[string]string{"k": "A"}, "", kvcheck.Illegal},
		{"concurrent read may see either", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Put, 3, 6, "B", "", false),
			op(kv.Get, 4, 5, "", "A", true),
		}, map[string]string{"k": "B"}, map[string]string{"k": "B"}, "", kvcheck.Ok},
		{"failed write seen", []kv.Record{
			failed(op(kv.Put, 1, 2, "A", "", false)),
			op(kv.Get, 3, 4, "", "A", true),
		}, map[string]string{"k": "A"}, map[string]string{"k": "A"}, "", kvcheck.Ok},
		{"failed write landed in the store only", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			failed(op(kv.Put, 3, 4, "B", "", false)),
		}, map[string]string{"k": "A"}, map[string]string{"k": "B"}, kvcheck.FailedWriteVisible, kvcheck.Ok},
		{"store divergence", []kv.Record{
			op(kv.Put, 1, 4, "A", "", false),
			op(kv.Put, 2, 3, "B", "", false),
		}, map[string]string{"k": "A"}, map[string]string{"k": "B"}, kvcheck.StoreDivergence, kvcheck.Illegal},
		{"zombie", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Delete, 3, 4, "", "", true),
		}, map[string]string{}, map[string]string{"k": "A"}, kvcheck.Zombie, kvcheck.Illegal},
		{"lost write", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Put, 3, 4, "B", "", false),
		}, map[string]string{"k": "A"}, map[string]string{"k": "A"}, kvcheck.LostWrite, kvcheck.Illegal},
		{"duplicate insert", []kv.Record{
			op(kv.PutIfAbsent, 1, 4, "A", "A", false),
			op(kv.PutIfAbsent, 2, 3, "B", "B", false),
		}, map[string]string{"k": "A"}, map[string]string{"k": "A"}, kvcheck.DuplicateInsert, kvcheck.Illegal},
		{"inserts separated by a delete", []kv.Record{
			op(kv.PutIfAbsent, 1, 2, "A", "A", false),
			op(kv.Delete, 3, 4, "", "", true),
			op(kv.PutIfAbsent, 5, 6, "B", "B", false),
		}, map[string]string{"k": "B"}, map[string]string{"k": "B"}, "", kvcheck.Ok},
		// Intervals are closed: a separator that starts as the later insert
		// returns, or returns as the earlier one is called, may fall
		// between them.
		{"insert separated by a delete starting at its return", []kv.Record{
			op(kv.PutIfAbsent, 1, 2, "A", "A", false),
			op(kv.PutIfAbsent, 3, 6, "B", "B", false),
			failed(op(kv.Delete, 6, 7, "", "", false)),
		}, map[string]string{"k": "B"}, map[string]string{"k": "B"}, "", kvcheck.Ok},
		{"insert separated by a delete returning at its call", []kv.Record{
			failed(op(kv.Delete, 3, 5, "", "", false)),
			op(kv.PutIfAbsent, 5, 8, "A", "A", false),
			op(kv.PutIfAbsent, 6, 9, "B", "B", false),
		}, map[string]string{"k": "B"}, map[string]string{"k": "B"}, "", kvcheck.Ok},
		{"divergence not explained by an unrelated failed write", []kv.Record{
			op(kv.Put, 1, 4, "A", "", false),
			op(kv.Put, 2, 3, "B", "", false),
			failed(op(kv.Put, 5, 6, "C", "", false)),
		}, map[string]string{"k": "A"}, map[string]string{"k": "B"}, kvcheck.StoreDivergence, kvcheck.Illegal},
		{"a value nobody wrote is a lost write", []kv.Record{
			op(kv.Get, 1, 2, "", "", false),
		}, map[string]string{"k": "Z"}, map[string]string{"k": "Z"}, kvcheck.LostWrite, kvcheck.Illegal},
		{"a write returning as the last one starts may be last", []kv.Record{
			op(kv.Put, 1, 3, "A", "", false),
			op(kv.Put, 3, 4, "B", "", false),
		}, map[string]string{"k": "A"}, map[string]string{"k": "A"}, "", kvcheck.Ok},
		// Inserts called at once are taken in the history's order: the
		// short one (3) right after the first (1), before one delete
		// could separate them.
		{"duplicate insert among inserts called at once", []kv.Record{
			op(kv.PutIfAbsent, 1, 2, "X", "X", false),
			op(kv.PutIfAbsent, 2, 3, "Z", "Z", false),
			op(kv.PutIfAbsent, 2, 10, "Y", "Y", false),
			op(kv.Delete, 5, 6, "", "", true),
		}, map[string]string{"k": "Y"}, map[string]string{"k": "Y"}, kvcheck.DuplicateInsert, kvcheck.Illegal},
		{"deletes separated by a put", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Delete, 3, 4, "", "", true),
			op(kv.Put, 5, 6, "B", "", false),
			op(kv.Delete, 7, 8, "", "", true),
		}, map[string]string{}, map[string]string{}, "", kvcheck.Ok},
		{"deletes separated by an insert", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Delete, 3, 4, "", "", true),
			op(kv.PutIfAbsent, 5, 6, "B", "B", false),
			op(kv.Delete, 7, 8, "", "", true),
		}, map[string]string{}, map[string]string{}, "", kvcheck.Ok},
		{"duplicate delete", []kv.Record{
			op(kv.Put, 1, 2, "A", "", false),
			op(kv.Delete, 3, 6, "", "", true),
			op(kv.Delete, 4, 5, "", "", true),
		}, map[string]string{}, map[string]string{}, kvcheck.DuplicateDelete, kvcheck.Illegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := kvcheck.Check(kvcheck.Input{History: tt.hist, Complete: true, Memory: tt.mem, Store: tt.store, Linearizability: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range kvcheck.Kinds() {
				want := 0
				if kind == tt.anomaly {
					want = 1
				}
				if res.Anomalies[kind] != want {
					t.Errorf("%s = %d, want %d", kind, res.Anomalies[kind], want)
				}
			}
			if res.Linearizable != tt.verdict {
				t.Errorf("verdict %s, want %s (%v)", res.Linearizable, tt.verdict, res.Notes)
			}
			if len(res.Notes) != 0 { // every check done, and decided
				t.Errorf("notes: %q", res.Notes)
			}
		})
	}
}

// TestScanReads: a scan is a read of every key in the range it covered; a
// key it skipped inside that range was absent.
func TestScanReads(t *testing.T) {
	hist := []kv.Record{
		{Op: kv.Put, Key: "a", Call: 1, Return: 2, Value: "1"},
		{Op: kv.Put, Key: "b", Call: 1, Return: 2, Value: "2"},
		{Op: kv.Put, Key: "c", Call: 1, Return: 2, Value: "3"},
		// b skipped although it was present: illegal. d is past the range.
		{Op: kv.Scan, Key: "a", N: 2, Call: 3, Return: 4, Entries: []kv.Entry{{Key: "a", Value: "1"}, {Key: "c", Value: "3"}}},
	}
	state := map[string]string{"a": "1", "b": "2", "c": "3"}
	res, _ := kvcheck.Check(kvcheck.Input{History: hist, Complete: true, Memory: state, Store: state, Linearizability: true})
	if res.Linearizable != kvcheck.Illegal || res.IllegalKey != "b" {
		t.Errorf("scan that skipped a present key: %+v", res)
	}
	hist[3].Entries = []kv.Entry{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}
	res, _ = kvcheck.Check(kvcheck.Input{History: hist, Complete: true, Memory: state, Store: state, Linearizability: true})
	if res.Linearizable != kvcheck.Ok {
		t.Errorf("correct scan: %+v", res)
	}
}

// TestWindows: a long history checked in windows stays legal, and a stale
// read in a late window is still found (and drawn).
func TestWindows(t *testing.T) {
	var hist []kv.Record
	for i := range 200 {
		v := fmt.Sprint(i)
		hist = append(hist, op(kv.Put, int64(4*i), int64(4*i+1), v, "", false),
			op(kv.Get, int64(4*i+2), int64(4*i+3), "", v, true))
	}
	final := map[string]string{"k": "199"}
	in := kvcheck.Input{History: hist, Complete: true, Memory: final, Store: final, Linearizability: true, WindowOps: 16}
	if res, _ := kvcheck.Check(in); res.Linearizable != kvcheck.Ok {
		t.Fatalf("legal history: %+v", res)
	}
	hist[301].Out = "149" // a read in window 18 returns an older value
	dir := t.TempDir()
	in.VisualizePath = func(key string) string { return filepath.Join(dir, key+".html") }
	res, err := kvcheck.Check(in)
	if err != nil || res.Linearizable != kvcheck.Illegal {
		t.Fatalf("stale read: %+v, %v", res, err)
	}
	if _, err := os.Stat(res.Visualization); err != nil {
		t.Errorf("visualisation: %v", err)
	}
}

// TestIncomplete: without every operation the verdict is unknown, and
// without every write the history-based anomalies are not evaluated.
func TestIncomplete(t *testing.T) {
	hist := []kv.Record{op(kv.Put, 1, 2, "A", "", false), op(kv.Put, 3, 4, "B", "", false)}
	state := map[string]string{"k": "A"}
	res, _ := kvcheck.Check(kvcheck.Input{History: hist, Writes: true, Memory: state, Store: state, Linearizability: true})
	if res.Linearizable != kvcheck.Unknown || res.Anomalies[kvcheck.LostWrite] != 1 {
		t.Errorf("writes only: %+v", res)
	}
	res, _ = kvcheck.Check(kvcheck.Input{History: hist, Memory: state, Store: state})
	if res.Linearizable != kvcheck.Skipped || res.Anomalies[kvcheck.LostWrite] != 0 || len(res.Notes) == 0 {
		t.Errorf("writes missing: %+v", res)
	}
}

// TestPreload: a preloaded key starts with its value: reading it is legal,
// and so is finding it at quiescence when no write was acknowledged (a
// failed one may have been lost); reading it absent, or finding another
// value nobody wrote, is not.
func TestPreload(t *testing.T) {
	preload := map[string]string{"k": "P"}
	tests := []struct {
		name     string
		hist     []kv.Record
		final    string
		lostOnly bool // lost_write is the only anomaly, at 1
		verdict  string
	}{
		{"read", []kv.Record{op(kv.Get, 1, 2, "", "P", true)}, "P", false, kvcheck.Ok},
		{"read absent", []kv.Record{op(kv.Get, 1, 2, "", "", false)}, "P", false, kvcheck.Illegal},
		{"kept through a failed write", []kv.Record{failed(op(kv.Put, 1, 2, "A", "", false))}, "P", false, kvcheck.Ok},
		{"replaced by nobody", []kv.Record{op(kv.Get, 1, 2, "", "P", true)}, "Z", true, kvcheck.Illegal},
		{"kept over an acknowledged write", []kv.Record{op(kv.Put, 1, 2, "A", "", false)}, "P", true, kvcheck.Illegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			final := map[string]string{"k": tt.final}
			res, err := kvcheck.Check(kvcheck.Input{History: tt.hist, Complete: true, Preload: preload, Memory: final, Store: final, Linearizability: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range kvcheck.Kinds() {
				want := 0
				if tt.lostOnly && kind == kvcheck.LostWrite {
					want = 1
				}
				if res.Anomalies[kind] != want {
					t.Errorf("%s = %d, want %d", kind, res.Anomalies[kind], want)
				}
			}
			if res.Linearizable != tt.verdict {
				t.Errorf("verdict %s, want %s", res.Linearizable, tt.verdict)
			}
		})
	}
}
