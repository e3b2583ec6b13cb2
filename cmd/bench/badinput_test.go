package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lockbench/internal/dirlock"
	"lockbench/results"
)

// quickYAML is a valid workload that finishes in well under a second: the
// bad-input cases change one thing in it (or pass one bad flag beside it),
// so a case the CLI wrongly accepts fails fast instead of running a suite.
const quickYAML = `name: quick-test
description: a valid workload for the bad-input table
mix: {manager.update: 3, manager.get: 1}
keys: 10
preload: 5
concurrency: [1]
duration: 30ms
warmup: 0s
count: 1
store: memory
seed: 1
`

// yamlWith returns quickYAML with the line starting with prefix replaced
// by line (or, when no line starts with prefix, with line appended).
func yamlWith(prefix, line string) string {
	var out []string
	replaced := false
	for _, l := range strings.Split(strings.TrimSuffix(quickYAML, "\n"), "\n") {
		if strings.HasPrefix(l, prefix) {
			l, replaced = line, true
		}
		out = append(out, l)
	}
	if !replaced {
		out = append(out, line)
	}
	return strings.Join(out, "\n") + "\n"
}

// TestBadInput feeds the CLI bad input of every kind: each must exit 2 with
// one line naming the culprit, print nothing else, and write nothing — no
// --out directory, no file in the working directory or in TMPDIR.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.yaml", quickYAML)
	regularFile := write("regular-file", "not a directory")
	yamls := map[string]string{
		"misspelt.yaml":       yamlWith("keys:", "keyz: 10"),
		"nested.yaml":         yamlWith("config:", "config: {max_contexts: 10, max_recovery_pointz: 3}"),
		"unknown-op.yaml":     yamlWith("mix:", "mix: {manager.upsert: 1}"),
		"zero-weights.yaml":   yamlWith("mix:", "mix: {manager.update: 0, manager.get: 0}"),
		"negative-keys.yaml":  yamlWith("keys:", "keys: -5"),
		"preload.yaml":        yamlWith("preload:", "preload: 50"),
		"duration.yaml":       yamlWith("duration:", "duration: 1 sec"),
		"century.yaml":        yamlWith("duration:", "duration: 876000h"),
		"zipf.yaml":           yamlWith("distribution:", "distribution: zipf\nzipf_s: 1"),
		"rate.yaml":           yamlWith("rate:", "rate: 100"),
		"billion.yaml":        yamlWith("concurrency:", "concurrency: [1000000000]"),
		"syntax.yaml":         yamlWith("mix:", "mix: {manager.update: [1"),
		"store-errors.yaml":   yamlWith("store:", "store: sim:errors=2"),
		"same-name-copy.yaml": quickYAML,
		"nested.yaml-deep":    yamlWith("mix:", "mix: "+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)),
	}
	for name, content := range yamls {
		write(name, content)
	}
	y := func(name string) string { return filepath.Join(dir, name) }
	// A results file to render, and directories for --out cases, apart
	// from dir (whose entries are counted at the end).
	other := t.TempDir()
	goodResults := filepath.Join(other, "results.json")
	if err := results.WriteFile(goodResults, &results.File{Schema: results.Schema}); err != nil {
		t.Fatal(err)
	}
	// Strategy names from a hand-edited file: a line break, and many.
	weird := &results.File{Schema: results.Schema}
	for i := range 30 {
		weird.Runs = append(weird.Runs, results.Run{Strategy: fmt.Sprintf("s%d\n# injected %s", i, strings.Repeat("x", 500)), Workload: "w", Concurrency: 1, Status: results.StatusOK})
	}
	weirdResults := filepath.Join(other, "weird.json")
	if err := results.WriteFile(weirdResults, weird); err != nil {
		t.Fatal(err)
	}
	resultsIsDir := filepath.Join(other, "results-is-dir")
	if err := os.MkdirAll(filepath.Join(resultsIsDir, "results.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	resultsIsLink := filepath.Join(other, "results-is-link")
	if err := os.Mkdir(resultsIsLink, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(regularFile, filepath.Join(resultsIsLink, "results.json")); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(other, "locked")
	if err := os.Mkdir(locked, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := dirlock.TryLock(locked) // as a sweep writing there would
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	pid := fmt.Sprintf("pid %d", os.Getpid())
	rep := func(extra ...string) []string { return append([]string{"report", "--in", goodResults}, extra...) }
	// run args with the quick workload; the bad part comes after.
	quick := func(extra ...string) []string { return append([]string{"run", "--workload", good}, extra...) }

	tests := []struct {
		name    string
		args    []string
		culprit []string // substrings the message must contain
		noOut   bool     // do not add --out (the case is about --out)
	}{
		// Commands and flags.
		{name: "unknown command", args: []string{"frobnicate"}, culprit: []string{`"frobnicate"`}},
		{name: "unknown command of 100 KB", args: []string{strings.Repeat("frobnicate\n", 10000)}, culprit: []string{`"frobnicate\nfrob`}},
		{name: "report baseline among hostile names", args: []string{"report", "--in", weirdResults, "--baseline", "nope"}, culprit: []string{`"nope"`, `"s0\n# injected`, "and 20 more"}},
		{name: "unknown run flag", args: quick("--frobnicate"), culprit: []string{"-frobnicate"}},
		{name: "unknown list flag", args: []string{"list", "--frobnicate"}, culprit: []string{"-frobnicate"}},
		{name: "list format", args: []string{"list", "--format", "xml"}, culprit: []string{"--format", `"xml"`}},
		{name: "positional argument", args: quick("extra"), culprit: []string{`"extra"`}},
		{name: "unknown strategy", args: quick("--strategies", "naive,optimistic"), culprit: []string{`"optimistic"`}},
		{name: "no strategy", args: quick("--strategies", ","), culprit: []string{"--strategies"}},
		{name: "strategy twice", args: quick("--strategies", "naive,sharded,naive"), culprit: []string{`"naive"`, "twice"}},
		{name: "unknown workload", args: []string{"run", "--workload", "no-such-workload"}, culprit: []string{`"no-such-workload"`}},
		{name: "empty workload", args: []string{"run", "--workload", ""}, culprit: []string{"--workload"}},
		{name: "workload twice", args: []string{"run", "--workload", good + "," + y("same-name-copy.yaml")}, culprit: []string{`"quick-test"`, "twice"}},
		{name: "missing workload file", args: []string{"run", "--workload", y("missing.yaml")}, culprit: []string{"missing.yaml"}},
		{name: "unknown suite", args: []string{"run", "--suite", "no-such-suite"}, culprit: []string{`"no-such-suite"`}},
		{name: "suite and workload", args: quick("--suite", "quick"), culprit: []string{"--suite", "--workload"}},
		{name: "duration and ops", args: quick("--duration", "1s", "--ops", "100"), culprit: []string{"--duration", "--ops"}},
		{name: "negative count", args: quick("--count", "-1"), culprit: []string{"--count", "-1"}},
		{name: "zero concurrency", args: quick("--concurrency", "0"), culprit: []string{"--concurrency", "0"}},
		{name: "billion workers", args: quick("--concurrency", "1,1000000000"), culprit: []string{"--concurrency", "1000000000"}},
		{name: "concurrency not a number", args: quick("--concurrency", "a"), culprit: []string{"--concurrency", `"a"`}},
		{name: "century duration", args: quick("--duration", "876000h"), culprit: []string{"--duration", "876000h"}},
		{name: "malformed duration", args: quick("--duration", "5x"), culprit: []string{"-duration", `"5x"`}},
		{name: "negative warmup", args: quick("--warmup", "-1s"), culprit: []string{"--warmup", "-1s"}},
		{name: "negative think time", args: quick("--think-time", "-1ms"), culprit: []string{"--think-time", "-1ms"}},
		{name: "rate without open loop", args: quick("--rate", "100"), culprit: []string{"--rate", "open"}},
		{name: "open loop without rate", args: quick("--arrival", "open"), culprit: []string{"arrival open", "rate"}},
		{name: "unknown arrival", args: quick("--arrival", "bogus"), culprit: []string{"--arrival", `"bogus"`}},
		{name: "unknown format", args: quick("--format", "bogus"), culprit: []string{"--format", `"bogus"`}},
		{name: "zero stall timeout", args: quick("--stall-timeout", "0s"), culprit: []string{"--stall-timeout"}},
		{name: "profile without out", args: quick("--cpuprofile"), culprit: []string{"--cpuprofile", "--out"}, noOut: true},
		{name: "trace without out", args: quick("--trace"), culprit: []string{"--trace", "--out"}, noOut: true},
		{name: "out under a regular file", args: quick("--out", filepath.Join(regularFile, "results")), culprit: []string{"--out", regularFile}, noOut: true},
		{name: "out is a regular file", args: quick("--out", regularFile), culprit: []string{"--out", regularFile}, noOut: true},
		{name: "out empty", args: quick("--out", ""), culprit: []string{"--out", "empty"}, noOut: true},
		{name: "out/results.json a directory", args: quick("--out", resultsIsDir), culprit: []string{"--out", resultsIsDir, "results.json", "directory"}, noOut: true},
		{name: "out/results.json a symlink", args: quick("--out", resultsIsLink), culprit: []string{"--out", resultsIsLink, "results.json", "symlink"}, noOut: true},
		{name: "out in use by a sweep", args: quick("--out", locked), culprit: []string{"--out", locked, pid}, noOut: true},
		{name: "out unwritable", args: quick("--out", "/proc/self"), culprit: []string{"--out", `"/proc/self"`, "writable"}, noOut: true},
		{name: "neither suite nor workload", args: []string{"run"}, culprit: []string{"--suite", "--workload"}, noOut: true},
		{name: "newline in workload path", args: []string{"run", "--workload", y("no\nsuch.yaml")}, culprit: []string{`no\nsuch.yaml`}},

		// bench report and compare.
		{name: "report out a regular file", args: rep("--out", regularFile), culprit: []string{"--out", regularFile, "not a directory"}},
		{name: "report out /dev/full", args: rep("--out", "/dev/full"), culprit: []string{"--out", `"/dev/full"`}},
		{name: "report out unwritable", args: rep("--out", "/proc/self"), culprit: []string{"--out", `"/proc/self"`, "writable"}},
		{name: "report out empty", args: rep("--out", ""), culprit: []string{"--out", "empty"}},
		{name: "report out in use by a sweep", args: rep("--out", locked), culprit: []string{"--out", locked, pid}},
		{name: "report in /dev/zero", args: []string{"report", "--in", "/dev/zero"}, culprit: []string{"--in", `"/dev/zero"`}},
		{name: "report in a newline path", args: []string{"report", "--in", "no\nsuch.json"}, culprit: []string{"--in", `"no\nsuch.json"`}},
		{name: "report plots of 576 megapixels", args: rep("--dpi", "600", "--width", "40", "--height", "40"), culprit: []string{"--dpi", "--width", "--height", "megapixels"}},
		{name: "compare /dev/zero", args: []string{"compare", "/dev/zero", goodResults}, culprit: []string{`"/dev/zero"`}},

		// Workload files.
		{name: "yaml misspelt field", args: []string{"run", "--workload", y("misspelt.yaml")}, culprit: []string{"misspelt.yaml", "keyz"}},
		{name: "yaml misspelt nested field", args: []string{"run", "--workload", y("nested.yaml")}, culprit: []string{"nested.yaml", "max_recovery_pointz"}},
		{name: "yaml unknown op", args: []string{"run", "--workload", y("unknown-op.yaml")}, culprit: []string{"unknown-op.yaml", "manager.upsert"}},
		{name: "yaml weights sum to zero", args: []string{"run", "--workload", y("zero-weights.yaml")}, culprit: []string{"zero-weights.yaml", "mix"}},
		{name: "yaml negative keys", args: []string{"run", "--workload", y("negative-keys.yaml")}, culprit: []string{"negative-keys.yaml", "keys", "-5"}},
		{name: "yaml preload beyond keys", args: []string{"run", "--workload", y("preload.yaml")}, culprit: []string{"preload.yaml", "preload", "50"}},
		{name: "yaml malformed duration", args: []string{"run", "--workload", y("duration.yaml")}, culprit: []string{"duration.yaml", "duration", "1 sec"}},
		{name: "yaml century duration", args: []string{"run", "--workload", y("century.yaml")}, culprit: []string{"century.yaml", "duration"}},
		{name: "yaml zipf_s not above 1", args: []string{"run", "--workload", y("zipf.yaml")}, culprit: []string{"zipf.yaml", "zipf_s"}},
		{name: "yaml rate without open loop", args: []string{"run", "--workload", y("rate.yaml")}, culprit: []string{"rate.yaml", "rate"}},
		{name: "yaml billion workers", args: []string{"run", "--workload", y("billion.yaml")}, culprit: []string{"billion.yaml", "concurrency", "1000000000"}},
		{name: "yaml syntax", args: []string{"run", "--workload", y("syntax.yaml")}, culprit: []string{"syntax.yaml"}},
		{name: "yaml nested 10,000 levels", args: []string{"run", "--workload", y("nested.yaml-deep")}, culprit: []string{"nested.yaml-deep", "nested more than"}},
		{name: "yaml store spec", args: []string{"run", "--workload", y("store-errors.yaml")}, culprit: []string{"store-errors.yaml", "errors"}},

		// Store specs.
		{name: "store unknown kind", args: quick("--store", "redis:addr=x"), culprit: []string{"--store", `"redis"`}},
		{name: "store unknown option", args: quick("--store", "sim:latncy=1ms"), culprit: []string{"--store", "latncy"}},
		{name: "store error rate above 1", args: quick("--store", "sim:errors=1.5"), culprit: []string{"--store", "errors", "1.5"}},
		{name: "store negative latency", args: quick("--store", "sim:latency=-1ms"), culprit: []string{"--store", "latency"}},
		{name: "store negative pool", args: quick("--store", "sim:pool=-1"), culprit: []string{"--store", "pool"}},
		{name: "store spike without delay", args: quick("--store", "sim:spike=0.1"), culprit: []string{"--store", "spike", "0.1"}},
		{name: "store spike malformed delay", args: quick("--store", "sim:spike=0.1:zz"), culprit: []string{"--store", "spike", "zz"}},
		{name: "store spike probability above 1", args: quick("--store", "sim:spike=2:5ms"), culprit: []string{"--store", "spike"}},
		{name: "store option twice", args: quick("--store", "sim:latency=1ms,latency=2ms"), culprit: []string{"--store", "latency"}},
		{name: "store empty", args: quick("--store", ""), culprit: []string{"--store", `bad spec ""`, "no store kind"}},
		{name: "store two lines", args: quick("--store", "sim:latency=1ms\nmemory"), culprit: []string{"run: --store: bad spec", `'\n'`}},
		{name: "store spec of 300 bytes", args: quick("--store", "file:dir=/"+strings.Repeat("d", 300)), culprit: []string{"--store", "longer than 256 bytes"}},
		{name: "duration not a duration", args: quick("--duration", "1 sec"), culprit: []string{"run: --duration", `"1 sec"`}},
		{name: "bolt path under a regular file", args: quick("--store", "bolt:path="+filepath.Join(regularFile, "x.db")), culprit: []string{"--store", regularFile}},
		{name: "bolt path is a directory", args: quick("--store", "bolt:path="+dir), culprit: []string{"--store", dir}},
		{name: "file dir under a regular file", args: quick("--store", "file:dir="+filepath.Join(regularFile, "a", "b")), culprit: []string{"--store", regularFile}},
		{name: "file dir is a regular file", args: quick("--store", "file:dir="+regularFile), culprit: []string{"--store", `"` + regularFile + `"`, "not a directory"}},
		// Even root cannot make a directory in /proc: a path that passes
		// every check on paper and cannot be written.
		{name: "file dir that cannot be made", args: quick("--store", "file:dir=/proc/lockbench-store"), culprit: []string{"--store", `"/proc/lockbench-store"`}},
		{name: "bolt file that cannot be made", args: quick("--store", "bolt:path=/proc/lockbench/x.db"), culprit: []string{"--store", `"/proc/lockbench/x.db"`}},
	}
	if os.Geteuid() != 0 {
		// root writes into a read-only directory; /proc/self stands for
		// an unwritable one above, whoever runs the tests.
		readOnly := filepath.Join(other, "read-only")
		if err := os.Mkdir(readOnly, 0o555); err != nil {
			t.Fatal(err)
		}
		tests = append(tests,
			struct {
				name    string
				args    []string
				culprit []string
				noOut   bool
			}{name: "report out read-only", args: rep("--out", readOnly), culprit: []string{"--out", readOnly, "writable"}})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Anything written relative to the working directory or into
			// TMPDIR lands in directories that must stay empty.
			wd, tmp := t.TempDir(), t.TempDir()
			t.Chdir(wd)
			t.Setenv("TMPDIR", tmp)
			out := filepath.Join(t.TempDir(), "out")
			args := tc.args
			if !tc.noOut && args[0] == "run" {
				args = append(args[:len(args):len(args)], "--out", out)
			}
			var stdout, stderr bytes.Buffer
			err := run(args, &stdout, &stderr)
			if code := exitCode(err); code != 2 {
				t.Fatalf("bench %s: exit %d (err %v), want 2", strings.Join(args, " "), code, err)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("message is not one line: %q", msg)
			}
			if len(msg) > 1000 {
				t.Errorf("message of %d bytes, want a short line: %.300q…", len(msg), msg)
			}
			if strings.Count(msg, "report:") > 1 || strings.Count(msg, "run:") > 1 {
				t.Errorf("message names its command twice: %q", msg)
			}
			for _, c := range tc.culprit {
				if !strings.Contains(msg, c) {
					t.Errorf("message %q does not name %q", msg, c)
				}
			}
			// main prints the error, and nothing else may be printed.
			if stdout.Len() > 0 || stderr.Len() > 0 {
				t.Errorf("printed beside the error:\nstdout: %q\nstderr: %q", stdout.String(), stderr.String())
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input, yet %s was created", out)
			}
			for _, d := range []string{wd, tmp} {
				if entries, _ := os.ReadDir(d); len(entries) > 0 {
					t.Errorf("bad input, yet %s holds %s", d, entries[0].Name())
				}
			}
		})
	}
	// The inputs' directory holds the inputs and nothing else (no store
	// file beside a regular file, no stray probe).
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(yamls) + 2; len(entries) != want {
		t.Errorf("%s holds %d entries, want the %d inputs", dir, len(entries), want)
	}
}
