package runner

import (
	"slices"
	"sync"
	"testing"
)

// TestSpectrumStopsAtTheSamples: the percentile spectrum goes as far into
// the tail as the samples reach — a percentile p needs n·(1−p/100) ≥ 1
// samples above it — and always ends with the max (100).
func TestSpectrumStopsAtTheSamples(t *testing.T) {
	for n, want := range map[int64][]float64{
		10:   {0, 10, 25, 50, 75, 90, 100},
		100:  {0, 10, 25, 50, 75, 90, 95, 99, 100},
		1000: {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100},
	} {
		h := newHist()
		for i := range n {
			h.RecordValue((i + 1) * 1000)
		}
		l := summarize(h, true)
		var got []float64
		for _, p := range l.Spectrum {
			got = append(got, p.Percentile)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d samples: spectrum at %v, want %v", n, got, want)
		}
		if last := l.Spectrum[len(l.Spectrum)-1]; last.ValueNs != l.MaxNs || l.Count != n {
			t.Errorf("%d samples: spectrum ends at %d, max %d, count %d", n, last.ValueNs, l.MaxNs, l.Count)
		}
	}
}

// TestServiceTimeOpenLoopOnly: an open loop records the service time
// beside the latency (from the due time), merged over the workers' shards;
// a closed loop, whose latency is its service time, has none.
func TestServiceTimeOpenLoopOnly(t *testing.T) {
	name := func(int) string { return "op" }
	open := newRecorder(2, 1, true)
	open.record(0, 0, 5_000_000, 2_000_000)
	open.record(1, 0, 7_000_000, 3_000_000)
	lat, svc := open.merged(name)
	if lat["all"].Count != 2 || svc["all"].Count != 2 || svc["op"].Count != 2 {
		t.Fatalf("open loop: %d latencies, %d service times", lat["all"].Count, svc["all"].Count)
	}
	if l, s := lat["all"].MaxNs, svc["all"].MaxNs; l < 6_900_000 || s < 2_900_000 || s > 3_100_000 {
		t.Errorf("open loop: max latency %d, max service time %d; want 7 ms and 3 ms", l, s)
	}
	closed := newRecorder(2, 1, false)
	closed.record(0, 0, 5_000_000, 5_000_000)
	if _, svc := closed.merged(name); svc != nil {
		t.Errorf("closed loop with service times %v", svc)
	}
}

// TestRecorderMergesEveryShard: each operation lands once in its kind's
// summary and once in "all", whichever shard its worker recorded into;
// a kind no operation had is left out.
func TestRecorderMergesEveryShard(t *testing.T) {
	names := []string{"get", "put", "delete"}
	rec := newRecorder(3, len(names), false)
	for w, op := range []int{0, 1, 0, 1, 0, 0} { // workers 0–5 into shards 0, 1, 2, 0, 1, 2
		rec.record(w, op, int64(w+1)*1_000_000, 0)
	}
	lat, _ := rec.merged(func(op int) string { return names[op] })
	if len(lat) != 3 || lat["get"].Count != 4 || lat["put"].Count != 2 || lat["all"].Count != 6 {
		t.Fatalf("merged counts %v", lat)
	}
	// Two significant digits: values within 1%.
	if got := lat["put"]; !within1(got.MinNs, 2_000_000) || !within1(got.MaxNs, 4_000_000) {
		t.Errorf("put latencies from %d to %d ns, want 2 ms to 4 ms", got.MinNs, got.MaxNs)
	}
	if all := lat["all"]; !within1(all.MinNs, 1_000_000) || !within1(all.MaxNs, 6_000_000) || len(all.Spectrum) == 0 || len(lat["get"].Spectrum) != 0 {
		t.Errorf("all: %d to %d ns, spectrum %v; get's spectrum %v", all.MinNs, all.MaxNs, all.Spectrum, lat["get"].Spectrum)
	}
}

// TestSharedShardsLoseNothing: beyond maxShards workers share shards, and
// concurrent records into one shard must all count.
func TestSharedShardsLoseNothing(t *testing.T) {
	const workers, each = 4 * maxShards, 2000
	rec := newRecorder(workers, 1, true)
	if !rec.shared || len(rec.shards) != maxShards {
		t.Fatalf("%d workers: %d shards, shared %v", workers, len(rec.shards), rec.shared)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				rec.record(w, 0, int64(i+1)*1000, int64(i+1)*500)
			}
		})
	}
	wg.Wait()
	lat, svc := rec.merged(func(int) string { return "op" })
	if lat["all"].Count != workers*each || svc["all"].Count != workers*each {
		t.Errorf("%d latencies and %d service times recorded, want %d", lat["all"].Count, svc["all"].Count, workers*each)
	}
	if own := newRecorder(maxShards, 1, false); own.shared {
		t.Errorf("%d workers share shards: each should own one", maxShards)
	}
}

// TestSummarizeFigures: the summary of a known set of latencies.
func TestSummarizeFigures(t *testing.T) {
	if l := summarize(newHist(), true); l.Count != 0 || l.Spectrum != nil {
		t.Errorf("no samples: %+v, want the zero summary", l)
	}
	h := newHist()
	for _, v := range []int64{1000, 1000, 3000, 3000} {
		h.RecordValue(v)
	}
	l := summarize(h, false)
	if l.Count != 4 || !within1(int64(l.MeanNs), 2000) || !within1(int64(l.StddevNs), 1000) || !within1(l.MinNs, 1000) || !within1(l.MaxNs, 3000) || l.Spectrum != nil {
		t.Errorf("summary %+v, want 4 samples, mean 2000, stddev 1000, 1000 to 3000", l)
	}
	one := newHist()
	one.RecordValue(5000)
	if l := summarize(one, false); l.StddevNs != 0 || l.Count != 1 {
		t.Errorf("one sample: stddev %v", l.StddevNs)
	}
}

// within1 says whether got is within the histograms' 1% of want.
func within1(got, want int64) bool { return got >= want*99/100 && got <= want*101/100 }
