package kvtarget

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lockbench/impl/kv"
	"lockbench/lock"
	"lockbench/store"
	"lockbench/target"
)

// newMutex returns a mutex-strategy system on a memory store, and the
// store.
func newMutex(t *testing.T, history bool, cfg any) (*system, store.Store) {
	t.Helper()
	tg := Target()
	s, err := tg.Strategy("mutex")
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory()
	sys, err := s.New(target.Deps{Store: mem, Locks: lock.NewSet(false), Clients: 1, History: history, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return sys.(*system), mem
}

// staleRead gives key one write and then a read that saw it absent: an
// illegal history, whatever the strategy.
func staleRead(t *testing.T, sys *system, key string) {
	t.Helper()
	tg := Target()
	put, _ := tg.Op("kv.put")
	c := sys.Client(0).(*client)
	err := c.Do(context.Background(), put, key)
	c.Observe(1, 2, err)
	c.kept = append(c.kept, kv.Record{Op: kv.Get, Key: key, Call: 3, Return: 4})
}

// TestCheckDraws: an illegal history is drawn into OutDir, named after the
// run and the key (kept to characters safe in a file name), and the result
// names the file relative to OutDir.
func TestCheckDraws(t *testing.T) {
	sys, mem := newMutex(t, true, Config{})
	staleRead(t, sys, "k/1 é")
	dir := t.TempDir()
	res := sys.Check(context.Background(), target.CheckInput{Store: mem, OutDir: dir, RunName: "run-3"})
	const want = "run-3-lin-k_1__.html"
	if !res.Checked || res.Linearizable != "illegal" || res.Visualization != want {
		t.Fatalf("check: %+v; want illegal, drawn into %s", res, want)
	}
	if html, err := os.ReadFile(filepath.Join(dir, want)); err != nil || !strings.Contains(string(html), `"Description":"kv.get(k/1 é) -`) {
		t.Errorf("visualisation: %v (%d bytes), want the stale read in it", err, len(html))
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes: %q", res.Notes)
	}

	// Without OutDir nothing is drawn.
	res = sys.Check(context.Background(), target.CheckInput{Store: mem})
	if res.Linearizable != "illegal" || res.Visualization != "" {
		t.Errorf("no OutDir: %+v", res)
	}
	// A visualisation that cannot be written is a note beside the verdict.
	res = sys.Check(context.Background(), target.CheckInput{Store: mem, OutDir: filepath.Join(dir, "missing"), RunName: "r"})
	if !res.Checked || res.Linearizable != "illegal" || res.Visualization != "" || len(res.Notes) != 1 || !strings.HasPrefix(res.Notes[0], "kvcheck: ") {
		t.Errorf("OutDir missing: %+v; want illegal and one note", res)
	}
}

// TestCheckCounts: the anomaly counts and notes of kvcheck reach the
// result; the history cap, once reached, is said and leaves the
// history-based checks out.
func TestCheckCounts(t *testing.T) {
	sys, mem := newMutex(t, true, Config{})
	staleRead(t, sys, "k")
	// The store loses the write: memory and store diverge.
	if err := mem.Delete(context.Background(), "kv/k"); err != nil {
		t.Fatal(err)
	}
	res := sys.Check(context.Background(), target.CheckInput{Store: mem})
	if res.Anomalies["zombie"] != 1 || len(res.Anomalies) != 6 {
		t.Errorf("anomalies %v, want zombie 1 among 6 kinds", res.Anomalies)
	}

	sys, mem = newMutex(t, true, Config{HistoryCap: 1})
	tg := Target()
	put, _ := tg.Op("kv.put")
	c := sys.Client(0).(*client)
	for i := range 2 {
		err := c.Do(context.Background(), put, "k")
		c.Observe(int64(2*i+1), int64(2*i+2), err)
	}
	res = sys.Check(context.Background(), target.CheckInput{Store: mem})
	want := []string{
		"writes missing from the history: duplicate_insert, duplicate_delete and lost_write not evaluated",
		"linearizability: history incomplete, not checked",
		"history cap of 1 operations reached",
	}
	if !res.Checked || res.Linearizable != "unknown" || !slices.Equal(res.Notes, want) {
		t.Errorf("history cap reached: %+v; want unknown with notes %q", res, want)
	}

	// Without Deps.History only the writes are kept: no linearizability.
	sys, mem = newMutex(t, false, Config{})
	c = sys.Client(0).(*client)
	err := c.Do(context.Background(), put, "k")
	c.Observe(1, 2, err)
	if res = sys.Check(context.Background(), target.CheckInput{Store: mem}); res.Linearizable != "skipped" || len(res.Notes) != 0 {
		t.Errorf("writes only: %+v; want skipped, no notes", res)
	}
}

// failingList is a store whose List fails.
type failingList struct{ store.Store }

var errList = errors.New("list failed")

func (failingList) List(context.Context, string) ([]string, error) { return nil, errList }

// TestCheckUnreadableStore: a store that cannot be read leaves the run
// unchecked, with the reason.
func TestCheckUnreadableStore(t *testing.T) {
	sys, mem := newMutex(t, true, Config{})
	res := sys.Check(context.Background(), target.CheckInput{Store: failingList{mem}})
	if res.Checked || res.Linearizable != "skipped" || !slices.Equal(res.Notes, []string{"could not read the store: list failed"}) {
		t.Errorf("unreadable store: %+v", res)
	}
}

// TestSafeName: letters, digits, '-', '_' and '.' are kept, every other
// rune is '_'.
func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"azAZ09-_.":   "azAZ09-_.",
		"/:@[`{":      "______",
		"k 1/é":       "k_1__",
		"w0-12.b_c":   "w0-12.b_c",
		"\x00\x7f~,+": "_____",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConfig: a Config, or a pointer to one, sets the scan length and the
// history cap; zero, negative, nil or another type of config means the
// defaults. The scan length is what a scan asks for.
func TestConfig(t *testing.T) {
	for _, tt := range []struct {
		name      string
		cfg       any
		scan, cap int
	}{
		{"none", nil, kv.DefaultScanLength, DefaultHistoryCap},
		{"another type", "context-system config", kv.DefaultScanLength, DefaultHistoryCap},
		{"zero", Config{}, kv.DefaultScanLength, DefaultHistoryCap},
		{"negative", Config{ScanLength: -1, HistoryCap: -1}, kv.DefaultScanLength, DefaultHistoryCap},
		{"set", Config{ScanLength: 3, HistoryCap: 5}, 3, 5},
		{"pointer", &Config{ScanLength: 1, HistoryCap: 7}, 1, 7},
		{"nil pointer", (*Config)(nil), kv.DefaultScanLength, DefaultHistoryCap},
	} {
		cfg := configOf(tt.cfg)
		if cfg.ScanLength != tt.scan || cfg.HistoryCap != tt.cap {
			t.Errorf("%s: scan length %d, history cap %d; want %d, %d", tt.name, cfg.ScanLength, cfg.HistoryCap, tt.scan, tt.cap)
		}
		sys, _ := newMutex(t, true, tt.cfg)
		tg := Target()
		scan, _ := tg.Op("kv.scan")
		c := sys.Client(0).(*client)
		err := c.Do(context.Background(), scan, "a")
		c.Observe(1, 2, err)
		if len(c.kept) != 1 || c.kept[0].N != tt.scan {
			t.Errorf("%s: the scan kept is %+v, want one asking for %d keys", tt.name, c.kept, tt.scan)
		}
	}
}
