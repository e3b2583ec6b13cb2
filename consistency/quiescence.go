package consistency

import (
	"bytes"
	"context"
	"sort"

	"lockbench/ctxsys"
	"lockbench/impl"
)

// quiescent is what the system and the store hold once every worker has
// stopped. A nil map means that side could not be inspected.
type quiescent struct {
	memory     map[string]ctxsys.State
	memoryRPs  map[string][]uint64
	store      map[string]storedState
	storeRPs   map[string][]uint64
	adapter    map[string]ctxsys.AdapterContext
	adapterCfg ctxsys.AdapterConfig
	trackers   []trackerFinal
	// explained are the ids whose memory and store disagree because of a
	// write told it failed (failed_write_visible).
	explained map[string]bool
}

type storedState struct {
	state ctxsys.State
	bad   bool // the stored bytes did not decode
}

type trackerFinal struct {
	known   bool
	version uint64
	data    string
}

func inspect(ctx context.Context, in Input, cfg ctxsys.Config, h *history, n *notes) *quiescent {
	q := &quiescent{}
	if in.System != nil {
		if insp, ok := in.System.Manager.(impl.Inspector); ok {
			q.memory = insp.Contexts()
			q.memoryRPs = insp.RecoveryPointSeqs()
		} else if in.System.Manager != nil {
			n.add("the manager has no impl.Inspector: memory was not compared with the store")
		}
		if insp, ok := in.System.Adapter.(impl.AdapterInspector); ok {
			q.adapter = insp.AdapterContexts()
			if c, err := in.System.Adapter.Config(ctx); err == nil {
				q.adapterCfg = c
			}
		}
	}
	if in.Store != nil {
		q.readStore(ctx, in, n)
	}
	for i, t := range in.Trackers {
		var f trackerFinal
		if t != nil {
			if s, err := t.State(ctx); err == nil {
				f = trackerFinal{known: true, version: s.Version, data: string(s.Data)}
			} else {
				n.add("tracker %d: final state unreadable: %v", i, err)
			}
		}
		q.trackers = append(q.trackers, f)
	}
	return q
}

func (q *quiescent) readStore(ctx context.Context, in Input, n *notes) {
	keys, err := in.Store.List(ctx, ctxsys.StatePrefix)
	if err != nil {
		n.add("store: listing %q failed: %v; memory was not compared with the store", ctxsys.StatePrefix, err)
		return
	}
	q.store = make(map[string]storedState, len(keys))
	for _, key := range keys {
		id := key[len(ctxsys.StatePrefix):]
		b, err := in.Store.Get(ctx, key)
		if err != nil {
			// Listed but gone: nothing runs at quiescence, so this is
			// the store's own failure, not the strategy's.
			n.add("store: get %q failed: %v", key, err)
			continue
		}
		s, err := ctxsys.DecodeState(b)
		q.store[id] = storedState{state: s, bad: err != nil}
	}
	rpKeys, err := in.Store.List(ctx, ctxsys.RecoveryPointPrefix)
	if err != nil {
		n.add("store: listing %q failed: %v; recovery points were not compared", ctxsys.RecoveryPointPrefix, err)
		return
	}
	q.storeRPs = make(map[string][]uint64)
	for _, key := range rpKeys {
		id, seq, err := ctxsys.ParseRecoveryPointKey(key)
		if err != nil {
			n.add("store: %v", err)
			continue
		}
		q.storeRPs[id] = append(q.storeRPs[id], seq)
	}
}

// count adds the quiescent anomalies: memory against store, adapter against
// manager, recovery points against their limit, contexts against theirs.
func (q *quiescent) count(c map[string]int64, h *history, f failureIndex, n *notes) {
	if q.memory != nil && q.store != nil {
		q.compareStates(c, f)
		q.compareRecoveryPoints(c, f)
	}
	q.compareAdapter(c, h, f, n)
}

// compareStates: a key in both with a different (version, data) is a
// store_divergence; a key in one only is a zombie — unless the side that
// differs holds data written by an operation told it failed, or a delete of
// the key was told it failed: then failed_write_visible.
func (q *quiescent) compareStates(c map[string]int64, f failureIndex) {
	q.explained = map[string]bool{}
	for id, m := range q.memory {
		s, ok := q.store[id]
		switch {
		case !ok && (f.tags[string(m.Data)] || f.explainsDelete(id)):
			c[FailedWriteVisible]++
			q.explained[id] = true
		case !ok:
			c[Zombie]++
		case s.bad:
			c[StoreDivergence]++
		case s.state.Version == m.Version && bytes.Equal(s.state.Data, m.Data):
		case f.tags[string(m.Data)] || f.tags[string(s.state.Data)]:
			c[FailedWriteVisible]++
			q.explained[id] = true
		default:
			c[StoreDivergence]++
		}
	}
	for id, s := range q.store {
		if _, ok := q.memory[id]; ok {
			continue
		}
		if f.tags[string(s.state.Data)] || f.explainsDelete(id) {
			c[FailedWriteVisible]++
			q.explained[id] = true
		} else {
			c[Zombie]++
		}
	}
}

// compareRecoveryPoints: every sequence number in memory but not in the
// store, or the reverse, is a zombie (failed_write_visible when a failed
// write touched that id's recovery points).
func (q *quiescent) compareRecoveryPoints(c map[string]int64, f failureIndex) {
	ids := map[string]bool{}
	for id := range q.memoryRPs {
		ids[id] = true
	}
	for id := range q.storeRPs {
		ids[id] = true
	}
	for id := range ids {
		diff := symmetricDifference(q.memoryRPs[id], q.storeRPs[id])
		if f.explainsRecovery(id) {
			c[FailedWriteVisible] += int64(diff)
			if diff > 0 {
				q.explained[id] = true
			}
		} else {
			c[Zombie] += int64(diff)
		}
	}
}

func symmetricDifference(a, b []uint64) int {
	in := make(map[uint64]int, len(a)+len(b))
	for _, x := range a {
		in[x] |= 1
	}
	for _, x := range b {
		in[x] |= 2
	}
	n := 0
	for _, v := range in {
		if v != 3 {
			n++
		}
	}
	return n
}

// compareAdapter checks the adapter's map against the manager's memory, but
// only when the adapter was the only writer of the manager's contexts: a
// direct manager.create/update/delete or a tracker.sync legitimately makes
// them differ.
func (q *quiescent) compareAdapter(c map[string]int64, h *history, f failureIndex, n *notes) {
	if q.adapter == nil || q.memory == nil || !(h.saw(kAdapterCreate) || len(q.adapter) > 0) {
		return
	}
	for _, k := range []opKind{kManagerCreate, kManagerUpdate, kManagerDelete, kTrackerSync} {
		if h.saw(k) {
			n.add("adapter map not compared with the manager: %s also wrote the manager's contexts", kindName(k))
			return
		}
	}
	for id, a := range q.adapter {
		m, ok := q.memory[id]
		switch {
		case !ok && (f.tags[string(a.Data)] || f.explainsDelete(id)):
			c[FailedWriteVisible]++
		case !ok:
			c[Zombie]++
		case m.Version == a.Version && bytes.Equal(m.Data, a.Data):
		case f.tags[string(m.Data)] || f.tags[string(a.Data)]:
			c[FailedWriteVisible]++
		default:
			c[StoreDivergence]++
		}
	}
	for id, m := range q.memory {
		if _, ok := q.adapter[id]; ok {
			continue
		}
		if f.tags[string(m.Data)] || f.explainsDelete(id) {
			c[FailedWriteVisible]++
		} else {
			c[Zombie]++
		}
	}
}

// overshoot is the quiescent part of capacity_overshoot: contexts in memory
// beyond MaxContexts, and adapter contexts beyond the adapter's cap (when no
// update_config changed that cap during the run).
func (q *quiescent) overshoot(cfg ctxsys.Config, h *history) int64 {
	var worst int64
	if q.memory != nil {
		worst = max(worst, int64(len(q.memory)-cfg.MaxContexts))
	}
	if q.adapter != nil && q.adapterCfg.MaxContexts > 0 && !h.saw(kAdapterUpdateConfig) {
		worst = max(worst, int64(len(q.adapter)-q.adapterCfg.MaxContexts))
	}
	return worst
}

// recoveryCounts returns, per id, the largest number of recovery points
// seen in memory or in the store at quiescence.
func (q *quiescent) recoveryCounts() map[string]int {
	out := map[string]int{}
	for id, seqs := range q.memoryRPs {
		out[id] = max(out[id], len(seqs))
	}
	for id, seqs := range q.storeRPs {
		out[id] = max(out[id], len(seqs))
	}
	return out
}

// sortedIDs returns the keys of m, sorted, for deterministic iteration.
func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
