package runner

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"lockbench/internal/safefile"
)

// profiler writes a run's profiles into OutDir. The mutex and block
// profiles cover warm-up and the measured phase (their rates are set when
// the run starts); the CPU profile and the execution trace cover the
// measured phase only. Files are written through safefile and committed only
// when complete: a failure leaves no file, empty or partial.
type profiler struct {
	p            Params
	cpu, trace   *safefile.File
	files        map[string]string
	ratesStarted bool
}

func newProfiler(p Params) *profiler { return &profiler{p: p, files: map[string]string{}} }

// startRates turns on the sampling of the mutex and block profiles.
func (pr *profiler) startRates() {
	if pr.p.OutDir == "" {
		return
	}
	if pr.p.Profiles.Mutex {
		runtime.SetMutexProfileFraction(1)
	}
	if pr.p.Profiles.Block {
		runtime.SetBlockProfileRate(1)
	}
	pr.ratesStarted = true
}

// stopRates turns the sampling off again; safe to call more than once.
func (pr *profiler) stopRates() {
	if !pr.ratesStarted {
		return
	}
	pr.ratesStarted = false
	if pr.p.Profiles.Mutex {
		runtime.SetMutexProfileFraction(0)
	}
	if pr.p.Profiles.Block {
		runtime.SetBlockProfileRate(0)
	}
}

func (pr *profiler) create(kind, ext string) (*safefile.File, error) {
	name := pr.p.Name() + "." + kind + ext
	f, err := safefile.Create(filepath.Join(pr.p.OutDir, name))
	if err != nil {
		return nil, fmt.Errorf("runner: %s profile: %w", kind, err)
	}
	return f, nil
}

// start starts the CPU profile and the execution trace. If one cannot be
// started, what was started is undone — the CPU profile stopped, its file
// discarded — so the next run can profile again.
func (pr *profiler) start() error {
	if pr.p.OutDir == "" {
		return nil
	}
	if pr.p.Profiles.CPU {
		f, err := pr.create("cpu", ".pprof")
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Abort()
			return fmt.Errorf("runner: cpu profile: %w", err)
		}
		pr.cpu = f
	}
	if pr.p.Profiles.Trace {
		f, err := pr.create("trace", ".out")
		if err == nil {
			if err = trace.Start(f); err != nil {
				f.Abort()
				err = fmt.Errorf("runner: trace: %w", err)
			}
		}
		if err != nil {
			pr.abort()
			return err
		}
		pr.trace = f
	}
	return nil
}

// abort stops what start started and discards its files.
func (pr *profiler) abort() {
	if pr.cpu != nil {
		pprof.StopCPUProfile()
		pr.cpu.Abort()
		pr.cpu = nil
	}
	if pr.trace != nil {
		trace.Stop()
		pr.trace.Abort()
		pr.trace = nil
	}
	pr.stopRates()
}

// stop ends the measured phase's profiles, writes the mutex and block
// profiles, and returns the files written (relative to OutDir), nil if none.
func (pr *profiler) stop() map[string]string {
	commit := func(kind string, f *safefile.File) {
		if f.Commit() == nil {
			pr.files[kind] = filepath.Base(f.Name())
		}
	}
	if pr.cpu != nil {
		pprof.StopCPUProfile()
		commit("cpu", pr.cpu)
		pr.cpu = nil
	}
	if pr.trace != nil {
		trace.Stop()
		commit("trace", pr.trace)
		pr.trace = nil
	}
	if pr.ratesStarted {
		for _, prof := range []struct {
			kind string
			on   bool
		}{{"mutex", pr.p.Profiles.Mutex}, {"block", pr.p.Profiles.Block}} {
			if !prof.on {
				continue
			}
			f, err := pr.create(prof.kind, ".pprof")
			if err != nil {
				continue
			}
			if pprof.Lookup(prof.kind).WriteTo(f, 0) == nil {
				commit(prof.kind, f)
			}
			f.Abort() // no-op after Commit
		}
	}
	pr.stopRates()
	if len(pr.files) == 0 {
		return nil
	}
	return pr.files
}
