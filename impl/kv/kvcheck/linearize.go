package kvcheck

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"

	"lockbench/impl/kv"
	"lockbench/internal/safefile"
)

// window is a time interval [from, to) of one key's history to check on its
// own (see timeWindow).
type window struct{ from, to int64 }

var whole = window{math.MinInt64, math.MaxInt64}

func linearizability(in Input, res *Result, witnesses map[string][]window) error {
	limit, budget, size := in.TimeLimit, in.TimeBudget, in.WindowOps
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	if budget <= 0 {
		budget = DefaultTimeBudget
	}
	if size <= 0 {
		size = DefaultWindowOps
	}
	if !in.Complete {
		// A missing write would make reads of its value look illegal.
		res.Linearizable = Unknown
		res.Notes = append(res.Notes, "linearizability: history incomplete, not checked")
		return nil
	}
	parts := partitions(in, witnesses)
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	deadline := time.Now().Add(budget)
	initOf := func(k string) state {
		if v, ok := in.Preload[k]; ok {
			return presentOf(v)
		}
		return absent
	}
	illegal := func(k string, m porcupine.Model, info porcupine.LinearizationInfo) error {
		res.Linearizable, res.IllegalKey = Illegal, k
		if in.VisualizePath == nil {
			return nil
		}
		path := in.VisualizePath(k)
		var buf bytes.Buffer
		if err := porcupine.Visualize(m, info, &buf); err != nil {
			return fmt.Errorf("kvcheck: visualize key %q: %w", k, err)
		}
		if err := safefile.WriteFile(path, buf.Bytes()); err != nil {
			return fmt.Errorf("kvcheck: %w", err)
		}
		res.Visualization = path
		return nil
	}

	// First the windows around anomalies already certain: a short history
	// porcupine decides at once, and draws.
	for _, k := range keys {
		for _, w := range witnesses[k] {
			if time.Now().After(deadline) {
				break
			}
			m := model(anyState)
			r, info := porcupine.CheckOperationsVerbose(m, timeWindow(parts[k], w), limit)
			if r == porcupine.Illegal {
				return illegal(k, m, info)
			}
		}
	}

	res.Linearizable = Ok
	timedOut := 0
	for i, k := range keys {
		if time.Now().After(deadline) {
			res.Linearizable = Unknown
			res.Notes = append(res.Notes, fmt.Sprintf("linearizability: time budget %v spent, %d of %d keys unchecked", budget, len(keys)-i, len(keys)))
			break
		}
		if linearizeBySort(parts[k], initOf(k)) {
			continue // a linearization found is a proof
		}
		verdict, m, info := checkWindows(parts[k], initOf(k), size, limit, deadline)
		switch verdict {
		case porcupine.Illegal:
			return illegal(k, m, info)
		case porcupine.Unknown:
			res.Linearizable = Unknown
			timedOut++
		}
	}
	if timedOut > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("linearizability: %d keys undecided within %v per check", timedOut, limit))
	}
	return nil
}

// checkWindows checks one key's operations (sorted by Call) with porcupine,
// in consecutive windows of at most size operations. Windows that all pass
// prove nothing about the whole (each started from an unknown state): Ok
// only when there was one.
func checkWindows(ops []porcupine.Operation, init state, size int, limit time.Duration, deadline time.Time) (porcupine.CheckResult, porcupine.Model, porcupine.LinearizationInfo) {
	verdict := porcupine.Ok
	for lo := 0; lo < len(ops); lo += size {
		// porcupine reads a timeout of 0 or less as none at all: the time
		// left is taken once, and a check with none left is not started.
		left := min(limit, time.Until(deadline))
		if left <= 0 {
			return porcupine.Unknown, porcupine.Model{}, porcupine.LinearizationInfo{}
		}
		w, start := whole, init
		if lo > 0 {
			w.from, start = ops[lo].Call, anyState
		}
		if hi := lo + size; hi < len(ops) {
			w.to = ops[hi].Call
		}
		m := model(start)
		r, info := porcupine.CheckOperationsVerbose(m, timeWindow(ops, w), left)
		switch r {
		case porcupine.Illegal:
			return r, m, info
		case porcupine.Unknown:
			verdict = porcupine.Unknown
		}
	}
	if len(ops) > size {
		verdict = porcupine.Unknown
	}
	return verdict, porcupine.Model{}, porcupine.LinearizationInfo{}
}

// timeWindow returns the operations of ops that can take effect in w, to be
// checked from an unknown state (unless w starts at the beginning): an
// operation wholly inside w as it is, one straddling an edge as Maybe — its
// effect may lie outside w; if inside, its output holds. Whatever
// linearizes the whole history linearizes every window, so an illegal
// window is a real violation.
func timeWindow(ops []porcupine.Operation, w window) []porcupine.Operation {
	if w == whole {
		return ops
	}
	var out []porcupine.Operation
	for _, op := range ops {
		if op.Return < w.from || op.Call >= w.to {
			continue
		}
		if op.Call < w.from || op.Return >= w.to {
			in := op.Input.(linInput)
			in.Maybe = true
			op.Input = in
		}
		out = append(out, op)
	}
	return out
}

// partitions turns the complete history into porcupine operations per key,
// sorted by Call, with the final reads appended. A key whose final reads
// disagree (memory and store differ, no write with an unknown outcome
// explains it) gets a witness window: from the last call on, the final
// reads contradict each other.
func partitions(in Input, witnesses map[string][]window) map[string][]porcupine.Operation {
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
		u := unknown(r)
		parts[r.Key] = append(parts[r.Key], porcupine.Operation{
			ClientId: r.Client + 1,
			Input:    linInput{Op: r.Op, Key: r.Key, Value: r.Value, Maybe: u, Unchecked: u},
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
		lastCall := int64(math.MinInt64)
		if ops := parts[k]; len(ops) > 0 {
			lastCall = ops[len(ops)-1].Call
		}
		final(k, "final memory", mem, last+1)
		if mem == st || !explainedByUnknown(byKey[k], mem, st) {
			final(k, "final store", st, last+2)
			if mem != st {
				witnesses[k] = append(witnesses[k], window{lastCall, math.MaxInt64})
			}
		}
	}
	return parts
}

// addScan adds a successful scan as one read of every key of keys (sorted)
// inside the range it covered: from r.Key to the last key it returned, or
// to the end when it returned fewer than it asked for. A scan that asked
// for nothing covered no range: it reads no key.
func addScan(parts map[string][]porcupine.Operation, keys []string, r kv.Record) {
	if r.N <= 0 {
		return
	}
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
