package impltest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/store"
)

// DiffStore compares what m holds in memory with what s holds, key by key
// (ctx/<id> decoded with ctxsys.DecodeState, rp/<id>/<seq> by sequence
// number), and returns one line per difference; none means equal. Memory is
// read through impl.Inspector when m implements it, else through List, Get
// and RecoveryPoints. Only meaningful at quiescence.
func DiffStore(m ctxsys.Manager, s store.Store) []string {
	ctx := context.Background()
	memStates, memSeqs, err := memoryOf(ctx, m)
	if err != nil {
		return []string{"reading memory: " + err.Error()}
	}
	var diffs []string

	stateKeys, err := s.List(ctx, ctxsys.StatePrefix)
	if err != nil {
		return []string{"listing store: " + err.Error()}
	}
	stored := make(map[string]ctxsys.State, len(stateKeys))
	for _, k := range stateKeys {
		b, err := s.Get(ctx, k)
		if err != nil {
			diffs = append(diffs, fmt.Sprintf("get %s: %v", k, err))
			continue
		}
		st, err := ctxsys.DecodeState(b)
		if err != nil {
			diffs = append(diffs, fmt.Sprintf("decode %s: %v", k, err))
			continue
		}
		stored[k[len(ctxsys.StatePrefix):]] = st
	}
	for _, id := range unionKeys(memStates, stored) {
		mem, inMem := memStates[id]
		st, inStore := stored[id]
		switch {
		case !inStore:
			diffs = append(diffs, fmt.Sprintf("%q in memory (version %d), not in the store", id, mem.Version))
		case !inMem:
			diffs = append(diffs, fmt.Sprintf("%q in the store (version %d), not in memory", id, st.Version))
		case !sameState(mem, st):
			diffs = append(diffs, fmt.Sprintf("%q: memory %s, store %s", id, describe(mem), describe(st)))
		}
	}

	rpKeys, err := s.List(ctx, ctxsys.RecoveryPointPrefix)
	if err != nil {
		return append(diffs, "listing store: "+err.Error())
	}
	storedSeqs := map[string][]uint64{}
	for _, k := range rpKeys {
		id, seq, err := ctxsys.ParseRecoveryPointKey(k)
		if err != nil {
			diffs = append(diffs, err.Error())
			continue
		}
		storedSeqs[id] = append(storedSeqs[id], seq)
	}
	for _, id := range unionKeys(memSeqs, storedSeqs) {
		mem, st := memSeqs[id], storedSeqs[id]
		slices.Sort(st)
		if !slices.Equal(mem, st) {
			diffs = append(diffs, fmt.Sprintf("%q recovery point seqs: memory %v, store %v", id, mem, st))
		}
	}
	return diffs
}

// memoryOf reads the states and recovery point seqs m holds in memory. Ids
// without recovery points are left out of seqs.
func memoryOf(ctx context.Context, m ctxsys.Manager) (map[string]ctxsys.State, map[string][]uint64, error) {
	seqs := map[string][]uint64{}
	if in, ok := m.(impl.Inspector); ok {
		for id, s := range in.RecoveryPointSeqs() {
			if len(s) > 0 {
				seqs[id] = slices.Sorted(slices.Values(s))
			}
		}
		return in.Contexts(), seqs, nil
	}
	ids, err := m.List(ctx)
	if err != nil {
		return nil, nil, err
	}
	states := make(map[string]ctxsys.State, len(ids))
	for _, id := range ids {
		st, err := m.Get(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		states[id] = st
		points, err := m.RecoveryPoints(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range points {
			seqs[id] = append(seqs[id], p.Seq)
		}
		slices.Sort(seqs[id])
	}
	return states, seqs, nil
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// sameState compares states as the store keeps them: nil and empty data or
// metadata are alike (JSON omits both), times by instant.
func sameState(a, b ctxsys.State) bool {
	return a.ID == b.ID &&
		a.Version == b.Version &&
		a.Timestamp.Equal(b.Timestamp) &&
		bytes.Equal(a.Data, b.Data) &&
		maps.Equal(a.Metadata, b.Metadata) &&
		a.Synchronized == b.Synchronized
}

func describe(s ctxsys.State) string {
	return fmt.Sprintf("{id %q version %d time %s data %q metadata %v synchronized %t}",
		s.ID, s.Version, s.Timestamp.Format("15:04:05.000000000"), s.Data, s.Metadata, s.Synchronized)
}
