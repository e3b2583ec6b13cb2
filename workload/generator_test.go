package workload_test

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"lockbench/ctxsys"
	"lockbench/workload"
)

// specOf parses a spec from a mix and extra fields, failing the test on
// error.
func specOf(t testing.TB, mix, extra string) *workload.Spec {
	t.Helper()
	spec, err := workload.Parse([]byte("name: g\nmix: "+mix+"\n"+extra), "gen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// draw returns n keys from g, failing on an unkeyed op.
func draw(t *testing.T, g *workload.Generator, n int) []string {
	t.Helper()
	keys := make([]string, n)
	for i := range keys {
		op, key := g.Next()
		if !ctxsys.Ops[op].Keyed || key == "" {
			t.Fatalf("draw %d: op %v key %q", i, op, key)
		}
		keys[i] = key
	}
	return keys
}

// index returns the key index of a context id.
func index(t *testing.T, key string) int {
	t.Helper()
	i, err := strconv.Atoi(key[1:])
	if key[0] != 'c' || err != nil {
		t.Fatalf("bad context id %q", key)
	}
	return i
}

func TestContextID(t *testing.T) {
	for i, want := range map[int]string{
		0: "c000000", 42: "c000042", 999999: "c999999", 1_000_000: "c1000000",
		1<<20 - 1: "c1048575", 1 << 20: "c1048576", 9_999_999: "c9999999",
	} {
		if got := workload.ContextID(i); got != want {
			t.Errorf("ContextID(%d) = %q, want %q", i, got, want)
		}
	}
	// The code keeps a precomputed table below 2^20 and formats beyond it:
	// both must agree with the documented format everywhere, not only at
	// the points above.
	for i := 0; i < workload.MaxKeys; i += 997 {
		if got, want := workload.ContextID(i), fmt.Sprintf("c%06d", i); got != want {
			t.Fatalf("ContextID(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	spec := specOf(t, "{manager.update: 3, manager.get: 1, manager.list: 1}", "keys: 1000\npreload: 1000\ndistribution: zipf\n")
	sequence := func(worker int, seed int64) []string {
		g := spec.Generator(worker, seed)
		var out []string
		for range 5000 {
			op, key := g.Next()
			out = append(out, ctxsys.Ops[op].Name+" "+key)
		}
		return out
	}
	a := sequence(3, 7)
	if !slices.Equal(a, sequence(3, 7)) {
		t.Error("same seed and worker give different sequences")
	}
	if slices.Equal(a, sequence(4, 7)) {
		t.Error("different workers give the same sequence")
	}
	if slices.Equal(a, sequence(3, 8)) {
		t.Error("different seeds give the same sequence")
	}
	gens := spec.Generators(8, 7)
	g3 := gens[3]
	for i, want := range a[:100] {
		op, key := g3.Next()
		if got := ctxsys.Ops[op].Name + " " + key; got != want {
			t.Fatalf("Generators(8)[3] draw %d = %q, Generator(3) gave %q", i, got, want)
		}
	}
}

func TestGeneratorMix(t *testing.T) {
	spec := specOf(t, "{manager.update: 3, manager.list: 1, adapter.cleanup: 0}", "keys: 10\npreload: 10\n")
	g := spec.Generator(0, 1)
	counts := map[workload.Op]int{}
	const n = 100_000
	for range n {
		op, key := g.Next()
		counts[op]++
		if ctxsys.Ops[op].Keyed != (key != "") {
			t.Fatalf("%v with key %q", op, key)
		}
	}
	if counts[ctxsys.AdapterCleanup] != 0 || len(counts) != 2 {
		t.Errorf("ops drawn: %v", counts)
	}
	assertShare(t, "manager.update", counts[ctxsys.ManagerUpdate], n, 0.75)
}

// assertShare checks that count of n is p within 5 standard deviations of
// a binomial: a wrong generator misses by far more, a right one (the seed
// is fixed) never does.
func assertShare(t *testing.T, what string, count, n int, p float64) {
	t.Helper()
	sd := math.Sqrt(p * (1 - p) / float64(n))
	if got := float64(count) / float64(n); math.Abs(got-p) > 5*sd {
		t.Errorf("%s: share %.4f, want %.4f ± %.4f", what, got, p, 5*sd)
	}
}

func TestUniform(t *testing.T) {
	const keys, perKey = 64, 2000
	spec := specOf(t, "{manager.get: 1}", fmt.Sprintf("keys: %d\npreload: %d\n", keys, keys))
	counts := make([]int, keys)
	for _, k := range draw(t, spec.Generator(0, 1), keys*perKey) {
		counts[index(t, k)]++
	}
	// Chi-square with 63 degrees of freedom: mean 63, sd 11.2; 6 sd above
	// the mean is far beyond any fair die and far below a biased one.
	chi2 := 0.0
	for _, c := range counts {
		chi2 += float64((c-perKey)*(c-perKey)) / perKey
	}
	if chi2 > 63+6*11.2 {
		t.Errorf("chi-square %.1f: not uniform: %v", chi2, counts)
	}
}

func TestZipf(t *testing.T) {
	const keys, s, n = 1000, 1.5, 200_000
	spec := specOf(t, "{manager.get: 1}", fmt.Sprintf("keys: %d\npreload: %d\ndistribution: zipf\nzipf_s: %v\n", keys, keys, s))
	counts := make([]int, keys)
	for _, k := range draw(t, spec.Generator(0, 1), n) {
		counts[index(t, k)]++
	}
	harmonic := 0.0
	for k := 1; k <= keys; k++ {
		harmonic += math.Pow(float64(k), -s)
	}
	assertShare(t, "rank 1", counts[0], n, 1/harmonic)
	assertShare(t, "rank 2", counts[1], n, math.Pow(2, -s)/harmonic)
	assertShare(t, "rank 10", counts[9], n, math.Pow(10, -s)/harmonic)
}

func TestZipfExtremes(t *testing.T) {
	for _, tt := range []struct {
		keys int
		s    float64
	}{{1, 1.1}, {2, 1.0000001}, {10_000_000, 1.0000001}, {10_000_000, 10}} {
		t.Run(fmt.Sprintf("keys=%d,s=%v", tt.keys, tt.s), func(t *testing.T) {
			spec := specOf(t, "{manager.get: 1}", fmt.Sprintf("keys: %d\npreload: 1\ndistribution: zipf\nzipf_s: %v\n", tt.keys, tt.s))
			for _, k := range draw(t, spec.Generator(0, 1), 2000) {
				if i := index(t, k); i >= tt.keys {
					t.Fatalf("key %d out of %d", i, tt.keys)
				}
			}
		})
	}
}

func TestHotspot(t *testing.T) {
	const keys, n = 1000, 100_000
	spec := specOf(t, "{manager.get: 1}", "keys: 1000\npreload: 1000\ndistribution: hotspot\nhot_fraction: 0.1\nhot_probability: 0.9\n")
	hot, seen := 0, map[int]bool{}
	for _, k := range draw(t, spec.Generator(0, 1), n) {
		i := index(t, k)
		seen[i] = true
		if i < keys/10 {
			hot++
		}
	}
	assertShare(t, "hot keys", hot, n, 0.9)
	if len(seen) != keys {
		t.Errorf("%d of %d keys drawn", len(seen), keys)
	}
	t.Run("all hot", func(t *testing.T) {
		spec := specOf(t, "{manager.get: 1}", "keys: 100\npreload: 100\ndistribution: hotspot\nhot_fraction: 0.05\nhot_probability: 1\n")
		for _, k := range draw(t, spec.Generator(0, 1), 10_000) {
			if index(t, k) >= 5 {
				t.Fatalf("cold key %s drawn with hot_probability 1", k)
			}
		}
	})
}

func TestSequential(t *testing.T) {
	spec := specOf(t, "{manager.update: 1, tracker.get_state: 1}", "keys: 10\npreload: 10\ndistribution: sequential\n")
	keysOf := func(g *workload.Generator, n int) []int {
		var out []int
		for len(out) < n {
			if op, key := g.Next(); ctxsys.Ops[op].Keyed {
				out = append(out, index(t, key))
			}
		}
		return out
	}
	if got, want := keysOf(spec.Generator(7, 1), 6), []int{7, 8, 9, 0, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("Generator(7): %v, want %v", got, want)
	}
	gens := spec.Generators(3, 1)
	for w, want := range [][]int{{0, 3, 6, 9, 2, 5, 8}, {1, 4, 7, 0, 3}, {2, 5, 8, 1, 4}} {
		if got := keysOf(gens[w], len(want)); !slices.Equal(got, want) {
			t.Errorf("worker %d of 3: %v, want %v", w, got, want)
		}
	}
}

func TestUnique(t *testing.T) {
	spec := specOf(t, "{manager.create: 1, manager.list: 1}", "distribution: unique\n")
	seen := map[string]bool{}
	format := regexp.MustCompile(`^u\d+-\d+$`)
	for _, g := range spec.Generators(4, 1) {
		for range 1000 {
			op, key := g.Next()
			if op == ctxsys.ManagerList {
				continue
			}
			if seen[key] || !format.MatchString(key) {
				t.Fatalf("key %q repeated or malformed", key)
			}
			seen[key] = true
		}
	}
	if len(seen) < 1500 {
		t.Errorf("only %d creates", len(seen))
	}
}

func TestLargeKeySpace(t *testing.T) {
	const keys = 2_000_000 // beyond the precomputed table: ids formatted per draw
	spec := specOf(t, "{manager.get: 1}", fmt.Sprintf("keys: %d\npreload: 1\n", keys))
	high := 0
	for _, k := range draw(t, spec.Generator(0, 1), 10_000) {
		i := index(t, k)
		if i >= keys || k != workload.ContextID(i) {
			t.Fatalf("key %q", k)
		}
		if i >= 1<<20 {
			high++
		}
	}
	assertShare(t, "keys beyond 2^20", high, 10_000, float64(keys-1<<20)/keys)
}

func BenchmarkGeneratorNext(b *testing.B) {
	for _, bench := range []struct{ name, mix, extra string }{
		{"uniform", "{manager.update: 1}", "keys: 1024\npreload: 1024\n"},
		{"uniform-2M-keys", "{manager.update: 1}", "keys: 2000000\npreload: 1\n"},
		{"zipf", "{manager.update: 1}", "keys: 1024\npreload: 1024\ndistribution: zipf\n"},
		{"hotspot", "{manager.update: 1}", "keys: 1024\npreload: 1024\ndistribution: hotspot\n"},
		{"sequential", "{manager.update: 1}", "keys: 1024\npreload: 1024\ndistribution: sequential\n"},
		{"unique", "{manager.create: 1}", "distribution: unique\n"},
		{"mixed-20-ops", "", ""},
	} {
		b.Run(bench.name, func(b *testing.B) {
			var spec *workload.Spec
			if bench.mix == "" {
				var err error
				if spec, err = workload.Load("mixed"); err != nil {
					b.Fatal(err)
				}
			} else {
				spec = specOf(b, bench.mix, bench.extra)
			}
			g := spec.Generator(0, 1)
			b.ReportAllocs()
			for b.Loop() {
				g.Next()
			}
		})
	}
}
