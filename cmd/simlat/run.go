package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"lockbench/internal/safefile"
)

// config is what the flags choose.
type config struct {
	duration   time.Duration // per mechanism and case
	callers    int           // the "many callers" count
	mechanisms []string
	cases      map[string]bool // names (delay/callers) to run; nil: all
	strict     bool
	// measure takes one row's figures; tests give synthetic ones.
	measure measurer
}

// aCase is one requested delay with a number of callers, and which goal
// applies to it.
type aCase struct {
	delay   time.Duration
	callers int
	goal    goal
}

// goal is an accuracy promise: the realised median within the larger of a
// share of the requested delay and an absolute bound.
type goal struct {
	name     string
	relative float64
	absolute time.Duration
}

var (
	// raised is the sim store's promise from 1 ms to 10 ms, 1 and many
	// callers: a 4% longer service time moves an M/D/1 queue at 80%
	// load by 20%, so the delay must be exact to a percent.
	raised = goal{"1%/20µs", 0.01, 20 * time.Microsecond}
	// first is the promise below 1 ms with one caller.
	first = goal{"10%/100µs", 0.10, 100 * time.Microsecond}
	// beyond: more wake-ups than two cores deliver; reported only.
	beyond = goal{name: "beyond"}
)

func (g goal) tolerance(d time.Duration) time.Duration {
	return max(time.Duration(g.relative*float64(d)), g.absolute)
}

// name is how -cases selects the case, e.g. "2ms/1000".
func (c aCase) name() string { return fmt.Sprintf("%v/%d", c.delay, c.callers) }

func cases(many int) []aCase {
	return []aCase{
		{delay: 200 * time.Microsecond, callers: 1, goal: first},
		{delay: time.Millisecond, callers: 1, goal: raised},
		{delay: 2 * time.Millisecond, callers: 1, goal: raised},
		{delay: 5 * time.Millisecond, callers: 1, goal: raised},
		{delay: 10 * time.Millisecond, callers: 1, goal: raised},
		{delay: time.Millisecond, callers: many, goal: raised},
		{delay: 2 * time.Millisecond, callers: many, goal: raised},
		{delay: 10 * time.Millisecond, callers: many, goal: raised},
		{delay: 200 * time.Microsecond, callers: many, goal: beyond},
	}
}

// judged reports whether the mechanism's rows are judged against the
// goals: the delay of the sim store (timing.Delay, and the store itself
// through the wrapper every run uses). time.Sleep and timing.Sleep promise
// a minimum, not a median: they are the reference rows.
func judged(mech string) bool { return mech == "timing.Delay" || mech == "sim" }

// measurer takes the figures of the mechanism named in one case.
type measurer func(name string, c aCase, duration time.Duration) (result, error)

func run(args []string, stdout, stderr io.Writer) error {
	return runWith(args, stdout, stderr, func(name string, c aCase, duration time.Duration) (result, error) {
		mech, _ := mechanismByName(name)
		return measure(mech, c, duration)
	})
}

func runWith(args []string, stdout, stderr io.Writer, measureFn measurer) (err error) {
	fs := flag.NewFlagSet("simlat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config{measure: measureFn}
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
		// Through safefile like every output: a temporary file renamed
		// into place, never written through a symlink.
		f, err := safefile.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Abort()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			if cerr := f.Commit(); err == nil {
				err = cerr
			}
		}()
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "requested\tcallers\tmechanism\tcalls\tp50\tp99\tp50 error\tmean error\tCPU/call\tvs Sleep\tgoal\tverdict\t")
	failed := false
	for _, c := range all {
		if cfg.cases != nil && !cfg.cases[c.name()] {
			continue
		}
		var reference *result
		for _, name := range cfg.mechanisms {
			r, err := cfg.measure(name, c, cfg.duration)
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
				fmt.Fprintf(tw, "%v\t%d\t%s\t0\t-\t-\t-\t-\t-\t-\t%s\t%s\t\n", c.delay, c.callers, name, c.goal.name, v)
				continue
			}
			fmt.Fprintf(tw, "%v\t%d\t%s\t%d\t%v\t%v\t%+.2f%%\t%+.2f%%\t%.2fµs\t%s\t%s\t%s\t\n",
				c.delay, c.callers, name, r.calls, round(r.p50), round(r.p99),
				100*(float64(r.p50)-float64(c.delay))/float64(c.delay),
				100*(float64(r.mean)-float64(c.delay))/float64(c.delay),
				float64(r.cpuPerCall)/1e3, ratio, c.goal.name, v)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ngoals (timing.Delay and sim rows): |p50 - requested| <= max(1%%, 20µs) from 1ms to 10ms, "+
		"max(10%%, 100µs) below; CPU/call <= 2× time.Sleep's. time.Sleep and timing.Sleep (at least the delay, never earlier) are the reference. %s\n", precision())
	if failed && cfg.strict {
		return errFailed
	}
	return nil
}

func round(d time.Duration) time.Duration {
	if d >= 10*time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(100 * time.Nanosecond)
}

// judge returns the verdict of one row: "ref" for the reference
// mechanisms, "beyond" where the machine cannot deliver the wake-ups,
// "no calls" on a machine that stalled for the whole window, else PASS
// when the median is within the goal's tolerance and the CPU per call is
// at most twice time.Sleep's in the same case (when time.Sleep ran), and
// FAIL otherwise.
func judge(c aCase, name string, r result, reference *result) string {
	switch {
	case !judged(name):
		return "ref"
	case r.calls == 0:
		return "no calls"
	case c.goal == beyond:
		return "beyond"
	}
	tolerance := c.goal.tolerance(c.delay)
	accurate := r.p50 >= c.delay-tolerance && r.p50 <= c.delay+tolerance
	cheap := reference == nil || r.cpuPerCall <= 2*reference.cpuPerCall
	if accurate && cheap {
		return "PASS"
	}
	return "FAIL"
}
