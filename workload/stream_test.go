package workload_test

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/workload"
)

// TestStreamsReplay pins the exact operation stream of every distribution
// for a fixed seed: results record their seed so that a run can be
// replayed, which holds only while the same seed draws the same stream.
// A change of the generator that changes a stream must say so here (and
// accept that older results no longer replay).
func TestStreamsReplay(t *testing.T) {
	const mix = "{manager.update: 3, manager.get: 1, manager.list: 1}"
	tests := []struct{ name, extra, want string }{
		{"uniform", "keys: 50\npreload: 50\n", "c608250e87b352bb"},
		{"zipf", "keys: 50\npreload: 50\ndistribution: zipf\n", "2c610681a0e9d756"},
		{"zipf, one key", "keys: 1\npreload: 1\ndistribution: zipf\n", "e3b64daf6f3dc705"},
		{"hotspot", "keys: 50\npreload: 50\ndistribution: hotspot\n", "fdf3b463429b28ee"},
		{"hotspot, all hot", "keys: 50\npreload: 50\ndistribution: hotspot\nhot_probability: 1\n", "f46b5dcab97c054c"},
		{"sequential", "keys: 50\npreload: 50\ndistribution: sequential\n", "d588618c73c5738f"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := specOf(t, mix, tc.extra).Generators(3, 11)[1]
			h := sha256.New()
			for range 2000 {
				op, key := g.Next()
				fmt.Fprintf(h, "%s %s\n", ctxsys.Ops[op].Name, key)
			}
			if got := fmt.Sprintf("%x", h.Sum(nil))[:16]; got != tc.want {
				t.Errorf("stream of seed 11, worker 1 of 3: digest %s, want %s", got, tc.want)
			}
		})
	}
	// One operation kind draws no kind at all: only keys.
	g := specOf(t, "{manager.get: 1}", "keys: 50\npreload: 50\n").Generator(0, 11)
	var keys []string
	for range 5 {
		_, key := g.Next()
		keys = append(keys, key)
	}
	if got := fmt.Sprint(keys); got != "[c000009 c000027 c000033 c000028 c000042]" {
		t.Errorf("single-kind stream %s", got)
	}
}

// A weight too small to move the cumulative share off 1 in float64 must
// not wrap the threshold of the kinds before it.
func TestMixTinyWeight(t *testing.T) {
	g := specOf(t, "{manager.get: 1e9, manager.update: 1e-9}", "keys: 5\npreload: 5\n").Generator(0, 1)
	for i := range 1000 {
		if op, _ := g.Next(); op != ctxsys.ManagerGet {
			t.Fatalf("draw %d: %s, want manager.get (share 1 - 1e-18)", i, ctxsys.Ops[op].Name)
		}
	}
}

// Unique ids are "u<worker>-<n>", n counting from 0, across batches.
func TestUniqueIDs(t *testing.T) {
	g := specOf(t, "{manager.create: 1}", "distribution: unique\n").Generator(3, 1)
	for i := range 300 {
		if _, key := g.Next(); key != fmt.Sprintf("u3-%d", i) {
			t.Fatalf("draw %d: %q, want u3-%d", i, key, i)
		}
	}
}

func TestNegativeContextID(t *testing.T) {
	if got := workload.ContextID(-1); got != "c-1" {
		t.Errorf("ContextID(-1) = %q", got)
	}
}

func TestPlannedTimeAndProbability(t *testing.T) {
	s := specOf(t, "{manager.update: 3, manager.get: 1}", "preload: 1\nconcurrency: [1, 2, 3]\ncount: 2\nwarmup: 1s\nduration: 4s\n")
	if got := s.PlannedTime(); got != 30*time.Second {
		t.Errorf("PlannedTime = %v, want 6 runs × 5s = 30s", got)
	}
	if got := s.Probability(ctxsys.ManagerUpdate); got != 0.75 {
		t.Errorf("Probability(update) = %v, want 0.75", got)
	}
	if got := (&workload.Spec{}).Probability(ctxsys.ManagerUpdate); got != 0 {
		t.Errorf("Probability with an empty mix = %v, want 0", got)
	}
}
