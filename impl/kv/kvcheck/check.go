package kvcheck

import (
	"slices"
	"sort"
	"time"

	"lockbench/impl/kv"
)

// Anomaly kinds, in the order results list them.
const (
	DuplicateInsert    = "duplicate_insert"
	DuplicateDelete    = "duplicate_delete"
	LostWrite          = "lost_write"
	StoreDivergence    = "store_divergence"
	Zombie             = "zombie"
	FailedWriteVisible = "failed_write_visible"
)

// Kinds returns every anomaly kind.
func Kinds() []string {
	return []string{DuplicateInsert, DuplicateDelete, LostWrite, StoreDivergence, Zombie, FailedWriteVisible}
}

// Verdicts of the linearizability check.
const (
	Ok      = "ok"
	Illegal = "illegal"
	Unknown = "unknown"
	Skipped = "skipped"
)

// Input is what Check needs.
type Input struct {
	// History is the operations of the run, in any order. It must hold
	// at least every write with an unknown outcome: they explain
	// divergences at quiescence.
	History []kv.Record
	// Writes says History holds every write of the run (put,
	// put_if_absent, delete), which duplicate_insert, duplicate_delete and
	// lost_write need: a missing write could be the one that separates or
	// explains. Complete says it holds every operation, which the
	// linearizability check needs (else its verdict is Unknown).
	Writes, Complete bool
	// Preload is every key's value before the first operation of History
	// (absent when missing).
	Preload map[string]string
	// Memory and Store are the cache's contents and the store's at
	// quiescence (kv.Cache.Contents, kv.ReadStore).
	Memory, Store map[string]string
	// Linearizability runs porcupine; without it the verdict is Skipped.
	Linearizability bool
	// TimeLimit bounds one porcupine check (0: DefaultTimeLimit);
	// TimeBudget all of them together (0: DefaultTimeBudget).
	TimeLimit, TimeBudget time.Duration
	// WindowOps is the longest partition checked in one go (0:
	// DefaultWindowOps).
	WindowOps int
	// VisualizePath, if set, returns where to draw an illegal key's
	// history (porcupine's HTML visualisation); only the first one is.
	VisualizePath func(key string) string
}

// Defaults of Input.
const (
	DefaultTimeLimit  = 2 * time.Second
	DefaultTimeBudget = 10 * time.Second
	DefaultWindowOps  = 2000
)

// Result is the verdict.
type Result struct {
	// Anomalies has every kind of Kinds, 0 when none was found.
	Anomalies map[string]int
	// Linearizable is Ok, Illegal, Unknown or Skipped.
	Linearizable string
	// IllegalKey is the key of the partition drawn, when Illegal.
	IllegalKey string
	// Visualization is the file written, if any.
	Visualization string
	// Notes say what was not checked and why.
	Notes []string
}

// Check decides. It returns an error only when it could not write the
// visualisation.
func Check(in Input) (Result, error) {
	res := Result{Anomalies: map[string]int{}, Linearizable: Skipped}
	for _, k := range Kinds() {
		res.Anomalies[k] = 0
	}
	in.Writes = in.Writes || in.Complete
	byKey := perKey(in.History)
	witnesses := map[string][]window{} // around certain anomalies, for porcupine
	if in.Writes {
		for k, ops := range byKey {
			for _, d := range []struct {
				op   kv.Op
				sep  func(kv.Record) bool
				kind string
			}{{kv.PutIfAbsent, removes, DuplicateInsert}, {kv.Delete, inserts, DuplicateDelete}} {
				pairs := duplicates(ops, d.op, d.sep)
				res.Anomalies[d.kind] += len(pairs)
				witnesses[k] = append(witnesses[k], pairs...)
			}
		}
	} else {
		res.Notes = append(res.Notes, "writes missing from the history: duplicate_insert, duplicate_delete and lost_write not evaluated")
	}
	quiescence(in, byKey, res.Anomalies)
	if in.Linearizability {
		if err := linearizability(in, &res, witnesses); err != nil {
			return res, err
		}
	}
	return res, nil
}

// perKey groups the keyed operations (not scans) by key, each sorted by
// Call.
func perKey(h []kv.Record) map[string][]kv.Record {
	m := map[string][]kv.Record{}
	for _, r := range h {
		if r.Op != kv.Scan {
			m[r.Key] = append(m[r.Key], r)
		}
	}
	for _, ops := range m {
		sort.SliceStable(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
	}
	return m
}

func unknown(r kv.Record) bool { return r.Err != "" }

// stored: a put_if_absent that inserted (or may have).
func stored(r kv.Record) bool { return r.Op == kv.PutIfAbsent && (unknown(r) || !r.Found) }

// removes: an operation that removed the key or may have.
func removes(r kv.Record) bool { return r.Op == kv.Delete && (unknown(r) || r.Found) }

// inserts: an operation that made the key present or may have.
func inserts(r kv.Record) bool { return r.Op == kv.Put || stored(r) }

// duplicates returns, as the windows they span, the consecutive pairs (by Call) of successful effective op
// (a put_if_absent that stored, a delete that deleted) that no operation
// matching separator can separate, in either order. For a pair a, b with
// a.Call <= b.Call, x may fall between them in one order or the other iff
// x.Return >= a.Call and x.Call <= max(a.Return, b.Return): with the
// separators sorted by Call and a running maximum of their Returns, each
// pair is one binary search.
func duplicates(ops []kv.Record, op kv.Op, separator func(kv.Record) bool) []window {
	var eff, sep []kv.Record
	for _, r := range ops {
		switch {
		case r.Op == op && !unknown(r) && ((op == kv.PutIfAbsent && !r.Found) || (op == kv.Delete && r.Found)):
			eff = append(eff, r)
		case separator(r):
			sep = append(sep, r)
		}
	}
	maxReturn := make([]int64, len(sep)) // of sep[:i+1]; ops are sorted by Call
	for i, x := range sep {
		maxReturn[i] = x.Return
		if i > 0 {
			maxReturn[i] = max(maxReturn[i], maxReturn[i-1])
		}
	}
	var pairs []window
	for i := 1; i < len(eff); i++ {
		a, b := eff[i-1], eff[i]
		end := max(a.Return, b.Return)
		j := sort.Search(len(sep), func(j int) bool { return sep[j].Call > end }) - 1
		if j < 0 || maxReturn[j] < a.Call {
			pairs = append(pairs, window{a.Call, end + 1})
		}
	}
	return pairs
}

// value is a key's state: present with a value, or absent.
type value struct {
	present bool
	v       string
}

func effect(r kv.Record) value {
	if r.Op == kv.Delete {
		return value{}
	}
	return value{present: true, v: r.Value}
}

func mutates(r kv.Record) bool {
	switch r.Op {
	case kv.Put:
		return true
	case kv.PutIfAbsent:
		return stored(r)
	case kv.Delete:
		return removes(r)
	}
	return false
}

// quiescence adds the anomalies of the final state.
func quiescence(in Input, byKey map[string][]kv.Record, a map[string]int) {
	keys := map[string]bool{}
	for k := range in.Memory {
		keys[k] = true
	}
	for k := range in.Store {
		keys[k] = true
	}
	for k := range byKey {
		keys[k] = true
	}
	for k := range keys {
		ops := byKey[k]
		mv, inMem := in.Memory[k]
		sv, inStore := in.Store[k]
		mem, st := value{inMem, mv}, value{inStore, sv}
		if mem != st {
			kind := StoreDivergence
			if !inMem || !inStore {
				kind = Zombie
			}
			if explainedByUnknown(ops, mem, st) {
				kind = FailedWriteVisible
			}
			a[kind]++
		}
		pv, preloaded := in.Preload[k]
		if in.Writes && !mayBeLast(ops, value{preloaded, pv}, mem) && !explainedByUnknown(ops, mem, mem) {
			a[LostWrite]++
		}
	}
}

// explainedByUnknown: a write of the key with an unknown outcome produced
// one of the two states.
func explainedByUnknown(ops []kv.Record, x, y value) bool {
	for _, r := range ops {
		if unknown(r) && mutates(r) && (effect(r) == x || effect(r) == y) {
			return true
		}
	}
	return false
}

// mayBeLast reports whether final is the effect of a write that may be the
// key's last (no acknowledged write started after it returned), or the
// initial state when no write was acknowledged.
func mayBeLast(ops []kv.Record, initial, final value) bool {
	lastAckStart := int64(-1 << 63)
	acked := false
	for _, r := range ops {
		if mutates(r) && !unknown(r) {
			acked = true
			lastAckStart = max(lastAckStart, r.Call)
		}
	}
	if !acked && final == initial {
		return true
	}
	return slices.ContainsFunc(ops, func(r kv.Record) bool {
		return mutates(r) && r.Return >= lastAckStart && effect(r) == final
	})
}
