package lock

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestShardLayout: a release touches holdTotal, holdMax and the holds
// histogram, an I/O call heldIO; they fill the shard's first cache line, and
// the contended path's figures the second. Shards are allocated in arrays
// of a power-of-two size of at least 128 bytes, which the allocator aligns
// to that size, so each shard starts a cache line.
func TestShardLayout(t *testing.T) {
	var sh shard
	const line = 64
	for name, end := range map[string]uintptr{
		"holdTotal": unsafe.Offsetof(sh.holdTotal) + unsafe.Sizeof(sh.holdTotal),
		"holdMax":   unsafe.Offsetof(sh.holdMax) + unsafe.Sizeof(sh.holdMax),
		"heldIO":    unsafe.Offsetof(sh.heldIO) + unsafe.Sizeof(sh.heldIO),
		"holds":     unsafe.Offsetof(sh.holds) + unsafe.Sizeof(sh.holds),
	} {
		if end > line {
			t.Errorf("%s ends at byte %d of the shard, past its first cache line", name, end)
		}
	}
	if off := unsafe.Offsetof(sh.contended); off < line {
		t.Errorf("contended starts at byte %d, on the release's cache line", off)
	}
	if size := unsafe.Sizeof(sh); size != 2*line {
		t.Errorf("a shard is %d bytes, want %d: shards in an array would straddle lines", size, 2*line)
	}
}

// TestFamilyLayout: what a release reads of its family (the shards and the
// reset time) lies on the family's first cache line, and the family is 128
// bytes, a size class the allocator aligns to 128.
func TestFamilyLayout(t *testing.T) {
	var f family
	if end := unsafe.Offsetof(f.resetAt) + unsafe.Sizeof(f.resetAt); end > 64 {
		t.Errorf("resetAt ends at byte %d of the family, past its first cache line", end)
	}
	if end := unsafe.Offsetof(f.mask) + unsafe.Sizeof(f.mask); end > 64 {
		t.Errorf("mask ends at byte %d, past the first cache line", end)
	}
	if size := unsafe.Sizeof(f); size != 128 {
		t.Errorf("a family is %d bytes, want 128", size)
	}
}

// TestShardMask: a family's shards are a power of two in number and its
// mask picks any of them, whatever GOMAXPROCS is (P ids run up to
// GOMAXPROCS-1, past the cap of maxShards).
func TestShardMask(t *testing.T) {
	for _, procs := range []int{1, 2, 3, 64, 100} {
		prev := runtime.GOMAXPROCS(procs)
		f := newFamily(true)
		runtime.GOMAXPROCS(prev)
		n := len(f.shards)
		if n == 0 || n&(n-1) != 0 || n > maxShards || n < min(procs, maxShards) {
			t.Errorf("GOMAXPROCS %d: %d shards, want a power of two in [%d, %d]", procs, n, min(procs, maxShards), maxShards)
		}
		if f.mask != n-1 {
			t.Errorf("GOMAXPROCS %d: mask %d for %d shards, want %d", procs, f.mask, n, n-1)
		}
	}
}
