package workload_test

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"lockbench/workload"
	"lockbench/workloads"
)

// FuzzParse: Parse never panics; every error is one line matching
// ErrInvalid; an accepted spec marshalled back to YAML parses to an equal
// spec; and its generator draws keys without panicking or hanging.
func FuzzParse(f *testing.F) {
	entries, err := fs.ReadDir(workloads.FS, ".")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(workloads.FS, e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		minimal,
		minimal + "distribution: zipf\nkeys: 10\nzipf_s: 1.0001\n",
		minimal + "distribution: hotspot\nkeys: 3\nhot_fraction: 0.5\n",
		minimal + "arrival: open\nrate: 0.5\nops: 3\nduration: 0s\n",
		"name: u\nmix: {adapter.create: 1, tracker.sync: 2}\ndistribution: unique\npreload: 1\n",
		minimal + "concurrency: [1, 0]\n",
		minimal + "config: {ttl: 1ns, sync_interval: 1ns, max_contexts: 1}\n",
		"name: a\nmix: {manager.get: 1}\n",
		"- 1\n",
		"{}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := workload.Parse(data, "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, workload.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err.Error())
			}
			return
		}
		out, err := yaml.Marshal(spec)
		if err != nil {
			t.Fatalf("marshal %+v: %v", spec, err)
		}
		again, err := workload.Parse(out, "fuzz-again.yaml")
		if err != nil {
			t.Fatalf("re-marshalled spec rejected: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(spec, again) {
			t.Fatalf("round trip changed the spec:\n%+v\n%+v\n%s", spec, again, out)
		}
		tgt, err := spec.System()
		if err != nil {
			t.Fatalf("parsed spec names no target: %v", err)
		}
		g := spec.Generator(1, spec.Seed)
		for range 64 {
			op, key := g.Next()
			if int(op) >= tgt.NumOps() || tgt.Spec(op).Keyed != (key != "") {
				t.Fatalf("Next = %v %q", op, key)
			}
		}
	})
}
