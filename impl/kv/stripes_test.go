package kv

import "testing"

// TestStripesDefaults: zero stripes means DefaultStripes, and any count is
// rounded up to a power of two (stripeOf masks the hash).
func TestStripesDefaults(t *testing.T) {
	for _, c := range []struct{ in, want int }{{0, DefaultStripes}, {-3, DefaultStripes}, {1, 1}, {5, 8}, {8, 8}, {9, 16}} {
		if got := (Config{Stripes: c.in}).WithDefaults().Stripes; got != c.want {
			t.Errorf("Stripes %d: WithDefaults gives %d, want %d", c.in, got, c.want)
		}
	}
}

// TestStripeOfSpreads: the stripe hash spreads keys, or striping would
// serialise everything on one lock: 1,024 keys of the workloads' form
// reach most of 256 stripes.
func TestStripeOfSpreads(t *testing.T) {
	used := map[uint32]bool{}
	for i := range 1024 {
		used[stripeOf("k"+itoa(i), DefaultStripes-1)] = true
	}
	if len(used) < DefaultStripes*3/4 {
		t.Errorf("1024 keys reach %d of %d stripes", len(used), DefaultStripes)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
