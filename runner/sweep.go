package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"lockbench/results"
	"lockbench/workload"
)

// Sweep is a set of runs: every workload × concurrency × repetition ×
// strategy. Strategies are interleaved within each repetition (A B C A B C
// …, not A A A B B B …) so drift on a noisy machine spreads over all of
// them instead of masquerading as a difference between them.
type Sweep struct {
	Specs []*workload.Spec
	// Strategies to run, by name; nil runs every strategy of each spec's
	// target.
	Strategies []string
	Meta       results.Meta
	// Options apply to every run. OutDir also receives results.json,
	// rewritten atomically after every run, so an interrupted sweep keeps
	// what it measured; "" keeps results in memory only.
	Options
	// Progress, if set, is called before every run.
	Progress func(ProgressEvent)
	// OnRun, if set, is called after every run (e.g. to print it).
	OnRun func(results.Run)
}

// ProgressEvent says which run of the sweep starts, and how long the rest
// of the sweep is expected to take.
type ProgressEvent struct {
	Run, Runs int // this run's number (from 1) and the sweep's total
	Params    Params
	// ETA estimates the time left, this run included: the planned phases
	// of the runs left, scaled by how long the finished ones took against
	// their plan.
	ETA time.Duration
}

// ErrRunsFailed: at least one run of the sweep failed; the results file
// records which and why.
var ErrRunsFailed = errors.New("runner: runs failed")

// Plan lists the runs of the sweep in the order they will execute.
func (s *Sweep) Plan() []Params {
	var plan []Params
	for _, spec := range s.Specs {
		strategies := s.Strategies
		if strategies == nil {
			if t, err := spec.System(); err == nil {
				strategies = t.StrategyNames()
			}
		}
		for _, conc := range spec.Concurrency {
			for rep := 1; rep <= spec.Count; rep++ {
				for _, strat := range strategies {
					plan = append(plan, Params{Strategy: strat, Spec: spec, Concurrency: conc, Repetition: rep, Options: s.Options})
				}
			}
		}
	}
	return plan
}

// Run executes the sweep. It returns the results so far and context.Canceled
// when ctx was cancelled (the cut run is kept, marked interrupted),
// ErrRunsFailed when some run failed, or a write error. Before it returns,
// the stores of abandoned (stalled) runs are closed, within the drain
// bound; one that could not be is named in an ErrStoreLeft error.
func (s *Sweep) Run(ctx context.Context) (*results.File, error) {
	f, err := s.run(ctx)
	if lerr := CloseAbandoned(s.drainTimeout()); lerr != nil {
		if err == nil {
			return f, lerr
		}
		err = fmt.Errorf("%w; %w", err, lerr)
	}
	return f, err
}

func (s *Sweep) run(ctx context.Context) (*results.File, error) {
	f := &results.File{Schema: results.Schema, Meta: s.Meta, Runs: []results.Run{}}
	plan := s.Plan()
	path := ""
	if s.OutDir != "" {
		path = filepath.Join(s.OutDir, "results.json")
	}
	save := func() error {
		f.Meta.FinishedAt = time.Now().UTC()
		if path == "" {
			return nil
		}
		return results.WriteFile(path, f)
	}
	if err := save(); err != nil {
		return f, err
	}
	failed := 0
	began := time.Now()
	for i, p := range plan {
		if ctx.Err() != nil {
			break
		}
		if s.Progress != nil {
			s.Progress(ProgressEvent{Run: i + 1, Runs: len(plan), Params: p, ETA: eta(began, i, plan)})
		}
		// Garbage from the previous run must not bill this one.
		runtime.GC()
		res, err := RunOne(ctx, p)
		f.Runs = append(f.Runs, res)
		if res.Status == results.StatusFailed {
			failed++
		}
		if s.OnRun != nil {
			s.OnRun(res)
		}
		if werr := save(); werr != nil {
			return f, werr
		}
		if errors.Is(err, context.Canceled) || res.Status == results.StatusInterrupted {
			break
		}
	}
	if ctx.Err() != nil {
		f.Meta.Interrupted = true
		if err := save(); err != nil {
			return f, err
		}
		return f, context.Canceled
	}
	if failed > 0 {
		return f, fmt.Errorf("%w: %d of %d", ErrRunsFailed, failed, len(f.Runs))
	}
	return f, nil
}

// eta estimates the time left from the planned phases of the remaining runs,
// scaled by how long the finished ones really took against their plan.
func eta(began time.Time, done int, plan []Params) time.Duration {
	planned := func(p Params) time.Duration {
		d := p.Spec.Warmup + p.Spec.Duration + 100*time.Millisecond
		if p.Spec.Duration == 0 {
			d += time.Second
		}
		return d
	}
	var donePlan, leftPlan time.Duration
	for i, p := range plan {
		if i < done {
			donePlan += planned(p)
		} else {
			leftPlan += planned(p)
		}
	}
	scale := 1.0
	if donePlan > 0 {
		scale = float64(time.Since(began)) / float64(donePlan)
	}
	return time.Duration(float64(leftPlan) * scale).Round(time.Second)
}
