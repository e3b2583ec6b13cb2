package workload_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"lockbench/ctxsys"
	"lockbench/store"
	"lockbench/workload"
)

func ptr[T any](v T) *T { return &v }

func mustStore(t *testing.T, spec string) store.Spec {
	t.Helper()
	s, err := store.ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOverride(t *testing.T) {
	base := specOf(t, "{manager.update: 1}", "preload: 1\nthink_time: 1ms\n")
	tests := []struct {
		name  string
		o     workload.Overrides
		check func(*workload.Spec) bool
	}{
		{"nothing", workload.Overrides{}, func(s *workload.Spec) bool { return s.Duration == 2*time.Second }},
		{"ops replaces duration", workload.Overrides{Ops: ptr(int64(500))},
			func(s *workload.Spec) bool { return s.Ops == 500 && s.Duration == 0 }},
		{"both limits", workload.Overrides{Ops: ptr(int64(500)), Duration: ptr(time.Second)},
			func(s *workload.Spec) bool { return s.Ops == 500 && s.Duration == time.Second }},
		{"sweep, warm-up, count, store, seed", workload.Overrides{
			Concurrency: []int{2, 3}, Warmup: ptr(time.Duration(0)), Count: ptr(5), Store: ptr(mustStore(t, "sim:latency=0")), Seed: ptr(int64(9))},
			func(s *workload.Spec) bool {
				return slices.Equal(s.Concurrency, []int{2, 3}) && s.Warmup == 0 && s.Count == 5 && s.Store.String() == "sim" && s.Seed == 9
			}},
		{"open loop clears think time", workload.Overrides{Arrival: ptr("open"), Rate: ptr(100.0)},
			func(s *workload.Spec) bool { return s.Arrival == "open" && s.Rate == 100 && s.ThinkTime == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := base.Override(tt.o, "test")
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("%+v", got)
			}
		})
	}
	t.Run("base unchanged", func(t *testing.T) {
		if base.Duration != 2*time.Second || base.ThinkTime != time.Millisecond || !slices.Equal(base.Concurrency, []int{1, 4, 16, 64}) {
			t.Errorf("%+v", base)
		}
	})
	t.Run("back to closed clears rate", func(t *testing.T) {
		open, err := base.Override(workload.Overrides{Arrival: ptr("open"), Rate: ptr(100.0)}, "test")
		if err != nil {
			t.Fatal(err)
		}
		closed, err := open.Override(workload.Overrides{Arrival: ptr("closed")}, "test")
		if err != nil || closed.Rate != 0 {
			t.Fatalf("%+v %v", closed, err)
		}
	})
	for _, bad := range []struct {
		name, field string
		o           workload.Overrides
	}{
		{"zero workers", "concurrency[1]", workload.Overrides{Concurrency: []int{1, 0}}},
		{"100-year duration", "duration", workload.Overrides{Duration: ptr(100 * 365 * 24 * time.Hour)}},
		{"rate without open loop", "rate", workload.Overrides{Rate: ptr(5.0)}},
		{"open loop without rate", "rate", workload.Overrides{Arrival: ptr("open")}},
		{"zero count", "count", workload.Overrides{Count: ptr(0)}},
	} {
		t.Run(bad.name, func(t *testing.T) {
			_, err := base.Override(bad.o, "flags")
			var werr *workload.Error
			if !errors.Is(err, workload.ErrInvalid) || !errors.As(err, &werr) || werr.Field != bad.field ||
				!strings.HasPrefix(err.Error(), "workload: invalid spec flags: "+bad.field+": ") {
				t.Errorf("got %v", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	spec := specOf(t, "{manager.update: 1, manager.get: 2}", "preload: 1\n")
	if err := spec.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := spec.OpWeights(); len(got) != 2 || got[0] != (workload.WeightedOp{Op: ctxsys.ManagerGet, Weight: 2}) {
		t.Errorf("OpWeights = %v", got)
	}
	spec.Concurrency = []int{1_000_000_000}
	err := spec.Validate()
	if !errors.Is(err, workload.ErrInvalid) || err.Error() != "workload: invalid spec workload g: concurrency[0]: must be <= 200000, got 1000000000" {
		t.Errorf("got %v", err)
	}
}
