// Package target defines what lockbench measures: a target is a system under
// test — its operations, its lock strategies and, optionally, a consistency
// check — and this package is the registry of targets and the interface the
// runner drives every target through.
//
// The context system (manager, tracker, adapter; package lockbench/ctxsys,
// strategies under lockbench/impl) is the built-in target "context",
// registered by lockbench/ctxtarget; a workload that names no target runs
// against it. Any other concurrent Go type can be a target too.
//
// # Implementing a target
//
// A target is a value of type Target registered under a name of its own:
//
//	func init() {
//		target.MustRegister(target.Target{
//			Name: "cache",
//			Ops: []target.OpSpec{
//				{Name: "cache.get", Keyed: true},
//				{Name: "cache.put", Keyed: true, Writes: true, Creates: true},
//			},
//			Strategies: target.List(
//				target.Strategy{Name: "mutex", New: newMutexCache},
//				target.Strategy{Name: "rwmutex", New: newRWMutexCache},
//			),
//		})
//	}
//
// Op(i) is Ops[i]: an operation is the index of its spec, so the runner keeps
// its per-operation tables (executors, histograms) as slices indexed by Op.
// Operation names are qualified, "component.method", and are what a
// workload's mix names:
//
//	target: cache
//	mix: {cache.get: 90, cache.put: 10}
//
// A strategy's New builds one fresh system per run from Deps: the store (wrapped
// by the runner so store I/O is traced), the instrumented lock set the system
// must take all its locks from (lock.Set.Mutex, lock.Set.RWMutex: this is how
// wait, hold and held-across-I/O times are measured), and the workload's
// configuration. The system returns one Client per worker; the runner calls
// Client.Do(ctx, op, key) from that worker's goroutine only, with a ctx that
// carries the worker's lock trace — pass it to every lock and store call.
// An error returned by Do is a failed operation, counted by Target.ErrorKind;
// it does not stop the run.
//
// # Optional capabilities
//
// Found by type assertion, in the style of io.WriterTo:
//
//   - a System that is a Preloader creates the workload's preloaded keys
//     before warm-up;
//   - a Client that is an Observer is told, after each Do, the operation's
//     call and return times on the run's clock (Deps.Now), so it can record
//     a history;
//   - a System that is a Checker checks its state and the recorded history
//     when the run is quiescent (no operation in flight) and returns the
//     anomalies it found and a linearizability verdict (porcupine's
//     Ok/Illegal/Unknown as "ok", "illegal", "unknown").
//
// A target without a Checker is measured all the same; its runs say
// "checked": false.
//
// # Errors
//
// Register returns an error for an empty or taken name, no operations, an
// operation without a qualified name or named twice, and a nil Strategies;
// Lookup of a name nobody registered matches ErrUnknown, as does
// Target.Op and Target.Strategy for names the target does not have.
package target
