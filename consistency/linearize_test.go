package consistency

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/results"
)

// TestLinearizability checks the porcupine models on hand-built histories.
func TestLinearizability(t *testing.T) {
	tests := []struct {
		name  string
		world world
		ops   []Op
		want  string
		shows []string // on illegal: strings the visualisation must contain
	}{
		{
			name:  "manager: legal overlapping update",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w1-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.get", "a", 5, 25, by(2), returns(1, "w0-1")),
				op("manager.update", "a", 5, 20, by(1), write(2, "w1-1")),
				op("manager.get", "a", 25, 30, returns(2, "w1-1")),
			},
			want: results.LinOK,
		},
		{
			name:  "manager: stale read after an acknowledged update",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w1-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.update", "a", 20, 30, by(1), write(2, "w1-1")),
				op("manager.get", "a", 40, 50, returns(1, "w0-1")),
			},
			want:  results.LinIllegal,
			shows: []string{"manager.update", "w1-1", "manager.get"},
		},
		{
			name:  "manager: acknowledged update lost at quiescence",
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.update", "a", 20, 30, by(1), write(2, "w1-1")),
			},
			want:  results.LinIllegal,
			shows: []string{"final manager state"},
		},
		{
			name:  "manager: duplicate create",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w1-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.create", "a", 5, 15, by(1), write(2, "w1-1")),
			},
			want:  results.LinIllegal,
			shows: []string{"manager.create"},
		},
		{
			name:  "fault interplay: a failed update that took effect",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w1-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.update", "a", 20, 30, by(1), write(2, "w1-1"), failed("store")),
				op("manager.get", "a", 40, 50, returns(2, "w1-1")),
			},
			want: results.LinOK,
		},
		{
			name:  "fault interplay: a failed update that did not",
			world: world{memory: map[string]ctxsys.State{"a": state(1, "w0-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.update", "a", 20, 30, by(1), write(2, "w1-1"), failed("store")),
				op("manager.get", "a", 40, 50, returns(1, "w0-1")),
			},
			want: results.LinOK,
		},
		{
			name:  "fault interplay: a failed update cannot act after it returned",
			world: world{memory: map[string]ctxsys.State{"a": state(2, "w1-1")}},
			ops: []Op{
				op("manager.create", "a", 0, 10, write(1, "w0-1")),
				op("manager.update", "a", 20, 30, by(1), write(2, "w1-1"), failed("store")),
				op("manager.get", "a", 40, 50, returns(1, "w0-1")),
				op("manager.get", "a", 60, 70, returns(2, "w1-1")),
			},
			want: results.LinIllegal,
		},
		{
			name:  "tracker: a lower version accepted after a higher one",
			world: world{trackers: []ctxsys.State{state(3, "w1-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.update_state", "", 20, 30, by(1), onTracker(0), write(3, "w1-1")),
			},
			want:  results.LinIllegal,
			shows: []string{"tracker.update_state", "w0-1"},
		},
		{
			name:  "tracker: concurrent updates, the higher wins",
			world: world{trackers: []ctxsys.State{state(5, "w0-1")}},
			ops: []Op{
				op("tracker.update_state", "", 0, 10, onTracker(0), write(5, "w0-1")),
				op("tracker.update_state", "", 0, 10, by(1), onTracker(0), write(3, "w1-1")),
				op("tracker.update_state", "", 20, 30, by(2), onTracker(0), write(4, "w2-1"), failed("stale_version")),
				op("tracker.get_state", "", 40, 50, onTracker(0), returns(5, "w0-1")),
			},
			want: results.LinOK,
		},
		{
			name: "adapter: two updates return the same version",
			world: world{
				memory:  map[string]ctxsys.State{"a": state(2, "w1-1")},
				adapter: map[string]ctxsys.AdapterContext{"a": {ID: "a", Version: 2, Data: []byte("w1-1")}},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.update", "a", 20, 30, write(0, "w0-2"), returns(2, "w0-2")),
				op("adapter.update", "a", 40, 50, by(1), write(0, "w1-1"), returns(2, "w1-1")),
			},
			want:  results.LinIllegal,
			shows: []string{"adapter.update"},
		},
		{
			name: "adapter: cleanup and refresh in order",
			world: world{
				memory:  map[string]ctxsys.State{},
				adapter: map[string]ctxsys.AdapterContext{},
			},
			ops: []Op{
				op("adapter.create", "a", 0, 10, write(0, "w0-1"), returns(1, "w0-1")),
				op("adapter.update", "a", 20, 30, write(0, "w0-2"), returns(2, "w0-2")),
				op("adapter.cleanup", "", 25, 50, by(1), ids("a")),
				op("adapter.update", "a", 60, 70, write(0, "w0-3"), failed("not_found")),
			},
			want: results.LinOK,
		},
	}
	for _, tt := range tests {
		for _, porcupineOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/porcupineOnly=%v", tt.name, porcupineOnly), func(t *testing.T) {
				dir := t.TempDir()
				in, o := observe(t, 3, Options{History: true, porcupineOnly: porcupineOnly}, tt.world, tt.ops...)
				in.OutDir, in.RunName = dir, "case"
				got := o.Check(context.Background(), in)
				if got.Linearizable != tt.want {
					t.Fatalf("linearizable = %q, want %q (notes %q)", got.Linearizable, tt.want, got.Notes)
				}
				if tt.want != results.LinIllegal {
					if got.Visualization != "" {
						t.Errorf("visualization %q for a %s history", got.Visualization, tt.want)
					}
					return
				}
				if !strings.HasPrefix(got.Visualization, "case-lin-") || !strings.HasSuffix(got.Visualization, ".html") {
					t.Fatalf("visualization = %q, want case-lin-<partition>.html", got.Visualization)
				}
				page, err := os.ReadFile(filepath.Join(dir, got.Visualization))
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range tt.shows {
					if !strings.Contains(string(page), s) {
						t.Errorf("visualization does not show %q", s)
					}
				}
			})
		}
	}
}

func TestHistoryOffIsSkipped(t *testing.T) {
	in, o := observe(t, 1, Options{}, world{}, op("manager.get", "a", 0, 1, failed("not_found")))
	if got := o.Check(context.Background(), in); got.Linearizable != results.LinSkipped {
		t.Errorf("linearizable = %q without a history, want skipped", got.Linearizable)
	}
}

// sequentialUpdates is a legal history of n updates of one context by
// alternating workers, each read back, ending in memory.
func sequentialUpdates(n int) (world, []Op) {
	ops := []Op{op("manager.create", "a", -20, -10, by(-1), write(1, "p-1"))}
	var last ctxsys.State
	for i := 0; i < n; i++ {
		at := int64(i * 100)
		data := fmt.Sprintf("w%d-%d", i%2, i)
		ops = append(ops,
			op("manager.update", "a", at, at+10, by(i%2), write(uint64(i+2), data)),
			op("manager.get", "a", at+20, at+30, by(i%2), returns(uint64(i+2), data)))
		last = state(uint64(i+2), data)
	}
	return world{memory: map[string]ctxsys.State{"a": last}}, ops
}

func TestHistoryCap(t *testing.T) {
	w, ops := sequentialUpdates(10)
	t.Run("legal prefix is unknown", func(t *testing.T) {
		in, o := observe(t, 2, Options{History: true, HistoryCap: 8}, w, ops...)
		got := o.Check(context.Background(), in)
		if got.Linearizable != results.LinUnknown {
			t.Errorf("linearizable = %q, want unknown", got.Linearizable)
		}
		if !strings.Contains(strings.Join(got.Notes, "\n"), "history cap of 8") {
			t.Errorf("notes %q do not mention the cap", got.Notes)
		}
	})
	t.Run("violation before the cut is found", func(t *testing.T) {
		bad := append([]Op(nil), ops...)
		bad[4].OutVersion, bad[4].OutData = 1, "p-1" // second read returns the preloaded state
		in, o := observe(t, 2, Options{History: true, HistoryCap: 8}, w, bad...)
		if got := o.Check(context.Background(), in); got.Linearizable != results.LinIllegal {
			t.Errorf("linearizable = %q, want illegal", got.Linearizable)
		}
	})
	t.Run("facts ignore what the cut hides", func(t *testing.T) {
		// The delete that separates the two creates is dropped by the cap:
		// the second create is invoked after the cut and set aside.
		in, o := observe(t, 1, Options{HistoryCap: 1}, world{},
			op("manager.create", "a", 0, 10, write(1, "w0-1")),
			op("manager.delete", "a", 20, 30),
			op("manager.create", "a", 40, 50, write(2, "w0-2")))
		got := o.Check(context.Background(), in)
		if got.Anomalies[DuplicateCreate] != 0 {
			t.Errorf("duplicate_create = %d across a cut, want 0", got.Anomalies[DuplicateCreate])
		}
	})
}

func TestWindows(t *testing.T) {
	w, ops := sequentialUpdates(20)
	t.Run("legal, proved whole without porcupine", func(t *testing.T) {
		in, o := observe(t, 2, Options{History: true, WindowOps: 6}, w, ops...)
		if got := o.Check(context.Background(), in); got.Linearizable != results.LinOK {
			t.Errorf("linearizable = %q, want ok (notes %q)", got.Linearizable, got.Notes)
		}
	})
	t.Run("legal in porcupine's windows is unknown", func(t *testing.T) {
		in, o := observe(t, 2, Options{History: true, WindowOps: 6, porcupineOnly: true}, w, ops...)
		got := o.Check(context.Background(), in)
		if got.Linearizable != results.LinUnknown {
			t.Errorf("linearizable = %q, want unknown", got.Linearizable)
		}
		if !strings.Contains(strings.Join(got.Notes, "\n"), "windows") {
			t.Errorf("notes %q do not mention windows", got.Notes)
		}
	})
	t.Run("violation in a late window is found and shrunk", func(t *testing.T) {
		bad := append([]Op(nil), ops...)
		bad[30].OutVersion, bad[30].OutData = 2, "w0-0" // a late read returns an early state
		dir := t.TempDir()
		in, o := observe(t, 2, Options{History: true, WindowOps: 8, porcupineOnly: true}, w, bad...)
		in.OutDir = dir
		got := o.Check(context.Background(), in)
		if got.Linearizable != results.LinIllegal {
			t.Fatalf("linearizable = %q, want illegal (notes %q)", got.Linearizable, got.Notes)
		}
		if got.Visualization != "run-lin-manager_a.html" {
			t.Errorf("visualization = %q, want run-lin-manager_a.html", got.Visualization)
		}
	})
}

func TestTimeBudget(t *testing.T) {
	w, ops := sequentialUpdates(5)
	in, o := observe(t, 2, Options{History: true, TimeBudget: time.Nanosecond}, w, ops...)
	got := o.Check(context.Background(), in)
	if got.Linearizable != results.LinUnknown {
		t.Errorf("linearizable = %q with no time budget, want unknown", got.Linearizable)
	}
}

// TestHistoryCapNote: the note on a capped history gives the instant of
// the cut and what was kept: operations invoked at or after it are set
// aside even when recorded before the cap was reached.
func TestHistoryCapNote(t *testing.T) {
	const cut = 1_500_000_000
	w := world{memory: map[string]ctxsys.State{"a": state(2, "w0-2")}}
	in, o := observe(t, 2, Options{History: true, HistoryCap: 3}, w,
		op("manager.create", "a", 0, 10, write(1, "w0-1")),
		op("manager.update", "a", 20, 30, write(2, "w0-2")),
		op("manager.get", "a", cut, cut+10, by(1), returns(2, "w0-2")), // recorded, at the cut
		op("manager.get", "a", cut, cut+20, returns(2, "w0-2")),        // beyond the cap: the cut
	)
	got := o.Check(context.Background(), in)
	want := "history cap of 3 operations reached at t=1.500s: 1 operations were not recorded; " +
		"the checks use the 2 operations invoked before that instant (1 recorded later were set aside)"
	if len(got.Notes) == 0 || !strings.HasPrefix(got.Notes[0], want) {
		t.Errorf("notes %q, want the first to begin %q", got.Notes, want)
	}
	for _, n := range got.Notes {
		if strings.Contains(n, "beyond the cap") {
			t.Errorf("note %q, though no failed write was dropped", n)
		}
	}
}
