package workload

// The embedded workloads and suites name the built-in targets, so the
// package that parses them links them: a workload names the context target
// by default, and it must resolve in every program that parses one.
import (
	_ "lockbench/ctxtarget"
	_ "lockbench/impl/kv/kvtarget"
)
