package runner

import (
	"slices"
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
