// Package ctxsys specifies the context system that lockbench measures: a
// Manager of context states and their recovery points, Trackers that hold one
// client's view of a context, and an Adapter that bridges protocol clients to
// the Manager. All three share one persistence layer (a store.Store).
//
// The package holds only the contract: types, interfaces, sentinel errors,
// configuration with documented defaults and an injectable Clock. The lock
// strategies that implement it live under lockbench/impl; every strategy must
// pass the conformance suite in lockbench/impl/impltest, which is the
// executable form of the rules written here.
//
// # Blocking calls
//
// The Rust original had await points; in Go they are blocking calls: store
// I/O, and calls into another component that do store I/O. Every method takes
// a context.Context first. The context carries the caller's lock trace (see
// lockbench/lock) so lock hold time across store I/O can be attributed; it is
// also honoured for cancellation by stores that can block.
//
// # Errors
//
// Failures are reported with the sentinel errors below, matched with
// errors.Is. A store failure is wrapped so that both errors.Is(err,
// ErrStore) and errors.Is(err, <the store's own error>) hold. Whether an
// operation that returned an error took effect is part of each strategy's
// contract: naive and sharded change nothing on a failed store write;
// refactored may already have changed memory (one of the gaps the harness
// exposes).
package ctxsys
