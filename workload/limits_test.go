package workload_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"lockbench/workload"
)

// TestLimitsExact pins every documented limit from both sides: the limit
// itself is accepted, the next value past it refused, naming the field.
func TestLimitsExact(t *testing.T) {
	levels := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "%d,", i+1)
		}
		return "concurrency: [" + strings.TrimSuffix(b.String(), ",") + "]\n"
	}
	const base = "mix: {manager.update: 1}\n"
	tests := []struct {
		name     string
		ok, bad  string // whole specs
		badField string
	}{
		{"name length",
			"name: " + strings.Repeat("n", workload.MaxNameLength) + "\n" + base + "preload: 1\n",
			"name: " + strings.Repeat("n", workload.MaxNameLength+1) + "\n" + base + "preload: 1\n", "name"},
		{"description length",
			minimal + "description: " + strings.Repeat("d", workload.MaxTextLength) + "\n",
			minimal + "description: " + strings.Repeat("d", workload.MaxTextLength+1) + "\n", "description"},
		{"weight",
			"name: t\npreload: 1\nmix: {manager.update: 1e9}\n",
			"name: t\npreload: 1\nmix: {manager.update: 1000000001}\n", "mix.manager.update"},
		{"keys",
			minimal + "keys: 10000000\n", minimal + "keys: 10000001\n", "keys"},
		{"preload up to keys",
			"name: t\n" + base + "keys: 5\npreload: 5\n", "name: t\n" + base + "keys: 5\npreload: 6\n", "preload"},
		{"preload up to max_contexts",
			"name: t\n" + base + "keys: 5\npreload: 5\nconfig: {max_contexts: 5}\n",
			"name: t\n" + base + "keys: 5\npreload: 5\nconfig: {max_contexts: 4}\n", "preload"},
		{"negative preload",
			"name: t\nmix: {manager.create: 1}\npreload: 0\n", "name: t\nmix: {manager.create: 1}\npreload: -1\n", "preload"},
		{"zipf exponent",
			minimal + "distribution: zipf\nzipf_s: 10\n", minimal + "distribution: zipf\nzipf_s: 10.01\n", "zipf_s"},
		{"zipf exponent above 1",
			minimal + "distribution: zipf\nzipf_s: 1.01\n", minimal + "distribution: zipf\nzipf_s: 0.99\n", "zipf_s"},
		{"hot fraction",
			minimal + "distribution: hotspot\nhot_fraction: 1\n", minimal + "distribution: hotspot\nhot_fraction: 1.01\n", "hot_fraction"},
		{"hot fraction above 0",
			minimal + "distribution: hotspot\nhot_fraction: 0.01\n", minimal + "distribution: hotspot\nhot_fraction: -0.01\n", "hot_fraction"},
		{"hot probability",
			minimal + "distribution: hotspot\nhot_probability: 1\n", minimal + "distribution: hotspot\nhot_probability: 1.01\n", "hot_probability"},
		{"hot probability above 0",
			minimal + "distribution: hotspot\nhot_probability: 0.01\n", minimal + "distribution: hotspot\nhot_probability: -0.01\n", "hot_probability"},
		{"hot fraction without hotspot",
			minimal + "distribution: zipf\n", minimal + "distribution: zipf\nhot_fraction: 0.5\n", "hot_fraction"},
		{"workers",
			minimal + "concurrency: [1, 200000]\n", minimal + "concurrency: [1, 200001]\n", "concurrency[1]"},
		{"sweep levels",
			minimal + levels(workload.MaxSweep), minimal + levels(workload.MaxSweep+1), "concurrency"},
		{"duration",
			minimal + "duration: 24h\n", minimal + "duration: 24h0m0.001s\n", "duration"},
		{"ops",
			minimal + "ops: 10000000000\n", minimal + "ops: 10000000001\n", "ops"},
		{"ops alone",
			minimal + "ops: 1\nduration: 0s\n", minimal + "ops: 0\nduration: 0s\n", "duration"},
		{"warm-up",
			minimal + "warmup: 24h\n", minimal + "warmup: 24h0m0.001s\n", "warmup"},
		{"count",
			minimal + "count: 1000\n", minimal + "count: 1001\n", "count"},
		{"count at least 1",
			minimal + "count: 1\n", minimal + "count: 0\n", "count"},
		{"highest rate",
			minimal + "arrival: open\nrate: 10000000\n", minimal + "arrival: open\nrate: 10000001\n", "rate"},
		{"lowest rate",
			minimal + "arrival: open\nrate: 0.001\n", minimal + "arrival: open\nrate: 0.0009\n", "rate"},
		{"think time",
			minimal + "think_time: 1h\n", minimal + "think_time: 1h0m0.001s\n", "think_time"},
		{"negative think time",
			minimal + "think_time: 0s\n", minimal + "think_time: -1ns\n", "think_time"},
		{"max_contexts",
			minimal + "config: {max_contexts: 100000000}\n", minimal + "config: {max_contexts: 100000001}\n", "config.max_contexts"},
		{"max_contexts at least 1",
			minimal + "config: {max_contexts: 1}\n", minimal + "config: {max_contexts: 0}\n", "config.max_contexts"},
		{"max_recovery_points",
			minimal + "config: {max_recovery_points: 1000000}\n", minimal + "config: {max_recovery_points: 1000001}\n", "config.max_recovery_points"},
		{"max_recovery_points at least 1",
			minimal + "config: {max_recovery_points: 1}\n", minimal + "config: {max_recovery_points: 0}\n", "config.max_recovery_points"},
		{"ttl",
			minimal + "config: {ttl: 1ns}\n", minimal + "config: {ttl: -1ns}\n", "config.ttl"},
		{"sync_interval",
			minimal + "config: {sync_interval: 1ns}\n", minimal + "config: {sync_interval: 0s}\n", "config.sync_interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := workload.Parse([]byte(tt.ok), "ok.yaml"); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			_, err := workload.Parse([]byte(tt.bad), "bad.yaml")
			var werr *workload.Error
			if !errors.As(err, &werr) || werr.Field != tt.badField {
				t.Errorf("past the limit: error %v, want one on %s", err, tt.badField)
			}
		})
	}
}
