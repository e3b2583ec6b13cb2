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
