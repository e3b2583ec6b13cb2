// Package ctxtarget makes the context system (lockbench/ctxsys, strategies
// registered in lockbench/impl) the built-in target "context": its
// operations' executors, its preload, and its consistency check
// (lockbench/consistency). Importing it registers the target; the runner
// does, so every program that runs workloads has it.
//
// Its strategies are read from package impl when they are asked for, so a
// strategy added with impl.MustRegister — in an init function, or in a test
// — runs against every context workload like the built-in ones.
package ctxtarget

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"lockbench/consistency"
	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/results"
	"lockbench/target"
)

// Name is the target's name, target.Default.
const Name = target.Default

func init() {
	target.MustRegister(target.Target{
		Name:        Name,
		Description: "the context system: manager, tracker and adapter over one store",
		Ops:         ctxsys.Ops,
		Strategies:  strategies,
		ErrorKind:   ctxsys.ErrorKind,
		// A get of a context that is gone, a create of one that exists, a
		// create over max_contexts, a tracker call with no active context
		// and a stale tracker version are the system's correct answers to
		// what the workload asked; a store failure or an invalid request
		// is not.
		Answers:     []string{"not_found", "exists", "limit", "no_active", "stale_version"},
		Consistency: "anomalies at quiescence (duplicate_create, capacity_overshoot, store_divergence, zombie, version_regression, lost_refresh, recovery_overflow); porcupine linearizability with --history",
	})
}

// strategies wraps every strategy registered in package impl.
func strategies() []target.Strategy {
	var out []target.Strategy
	for _, name := range impl.Names() {
		s, err := impl.Lookup(name)
		if err != nil {
			continue // unregistered in between
		}
		out = append(out, target.Strategy{
			Name:        s.Name,
			Description: s.Description,
			New:         func(d target.Deps) (target.System, error) { return build(s, d) },
		})
	}
	return out
}

// system is one context system as a target.System.
type system struct {
	sys      *impl.System
	trackers []ctxsys.Tracker
	cfg      ctxsys.Config
	obs      *consistency.Observer
	now      func() int64
	versions atomic.Uint64 // one counter per run: versions also increase in real time
	preload  []string      // preloaded ids, for the trackers' active contexts
	usesTrk  bool          // the preload activated the trackers
}

var (
	_ target.Preloader = (*system)(nil)
	_ target.Checker   = (*system)(nil)
	_ target.Observer  = (*client)(nil)
)

// build makes a system of strategy s from the target's dependencies.
// Deps.Config must be a ctxsys.Config (the zero value means the defaults).
func build(s impl.Strategy, d target.Deps) (*system, error) {
	var cfg ctxsys.Config
	switch c := d.Config.(type) {
	case nil:
	case ctxsys.Config:
		cfg = c
	default:
		return nil, fmt.Errorf("ctxtarget: config is a %T, want ctxsys.Config", d.Config)
	}
	cfg = cfg.WithDefaults()
	sys, err := s.New(impl.Deps{Store: d.Store, Locks: d.Locks, Config: cfg})
	if err != nil {
		return nil, err
	}
	// Trackers: one per client, or one shared by all.
	nTrackers := max(d.Clients, 1)
	if d.SharedClient {
		nTrackers = 1
	}
	trackers := make([]ctxsys.Tracker, nTrackers)
	for i := range trackers {
		trackers[i] = sys.NewTracker()
	}
	now := d.Now
	if now == nil {
		now = func() int64 { return 0 }
	}
	return &system{
		sys:      sys,
		trackers: trackers,
		cfg:      cfg,
		obs:      consistency.NewObserver(d.Clients, consistency.Options{History: d.History, Config: cfg}),
		now:      now,
	}, nil
}

// Client returns worker w's client, on tracker w mod the tracker count.
func (s *system) Client(w int) target.Client {
	ti := w % len(s.trackers)
	c := &client{id: w, s: s, tracker: s.trackers[ti], trackerIdx: ti, ownTracker: len(s.trackers) > 1}
	if c.ownTracker && s.usesTrk {
		c.activeKey = s.preload[ti%len(s.preload)]
	}
	return c
}

// Check runs the consistency checks at quiescence.
func (s *system) Check(ctx context.Context, in target.CheckInput) results.Consistency {
	return s.obs.Check(ctx, consistency.Input{System: s.sys, Trackers: s.trackers, Store: in.Store, OutDir: in.OutDir, RunName: in.RunName})
}

// Preload attempts: a preload step that failed in the store is retried, so
// that with injected failures (sim errors=p) the preload still builds the
// workload's starting state, and only a store failing nearly always (p^20)
// fails the run.
const (
	preloadWorkers  = 32
	preloadAttempts = 20
)

// Preload creates the preloaded contexts — through the adapter when the mix
// uses adapter operations, else through the manager — and activates the
// trackers when the mix uses them, recording each step for the consistency
// checker.
func (s *system) Preload(ctx context.Context, keys []string, mix []target.Op) error {
	viaAdapter, usesTracker := false, false
	for _, op := range mix {
		viaAdapter = viaAdapter || ctxsys.OpComponent(op) == ctxsys.ComponentAdapter
		usesTracker = usesTracker || ctxsys.OpComponent(op) == ctxsys.ComponentTracker
	}
	n := len(keys)
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex // the preload records as one observer slot
	var wg sync.WaitGroup
	for g := 0; g < min(preloadWorkers, n); g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pc := &client{id: -1, s: s}
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				key := keys[i]
				err := retryStore(ctx, func() error {
					rec := consistency.Op{Key: key, Client: -1, Tracker: -1, Call: s.now()}
					var err error
					if viaAdapter {
						rec.Kind = ctxsys.AdapterCreate
						var ac ctxsys.AdapterContext
						ac, err = s.sys.Adapter.Create(ctx, key, pc.newData(&rec))
						rec.OutVersion = ac.Version
					} else {
						rec.Kind = ctxsys.ManagerCreate
						err = s.sys.Manager.Create(ctx, key, pc.newState(key, &rec))
					}
					rec.Return, rec.Err = s.now(), ctxsys.ErrorKind(err)
					mu.Lock()
					s.obs.Record(-1, rec)
					mu.Unlock()
					return err
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("ctxtarget: preload %s: %w", key, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if !usesTracker || n == 0 {
		return nil
	}
	for i, tr := range s.trackers {
		key := keys[i%n]
		err := retryStore(ctx, func() error {
			rec := consistency.Op{Kind: ctxsys.TrackerActivate, Key: key, Client: -1, Tracker: i, Call: s.now()}
			err := tr.Activate(ctx, key)
			rec.Return, rec.Err = s.now(), ctxsys.ErrorKind(err)
			s.obs.Record(-1, rec)
			return err
		})
		if err != nil {
			return fmt.Errorf("ctxtarget: preload: activate tracker %d on %s: %w", i, key, err)
		}
	}
	s.preload, s.usesTrk = keys, true
	return nil
}

// retryStore runs step until it succeeds, fails otherwise than in the
// store, or has failed in the store preloadAttempts times. A create that
// failed in the store may have changed memory all the same (refactored
// inserts before it writes): its retry's ErrExists means the context is
// there, which is what the preload wants.
func retryStore(ctx context.Context, step func() error) error {
	var err error
	for attempt := 1; attempt <= preloadAttempts; attempt++ {
		err = step()
		switch {
		case err == nil:
			return nil
		case attempt > 1 && errors.Is(err, ctxsys.ErrExists):
			return nil
		case ctx.Err() != nil || !errors.Is(err, ctxsys.ErrStore):
			return err
		}
	}
	return fmt.Errorf("%w (%d attempts)", err, preloadAttempts)
}
