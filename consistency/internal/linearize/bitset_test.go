package linearize

import "testing"

// TestBitsetEqual: the search's cache of visited (linearized set, state)
// pairs is only sound if sets that differ are never taken as equal — a
// hash collision must not prune an unexplored branch.
func TestBitsetEqual(t *testing.T) {
	a, b := make(bitset, 2), make(bitset, 2)
	for _, i := range []int{0, 5, 64, 70} {
		a.set(i)
		b.set(i)
	}
	if !a.equal(b) || a.hash() != b.hash() {
		t.Errorf("equal sets: equal %v, hashes %x and %x", a.equal(b), a.hash(), b.hash())
	}
	for _, i := range []int{3, 66} {
		c := b.clone()
		c.set(i)
		if a.equal(c) || c.equal(a) {
			t.Errorf("sets differing in %d taken as equal", i)
		}
		c.clear(i)
		if !a.equal(c) || !c.has(64) || c.has(i) {
			t.Errorf("after clearing %d: equal %v, has 64 %v, has %d %v", i, a.equal(c), c.has(64), i, c.has(i))
		}
	}
}
