package ctxstate

import (
	"context"
	"fmt"

	"lockbench/ctxsys"
	"lockbench/store"
)

// PutState writes s under its state key. A store failure comes back wrapped
// with ctxsys.StoreError.
func PutState(ctx context.Context, st store.Store, s ctxsys.State) error {
	key := ctxsys.StateKey(s.ID)
	b, err := ctxsys.EncodeState(s)
	if err != nil {
		return fmt.Errorf("encode state %q: %w", s.ID, err)
	}
	return ctxsys.StoreError("put", key, st.Put(ctx, key, b))
}

// PutRecoveryPoint writes rp under its recovery point key.
func PutRecoveryPoint(ctx context.Context, st store.Store, rp ctxsys.RecoveryPoint) error {
	key := ctxsys.RecoveryPointKey(rp.ContextID, rp.Seq)
	b, err := ctxsys.EncodeRecoveryPoint(rp)
	if err != nil {
		return fmt.Errorf("encode recovery point %q: %w", key, err)
	}
	return ctxsys.StoreError("put", key, st.Put(ctx, key, b))
}

// DeleteKeys deletes keys in order and stops at the first failure. It
// returns how many were deleted, so a caller can make its memory mirror
// exactly the calls that took effect.
func DeleteKeys(ctx context.Context, st store.Store, keys []string) (deleted int, err error) {
	for _, k := range keys {
		if err := st.Delete(ctx, k); err != nil {
			return deleted, ctxsys.StoreError("delete", k, err)
		}
		deleted++
	}
	return deleted, nil
}

// RecoveryPointKeys returns the store keys of the recovery points of id with
// the given seqs, in the same order.
func RecoveryPointKeys(id string, seqs []uint64) []string {
	keys := make([]string, len(seqs))
	for i, s := range seqs {
		keys[i] = ctxsys.RecoveryPointKey(id, s)
	}
	return keys
}

// ContextKeys returns the keys a Delete of id removes: its recovery points
// oldest first, then its state. The state key goes last so that a failure
// part-way leaves a context that still exists with fewer points, never
// points of a context that is gone.
func ContextKeys(id string, seqs []uint64) []string {
	return append(RecoveryPointKeys(id, seqs), ctxsys.StateKey(id))
}
