package runner

import (
	"bufio"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"time"

	"lockbench/results"
)

// Meta describes the environment the figures were taken in. Mutex-wait
// semantics changed in Go 1.22 and 1.24, so figures are only comparable under
// one Go version; the file says which.
func Meta(seed int64, command string) results.Meta {
	host, _ := os.Hostname()
	return results.Meta{
		GoVersion:    runtime.Version(),
		GOMAXPROCS:   runtime.GOMAXPROCS(0),
		NumCPU:       runtime.NumCPU(),
		GODEBUG:      os.Getenv("GODEBUG"),
		GOEXPERIMENT: os.Getenv("GOEXPERIMENT"),
		GOOS:         runtime.GOOS,
		GOARCH:       runtime.GOARCH,
		CPUModel:     cpuModel(),
		Hostname:     host,
		Seed:         seed,
		Command:      command,
		StartedAt:    time.Now().UTC(),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// rusage is the process's CPU time so far.
type rusage struct{ user, sys time.Duration }

func readRusage() rusage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return rusage{}
	}
	return rusage{
		user: time.Duration(ru.Utime.Nano()),
		sys:  time.Duration(ru.Stime.Nano()),
	}
}

func (r rusage) total() time.Duration { return r.user + r.sys }

// currentRSS reads the resident set size from /proc/self/statm. getrusage's
// ru_maxrss is the peak over the process's whole life, which after the first
// large run says nothing about the next; sampling the current RSS during a
// run gives that run's own peak (to the sampling interval).
func currentRSS() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// Runtime metrics read at the start and end of the measured phase, and
// sampled for peaks.
const (
	mMutexWait  = "/sync/mutex/wait/total:seconds"
	mSchedLat   = "/sched/latencies:seconds"
	mGCCycles   = "/gc/cycles/total:gc-cycles"
	mGCPauses   = "/sched/pauses/total/gc:seconds"
	mAllocBytes = "/gc/heap/allocs:bytes"
	mAllocObjs  = "/gc/heap/allocs:objects"
	// Tiny allocations (< 16 B, pointer-free) are batched into blocks and
	// missing from allocs:objects; testing's allocs/op counts them.
	mTinyAllocs = "/gc/heap/tiny/allocs:objects"
	mHeapLive   = "/memory/classes/heap/objects:bytes"
	mGoroutines = "/sched/goroutines:goroutines"
)

type runtimeSnap struct {
	mutexWait  float64
	schedLat   *metrics.Float64Histogram
	gcCycles   uint64
	gcPauses   *metrics.Float64Histogram
	allocBytes uint64
	allocObjs  uint64
}

func readRuntime() runtimeSnap {
	s := []metrics.Sample{{Name: mMutexWait}, {Name: mSchedLat}, {Name: mGCCycles}, {Name: mGCPauses}, {Name: mAllocBytes}, {Name: mAllocObjs}, {Name: mTinyAllocs}}
	metrics.Read(s)
	var r runtimeSnap
	if s[0].Value.Kind() == metrics.KindFloat64 {
		r.mutexWait = s[0].Value.Float64()
	}
	if s[1].Value.Kind() == metrics.KindFloat64Histogram {
		r.schedLat = copyHist(s[1].Value.Float64Histogram())
	}
	if s[2].Value.Kind() == metrics.KindUint64 {
		r.gcCycles = s[2].Value.Uint64()
	}
	if s[3].Value.Kind() == metrics.KindFloat64Histogram {
		r.gcPauses = copyHist(s[3].Value.Float64Histogram())
	}
	if s[4].Value.Kind() == metrics.KindUint64 {
		r.allocBytes = s[4].Value.Uint64()
	}
	if s[5].Value.Kind() == metrics.KindUint64 {
		r.allocObjs = s[5].Value.Uint64()
	}
	if s[6].Value.Kind() == metrics.KindUint64 {
		r.allocObjs += s[6].Value.Uint64()
	}
	return r
}

func copyHist(h *metrics.Float64Histogram) *metrics.Float64Histogram {
	return &metrics.Float64Histogram{
		Counts:  append([]uint64(nil), h.Counts...),
		Buckets: append([]float64(nil), h.Buckets...),
	}
}

// histDelta returns per-bucket counts of b minus a (same bucket layout).
func histDelta(a, b *metrics.Float64Histogram) []uint64 {
	if a == nil || b == nil || len(a.Counts) != len(b.Counts) {
		return nil
	}
	d := make([]uint64, len(b.Counts))
	for i := range d {
		d[i] = b.Counts[i] - a.Counts[i]
	}
	return d
}

// histQuantile returns the upper bound of the bucket holding quantile q of
// the delta counts (a conservative figure: the runtime's buckets are
// coarse).
func histQuantile(h *metrics.Float64Histogram, counts []uint64, q float64) float64 {
	var n uint64
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range counts {
		seen += c
		if seen >= rank {
			hi := h.Buckets[i+1]
			if hi > 1e300 { // +Inf: use the lower bound
				return h.Buckets[i]
			}
			return hi
		}
	}
	return 0
}

// histSum approximates the total of the delta counts by bucket midpoints.
func histSum(h *metrics.Float64Histogram, counts []uint64) float64 {
	var sum float64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		if lo < -1e300 {
			lo = 0
		}
		if hi > 1e300 {
			hi = lo
		}
		sum += float64(c) * (lo + hi) / 2
	}
	return sum
}

// runtimeDelta fills the results' runtime figures from two snapshots. Peaks
// come from the timeline sampler.
func runtimeDelta(a, b runtimeSnap, ops int64) results.Runtime {
	rt := results.Runtime{
		MutexWaitS: b.mutexWait - a.mutexWait,
		GCCycles:   int64(b.gcCycles - a.gcCycles),
	}
	if d := histDelta(a.schedLat, b.schedLat); d != nil {
		rt.SchedLatencyP99Ns = int64(histQuantile(b.schedLat, d, 0.99) * 1e9)
	}
	if d := histDelta(a.gcPauses, b.gcPauses); d != nil {
		rt.GCPauseTotalNs = int64(histSum(b.gcPauses, d) * 1e9)
	}
	if ops > 0 {
		rt.AllocBytesPerOp = float64(b.allocBytes-a.allocBytes) / float64(ops)
		rt.AllocsPerOp = float64(b.allocObjs-a.allocObjs) / float64(ops)
	}
	return rt
}

// sampleGauges reads the live heap and goroutine count.
func sampleGauges() (heap, goroutines int64) {
	s := []metrics.Sample{{Name: mHeapLive}, {Name: mGoroutines}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		heap = int64(s[0].Value.Uint64())
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		goroutines = int64(s[1].Value.Uint64())
	} else {
		goroutines = int64(runtime.NumGoroutine())
	}
	return heap, goroutines
}
