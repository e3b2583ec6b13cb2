package hooktest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/lock"
)

// Mixed is a random mix of every operation of the three components.
type Mixed struct {
	Workers int // goroutines
	Ops     int // operations per worker
	Keys    int // size of the id space
	Seed    uint64
	// Tick, if set, is called before every cleanup, e.g. to advance a fake
	// clock so that contexts expire.
	Tick func()
}

// Run runs m.Workers goroutines that each make m.Ops random calls over every
// operation of the three components, on ids drawn from m.Keys ids, each
// worker with its own Tracker and its own lock.Trace; with the race detector
// on, this is where a data race in a strategy shows. It returns an error for
// any failure other than the ones the contract allows on a fault-free store
// (not found, exists, limit, no active context, stale version), and for an
// operation that returns still holding a lock. kinds counts the outcomes by
// ctxsys.ErrorKind ("" for success), so a test can check the mix did work.
func (m Mixed) Run(ctx context.Context, sys *impl.System) (kinds map[string]int, err error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	kinds = map[string]int{}
	for w := range m.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(m.Seed, uint64(w)))
			tr := sys.NewTracker()
			trace := &lock.Trace{}
			ctx := lock.WithTrace(ctx, trace)
			version := uint64(0)
			for i := range m.Ops {
				id := fmt.Sprintf("k%d", rng.IntN(m.Keys))
				version += uint64(1 + rng.IntN(2))
				op := rng.IntN(20)
				if op == 17 && m.Tick != nil {
					m.Tick()
				}
				err := mixedOp(ctx, sys, tr, op, id, version, i)
				kind := ctxsys.ErrorKind(err)
				mu.Lock()
				kinds[kind]++
				mu.Unlock()
				switch kind {
				case "", "not_found", "exists", "limit", "no_active", "stale_version":
				default:
					mu.Lock()
					errs = append(errs, fmt.Errorf("worker %d op %d: %w", w, i, err))
					mu.Unlock()
				}
				if n := trace.Holding(); n != 0 {
					mu.Lock()
					errs = append(errs, fmt.Errorf("worker %d op %d returned holding %d locks", w, i, n))
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return kinds, errors.Join(errs...)
}

func mixedOp(ctx context.Context, sys *impl.System, tr ctxsys.Tracker, op int, id string, version uint64, i int) error {
	m, a := sys.Manager, sys.Adapter
	data := []byte(fmt.Sprintf("%s@%d", id, version))
	state := ctxsys.State{ID: id, Version: version, Data: data, Metadata: map[string]string{"op": fmt.Sprint(i)}}
	var err error
	switch op {
	case 0:
		err = m.Create(ctx, id, state)
	case 1:
		err = m.Update(ctx, id, state)
	case 2:
		err = m.Delete(ctx, id)
	case 3:
		_, err = m.Get(ctx, id)
	case 4:
		_, err = m.List(ctx)
	case 5:
		_, err = m.CreateRecoveryPoint(ctx, id)
	case 6:
		_, err = m.RecoveryPoints(ctx, id)
	case 7:
		err = tr.UpdateState(ctx, state)
	case 8:
		err = tr.Activate(ctx, id)
	case 9:
		err = tr.Sync(ctx)
	case 10:
		_, err = tr.CreateRecoveryPoint(ctx)
	case 11:
		_, err = tr.State(ctx)
		if err == nil {
			_, err = tr.SyncNeeded(ctx)
		}
		if err == nil && i%7 == 0 {
			err = tr.Deactivate(ctx)
		}
	case 12:
		_, err = a.Create(ctx, id, data)
	case 13:
		_, err = a.Update(ctx, id, data)
	case 14:
		err = a.Delete(ctx, id)
	case 15:
		_, err = a.Get(ctx, id)
	case 16:
		_, err = a.List(ctx)
	case 17:
		_, err = a.CleanupExpired(ctx)
	case 18:
		err = a.UpdateConfig(ctx, ctxsys.AdapterConfig{MaxContexts: 1000 + i})
		if err == nil {
			_, err = a.Config(ctx)
		}
	default:
		_, err = tr.ActiveID(ctx)
	}
	return err
}
