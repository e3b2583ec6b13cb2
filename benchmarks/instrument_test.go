package benchmarks

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"lockbench/ctxsys"
	"lockbench/impl"
	"lockbench/workload"
)

// zeroLatencyStore is the store of the instrumentation benchmark: no delay,
// so the locks and their instrumentation are as large a part of each
// operation as they can be.
const zeroLatencyStore = "memory"

// BenchmarkInstrumentation measures what lock instrumentation costs: the
// read-write workload (80% manager.get, 20% manager.update over 1024 zipf
// keys) on a zero-latency store, with instrumentation off — plain sync locks,
// no trace — and on, as the runner runs: lock.NewSet(true) and a lock.Trace
// per client, so held_io and per-operation lock wait are recorded too.
// Operations are not timed one by one here (the clock reads would hide part
// of the difference); compare with go tool benchstat -col /instrument.
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
			for _, instrument := range []bool{false, true} {
				name := fmt.Sprintf("workload=%s/keys=%d/conc=%d/strategy=%s/instrument=%s",
					spec.Name, spec.Keys, conc, strategy, onOff(instrument))
				runSub(b, name, setup{
					strategy: strategy, store: zeroLatencyStore, instrument: instrument,
					spec: spec, conc: conc, calls: calls,
				})
			}
		}
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
