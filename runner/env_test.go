package runner

import (
	"bufio"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// runtimeHist is a runtime-style histogram: bucket i spans
// [Buckets[i], Buckets[i+1]), the outer ones open to ±Inf.
func runtimeHist(counts ...uint64) *metrics.Float64Histogram {
	return &metrics.Float64Histogram{Counts: counts, Buckets: []float64{math.Inf(-1), 2, 4, 6, math.Inf(1)}}
}

// TestHistQuantile: the quantile is the upper bound of the bucket that
// holds the q·n-th count (rounded to nearest), the lower bound for the
// last, unbounded bucket; an empty delta gives 0.
func TestHistQuantile(t *testing.T) {
	h := runtimeHist(0, 50, 50, 0)
	for _, tc := range []struct {
		q    float64
		want float64
	}{
		{0, 4},     // rank 0 is taken as the first count
		{0.5, 4},   // the 50th count, the last of [2, 4)
		{0.505, 6}, // 50.5 rounds to the 51st, the first of [4, 6)
		{1, 6},
	} {
		if got := histQuantile(h, h.Counts, tc.q); got != tc.want {
			t.Errorf("q %v of 50 in [2,4) and 50 in [4,6): %v, want %v", tc.q, got, tc.want)
		}
	}
	tail := runtimeHist(0, 1, 0, 3)
	if got := histQuantile(tail, tail.Counts, 0.99); got != 6 {
		t.Errorf("quantile in the unbounded bucket: %v, want its lower bound 6", got)
	}
	if got := histQuantile(h, []uint64{0, 0, 0, 0}, 0.5); got != 0 {
		t.Errorf("no counts: %v, want 0", got)
	}
}

// TestHistSum: the sum by bucket midpoints, the open lower bucket counted
// from 0 and the open upper one at its lower bound.
func TestHistSum(t *testing.T) {
	// 1 × mid(0, 2) + 2 × mid(2, 4) + 3 × mid(4, 6) + 4 × 6 = 1 + 6 + 15 + 24.
	if got := histSum(runtimeHist(), []uint64{1, 2, 3, 4}); got != 46 {
		t.Errorf("sum %v, want 46", got)
	}
	if got := histSum(runtimeHist(), []uint64{0, 0, 0, 0}); got != 0 {
		t.Errorf("no counts: sum %v", got)
	}
}

// TestRuntimeDelta: the figures of the window between two snapshots.
func TestRuntimeDelta(t *testing.T) {
	a := runtimeSnap{mutexWait: 1.5, gcCycles: 10, allocBytes: 1000, allocObjs: 100,
		schedLat: runtimeHist(5, 10, 0, 0), gcPauses: runtimeHist(0, 1, 0, 0)}
	b := runtimeSnap{mutexWait: 2.0, gcCycles: 13, allocBytes: 5000, allocObjs: 300,
		schedLat: runtimeHist(5, 10, 100, 0), gcPauses: runtimeHist(0, 1, 2, 0)}
	rt := runtimeDelta(a, b, 40)
	if rt.MutexWaitS != 0.5 || rt.GCCycles != 3 || rt.AllocBytesPerOp != 100 || rt.AllocsPerOp != 5 {
		t.Errorf("mutex wait %v s, %d GC cycles, %v B/op, %v allocs/op; want 0.5, 3, 100, 5", rt.MutexWaitS, rt.GCCycles, rt.AllocBytesPerOp, rt.AllocsPerOp)
	}
	// Only the window's counts: 100 scheduling latencies in [4, 6), two
	// GC pauses of 5 s by midpoint.
	if rt.SchedLatencyP99Ns != 6e9 || rt.GCPauseTotalNs != 10e9 {
		t.Errorf("sched latency p99 %d ns, GC pauses %d ns; want 6e9, 10e9", rt.SchedLatencyP99Ns, rt.GCPauseTotalNs)
	}
	if rt := runtimeDelta(a, b, 0); rt.AllocBytesPerOp != 0 || rt.AllocsPerOp != 0 {
		t.Errorf("no operations: %v B/op, %v allocs/op", rt.AllocBytesPerOp, rt.AllocsPerOp)
	}
	for _, pair := range [][2]*metrics.Float64Histogram{{nil, runtimeHist(1, 2, 3, 4)}, {runtimeHist(1, 2, 3, 4), nil}, {{Counts: []uint64{1}}, runtimeHist(1, 2, 3, 4)}} {
		if d := histDelta(pair[0], pair[1]); d != nil {
			t.Errorf("delta of %v and %v: %v, want none", pair[0], pair[1], d)
		}
	}
}

var sink []*[8]byte

// TestReadRuntime: a snapshot reads every metric it needs — the counts
// grow over a stretch that allocates, blocks on a mutex and collects.
func TestReadRuntime(t *testing.T) {
	a := readRuntime()
	// Small pointer-free objects are tiny allocations, which the
	// runtime counts apart from the others.
	sink = nil
	for range 20_000 {
		sink = append(sink, new([8]byte))
	}
	runtime.GC()
	// The runtime samples the goroutines it times (one in eight): block
	// on a mutex until a wait is counted.
	var b runtimeSnap
	for range 200 {
		var mu sync.Mutex
		mu.Lock()
		var wg sync.WaitGroup
		wg.Go(func() { mu.Lock(); mu.Unlock() })
		time.Sleep(time.Millisecond)
		mu.Unlock()
		wg.Wait()
		if b = readRuntime(); b.mutexWait > a.mutexWait {
			break
		}
	}
	if b.gcCycles <= a.gcCycles || b.allocBytes <= a.allocBytes || b.mutexWait <= a.mutexWait {
		t.Errorf("GC cycles %d → %d, bytes allocated %d → %d, mutex wait %v → %v: want each to grow", a.gcCycles, b.gcCycles, a.allocBytes, b.allocBytes, a.mutexWait, b.mutexWait)
	}
	// Two tiny objects share a block: counting blocks would find about
	// half of them.
	if objs := b.allocObjs - a.allocObjs; objs < 20_000 || objs > 1_000_000 {
		t.Errorf("%d objects allocated, want 20,000 or so", objs)
	}
	if b.schedLat == nil || b.gcPauses == nil || len(b.gcPauses.Counts) == 0 {
		t.Errorf("scheduling latencies %v, GC pauses %v: want both", b.schedLat, b.gcPauses)
	}
}

// TestProcessGauges: CPU time, RSS (whole pages, more than a megabyte for
// any Go test) and the CPU model as /proc/cpuinfo names it.
func TestProcessGauges(t *testing.T) {
	if ru := readRusage(); ru.total() <= 0 || ru.total() != ru.user+ru.sys {
		t.Errorf("CPU time %v (user %v, sys %v)", ru.total(), ru.user, ru.sys)
	}
	if _, err := os.Stat("/proc/self/statm"); err == nil {
		if rss := currentRSS(); rss < 1<<20 || rss%int64(os.Getpagesize()) != 0 {
			t.Errorf("RSS %d bytes", rss)
		}
	}
	want := ""
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() && want == "" {
			if name, ok := strings.CutPrefix(sc.Text(), "model name"); ok {
				want = strings.TrimSpace(strings.TrimLeft(name, " \t:"))
			}
		}
		f.Close()
	}
	if got := Meta(1, "test").CPUModel; got != want {
		t.Errorf("CPU model %q, want %q", got, want)
	}
}
