package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// config is what the flags choose.
type config struct {
	duration   time.Duration // per mechanism and case
	callers    int           // the "many callers" count
	mechanisms []string
	cases      map[string]bool // names (delay/callers) to run; nil: all
	strict     bool
}

// aCase is one requested delay with a number of callers, and which goals
// apply to it.
type aCase struct {
	delay   time.Duration
	callers int
	beyond  bool // more wake-ups than the machine can deliver: report only
}

// name is how -cases selects the case, e.g. "2ms/1000".
func (c aCase) name() string { return fmt.Sprintf("%v/%d", c.delay, c.callers) }

func cases(many int) []aCase {
	return []aCase{
		{delay: 200 * time.Microsecond, callers: 1},
		{delay: time.Millisecond, callers: 1},
		{delay: 2 * time.Millisecond, callers: 1},
		{delay: 10 * time.Millisecond, callers: 1},
		{delay: 2 * time.Millisecond, callers: many},
		{delay: 10 * time.Millisecond, callers: many},
		{delay: 200 * time.Microsecond, callers: many, beyond: true},
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simlat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var mechanisms, caseNames, cpuprofile string
	fs.DurationVar(&cfg.duration, "duration", 1500*time.Millisecond, "measuring time per mechanism and case")
	fs.IntVar(&cfg.callers, "callers", 1000, "number of concurrent callers in the many-callers cases")
	fs.StringVar(&mechanisms, "mechanisms", strings.Join(mechanismNames, ","), "comma-separated mechanisms to measure: "+strings.Join(mechanismNames, ", "))
	fs.StringVar(&caseNames, "cases", "", "comma-separated cases to run, as DELAY/CALLERS (e.g. 2ms/1000); default all")
	fs.StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the whole measurement to `file`")
	fs.BoolVar(&cfg.strict, "strict", false, "exit with status 1 when a verdict is FAIL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.duration <= 0 || cfg.callers < 1 {
		return fmt.Errorf("-duration and -callers must be positive")
	}
	for _, m := range strings.Split(mechanisms, ",") {
		if _, ok := mechanismByName(m); !ok {
			return fmt.Errorf("unknown mechanism %q (want %s)", m, strings.Join(mechanismNames, ", "))
		}
		cfg.mechanisms = append(cfg.mechanisms, m)
	}

	all := cases(cfg.callers)
	if caseNames != "" {
		cfg.cases = map[string]bool{}
		for _, name := range strings.Split(caseNames, ",") {
			if !slices.ContainsFunc(all, func(c aCase) bool { return c.name() == name }) {
				return fmt.Errorf("unknown case %q (want DELAY/CALLERS, e.g. %s)", name, all[0].name())
			}
			cfg.cases[name] = true
		}
	}

	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "requested\tcallers\tmechanism\tcalls\tp50\tp99\tp50 error\tCPU/call\tvs Sleep\tverdict\t")
	failed := false
	for _, c := range all {
		if cfg.cases != nil && !cfg.cases[c.name()] {
			continue
		}
		var reference *result
		for _, name := range cfg.mechanisms {
			mech, _ := mechanismByName(name)
			r, err := measure(mech, c, cfg.duration)
			if err != nil {
				return err
			}
			if name == "time.Sleep" && r.calls > 0 {
				reference = &r
			}
			v := judge(c, name, r, reference)
			failed = failed || v == "FAIL"
			ratio := "-"
			if reference != nil && name != "time.Sleep" && reference.cpuPerCall > 0 {
				ratio = fmt.Sprintf("%.2f×", float64(r.cpuPerCall)/float64(reference.cpuPerCall))
			}
			if r.calls == 0 {
				fmt.Fprintf(tw, "%v\t%d\t%s\t0\t-\t-\t-\t-\t-\t%s\t\n", c.delay, c.callers, name, v)
				continue
			}
			fmt.Fprintf(tw, "%v\t%d\t%s\t%d\t%v\t%v\t%+.1f%%\t%.2fµs\t%s\t%s\t\n",
				c.delay, c.callers, name, r.calls, round(r.p50), round(r.p99),
				100*(float64(r.p50)-float64(c.delay))/float64(c.delay),
				float64(r.cpuPerCall)/1e3, ratio, v)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ngoals: |p50 - requested| <= max(10%%, 100µs); CPU/call <= 2× time.Sleep's. %s\n", precision())
	if failed && cfg.strict {
		return errFailed
	}
	return nil
}

func round(d time.Duration) time.Duration {
	if d >= 10*time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// judge returns the verdict of one row.
func judge(c aCase, name string, r result, reference *result) string {
	switch {
	case r.calls == 0:
		return "no calls" // the machine stalled for the whole window
	case c.beyond:
		return "beyond"
	}
	tolerance := max(c.delay/10, 100*time.Microsecond)
	accurate := r.p50 >= c.delay-tolerance && r.p50 <= c.delay+tolerance
	cheap := name == "time.Sleep" || reference == nil || r.cpuPerCall <= 2*reference.cpuPerCall
	if accurate && cheap {
		return "PASS"
	}
	return "FAIL"
}
