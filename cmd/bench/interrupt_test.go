package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/results"
)

// registerNotifying registers a strategy (sharded underneath) that closes
// the returned channel when the n-th system it builds serves its first
// update: the run of that system is then in its measured phase.
func registerNotifying(t *testing.T, n int64) (name string, updating <-chan struct{}) {
	t.Helper()
	name = "test-notify-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	ch := make(chan struct{})
	var built atomic.Int64
	var once sync.Once
	base, err := impl.Lookup("sharded")
	if err != nil {
		t.Fatal(err)
	}
	impl.MustRegister(impl.Strategy{Name: name, Description: "test", New: func(d impl.Deps) (*impl.System, error) {
		sys, err := base.New(d)
		if err != nil || built.Add(1) != n {
			return sys, err
		}
		sys.Manager = notifyingUpdates{sys.Manager, func() { once.Do(func() { close(ch) }) }}
		return sys, nil
	}})
	t.Cleanup(func() { impl.Unregister(name) })
	return name, ch
}

type notifyingUpdates struct {
	ctxsys.Manager
	notify func()
}

func (m notifyingUpdates) Update(ctx context.Context, id string, st ctxsys.State) error {
	m.notify()
	return m.Manager.Update(ctx, id, st)
}

// waitFor polls cond until it holds, failing the test after a generous
// bound (a safety net against hangs, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestInterruptKeepsResults sends SIGINT (or SIGTERM, or SIGHUP) to the test process
// in the middle of a sweep: bench run must exit 130, leave a valid
// results.json holding the finished run and the cut one marked
// interrupted, say where it is, and bench report must render that partial
// file.
func TestInterruptKeepsResults(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { testInterrupt(t, sig) })
	}
}

func testInterrupt(t *testing.T, sig syscall.Signal) {
	dir := t.TempDir()
	// A short workload, then one that would run for an hour.
	short := filepath.Join(dir, "short.yaml")
	long := filepath.Join(dir, "long.yaml")
	for path, content := range map[string]string{
		short: yamlWith("duration:", "ops: 200"),
		long:  strings.Replace(yamlWith("duration:", "duration: 1h"), "name: quick-test", "name: long-test", 1),
	} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	strategy, updating := registerNotifying(t, 2)
	out := filepath.Join(dir, "out")
	resultsPath := filepath.Join(out, "results.json")

	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"run", "--workload", short + "," + long, "--strategies", strategy, "--out", out, "--quiet"}, &stdout, &stderr)
	}()
	// The first run saved, the second one measuring: interrupt it.
	select {
	case <-updating:
	case err := <-done:
		t.Fatalf("run ended before the interrupt: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the second run never started")
	}
	waitFor(t, "results.json with one run", func() bool {
		f, err := results.ReadFile(resultsPath)
		return err == nil && len(f.Runs) >= 1
	})
	// While the sweep writes into out, a second sweep or a report into it
	// is refused at once, naming the directory and the holder.
	for _, args := range [][]string{
		{"run", "--workload", short, "--strategies", "naive", "--out", out, "--quiet"},
		{"report", "--in", resultsPath},
	} {
		var o, e bytes.Buffer
		err := run(args, &o, &e)
		if code := exitCode(err); code != 2 || !strings.Contains(err.Error(), out) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
			t.Errorf("bench %s while a sweep writes there: exit %d (%v), want 2 naming %s and the pid", args[0], code, err, out)
		}
		if o.Len() > 0 {
			t.Errorf("bench %s while a sweep writes there printed %q", args[0], o.String())
		}
	}
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("bench run did not stop after %v", sig)
	}

	if code := exitCode(err); code != 130 {
		t.Fatalf("exit %d (err %v), want 130\n%s", code, err, stderr.String())
	}
	// main prints the error: one line saying what happened and where
	// the results are.
	if msg := err.Error(); !strings.Contains(msg, "interrupted") || !strings.Contains(msg, resultsPath) || strings.Contains(msg, "\n") {
		t.Errorf("message %q does not say in one line that it was interrupted and where the results are", msg)
	}
	f, rerr := results.ReadFile(resultsPath)
	if rerr != nil {
		t.Fatalf("results.json after the interrupt: %v", rerr)
	}
	if !f.Meta.Interrupted {
		t.Error("meta.interrupted is false")
	}
	if len(f.Runs) != 2 {
		t.Fatalf("%d runs in results.json, want the finished one and the cut one", len(f.Runs))
	}
	if r := f.Runs[0]; r.Workload != "quick-test" || r.Status != results.StatusOK || r.Ops < 200 {
		t.Errorf("first run %s: status %q, %d ops; want the finished short run", r.Workload, r.Status, r.Ops)
	}
	if r := f.Runs[1]; r.Workload != "long-test" || r.Status != results.StatusInterrupted {
		t.Errorf("last run %s: status %q (%s), want the long run marked interrupted", r.Workload, r.Status, r.Reason)
	}

	// bench report renders the partial file (small plots: rasterising
	// full-size PNGs under the race detector takes seconds).
	reportDir := filepath.Join(dir, "report")
	var rout, rerrOut bytes.Buffer
	if err := run([]string{"report", "--in", resultsPath, "--out", reportDir, "--formats", "svg", "--dpi", "20", "--width", "2", "--height", "1.5"}, &rout, &rerrOut); err != nil {
		t.Fatalf("report of the partial file: %v\n%s", err, rerrOut.String())
	}
	for _, name := range []string{"report.md", "report.html", "results.json"} {
		if st, err := os.Stat(filepath.Join(reportDir, name)); err != nil || st.Size() == 0 {
			t.Errorf("report: %s missing or empty (%v)", name, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(reportDir, "report.md"))
	if !strings.Contains(strings.ToLower(string(md)), "interrupted") {
		t.Error("report.md does not say the sweep was interrupted")
	}
}
