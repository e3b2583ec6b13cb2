package workload_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"lockbench/store"
	"lockbench/workload"
)

// minimal is the smallest valid spec; cases append fields to it.
const minimal = "name: t\nmix: {manager.update: 1}\npreload: 1\n"

func TestParseDefaults(t *testing.T) {
	spec, err := workload.Parse([]byte(minimal), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &workload.Spec{
		Name:         "t",
		Mix:          map[string]float64{"manager.update": 1},
		Keys:         1,
		Preload:      1,
		Distribution: "uniform",
		Concurrency:  []int{1, 4, 16, 64},
		Duration:     2 * time.Second,
		Warmup:       500 * time.Millisecond,
		Count:        3,
		Arrival:      "closed",
		Interarrival: "poisson",
		Trackers:     "per-client",
		Store:        mustStore(t, "sim:latency=1ms"),
		Config: workload.Config{
			MaxContexts:       100000,
			MaxRecoveryPoints: 10,
			TTL:               time.Hour,
			SyncInterval:      time.Minute,
		},
		Seed: 1,
	}
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", spec, want)
	}
}

func TestParseGood(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		check func(*workload.Spec) bool
	}{
		{"ops without duration means no time limit", "ops: 5000\n",
			func(s *workload.Spec) bool { return s.Ops == 5000 && s.Duration == 0 }},
		{"ops and duration: whichever first", "ops: 5000\nduration: 1s\n",
			func(s *workload.Spec) bool { return s.Ops == 5000 && s.Duration == time.Second }},
		{"zipf gets its default exponent", "keys: 100\ndistribution: zipf\n",
			func(s *workload.Spec) bool { return s.ZipfS == workload.DefaultZipfS }},
		{"hotspot gets 80/20", "keys: 100\ndistribution: hotspot\n",
			func(s *workload.Spec) bool { return s.HotFraction == 0.2 && s.HotProbability == 0.8 }},
		{"hotspot parameters", "keys: 100\ndistribution: hotspot\nhot_fraction: 0.01\nhot_probability: 1\n",
			func(s *workload.Spec) bool { return s.HotFraction == 0.01 && s.HotProbability == 1 }},
		{"open loop", "arrival: open\nrate: 2500.5\ninterarrival: uniform\n",
			func(s *workload.Spec) bool { return s.Arrival == "open" && s.Rate == 2500.5 }},
		{"closed loop with rate 0 and think time", "rate: 0\nthink_time: 2ms\n",
			func(s *workload.Spec) bool { return s.ThinkTime == 2*time.Millisecond }},
		{"partial config keeps other defaults", "config: {ttl: 5ms, auto_recovery: true}\n",
			func(s *workload.Spec) bool {
				return s.Config.TTL == 5*time.Millisecond && s.Config.AutoRecovery && s.Config.MaxContexts == 100000
			}},
		{"limits at their maximum", "keys: 10000000\nconcurrency: [200000]\nduration: 24h\ncount: 1000\n",
			func(s *workload.Spec) bool { return s.Keys == 10_000_000 && s.Concurrency[0] == 200_000 }},
		{"shared tracker", "trackers: shared\n",
			func(s *workload.Spec) bool { return s.Trackers == "shared" }},
		{"zero weight disables an op", "mix: {manager.update: 1, manager.get: 0}\n",
			func(s *workload.Spec) bool { return len(s.OpKinds()) == 1 }},
		{"comments and block style", "# a comment\nconcurrency:\n  - 2\n  - 3\n",
			func(s *workload.Spec) bool { return reflect.DeepEqual(s.Concurrency, []int{2, 3}) }},
		{"seed 0 and negative seeds are seeds", "seed: -7\n",
			func(s *workload.Spec) bool { return s.Seed == -7 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.extra + minimal
			if strings.HasPrefix(tt.extra, "mix:") {
				data = "name: t\npreload: 1\n" + tt.extra
			}
			spec, err := workload.Parse([]byte(data), "good.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(spec) {
				t.Errorf("unexpected spec %+v", spec)
			}
		})
	}
}

func TestParseBad(t *testing.T) {
	tests := []struct {
		name  string
		data  string // appended to minimal unless it starts with "!"
		field string // Error.Field; "" for document-level errors
		msg   string // part of the message
	}{
		{"misspelt field", "concurency: [1]\n", "concurency", `did you mean "concurrency"`},
		{"misspelt nested field", "config: {max_context: 5}\n", "config.max_context", `did you mean "max_contexts"`},
		{"no name", "!mix: {manager.update: 1}\npreload: 1\n", "name", "required"},
		{"bad name", "!name: Same Context\nmix: {manager.update: 1}\npreload: 1\n", "name", "lower-case"},
		{"no mix", "!name: t\n", "mix", "required"},
		{"unknown op", "!name: t\npreload: 1\nmix: {manager.updte: 1}\n", "mix.manager.updte", `did you mean "manager.update"`},
		{"negative weight", "!name: t\npreload: 1\nmix: {manager.update: 1, manager.get: -1}\n", "mix.manager.get", "got -1"},
		{"infinite weight", "!name: t\npreload: 1\nmix: {manager.update: .inf}\n", "mix.manager.update", "weight"},
		{"weights sum to zero", "!name: t\npreload: 1\nmix: {manager.update: 0, manager.get: 0}\n", "mix", "sum to 0"},
		{"zero keys", "keys: 0\n", "keys", "got 0"},
		{"absurd key space", "keys: 100000000\n", "keys", "got 100000000"},
		{"keys not a number", "keys: many\n", "keys", "an integer"},
		{"keys not an integer", "keys: 1.5\n", "keys", "integer, got 1.5"},
		{"empty value", "keys:\n", "keys", "no value"},
		{"preload beyond keys", "!name: t\nmix: {manager.update: 1}\nkeys: 10\npreload: 11\n", "preload", "got 11"},
		{"preload beyond max_contexts", "!name: t\nmix: {manager.update: 1}\nkeys: 10\npreload: 10\nconfig: {max_contexts: 5}\n", "preload", "max_contexts"},
		{"nothing preloaded or created", "!name: t\nmix: {manager.update: 1}\n", "preload", "manager.update"},
		{"unknown distribution", "distribution: zipfian\n", "distribution", `did you mean "zipf"`},
		{"zipf exponent too small", "distribution: zipf\nzipf_s: 1\n", "zipf_s", "> 1"},
		{"zipf exponent without zipf", "zipf_s: 1.5\n", "zipf_s", "only for distribution zipf"},
		{"hot fraction out of range", "distribution: hotspot\nhot_fraction: 1.5\n", "hot_fraction", "got 1.5"},
		{"hot probability without hotspot", "hot_probability: 0.5\n", "hot_probability", "only for"},
		{"unique with updates", "distribution: unique\n", "mix.manager.update", "unique"},
		{"zero workers", "concurrency: [1, 4, 0]\n", "concurrency[2]", "must be >= 1, got 0"},
		{"a billion workers", "concurrency: [1000000000]\n", "concurrency[0]", "got 1000000000"},
		{"no workers", "concurrency: []\n", "concurrency", "at least one"},
		{"repeated level", "concurrency: [4, 4]\n", "concurrency[1]", "twice"},
		{"worker count not a number", "concurrency: [1, x]\n", "concurrency[1]", "an integer"},
		{"100-year duration", "duration: 876000h\n", "duration", "876000h"},
		{"malformed duration", "duration: 2 sec\n", "duration", "a duration"},
		{"duration without unit", "duration: 2\n", "duration", "a duration"},
		{"no limit at all", "duration: 0s\n", "duration", "unless ops"},
		{"negative ops", "ops: -5\n", "ops", "got -5"},
		{"negative warm-up", "warmup: -1s\n", "warmup", "got -1s"},
		{"zero count", "count: 0\n", "count", "got 0"},
		{"absurd count", "count: 5000\n", "count", "got 5000"},
		{"unknown arrival", "arrival: opened\n", "arrival", `"opened"`},
		{"rate without open loop", "rate: 100\n", "rate", "without an open loop"},
		{"open loop without rate", "arrival: open\n", "rate", "needs a total rate"},
		{"open loop with NaN rate", "arrival: open\nrate: .nan\n", "rate", "NaN"},
		{"unknown interarrival", "interarrival: gamma\n", "interarrival", `"gamma"`},
		{"think time in an open loop", "arrival: open\nrate: 10\nthink_time: 1ms\n", "think_time", "closed"},
		{"unknown trackers", "trackers: global\n", "trackers", `"global"`},
		{"empty store", "store: \"\"\n", "store", "no store kind"},
		{"store with a tab", "store: \"sim:\\tlatency=1ms\"\n", "store", "one line"},
		{"unknown store kind", "store: tape:speed=slow\n", "store", "unknown store kind"},
		{"malformed store latency", "store: sim:latency=1xs\n", "store", "not a duration"},
		{"store is a list", "store: [sim]\n", "store", "must be a string, got a list"},
		{"store is a mapping", "store: {sim: {latency: 1ms}}\n", "store", "must be a string, got a mapping"},
		{"store spec too long", "store: file:dir=/" + strings.Repeat("d", 300) + "\n", "store", "longer than 256 bytes"},
		{"zero ttl", "config: {ttl: 0s}\n", "config.ttl", "> 0"},
		{"negative recovery points", "config: {max_recovery_points: -1}\n", "config.max_recovery_points", "got -1"},
		{"config not a mapping", "config: 5\n", "config", "mapping"},
		{"two-line description", "description: \"a\\nb\"\n", "description", "one line"},
		{"field twice", "keys: 1\nkeys: 2\n", "keys", "twice"},
		{"alias", "!name: &n t\ndescription: *n\nmix: {manager.update: 1}\npreload: 1\n", "description", "alias"},
		{"two documents", "---\nname: u\n", "", "more than one YAML document"},
		{"a list, not a mapping", "!- name: t\n", "", "must be a mapping"},
		{"empty file", "!", "", "empty document"},
		{"syntax error", "!name: [t\n", "", "YAML syntax"},
		{"10,000 nested brackets", "mix: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", "", "nested more than 16 levels"},
		{"3,000 nested mappings", "config: " + strings.Repeat("{a: ", 3000) + "1" + strings.Repeat("}", 3000) + "\n", "", "nested more than 16 levels"},
	}
	if len(tests) < 20 {
		t.Fatalf("want at least 20 bad specs, have %d", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := minimal + tt.data
			if rest, ok := strings.CutPrefix(tt.data, "!"); ok {
				data = rest
			}
			_, err := workload.Parse([]byte(data), "bad.yaml")
			if err == nil {
				t.Fatalf("accepted:\n%s", data)
			}
			if !errors.Is(err, workload.ErrInvalid) {
				t.Errorf("error %v does not match ErrInvalid", err)
			}
			var werr *workload.Error
			if !errors.As(err, &werr) {
				t.Fatalf("error %v is not a *workload.Error", err)
			}
			if werr.Field != tt.field {
				t.Errorf("field %q, want %q (error: %v)", werr.Field, tt.field, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "workload: invalid spec bad.yaml") {
				t.Errorf("message does not name the source: %s", msg)
			}
			if tt.field != "" && !strings.Contains(msg, " "+tt.field+": ") {
				t.Errorf("message does not name the field %q: %s", tt.field, msg)
			}
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not contain %q", msg, tt.msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message is not one line: %q", msg)
			}
			if len(msg) > 1000 {
				t.Errorf("message of %d bytes, want a short line: %.300q…", len(msg), msg)
			}
		})
	}
}

func TestParseErrorLine(t *testing.T) {
	data := "name: t\nmix: {manager.update: 1}\npreload: 1\nconcurrency:\n  - 1\n  - 4\n  - 0\n"
	_, err := workload.Parse([]byte(data), "same.yaml")
	want := "workload: invalid spec same.yaml:7: concurrency[2]: must be >= 1, got 0"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	var werr *workload.Error
	if !errors.As(err, &werr) || werr.Line != 7 {
		t.Errorf("line: %+v", werr)
	}
}

// TestParseStore: the store spec is parsed as the file is decoded, once;
// a bad one names file, line and field, and matches store.ErrSpec too.
func TestParseStore(t *testing.T) {
	spec, err := workload.Parse([]byte(minimal+"store: sim:dist=fixed,pool=8,latency=200us\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := mustStore(t, "sim:latency=200us,pool=8"); spec.Store != want {
		t.Errorf("store %+v, want %+v", spec.Store, want)
	}
	_, err = workload.Parse([]byte("name: t\nstore: sim:errors=2\nmix: {manager.update: 1}\n"), "t.yaml")
	const want = `workload: invalid spec t.yaml:2: store: bad spec "sim:errors=2": errors 2 is outside [0, 1]`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	if !errors.Is(err, workload.ErrInvalid) || !errors.Is(err, store.ErrSpec) {
		t.Errorf("error %v does not match both ErrInvalid and store.ErrSpec", err)
	}
	// A store spec later in the file than another type error: yaml.v3
	// stops at the store; the error still names it.
	_, err = workload.Parse([]byte(minimal+"keys: x\nstore: tape\n"), "t.yaml")
	var werr *workload.Error
	if !errors.As(err, &werr) || werr.Field != "store" || werr.Line != 5 {
		t.Errorf("got %v, want the store field at line 5", err)
	}
}

// TestStoreWrittenCanonical: a spec written out as YAML carries the
// store's canonical string, and reads back as the same spec.
func TestStoreWrittenCanonical(t *testing.T) {
	spec, err := workload.Parse([]byte(minimal+"store: \"sim: pool=8, latency=1m\"\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "\nstore: sim:latency=1m0s,pool=8\n") {
		t.Errorf("written spec has no canonical store line:\n%s", out)
	}
	back, err := workload.Parse(out, "written.yaml")
	if err != nil {
		t.Fatalf("written spec does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, spec) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, spec)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	userFile := filepath.Join(dir, "mine.yml")
	if err := os.WriteFile(userFile, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("embedded name", func(t *testing.T) {
		spec, err := workload.Load("same-context-update")
		if err != nil || spec.Name != "same-context-update" {
			t.Fatalf("%v %v", spec, err)
		}
	})
	t.Run("user file", func(t *testing.T) {
		spec, err := workload.Load(userFile)
		if err != nil || spec.Name != "t" {
			t.Fatalf("%v %v", spec, err)
		}
	})
	t.Run("relative path without slash", func(t *testing.T) {
		t.Chdir(dir)
		if _, err := workload.Load("mine.yml"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := workload.Load(filepath.Join(dir, "absent.yaml"))
		if !errors.Is(err, workload.ErrInvalid) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unknown name", func(t *testing.T) {
		_, err := workload.Load("same-context-updte")
		if !errors.Is(err, workload.ErrUnknown) || !strings.Contains(err.Error(), `did you mean "same-context-update"`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("suites file is not a workload", func(t *testing.T) {
		if _, err := workload.Load("suites"); !errors.Is(err, workload.ErrUnknown) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestIsPath(t *testing.T) {
	for in, want := range map[string]bool{
		"same-context-update": false, "x.yaml": true, "x.yml": true, "./x": true, "dir/x": true, "": false,
	} {
		if got := workload.IsPath(in); got != want {
			t.Errorf("IsPath(%q) = %v", in, got)
		}
	}
}
