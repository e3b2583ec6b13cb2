package sharded

import (
	"fmt"
	"testing"

	"lockbench/lock"
)

func TestKeyLocksSpreadOverStripes(t *testing.T) {
	k := newKeyLocks(lock.NewSet(true), "test.keys")
	seen := map[*lock.Mutex]bool{}
	for i := range 16 * stripes {
		id := fmt.Sprint("id-", i)
		if k.of(id) != k.of(id) {
			t.Fatalf("stripe of %q is not stable", id)
		}
		seen[k.of(id)] = true
	}
	if len(seen) != stripes {
		t.Errorf("%d ids hit %d of %d stripes", 16*stripes, len(seen), stripes)
	}
}
