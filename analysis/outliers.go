package analysis

import (
	"fmt"
	"math"
	"slices"

	"github.com/montanaflynn/stats"

	"lockbench/results"
)

// Outliers classifies the repetitions of one cell by Tukey's fences on
// throughput, as Criterion does: mild beyond 1.5 interquartile ranges from
// the quartiles, severe beyond 3.
type Outliers struct {
	// N is the number of repetitions classified.
	N int
	// Mild and Severe are the repetitions (results.Run.Repetition) beyond
	// each fence, ascending.
	Mild, Severe []int
}

// Count is the number of outlying repetitions.
func (o Outliers) Count() int { return len(o.Mild) + len(o.Severe) }

// String says it the way the report and the run output print it: "2 of 6
// repetitions outliers (1 mild, 1 severe)".
func (o Outliers) String() string {
	return fmt.Sprintf("%d of %d repetitions outliers (%d mild, %d severe)", o.Count(), o.N, len(o.Mild), len(o.Severe))
}

// minOutlierSamples: below 4 repetitions the quartiles are single values and
// the fences say nothing.
const minOutlierSamples = 4

// outlierFloor is the relative distance from the median within which no
// repetition is called an outlier: when the others agree to a fraction of
// a percent, the interquartile range is tiny and Tukey's fences would flag
// differences no one could act on.
const outlierFloor = 0.01

// CellOutliers classifies runs (one cell's repetitions) on throughput with
// montanaflynn/stats' QuartileOutliers. Fewer than 4 usable runs give an
// empty result with N set.
func CellOutliers(runs []results.Run) Outliers {
	var usable []results.Run
	for _, r := range runs {
		if v := Throughput.Value(r); !math.IsNaN(v) {
			usable = append(usable, r)
		}
	}
	o := Outliers{N: len(usable)}
	if len(usable) < minOutlierSamples {
		return o
	}
	tput := Values(usable, Throughput)
	found, err := stats.QuartileOutliers(tput)
	if err != nil {
		return o
	}
	median, _ := stats.Median(tput)
	for _, r := range usable {
		v := Throughput.Value(r)
		if math.Abs(v-median) <= outlierFloor*math.Abs(median) {
			continue
		}
		switch {
		case slices.Contains(found.Extreme, v):
			o.Severe = append(o.Severe, r.Repetition)
		case slices.Contains(found.Mild, v):
			o.Mild = append(o.Mild, r.Repetition)
		}
	}
	slices.Sort(o.Mild)
	slices.Sort(o.Severe)
	return o
}
