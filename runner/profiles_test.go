package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"lockbench/workload"
)

func profParams(dir string, pr Profiles) Params {
	return Params{Strategy: "s", Spec: &workload.Spec{Name: "w"}, Concurrency: 1, Repetition: 1,
		Options: Options{OutDir: dir, Profiles: pr}}
}

// written lists the profile files of a run, and checks each is in dir
// and not empty.
func written(t *testing.T, dir string, files map[string]string) []string {
	t.Helper()
	var kinds []string
	for kind, name := range files {
		kinds = append(kinds, kind)
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s profile %q: %v", kind, name, err)
		}
	}
	slices.Sort(kinds)
	return kinds
}

// TestProfilesAsked: each profile asked for is written, and only those;
// the mutex and block sampling is on from startRates to stop, and off
// after; with no OutDir nothing is sampled or written.
func TestProfilesAsked(t *testing.T) {
	defer runtime.SetMutexProfileFraction(runtime.SetMutexProfileFraction(-1))
	runtime.SetMutexProfileFraction(0)
	for _, tc := range []struct {
		name string
		pr   Profiles
		want []string
	}{
		{"all", Profiles{CPU: true, Trace: true, Mutex: true, Block: true}, []string{"block", "cpu", "mutex", "trace"}},
		{"mutex", Profiles{Mutex: true}, []string{"mutex"}},
		{"block", Profiles{Block: true}, []string{"block"}},
		{"cpu", Profiles{CPU: true}, []string{"cpu"}},
		{"trace", Profiles{Trace: true}, []string{"trace"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pr := newProfiler(profParams(dir, tc.pr))
			pr.startRates()
			if got := runtime.SetMutexProfileFraction(-1); (got == 1) != tc.pr.Mutex {
				t.Errorf("mutex profile fraction %d while profiling (mutex asked: %v)", got, tc.pr.Mutex)
			}
			if err := pr.start(); err != nil {
				t.Fatal(err)
			}
			files := pr.stop()
			if got := written(t, dir, files); !slices.Equal(got, tc.want) {
				t.Errorf("profiles written %v, want %v", got, tc.want)
			}
			if got := runtime.SetMutexProfileFraction(-1); got != 0 {
				t.Errorf("mutex profile fraction %d after the run", got)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != len(tc.want) {
				t.Errorf("%d files in the directory, want %d", len(entries), len(tc.want))
			}
		})
	}
	pr := newProfiler(profParams("", Profiles{CPU: true, Trace: true, Mutex: true, Block: true}))
	pr.startRates()
	if got := runtime.SetMutexProfileFraction(-1); got != 0 || pr.ratesStarted {
		t.Errorf("no OutDir: mutex profile fraction %d", got)
	}
	if err := pr.start(); err != nil || pr.cpu != nil || pr.trace != nil {
		t.Errorf("no OutDir: start %v, cpu %v, trace %v", err, pr.cpu, pr.trace)
	}
	if files := pr.stop(); files != nil {
		t.Errorf("no OutDir: profiles %v", files)
	}
}

// TestProfilesAborted: an aborted run leaves no profile file and stops
// what it started, so the next run profiles again.
func TestProfilesAborted(t *testing.T) {
	defer runtime.SetMutexProfileFraction(runtime.SetMutexProfileFraction(-1))
	dir := t.TempDir()
	all := Profiles{CPU: true, Trace: true, Mutex: true, Block: true}
	pr := newProfiler(profParams(dir, all))
	pr.startRates()
	if err := pr.start(); err != nil {
		t.Fatal(err)
	}
	pr.abort()
	pr.abort() // again, as release does after abort
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files left by an aborted run", len(entries))
	}
	if got := runtime.SetMutexProfileFraction(-1); got != 0 {
		t.Errorf("mutex profile fraction %d after an abort", got)
	}
	next := newProfiler(profParams(dir, all))
	next.startRates()
	if err := next.start(); err != nil {
		t.Fatalf("the next run cannot profile: %v", err)
	}
	if got := written(t, dir, next.stop()); len(got) != 4 {
		t.Errorf("next run's profiles %v", got)
	}
}
