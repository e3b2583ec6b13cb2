package lock

import (
	"runtime"
	_ "unsafe" // for go:linkname
)

// runtime.procPin and procUnpin are on the runtime's list of linknames it
// keeps for outside packages ("Do not remove or change the type signature",
// go.dev/issue/67401); sync.Pool uses the same pair for per-P caches.
//
//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()

// procID returns the id of the P running the caller (~3 ns). It is a hint for
// picking a shard, not a pin: the caller may move to another P right after,
// which costs a shared cache line now and then, never a wrong figure, as
// shards are updated atomically.
func procID() int {
	p := procPin()
	procUnpin()
	return p
}

// shardCount is GOMAXPROCS rounded up to a power of two, so that each P
// records on its own shard; capped to bound a family's memory.
func shardCount() int {
	n := 1
	for n < runtime.GOMAXPROCS(0) && n < maxShards {
		n *= 2
	}
	return n
}

const maxShards = 64
