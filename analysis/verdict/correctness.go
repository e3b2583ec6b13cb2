package verdict

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"lockbench/results"
)

// Correctness verdicts of one cell, judged before speed and independent of
// any threshold.
const (
	// CorrectnessRegression: new shows an anomaly kind old did not (zero,
	// absent or unchecked in old), or a linearizability verdict turned
	// illegal.
	CorrectnessRegression = "correctness regression"
	// StillBroken: new has anomalies, but only of kinds old had too.
	StillBroken = "anomalies in both"
	// Fixed: old had anomalies, new was checked and has none.
	Fixed = "fixed"
	// Clean: both checked, neither has anomalies.
	Clean = "ok"
	// NewUnchecked: no run of the new side had the consistency checks on:
	// nothing can be said, and the cell says so rather than "ok".
	NewUnchecked = "new not checked"
	// OldUnchecked: new was checked and clean, old was not: nothing to
	// regress from, but not a comparison either.
	OldUnchecked = "old not checked"
)

// Side is one side's consistency record on a cell.
type Side struct {
	// Runs usable, Checked of them with the consistency checks on.
	Runs, Checked int
	// Anomalies summed over the checked runs, by kind (zero counts left
	// out).
	Anomalies map[string]int64
	// Linearizable counts the runs per verdict (ok, illegal, unknown,
	// skipped); runs recorded without histories have none.
	Linearizable map[string]int
}

// Total is the number of anomalies of every kind.
func (s Side) Total() int64 {
	var n int64
	for _, v := range s.Anomalies {
		n += v
	}
	return n
}

// String summarises a side: "not checked", "none (6 of 6 checked)",
// "zombie=2 (6 of 6 checked), not linearizable in 1 run(s)".
func (s Side) String() string {
	if s.Checked == 0 {
		return "not checked"
	}
	var b strings.Builder
	if s.Total() == 0 {
		b.WriteString("none")
	} else {
		b.WriteString(FormatKinds(s.Anomalies))
	}
	fmt.Fprintf(&b, " (%d of %d checked)", s.Checked, s.Runs)
	if n := s.Linearizable[results.LinIllegal]; n > 0 {
		fmt.Fprintf(&b, ", not linearizable in %d run(s)", n)
	}
	return b.String()
}

// Correctness is the consistency verdict of one cell.
type Correctness struct {
	Cell     Cell
	Old, New Side
	Verdict  string
	// NewKinds are the anomaly kinds new shows and old did not, sorted.
	NewKinds []string
	// TurnedIllegal: some new run is not linearizable, no old run was
	// found so.
	TurnedIllegal bool
}

func sideOf(runs []results.Run) Side {
	s := Side{Runs: len(runs), Anomalies: map[string]int64{}, Linearizable: map[string]int{}}
	for _, r := range runs {
		if !r.Consistency.Checked {
			continue
		}
		s.Checked++
		for kind, n := range r.Consistency.Anomalies {
			if n > 0 {
				s.Anomalies[kind] += n
			}
		}
		if v := r.Consistency.Linearizable; v != "" {
			s.Linearizable[v]++
		}
	}
	return s
}

func judgeCorrectness(cell Cell, oldRuns, newRuns []results.Run) Correctness {
	c := Correctness{Cell: cell, Old: sideOf(oldRuns), New: sideOf(newRuns)}
	for kind := range c.New.Anomalies {
		if c.Old.Anomalies[kind] == 0 {
			c.NewKinds = append(c.NewKinds, kind)
		}
	}
	slices.Sort(c.NewKinds)
	c.TurnedIllegal = c.New.Linearizable[results.LinIllegal] > 0 && c.Old.Linearizable[results.LinIllegal] == 0
	switch {
	case len(c.NewKinds) > 0 || c.TurnedIllegal:
		c.Verdict = CorrectnessRegression
	case c.New.Checked == 0:
		c.Verdict = NewUnchecked
	case c.New.Total() > 0 || c.New.Linearizable[results.LinIllegal] > 0:
		c.Verdict = StillBroken
	case c.Old.Checked == 0:
		c.Verdict = OldUnchecked
	case c.Old.Total() > 0 || c.Old.Linearizable[results.LinIllegal] > 0:
		c.Verdict = Fixed
	default:
		c.Verdict = Clean
	}
	return c
}

// Reason says why a correctness regression is one: "new store_divergence,
// zombie; turned not linearizable".
func (c Correctness) Reason() string {
	var parts []string
	if len(c.NewKinds) > 0 {
		parts = append(parts, "new "+strings.Join(c.NewKinds, ", "))
	}
	if c.TurnedIllegal {
		parts = append(parts, "turned not linearizable")
	}
	if c.Old.Checked == 0 && len(parts) > 0 {
		parts = append(parts, "old not checked")
	}
	return strings.Join(parts, "; ")
}

// FormatKinds renders counts by kind, largest first: "zombie=2,lost_refresh=1".
func FormatKinds(kinds map[string]int64) string {
	keys := slices.Collect(maps.Keys(kinds))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(kinds[b], kinds[a]), cmp.Compare(a, b)) })
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if kinds[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, kinds[k]))
		}
	}
	return strings.Join(parts, ",")
}
