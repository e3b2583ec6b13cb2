package analysis

import (
	"math"

	"lockbench/results"
)

// BoundTolerance is how far measured throughput may sit from the
// operational bound in the two cases BoundCheck tests.
const BoundTolerance = 0.10

// BoundCheck tests the operational-law analysis against what was measured,
// over the successful runs of a file:
//
//   - Saturated: closed-loop runs whose bottleneck is at least 90% utilized.
//     Their throughput should be within 10% of the bottleneck's bound.
//   - Idle: runs where no lock, stripe, store pool or CPU is above 50%
//     utilized. Their bottleneck should be the client population (or the
//     offered rate), with a bound within 10% of measured.
//
// Runs without a stored analysis (files from before it) are analysed from
// their figures with the file's GOMAXPROCS.
type BoundCheck struct {
	Saturated, Idle BoundCases
}

// BoundCases is one case of BoundCheck.
type BoundCases struct {
	Runs int
	// WorstRatio is the measured/bound ratio farthest from 1, in WorstRun.
	WorstRatio float64
	WorstRun   string
	// Failures are the runs outside the tolerance, or (Idle) whose
	// bottleneck is neither the clients nor the offered rate.
	Failures []BoundFailure
}

// BoundFailure is one run that fails a BoundCheck case.
type BoundFailure struct {
	Run        string
	Ratio      float64
	Bottleneck results.Bottleneck
}

// CheckBounds runs BoundCheck over f.
func CheckBounds(f *results.File) BoundCheck {
	var c BoundCheck
	for _, r := range f.Runs {
		if !isOK(r) {
			continue
		}
		if r.Bottleneck == nil {
			Bottlenecks(&r, f.Meta.GOMAXPROCS)
			if r.Bottleneck == nil {
				continue
			}
		}
		name := keyOf(r).String() + "/rep=" + itoa(r.Repetition)
		if closedLoop(r) && r.Bottleneck.Utilization >= 0.9 {
			c.Saturated.add(name, r, true)
		}
		if busiestServer(r.Resources) <= 0.5 {
			k := r.Bottleneck.Kind
			c.Idle.add(name, r, k == results.KindClients || k == results.KindOffered)
		}
	}
	return c
}

// busiestServer is the highest utilization among locks, stripes, stores
// and CPUs (the clients and the offered rate are not servers that queue).
func busiestServer(rs []results.Resource) float64 {
	var u float64
	for _, r := range rs {
		if r.Kind != results.KindClients && r.Kind != results.KindOffered {
			u = math.Max(u, r.Utilization)
		}
	}
	return u
}

func (b *BoundCases) add(run string, r results.Run, rightKind bool) {
	b.Runs++
	ratio := r.BoundRatio
	if b.WorstRun == "" || math.Abs(ratio-1) > math.Abs(b.WorstRatio-1) {
		b.WorstRatio, b.WorstRun = ratio, run
	}
	if !rightKind || math.Abs(ratio-1) > BoundTolerance {
		b.Failures = append(b.Failures, BoundFailure{Run: run, Ratio: ratio, Bottleneck: *r.Bottleneck})
	}
}
