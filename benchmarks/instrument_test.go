package benchmarks

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/montanaflynn/stats"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/workload"
)

// zeroLatencyStore is the store of the instrumentation benchmark: no delay,
// so the locks and their instrumentation are as large a part of each
// operation as they can be.
const zeroLatencyStore = "memory"

// instrumentPairs is how many pairs of chunks, off and on, a trial of
// BenchmarkInstrumentation alternates between.
const instrumentPairs = 20

// Units of BenchmarkInstrumentation.
const (
	unitOffNs       = "off-ns/op"      // wall time per operation, instrumentation off
	unitOverhead    = "overhead-%"     // median over the pairs of on/off - 1, wall time
	unitCPUOverhead = "cpu-overhead-%" // the same over process CPU time
)

// BenchmarkInstrumentation measures what lock instrumentation costs: the
// read-write workload (80% manager.get, 20% manager.update over 1024 zipf
// keys) on a zero-latency store, with instrumentation off — plain sync locks,
// no trace — and on, as the runner runs: lock.NewSet(true) and a lock.Trace
// per client, so held_io and per-operation lock wait are recorded too.
// Operations are not timed one by one here (the clock reads would hide part
// of the difference).
//
// Each cell builds the system twice, off and on, and a trial alternates
// between them: instrumentPairs pairs of chunks of b.N/instrumentPairs
// operations each, the pairs' order alternating (off then on, on then off)
// so that neither side always runs second. On a shared or virtual machine
// speed moves by tens of percent from one second to the next — more than
// the cost measured — so two benchmarks run seconds apart cannot tell it;
// two chunks run milliseconds apart can. overhead-% is the median over the
// pairs of the on chunk's wall time over the off chunk's, minus 1;
// cpu-overhead-% the same over process CPU time. ns/op is the instrumented
// side's; off-ns/op the other's.
func BenchmarkInstrumentation(b *testing.B) {
	spec, err := workload.Load("read-write")
	if err != nil {
		b.Fatal(err)
	}
	calls := newOpTable()
	for _, ob := range managerOps {
		if ob.op == ctxsys.ManagerGet || ob.op == ctxsys.ManagerUpdate {
			calls[ob.op] = ob.call
		}
	}
	for _, op := range spec.OpKinds() {
		if calls[op] == nil {
			b.Fatalf("%s: no call for %s", spec.Name, spec.OpName(op))
		}
	}
	concs := []int{runtime.GOMAXPROCS(0), 16}
	slices.Sort(concs)
	for _, conc := range slices.Compact(concs) {
		for _, strategy := range impl.Names() {
			name := fmt.Sprintf("workload=%s/keys=%d/conc=%d/strategy=%s", spec.Name, spec.Keys, conc, strategy)
			s := setup{strategy: strategy, store: zeroLatencyStore, spec: spec, conc: conc, calls: calls}
			runPaired(b, name, s)
		}
	}
}

// runPaired runs one cell of BenchmarkInstrumentation: fixtures off and
// on, built on the first trial and kept for the others.
func runPaired(b *testing.B, name string, s setup) {
	var sides [2]*fixture // off, on
	b.Run(name, func(b *testing.B) {
		for i := range sides {
			if sides[i] != nil {
				continue
			}
			s.instrument = i == 1
			fx, err := newFixture(s)
			if err != nil {
				b.Fatal(err)
			}
			sides[i] = fx
		}
		pairedTrial(b, sides[0], sides[1])
	})
	for _, fx := range sides {
		if fx != nil {
			fx.close()
		}
	}
}

// pairedTrial runs b.N operations on each of off and on, in alternating
// chunks, and reports both sides and the median ratio.
func pairedTrial(b *testing.B, off, on *fixture) {
	off.sys.resetFigures()
	on.sys.resetFigures()
	pairs := min(instrumentPairs, b.N)
	var wallRatios, cpuRatios []float64
	var wall [2]time.Duration // off, on
	b.ResetTimer()
	for p := range pairs {
		n := int64(b.N / pairs)
		if p < b.N%pairs { // the remainder, one each to the first pairs
			n++
		}
		var pairWall, pairCPU [2]time.Duration
		for k := range 2 {
			side := (p + k) % 2 // 0 off, 1 on; the first of the pair alternates
			fx := off
			if side == 1 {
				fx = on
			}
			cpu0, _ := processCPU()
			t0 := time.Now()
			if err := fx.drive(n); err != nil {
				b.Fatalf("instrument=%s: %v (error kind %q)", onOff(side == 1), err, ctxsys.ErrorKind(err))
			}
			pairWall[side] = time.Since(t0)
			cpu1, _ := processCPU()
			pairCPU[side] = cpu1 - cpu0
			wall[side] += pairWall[side]
		}
		if pairWall[0] > 0 {
			wallRatios = append(wallRatios, float64(pairWall[1])/float64(pairWall[0]))
		}
		if pairCPU[0] > 0 { // none where processCPU is unknown
			cpuRatios = append(cpuRatios, float64(pairCPU[1])/float64(pairCPU[0]))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(wall[1])/float64(b.N), "ns/op")
	b.ReportMetric(float64(wall[0])/float64(b.N), unitOffNs)
	// stats.Median errs on an empty slice: a metric with no pair is left out.
	if m, err := stats.Median(wallRatios); err == nil {
		b.ReportMetric(100*(m-1), unitOverhead)
	}
	if m, err := stats.Median(cpuRatios); err == nil {
		b.ReportMetric(100*(m-1), unitCPUOverhead)
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
