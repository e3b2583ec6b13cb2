package analysis

import (
	"testing"

	"lockbench/results"
)

// TestCheckBoundsEdges pins which runs each case of CheckBounds takes and
// where it draws the line: saturated from 90% utilization, idle up to 50%
// on every server, a tolerance of 10% either way, and the worst ratio the
// one farthest from 1.
func TestCheckBoundsEdges(t *testing.T) {
	mk := func(rep int, arrival, kind string, util, busiest, ratio float64) results.Run {
		r := okRun("w", 4, "s", rep, 100)
		r.Arrival = arrival
		r.Bottleneck = &results.Bottleneck{Name: kind, Kind: kind, Utilization: util, BoundOpsS: 100 / ratio}
		r.BoundRatio = ratio
		r.Resources = []results.Resource{
			{Name: "m", Kind: results.KindLock, Utilization: busiest},
			{Name: "clients", Kind: results.KindClients, Utilization: 0.99},
			{Name: "offered", Kind: results.KindOffered, Utilization: 0.99},
		}
		return r
	}
	f := &results.File{Runs: []results.Run{
		mk(0, "closed", results.KindLock, 0.9, 0.9, 0.9),      // saturated at 90%, ratio at the tolerance
		mk(1, "closed", results.KindLock, 0.899, 0.899, 0.5),  // neither case
		mk(2, "open", results.KindLock, 0.95, 0.95, 0.5),      // open loop: not a saturation case
		mk(3, "closed", results.KindClients, 0.5, 0.5, 0.9),   // idle at 50%, at the tolerance
		mk(4, "closed", results.KindClients, 0.5, 0.501, 0.5), // a server past 50%: not idle
		mk(5, "open", results.KindOffered, 0.2, 0.1, 1.0),     // idle, the offered rate bounds it
		mk(6, "closed", results.KindCPU, 0.3, 0.3, 1.0),       // idle, but the wrong bottleneck
		mk(7, "closed", results.KindClients, 0.4, 0.4, 0.75),  // idle, past the tolerance
		mk(8, "closed", results.KindClients, 0.4, 0.4, 1.25),  // as far from 1: not the worst, which came first
	}}
	c := CheckBounds(f)
	if c.Saturated.Runs != 1 || len(c.Saturated.Failures) != 0 || c.Saturated.WorstRun != "w/conc=4/strategy=s/rep=0" {
		t.Errorf("saturated %+v: want run 0 alone, passing", c.Saturated)
	}
	var failed []string
	for _, fl := range c.Idle.Failures {
		failed = append(failed, fl.Run)
	}
	if c.Idle.Runs != 5 || len(failed) != 3 || failed[0] != "w/conc=4/strategy=s/rep=6" || failed[1] != "w/conc=4/strategy=s/rep=7" || failed[2] != "w/conc=4/strategy=s/rep=8" {
		t.Errorf("idle %d runs, failures %v: want runs 3, 5, 6, 7, 8 with 6, 7 and 8 failing", c.Idle.Runs, failed)
	}
	if c.Idle.WorstRun != "w/conc=4/strategy=s/rep=7" || c.Idle.WorstRatio != 0.75 {
		t.Errorf("idle worst %s at %v, want rep 7 at 0.75", c.Idle.WorstRun, c.Idle.WorstRatio)
	}
}
