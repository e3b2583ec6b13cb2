package sharded

import "lockbench/lock"

// stripes is the number of per-key locks of a component. Two ids share a
// stripe with probability 1/256, which serialises their writers needlessly
// but never incorrectly.
const stripes = 256

// keyLocks are the per-key locks of one component. Every stripe records under
// the same name, so reports show one lock per component, and the name is
// marked striped (per-key), so analyses see that it blocks one key's writers
// and find its hottest stripe.
type keyLocks [stripes]*lock.Mutex

func newKeyLocks(set *lock.Set, name string) *keyLocks {
	var k keyLocks
	copy(k[:], set.Stripes(name, stripes))
	return &k
}

// of returns the stripe of id: FNV-1a (32 bit), inlined because hash/fnv
// would allocate on every operation.
func (k *keyLocks) of(id string) *lock.Mutex {
	const (
		offset32 = 2166136261
		prime32  = 16777619
	)
	h := uint32(offset32)
	for i := 0; i < len(id); i++ {
		h ^= uint32(id[i])
		h *= prime32
	}
	return k[h%stripes]
}
