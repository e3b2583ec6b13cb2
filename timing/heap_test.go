package timing

import (
	"math"
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
	for _, from := range []int64{-1, 0, 50, 99, 100} {
		first, last := int64(math.MaxInt64), int64(math.MinInt64)
		h.around(0, from, &first, &last)
		wantFirst, wantLast := int64(math.MaxInt64), int64(math.MinInt64)
		for _, w := range want {
			if w >= from {
				wantFirst = min(wantFirst, w)
			} else {
				wantLast = max(wantLast, w)
			}
		}
		if first != wantFirst || last != wantLast {
			t.Errorf("around(%d) = %d, %d; want %d, %d", from, first, last, wantFirst, wantLast)
		}
	}
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
