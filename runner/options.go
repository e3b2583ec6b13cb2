package runner

import (
	"fmt"
	"time"

	"lockbench/workload"
)

// Options are the settings a sweep gives every one of its runs. Sweep and
// Params both embed them, so a setting is declared once and passed whole.
type Options struct {
	// Instrument turns lock instrumentation on (the default in the CLI);
	// off, locks are plain sync locks: each lock is still listed, with
	// every figure zero, and analysis reads such runs as having no lock
	// figures (analysis.LocksMeasured), not as locks that never waited.
	Instrument bool
	// History records every operation for the linearizability check.
	History bool
	// OutDir receives results.json (sweep) and per-run files (profiles,
	// goroutine dumps, linearizability visualisations); "" writes none.
	OutDir   string
	Profiles Profiles
	// StallTimeout: a run with no completed operation for this long, while
	// an operation has been in flight as long, is abandoned as stalled
	// (0: DefaultStallTimeout). Gaps the workload itself makes (think time,
	// open-loop inter-arrival time, configured store latency and spikes)
	// are added to it: see stallThreshold.
	StallTimeout time.Duration
	// DrainTimeout bounds the wait for in-flight operations after the
	// measured phase (0: DefaultDrainTimeout).
	DrainTimeout time.Duration
}

// Params describe one run.
type Params struct {
	Strategy    string
	Spec        *workload.Spec // concurrency, duration etc. as the run uses them
	Concurrency int
	Repetition  int
	Options
}

// Profiles selects per-run profiles written into OutDir.
type Profiles struct{ CPU, Mutex, Block, Trace bool }

// Defaults for Options.
const (
	DefaultStallTimeout = 5 * time.Second
	DefaultDrainTimeout = 5 * time.Second
)

// Name is the stem of a run's files.
func (p Params) Name() string {
	return fmt.Sprintf("%s-%s-c%d-r%d", p.Spec.Name, p.Strategy, p.Concurrency, p.Repetition)
}

func (o Options) stallTimeout() time.Duration {
	if o.StallTimeout == 0 {
		return DefaultStallTimeout
	}
	return o.StallTimeout
}

func (o Options) drainTimeout() time.Duration {
	if o.DrainTimeout == 0 {
		return DefaultDrainTimeout
	}
	return o.DrainTimeout
}
