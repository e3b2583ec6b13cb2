package ctxtarget

import (
	"context"
	"fmt"
	"strconv"

	"lockbench/consistency"
	"lockbench/ctxsys"
	"lockbench/target"
)

// client is one worker's handle on a context system: its tracker (its own,
// or the one shared by all), its data tags, and the record of the
// operation in flight for the consistency checker.
type client struct {
	id         int
	s          *system
	tracker    ctxsys.Tracker
	trackerIdx int
	ownTracker bool
	activeKey  string
	seq        int64
	rec        consistency.Op // the operation in flight, completed by Observe
}

// Do executes op through its executor, noting its inputs and outputs in
// the client's record.
func (w *client) Do(ctx context.Context, op target.Op, key string) error {
	w.rec = consistency.Op{Kind: op, Key: key, Client: w.id, Tracker: -1}
	if isTracker[op] {
		w.rec.Tracker = w.trackerIdx
	}
	return executors[op](ctx, w, key, &w.rec)
}

// Observe completes the record of the operation Do just ran and hands it
// to the consistency checker.
func (w *client) Observe(call, ret int64, err error) {
	w.rec.Call, w.rec.Return, w.rec.Err = call, ret, ctxsys.ErrorKind(err)
	w.s.obs.Record(w.id, w.rec)
}

// opFunc executes one operation for a client and fills the outcome fields
// of rec (Do fills kind, key, client and tracker; Observe the times).
type opFunc func(ctx context.Context, w *client, key string, rec *consistency.Op) error

// isTracker[op]: op is a tracker operation (recorded with its tracker).
var isTracker = func() (t [ctxsys.NumOps]bool) {
	for op, spec := range ctxsys.Ops {
		t[op] = spec.Component() == ctxsys.ComponentTracker
	}
	return t
}()

// executors is the call every operation makes on a system, indexed by
// operation. Inputs are unique per run (versions from the run's counter,
// data tags "w<client>-<seq>"), so the consistency checker can tell every
// written state apart.
var executors = [ctxsys.NumOps]opFunc{
	ctxsys.ManagerGet: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		st, err := w.s.sys.Manager.Get(ctx, key)
		rec.OutVersion, rec.OutData = st.Version, string(st.Data)
		return err
	},
	ctxsys.ManagerCreate: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		st := w.newState(key, rec)
		return w.s.sys.Manager.Create(ctx, key, st)
	},
	ctxsys.ManagerUpdate: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		st := w.newState(key, rec)
		return w.s.sys.Manager.Update(ctx, key, st)
	},
	ctxsys.ManagerDelete: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		return w.s.sys.Manager.Delete(ctx, key)
	},
	ctxsys.ManagerList: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		ids, err := w.s.sys.Manager.List(ctx)
		rec.Key, rec.OutCount = "", len(ids)
		return err
	},
	ctxsys.ManagerRecoveryPoint: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		rp, err := w.s.sys.Manager.CreateRecoveryPoint(ctx, key)
		rec.OutVersion, rec.OutData = rp.State.Version, string(rp.State.Data)
		return err
	},
	ctxsys.ManagerRecoveryPoints: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		rps, err := w.s.sys.Manager.RecoveryPoints(ctx, key)
		rec.OutCount = len(rps)
		return err
	},
	ctxsys.TrackerGetState: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		st, err := w.tracker.State(ctx)
		rec.Key, rec.OutVersion, rec.OutData = "", st.Version, string(st.Data)
		return err
	},
	ctxsys.TrackerUpdateState: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		st := w.newState(w.trackerKey(), rec)
		rec.Key = ""
		return w.tracker.UpdateState(ctx, st)
	},
	ctxsys.TrackerActivate: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		err := w.tracker.Activate(ctx, key)
		if err == nil && w.ownTracker {
			w.activeKey = key
		}
		return err
	},
	ctxsys.TrackerDeactivate: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		rec.Key = ""
		return w.tracker.Deactivate(ctx)
	},
	ctxsys.TrackerSync: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		rec.Key = ""
		return w.tracker.Sync(ctx)
	},
	ctxsys.TrackerRecoveryPoint: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		rp, err := w.tracker.CreateRecoveryPoint(ctx)
		rec.Key, rec.OutVersion, rec.OutData = rp.ContextID, rp.State.Version, string(rp.State.Data)
		return err
	},
	ctxsys.AdapterCreate: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		ac, err := w.s.sys.Adapter.Create(ctx, key, w.newData(rec))
		rec.OutVersion, rec.OutData = ac.Version, string(ac.Data)
		return err
	},
	ctxsys.AdapterGet: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		ac, err := w.s.sys.Adapter.Get(ctx, key)
		rec.OutVersion, rec.OutData = ac.Version, string(ac.Data)
		return err
	},
	ctxsys.AdapterUpdate: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		ac, err := w.s.sys.Adapter.Update(ctx, key, w.newData(rec))
		rec.OutVersion, rec.OutData = ac.Version, string(ac.Data)
		return err
	},
	ctxsys.AdapterDelete: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		return w.s.sys.Adapter.Delete(ctx, key)
	},
	ctxsys.AdapterList: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		acs, err := w.s.sys.Adapter.List(ctx)
		rec.Key, rec.OutCount = "", len(acs)
		return err
	},
	ctxsys.AdapterUpdateConfig: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		// Re-apply the configured values: the call's locking is what
		// is measured, and the workload's ttl stays in force.
		rec.Key = ""
		return w.s.sys.Adapter.UpdateConfig(ctx, ctxsys.AdapterConfig{MaxContexts: w.s.cfg.MaxContexts, TTL: w.s.cfg.TTL})
	},
	ctxsys.AdapterCleanup: func(ctx context.Context, w *client, key string, rec *consistency.Op) error {
		ids, err := w.s.sys.Adapter.CleanupExpired(ctx)
		rec.Key, rec.OutIDs, rec.OutCount = "", ids, len(ids)
		return err
	},
}

func init() {
	for op, f := range executors {
		if f == nil {
			panic(fmt.Sprintf("ctxtarget: no executor for operation %q", ctxsys.Ops[op].Name))
		}
	}
}

// newData returns the worker's next unique data tag and notes it in rec.
func (w *client) newData(rec *consistency.Op) []byte {
	w.seq++
	var buf [48]byte // "w", two int64s and "-" fit; it stays on the stack
	b := append(buf[:0], 'w')
	b = strconv.AppendInt(b, int64(w.id), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, w.seq, 10)
	rec.Data = string(b)
	return []byte(rec.Data)
}

// newState returns a state with a fresh run-unique version and data tag.
// Versions come from one counter per run, so they also increase in real
// time: an operation that starts after another returned has the higher one.
func (w *client) newState(key string, rec *consistency.Op) ctxsys.State {
	rec.Version = w.s.versions.Add(1)
	return ctxsys.State{ID: key, Version: rec.Version, Data: w.newData(rec)}
}

// trackerKey is the id a tracker update is about: the worker's own
// tracker's active id when it has one to itself.
func (w *client) trackerKey() string {
	if w.ownTracker {
		return w.activeKey
	}
	return ""
}
