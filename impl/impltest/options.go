package impltest

// Options are a strategy's expectations where the contract lets strategies
// differ.
type Options struct {
	// MemoryUnchangedOnStoreFailure: an operation whose store write failed
	// left memory (and so the store) as it was. True for naive and sharded;
	// refactored may already have changed memory when the write fails.
	MemoryUnchangedOnStoreFailure bool
	// StoreWrites is what concurrent creates of distinct ids do in the
	// store.
	StoreWrites Writes
}

// Writes is an expectation about store writes in flight at once.
type Writes int

const (
	// WritesUnchecked: no expectation (the zero value, for strategies the
	// suite does not know).
	WritesUnchecked Writes = iota
	// WritesSerial: never more than one store write in flight (naive).
	WritesSerial
	// WritesParallel: creates of distinct ids write the store in parallel.
	WritesParallel
)

func (w Writes) String() string {
	switch w {
	case WritesSerial:
		return "serial"
	case WritesParallel:
		return "parallel"
	default:
		return "unchecked"
	}
}

// DefaultOptions returns the expectations of the built-in strategy name, and
// the zero Options (the common contract only) for any other name.
func DefaultOptions(name string) Options {
	switch name {
	case "naive":
		return Options{MemoryUnchangedOnStoreFailure: true, StoreWrites: WritesSerial}
	case "refactored":
		return Options{MemoryUnchangedOnStoreFailure: false, StoreWrites: WritesParallel}
	case "sharded":
		return Options{MemoryUnchangedOnStoreFailure: true, StoreWrites: WritesParallel}
	default:
		return Options{}
	}
}
