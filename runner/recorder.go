package runner

import (
	"math"
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"lockbench/results"
)

// Histogram range: 100 ns is below any operation we can time meaningfully
// with time.Now (~47 ns a call); an hour bounds the slowest. Two significant
// digits (1% resolution) keep a histogram at ~32 KB.
const (
	histLowest  = 1
	histHighest = int64(3600e9)
	histDigits  = 2
)

func newHist() *hdr.Histogram { return hdr.New(histLowest, histHighest, histDigits) }

// recorder collects latencies without becoming a lock under test:
// hdrhistogram-go is not safe for concurrent recording and one histogram
// behind one mutex would serialise the workers it measures, so workers record
// into shards (worker i into shard i mod n), each with its own mutex, and the
// shards are merged after the run. With n at least the number of cores (and
// at least the number of workers up to a cap) two workers rarely meet on a
// shard; 100,000 workers share 64 shards instead of owning 100,000 sets of
// histograms.
type recorder struct {
	shards []shard
	nOps   int
}

type shard struct {
	mu       sync.Mutex
	byOp     []*hdr.Histogram // latency per op kind (index = workload op)
	all      *hdr.Histogram   // latency, all ops
	service  *hdr.Histogram   // service time (open loop), all ops
	svcByOp  []*hdr.Histogram
	interval *hdr.Histogram // latency since the last timeline sample
	_        [64]byte       // keep shards' mutexes off one cache line
}

const maxShards = 64

func newRecorder(workers, nOps int, openLoop bool) *recorder {
	n := workers
	if n > maxShards {
		n = maxShards
	}
	r := &recorder{shards: make([]shard, n), nOps: nOps}
	for i := range r.shards {
		s := &r.shards[i]
		s.byOp = make([]*hdr.Histogram, nOps)
		s.all = newHist()
		s.interval = newHist()
		if openLoop {
			s.service = newHist()
			s.svcByOp = make([]*hdr.Histogram, nOps)
		}
	}
	return r
}

func clampNs(v int64) int64 {
	if v < histLowest {
		return histLowest
	}
	if v > histHighest {
		return histHighest
	}
	return v
}

// record adds one operation's latency (and service time when open loop).
// latency is from the intended start in open loop, from the actual start in
// closed loop.
func (r *recorder) record(worker, op int, latency, service int64) {
	s := &r.shards[worker%len(r.shards)]
	latency = clampNs(latency)
	s.mu.Lock()
	h := s.byOp[op]
	if h == nil {
		h = newHist()
		s.byOp[op] = h
	}
	h.RecordValue(latency)
	s.all.RecordValue(latency)
	s.interval.RecordValue(latency)
	if s.service != nil {
		service = clampNs(service)
		sh := s.svcByOp[op]
		if sh == nil {
			sh = newHist()
			s.svcByOp[op] = sh
		}
		sh.RecordValue(service)
		s.service.RecordValue(service)
	}
	s.mu.Unlock()
}

// takeInterval merges and resets every shard's interval histogram.
func (r *recorder) takeInterval(into *hdr.Histogram) {
	into.Reset()
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		into.Merge(s.interval)
		s.interval.Reset()
		s.mu.Unlock()
	}
}

// reset clears every histogram (end of warm-up).
func (r *recorder) reset() {
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		resetAll(s.byOp)
		resetAll(s.svcByOp)
		s.all.Reset()
		s.interval.Reset()
		if s.service != nil {
			s.service.Reset()
		}
		s.mu.Unlock()
	}
}

// merged returns the per-op and overall latency (and service-time)
// summaries, keyed by op name and "all". Call after the workers stopped.
func (r *recorder) merged(opName func(int) string) (lat, svc map[string]results.Latency) {
	all := newHist()
	var svcAll *hdr.Histogram
	byOp := make([]*hdr.Histogram, r.nOps)
	svcByOp := make([]*hdr.Histogram, r.nOps)
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		all.Merge(s.all)
		mergeByOp(byOp, s.byOp)
		if s.service != nil {
			if svcAll == nil {
				svcAll = newHist()
			}
			svcAll.Merge(s.service)
			mergeByOp(svcByOp, s.svcByOp)
		}
		s.mu.Unlock()
	}
	lat = summarizeByOp(all, byOp, opName)
	if svcAll != nil {
		svc = summarizeByOp(svcAll, svcByOp, opName)
	}
	return lat, svc
}

func resetAll(hs []*hdr.Histogram) {
	for _, h := range hs {
		if h != nil {
			h.Reset()
		}
	}
}

// mergeByOp merges a shard's per-op histograms into dst, creating the ones
// dst lacks.
func mergeByOp(dst, src []*hdr.Histogram) {
	for op, h := range src {
		if h == nil {
			continue
		}
		if dst[op] == nil {
			dst[op] = newHist()
		}
		dst[op].Merge(h)
	}
}

// summarizeByOp summarises "all" (with its spectrum) and every op that
// recorded something.
func summarizeByOp(all *hdr.Histogram, byOp []*hdr.Histogram, opName func(int) string) map[string]results.Latency {
	out := map[string]results.Latency{"all": summarize(all, true)}
	for op, h := range byOp {
		if h != nil && h.TotalCount() > 0 {
			out[opName(op)] = summarize(h, false)
		}
	}
	return out
}

// spectrumPercentiles are the points of the HdrHistogram-style percentile
// spectrum: dense towards the tail, where strategies differ.
var spectrumPercentiles = []float64{0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 100}

func summarize(h *hdr.Histogram, spectrum bool) results.Latency {
	n := h.TotalCount()
	if n == 0 {
		return results.Latency{}
	}
	l := results.Latency{
		Count:    n,
		MeanNs:   h.Mean(),
		StddevNs: h.StdDev(),
		MinNs:    h.Min(),
		P50Ns:    h.ValueAtQuantile(50),
		P90Ns:    h.ValueAtQuantile(90),
		P99Ns:    h.ValueAtQuantile(99),
		P999Ns:   h.ValueAtQuantile(99.9),
		MaxNs:    h.Max(),
	}
	if math.IsNaN(l.StddevNs) {
		l.StddevNs = 0
	}
	if spectrum {
		for _, p := range spectrumPercentiles {
			// Beyond the samples' resolution a tail percentile only
			// repeats the max: stop at the first percentile that needs
			// more samples than we have.
			if p > 0 && p < 100 && float64(n)*(1-p/100) < 1 {
				continue
			}
			l.Spectrum = append(l.Spectrum, results.SpectrumPoint{Percentile: p, ValueNs: h.ValueAtQuantile(p)})
		}
	}
	return l
}
