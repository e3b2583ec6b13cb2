package verdict

import (
	"math"

	"lockbench/analysis"
)

// JSON is the --format json output. Figures that are not finite (an
// unbounded confidence interval, a ratio over zero) are null: JSON has no
// infinity.
type JSON struct {
	Old        string   `json:"old"`
	New        string   `json:"new"`
	Pairs      []Pair   `json:"pairs,omitempty"`
	Threshold  float64  `json:"threshold"`
	Alpha      float64  `json:"alpha"`
	Correction string   `json:"correction"`
	Tests      int      `json:"tests"`
	Gate       GateJSON `json:"gate"`
	// Correctness comes first, as in every other format.
	Correctness            []CorrectnessJSON `json:"correctness"`
	Metrics                []MetricJSON      `json:"metrics"`
	OnlyOld                []string          `json:"only_old"`
	OnlyNew                []string          `json:"only_new"`
	CorrectnessRegressions int               `json:"correctness_regressions"`
	Regressions            int               `json:"regressions"`
	Inconclusive           int               `json:"inconclusive"`
}

// GateJSON is the outcome of --fail-on-regression on this comparison.
type GateJSON struct {
	Pass              bool     `json:"pass"`
	AllowInconclusive bool     `json:"allow_inconclusive"`
	Reasons           []string `json:"reasons"`
}

// CorrectnessJSON is one cell's consistency verdict.
type CorrectnessJSON struct {
	CellJSON
	Old           SideJSON `json:"old"`
	New           SideJSON `json:"new"`
	Verdict       string   `json:"verdict"`
	NewKinds      []string `json:"new_kinds"`
	TurnedIllegal bool     `json:"turned_illegal"`
}

// SideJSON is one side's consistency record.
type SideJSON struct {
	Runs         int              `json:"runs"`
	Checked      int              `json:"checked"`
	Anomalies    map[string]int64 `json:"anomalies"`
	Linearizable map[string]int   `json:"linearizable"`
}

// CellJSON names a compared cell; NewStrategy is set when mapped.
type CellJSON struct {
	Workload    string `json:"workload"`
	Concurrency int    `json:"concurrency"`
	Strategy    string `json:"strategy"`
	NewStrategy string `json:"new_strategy,omitempty"`
}

// MetricJSON is every cell of one metric.
type MetricJSON struct {
	Name         string      `json:"name"`
	Unit         string      `json:"unit"`
	Better       int         `json:"better"`
	GeomeanRatio *float64    `json:"geomean_ratio"`
	Cells        []DeltaJSON `json:"cells"`
}

// DeltaJSON is one metric on one cell.
type DeltaJSON struct {
	CellJSON
	Old         SummaryJSON `json:"old"`
	New         SummaryJSON `json:"new"`
	Ratio       *float64    `json:"ratio"`
	P           *float64    `json:"p"`
	PAdjusted   *float64    `json:"p_adjusted"`
	Significant bool        `json:"significant"`
	Verdict     string      `json:"verdict"`
	NeededReps  int         `json:"needed_reps,omitempty"`
}

// SummaryJSON is one side's median and its 95% confidence interval.
type SummaryJSON struct {
	Center *float64 `json:"center"`
	Lo     *float64 `json:"lo"`
	Hi     *float64 `json:"hi"`
	N      int      `json:"n"`
}

// Correction names the adjustment for many tests.
const Correction = "benjamini-hochberg"

// JSON returns the comparison as plain data for encoding/json.
func (c *Comparison) JSON(allowInconclusive bool) JSON {
	g := c.Gate(allowInconclusive)
	out := JSON{
		Old: c.OldName, New: c.NewName, Pairs: c.Map, Threshold: c.Threshold, Alpha: analysis.Alpha,
		Correction: Correction, Tests: c.Tests(),
		Gate:                   GateJSON{Pass: g.Pass, AllowInconclusive: allowInconclusive, Reasons: append([]string{}, g.Reasons...)},
		Correctness:            []CorrectnessJSON{},
		OnlyOld:                cellNames(c.OnlyOld),
		OnlyNew:                cellNames(c.OnlyNew),
		CorrectnessRegressions: len(c.CorrectnessRegressions()),
		Regressions:            len(c.WithVerdict(Regression)),
		Inconclusive:           len(c.WithVerdict(Inconclusive)),
	}
	for _, k := range c.Correctness {
		out.Correctness = append(out.Correctness, CorrectnessJSON{
			CellJSON: cellJSON(k.Cell), Old: sideJSON(k.Old), New: sideJSON(k.New),
			Verdict: k.Verdict, NewKinds: append([]string{}, k.NewKinds...), TurnedIllegal: k.TurnedIllegal,
		})
	}
	for _, m := range c.Metrics {
		ds := c.ByMetric(m.Name)
		_, _, ratio := GeoMeans(ds)
		mj := MetricJSON{Name: m.Name, Unit: m.Unit, Better: m.Better, GeomeanRatio: finitePtr(ratio), Cells: []DeltaJSON{}}
		for _, d := range ds {
			mj.Cells = append(mj.Cells, DeltaJSON{
				CellJSON: cellJSON(d.Cell), Old: summaryJSON(d.Old), New: summaryJSON(d.New),
				Ratio: finitePtr(d.Ratio), P: finitePtr(d.P), PAdjusted: finitePtr(d.PAdjusted),
				Significant: d.PAdjusted < analysis.Alpha, Verdict: d.Verdict, NeededReps: d.NeededReps,
			})
		}
		out.Metrics = append(out.Metrics, mj)
	}
	return out
}

func cellJSON(c Cell) CellJSON {
	j := CellJSON{Workload: c.Old.Workload, Concurrency: c.Old.Concurrency, Strategy: c.Old.Strategy}
	if c.Mapped() {
		j.NewStrategy = c.New.Strategy
	}
	return j
}

func sideJSON(s Side) SideJSON {
	return SideJSON{Runs: s.Runs, Checked: s.Checked, Anomalies: s.Anomalies, Linearizable: s.Linearizable}
}

func summaryJSON(s analysis.Summary) SummaryJSON {
	return SummaryJSON{Center: finitePtr(s.Center), Lo: finitePtr(s.Lo), Hi: finitePtr(s.Hi), N: s.N}
}

func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func cellNames(keys []analysis.CellKey) []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.String()
	}
	return names
}
