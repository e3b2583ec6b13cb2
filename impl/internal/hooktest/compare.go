package hooktest

import (
	"context"
	"fmt"
	"strings"

	"lockbench/ctxsys"
	"lockbench/store"
)

// Stored is what a store holds, decoded: the state of every ctx/ key and the
// seqs of every rp/ key, by id.
type Stored struct {
	States map[string]ctxsys.State
	Seqs   map[string][]uint64
}

// ReadStore decodes every state and recovery point key of st.
func ReadStore(ctx context.Context, st store.Store) (Stored, error) {
	out := Stored{States: map[string]ctxsys.State{}, Seqs: map[string][]uint64{}}
	keys, err := st.List(ctx, ctxsys.StatePrefix)
	if err != nil {
		return out, err
	}
	for _, k := range keys {
		b, err := st.Get(ctx, k)
		if err != nil {
			return out, err
		}
		s, err := ctxsys.DecodeState(b)
		if err != nil {
			return out, fmt.Errorf("%s: %w", k, err)
		}
		out.States[strings.TrimPrefix(k, ctxsys.StatePrefix)] = s
	}
	keys, err = st.List(ctx, ctxsys.RecoveryPointPrefix)
	if err != nil {
		return out, err
	}
	for _, k := range keys {
		id, seq, err := ctxsys.ParseRecoveryPointKey(k)
		if err != nil {
			return out, err
		}
		out.Seqs[id] = append(out.Seqs[id], seq)
	}
	return out, nil
}
