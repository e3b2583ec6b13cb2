package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// FuzzRunFlags feeds bench run's and bench report's flag parsing and
// checking (everything before anything is run or written) arbitrary
// arguments: they never panic, and every refusal is bad input (exit 2) in
// one line of bounded length.
func FuzzRunFlags(f *testing.F) {
	for _, seed := range []string{
		"run --suite quick",
		"run --workload same-context-update --concurrency 1,4 --duration 1s",
		"run --workload mass-create --strategies naive,sharded --store sim:latency=1ms,dist=exp --count 2",
		"run --workload x.yaml --arrival open --rate 100 --think-time 1ms",
		"run --suite quick --workload y --ops 5 --duration 1s",
		"run --out  --cpuprofile --stall-timeout 0s",
		"report --in r.json --formats png,svg --dpi 600 --width 40 --height 40",
		"report --in r.json --baseline \n --formats gif",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) == 0 || strings.Contains(line, "dir=") || strings.Contains(line, "path=") {
			// A file or bolt store's path is probed on disk: the fuzzer
			// must not create directories wherever an input points.
			return
		}
		var err error
		switch args[0] {
		case "run":
			fs, rf := newRunFlagSet(io.Discard)
			var help bool
			if help, err = parseFlags(fs, args[1:], io.Discard); help || err != nil {
				break
			}
			rf.set = map[string]bool{}
			fs.Visit(func(fl *flag.Flag) { rf.set[fl.Name] = true })
			if rf.set["workload"] {
				// Only embedded workloads: a fuzzed path could name any file.
				for _, w := range splitList(rf.workloads) {
					if strings.ContainsAny(w, "/.") {
						return
					}
				}
			}
			_, _, err = planSweep(rf)
		case "report":
			fs, rf := newReportFlagSet(io.Discard)
			var help bool
			if help, err = parseFlags(fs, args[1:], io.Discard); help || err != nil {
				break
			}
			_, err = rf.options(fs)
		default:
			return
		}
		if err == nil {
			return
		}
		if !errors.Is(err, errBadInput) {
			t.Fatalf("%q: error %v is not bad input", line, err)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || len(msg) > 1000 {
			t.Fatalf("%q: message not one short line: %.300q", line, msg)
		}
	})
}
