package runner

import (
	"context"
	"fmt"
	"strconv"

	"lockbench/consistency"
	"lockbench/ctxsys"
	"lockbench/workload"
)

// opFunc executes one operation for a worker and fills the outcome fields of
// rec (the runner fills kind, key, client and times).
type opFunc func(ctx context.Context, w *worker, key string, rec *consistency.Op) error

// executors maps every workload operation to the call it makes on a system.
// Inputs are unique per run (versions from the run's counter, data tags
// "w<client>-<seq>"), so the consistency checker can tell every written
// state apart.
func executors() (map[string]opFunc, error) {
	m := map[string]opFunc{
		"manager.get": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			st, err := w.sys.Manager.Get(ctx, key)
			rec.OutVersion, rec.OutData = st.Version, string(st.Data)
			return err
		},
		"manager.create": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			st := w.newState(key, rec)
			return w.sys.Manager.Create(ctx, key, st)
		},
		"manager.update": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			st := w.newState(key, rec)
			return w.sys.Manager.Update(ctx, key, st)
		},
		"manager.delete": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			return w.sys.Manager.Delete(ctx, key)
		},
		"manager.list": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			ids, err := w.sys.Manager.List(ctx)
			rec.Key, rec.OutCount = "", len(ids)
			return err
		},
		"manager.recovery_point": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			rp, err := w.sys.Manager.CreateRecoveryPoint(ctx, key)
			rec.OutVersion, rec.OutData = rp.State.Version, string(rp.State.Data)
			return err
		},
		"manager.recovery_points": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			rps, err := w.sys.Manager.RecoveryPoints(ctx, key)
			rec.OutCount = len(rps)
			return err
		},
		"tracker.get_state": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			st, err := w.tracker.State(ctx)
			rec.Key, rec.OutVersion, rec.OutData = "", st.Version, string(st.Data)
			return err
		},
		"tracker.update_state": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			st := w.newState(w.trackerKey(), rec)
			rec.Key = ""
			return w.tracker.UpdateState(ctx, st)
		},
		"tracker.activate": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			err := w.tracker.Activate(ctx, key)
			if err == nil && w.ownTracker {
				w.activeKey = key
			}
			return err
		},
		"tracker.deactivate": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			rec.Key = ""
			return w.tracker.Deactivate(ctx)
		},
		"tracker.sync": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			rec.Key = ""
			return w.tracker.Sync(ctx)
		},
		"tracker.recovery_point": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			rp, err := w.tracker.CreateRecoveryPoint(ctx)
			rec.Key, rec.OutVersion, rec.OutData = rp.ContextID, rp.State.Version, string(rp.State.Data)
			return err
		},
		"adapter.create": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			ac, err := w.sys.Adapter.Create(ctx, key, w.newData(rec))
			rec.OutVersion, rec.OutData = ac.Version, string(ac.Data)
			return err
		},
		"adapter.get": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			ac, err := w.sys.Adapter.Get(ctx, key)
			rec.OutVersion, rec.OutData = ac.Version, string(ac.Data)
			return err
		},
		"adapter.update": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			ac, err := w.sys.Adapter.Update(ctx, key, w.newData(rec))
			rec.OutVersion, rec.OutData = ac.Version, string(ac.Data)
			return err
		},
		"adapter.delete": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			return w.sys.Adapter.Delete(ctx, key)
		},
		"adapter.list": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			acs, err := w.sys.Adapter.List(ctx)
			rec.Key, rec.OutCount = "", len(acs)
			return err
		},
		"adapter.update_config": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			// Re-apply the configured values: the call's locking is what
			// is measured, and the workload's ttl stays in force.
			rec.Key = ""
			return w.sys.Adapter.UpdateConfig(ctx, ctxsys.AdapterConfig{MaxContexts: w.cfg.MaxContexts, TTL: w.cfg.TTL})
		},
		"adapter.cleanup": func(ctx context.Context, w *worker, key string, rec *consistency.Op) error {
			ids, err := w.sys.Adapter.CleanupExpired(ctx)
			rec.Key, rec.OutIDs, rec.OutCount = "", ids, len(ids)
			return err
		},
	}
	for _, op := range workload.AllOps() {
		if m[op.String()] == nil {
			return nil, fmt.Errorf("runner: no executor for operation %q", op)
		}
	}
	return m, nil
}

// newData returns the worker's next unique data tag and notes it in rec.
func (w *worker) newData(rec *consistency.Op) []byte {
	w.seq++
	b := append(w.tagBuf[:0], 'w')
	b = strconv.AppendInt(b, int64(w.id), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, w.seq, 10)
	rec.Data = string(b)
	return []byte(rec.Data)
}

// newState returns a state with a fresh run-unique version and data tag.
// Versions come from one counter per run, so they also increase in real
// time: an operation that starts after another returned has the higher one.
func (w *worker) newState(key string, rec *consistency.Op) ctxsys.State {
	rec.Version = w.versions.Add(1)
	return ctxsys.State{ID: key, Version: rec.Version, Data: w.newData(rec)}
}

// trackerKey is the id a tracker update is about: the worker's own
// tracker's active id when it has one to itself.
func (w *worker) trackerKey() string {
	if w.ownTracker {
		return w.activeKey
	}
	return ""
}
