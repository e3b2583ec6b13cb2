package kvcheck

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
	"lockbench/internal/safefile"
)

func linearizability(in Input, res *Result) error {
	limit, budget, window := in.TimeLimit, in.TimeBudget, in.WindowOps
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	if budget <= 0 {
		budget = DefaultTimeBudget
	}
	if window <= 0 {
		window = DefaultWindowOps
	}
	if !in.Complete {
		// A missing write would make reads of its value look illegal.
		res.Linearizable = Unknown
		res.Notes = append(res.Notes, "linearizability: history incomplete, not checked")
		return nil
	}
	parts := partitions(in)
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	deadline := time.Now().Add(budget)
	res.Linearizable = Ok
	for i, k := range keys {
		if time.Now().After(deadline) {
			res.Linearizable = Unknown
			res.Notes = append(res.Notes, fmt.Sprintf("linearizability: time budget %v spent, %d of %d keys unchecked", budget, len(keys)-i, len(keys)))
			return nil
		}
		init := absent
		if v, ok := in.Preload[k]; ok {
			init = presentOf(v)
		}
		verdict, m, info := checkKey(parts[k], init, window, limit)
		switch verdict {
		case porcupine.Unknown:
			res.Linearizable = Unknown
		case porcupine.Illegal:
			res.Linearizable, res.IllegalKey = Illegal, k
			if in.VisualizePath != nil {
				path := in.VisualizePath(k)
				var buf bytes.Buffer
				if err := porcupine.Visualize(m, info, &buf); err != nil {
					return fmt.Errorf("kvcheck: visualize key %q: %w", k, err)
				}
				if err := safefile.WriteFile(path, buf.Bytes()); err != nil {
					return fmt.Errorf("kvcheck: %w", err)
				}
				res.Visualization = path
			}
			if rest := len(keys) - i - 1; rest > 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("linearizability: key %q illegal, %d later keys left unchecked", k, rest))
			}
			return nil
		}
	}
	return nil
}

// checkKey checks one key's operations (sorted by Call), in windows of at
// most window operations.
func checkKey(ops []porcupine.Operation, init state, window int, limit time.Duration) (porcupine.CheckResult, porcupine.Model, porcupine.LinearizationInfo) {
	verdict := porcupine.Ok
	for lo := 0; lo < len(ops); lo += window {
		hi := min(lo+window, len(ops))
		start := init
		if lo > 0 {
			start = anyState
		}
		w := windowOf(ops, lo, hi)
		m := model(start)
		r, info := porcupine.CheckOperationsVerbose(m, w, limit)
		switch r {
		case porcupine.Illegal:
			return r, m, info
		case porcupine.Unknown:
			verdict = porcupine.Unknown
		}
	}
	return verdict, porcupine.Model{}, porcupine.LinearizationInfo{}
}

// windowOf returns ops[lo:hi] as one window: those still running when the
// next window starts, and those of earlier windows still running when this
// one starts, get an unknown outcome (see the package documentation).
func windowOf(ops []porcupine.Operation, lo, hi int) []porcupine.Operation {
	if lo == 0 && hi == len(ops) {
		return ops
	}
	start := ops[lo].Call
	end := int64(1<<63 - 1)
	if hi < len(ops) {
		end = ops[hi].Call
	}
	maybe := func(op porcupine.Operation) porcupine.Operation {
		in := op.Input.(linInput)
		in.Maybe = true
		op.Input = in
		return op
	}
	var w []porcupine.Operation
	for _, op := range ops[:lo] {
		if op.Return >= start {
			w = append(w, maybe(op))
		}
	}
	for _, op := range ops[lo:hi] {
		if op.Return >= end {
			op = maybe(op)
		}
		w = append(w, op)
	}
	return w
}

// partitions turns the complete history into porcupine operations per key,
// sorted by Call, with the final reads appended.
func partitions(in Input) map[string][]porcupine.Operation {
	parts := map[string][]porcupine.Operation{}
	keySet := map[string]bool{}
	var last int64
	maxClient := 0
	for _, r := range in.History {
		last = max(last, r.Return)
		maxClient = max(maxClient, r.Client+1)
		if r.Op == kv.Scan {
			for _, e := range r.Entries {
				keySet[e.Key] = true
			}
			continue
		}
		keySet[r.Key] = true
		parts[r.Key] = append(parts[r.Key], porcupine.Operation{
			ClientId: r.Client + 1,
			Input:    linInput{Op: r.Op, Key: r.Key, Value: r.Value, Maybe: unknown(r)},
			Output:   linOutput{Value: r.Out, Found: r.Found},
			Call:     r.Call, Return: r.Return,
		})
	}
	for k := range in.Memory {
		keySet[k] = true
	}
	for k := range in.Store {
		keySet[k] = true
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, r := range in.History {
		if r.Op == kv.Scan && !unknown(r) {
			addScan(parts, keys, r)
		}
	}
	for k, ops := range parts {
		sort.SliceStable(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
		parts[k] = ops
	}
	// The quiescent state, read after everything returned.
	byKey := perKey(in.History)
	final := func(k, label string, v value, at int64) {
		parts[k] = append(parts[k], porcupine.Operation{
			ClientId: maxClient + 1,
			Input:    linInput{Op: kv.Get, Key: k, Label: label},
			Output:   linOutput{Value: v.v, Found: v.present},
			Call:     at, Return: at,
		})
	}
	for _, k := range keys {
		mv, inMem := in.Memory[k]
		sv, inStore := in.Store[k]
		mem, st := value{inMem, mv}, value{inStore, sv}
		final(k, "final memory", mem, last+1)
		if mem == st || !explainedByUnknown(byKey[k], mem, st) {
			final(k, "final store", st, last+2)
		}
	}
	return parts
}

// addScan adds a successful scan as one read of every key of keys (sorted)
// inside the range it covered: from r.Key to the last key it returned, or
// to the end when it returned fewer than it asked for.
func addScan(parts map[string][]porcupine.Operation, keys []string, r kv.Record) {
	got := make(map[string]string, len(r.Entries))
	for _, e := range r.Entries {
		got[e.Key] = e.Value
	}
	full := len(r.Entries) >= r.N && len(r.Entries) > 0
	for _, k := range keys[sort.SearchStrings(keys, r.Key):] {
		if full && k > r.Entries[len(r.Entries)-1].Key {
			break
		}
		v, ok := got[k]
		parts[k] = append(parts[k], porcupine.Operation{
			ClientId: r.Client + 1,
			Input:    linInput{Op: kv.Get, Key: k, Label: "kv.scan"},
			Output:   linOutput{Value: v, Found: ok},
			Call:     r.Call, Return: r.Return,
		})
	}
}
