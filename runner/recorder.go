package runner

import (
	"math"
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"lockbench/internal/loghist"
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
// into shards (worker i into shard i mod n) that are merged after the run.
// Up to maxShards workers each own a shard and record without any lock;
// beyond, workers share shards, each behind its own mutex, so 100,000
// workers share 64 shards instead of owning 100,000 sets of histograms.
//
// Recording is the harness's cost on every operation, so it does the
// least it can, with no atomic read-modify-write: one hdr record per
// operation kind (the "all" histograms are merged from them after the run)
// and one count in the shard's own interval counts, labelled with the
// controller's epoch (its tick count). The timeline cannot read counts a
// worker is writing, so a shard hands them over when it first records in a
// new epoch, with atomic adds into the slot of the epoch they belong to,
// once per tick instead of once per operation; the timeline takes an
// epoch's slot two ticks later, when every shard that recorded in it has
// handed over (see timeline.sample).
type recorder struct {
	shards []shard
	nOps   int
	shared bool // more workers than shards: shards are locked
}

type shard struct {
	mu      sync.Mutex       // used only when the recorder is shared
	byOp    []*hdr.Histogram // latency per op kind (index = workload op)
	svcByOp []*hdr.Histogram // service time per op kind (open loop), else nil

	// counts holds the latencies recorded in epoch epoch and not yet
	// handed over to slots (loghist.Coarse).
	counts loghist.Counts
	epoch  int64
	// slots are the timeline's interval histograms, by epoch parity.
	slots [2]loghist.Histogram
	_     [64]byte // keep shards off one cache line
}

const maxShards = 64

func newRecorder(workers, nOps int, openLoop bool) *recorder {
	n := min(workers, maxShards)
	r := &recorder{shards: make([]shard, n), nOps: nOps, shared: workers > n}
	for i := range r.shards {
		s := &r.shards[i]
		s.byOp = make([]*hdr.Histogram, nOps)
		s.counts = loghist.NewCounts(loghist.Coarse)
		s.slots[0].Init(loghist.Coarse)
		s.slots[1].Init(loghist.Coarse)
		if openLoop {
			s.svcByOp = make([]*hdr.Histogram, nOps)
		}
	}
	return r
}

func clampNs(v int64) int64 { return min(max(v, histLowest), histHighest) }

// shardOf is the shard worker records into; a worker looks it up once, so
// that recording does not divide by the shard count on every operation.
func (r *recorder) shardOf(worker int) *shard { return &r.shards[worker%len(r.shards)] }

// record adds one operation's latency (and service time when open loop) to
// worker's shard, in the epoch the shard is in. latency is from the
// intended start in open loop, from the actual start in closed loop.
func (r *recorder) record(worker, op int, latency, service int64) {
	s := r.shardOf(worker)
	s.record(r.shared, s.epoch, op, latency, service)
}

// record adds one operation to s; shared says whether other workers record
// into s too, so it must be locked. The worker's path calls add directly
// when its shard is its own: one call less on every operation.
func (s *shard) record(shared bool, epoch int64, op int, latency, service int64) {
	if shared {
		s.mu.Lock()
		s.add(epoch, op, latency, service)
		s.mu.Unlock()
		return
	}
	s.add(epoch, op, latency, service)
}

// add records into s, which the caller owns or has locked.
func (s *shard) add(epoch int64, op int, latency, service int64) {
	if epoch != s.epoch {
		s.handOver(epoch)
	}
	latency = clampNs(latency)
	s.counts.AddBucket(loghist.Coarse.Bucket(latency), 1) // s.counts is loghist.Coarse
	recordInto(s.byOp, op, latency)
	if s.svcByOp != nil {
		recordInto(s.svcByOp, op, clampNs(service))
	}
}

// handOver moves the shard's interval counts into the slot of the epoch
// they were recorded in, as the controller stands at epoch now, and labels
// the shard's next counts with now. Counts more than one epoch old (the
// shard's worker spent a tick or more in one operation) go to the epoch
// just ended, whose slot the timeline has not taken yet: they are reported
// late rather than lost. The caller holds s.mu when the recorder is shared.
func (s *shard) handOver(now int64) {
	s.slots[max(s.epoch, now-1)&1].AddCounts(&s.counts)
	s.counts.Reset()
	s.epoch = now
}

// handOverPaused hands the shard's counts over when its worker pauses or
// leaves, so that they are not held back until its next operation.
func (r *recorder) handOverPaused(s *shard, now int64) {
	if r.shared {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.handOver(now)
}

// recordInto records v in hs[op], creating it on the kind's first
// operation.
func recordInto(hs []*hdr.Histogram, op int, v int64) {
	h := hs[op]
	if h == nil {
		h = newHist()
		hs[op] = h
	}
	h.RecordValue(v)
}

// takeInterval empties every shard's slot of epoch into into, after
// resetting it.
func (r *recorder) takeInterval(epoch int64, into *loghist.Histogram) {
	into.Reset()
	for i := range r.shards {
		r.shards[i].slots[epoch&1].TakeInto(into)
	}
}

// merged returns the per-op and overall latency (and service-time)
// summaries, keyed by op name and "all". Call after the workers stopped.
func (r *recorder) merged(opName func(int) string) (lat, svc map[string]results.Latency) {
	byOp := make([]*hdr.Histogram, r.nOps)
	var svcByOp []*hdr.Histogram
	for i := range r.shards {
		s := &r.shards[i]
		mergeByOp(byOp, s.byOp)
		if s.svcByOp != nil {
			if svcByOp == nil {
				svcByOp = make([]*hdr.Histogram, r.nOps)
			}
			mergeByOp(svcByOp, s.svcByOp)
		}
	}
	lat = summarizeByOp(byOp, opName)
	if svcByOp != nil {
		svc = summarizeByOp(svcByOp, opName)
	}
	return lat, svc
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

// summarizeByOp summarises "all" (every op merged, with its spectrum) and
// every op that recorded something.
func summarizeByOp(byOp []*hdr.Histogram, opName func(int) string) map[string]results.Latency {
	all := newHist()
	out := map[string]results.Latency{}
	for op, h := range byOp {
		if h != nil && h.TotalCount() > 0 {
			all.Merge(h)
			out[opName(op)] = summarize(h, false)
		}
	}
	out["all"] = summarize(all, true)
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
			// more samples than we have. The margin keeps rounding
			// (10 × (1 − 0.9) = 0.99…98) from dropping a percentile the
			// samples just reach.
			if p > 0 && p < 100 && float64(n)*(1-p/100) < 1-1e-9 {
				continue
			}
			l.Spectrum = append(l.Spectrum, results.SpectrumPoint{Percentile: p, ValueNs: h.ValueAtQuantile(p)})
		}
	}
	return l
}
