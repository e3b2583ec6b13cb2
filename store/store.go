// Package store is the persistence layer shared by the three components of a
// context system: a small key/value interface and its backends, chosen by a
// spec string (see Open):
//
//	sim:latency=1ms,dist=uniform,jitter=200us,errors=0.01,spike=0.001:50ms,pool=8
//	file:dir=PATH,fsync=true
//	bolt:path=FILE
//
// Open parses such a spec (ParseSpec; Spec.String gives its canonical
// form) and opens the store; Kinds describes the kinds and their options.
// A Spec is text in YAML, JSON and flags (it implements
// encoding.TextUnmarshaler and TextMarshaler), so a field or flag of type
// Spec is parsed where it is read, once, and written in canonical form.
// Each kind is one file (its Config, parser and KindInfo) and one entry in
// the table of kinds in spec.go. CheckPath and OpenFresh handle the paths
// of file and bolt stores (path.go). Instrument wraps any store with what a
// run needs around every call: held_io for the locks the caller holds,
// hooks for tests, and the store figures (calls, failures, in-flight peak,
// realised latency). The sim store's delays come from timing.Delay, whose
// median is the requested delay to within a percent (cmd/simlat measures
// it). Every backend is safe for concurrent use and passes the conformance
// suite in lockbench/store/storetest.
package store

import (
	"context"
	"errors"
)

// Store is a key/value store. Values are opaque bytes; implementations copy
// what they are given and what they return.
type Store interface {
	// Put writes value under key, replacing any previous value.
	Put(ctx context.Context, key string, value []byte) error
	// Get returns the value of key, or an error matching ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes key. Deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// List returns the keys starting with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// Close releases the store's resources.
	Close() error
}

// Sentinel errors.
var (
	// ErrNotFound: Get of an absent key.
	ErrNotFound = errors.New("store: key not found")
	// ErrInjected: a failure injected by the sim store (errors=…).
	ErrInjected = errors.New("store: injected failure")
	// ErrSpec: a malformed store spec string.
	ErrSpec = errors.New("store: bad spec")
)

// Stats are a store's figures since it was made or last reset. The
// Instrumented wrapper measures the calls, failures, in-flight peak and
// realised latency of any store; a backend reports what only it knows
// (ErrorsInjected, ConfiguredLatencyNs) through StatsReporter.
type Stats struct {
	Ops             int64 // calls of Put, Get, Delete and List that returned
	Errors          int64 // calls that returned an error other than ErrNotFound
	InflightMax     int64 // peak number of calls in flight at once
	LatencyMeanNs   int64 // realised latency of calls, mean (from the sum of every call)
	LatencyStddevNs int64 // realised latency of calls, standard deviation
	LatencyP50Ns    int64 // realised latency of calls, median
	LatencyP99Ns    int64 // realised latency of calls, 99th percentile
	ErrorsInjected  int64 // failures injected (sim only)
	// ConfiguredLatencyNs is the mean of the configured delay, spikes
	// included (sim only, SimConfig.MeanLatency), so a report can show
	// the realised mean beside it.
	ConfiguredLatencyNs int64
}

// StatsReporter is the optional capability of reporting Stats.
type StatsReporter interface{ Stats() Stats }

// StatsResetter is the optional capability of zeroing Stats, so a runner
// can discard the figures of its warm-up.
type StatsResetter interface{ ResetStats() }

// Hook is called around every store call by an Instrumented store (see
// Hooks); tests use it to force interleavings (block a call until another
// goroutine reaches a point) without sleeping.
type Hook func(ctx context.Context, op, key string)
