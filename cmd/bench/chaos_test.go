package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"lockbench/internal/dirlock"
	"lockbench/results"
)

// The chaos test's length: LOCKBENCH_CHAOS_ROUNDS sweeps (default 8, a few
// seconds; `make chaos` runs 80), and the seed of their timings
// (LOCKBENCH_CHAOS_SEED, default 1), so a failure can be replayed.
func chaosSettings(t *testing.T) (rounds int, seed uint64) {
	rounds, seed = 8, 1
	if s := os.Getenv("LOCKBENCH_CHAOS_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("LOCKBENCH_CHAOS_ROUNDS=%q: want a positive number", s)
		}
		rounds = n
	}
	if s := os.Getenv("LOCKBENCH_CHAOS_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("LOCKBENCH_CHAOS_SEED=%q: want a number", s)
		}
		seed = n
	}
	return rounds, seed
}

// chaosWorkloads are tiny sweeps over the in-memory, file and bolt stores
// (the stores that make folders), each run a few tens of milliseconds.
var chaosWorkloads = map[string]string{
	"chaos-memory.yaml": chaosYAML("chaos-memory", "memory"),
	"chaos-file.yaml":   chaosYAML("chaos-file", "file:fsync=false"),
	"chaos-bolt.yaml":   chaosYAML("chaos-bolt", "bolt:"),
}

func chaosYAML(name, store string) string {
	y := strings.Replace(quickYAML, "name: quick-test", "name: "+name, 1)
	y = strings.Replace(y, "duration: 30ms", "duration: 80ms", 1)
	// Every key preloaded: on a loaded machine a bolt run may complete
	// a single operation, and an update of a key never created would
	// fail that run for a reason that has nothing to do with signals.
	y = strings.Replace(y, "preload: 5", "preload: 10", 1)
	return strings.Replace(y, "store: memory", fmt.Sprintf("store: %q", store), 1)
}

// TestChaos starts sweeps of the built bench binary and kills each at a
// random moment with SIGINT, SIGTERM, SIGHUP or SIGKILL in turn, then
// checks what the README promises: results.json parses whenever it
// exists; a caught signal exits 130 (or 0 if the sweep had finished)
// leaving nothing but results.json in --out and nothing in TMPDIR; SIGKILL
// leaves at most the files the README lists for it; bench report renders
// what was saved; and a second report, cut by the same signal, leaves one
// complete set.
func TestChaos(t *testing.T) {
	rounds, seed := chaosSettings(t)
	rng := rand.New(rand.NewPCG(seed, 0x10cb))
	dir := t.TempDir()
	bin := filepath.Join(dir, "bench")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var paths []string
	for name, content := range chaosWorkloads {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	slices.Sort(paths)
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL}
	for round := range rounds {
		sig := signals[round%len(signals)]
		// The sweep's six runs take most of a second: most signals land
		// in one of them, some after the end, and SIGKILL (sent counting
		// from the start, not from when signals are caught) some in
		// start-up.
		delay := time.Duration(rng.Int64N(int64(700 * time.Millisecond)))
		t.Run(fmt.Sprintf("%d-%s-after-%s", round, sig, delay.Round(time.Millisecond)), func(t *testing.T) {
			// Every other sweep also writes profiles, so a signal can
			// land while one is being written.
			chaosRound(t, bin, paths, sig, delay, round%2 == 1)
		})
	}
}

func chaosRound(t *testing.T, bin string, workloads []string, sig syscall.Signal, delay time.Duration, profiles bool) {
	out := filepath.Join(t.TempDir(), "out")
	tmp := t.TempDir()
	args := []string{"run", "--workload", strings.Join(workloads, ","), "--strategies", "naive,sharded", "--out", out, "--quiet"}
	if profiles {
		args = append(args, "--cpuprofile", "--mutexprofile")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// The delay counts from the moment the sweep catches signals.
	err, finished := waitCatching(t, sig, filepath.Join(out, dirlock.LockFile), exited)
	if !finished {
		select {
		case err = <-exited: // finished before the signal
		case <-time.After(delay):
			// The sweep may have ended as the delay did: then there is
			// nothing to signal.
			if serr := cmd.Process.Signal(sig); serr != nil && !errors.Is(serr, os.ErrProcessDone) {
				t.Fatal(serr)
			}
			select {
			case err = <-exited:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("bench run still running 60s after %s\n%s", sig, stderr.String())
			}
		}
	}
	code := 0
	var exitErr *exec.ExitError
	defer func() { t.Logf("exit %d, %s", code, strings.TrimSpace(stderr.String())) }()
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode() // -1 when killed by the signal
	} else if err != nil {
		t.Fatal(err)
	}
	if sig != syscall.SIGKILL && code != 0 && code != 130 {
		t.Errorf("exit %d after %s, want 130 (or 0 if it had finished)\n%s", code, sig, stderr.String())
	}

	resultsPath := filepath.Join(out, "results.json")
	f, rerr := results.ReadFile(resultsPath)
	switch {
	case errors.Is(rerr, os.ErrNotExist) && sig == syscall.SIGKILL:
		// Killed before the first save.
	case rerr != nil:
		t.Fatalf("results.json after %s: %v", sig, rerr)
	case code == 130 && !f.Meta.Interrupted:
		t.Errorf("exit 130, but results.json does not say the sweep was interrupted")
	}
	for _, r := range fileRuns(f) {
		if r.Status != results.StatusOK && r.Status != results.StatusInterrupted {
			t.Errorf("run %s/%s c=%d: status %q (%s)", r.Workload, r.Strategy, r.Concurrency, r.Status, r.Reason)
		}
	}

	// What may be left: see README, "Exit status".
	for _, name := range entries(t, out) {
		if name == "results.json" || profiles && isProfile(name) || sig == syscall.SIGKILL && killLeftover(name) {
			continue
		}
		t.Errorf("--out holds %s after %s", name, sig)
	}
	for _, name := range entries(t, tmp) {
		if sig == syscall.SIGKILL && (strings.HasPrefix(name, "lockbench-store-") || strings.HasPrefix(name, "lockbench-bolt-")) {
			continue
		}
		t.Errorf("TMPDIR holds %s after %s", name, sig)
	}

	if f == nil {
		return
	}
	report := exec.Command(bin, "report", "--in", resultsPath, "--out", filepath.Join(out, "report"),
		"--formats", "svg", "--dpi", "20", "--width", "2", "--height", "1.5")
	if rout, err := report.CombinedOutput(); err != nil {
		t.Fatalf("bench report of what was saved after %s: %v\n%s", sig, err, rout)
	}
	reportDir := filepath.Join(out, "report")
	checkReportSet(t, reportDir)

	// A second report over the first, in PNG, cut by the same signal
	// after a delay of its own: the directory holds one complete set,
	// never a half-written one.
	again := exec.Command(bin, "report", "--in", resultsPath, "--out", reportDir,
		"--formats", "png", "--dpi", "20", "--width", "2", "--height", "1.5")
	var againOut strings.Builder
	again.Stdout, again.Stderr = &againOut, &againOut
	if err := again.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- again.Wait() }()
	err, finished = waitCatching(t, sig, filepath.Join(reportDir, dirlock.LockFile), done)
	if !finished {
		select {
		case err = <-done:
		case <-time.After(delay / 2):
			again.Process.Signal(sig)
			err = <-done
		}
	}
	reportCode := 0
	if errors.As(err, &exitErr) {
		reportCode = exitErr.ExitCode()
	}
	t.Logf("second report: exit %d", reportCode)
	if sig == syscall.SIGKILL {
		return // moves can be cut half-way; the README lists what may remain
	}
	if reportCode != 0 && reportCode != 130 {
		t.Errorf("bench report cut by %s: exit %d\n%s", sig, reportCode, againOut.String())
	}
	checkReportSet(t, reportDir)
}

// waitCatching waits, for a signal other than SIGKILL, until the child
// catches signals: bench run and bench report install their handlers
// first and only then lock their output directory, so the lock file
// (lockPath) appearing says they are ready. A signal sent earlier would
// meet the default action — the process killed before it could clean
// up — and test nothing but the start-up. SIGKILL, which nothing
// catches, may land at any moment. If the child exits meanwhile, its
// error is returned with exited true.
func waitCatching(t *testing.T, sig syscall.Signal, lockPath string, done <-chan error) (err error, exited bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for sig != syscall.SIGKILL {
		select {
		case err := <-done:
			return err, true
		default:
		}
		if _, err := os.Lstat(lockPath); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within 60s", lockPath)
		}
		time.Sleep(time.Millisecond)
	}
	return nil, false
}

// checkReportSet checks a report directory: report.md there, every plot
// it links present, and no temporary file or staging directory.
func checkReportSet(t *testing.T, dir string) {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil || len(md) == 0 {
		t.Fatalf("report.md missing or empty (%v)", err)
	}
	for _, m := range plotLink.FindAllSubmatch(md, -1) {
		if _, err := os.Stat(filepath.Join(dir, string(m[1]))); err != nil {
			t.Errorf("report.md links %s, which is missing", m[1])
		}
	}
	for _, name := range entries(t, dir) {
		if strings.HasPrefix(name, ".") {
			t.Errorf("the report directory holds %s", name)
		}
	}
}

var plotLink = regexp.MustCompile(`\]\(([^)#/]+\.(?:png|svg))\)`)

// killLeftover reports whether a SIGKILL may leave name in --out: the lock
// file, and the temporary file of results.json or a profile being written.
func killLeftover(name string) bool {
	return name == ".lockbench.lock" || strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

// isProfile reports whether name is a finished per-run profile.
func isProfile(name string) bool {
	return !strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".pprof")
}

func fileRuns(f *results.File) []results.Run {
	if f == nil {
		return nil
	}
	return f.Runs
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}
