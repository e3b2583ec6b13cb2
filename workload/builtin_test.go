package workload_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/workload"
)

func TestBuiltin(t *testing.T) {
	specs := workload.Builtin()
	names := workload.Names()
	if len(specs) != len(names) || len(specs) == 0 {
		t.Fatalf("%d specs for %d names", len(specs), len(names))
	}
	for i, spec := range specs {
		t.Run(spec.Name, func(t *testing.T) {
			if spec.Name != names[i] {
				t.Errorf("file %s.yaml holds workload %q", names[i], spec.Name)
			}
			if spec.Description == "" || len(spec.Description) > 110 {
				t.Errorf("description must be one short line, got %q", spec.Description)
			}
			if spec.Seed != 1 {
				t.Errorf("seed %d", spec.Seed)
			}
		})
	}
}

// TestBuiltinCoversScenarios checks the embedded defaults against the
// scenarios of the seed document and issue 3.
func TestBuiltinCoversScenarios(t *testing.T) {
	byName := map[string]*workload.Spec{}
	for _, spec := range workload.Builtin() {
		byName[spec.Name] = spec
	}
	get := func(name string) *workload.Spec {
		t.Helper()
		spec := byName[name]
		if spec == nil {
			t.Fatalf("no workload %q", name)
		}
		return spec
	}
	tests := []struct {
		scenario string
		workload string
		holds    func(s *workload.Spec) bool
	}{
		{"mass concurrent creation below the limit", "mass-creation", func(s *workload.Spec) bool {
			// 256 workers creating once per millisecond for warm-up plus
			// measured time must stay far below the limit.
			mostCreates := 256 * int((s.Duration+s.Warmup)/time.Millisecond)
			return s.Distribution == workload.Unique && s.Weight(ctxsys.ManagerCreate) > 0 &&
				s.Config.MaxContexts >= 10*mostCreates
		}},
		{"creation at the limit", "creation-at-limit", func(s *workload.Spec) bool {
			return s.Weight(ctxsys.ManagerCreate) > 0 && s.Preload == s.Config.MaxContexts && s.Keys > s.Config.MaxContexts
		}},
		{"concurrent same-context updates", "same-context-update", func(s *workload.Spec) bool {
			return s.Keys == 1 && s.Probability(ctxsys.ManagerUpdate) >= 0.5
		}},
		{"concurrent reads and writes", "read-write", func(s *workload.Spec) bool {
			return s.Weight(ctxsys.ManagerGet) > 0 && s.Weight(ctxsys.ManagerUpdate) > 0 && s.Keys >= 1024
		}},
		{"concurrent recovery points", "recovery-points", func(s *workload.Spec) bool {
			return s.Probability(ctxsys.ManagerRecoveryPoint) >= 0.5 && s.Keys <= 8
		}},
		{"create/update/delete mix", "create-update-delete", func(s *workload.Spec) bool {
			return s.Weight(ctxsys.ManagerCreate) > 0 && s.Weight(ctxsys.ManagerUpdate) > 0 && s.Weight(ctxsys.ManagerDelete) > 0
		}},
		{"multiple clients on one context", "shared-tracker", func(s *workload.Spec) bool {
			return s.Trackers == workload.Shared && s.Keys == 1 && s.Preload == 1 &&
				s.Weight(ctxsys.TrackerUpdateState) > 0 && s.Weight(ctxsys.TrackerGetState) > 0 && s.Weight(ctxsys.TrackerSync) > 0
		}},
		{"high concurrency", "high-concurrency", func(s *workload.Spec) bool {
			return slices.Max(s.Concurrency) >= 10_000 && s.Keys >= 1000
		}},
		{"adapter cleanup storm", "cleanup-storm", func(s *workload.Spec) bool {
			return s.Weight(ctxsys.AdapterCleanup) > 0 && s.Weight(ctxsys.AdapterUpdate) > 0 &&
				s.Weight(ctxsys.AdapterCreate) > 0 && s.Config.TTL <= 10*time.Millisecond
		}},
		{"tracker sync", "tracker-sync", func(s *workload.Spec) bool {
			return s.Trackers == workload.PerClient && s.Weight(ctxsys.TrackerUpdateState) > 0 && s.Weight(ctxsys.TrackerSync) > 0
		}},
		{"mixed whole system", "mixed", func(s *workload.Spec) bool {
			components := map[string]bool{}
			for _, op := range s.OpKinds() {
				components[ctxsys.OpComponent(op)] = true
			}
			return len(components) == 3 && len(s.OpKinds()) == ctxsys.NumOps
		}},
		{"many-key updates", "many-key-update", func(s *workload.Spec) bool {
			return s.Keys >= 1024 && s.Distribution == workload.Uniform && s.Probability(ctxsys.ManagerUpdate) == 1
		}},
		{"open loop beyond naive's capacity", "open-loop-update", func(s *workload.Spec) bool {
			return s.Arrival == workload.Open && s.Rate > 1000
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if !tt.holds(get(tt.workload)) {
				t.Errorf("%s does not cover %q: %+v", tt.workload, tt.scenario, get(tt.workload))
			}
		})
	}
	distributions := map[string]bool{}
	for _, spec := range byName {
		distributions[spec.Distribution] = true
	}
	for _, d := range []string{"uniform", "zipf", "hotspot", "sequential", "unique"} {
		if !distributions[d] {
			t.Errorf("no embedded workload uses distribution %s", d)
		}
	}
}

func TestSuites(t *testing.T) {
	suites := workload.Suites()
	var names []string
	for _, s := range suites {
		names = append(names, s.Name)
		specs, err := s.Specs()
		if err != nil {
			t.Fatalf("suite %s: %v", s.Name, err)
		}
		if len(specs) != len(s.Runs) || s.Description == "" {
			t.Errorf("suite %s: %d specs for %d runs, description %q", s.Name, len(specs), len(s.Runs), s.Description)
		}
	}
	if !slices.Equal(names, []string{"default", "full", "kv", "quick"}) {
		t.Errorf("suites %v", names)
	}
}

// suiteTime is the wall time a suite plans for: warm-up, measured phase and
// a set-up allowance per run, for every strategy.
func suiteTime(t *testing.T, name string, strategies int, setup time.Duration) (runs int, total time.Duration) {
	t.Helper()
	suite, err := workload.LookupSuite(name)
	if err != nil {
		t.Fatal(err)
	}
	specs, err := suite.Specs()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		runs += s.Runs() * strategies
		total += s.PlannedTime()*time.Duration(strategies) + time.Duration(s.Runs()*strategies)*setup
	}
	return runs, total
}

func TestSuiteBudgets(t *testing.T) {
	const strategies, setup = 3, 100 * time.Millisecond
	t.Run("quick", func(t *testing.T) {
		suite, _ := workload.LookupSuite("quick")
		specs, _ := suite.Specs()
		if len(specs) != 2 {
			t.Errorf("%d workloads", len(specs))
		}
		for _, s := range specs {
			// Windows of 100 ms, longer where a workload completes
			// fewer than the runner's 100 operations in one (the
			// budget below still holds).
			offWindow := s.Duration < 100*time.Millisecond || s.Duration > 200*time.Millisecond
			if !slices.Equal(s.Concurrency, []int{1, 8}) || s.Count != 1 || offWindow || s.Warmup != 20*time.Millisecond {
				t.Errorf("%s: %v %d %v %v", s.Name, s.Concurrency, s.Count, s.Duration, s.Warmup)
			}
		}
		if _, total := suiteTime(t, "quick", strategies, setup); total > 5*time.Second {
			t.Errorf("quick takes %v", total)
		}
	})
	t.Run("default", func(t *testing.T) {
		suite, _ := workload.LookupSuite("default")
		specs, _ := suite.Specs()
		var names []string
		for _, s := range specs {
			names = append(names, s.Name)
			if s.Count < 6 {
				t.Errorf("%s: count %d: benchmath needs 6 repetitions for a 95%% confidence interval", s.Name, s.Count)
			}
			if len(s.Concurrency) < 4 {
				t.Errorf("%s: %d concurrency levels are too few for a scalability fit", s.Name, len(s.Concurrency))
			}
		}
		for _, want := range []string{"many-key-update", "same-context-update", "read-write", "mixed", "cleanup-storm"} {
			if !slices.Contains(names, want) {
				t.Errorf("default lacks %s", want)
			}
		}
		runs, total := suiteTime(t, "default", strategies, setup)
		t.Logf("default: %d runs, %v", runs, total)
		// make report must finish in ~3 minutes on 2 cores, build and
		// rendering (~15 s) included: 150 s of planned runs leaves room.
		if runs != 360 || total > 150*time.Second {
			t.Errorf("default: %d runs, %v: over budget", runs, total)
		}
	})
	t.Run("full", func(t *testing.T) {
		suite, _ := workload.LookupSuite("full")
		specs, _ := suite.Specs()
		if n := len(targetWorkloads(t, "context")); len(specs) != n {
			t.Errorf("full runs %d workloads of the context target's %d", len(specs), n)
		}
		maxWorkers, has256 := 0, false
		for _, s := range specs {
			maxWorkers = max(maxWorkers, slices.Max(s.Concurrency))
			has256 = has256 || slices.Contains(s.Concurrency, 256)
			if s.Count < 6 {
				t.Errorf("%s: count %d: benchmath needs 6 repetitions for a 95%% confidence interval", s.Name, s.Count)
			}
		}
		if maxWorkers < 10_000 || !has256 {
			t.Errorf("full sweep: max %d workers, 256: %v", maxWorkers, has256)
		}
		runs, total := suiteTime(t, "full", strategies, setup)
		t.Logf("full: %d runs, %v", runs, total)
	})
}

// TestKVSuite: the kv suite runs every kv workload over every kv strategy,
// with enough repetitions for significance, in about 3 minutes.
func TestKVSuite(t *testing.T) {
	const strategies, setup = 6, 100 * time.Millisecond
	suite, _ := workload.LookupSuite("kv")
	specs, _ := suite.Specs()
	if want := targetWorkloads(t, "kv"); len(specs) != len(want) || len(want) < 4 {
		t.Errorf("kv runs %d workloads of the kv target's %d", len(specs), len(want))
	}
	for _, s := range specs {
		if s.TargetName() != "kv" || s.Count < 6 || len(s.Concurrency) < 4 {
			t.Errorf("%s: target %s, count %d, %d levels", s.Name, s.TargetName(), s.Count, len(s.Concurrency))
		}
	}
	runs, total := suiteTime(t, "kv", strategies, setup)
	t.Logf("kv: %d runs, %v", runs, total)
	if total > 180*time.Second {
		t.Errorf("kv: %d runs, %v: over budget", runs, total)
	}
}

// targetWorkloads returns the embedded workloads naming target tgt.
func targetWorkloads(t *testing.T, tgt string) []string {
	t.Helper()
	var names []string
	for _, n := range workload.Names() {
		s, err := workload.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		if s.TargetName() == tgt {
			names = append(names, n)
		}
	}
	return names
}

func TestLookupSuiteUnknown(t *testing.T) {
	_, err := workload.LookupSuite("defualt")
	if err == nil || !strings.Contains(err.Error(), `did you mean "default"`) {
		t.Errorf("got %v", err)
	}
}
