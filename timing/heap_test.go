package timing

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestDeadlineHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h deadlineHeap
	var want []int64
	for range 500 {
		d := r.Int64N(100)
		h.push(deadlineEntry{deadline: d})
		want = append(want, d)
	}
	slices.Sort(want)
	for _, w := range want {
		if len(h) == 0 || h[0].deadline != w {
			t.Fatalf("top = %v, want %d", h, w)
		}
		h.pop()
	}
	if len(h) != 0 {
		t.Fatalf("%d entries left", len(h))
	}
}
