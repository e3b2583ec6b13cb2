package workload

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"lockbench/store"
)

func mustStore(t *testing.T, spec string) store.Spec {
	t.Helper()
	s, err := store.ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSuggest(t *testing.T) {
	distributions := []string{Uniform, Zipf, Hotspot, Sequential, Unique}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"zipf", distributions, ""},                              // not a typo
		{"Zipf", distributions, ` (did you mean "zipf"?)`},       // case only
		{"unifoxx", distributions, ` (did you mean "uniform"?)`}, // distance 2, the limit
		{"unifxxx", distributions, ""},                           // distance 3
		{"seq", distributions, ` (did you mean "sequential"?)`},  // a prefix of 3
		{"se", distributions, ""},                                // too short for the prefix rule
		{"ab", []string{"ax", "ay"}, ` (did you mean "ax"?)`},    // ties: the first
	}
	for _, tc := range tests {
		if got := suggest(tc.name, tc.candidates); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A suite entry's unset settings come from the suite's defaults, each on
// its own; arrival and rate travel together.
func TestOverridesMerge(t *testing.T) {
	store, arrival, rate, seed, count := mustStore(t, "sim:latency=2ms"), Open, 50.0, int64(9), 4
	base := Overrides{Store: &store, Arrival: &arrival, Rate: &rate, Seed: &seed, Count: &count}
	got := Overrides{}.merge(base)
	if got.Store != &store || got.Arrival != &arrival || got.Rate != &rate || got.Seed != &seed || got.Count != &count {
		t.Errorf("empty entry: %+v, want every default", got)
	}
	ownStore, ownRate, ownSeed := mustStore(t, "sim:latency=3ms"), 70.0, int64(1)
	got = Overrides{Store: &ownStore, Rate: &ownRate, Seed: &ownSeed}.merge(base)
	if got.Store != &ownStore || got.Rate != &ownRate || got.Arrival != nil || got.Seed != &ownSeed {
		t.Errorf("entry with its own store, rate and seed: %+v", got)
	}
	closed := Closed
	if got = (Overrides{Arrival: &closed}).merge(base); got.Arrival != &closed || got.Rate != nil {
		t.Errorf("entry with its own arrival: %+v, want no rate from the defaults", got)
	}
}

// Both limits given: both kept; one alone clears the other.
func TestOverrideBothLimits(t *testing.T) {
	s, err := Parse([]byte("name: t\nmix: {manager.update: 1}\npreload: 1\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, ops := 3*time.Second, int64(700)
	c, err := s.Override(Overrides{Duration: &d, Ops: &ops}, "flags")
	if err != nil || c.Duration != d || c.Ops != ops {
		t.Errorf("override both: %+v, %v", c, err)
	}
	// One limit alone replaces the other.
	if c, err = c.Override(Overrides{Duration: &d}, "flags"); err != nil || c.Ops != 0 || c.Duration != d {
		t.Errorf("override duration alone: %+v, %v, want ops cleared", c, err)
	}
	if c, err = s.Override(Overrides{Ops: &ops}, "flags"); err != nil || c.Ops != ops || c.Duration != 0 {
		t.Errorf("override ops alone: %+v, %v, want duration cleared", c, err)
	}
}

// Validate checks what code built, with no defaults: a zero hotspot
// parameter is refused, not taken for the default.
func TestValidateZeroHotspot(t *testing.T) {
	s, err := Parse([]byte("name: t\nmix: {manager.update: 1}\npreload: 1\ndistribution: hotspot\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for field, edit := range map[string]func(*Spec){
		"hot_fraction":    func(s *Spec) { s.HotFraction = 0 },
		"hot_probability": func(s *Spec) { s.HotProbability = 0 },
	} {
		c := s.Clone()
		edit(c)
		var werr *Error
		if err := c.Validate(); !errors.As(err, &werr) || werr.Field != field {
			t.Errorf("%s 0: %v", field, err)
		}
	}
}

// The file size limit is exact, for bytes and for files.
func TestFileSizeLimit(t *testing.T) {
	const spec = "name: t\nmix: {manager.update: 1}\npreload: 1\n#"
	pad := func(n int) []byte { return []byte(spec + strings.Repeat("x", n-len(spec))) }
	if _, err := Parse(pad(maxFileSize), "t.yaml"); err != nil {
		t.Errorf("%d bytes: %v", maxFileSize, err)
	}
	if _, err := Parse(pad(maxFileSize+1), "t.yaml"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("%d bytes: %v, want too large", maxFileSize+1, err)
	}
	dir := t.TempDir()
	for _, n := range []int{maxFileSize, maxFileSize + 1} {
		path := dir + "/t.yaml"
		if err := os.WriteFile(path, pad(n), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if tooLarge := err != nil && strings.Contains(err.Error(), "larger than"); tooLarge != (n > maxFileSize) {
			t.Errorf("Load of %d bytes: %v", n, err)
		}
	}
}

// Suite entries are pointers to settings: their checks and suggestions
// reach through the pointer.
func TestSuitePointerFields(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"suites:\n  - name: s\n    defaults: {count: 1.5}\n    runs:\n      - workload: mixed\n", "integer, got 1.5"},
		{"suites:\n  - name: s\n    defaults: {cuont: 2}\n    runs:\n      - workload: mixed\n", `did you mean "count"`},
	} {
		_, err := parseSuites([]byte(tc.data), "suites.yaml", []string{"mixed"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data, err, tc.want)
		}
	}
}
