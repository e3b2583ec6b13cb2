// Package impltest is the conformance suite of lock strategies: the
// executable form of the contract written in lockbench/ctxsys and
// ../STRATEGIES.md. Every strategy must pass it:
//
//	func TestConformance(t *testing.T) {
//		s, _ := impl.Lookup("mine")
//		impltest.Run(t, s, impltest.Options{MemoryUnchangedOnStoreFailure: true})
//	}
//
// RunAll runs it against every registered strategy with DefaultOptions.
//
// The suite checks the single-threaded semantics of every operation of the
// Manager, Tracker and Adapter (errors, limits, the version rule, recovery
// point trimming, ttl cleanup with a fake clock, the tracker → manager and
// adapter → manager bridges, copies in and out), what a failed store write
// leaves behind, and, after every single operation, that no lock is left
// held and that the store holds exactly what the Manager holds in memory.
// One concurrent check, the peak number of store writes in flight while
// creates of distinct ids run at once, is compared with the strategy's
// Options.StoreWrites.
//
// Interleavings are forced without sleeping: a test blocks store calls at a
// gate and waits, with AwaitParked, until the goroutines it started are
// parked (on a lock, a channel or a semaphore) before it releases them.
package impltest
