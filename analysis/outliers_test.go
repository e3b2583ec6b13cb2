package analysis

import (
	"slices"
	"testing"
)

func TestCellOutliers(t *testing.T) {
	tests := []struct {
		name         string
		tputs        []float64
		mild, severe []int
	}{
		// Quartiles (medians of each half) 1000 and 1030, IQR 30: mild
		// fences 955–1075, severe 910–1120.
		{"one mild one severe", []float64{1000, 1010, 930, 1020, 1030, 1200}, []int{2}, []int{5}},
		{"low severe", []float64{500, 1000, 1010, 1020, 1030, 1040}, nil, []int{0}},
		{"none", []float64{1000, 1010, 1020, 1030, 1040, 1050}, nil, nil},
		// Tightly agreeing repetitions: 0.5% off is beyond the fences of
		// an IQR of 1, but within the 1% floor.
		{"within the floor", []float64{1000, 1000, 1001, 1001, 1000, 1005}, nil, nil},
		// The floor is inclusive: exactly 1% off the median is within it,
		// a little more is not (the IQR is 0, so severe).
		{"at the floor", []float64{1000, 1000, 1000, 1000, 1000, 1010}, nil, nil},
		{"just past the floor", []float64{1000, 1000, 1000, 1000, 1000, 1010.01}, nil, []int{5}},
		{"too few to classify", []float64{1000, 1010, 5000}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := CellOutliers(cellRuns("w", 4, "s", tc.tputs...))
			if o.N != len(tc.tputs) {
				t.Errorf("N = %d, want %d", o.N, len(tc.tputs))
			}
			if !slices.Equal(o.Mild, tc.mild) || !slices.Equal(o.Severe, tc.severe) {
				t.Errorf("mild %v severe %v, want mild %v severe %v", o.Mild, o.Severe, tc.mild, tc.severe)
			}
		})
	}
}

func TestOutliersWarning(t *testing.T) {
	f := file(cellRuns("w", 4, "s", 1000, 1010, 930, 1020, 1030, 1200))
	var msgs []string
	for _, w := range Warnings(f) {
		if w.Kind == KindOutliers {
			msgs = append(msgs, w.Message)
		}
	}
	want := "2 of 6 repetitions outliers (1 mild, 1 severe) beyond Tukey's fences on throughput: repetitions 5 (severe), 2 (mild)"
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("outlier warnings %q, want [%q]", msgs, want)
	}
}

func TestMinP(t *testing.T) {
	// 2/C(n1+n2, n1) for two separated samples without ties.
	tests := []struct {
		n    int
		want float64
	}{{3, 0.1}, {4, 2.0 / 70}, {6, 2.0 / 924}}
	for _, tc := range tests {
		if got := MinP(tc.n, tc.n); !near(got, tc.want, 1e-3, 0) {
			t.Errorf("MinP(%d, %d) = %g, want %g", tc.n, tc.n, got, tc.want)
		}
	}
	if got := RepsToReachAlpha(); got != 4 {
		t.Errorf("RepsToReachAlpha() = %d, want 4", got)
	}
}
