// Package workload decodes, validates and generates lockbench's workloads:
// what concurrent clients do to a system under test during a run.
//
// A workload is a YAML file decoded strictly (an unknown or misspelt field
// is an error naming it and its line; a file over 1 MiB, or with values
// nested more than 16 levels, is refused before it is walked):
//
//	name: same-context-update          # required, [a-z0-9-]
//	description: every client updates one context
//	target: context                    # the system under test (default context)
//	mix: {manager.update: 90, manager.get: 10}
//	keys: 1
//	preload: 1
//	distribution: uniform
//	concurrency: [1, 4, 16, 64, 256]
//	duration: 2s
//	config: {max_contexts: 100000, max_recovery_points: 10, ttl: 1h}
//
// The mix names operations of the target (see lockbench/target): a name
// the target does not have is an error listing the ones it has, and the
// target's operation flags (keyed, creates, needs an existing key) drive
// the key generator and the checks below.
//
// Embedded defaults live in lockbench/workloads and are loaded by name;
// a path to a user's file works wherever a name does (Load). Suites group
// embedded workloads with overrides (Suites, LookupSuite).
//
// # Defaults
//
// An absent field takes its default: duration 2s (but none when ops is
// given: the run ends after ops operations), warmup 500ms, count 3,
// arrival closed, interarrival poisson, think_time 0, trackers per-client,
// store sim:latency=1ms, distribution uniform, keys 1, preload 0,
// concurrency [1, 4, 16, 64], config max_contexts 100000,
// max_recovery_points 10, ttl 1h, sync_interval 1m, auto_recovery false,
// seed 1. zipf_s defaults to 1.1 and hot_fraction / hot_probability to
// 0.2 / 0.8 when their distribution is chosen. An explicit zero is not
// "default": "count: 0" is an error.
//
// # Validation
//
// Errors match ErrInvalid, are one line, and name the source, line and
// field. The store field is a store.Spec, parsed by the store package as
// the file is decoded; its errors match store.ErrSpec too. Beyond types
// and ranges (see the Max… constants: a billion
// workers or a 100-year duration is bad input, not a big experiment),
// Parse rejects combinations that cannot mean what they say:
//
//   - rate without arrival open, arrival open without a rate, think_time
//     with arrival open;
//   - a distribution's parameters without that distribution (zipf_s with
//     uniform);
//   - distribution unique with an operation that needs an existing key
//     (get, update, delete, recovery points, activate): unique never
//     repeats a key, so only creates and key-less operations make sense;
//   - preload 0 with no create in the mix but an operation that needs a
//     context: every such operation would only find none;
//   - preload above keys or above config.max_contexts;
//   - weights that are negative, not finite, or sum to zero.
//
// # Keys and generators
//
// Keys are context ids ContextID(i) = "c%06d" of the key index; preload
// creates ContextID(0) … ContextID(preload-1). A Generator draws each
// worker's operations deterministically from (seed, worker), see its doc
// for the distributions.
package workload
